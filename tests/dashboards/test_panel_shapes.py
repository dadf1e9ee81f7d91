"""What each panel's query returns on simulated data, against what its panel type needs to draw it.

Grafana draws a frame by its shape: a stat reduces its numeric fields, a pie or bar gauge over one row per
category needs `reduceOptions.values`, a bar chart needs a string x field, the Athena plugin's time series
format needs a `time` column (then turns a long frame wide), the Timestream plugin takes one
CREATE_TIME_SERIES column per row as a series and refuses two. Each query runs through the local engine.
Then what a supervisor reads: series named by their category, table headers in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from numbers import Number
from pathlib import Path
from typing import Any

import pytest

import connect_simulator as simulator
from dashcompiler.compile import Model, compile_model
from dashcompiler.definition_loader import panel_id
from localquery.run import Result
from tests.dashboards.test_shipped_set import DURATION_UNITS, panels, seconds_column
from tests.localquery.conftest import START, Engine
from tests.localquery.shipped import sql_environment

ROOT = Path(__file__).resolve().parents[2]
END = "2026-02-01T00:30:00Z"  # "now" of the real-time panels: mid-traffic
BUILD = compile_model(ROOT, sql_environment())
PANELS = [
    (board.uid, key, panel)
    for board in BUILD.dashboards
    for panel in panels(board.json)
    for key, _title in board.panels
    if panel_id(key) == panel["id"]
    and panel["targets"]
    # CloudWatch panels have no local engine; tests/dashboards/test_pipeline_health.py checks their shape.
    and all(query.kind.local_dialect is not None for query in board.panel_queries(key))
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    data = tmp_path_factory.mktemp("shapes") / "data"
    simulator.simulate(data, simulator.SimulationConfig(seed=11, agents=14, contacts=500, start=START, hours=4.0))
    build: Model = compile_model(ROOT, sql_environment())
    engine = Engine(build, data, {})
    yield engine
    for session in engine._sessions.values():
        session.con.close()


def numeric(value: Any) -> bool:
    return value is None or (isinstance(value, Number) and not isinstance(value, bool))


def column(result: Result, name: str) -> list[Any]:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def is_series(value: Any) -> bool:
    """A CREATE_TIME_SERIES value as the local engine returns it: a list of {time, value}."""
    return isinstance(value, list) and all(isinstance(p, dict) and set(p) == {"time", "value"} for p in value)


def check_shape(panel: dict[str, Any], target: dict[str, Any], result: Result) -> None:
    kind, where = panel["type"], f"panel {panel['title']!r}"
    rows = result.rows
    if kind == "stat":
        assert len(rows) <= 1 and len(result.columns) == 1, f"{where}: a stat shows one number: {result}"
        assert all(numeric(v) for row in rows for v in row), f"{where}: not a number: {rows}"
    elif kind in ("piechart", "bargauge"):
        assert rows, f"{where}: no rows on the simulated data"
        assert panel["options"]["reduceOptions"]["values"] is True, f"{where}: rows per category reduced to one"
        assert all(isinstance(row[0], str) for row in rows), f"{where}: first column names the slice: {rows}"
        assert all(numeric(v) for row in rows for v in row[1:]), f"{where}: slice values are numbers: {rows}"
        check_slice_names(where, panel, result)
    elif kind == "barchart":
        assert rows and all(isinstance(row[0], str) for row in rows), f"{where}: x must be a string: {rows}"
        assert all(numeric(v) for row in rows for v in row[1:]), f"{where}: bar values are numbers: {rows}"
        check_bar_names(where, panel, result)
    elif kind == "table":
        seconds = [name for name in result.columns if seconds_column(name)]
        units = column_settings(panel, "unit")
        assert all(units.get(name) in DURATION_UNITS for name in seconds), f"{where}: seconds shown as plain numbers"
        check_headers(where, panel, result)
    elif kind == "timeseries" and target["datasource"]["type"] == "grafana-athena-datasource":
        assert target["format"] == 0 and "time" in result.columns, f"{where}: no `time` column: {result.columns}"
        times = column(result, "time")
        assert rows and all(isinstance(t, datetime) for t in times), f"{where}: `time` is not a timestamp"
        assert times == sorted(times), f"{where}: a long frame must be sorted by time for LongToWide"
        # LongToWide makes every string column a label of each value field (grafana-plugin-sdk-go data.LongToWide).
        labels = [
            i for i, name in enumerate(result.columns) if name != "time" and all(isinstance(r[i], str) for r in rows)
        ]
        check_series_names(where, panel, result, labels)
    elif kind == "timeseries":
        series = [i for i, value in enumerate(rows[0]) if is_series(value)] if rows else []
        assert len(series) == 1, f"{where}: the plugin needs exactly one CREATE_TIME_SERIES column: {result.columns}"
        labels = [i for i in range(len(result.columns)) if i not in series]
        assert all(isinstance(row[i], str) for row in rows for i in labels), f"{where}: labels must be strings"
        check_series_names(where, panel, result, labels)
    else:
        pytest.fail(f"{where}: no shape rule for panel type {kind!r}")


def column_settings(panel: dict[str, Any], prop: str) -> dict[str, Any]:
    """Column name -> the value a byName override sets for `prop` (unit, displayName)."""
    return {
        o["matcher"]["options"]: p["value"]
        for o in panel["fieldConfig"]["overrides"]
        if o["matcher"]["id"] == "byName"
        for p in o["properties"]
        if p["id"] == prop
    }


FIELD_LABEL = re.compile(r"\$\{__field\.labels\.(\w+)\}")


def series_name(display_name: str, labels: dict[str, str]) -> str:
    """A displayName as Grafana renders it for one field: `${__field.labels.X}` is the label's value, '' when the
    field has no such label (the fieldMacro of public/app/features/templating); any other expression is not
    modelled here, so a panel using one fails loudly rather than passing unread."""
    rendered = FIELD_LABEL.sub(lambda m: labels.get(m.group(1), ""), display_name)
    assert "${" not in rendered and "$__" not in rendered, f"expression not modelled by this test: {display_name!r}"
    return rendered


def check_series_names(where: str, panel: dict[str, Any], result: Result, labels: list[int]) -> None:
    """Each series must read as its category alone: without a displayName Grafana names a field
    "<value column> <label value>" ("agents Available", "contacts VOICE")."""
    assert len(labels) == 1, f"{where}: series should be named by one category column: {result.columns}"
    display_name = panel["fieldConfig"]["defaults"].get("displayName", "")
    assert display_name, f"{where}: no displayName, so Grafana names each series value column + label"
    (label,) = labels
    name = result.columns[label]
    categories = {row[label] for row in result.rows}
    names = {category: series_name(display_name, {name: category}) for category in categories}
    assert all(shown == category for category, shown in names.items()), f"{where}: series read as {names}"
    # Athena's time field carries no labels: its displayName renders empty and Grafana keeps "time".
    assert series_name(display_name, {}) == "", f"{where}: displayName must come from the label alone"


def field_display_name(panel: dict[str, Any], name: str) -> str | None:
    """The displayName Grafana gives the field `name`: a byName override, else the panel's default."""
    return column_settings(panel, "displayName").get(name, panel["fieldConfig"]["defaults"].get("displayName"))


