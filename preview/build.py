"""Dashboards + data -> one HTML page per dashboard (and, on request, its PNG): what `dash preview` writes and
what `dash diff --png` draws before and after a change.

Each dashboard's panels run once on the data (localquery.dashboard), each panel's rows become the view Grafana
would show (preview.frames), and the page places them by gridPos (preview.page). A panel whose query fails shows
its error in place; the caller decides what that means for the exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from core.environment import Environment
from core.errors import OutputError, ToolError
from core.files import replace_file
from core.model import CompiledDashboard
from localquery.dashboard import DashboardRun, ElsewhereRunner, PanelOutcome, run_dashboards
from preview.frames import panel_view
from preview.page import PageInfo, PanelItem, layout, render_page


@dataclass(frozen=True)
class Preview:
    """One dashboard's page, and the panels that failed (key: message)."""

    uid: str
    html: Path
    failed: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...] = ()  # --var values this dashboard's data lacks
    png: Path | None = None


def dashboard_items(board: CompiledDashboard, run: DashboardRun) -> list[PanelItem]:
    """Rows and panels where the grid puts them, each panel with its view, error or reason it is not drawn."""
    keys = iter(board.panels)
    items = []
    where = board.source
    zone = str(board.json.get("timezone") or "utc")
    for kind, panel in layout(board.json):
        grid = panel.get("gridPos", {})
        x, y, w, h = (int(grid.get(k, d)) for k, d in (("x", 0), ("y", 0), ("w", 12), ("h", 8)))
        if kind == "row":
            items.append(PanelItem("", "row", str(panel.get("title", "")), "", 0, y, 24, 1, row=True))
            continue
        key, _title = next(keys)
        outcome = run.outcomes.get(key, PanelOutcome(key))
        item = PanelItem(key, str(panel.get("type")), str(panel.get("title", "")), str(panel.get("description", "")),
                         x, y, w, h, error=outcome.error, skipped=outcome.skipped)  # fmt: skip
        if outcome.error is None and outcome.skipped is None:
            try:
                view = panel_view(panel, outcome.results, f"{where}: panel {key!r}", zone)
            except (ToolError, ValueError) as exc:
                item = replace(item, error=f"{where}: panel {key!r}: {exc}")
            else:
                item = replace(item, view=view)
        items.append(item)
    return items


def write_previews(
    env: Environment,
    boards: Sequence[CompiledDashboard],
    data: Path,
    start: str,
    end: str,
    out: Path,
    assignments: Sequence[str] = (),
    elsewhere: tuple[str, ElsewhereRunner] | None = None,
    png: bool = False,
) -> list[Preview]:
    """``out/<uid>.html`` for each dashboard, over ``data`` in [start, end] with ``assignments`` (NAME=VALUE);
    ``elsewhere`` runs one kind's panels outside DuckDB (InfluxQL on a running InfluxDB); with ``png``, also
    ``out/<uid>.png`` through headless Chromium (preview.png)."""
    runs = run_dashboards(env, boards, data, start, end, assignments, elsewhere)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot create it ({exc.strerror}); choose a writable directory") from None
    written = []
    for board in boards:
        run = runs[board.uid]
        items = dashboard_items(board, run)
        panels = {key: body for key, _t in board.panels if (body := board.panel_json(key)) is not None}
        chosen = ", ".join(f"${u.name} = {u.value} ({u.origin})" for u in run.variables)
        zone = str(board.json.get("timezone") or "utc")
        page = PageInfo(board.title, str(data), start, end, chosen or ", ".join(assignments) or "none used", zone)
        path = out / f"{board.uid}.html"
        replace_file(path, render_page(page, items, panels).encode())
        failed = tuple((i.key, i.error) for i in items if i.error is not None)
        written.append(Preview(board.uid, path, failed, run.warnings))
    if not png:
        return written
    from preview.png import screenshots

    pictures = screenshots([page.html for page in written])
    return [Preview(p.uid, p.html, p.failed, p.warnings, picture) for p, picture in zip(written, pictures, strict=True)]
