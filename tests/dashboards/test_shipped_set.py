"""What every shipped dashboard promises a supervisor: units, decimals, thresholds, descriptions, refresh."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dashcompiler.compile import compile_model
from dashcompiler.config import load_config

ROOT = Path(__file__).resolve().parents[2]
# Every committed environment's dashboards (one per real-time store), keyed "environment/uid".
BOARDS = {
    f"{env}/{board.uid}": board.json
    for env in load_config(ROOT).outputs
    for board in compile_model(ROOT, env).dashboards
}
KPI_TYPES = ("stat", "gauge", "bargauge")


def panels(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in body["panels"] if p["type"] != "row"]


@pytest.mark.parametrize("uid", sorted(BOARDS))
def test_every_panel_sets_unit_decimals_and_thresholds(uid: str) -> None:
    missing = [
        (panel["title"], key)
        for panel in panels(BOARDS[uid])
        for key in ("unit", "decimals", "thresholds")
        if key not in panel.get("fieldConfig", {}).get("defaults", {})
    ]
    assert not missing, f"{uid}: panels without a unit, decimals or thresholds: {missing}"


@pytest.mark.parametrize("uid", sorted(BOARDS))
def test_every_kpi_panel_says_what_it_counts(uid: str) -> None:
    undescribed = [p["title"] for p in panels(BOARDS[uid]) if p["type"] in KPI_TYPES and not p.get("description")]
    assert not undescribed, f"{uid}: KPI panels without a description: {undescribed}"


@pytest.mark.parametrize("uid", sorted(uid for uid in BOARDS if "-rt-" in uid))
def test_real_time_dashboards_refresh_every_5_to_10_seconds(uid: str) -> None:
    assert BOARDS[uid]["refresh"] in ("5s", "10s")


# Grafana units that show seconds without first scaling to minutes and rounding to the panel's decimals.
DURATION_UNITS = frozenset({"dthms", "dtdhms", "dtdurations"})
TABLE_FORMAT = {"grafana-timestream-datasource": 0, "grafana-athena-datasource": 1}


def table_format(target: dict[str, Any]) -> bool:
    """A target whose rows reach the panel as one table frame (InfluxQL's resultFormat table); a Dashboard
    datasource target, as its source panel's first target's do."""
    if target["datasource"]["uid"] == "-- Dashboard --":
        sources = [p for _uid, p in shipped_panels() if p.get("id") == target["panelId"]]  # one per environment
        return all(table_format(source["targets"][0]) for source in sources)
    if target["datasource"]["type"] == "influxdb":
        return bool(target["resultFormat"] == "table")
    return bool(target["format"] == TABLE_FORMAT[target["datasource"]["type"]])


def seconds_column(name: str) -> bool:
    """A column of seconds, by the naming the queries use: ..._seconds, seconds_..., avg_..._time."""
    return "seconds" in name.split("_") or (name.startswith("avg_") and name.endswith("_time"))


def shipped_panels() -> list[tuple[str, dict[str, Any]]]:
    return [(uid, panel) for uid in sorted(BOARDS) for panel in panels(BOARDS[uid])]


def unit_settings(panel: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every unit a panel sets, in its defaults and its overrides."""
    config = panel["fieldConfig"]
    found = [("defaults", config["defaults"].get("unit"))]
    for override in config["overrides"]:
        found += [(override["matcher"]["options"], p["value"]) for p in override["properties"] if p["id"] == "unit"]
    return found


def test_breakdowns_over_table_rows_show_one_slice_per_row() -> None:
    """A table-format query gives one row per category; without `values` Grafana reduces the count column
    to a single slice or bar."""
    reduced = [
        (uid, panel["title"])
        for uid, panel in shipped_panels()
        if panel["type"] in ("piechart", "bargauge")
        and any(table_format(t) for t in panel["targets"])
        and panel["options"]["reduceOptions"]["values"] is not True
    ]
    assert not reduced, f"pie charts and bar gauges reducing their rows to one value: {reduced}"


def test_no_panel_rounds_seconds_to_whole_minutes() -> None:
    """Unit "s" scales 330 to 5.5 min and then applies decimals: at 0 decimals an AHT of 5:30 reads "6 min"."""
    rounded = [
        (uid, panel["title"], where)
        for uid, panel in shipped_panels()
        for where, unit in unit_settings(panel)
        if unit == "s" and panel["fieldConfig"]["defaults"].get("decimals", 0) < 2
    ]
    assert not rounded, f"seconds that Grafana rounds to whole minutes: {rounded}"


def test_athena_time_series_select_a_time_column_in_time_order() -> None:
    """The Athena plugin's format 0 fails with "no time column found" unless a column is named `time`, and
    turns a long frame wide only if it is sorted by time."""
    wrong = [
        (uid, panel["title"])
        for uid, panel in shipped_panels()
        for t in panel["targets"]
        if t["datasource"]["type"] == "grafana-athena-datasource"
        and t["format"] == 0
        and not (
            re.search(r"\bAS\s+time\b", t["rawSQL"], re.IGNORECASE)
            and re.search(r"\bORDER\s+BY\s+(1|time)\b", t["rawSQL"], re.IGNORECASE)
        )
    ]
    assert not wrong, f"Athena time series without a `time` column or ORDER BY time: {wrong}"


def test_timestream_time_series_return_series_or_time_ordered_rows() -> None:
    wrong = [
        (uid, panel["title"])
        for uid, panel in shipped_panels()
        for t in panel["targets"]
        if t["datasource"]["type"] == "grafana-timestream-datasource"
        and t["format"] == 1
        and not re.search(r"\bCREATE_TIME_SERIES\s*\(|\bORDER\s+BY\s+time\b", t["rawQuery"], re.IGNORECASE)
    ]
    assert not wrong, f"Timestream time series without CREATE_TIME_SERIES or ORDER BY time: {wrong}"


def test_sparse_hourly_counts_are_drawn_as_bars() -> None:
    """$__timeGroup buckets with no contacts have no row and Athena fills none: a line would bridge them."""
    lines = [
        (uid, panel["title"])
        for uid, panel in shipped_panels()
        if panel["type"] == "timeseries"
        and any("$__timeGroup" in t.get("rawSQL", "") for t in panel["targets"])
        and panel["fieldConfig"]["defaults"]["custom"].get("drawStyle") != "bars"
    ]
    assert not lines, f"hourly counts drawn as lines across empty hours: {lines}"


def test_no_table_uses_the_deprecated_cell_display_mode() -> None:
    """Grafana 10 replaced a table's `custom.displayMode` with `custom.cellOptions` and migrates the old key only
    on dashboards below schemaVersion 38."""
    legacy = [
        (uid, panel["title"])
        for uid, panel in shipped_panels()
        if panel["type"] == "table"
        and (
            "displayMode" in panel["fieldConfig"]["defaults"].get("custom", {})
            or any(p["id"] == "custom.displayMode" for o in panel["fieldConfig"]["overrides"] for p in o["properties"])
        )
    ]
    assert not legacy, f"tables with custom.displayMode: {legacy}"
    assert all(
        panel["fieldConfig"]["defaults"]["custom"]["cellOptions"] == {"type": "auto"}
        for _, panel in shipped_panels()
        if panel["type"] == "table"
    )
