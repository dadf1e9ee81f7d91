"""How many queries a dashboard sends per refresh, read from the JSON Grafana stores, as Grafana counts them.

Grafana sends every target of every panel that is not hidden (`hide: true`), collapsed rows' panels included
(their queries run when the row opens; counted, so that collapsing a row never hides load). A target of the
built-in Dashboard datasource sends nothing: it re-uses another panel's result (see dashcompiler/render.py).
Template variables' queries run on load or on a change of range, not on each refresh, and are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

DASHBOARD_UID = "-- Dashboard --"
_REFRESH = re.compile(r"^(\d+)(s|m|h|d)$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _panels(panels: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels") or [])


def _sends(panel: Mapping[str, Any], target: Mapping[str, Any]) -> bool:
    datasource = target.get("datasource") or panel.get("datasource") or {}
    return not target.get("hide") and datasource.get("uid") != DASHBOARD_UID


def queries_per_refresh(dashboard: Mapping[str, Any]) -> int:
    """The queries one refresh of ``dashboard`` (its stored JSON) sends to datasources."""
    return sum(
        1 for panel in _panels(dashboard.get("panels") or []) for t in panel.get("targets") or [] if _sends(panel, t)
    )


def refreshes_per_minute(refresh: str) -> float:
    """Grafana's auto-refresh interval ("5s", "1m"...) as refreshes per minute; none (or "") is 0."""
    match = _REFRESH.match(refresh or "")
    if match is None:
        return 0.0
    seconds = int(match.group(1)) * _SECONDS[match.group(2)]
    return 60 / seconds if seconds else 0.0
