"""Each revision's panels run on the same data: which panels a change touches, and their rows or why none."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.model import CompiledDashboard, PanelOwner
from dashcompiler.compile import Model
from localquery.dashboard import run_dashboards
from localquery.run import Result


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


def assignments_for(boards: Sequence[CompiledDashboard], given: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The --var values (NAME=VALUE) of the variables these dashboards declare: one --var list serves every
    dashboard of both revisions, and a variable only unchanged dashboards declare is no error here."""
    names = {v.name for board in boards for v in board.variables}
    return [f"{name}={value}" for name, values in given.items() if name in names for value in values]


def run_panels(
    model: Model, uids: Collection[str], data: Path, start: str, end: str, given: Mapping[str, tuple[str, ...]]
) -> dict[tuple[str, str], PanelValues]:
    """Every data panel of the dashboards ``uids`` over ``data``, as `dash preview` runs them
    (localquery.dashboard); a panel that fails keeps its error, so one broken query hides no other panel."""
    boards = [b for b in model.dashboards if b.uid in uids]
    if not boards:
        return {}
    runs = run_dashboards(model.env, boards, data, start, end, assignments_for(boards, given))
    values: dict[tuple[str, str], PanelValues] = {}
    for board in boards:
        titles = dict(board.panels)
        for key in data_panels(board):
            outcome = runs[board.uid].outcomes[key]
            problem = outcome.error or (f"not run: {outcome.skipped}" if outcome.skipped else None)
            values[board.uid, key] = PanelValues(key, titles[key], board.panel_json(key), outcome.results, problem)
    return values
