"""Model -> problems: the data model's declaration, then every shipped query against it, each by its kind's
checker. What `dash validate` and `dash build` run.

Results are cached per query in .dash-cache/ (not committed), keyed by the
query, its template's text, its variables and target, the environment, and a
fingerprint of the checkers' code, the data model, the shared fragments
(queries/**/_*) and sqlglot's version, so a rebuild whose queries did not
change does not even import a parser.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from core.environment import Environment
from core.errors import DefinitionError, QueryError
from core.files import replace_file
from core.kinds import CheckRequest, DatasourceKind
from core.model import CompiledAlertGroup, CompiledDashboard
from core.paths import relative_path
from core.problems import Problem, format_problems
from core.template_variable import TemplateVariable
from dashcompiler.alerts_shape import rule_shape_problems
from dashcompiler.compile import QUERIES_DIR, Model

CACHE_FILE = Path(".dash-cache") / "validate.json"
REPOSITORY = Path(__file__).resolve().parents[1]
# The checkers' code: a change to any of it invalidates every cached result.
CHECKER_SOURCES = ("core", "kinds", "sqlcheck", "influxqlcheck", "cloudwatchcheck")


def check_data_model() -> None:
    """Timestream's rules on the declaration, before anything is built from it (Terraform creates tables by it)."""
    from connect_ingest import datamodel

    problems = datamodel.check_declaration(datamodel.TIMESTREAM_TABLES, datamodel.GLUE_TABLES)
    if problems:
        where = relative_path(Path(datamodel.__file__), REPOSITORY)
        lines = "\n".join(f"{where}: {problem}" for problem in problems)
        raise DefinitionError(f"{len(problems)} problem(s) in the data-model declaration; nothing was written\n{lines}")


def check_model(model: Model, root: Path, *, cache_results: bool = True) -> list[Problem]:
    """All problems of all queries of the model: its dashboards' and its alert rules' (with their results' shapes)."""
    return check_queries(model.env, model.dashboards, root, cache_results=cache_results, alerts=model.alerts)


def require_no_problems(problems: list[Problem]) -> None:
    """A build with query problems is an error (exit 2), listing them all."""
    if problems:
        raise QueryError(f"{len(problems)} query problem(s); nothing was written\n{format_problems(problems, 'text')}")


def check_queries(
    env: Environment,
    dashboards: Iterable[CompiledDashboard],
    root: Path,
    *,
    cache_results: bool = True,
    alerts: Iterable[CompiledAlertGroup] = (),
) -> list[Problem]:
    """All problems of all queries, each distinct query checked once (``cache_results=False``: no cache at all).
    An alert rule's queries are checked as a panel's, without variables (alerting has none), and each rule's results
    as alerting reads them."""
    cache_path = root / CACHE_FILE
    document = _load(cache_path) if cache_results else {}
    cache = document.get(env.name, {})  # one section per environment: a build checks several in turn
    fingerprint = _fingerprint(env, root)
    found: dict[str, list[dict[str, Any]]] = {}
    files: dict[Path, tuple[str, str | None, str]] = {}  # path work costs syscalls; many queries share a file
    rules = [rule for group in alerts for rule in group.rules]
    sets = [(board.variables, board.queries) for board in dashboards]
    sets.append(((), tuple(q.query for rule in rules for q in rule.queries)))
    for board_variables, queries in sets:
        variables = {v.name: v for v in board_variables}
        variables_key = sorted((v.name, v.kind, v.takes_many, v.numeric, v.all_value) for v in board_variables)
        for query in queries:
            if query.file not in files:
                files[query.file] = (
                    relative_path(query.file, root),
                    _template_name(query.file, root),
                    _read(query.file),
                )
            file, template, source = files[query.file]
            key = _key(fingerprint, file, query.text, source, query.kind.name, variables_key, query.target)
            if key not in found:
                found[key] = (
                    cache[key]
                    if key in cache
                    else _check(query.kind, env, file, query.text, variables, query.target, root, template)
                )
    for rule in rules:
        key = _key(fingerprint, "alert-shape", rule.json)
        if key not in found:
            found[key] = cache[key] if key in cache else [asdict(p) for p in rule_shape_problems(rule, env, root)]
    if cache_results and found.keys() - cache.keys():
        _save(cache_path, {**document, env.name: found})
    rows = {tuple(sorted(p.items())) for problems in found.values() for p in problems}
    problems = [Problem(**dict(row)) for row in rows]
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.rule))


def _check(
    kind: DatasourceKind,
    env: Environment,
    file: str,
    text: str,
    variables: dict[str, TemplateVariable],
    target: dict[str, str],
    root: Path,
    template: str | None,
) -> list[dict[str, Any]]:
    request = CheckRequest(
        text=text,
        file=file,
        context=kind.context(env),
        variables=variables,
        target=target,
        template_root=str(root / QUERIES_DIR) if template is not None else None,
        template_name=template,
    )
    return [asdict(p) for p in kind.check(request)]


def _template_name(path: Path, root: Path) -> str | None:
    """The Jinja2 name of a query file (``athena/history/x.sql``), None if it is not under queries/."""
    try:
        return path.resolve().relative_to((root / QUERIES_DIR).resolve()).as_posix()
    except ValueError:
        return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _fingerprint(env: Environment, root: Path) -> str:
    digest = hashlib.sha256(json.dumps(asdict(env), sort_keys=True).encode())
    digest.update(metadata.version("sqlglot").encode())
    from connect_ingest import datamodel, published_metrics

    fragments = sorted((root / QUERIES_DIR).rglob("_*.*"))  # positions in findings point into them
    checkers = sorted(p for package in CHECKER_SOURCES for p in (REPOSITORY / package).glob("*.py"))
    checkers.append(REPOSITORY / "dashcompiler" / "alerts_shape.py")
    for path in [*checkers, Path(datamodel.__file__), Path(published_metrics.__file__), *fragments]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


Entries = dict[str, list[dict[str, Any]]]  # check key -> the problems found


def _load(path: Path) -> dict[str, Entries]:
    """Environment -> its entries; anything else (an older cache, a damaged file) counts as empty."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {env: entries for env, entries in data.items() if isinstance(entries, dict)}


def _save(path: Path, entries: dict[str, Entries]) -> None:
    """Write the cache whole (temp file, then rename); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, json.dumps(entries, sort_keys=True).encode())
    except OSError:
        return
