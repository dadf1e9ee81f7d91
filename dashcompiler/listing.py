"""What `dash list` prints: one line per panel query, per query-less panel, per variable query."""

from __future__ import annotations

from pathlib import Path

from core.model import CompiledDashboard, VariableOwner
from core.paths import relative_path

HEADER = ("dashboard", "dashboard title", "panel", "title", "datasource", "query file")
NONE = "-"
REUSE = "dashboard"  # Grafana's Dashboard datasource: the panel shows another panel's result


def list_rows(dashboards: tuple[CompiledDashboard, ...], root: Path) -> list[tuple[str, ...]]:
    """Every panel in layout order (a panel with no query gets "-" for datasource and file, one re-using another's
    result "dashboard" and "panel <source key>"), then variables."""
    rows: list[tuple[str, ...]] = []
    for board in dashboards:
        by_owner: dict[str, list[tuple[str, str]]] = {}
        titles: dict[str, str] = {}
        variables: list[str] = []
        for query in board.queries:
            owner = str(query.owner)
            by_owner.setdefault(owner, []).append((query.kind.name, relative_path(query.file, root)))
            titles[owner] = query.title
            if isinstance(query.owner, VariableOwner) and owner not in variables:
                variables.append(owner)
        for key, source in ((d.key, d.source) for d in board.data if d.source != d.key):
            by_owner[key] = [(REUSE, f"panel {source}")]
        for owner, title in [*board.panels, *((o, titles[o]) for o in variables)]:
            for datasource, file in by_owner.get(owner) or [(NONE, NONE)]:
                rows.append((board.uid, board.title, owner, title, datasource, file))
    return rows
