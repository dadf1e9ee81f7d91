"""A checked definition plus an environment -> the dashboard Grafana stores, with its queries and variables.

Output is what Grafana 12 writes itself (schemaVersion from dash.yaml), with nothing grafanalib adds for
older Grafanas (grafanalib_adapter.py), and datasources as {type, uid}.
"""

from __future__ import annotations

import re
from typing import Any

from core.environment import Environment
from core.errors import DefinitionError
from core.kinds import TypedQuery
from core.model import CompiledDashboard, PanelData, PanelOwner, RenderedQuery
from dashcompiler.api import (
    Dashboard,
    Panel,
    PanelResult,
    QueryVariable,
    RealtimeQuery,
    Row,
    StoreOptions,
    Variable,
)
from dashcompiler.definition_loader import panel_id, row_key
from dashcompiler.grafanalib_adapter import panel_json
from dashcompiler.layout import Box, GridPos, LayoutError, RowBoxes, layout
from dashcompiler.queries import QueryTemplates
from dashcompiler.templating import render_variable
from kinds import KINDS, kind_of

BUILTIN_ANNOTATIONS = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}
# Grafana's built-in Dashboard datasource, as its own serialisation writes the reference (matched by uid).
DASHBOARD_DATASOURCE = {"type": "datasource", "uid": "-- Dashboard --"}


def render_dashboard(
    board: Dashboard, source: str, env: Environment, schema_version: int, templates: QueryTemplates
) -> CompiledDashboard:
    where = f"{source}: dashboard {board.uid!r}"
    if board.folder not in env.folders:
        raise DefinitionError(
            f"{where}: folder {board.folder!r} is not in environment {env.name!r} (dash.yaml folders: "
            f"{', '.join(sorted(env.folders))})"
        )
    queries: list[RenderedQuery] = []
    panels, listed = _render_panels(board, where, env, templates, queries)
    variables = [render_variable(v, board.uid, where, env, templates) for v in board.variables if _used(v, env)]
    queries.extend(v.query for v in variables if v.query is not None)
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
        "templating": {"list": [v.json for v in variables]},
        "time": {"from": board.time_from, "to": board.time_to},
        "timepicker": {},
        "timezone": env.grafana_timezone(),
        "title": board.title,
        "uid": board.uid,
        "weekStart": "",
    }
    return CompiledDashboard(
        board.uid,
        board.title,
        board.folder,
        source,
        body,
        tuple(queries),
        tuple(v.variable for v in variables),
        tuple(listed),
        tuple(_panel_data(board)),
    )


def _panel_data(board: Dashboard) -> list[PanelData]:
    """The panels that re-use another's result or show some columns only (the rest need no entry)."""
    found = []
    for panel in (p for row in board.rows for p in row.panels):
        reuse = next((q for q in panel.queries if isinstance(q, PanelResult)), None)
        if reuse is not None or panel.fields:
            found.append(PanelData(panel.key, reuse.panel if reuse else panel.key, panel.fields))
    return found


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
            _panel_json(panel, pos, f"{where}, panel {panel.key!r}", board.uid, env, templates, queries)
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


def realtime_target(query: RealtimeQuery, env: Environment, alias: str) -> TypedQuery:
    """The environment's real-time store's target for a query named once."""
    make = KINDS[env.realtime_store].realtime
    assert make is not None, "config admits only kinds that can be a real-time store"
    return make(query.name, query.time_series, query.ref_id, alias)


def _used(var: Variable, env: Environment) -> bool:
    """Whether the environment's store needs the variable (a lookup only InfluxQL needs is not shipped to SQL)."""
    return not isinstance(var, QueryVariable) or not var.only_in or env.realtime_store in var.only_in


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
    pos: GridPos,
    where: str,
    dashboard_uid: str,
    env: Environment,
    templates: QueryTemplates,
    queries: list[RenderedQuery],
) -> dict[str, Any]:
    body = panel_json(panel.visual, where)
    defaults = body["fieldConfig"]["defaults"]
    shown = (("decimals", panel.decimals), ("unit", panel.unit), ("displayName", panel.display_name))
    for key, value in (*shown, ("noValue", panel.no_value)):
        if value is not None:
            defaults[key] = value
    _select_fields(body, panel.fields)
    reuse = next((q for q in panel.queries if isinstance(q, PanelResult)), None)
    if reuse is not None:
        body["id"] = panel_id(panel.key)
        body["gridPos"] = pos.as_json()
        body["datasource"] = dict(DASHBOARD_DATASOURCE)
        body["targets"] = [
            {
                "datasource": dict(DASHBOARD_DATASOURCE),
                "panelId": panel_id(reuse.panel),
                "refId": reuse.ref_id,
                "withTransforms": reuse.with_transforms,
            }
        ]
        if panel.time_from is not None:
            body["timeFrom"] = panel.time_from  # its source's (definition_loader): the header says which range
        own = (*panel.stores.get(env.realtime_store, StoreOptions()).transformations, *panel.transformations)
        if own:
            body["transformations"] = [*body.get("transformations", []), *own]
        return body
    targets = []
    options = panel.stores.get(env.realtime_store, StoreOptions())
    realtime = any(isinstance(q, RealtimeQuery) for q in panel.queries)
    if realtime and options.display_name == "":
        defaults.pop("displayName", None)  # the datasource names the series (an InfluxQL alias)
    elif realtime and options.display_name is not None:
        defaults["displayName"] = options.display_name
    for written in (*panel.queries, *(options.queries if realtime else ())):
        assert not isinstance(written, PanelResult), "a PanelResult is a panel's only query (definition_loader)"
        query = realtime_target(written, env, options.alias) if isinstance(written, RealtimeQuery) else written
        kind = kind_of(query)
        text = templates.render(kind.name, query.file, where)
        owner = PanelOwner(panel.key)
        path = templates.path(kind.name, query.file)
        queries.append(
            RenderedQuery(
                dashboard_uid,
                owner,
                str(body.get("title", "")),
                kind,
                path,
                text,
                query.macro_fields(),
                panel.time_from,
                env.timezone,
            )
        )
        targets.append(query.target(text, {"type": kind.plugin_id, "uid": env.datasource_uids[kind.name]}))
    own = (*(options.transformations if realtime else ()), *panel.transformations)
    if own:
        body["transformations"] = [*body.get("transformations", []), *own]
    if panel.time_from is not None:
        body["timeFrom"] = panel.time_from
    body["id"] = panel_id(panel.key)
    body["gridPos"] = pos.as_json()
    body["targets"] = targets
    if targets:
        body["datasource"] = targets[0]["datasource"]
    else:
        body.pop("datasource", None)
    return body


def _select_fields(body: dict[str, Any], fields: tuple[str, ...]) -> None:
    """The columns a panel shows of a result with more: a visual that reduces picks them by reduceOptions.fields
    (a regex over display names), any other by a filterFieldsByName transformation before its own."""
    if not fields:
        return
    reduce_options = body.get("options", {}).get("reduceOptions")
    if isinstance(reduce_options, dict):
        reduce_options["fields"] = "/^(" + "|".join(re.escape(f) for f in fields) + ")$/"
        return
    select = {"id": "filterFieldsByName", "options": {"include": {"names": list(fields)}}}
    body["transformations"] = [select, *body.get("transformations", [])]
