"""A checked definition plus an environment -> the dashboard JSON Grafana stores.

Output is what Grafana 12 writes itself (schemaVersion from dash.yaml), with
nothing grafanalib adds for older Grafanas: no legacy top-level fields, no
nulls, thresholds in the current shape, datasources as {type, uid}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashcompiler.config import Environment
from dashcompiler.define import Dashboard, Panel, Row
from dashcompiler.definitions import panel_id, row_key
from dashcompiler.errors import DefinitionError
from dashcompiler.layout import Box, GridPos, LayoutError, RowBoxes, layout
from dashcompiler.queries import QueryTemplates, RenderedQuery
from dashcompiler.variables import VariableUse, render_variable, variable_uses

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
BUILTIN_ANNOTATIONS = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}


@dataclass(frozen=True)
class Compiled:
    """One rendered dashboard and the queries it ships, for checks and listing."""

    uid: str
    title: str
    folder_uid: str
    json: dict[str, Any]
    queries: tuple[RenderedQuery, ...]
    variables: tuple[VariableUse, ...]
    panels: tuple[tuple[str, str], ...]  # (key, title) of every panel in layout order, with or without queries


def render_dashboard(
    board: Dashboard, source: str, env: Environment, schema_version: int, templates: QueryTemplates
) -> Compiled:
    where = f"{source}: dashboard {board.uid!r}"
    if board.folder not in env.folders:
        raise DefinitionError(
            f"{where}: folder {board.folder!r} is not in environment {env.name!r} (dash.yaml folders: "
            f"{', '.join(sorted(env.folders))})"
        )
    queries: list[RenderedQuery] = []
    panels, listed = _render_panels(board, where, env, templates, queries)
    variables = [render_variable(v, board.uid, where, env, templates, queries) for v in board.variables]
    body: dict[str, Any] = {
        "annotations": {"list": [BUILTIN_ANNOTATIONS]},
        "description": board.description,
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "panels": panels,
        "refresh": board.refresh,
        "schemaVersion": schema_version,
        "tags": sorted(board.tags),
        "templating": {"list": variables},
        "time": {"from": board.time_from, "to": board.time_to},
        "timepicker": {},
        "timezone": board.timezone,
        "title": board.title,
        "uid": board.uid,
        "weekStart": "",
    }
    return Compiled(board.uid, board.title, board.folder, body, tuple(queries), variable_uses(board), tuple(listed))


def _render_panels(
    board: Dashboard,
    where: str,
    env: Environment,
    templates: QueryTemplates,
    queries: list[RenderedQuery],
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The dashboard's panels JSON, and (key, title) of every panel for listing."""
    try:
        placed = layout(
            [
                RowBoxes(bool(row.title), [Box(p.key, p.width, p.height, p.x, p.y) for p in row.panels], row.collapsed)
                for row in board.rows
            ]
        )
    except LayoutError as exc:
        raise DefinitionError(f"{where}: {exc}") from None
    out: list[dict[str, Any]] = []
    listed: list[tuple[str, str]] = []
    for row, (header, positions) in zip(board.rows, placed, strict=True):
        children = [
            _panel_json(
                panel, panel_id(panel.key), pos, f"{where}, panel {panel.key!r}", board.uid, env, templates, queries
            )
            for panel, pos in zip(row.panels, positions, strict=True)
        ]
        listed.extend(
            (panel.key, str(child.get("title", ""))) for panel, child in zip(row.panels, children, strict=True)
        )
        if header is None:
            out.extend(children)
        elif row.collapsed:
            out.append(_row_json(row, panel_id(row_key(row)), header, children))
        else:
            out.append(_row_json(row, panel_id(row_key(row)), header, []))
            out.extend(children)
    return out, listed


def _row_json(row: Row, pid: int, pos: GridPos, children: list[dict[str, Any]]) -> dict[str, Any]:
    """A row header; a collapsed row carries its panels, as Grafana stores it."""
    return {
        "collapsed": row.collapsed,
        "gridPos": pos.as_json(),
        "id": pid,
        "panels": children,
        "title": row.title,
        "type": "row",
    }


