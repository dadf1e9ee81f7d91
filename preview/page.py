"""One dashboard's views -> one self-contained HTML page: panels on Grafana's 24-column grid, charts by plotly.js.

The page needs no network: plotly.js is inlined from the plotly package, the figures travel as JSON inside the
page, and a Content-Security-Policy forbids every fetch. Titles, descriptions, names and cells are user input:
the template autoescapes them, and the figures' JSON is escaped so that no text can close its script element.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from core.valueformat import format_value
from preview.frames import PanelView, Series

# Grafana's classic palette (palette-classic), the colours series take in order.
PALETTE = (
    "#7EB26D", "#EAB839", "#6ED0E0", "#EF843C", "#E24D42", "#1F78C1", "#BA43A9", "#705DA0",
    "#508642", "#CCA300", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477",
)  # fmt: skip
_SAFE_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z-]{1,30}")
_FONT = {"color": "#ccccdc", "size": 11}


@dataclass(frozen=True)
class PanelItem:
    """A panel or a row header where the grid puts it, with what it shows."""

    key: str
    type: str
    title: str
    description: str
    x: int
    y: int
    w: int
    h: int
    row: bool = False
    view: PanelView | None = None
    error: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class PageInfo:
    title: str
    data: str
    start: str
    end: str
    variables: str
    zone: str = "utc"  # the dashboard's timezone, as its JSON stores it


def layout(dashboard: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every panel's JSON in grid order, with a collapsed row's own panels after it, as Grafana expands them:
    (kind, panel) where kind is "row" or "panel"."""
    out: list[tuple[str, dict[str, Any]]] = []
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            out.append(("row", panel))
            out.extend(("panel", child) for child in panel.get("panels", []))
        else:
            out.append(("panel", panel))
    return out


def _ticks(values: Sequence[float | None], unit: str | None, decimals: int | None) -> dict[str, Any]:
    """Y-axis ticks at round steps, labelled by the unit's Grafana format (plotly's own labels know no units)."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    if high == low:
        high = low + 1
    raw = max((high - low) / 5, 10.0**-decimals if decimals is not None else 0.0)  # no two ticks read alike
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [start + i * step for i in range(int((high - start) / step) + 2)]
    return {"tickvals": ticks, "ticktext": [format_value(t, unit, decimals) for t in ticks]}


def _texts(series: Series, unit: str | None, decimals: int | None) -> list[str]:
    return [format_value(y, unit, decimals) for y in series.y]


def local_times(xs: Sequence[str], zone: str) -> list[str]:
    """ISO-8601 UTC instants as wall-clock times in the dashboard's zone ("utc" or "browser": UTC), as Grafana's
    time axis shows them; plotly draws a date string as the wall-clock time it reads."""
    tz = UTC if zone in ("", "utc", "UTC", "browser") else ZoneInfo(zone)
    return [datetime.fromisoformat(x.replace("Z", "+00:00")).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") for x in xs]


def _legend_shown(panel: Mapping[str, Any]) -> bool:
    """Grafana's legend option: showLegend false, or the older displayMode "hidden", hides it."""
    legend = panel.get("options", {}).get("legend", {})
    return bool(legend.get("showLegend", True)) and legend.get("displayMode") != "hidden"


