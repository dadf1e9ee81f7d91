"""The values both revisions compute: the definitions at REF and now, each run on the same data and range."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from core.errors import ToolError, UsageError
from core.model import CompiledDashboard
from dashcompiler.compile import Model
from localquery.run import parse_instant, time_range
from localquery.selection import parse_assignments
from valuediff.compare import PanelDiff, compare_panel
from valuediff.images import dashboard_images
from valuediff.markdown import BoardValues, render_values
from valuediff.panels import changed_dashboards, data_panels, definition, run_panels
from valuediff.revision import Revision, ref_revision, revision


def value_diff(
    root: Path,
    ref: str,
    env: str | None,
    data: Path,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
    png: Path | None = None,
) -> str:
    """The values section (Markdown) of `dash diff --git REF --data DIR`; with ``png``, each changed dashboard's
    before and after images under png/before and png/after, named in each dashboard's section."""
    time_range(parse_instant(start, "--from"), parse_instant(end, "--to"))  # a bad range said before compiling
    given = parse_assignments(assignments)
    with tempfile.TemporaryDirectory(prefix="dash-diff-") as tmp:
        old = ref_revision(root, ref, env, Path(tmp))
    new = revision(root, env)
    _check_variables(given.keys(), old.model, new.model)
    boards = compare_models(old, new, data, start, end, given)
    if png is not None:
        uids = {b.uid for b in boards}
        before = dashboard_images(old, uids, data, start, end, given, png / "before")
        after = dashboard_images(new, uids, data, start, end, given, png / "after")
        boards = [replace(b, images=(before.get(b.uid), after.get(b.uid))) for b in boards]
    notes = list(dict.fromkeys(n for n in (old.note, new.note) if n))
    chosen = ", ".join(f"{name}={','.join(values)}" for name, values in given.items())
    notes.append(
        f"variables: {chosen}; the others at each dashboard's default"
        if chosen
        else "variables: each dashboard's default"
    )
    heading = f"Values before ({ref}) and after, on {data} from {start} to {end}"
    return render_values(boards, heading, notes)


def compare_models(
    old: Revision, new: Revision, data: Path, start: str, end: str, given: dict[str, tuple[str, ...]]
) -> list[BoardValues]:
    """Every panel of every changed dashboard run in both revisions; kept when its definition or values changed."""
    pairs = changed_dashboards(old.model, new.model)
    before = run_panels(old.local, {a.uid for a, _ in pairs if a}, data, start, end, given)
    after = run_panels(new.local, {b.uid for _, b in pairs if b}, data, start, end, given)
    boards = []
    for a, b in pairs:
        board = b or a
        assert board is not None  # a pair has a dashboard on one side at least
        keys_a = data_panels(a) if a else []
        keys_b = data_panels(b) if b else []
        panels: list[PanelDiff] = []
        for key in [*keys_b, *(k for k in keys_a if k not in keys_b)]:
            old_values = before[a.uid, key] if a and key in keys_a else None
            new_values = after[b.uid, key] if b and key in keys_b else None
            redefined = a is None or b is None or definition(a, key) != definition(b, key)
            try:
                diff = compare_panel(old_values, new_values, redefined)
            except ToolError as exc:
                some = new_values or old_values
                assert some is not None
                diff = PanelDiff(key, some.title, "changed", problems=(None, str(exc)))
            if redefined or diff.changed:
                twin = twinned(board, (new if b else old).local, key)
                panels.append(replace(diff, note=TWIN_NOTE) if twin else diff)
        boards.append(BoardValues(board.uid, board.title, tuple(panels)))
    return boards


TWIN_NOTE = "values of its Timestream SQL twin"


def twinned(board: CompiledDashboard, local: Model, key: str) -> bool:
    """Whether the local engine ran another query than Grafana would: the panel's real-time twin."""
    ran = next(b for b in local.dashboards if b.uid == board.uid)
    kinds = [q.kind.name for q in board.panel_queries(board.panel_data(key).source)]
    return kinds != [q.kind.name for q in ran.panel_queries(ran.panel_data(key).source)]


def _check_variables(names: Iterable[str], old: Model, new: Model) -> None:
    declared = {v.name for m in (old, new) for b in m.dashboards for v in b.variables}
    unknown = sorted(set(names) - declared)
    if unknown:
        raise UsageError(
            f"--var {unknown[0]}: no dashboard declares that variable; they declare: {', '.join(sorted(declared))}"
        )
