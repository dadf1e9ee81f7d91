"""Check the data model's declaration, then every shipped query against it: what `dash validate` and `dash build` run.

Results are cached per query in .dash-cache/ (not committed), keyed by the
query, its template's text, its variables and target, the environment, and a
fingerprint of the checker's code, the data model, the shared fragments
(queries/**/_*.sql) and sqlglot's version, so a rebuild whose SQL did not
change does not even import the parser.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashcompiler.build import relative_path
from dashcompiler.config import Environment
from dashcompiler.errors import DefinitionError
from dashcompiler.render import Compiled

if TYPE_CHECKING:
    from sqlcheck import Problem

CACHE_FILE = Path(".dash-cache") / "validate.json"
CHECKER_SOURCES = Path(__file__).resolve().parents[1] / "sqlcheck"
QUERIES_DIR = "queries"


def check_data_model() -> None:
    """Timestream's rules on the declaration, before anything is built from it (Terraform creates tables by it)."""
    from connect_ingest import datamodel

    problems = datamodel.check_declaration(datamodel.TIMESTREAM_TABLES, datamodel.GLUE_TABLES)
    if problems:
        where = relative_path(Path(datamodel.__file__), CHECKER_SOURCES.parent)
        lines = "\n".join(f"{where}: {problem}" for problem in problems)
        raise DefinitionError(f"{len(problems)} problem(s) in the data-model declaration; nothing was written\n{lines}")


def check_queries(
    env: Environment, dashboards: Iterable[Compiled], root: Path, *, cache_results: bool = True
) -> list[Problem]:
    """All problems of all queries, each distinct query checked once (``cache_results=False``: no cache at all)."""
    cache_path = root / CACHE_FILE
    cache = _load(cache_path) if cache_results else {}
    fingerprint = _fingerprint(env, root)
    found: dict[str, list[dict[str, Any]]] = {}
    files: dict[Path, tuple[str, str | None, str]] = {}  # path work costs syscalls; many queries share a file
    for board in dashboards:
        variables = sorted((v.name, v.multi, v.numeric, v.all_value) for v in board.variables)
        for query in board.queries:
            if query.file not in files:
                files[query.file] = (
                    relative_path(query.file, root),
                    _template_name(query.file, root),
                    _read(query.file),
                )
            file, template, source = files[query.file]
            key = _key(fingerprint, file, query.sql, source, query.datasource, variables, query.target)
            if key not in found:
                found[key] = (
                    cache[key]
                    if key in cache
                    else _check(env, file, query.sql, query.datasource, variables, query.target, root, template)
                )
    if cache_results and found.keys() - cache.keys():
        _save(cache_path, found)
    rows = {tuple(sorted(p.items())) for problems in found.values() for p in problems}
    if not rows:
        return []
    from sqlcheck import Problem

    problems = [Problem(**dict(row)) for row in rows]
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.rule))


def _check(
    env: Environment,
    file: str,
    sql: str,
    datasource: str,
    variables: list[tuple[str, bool, bool, str]],
    target: dict[str, str],
    root: Path,
    template: str | None,
) -> list[dict[str, Any]]:
    from sqlcheck import QueryTemplate, VariableSample, check_query

    problems = check_query(
        sql,
        file=file,
        datasource="timestream" if datasource == "timestream" else "athena",
        env=env,
        variables={name: VariableSample(multi, numeric, all_value) for name, multi, numeric, all_value in variables},
        target=target,
        template=QueryTemplate(root / QUERIES_DIR, template) if template is not None else None,
    )
    return [asdict(p) for p in problems]


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
    from connect_ingest import datamodel

    fragments = sorted((root / QUERIES_DIR).rglob("_*.sql"))  # positions in findings point into them
    for path in [*sorted(CHECKER_SOURCES.glob("*.py")), Path(datamodel.__file__), *fragments]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _load(path: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, entries: dict[str, list[dict[str, Any]]]) -> None:
    """Write the cache whole (temp file, then rename); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".validate-")
        with os.fdopen(fd, "w") as handle:
            json.dump(entries, handle, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        return
