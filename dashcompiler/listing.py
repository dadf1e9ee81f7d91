"""What `dash list` prints: one line per panel query, per query-less panel, per variable (with or without a query)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.model import CompiledDashboard, VariableOwner
from core.paths import relative_path

HEADER = ("dashboard", "dashboard title", "panel", "title", "datasource", "query file", "default")
NONE = "-"
REUSE = "dashboard"  # Grafana's Dashboard datasource: the panel shows another panel's result


def list_rows(dashboards: tuple[CompiledDashboard, ...], root: Path) -> list[tuple[str, ...]]:
    """Every panel in layout order (a panel with no query gets "-" for datasource and file, one re-using another's
    result "dashboard" and "panel <source key>"), then every variable as `$name`: a query variable with its kind and
    file, a custom, constant or interval one with its type, each with the value Grafana selects when the dashboard
    opens."""
    rows: list[tuple[str, ...]] = []
    for board in dashboards:
        by_owner: dict[str, list[tuple[str, str]]] = {}
        for query in board.queries:
            by_owner.setdefault(str(query.owner), []).append((query.kind.name, relative_path(query.file, root)))
        for key, source in ((d.key, d.source) for d in board.data if d.source != d.key):
            by_owner[key] = [(REUSE, f"panel {source}")]
        for owner, title in board.panels:
            for datasource, file in by_owner.get(owner) or [(NONE, NONE)]:
                rows.append((board.uid, board.title, owner, title, datasource, file, ""))
        for variable in board.json.get("templating", {}).get("list", []):
            owner = str(VariableOwner(variable["name"]))
            label = variable.get("label") or variable["name"]
            default = opening_value(variable)
            for datasource, file in by_owner.get(owner) or [(variable["type"], NONE)]:
                rows.append((board.uid, board.title, owner, label, datasource, file, default))
    return rows


def opening_value(variable: dict[str, Any]) -> str:
    """What Grafana selects on opening: the saved current value, else All when offered, else the first value
    (of the query's answer, for a query variable)."""
    current = variable.get("current") or {}
    text = current.get("text")
    if text:
        return ", ".join(text) if isinstance(text, list) else str(text)
    if variable.get("includeAll"):
        return "All"
    return "first value" if variable["type"] == "query" else NONE
