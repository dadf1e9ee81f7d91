"""Rows -> what Grafana shows, on small hand-worked panels: names, reductions, units, colours, order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from localquery.run import Result
from preview.frames import NAMED_COLORS, Field, default_name, panel_view


def _result(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Result:
    return Result("p", "q.sql", columns, rows)


def _panel(kind: str, **defaults: Any) -> dict[str, Any]:
    return {"type": kind, "fieldConfig": {"defaults": defaults, "overrides": []}, "options": {}}


def _override(panel: dict[str, Any], name: str, **properties: Any) -> dict[str, Any]:
    props = [{"id": key, "value": value} for key, value in properties.items()]
    panel["fieldConfig"]["overrides"].append({"matcher": {"id": "byName", "options": name}, "properties": props})
    return panel


T0, T1 = datetime(2026, 2, 1, 9, 0), datetime(2026, 2, 1, 9, 5)


def test_a_long_table_is_a_series_per_label_value_named_as_grafana_names_it() -> None:
    # time, channel, contacts: Grafana's long-to-wide makes field "contacts" with label channel=...; one label
    # name across all fields, so the name is the field's name and the label's value.
    rows = [(T0, "VOICE", 3), (T0, "CHAT", 1), (T1, "VOICE", 4)]
    view = panel_view(_panel("timeseries"), [_result(("time", "channel", "contacts"), rows)], "w")
    assert [(s.name, s.x, s.y) for s in view.series] == [
        ("contacts VOICE", ("2026-02-01T09:00:00.000Z", "2026-02-01T09:05:00.000Z"), (3.0, 4.0)),
        ("contacts CHAT", ("2026-02-01T09:00:00.000Z",), (1.0,)),
    ]


def test_a_display_name_template_takes_the_label_and_two_labels_are_listed() -> None:
    rows = [(T0, "VOICE", "Sales", 3), (T0, "VOICE", "Billing", 2), (T0, "CHAT", "Sales", 1)]
    result = _result(("time", "queue", "channel", "contacts"), [(t, q, c, n) for t, c, q, n in rows])
    named = panel_view(_panel("timeseries", displayName="${__field.labels.queue}"), [result], "w").series
    assert [s.name for s in named] == ["Sales", "Billing", "Sales"]
    plain = panel_view(_panel("timeseries"), [result], "w").series
    # labels sorted by name, each shown only where it varies across the fields
    assert [s.name for s in plain] == [
        'contacts {channel="VOICE", queue="Sales"}',
        'contacts {channel="VOICE", queue="Billing"}',
        'contacts {channel="CHAT", queue="Sales"}',
    ]
    same_channel = _result(
        ("time", "channel", "queue", "contacts"), [(T0, "VOICE", "Sales", 3), (T0, "VOICE", "Billing", 2)]
    )
    assert [s.name for s in panel_view(_panel("timeseries"), [same_channel], "w").series] == [
        'contacts {queue="Sales"}',
        'contacts {queue="Billing"}',
    ]


def test_timestreams_time_series_column_is_a_series_per_row() -> None:
    points = [{"time": T0, "value": 2.0}, {"time": T1, "value": None}]
    result = _result(("queue_name", "contacts_in_queue"), [("Sales", points), ("Billing", [])])
    panel = _override(_panel("timeseries", unit="none"), "contacts_in_queue Sales", displayName="Sales queue")
    view = panel_view(panel, [result], "w")
    assert [(s.name, s.y) for s in view.series] == [("Sales queue", (2.0, None)), ("contacts_in_queue Billing", ())]


def test_default_name_keeps_value_out_and_falls_back_to_the_field_name() -> None:
    assert default_name(Field("Value", (("queue", "Sales"),)), [Field("Value", (("queue", "Sales"),))]) == "Sales"
    assert default_name(Field("handled"), [Field("handled")]) == "handled"


def test_a_stat_reduces_to_the_last_value_that_is_not_null_and_formats_it() -> None:
    panel = _panel("stat", unit="percent", decimals=1)
    panel["options"] = {"reduceOptions": {"calcs": ["lastNotNull"]}}
    (stat,) = panel_view(panel, [_result(("service_level",), [(12.0,), (81.25,), (None,)])], "w").stats
    assert (stat.text, stat.value) == ("81.3%", 81.25)  # 81.25 rounds half up, as Math.round


@pytest.mark.parametrize(("value", "color"), [(79.9, "green"), (80, "red"), (100, "red"), (None, "green")])
def test_a_stat_takes_the_colour_of_the_highest_step_it_reaches(value: float | None, color: str) -> None:
    steps = [{"color": "green", "value": None}, {"color": "red", "value": 80}]
    panel = _panel("stat", unit="none", decimals=0, thresholds={"mode": "absolute", "steps": steps})
    (stat,) = panel_view(panel, [_result(("rate",), [(value,)])], "w").stats
    assert stat.color == NAMED_COLORS[color]


def test_a_stat_with_no_rows_shows_the_panels_no_value_text_else_no_data() -> None:
    empty = [_result(("waiting",), [])]
    (stat,) = panel_view(_panel("stat", noValue="No contact waiting"), empty, "w").stats
    assert stat.text == "No contact waiting"
    (stat,) = panel_view(_panel("stat"), empty, "w").stats
    assert stat.text == "No data"


def test_a_duration_stat_reads_hh_mm_ss() -> None:
    (stat,) = panel_view(_panel("stat", unit="dthms"), [_result(("asa",), [(3725.9,)])], "w").stats
    assert stat.text == "01:02:05"


def test_a_table_shows_display_names_units_and_the_panels_sort_order() -> None:
    panel = _override(_panel("table", unit="none", decimals=0), "aht", displayName="Average handle time", unit="dthms")
    panel = _override(panel, "agent", displayName="Agent")
    panel["options"] = {"sortBy": [{"displayName": "Average handle time", "desc": True}]}
    rows = [("ann", 61.0, 3), ("bob", None, 2), ("cat", 300.4, 1)]
    (table,) = panel_view(panel, [_result(("agent", "aht", "handled"), rows)], "w").tables
    assert table.headers == ("Agent", "Average handle time", "handled")
    assert table.rows == (("cat", "00:05:00", "1"), ("ann", "00:01:01", "3"), ("bob", "", "2"))
    assert table.numeric == (False, True, True)


def test_a_tables_times_are_written_in_the_dashboards_zone() -> None:
    (table,) = panel_view(_panel("table"), [_result(("enqueued_at",), [(T0,)])], "w", "Europe/London").tables
    assert table.rows == (("2026-02-01 09:00:00",),)
    (table,) = panel_view(_panel("table"), [_result(("enqueued_at",), [(T0,)])], "w", "America/New_York").tables
    assert table.rows == (("2026-02-01 04:00:00",),)


def test_a_pie_has_a_slice_per_row_labelled_by_its_text() -> None:
    panel = _panel("piechart", unit="none")
    view = panel_view(panel, [_result(("state", "contacts"), [("QUEUED", 9), ("CONNECTED", 19)])], "w")
    assert view.categories is not None
    assert view.categories.labels == ("QUEUED", "CONNECTED")
    assert [(s.name, s.y) for s in view.categories.series] == [("contacts", (9.0, 19.0))]


def test_a_bar_charts_series_takes_its_override_display_name() -> None:
    panel = _override(_panel("barchart"), "slots", displayName="Available slots")
    view = panel_view(panel, [_result(("channel", "slots"), [("CHAT", 3), ("TASK", 5)])], "w")
    assert view.categories is not None
    assert [s.name for s in view.categories.series] == ["Available slots"]


def test_a_transformed_frame_draws_over_its_time_field_whatever_its_name() -> None:
    # After partitionByValues and the panel's ${__field.labels.queue_name}, `dash query` gives a time field and one
    # number field per queue, already named; the preview draws one series per number field over the time field.
    panel = _panel("timeseries", displayName="${__field.labels.queue_name}", unit="short")
    panel["transformations"] = [{"id": "partitionByValues", "options": {"fields": ["queue_name"]}}]
    frame = Result(
        "p", "q.sql", ("At", "Billing", "Sales"), [(T0, 2, None), (T1, 3, 1)], field_types=("time", "number", "number")
    )
    view = panel_view(panel, [frame], "w")
    assert [(s.name, s.x, s.y) for s in view.series] == [
        ("Billing", ("2026-02-01T09:00:00.000Z", "2026-02-01T09:05:00.000Z"), (2.0, 3.0)),
        ("Sales", ("2026-02-01T09:00:00.000Z", "2026-02-01T09:05:00.000Z"), (None, 1.0)),
    ]
    assert view.note is None and view.unit == "short"


def test_an_influxql_frames_time_field_of_epoch_milliseconds_is_no_value() -> None:
    # InfluxDB's table frame names its time field Time and holds epoch ms: a number, yet no series and no stat.
    ms0 = T0.replace(tzinfo=UTC).timestamp() * 1000
    frame = Result(
        "p", "q.influxql", ("Time", "Online"), [(ms0, 4.0), (ms0 + 300_000, 5.0)], field_types=("time", "number")
    )
    (series,) = panel_view(_panel("timeseries"), [frame], "w").series
    assert (series.name, series.x, series.y) == (
        "Online",
        ("2026-02-01T09:00:00.000Z", "2026-02-01T09:05:00.000Z"),
        (4.0, 5.0),
    )
    (stat,) = panel_view(_panel("stat"), [frame], "w").stats
    assert (stat.title, stat.value) == ("Online", 5.0)


def test_percentage_thresholds_place_the_value_between_min_and_max_or_say_they_cannot() -> None:
    steps = [{"color": "green", "value": None}, {"color": "red", "value": 50}]
    thresholds = {"mode": "percentage", "steps": steps}
    # 30 between 20 and 40 is 50 %: red; 29 is 45 %: green
    for value, color in ((30, "red"), (29, "green")):
        panel = _panel("stat", thresholds=thresholds, min=20, max=40)
        (stat,) = panel_view(panel, [_result(("v",), [(value,)])], "w").stats
        assert stat.color == NAMED_COLORS[color]
    view = panel_view(_panel("stat", thresholds=thresholds), [_result(("v",), [(30,)])], "w")
    assert view.stats[0].color == NAMED_COLORS["text"] and view.note is not None and "percentage" in view.note
