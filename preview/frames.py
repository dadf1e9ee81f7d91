"""A panel's rows as Grafana shows them: field display names, units and decimals, thresholds' colours, series.

This is the step between a query's rows (localquery) and a picture: what a stat shows (reduced, formatted by
core.valueformat, coloured by the thresholds), how a time series is named (a field's displayName with
``${__field.labels.X}``, else Grafana's own naming: the field's name and its single label's value, or all its
labels), what a table's headers and cells read, and the slices of a pie or the bars of a bar chart. `dash diff`
compares these views between two revisions, so a unit or a display name that changes is a value that changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.valueformat import format_value
from localquery.display import cell_text, column_formats
from localquery.run import Result

# Grafana's dark theme's named colours (the thresholds' and overrides' "green", "red", ...).
NAMED_COLORS = {
    "green": "#73BF69",
    "red": "#F2495C",
    "blue": "#5794F2",
    "orange": "#FF9830",
    "yellow": "#FADE2A",
    "purple": "#B877D9",
    "text": "#CCCCDC",
    "transparent": "transparent",
}
NO_DATA = "No data"
_LABEL = re.compile(r"\$\{__field\.labels\.(\w+)\}")


@dataclass(frozen=True)
class Field:
    """One numeric column as a Grafana field: its name, labels (the row's text columns), and config."""

    name: str
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldConfig:
    display_name: str | None
    unit: str | None
    decimals: int | None


@dataclass(frozen=True)
class StatValue:
    title: str  # the field's display name; shown only when the stat shows several values
    text: str
    color: str
    value: float | None


@dataclass(frozen=True)
class Series:
    name: str
    x: tuple[str, ...]  # ISO-8601 times (UTC)
    y: tuple[float | None, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned, as Grafana's auto alignment puts numbers


@dataclass(frozen=True)
class Categories:
    """A pie's slices or a bar chart's groups: one label per row, one series of values per numeric field."""

    labels: tuple[str, ...]
    series: tuple[Series, ...]  # x holds the labels again; y the values


@dataclass(frozen=True)
class PanelView:
    """Everything one panel draws; which part is filled depends on ``kind`` (the panel's type)."""

    kind: str
    unit: str | None = None
    decimals: int | None = None
    stats: tuple[StatValue, ...] = ()
    series: tuple[Series, ...] = ()
    tables: tuple[Table, ...] = ()
    categories: Categories | None = None
    note: str | None = None  # what the preview leaves out that Grafana would do (thresholds it cannot place)


def field_config(panel: Mapping[str, Any], field: Field, default_name: str) -> FieldConfig:
    """The field's display name, unit and decimals: the defaults, then each override matching its name or its
    default display name (later ones win, as in Grafana); ``${__field.labels.X}`` and ``${__field.name}`` filled."""
    config = panel.get("fieldConfig", {})
    defaults = config.get("defaults", {})
    found = {k: defaults.get(k) for k in ("displayName", "unit", "decimals")}
    for override in config.get("overrides", []):
        matcher = override.get("matcher", {})
        option = str(matcher.get("options", ""))
        if matcher.get("id") == "byName":
            hit = option in (field.name, default_name)
        elif matcher.get("id") == "byRegexp":
            hit = re.search(option, field.name) is not None
        else:
            hit = False
        if hit:
            for prop in override.get("properties", []):
                if prop.get("id") in found:
                    found[prop["id"]] = prop.get("value")
    name = found["displayName"]
    if isinstance(name, str) and name:
        labels = dict(field.labels)
        name = _LABEL.sub(lambda m: labels.get(m.group(1), ""), name).replace("${__field.name}", field.name)
    return FieldConfig(name or None, found["unit"], found["decimals"])


def default_name(field: Field, every: Sequence[Field]) -> str:
    """Grafana's name for a field with no displayName (fieldState.ts): its name unless "Value", then, when all
    fields carry one label name between them, that label's value; else its labels that vary across the fields,
    sorted, as {k="v", ...}."""
    parts = [field.name] if field.name and field.name != "Value" else []
    seen: dict[str, set[str]] = {}
    for other in every:
        for key, value in other.labels:
            seen.setdefault(key, set()).add(value)
    if field.labels:
        labels = dict(field.labels)
        if len(seen) == 1:
            parts.append(labels.get(next(iter(seen)), ""))
        else:
            varying = [f'{k}="{labels[k]}"' for k in sorted(labels) if len(seen.get(k, ())) > 1]
            if varying:
                parts.append("{" + ", ".join(varying) + "}")
    return " ".join(parts) or field.name or "Value"


def display_name(panel: Mapping[str, Any], field: Field, every: Sequence[Field]) -> str:
    default = default_name(field, every)
    return field_config(panel, field, default).display_name or default


def threshold_color(panel: Mapping[str, Any], value: float | None) -> str | None:
    """The colour of the highest threshold step at or below ``value``, the base step for none; in percentage mode
    ``value`` is placed between the field's min and max, and without both the preview cannot tell (None)."""
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    thresholds = defaults.get("thresholds", {})
    steps = thresholds.get("steps") or [{"color": "green", "value": None}]
    color = steps[0].get("color", "green")
    if value is not None and thresholds.get("mode") == "percentage":
        low, high = defaults.get("min"), defaults.get("max")
        if low is None or high is None or high == low:
            return None  # Grafana takes the range from all the data it holds; the preview does not guess it
        value = 100.0 * (value - low) / (high - low)
    if value is not None:
        for step in steps[1:]:
            if step.get("value") is not None and value >= step["value"]:
                color = step.get("color", color)
    return NAMED_COLORS.get(color, color)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


_REDUCERS = {
    "lastNotNull": lambda xs: next((x for x in reversed(xs) if x is not None), None),
    "last": lambda xs: xs[-1] if xs else None,
    "firstNotNull": lambda xs: next((x for x in xs if x is not None), None),
    "first": lambda xs: xs[0] if xs else None,
    "sum": lambda xs: sum(x for x in xs if x is not None) if xs else None,
    "max": lambda xs: max((x for x in xs if x is not None), default=None),
    "min": lambda xs: min((x for x in xs if x is not None), default=None),
    "mean": lambda xs: (sum(v) / len(v)) if (v := [x for x in xs if x is not None]) else None,
    "count": lambda xs: float(len(xs)),
}


def stat_view(panel: Mapping[str, Any], results: Sequence[Result]) -> PanelView:
    """Each numeric field reduced by the panel's calculation (lastNotNull unless set), formatted and coloured."""
    options = panel.get("options", {}).get("reduceOptions", {})
    calc = (options.get("calcs") or ["lastNotNull"])[0]
    if calc not in _REDUCERS:
        raise ValueError(f"reduceOptions.calcs {calc!r} is not one the preview computes ({', '.join(_REDUCERS)})")
    no_value = panel.get("fieldConfig", {}).get("defaults", {}).get("noValue") or NO_DATA
    fields = [Field(c) for r in results for i, c in enumerate(r.columns) if i != time_index(r) and _numeric(r, c)]
    stats = []
    uncoloured = False
    for result in results:
        for index, column in enumerate(result.columns):
            if index == time_index(result) or not _numeric(result, column):
                continue
            field = Field(column)
            name = default_name(field, fields)
            config = field_config(panel, field, name)
            value = _REDUCERS[calc]([_number(row[index]) for row in result.rows])
            text = format_value(value, config.unit, config.decimals) if value is not None else no_value
            color = threshold_color(panel, value)
            uncoloured = uncoloured or color is None
            stats.append(StatValue(config.display_name or name, text, color or NAMED_COLORS["text"], value))
    if not stats:
        stats.append(StatValue("", no_value, threshold_color(panel, None) or NAMED_COLORS["text"], None))
    note = "thresholds in percentage mode without min and max: not coloured" if uncoloured else None
    return PanelView("stat", stats=tuple(stats), note=note)


def time_index(result: Result) -> int | None:
    """Where the time field is: the field a transformation left typed time, whatever its name (``Time`` after
    partitionByValues), else a query's own ``time`` column (DuckDB timestamps or InfluxQL's epoch milliseconds)."""
    if result.field_types:
        return next((i for i, kind in enumerate(result.field_types) if kind == "time"), None)
    return result.columns.index("time") if "time" in result.columns else None


def _numeric(result: Result, column: str) -> bool:
    """A column Grafana would type as a number: every non-null value a number (an empty result counts)."""
    index = result.columns.index(column)
    values = [row[index] for row in result.rows if row[index] is not None]
    return all(_number(v) is not None for v in values)


def _iso(value: Any) -> str:
    """A time as ISO-8601 UTC: a DuckDB TIMESTAMP (naive UTC) or InfluxQL's epoch milliseconds."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        moment = datetime.fromtimestamp(float(value) / 1000, UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def series_view(panel: Mapping[str, Any], results: Sequence[Result]) -> PanelView:
    """Time series as Grafana builds them: a column of {time, value} lists (Timestream's time series format) is a
    series per row; a long table (time, text columns, numbers) is a series per number column and text values; a
    transformed frame (a time field, one number field per series) the same, its fields already named."""
    raw: list[tuple[Field, list[str], list[float | None]]] = []
    for result in results:
        at = time_index(result)
        text = [i for i, c in enumerate(result.columns) if i != at and not _numeric(result, c)]
        nested = [i for i in text if result.rows and isinstance(result.rows[0][i], list)]
        if nested:
            labels_at = [i for i in text if i not in nested]
            for row in result.rows:
                for i in nested:
                    labels = tuple((result.columns[j], str(row[j])) for j in labels_at)
                    points = row[i] or []
                    raw.append(
                        (
                            Field(result.columns[i], labels),
                            [_iso(p.get("time")) for p in points],
                            [_number(p.get("value")) for p in points],
                        )
                    )
            continue
        if at is None:
            continue
        numbers = [i for i, c in enumerate(result.columns) if i != at and i not in text]
        groups: dict[tuple[tuple[str, str], ...], list[tuple[Any, ...]]] = {}
        for row in result.rows:
            key = tuple((result.columns[j], "" if row[j] is None else str(row[j])) for j in text)
            groups.setdefault(key, []).append(row)
        for labels, rows in groups.items():
            for i in numbers:
                raw.append(
                    (Field(result.columns[i], labels), [_iso(r[at]) for r in rows], [_number(r[i]) for r in rows])
                )
    every = [f for f, _x, _y in raw]
    series = tuple(Series(display_name(panel, f, every), tuple(x), tuple(y)) for f, x, y in raw)
    first = field_config(panel, every[0], "") if every else FieldConfig(None, _unit(panel), _decimals(panel))
    return PanelView("timeseries", unit=first.unit, decimals=first.decimals, series=series)


def _unit(panel: Mapping[str, Any]) -> str | None:
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    return str(unit) if unit is not None else None


def _decimals(panel: Mapping[str, Any]) -> int | None:
    decimals = panel.get("fieldConfig", {}).get("defaults", {}).get("decimals")
    return int(decimals) if decimals is not None else None


def table_view(panel: Mapping[str, Any], results: Sequence[Result], where: str, zone: str = "UTC") -> PanelView:
    """Headers by display name, each cell by its column's unit and decimals (as `dash query` prints it), times in
    the dashboard's zone as Grafana's table writes them, rows in the panel's sortBy order."""
    tables = []
    for result in results:
        formats = column_formats(panel, result.columns, where)
        fields = [Field(c) for c in result.columns]
        headers = tuple(display_name(panel, f, fields) for f in fields)
        rows = list(result.rows)
        for sort in reversed(panel.get("options", {}).get("sortBy", [])):
            if sort.get("displayName") in headers:
                i = headers.index(sort["displayName"])
                rows = _sorted(rows, i, bool(sort.get("desc", False)))
        texts = tuple(
            tuple(
                _time_text(v, zone) if isinstance(v, datetime) else cell_text(v, formats.get(c))
                for c, v in zip(result.columns, row, strict=True)
            )
            for row in rows
        )
        at = time_index(result)
        numeric = tuple(i != at and _numeric(result, c) and bool(result.rows) for i, c in enumerate(result.columns))
        tables.append(Table(headers, texts, numeric))
    return PanelView("table", tables=tuple(tables))


def _sorted(rows: list[tuple[Any, ...]], index: int, desc: bool) -> list[tuple[Any, ...]]:
    """Rows by one column (a stable sort, so earlier sortBy entries break ties), empty cells last."""
    present = sorted((r for r in rows if r[index] is not None), key=lambda r: r[index], reverse=desc)
    return present + [r for r in rows if r[index] is None]


def _time_text(value: datetime, zone: str) -> str:
    """Grafana's default date format, YYYY-MM-DD HH:mm:ss, in the dashboard's zone ("utc" or "browser" -> UTC)."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    tz = ZoneInfo(zone) if zone not in ("", "utc", "browser", "UTC") else UTC
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def categories_view(panel: Mapping[str, Any], results: Sequence[Result]) -> PanelView:
    """A pie's slices or a bar chart's bars: each row one label (its text values joined), each numeric column
    one series named by its display name."""
    labels: list[str] = []
    values: dict[Field, list[float | None]] = {}
    for result in results:
        text = [i for i, c in enumerate(result.columns) if not _numeric(result, c)]
        numbers = [i for i, c in enumerate(result.columns) if i not in text]
        for row in result.rows:
            labels.append(" ".join("" if row[i] is None else str(row[i]) for i in text))
            for i in numbers:
                values.setdefault(Field(result.columns[i]), []).append(_number(row[i]))
    every = list(values)
    series = tuple(Series(display_name(panel, f, every), tuple(labels), tuple(ys)) for f, ys in values.items())
    return PanelView(
        str(panel.get("type")),
        unit=_unit(panel),
        decimals=_decimals(panel),
        categories=Categories(tuple(labels), series),
    )


def panel_view(panel: Mapping[str, Any], results: Sequence[Result], where: str, zone: str = "UTC") -> PanelView:
    """The view of one panel of any type the shipped dashboards use; other types show their rows as a table."""
    kind = str(panel.get("type"))
    if kind == "stat":
        view = stat_view(panel, results)
    elif kind == "timeseries":
        view = series_view(panel, results)
    elif kind in ("piechart", "barchart"):
        view = categories_view(panel, results)
    else:
        view = table_view(panel, results, where, zone)
    return view