def figure(panel: Mapping[str, Any], view: PanelView, zone: str = "utc") -> dict[str, Any]:
    """The plotly figure of a time series, pie or bar chart; hover and tick texts in the panel's unit, times in
    the dashboard's zone."""
    base: dict[str, Any] = {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": _FONT,
        "margin": {"l": 60, "r": 10, "t": 4, "b": 30},
        "showlegend": _legend_shown(panel),
        "legend": {"orientation": "h", "y": -0.15},
    }
    if view.kind == "timeseries":
        custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom", {})
        style = custom.get("drawStyle", "line")
        traces = []
        for i, series in enumerate(view.series):
            trace: dict[str, Any] = {
                "name": series.name,
                "x": local_times(series.x, zone),
                "y": list(series.y),
                "customdata": _texts(series, view.unit, view.decimals),
                "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
                "marker": {"color": PALETTE[i % len(PALETTE)]},
            }
            if style == "bars":
                trace["type"] = "bar"
            else:
                trace |= {"type": "scatter", "mode": "markers" if style == "points" else "lines"}
                trace["line"] = {"color": PALETTE[i % len(PALETTE)], "width": custom.get("lineWidth", 1)}
            traces.append(trace)
        stacked = custom.get("stacking", {}).get("mode") in ("normal", "percent")
        every = [y for s in view.series for y in s.y]
        axis = {"gridcolor": "#2c3235", "zeroline": False}
        base |= {
            "barmode": "stack" if stacked else "group",
            "xaxis": {**axis, "type": "date"},
            "yaxis": {**axis, **_ticks(every, view.unit, view.decimals)},
        }
        return {"data": traces, "layout": base}
    categories = view.categories
    if categories is None or not categories.series:
        return {"data": [], "layout": base}
    if view.kind == "piechart":
        series = categories.series[0]
        pie = {
            "type": "pie",
            "labels": list(categories.labels),
            "values": list(series.y),
            "customdata": _texts(series, view.unit, view.decimals),
            "hovertemplate": "%{label}: %{customdata} (%{percent})<extra></extra>",
            "textinfo": "percent",
            "sort": False,
            "marker": {"colors": [PALETTE[i % len(PALETTE)] for i in range(len(categories.labels))]},
        }
        return {"data": [pie], "layout": base | {"margin": {"l": 4, "r": 4, "t": 4, "b": 4}}}
    horizontal = panel.get("options", {}).get("orientation") == "horizontal"
    bars = []
    for i, series in enumerate(categories.series):
        xs, ys = list(categories.labels), list(series.y)
        bars.append(
            {
                "type": "bar",
                "name": series.name,
                "x": ys if horizontal else xs,
                "y": xs if horizontal else ys,
                "orientation": "h" if horizontal else "v",
                "customdata": _texts(series, view.unit, view.decimals),
                "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
                "marker": {"color": PALETTE[i % len(PALETTE)]},
            }
        )
    ticks = _ticks([y for s in categories.series for y in s.y], view.unit, view.decimals)
    axis = {"gridcolor": "#2c3235", "type": "category"}
    value_axis = {"gridcolor": "#2c3235", **ticks}
    base |= {"xaxis": value_axis if horizontal else axis, "yaxis": axis if horizontal else value_axis}
    return {"data": bars, "layout": base}


def script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: no "<", ">" or "&" that could end it or start a comment."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _safe(view: PanelView) -> PanelView:
    """Threshold colours go into a style attribute: anything but a hex code or a plain name becomes the text's."""
    stats = tuple(s if _SAFE_COLOR.fullmatch(s.color) else replace(s, color="#ccccdc") for s in view.stats)
    return replace(view, stats=stats)


def _finite(view: PanelView) -> PanelView:
    """NaN and infinities cannot travel as JSON: plotly draws them as gaps, like Grafana."""

    def clean(series: Series) -> Series:
        return Series(series.name, series.x, tuple(y if y is None or math.isfinite(y) else None for y in series.y))

    categories = view.categories
    if categories is not None:
        categories = replace(categories, series=tuple(clean(s) for s in categories.series))
    return replace(view, series=tuple(clean(s) for s in view.series), categories=categories)


def _empty(view: PanelView) -> bool:
    """Nothing to draw: Grafana writes "No data" (or the panel's noValue) in its place."""
    if view.kind == "stat":
        return False  # a stat shows its noValue as its value
    if view.tables:
        return all(not table.rows for table in view.tables)
    if view.categories is not None:
        return not view.categories.labels
    return not any(series.x for series in view.series)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def plotly_js() -> Markup:
    """plotly.js as the plotly package ships it, to inline (one copy per page, so each page stands alone)."""
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs().replace("</script", "<\\/script"))


def render_page(info: PageInfo, items: Sequence[PanelItem], panels: Mapping[str, Mapping[str, Any]]) -> str:
    """The HTML of one dashboard; ``panels`` is each panel's JSON by key (for its figure's options)."""
    shown = []
    for item in items:
        entry: dict[str, Any] = {**item.__dict__, "note": None, "stats": (), "tables": (), "figure": None}
        entry |= {"no_data": None, "background": False}
        view = item.view
        if view is not None:
            panel = panels.get(item.key, {})
            view = _finite(_safe(view))
            entry |= {"note": view.note, "stats": view.stats, "tables": view.tables}
            entry["background"] = panel.get("options", {}).get("colorMode") == "background"
            if _empty(view):
                entry["no_data"] = panel.get("fieldConfig", {}).get("defaults", {}).get("noValue") or "No data"
            if view.kind in ("timeseries", "piechart", "barchart") and not _empty(view):
                entry["figure"] = script_json(figure(panel, view, info.zone))
        shown.append(entry)
    return _environment().get_template("dashboard.html.j2").render(page=info, items=shown, plotly_js=plotly_js())
