"""`dash validate --data`: every panel and variable query of an environment's dashboards run on a data directory,
with the default selection and with one value of each variable, and what a supervisor would see as an empty or
broken panel reported as findings: no rows, only nulls, or the engine's refusal.

A query clean under the static checks can still show nothing: a filter that misses under "All", a join on a
name the data spells differently, a type DuckDB (and Athena) will not compare. Each finding names the dashboard,
the panel, the variable values and the query file, in validate's own finding format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.environment import Environment
from core.errors import ToolError
from core.model import CompiledDashboard, PanelOwner, RenderedQuery
from core.problems import Problem
from localquery.run import (
    Result,
    Session,
    choose,
    execute,
    open_session,
    panel_variables,
    parse_instant,
    time_range,
)
from localquery.selection import ALL, Selection, Variable


@dataclass(frozen=True)
class DataCheck:
    """What ran and what it found."""

    problems: list[Problem]
    queries: int  # query runs, every selection counted
    dashboards: int


def _values(used: Sequence[str], chosen: Mapping[str, Selection]) -> str:
    shown = []
    for name in used:
        selection = chosen.get(name)
        if selection is not None:
            value = "All" if selection.all else ",".join(selection.values) or "(none)"
            shown.append(f"${name}={value}")
    return ", ".join(shown) if shown else "no variables"


def _empty(result: Result) -> str | None:
    """The finding's rule for what a panel would show as nothing, or None."""
    if not result.rows:
        return "no-rows"
    if all(value is None for row in result.rows for value in row):
        return "only-nulls"
    return None


def _finding(query: RenderedQuery, rule: str, what: str, selection: str, root: Path) -> Problem:
    file = query.file
    try:
        shown = str(file.relative_to(root)) if file.is_absolute() else str(file)
    except ValueError:
        shown = str(file)
    owner = (
        f"panel {query.owner.key!r} ({query.title})"
        if isinstance(query.owner, PanelOwner)
        else (f"variable {query.owner}")
    )
    return Problem(shown, 1, 1, rule, f"{query.dashboard}, {owner}, with {selection}: {what}")


def _may_be_empty(board: CompiledDashboard, query: RenderedQuery) -> bool:
    """A panel that says what nothing means (Grafana's noValue: "No contact waiting") may show nothing."""
    if not isinstance(query.owner, PanelOwner):
        return False
    body = board.panel_json(query.owner.key) or {}
    return bool(body.get("fieldConfig", {}).get("defaults", {}).get("noValue"))


_SAID = {"no-rows": "returns no rows", "only-nulls": "returns only nulls"}


def _run(
    session: Session,
    board: CompiledDashboard,
    queries: Sequence[RenderedQuery],
    given: Mapping[str, tuple[str, ...]],
    root: Path,
    found: list[Problem],
) -> int:
    """Run ``queries`` under one selection; returns how many ran (a selection that cannot be made is a finding)."""
    try:
        variables, chosen = choose(session, board, given)
    except ToolError as exc:
        asked = ", ".join(f"${name}={','.join(values)}" for name, values in given.items()) or "the default selection"
        found.append(_finding(queries[0], "no-selection", f"the selection cannot be made: {exc}", asked, root))
        return 0
    for query in queries:
        used = panel_variables(board, [query])
        try:
            result = execute(session, query, variables, chosen)
        except ToolError as exc:
            found.append(_finding(query, "query-error", str(exc), _values(used, chosen), root))
            continue
        rule = _empty(result)
        if rule is not None and not _may_be_empty(board, query):
            found.append(_finding(query, rule, _SAID[rule], _values(used, chosen), root))
    return len(queries)


def _one_value(
    session: Session,
    board: CompiledDashboard,
    var: Variable,
    variables: Sequence[Variable],
    chosen: Mapping[str, Selection],
) -> str | None:
    """A single value of ``var`` other than its default (``chosen``): its query's first, or its first option."""
    if var.kind == "query":
        query = board.variable_query(var.name)
        if query is None:
            return None
        options = [str(row[0]) for row in execute(session, query, variables, chosen).rows if row[0] is not None]
    else:
        options = list(var.options)
    selected = chosen.get(var.name)
    default = set(var.current) | set(selected.values if selected is not None and not selected.all else ())
    return next((o for o in options if o not in default and o not in ALL), None)


def check_data(
    env: Environment, dashboards: Sequence[CompiledDashboard], data: Path, start: str, end: str, root: Path
) -> DataCheck:
    """Every dashboard's queries over ``data`` in [start, end] ("now" at ``end``), as `dash query` runs them."""
    tr = time_range(parse_instant(start, "--from"), parse_instant(end, "--to"))
    session = open_session(data, env, tr)
    found: list[Problem] = []
    runs = 0
    try:
        for board in dashboards:
            panels = [q for q in board.queries if isinstance(q.owner, PanelOwner)]
            variable_queries = [q for q in board.queries if not isinstance(q.owner, PanelOwner)]
            runs += _run(session, board, [*variable_queries, *panels], {}, root, found)
            try:
                variables, chosen = choose(session, board, {})
            except ToolError:
                continue  # the default run has reported why
            for var in board.variables:
                try:
                    value = _one_value(session, board, var, variables, chosen)
                except ToolError:
                    continue  # the default run has reported why
                if value is None:
                    continue
                users = [q for q in panels if var.name in panel_variables(board, [q])]
                if users:
                    runs += _run(session, board, users, {var.name: (value,)}, root, found)
    finally:
        session.con.close()
    return DataCheck(_unique(found), runs, len(dashboards))


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def span_of(data: Path) -> tuple[str, str] | None:
    """A `dash simulate` folder's span: its first arrival to its last, from manifest.json (None without one)."""
    import json

    manifest = data / "manifest.json"
    if not manifest.is_file():
        return None
    body: Any = json.loads(manifest.read_text(encoding="utf-8"))
    span = body.get("time_span", {}) if isinstance(body, dict) else {}
    if "start" not in span or "arrivals_end" not in span:
        return None
    return str(span["start"]), str(span["arrivals_end"])
