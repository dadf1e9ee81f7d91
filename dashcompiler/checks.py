"""Check every shipped query against the data model: what `dash validate` and `dash build` run."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dashcompiler.config import Environment
from dashcompiler.render import Compiled
from sqlcheck import Problem, VariableSample, check_query


def check_queries(env: Environment, dashboards: Iterable[Compiled], root: Path) -> list[Problem]:
    """All problems of all queries, each file checked once per distinct use."""
    problems: list[Problem] = []
    seen: set[tuple[str, str, tuple[tuple[str, bool, bool], ...], tuple[tuple[str, str], ...]]] = set()
    for board in dashboards:
        variables = {v.name: VariableSample(multi=v.multi, numeric=v.numeric) for v in board.variables}
        signature = tuple(sorted((v.name, v.multi, v.numeric) for v in board.variables))
        for query in board.queries:
            key = (str(query.file), query.sql, signature, tuple(sorted(query.target.items())))
            if key in seen:
                continue
            seen.add(key)
            problems += check_query(
                query.sql,
                file=_relative(query.file, root),
                datasource="timestream" if query.datasource == "timestream" else "athena",
                env=env,
                variables=variables,
                target=query.target,
            )
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.rule))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
