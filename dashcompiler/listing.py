"""What `dash list` prints: one line per panel query, per query-less panel, per variable query."""

from __future__ import annotations

from pathlib import Path

from dashcompiler.build import relative_path
from dashcompiler.render import Compiled

HEADER = ("dashboard", "dashboard title", "panel", "title", "datasource", "query file")
NONE = "-"


def list_rows(dashboards: tuple[Compiled, ...], root: Path) -> list[tuple[str, ...]]:
    """Every panel in layout order (a panel with no query gets "-" for datasource and file), then variables."""
    rows: list[tuple[str, ...]] = []
    for board in dashboards:
        by_owner: dict[str, list[tuple[str, str]]] = {}
        for query in board.queries:
            by_owner.setdefault(query.owner, []).append((query.datasource, relative_path(query.file, root)))
        titles = {query.owner: query.title for query in board.queries}
        owners = [*board.panels, *((o, titles[o]) for o in by_owner if o.startswith("$"))]
        for owner, title in owners:
            for datasource, file in by_owner.get(owner) or [(NONE, NONE)]:
                rows.append((board.uid, board.title, owner, title, datasource, file))
    return rows