def check_slice_names(where: str, panel: dict[str, Any], result: Result) -> None:
    """With reduceOptions.values each row is a slice named by getSmartDisplayNameForRow (grafana-data
    fieldDisplay.ts): the value field's displayName if it has one (then every slice reads the same), else the
    row's string values, plus the value column's name ("QUEUED contacts") when the frame has another number field."""
    category, *values = result.columns
    assert len(values) == 1, f"{where}: slices would read '<{category}> <value column>': {result.columns}"
    assert field_display_name(panel, values[0]) is None, (
        f"{where}: a displayName on {values[0]} names every slice alike"
    )


def check_bar_names(where: str, panel: dict[str, Any], result: Result) -> None:
    """A bar chart's legend and tooltip name each value field by its display name, the SQL column ("contacts")
    unless it has one; the x field keeps its own, so only a byName override on each value column will do."""
    x, *values = result.columns
    assert field_display_name(panel, x) is None, f"{where}: the x field {x} is renamed"
    shown = {name: field_display_name(panel, name) or name for name in values}
    assert all(t[:1].isupper() and "_" not in t for t in shown.values()), f"{where}: bars read as {shown}"


def check_headers(where: str, panel: dict[str, Any], result: Result) -> None:
    """Every column the query returns gets a header in words; an override for a column the query does not
    return is a typo Grafana ignores silently."""
    titles = column_settings(panel, "displayName")
    unnamed = [name for name in result.columns if name not in titles]
    assert not unnamed, f"{where}: columns shown by their SQL names: {unnamed}"
    assert all("_" not in t and t[:1].isupper() for t in titles.values()), f"{where}: headers not words: {titles}"
    overrides = {o["matcher"]["options"] for o in panel["fieldConfig"]["overrides"]}
    stray = sorted(overrides - set(result.columns))
    assert not stray, f"{where}: overrides for columns the query does not return: {stray}"