def _panel_json(
    panel: Panel,
    pid: int,
    pos: GridPos,
    where: str,
    dashboard_uid: str,
    env: Environment,
    templates: QueryTemplates,
    queries: list[RenderedQuery],
) -> dict[str, Any]:
    to_json = getattr(panel.visual, "to_json_data", None)
    if to_json is None:
        raise DefinitionError(f"{where}: visual must be a grafanalib panel such as Stat, TimeSeries or Table")
    body = _clean_panel(_without_nulls(_plain(to_json())), where)
    if panel.decimals is not None:
        body["fieldConfig"]["defaults"]["decimals"] = panel.decimals
    if panel.unit is not None:
        body["fieldConfig"]["defaults"]["unit"] = panel.unit
    if panel.display_name is not None:
        body["fieldConfig"]["defaults"]["displayName"] = panel.display_name
    targets = []
    for query in panel.queries:
        ref = env.datasource_ref(query.datasource)
        sql = templates.render(query.datasource, query.sql, where)
        target_fields = _macro_fields(query)
        queries.append(
            RenderedQuery(
                dashboard_uid,
                panel.key,
                str(body.get("title", "")),
                query.datasource,
                templates.path(query.datasource, query.sql),
                sql,
                target_fields,
            )
        )
        targets.append(query.target(sql, ref))
    body["id"] = pid
    body["gridPos"] = pos.as_json()
    body["targets"] = targets
    if targets:
        body["datasource"] = targets[0]["datasource"]
    else:
        body.pop("datasource", None)
    return body


def _macro_fields(query: Any) -> dict[str, str]:
    names = ("database", "table", "measure") if query.datasource == "timestream" else ("table", "column")
    return {name: getattr(query, name) for name in names}


def _plain(value: Any) -> Any:
    """grafanalib's object tree as plain JSON values."""
    if hasattr(value, "to_json_data"):
        return _plain(value.to_json_data())
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _without_nulls(value: Any) -> Any:
    """grafanalib writes null for every unset option; Grafana's own JSON leaves them out."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _clean_panel(body: dict[str, Any], where: str) -> dict[str, Any]:
    kind = body.get("type")
    if kind not in PANEL_TYPES:
        raise DefinitionError(
            f"{where}: panel type {kind!r} is not current Grafana; use one of {', '.join(sorted(PANEL_TYPES))}"
        )
    clean = {k: v for k, v in body.items() if k in PANEL_KEYS and GRAFANALIB_DEFAULTS.get(k, object()) != v}
    clean["description"] = clean.get("description") or ""
    defaults = clean.setdefault("fieldConfig", {"defaults": {}, "overrides": []}).setdefault("defaults", {})
    clean["fieldConfig"].setdefault("overrides", [])
    if defaults.get("noValue") == "none":
        del defaults["noValue"]
    defaults["thresholds"] = _thresholds(defaults.get("thresholds"))
    if kind == "table":
        _table_cell_options(clean["fieldConfig"])
    return clean


def _cell_options(display_mode: str) -> dict[str, str]:
    """A table's legacy `displayMode` as the `cellOptions` Grafana's V38 migration writes: grafanalib still
    emits the pre-10 string, and at our schemaVersion Grafana never migrates it."""
    if display_mode in ("basic", "gradient-gauge", "lcd-gauge"):
        return {"type": "gauge", "mode": {"gradient-gauge": "gradient", "lcd-gauge": "lcd"}.get(display_mode, "basic")}
    if display_mode in ("color-background", "color-background-solid"):
        return {"type": "color-background", "mode": "gradient" if display_mode == "color-background" else "basic"}
    return {"type": display_mode}


def _table_cell_options(field_config: dict[str, Any]) -> None:
    """Move `custom.displayMode` to `custom.cellOptions`, in the defaults and in every override."""
    custom = field_config["defaults"].get("custom", {})
    if "displayMode" in custom:
        custom["cellOptions"] = _cell_options(custom.pop("displayMode"))
    for override in field_config["overrides"]:
        for prop in override.get("properties", []):
            if prop.get("id") == "custom.displayMode":
                prop["id"], prop["value"] = "custom.cellOptions", _cell_options(prop["value"])


def _thresholds(value: Any) -> dict[str, Any]:
    """Any threshold shape grafanalib emits -> {mode, steps:[{color, value}]}."""
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
