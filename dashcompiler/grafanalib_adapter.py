"""grafanalib's panel JSON made into what Grafana 12 stores: every repair in one place, one function each.

grafanalib targets older Grafanas; each function below names the Grafana behaviour it matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import DefinitionError

PANEL_TYPES = frozenset(
    {"timeseries", "stat", "gauge", "bargauge", "table", "piechart", "state-timeline", "barchart", "text"}
)
# Panel keys Grafana 12 reads; anything else grafanalib emits is legacy.
PANEL_KEYS = frozenset(
    {
        "datasource",
        "description",
        "fieldConfig",
        "gridPos",
        "id",
        "interval",
        "links",
        "maxDataPoints",
        "maxPerRow",
        "options",
        "repeat",
        "repeatDirection",
        "targets",
        "timeFrom",
        "timeShift",
        "title",
        "transformations",
        "transparent",
        "type",
    }
)
GRAFANALIB_DEFAULTS = {"maxDataPoints": 100, "transparent": False}


def panel_json(visual: Any, where: str) -> dict[str, Any]:
    """A grafanalib visual as the panel JSON Grafana 12 itself would save (without id, gridPos, targets)."""
    to_json = getattr(visual, "to_json_data", None)
    if to_json is None:
        raise DefinitionError(f"{where}: visual must be a grafanalib panel such as Stat, TimeSeries or Table")
    body = without_nulls(plain(to_json()))
    kind = body.get("type")
    if kind not in PANEL_TYPES:
        raise DefinitionError(
            f"{where}: panel type {kind!r} is not current Grafana; use one of {', '.join(sorted(PANEL_TYPES))}"
        )
    clean = current_keys_only(body)
    clean["description"] = clean.get("description") or ""
    defaults = clean.setdefault("fieldConfig", {"defaults": {}, "overrides": []}).setdefault("defaults", {})
    clean["fieldConfig"].setdefault("overrides", [])
    drop_no_value_none(defaults)
    defaults["thresholds"] = current_thresholds(defaults.get("thresholds"))
    if kind == "table":
        table_cell_options(clean["fieldConfig"])
    return clean


def plain(value: Any) -> Any:
    """grafanalib's object tree as plain JSON values (Grafana stores JSON, not objects)."""
    if hasattr(value, "to_json_data"):
        return plain(value.to_json_data())
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def without_nulls(value: Any) -> Any:
    """grafanalib writes null for every unset option; Grafana's own JSON leaves them out."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def current_keys_only(body: dict[str, Any]) -> dict[str, Any]:
    """Drop legacy panel keys and grafanalib's defaults Grafana 12 does not write (maxDataPoints 100, transparent)."""
    return {k: v for k, v in body.items() if k in PANEL_KEYS and GRAFANALIB_DEFAULTS.get(k, object()) != v}


def drop_no_value_none(defaults: dict[str, Any]) -> None:
    """grafanalib's noValue "none" would show the word "none"; Grafana leaves noValue unset."""
    if defaults.get("noValue") == "none":
        del defaults["noValue"]


def current_thresholds(value: Any) -> dict[str, Any]:
    """Any threshold shape grafanalib emits -> {mode, steps:[{color, value}]}, the first step's value null
    (-Infinity), as Grafana's threshold editor saves it."""
    mode = value.get("mode", "absolute") if isinstance(value, dict) else "absolute"
    raw = value.get("steps") if isinstance(value, dict) else value
    steps = []
    for step in raw if isinstance(raw, list) else []:
        number = step.get("value")
        steps.append({"color": step["color"], "value": None if number in (None, "null") else number})
    if not steps:
        steps = [{"color": "green", "value": None}]
    steps[0]["value"] = None
    return {"mode": mode, "steps": steps}


def table_cell_options(field_config: dict[str, Any]) -> None:
    """A table's `custom.displayMode` as the `custom.cellOptions` Grafana's V38 migration writes: grafanalib
    still emits the pre-10 string, and at our schemaVersion Grafana never migrates it (defaults and overrides)."""
    custom = field_config["defaults"].get("custom", {})
    if "displayMode" in custom:
        custom["cellOptions"] = _cell_options(custom.pop("displayMode"))
    for override in field_config["overrides"]:
        for prop in override.get("properties", []):
            if prop.get("id") == "custom.displayMode":
                prop["id"], prop["value"] = "custom.cellOptions", _cell_options(prop["value"])


def _cell_options(display_mode: str) -> dict[str, str]:
    if display_mode in ("basic", "gradient-gauge", "lcd-gauge"):
        return {"type": "gauge", "mode": {"gradient-gauge": "gradient", "lcd-gauge": "lcd"}.get(display_mode, "basic")}
    if display_mode in ("color-background", "color-background-solid"):
        return {"type": "color-background", "mode": "gradient" if display_mode == "color-background" else "basic"}
    return {"type": display_mode}