# What a numeric column holds, read off its name: the queries' naming rule (README, "Writing a panel").
PERCENT_NAME = re.compile(r"(^|_)(service_level|rate|percent|occupancy)(_|$)")
DURATION_NAME = re.compile(r"(^|_)(seconds|time|duration|age|speed_of_answer)(_|$)")
UNITS = {"percent": frozenset({"percent"}), "duration": DURATION_UNITS, "count": frozenset({"none", "short"})}


def quantity(column: str) -> str:
    """percent (0-100), duration (seconds) or count, by the column's name; both at once is a naming error."""
    percent, duration = bool(PERCENT_NAME.search(column)), bool(DURATION_NAME.search(column))
    assert not (percent and duration), f"column {column!r} reads as both a percentage and a duration: rename it"
    return "percent" if percent else "duration" if duration else "count"


def check_units(where: str, panel: dict[str, Any], result: Result) -> None:
    """Every numeric column is shown in the unit of what it holds: seconds as a duration (never plain numbers or
    "s", which rounds to minutes), percentages as percent, counts explicitly as plain numbers. The unit in effect
    is the column's byName override, else the panel's default."""
    overrides = column_settings(panel, "unit")
    default = panel["fieldConfig"]["defaults"].get("unit")
    for index, name in enumerate(result.columns):
        values = [row[index] for row in result.rows]
        if not values or not all(numeric(v) or is_series(v) for v in values):
            continue
        unit, wanted = overrides.get(name, default), quantity(name)
        assert unit in UNITS[wanted], f"{where}: column {name!r} holds a {wanted} but is shown with unit {unit!r}"


def check_picked_series(panel: dict[str, Any], results: list[Result]) -> None:
    """A time series over a table through transformations (the shared per-minute query): every frame it shows
    has a Time field and series named in words (a queue, by the displayName of partitionByValues' label, or an
    organize rename); the columns it picks are shown in the unit of what they hold."""
    where = f"panel {panel['title']!r}"
    assert results, f"{where}: no series on the simulated data"
    for result in results:
        assert "Time" in result.columns and len(result.columns) > 1, f"{where}: no Time or no series: {result}"
        names = [name for name in result.columns if name != "Time"]
        assert all("_" not in n and n[:1].isupper() for n in names), f"{where}: series read as {names}"
    picked = [
        name
        for step in panel.get("transformations", ())
        if step["id"] == "organize"
        for name in step["options"].get("includeByName", {})
        if name not in ("Time", "queue_name")
    ]
    assert picked, f"{where}: picks no column of the shared query"
    check_units(where, panel, Result("p", "q", tuple(picked), [tuple(1.0 for _ in picked)]))


@pytest.mark.parametrize(("uid", "key", "panel"), PANELS, ids=[f"{uid}:{key}" for uid, key, _ in PANELS])
def test_query_result_fits_its_panel(engine: Engine, uid: str, key: str, panel: dict[str, Any]) -> None:
    (target,) = panel["targets"]
    if panel["type"] == "timeseries" and any(
        step["id"] == "partitionByValues" or step["id"] == "organize" for step in panel.get("transformations", ())
    ):
        check_picked_series(panel, engine.results(uid, key, START, END))
        return
    result = engine.panel(uid, key, START, END)
    check_shape(panel, target, result)
    check_units(f"panel {panel['title']!r}", panel, result)


@pytest.mark.parametrize(
    ("column", "unit", "fits"),
    [
        ("avg_handle_time", "dthms", True),
        ("avg_handle_time", "ms", False),
        ("avg_handle_time", "none", False),
        ("oldest_contact_age_seconds", "s", False),
        ("service_level", "percent", True),
        ("service_level", "percentunit", False),
        ("abandonment_rate", "none", False),
        ("contacts_handled", "none", True),
        ("contacts_handled", "", False),
        ("contacts_handled", "dthms", False),
    ],
)
def test_the_unit_check_tells_a_right_unit_from_a_wrong_one(column: str, unit: str, fits: bool) -> None:
    panel = {"fieldConfig": {"defaults": {"unit": unit}, "overrides": []}}
    result = Result(panel="p", file="q.sql", columns=(column,), rows=[(12.5,)])
    if fits:
        check_units("panel", panel, result)
    else:
        with pytest.raises(AssertionError, match="shown with unit"):
            check_units("panel", panel, result)
