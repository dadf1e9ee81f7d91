"""Each revision's panels run on the same data: which panels a change touches, and their rows or why none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import QueryError, ToolError
from core.model import CompiledDashboard, PanelOwner
from core.timerange import TimeRange
from dashcompiler.compile import Model
from localquery.run import Result, choose, execute, open_session, panel_queries, referenced_tables, shown


@dataclass(frozen=True)
class PanelValues:
    """One panel as one revision computes it: its JSON (units, decimals, type), its rows, or why it has none."""

    key: str
    title: str
    panel: Mapping[str, Any] | None
    results: tuple[Result, ...] = ()
    problem: str | None = None  # the engine's error, or why the local engine cannot run the panel


def data_panels(board: CompiledDashboard) -> list[str]:
    """The keys of the panels that show data (their own queries' or another panel's), in layout order."""
    owners = {q.owner.key for q in board.queries if isinstance(q.owner, PanelOwner)}
    fed = {d.key for d in board.data}
    return [key for key, _title in board.panels if key in owners or key in fed]


def definition(board: CompiledDashboard, key: str) -> tuple[Any, ...]:
    """What decides a panel's values and their display: its JSON but its place, and its source's query texts."""
    body = {k: v for k, v in (board.panel_json(key) or {}).items() if k != "gridPos"}
    data = board.panel_data(key)
    return body, data.source, data.fields, tuple(q.text for q in board.panel_queries(data.source))


def changed_dashboards(old: Model, new: Model) -> list[tuple[CompiledDashboard | None, CompiledDashboard | None]]:
    """(before, after) of every dashboard that differs in any way, the current ones' order first, then removed."""
    before = {b.uid: b for b in old.dashboards}
    after = {b.uid: b for b in new.dashboards}
    pairs: list[tuple[CompiledDashboard | None, CompiledDashboard | None]] = [
        (before.get(b.uid), b) for b in new.dashboards
    ]
    pairs += [(b, None) for b in old.dashboards if b.uid not in after]
    return [(a, b) for a, b in pairs if a is None or b is None or _whole(a) != _whole(b)]


def _whole(board: CompiledDashboard) -> tuple[Any, ...]:
    return board.json, tuple(q.text for q in board.queries), board.data


def board_assignments(board: CompiledDashboard, given: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The --var values of the variables this dashboard declares (one --var list serves every dashboard)."""
    names = {v.name for v in board.variables}
    return {name: values for name, values in given.items() if name in names}


def run_panels(
    model: Model,
    wanted: Mapping[str, Sequence[str]],
    data: Path,
    time_range: TimeRange,
    given: Mapping[str, tuple[str, ...]],
) -> dict[tuple[str, str], PanelValues]:
    """The ``wanted`` panels (dashboard uid -> keys) over ``data`` in one DuckDB session, as `dash query` runs each;
    a panel that fails keeps its error, so one broken query does not hide the other panels' values."""
    boards = {b.uid: b for b in model.dashboards if b.uid in wanted}
    queries = [q for b in boards.values() for q in b.queries if q.kind.local_dialect is not None]
    values: dict[tuple[str, str], PanelValues] = {}
    if not boards:
        return values
    session = open_session(data, model.env, time_range, referenced_tables(queries, model.env))
    try:
        for uid, board in boards.items():
            titles = dict(board.panels)
            try:
                variables, chosen = choose(session, board, board_assignments(board, given))
            except ToolError as exc:
                for key in wanted[uid]:
                    values[uid, key] = PanelValues(key, titles[key], board.panel_json(key), problem=str(exc))
                continue
            for key in wanted[uid]:
                panel = board.panel_json(key)
                try:
                    found = panel_queries(board, key)
                    idle = [q for q in found if q.kind.local_dialect is None]
                    if idle:
                        raise QueryError(f"not run: no local engine reads {idle[0].kind.display_name}")
                    results = shown(board, key, [execute(session, q, variables, chosen) for q in found])
                except ToolError as exc:
                    values[uid, key] = PanelValues(key, titles[key], panel, problem=str(exc))
                    continue
                values[uid, key] = PanelValues(key, titles[key], panel, tuple(results))
    finally:
        session.con.close()
    return values
