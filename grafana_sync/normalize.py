"""One normalised form of a dashboard, so that live and built copies compare without noise.

Grafana adds or rewrites fields on save and on load (id, version, iteration, migrated
schemaVersion, pluginVersion, default-valued keys, key order, panel order); none of them is a
change a user made, so both sides drop them before comparing. The push records the hash of the
normalised content it wrote in PUSH_HASH_FIELD, which is how a later push tells "changed in
Grafana since the last push" from "only the repository changed".
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

PUSH_HASH_FIELD = "dashPushHash"

_TOP_LEVEL_NOISE = {"id", "version", "iteration", "schemaVersion", PUSH_HASH_FIELD}
_PANEL_NOISE = {"pluginVersion"}
# Keys Grafana fills in with these values when absent; dropped on both sides when they hold them.
_TOP_LEVEL_DEFAULTS: dict[str, Any] = {
    "gnetId": None,
    "links": [],
    "fiscalYearStartMonth": 0,
    "liveNow": False,
    "weekStart": "",
    "graphTooltip": 0,
    "editable": True,
    "tags": [],
}
_PANEL_DEFAULTS: dict[str, Any] = {"links": [], "transparent": False, "repeatDirection": "h"}


class _Missing:
    """Sentinel: no default is known for a key."""


_MISSING = _Missing()


def normalise(model: dict[str, Any]) -> dict[str, Any]:
    """A copy without Grafana-side fields, with panels in grid order (their array order is not meaningful)."""
    result = {
        key: _strip_nulls(value)
        for key, value in model.items()
        if key not in _TOP_LEVEL_NOISE and value is not None and _TOP_LEVEL_DEFAULTS.get(key, _MISSING) != value
    }
    if isinstance(result.get("panels"), list):
        result["panels"] = _panels(result["panels"])
    return result


def content_hash(model: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the normalised dashboard."""
    return "sha256:" + hashlib.sha256(canonical(normalise(model)).encode()).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def with_push_hash(model: dict[str, Any]) -> dict[str, Any]:
    """The dashboard as pushed: id cleared, version left to the caller, the content hash recorded."""
    return {**model, "id": None, PUSH_HASH_FIELD: content_hash(model)}


def _panels(panels: list[Any]) -> list[Any]:
    cleaned = []
    for panel in panels:
        if not isinstance(panel, dict):
            cleaned.append(panel)
            continue
        item = {k: v for k, v in panel.items() if k not in _PANEL_NOISE and _PANEL_DEFAULTS.get(k, _MISSING) != v}
        if isinstance(item.get("panels"), list):
            item["panels"] = _panels(item["panels"])
        cleaned.append(item)
    return sorted(cleaned, key=_grid_key)


def _grid_key(panel: Any) -> tuple[int, int, str]:
    if not isinstance(panel, dict):
        return (0, 0, "")
    grid = panel.get("gridPos")
    if not isinstance(grid, dict):
        grid = {}
    return (int(grid.get("y", 0)), int(grid.get("x", 0)), str(panel.get("id", "")))


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value
