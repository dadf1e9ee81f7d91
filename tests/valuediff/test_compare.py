"""Hand-worked cases: two revisions' rows of one panel, and what the pull-request comment says moved.

Each case is a small table of rows written out here with the expected result worked out by hand; the units are
Grafana's (percent: "81.2%", s: "26 s", dthms: "00:00:25", none: the number)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from localquery.run import Result
from valuediff.compare import Cell, ValueChange, compare_frame, compare_panel
from valuediff.markdown import BoardValues, md, render_values
from valuediff.panels import PanelValues


def panel(unit: str | None = None, decimals: int | None = None, **overrides: dict[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    if unit is not None:
        defaults["unit"] = unit
    if decimals is not None:
        defaults["decimals"] = decimals
    by_name = [
        {"matcher": {"id": "byName", "options": name}, "properties": [{"id": k, "value": v} for k, v in props.items()]}
        for name, props in overrides.items()
    ]
    return {"type": "stat", "fieldConfig": {"defaults": defaults, "overrides": by_name}}


def result(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Result:
    return Result("p", "queries/p.sql", columns, rows)


def values(key: str, body: dict[str, Any], *results: Result, title: str = "Service level") -> PanelValues:
    return PanelValues(key, title, body, tuple(results))


def test_a_stat_value_moves_formatted_by_its_unit() -> None:
    old = values("service_level", panel("percent", 1), result(("service_level",), [(81.23,)]))
    new = values("service_level", panel("percent", 1), result(("service_level",), [(78.94,)]))
    diff = compare_panel(old, new, definition_changed=True)
    (frame,) = diff.frames
    assert frame.values == (ValueChange("service_level", Cell("81.2%", 81.23), Cell("78.9%", 78.94)),)
    text = render_values([BoardValues("b", "Board", (diff,))], "Values", [])
    assert "**Service level** (`service_level`, definition changed): 81.2% -> 78.9%" in text


def test_a_unit_change_alone_is_shown_with_the_same_value() -> None:
    old = values("asa", panel("dthms", 0), result(("asa",), [(25.6,)]), title="ASA")
    new = values("asa", panel("s", 0), result(("asa",), [(25.6,)]), title="ASA")
    diff = compare_panel(old, new, definition_changed=True)
    assert diff.changed
    assert diff.frames[0].notes == ("column 'asa': unit dthms, 0 decimals -> unit s, 0 decimals",)
    text = render_values([BoardValues("b", "Board", (diff,))], "Values", [])
    assert "00:00:25 -> 26 s (the same value, shown by another unit or decimals)" in text


def test_a_change_the_display_rounds_away_shows_the_raw_numbers() -> None:
    old = values("service_level", panel("percent", 1), result(("service_level",), [(81.23,)]))
    new = values("service_level", panel("percent", 1), result(("service_level",), [(81.24,)]))
    text = render_values([BoardValues("b", "B", (compare_panel(old, new, True),))], "Values", [])
    assert "81.2% -> 81.2% (81.23 -> 81.24)" in text


def test_a_redefined_panel_with_the_same_values_says_so_and_an_unchanged_one_is_not_a_change() -> None:
    same = values("n", panel("none"), result(("n",), [(7,)]), title="N")
    diff = compare_panel(same, same, definition_changed=True)
    assert not diff.changed
    text = render_values([BoardValues("b", "B", (diff,))], "Values", [])
    assert "**N** (`n`, definition changed): values unchanged: 7" in text


def test_table_rows_are_matched_by_their_text_columns() -> None:
    columns = ("agent", "handled", "avg_handle_time")
    body = panel(None, None, avg_handle_time={"unit": "s", "decimals": 0})
    before = [("alice", 3, 100.0), ("bob", 2, 50.0), ("dan", 1, 10.0)]
    after = [("carol", 1, 45.0), ("alice", 4, 100.0), ("dan", 1, 10.0)]
    frame = compare_frame(result(columns, before), body, result(columns, after), body, "t")
    assert frame.keys == ("agent",)
    rows = [
        (r.kind, r.key, [(c.label, c.old and c.old.text, c.new and c.new.text) for c in r.cells]) for r in frame.rows
    ]
    assert rows == [
        ("added", ("carol",), [("handled", None, "1"), ("avg_handle_time", None, "45 s")]),
        ("changed", ("alice",), [("handled", "3", "4")]),  # its handle time did not move: not listed
        ("removed", ("bob",), [("handled", "2", None), ("avg_handle_time", "50 s", None)]),
    ]  # dan did not change: not listed
    text = render_values(
        [
            BoardValues(
                "b",
                "B",
                (
                    compare_panel(
                        values("a", body, result(columns, before), title="Agents"),
                        values("a", body, result(columns, after), title="Agents"),
                        True,
                    ),
                ),
            )
        ],
        "Values",
        [],
    )
    assert "Rows 1 added, 1 removed, 1 changed:" in text
    assert "| carol | added | 1 | 45 s |" in text
    assert "| alice | changed | 3 -> 4 |  |" in text
    assert "| bob | removed | 2 | 50 s |" in text


def test_rows_whose_text_columns_repeat_are_matched_by_position() -> None:
    columns = ("reason", "n")
    before = [("x", 1), ("x", 2)]
    after = [("x", 1), ("x", 5), ("y", 1)]
    frame = compare_frame(result(columns, before), panel(), result(columns, after), panel(), "t")
    assert frame.keys == ("row",)
    assert [(r.kind, r.key) for r in frame.rows] == [("changed", ("2",)), ("added", ("3",))]


def test_series_are_summed_up_per_label_with_the_points_that_moved() -> None:
    t = [datetime(2026, 2, 1, h) for h in range(3)]
    columns = ("time", "queue", "contacts")
    before = [(t[0], "Sales", 4), (t[1], "Sales", 6), (t[2], "Sales", 5), (t[0], "Billing", 1), (t[1], "Billing", 1)]
    after = [(t[0], "Sales", 4), (t[1], "Sales", 2), (t[2], "Sales", 9), (t[0], "Billing", 1), (t[1], "Billing", 1)]
    frame = compare_frame(result(columns, before), panel("none"), result(columns, after), panel("none"), "t")
    (sales,) = frame.series  # Billing did not move
    assert sales.name == "Sales"
    assert sales.changed_points == 2
    assert sales.old is not None and (sales.old.points, sales.old.last, sales.old.low, sales.old.high) == (
        3,
        "5",
        "4",
        "6",
    )
    assert sales.new is not None and (sales.new.points, sales.new.last, sales.new.low, sales.new.high) == (
        3,
        "9",
        "2",
        "9",
    )
    text = render_values(
        [
            BoardValues(
                "b",
                "B",
                (
                    compare_panel(
                        values("v", panel("none"), result(columns, before), title="Volume"),
                        values("v", panel("none"), result(columns, after), title="Volume"),
                        True,
                    ),
                ),
            )
        ],
        "Values",
        [],
    )
    assert "| Sales | 3 | 5 -> 9 | 4 -> 2 | 6 -> 9 | 2 |" in text


def test_a_timestream_time_series_column_is_compared_point_by_point() -> None:
    t = [datetime(2026, 2, 1, 0, m) for m in range(3)]
    columns = ("queue_name", "contacts_in_queue")

    def series(*points: float) -> list[dict[str, Any]]:
        return [{"time": moment, "value": v} for moment, v in zip(t, points, strict=False)]

    before = [("Sales", series(1.0, 2.0, 3.0)), ("Billing", series(0.0, 0.0, 1.0))]
    after = [("Sales", series(1.0, 2.0)), ("Billing", series(0.0, 0.0, 1.0))]
    frame = compare_frame(result(columns, before), panel("none"), result(columns, after), panel("none"), "t")
    (sales,) = frame.series
    assert (sales.name, sales.changed_points) == ("Sales", 1)  # the 00:02 point is gone
    assert sales.old is not None and sales.new is not None
    assert (sales.old.points, sales.old.last, sales.new.points, sales.new.last) == (3, "3", 2, "2")


def test_columns_added_and_removed_are_named() -> None:
    frame = compare_frame(result(("a", "b"), [(1, 2)]), panel(), result(("a", "c"), [(1, 3)]), panel(), "t")
    assert frame.notes == ("column 'c' added", "column 'b' removed")
    assert [(v.label, v.old, v.new) for v in frame.values if v.changed] == [
        ("c", None, Cell("3", 3)),
        ("b", Cell("2", 2), None),
    ]


def test_added_and_removed_panels_and_failing_queries() -> None:
    one = values("n", panel("none"), result(("n",), [(7,)]), title="N")
    added, removed = compare_panel(None, one, False), compare_panel(one, None, False)
    assert (added.status, removed.status) == ("added", "removed")
    broken = PanelValues("n", "N", panel("none"), problem="queries/n.sql: no column x")
    failing = compare_panel(one, broken, True)
    text = render_values([BoardValues("b", "B", (added, removed, failing))], "Values", [])
    assert "**N** (`n`, added): - -> 7" in text
    assert "**N** (`n`, removed): 7 -> -" in text
    assert "- after: queries/n.sql: no column x" in text


def test_text_from_definitions_and_data_cannot_break_the_markdown() -> None:
    columns = ("queue", "n")
    body = panel("none")
    hostile = "a | b *c* <img src=x> `d`"
    old = values("q", body, result(columns, [(hostile, 1)]), title="Queues | *all*")
    new = values("q", body, result(columns, [(hostile, 2)]), title="Queues | *all*")
    text = render_values([BoardValues("b", "Board | x", (compare_panel(old, new, True),))], "Values", [])
    row = next(line for line in text.splitlines() if line.startswith("| a"))
    assert row == "| a \\| b \\*c\\* \\<img src=x\\> \\`d\\` | changed | 1 -> 2 |"
    assert row.replace("\\|", "").count("|") == 4  # three cells
    assert "**Queues \\| \\*all\\***" in text and "#### Board \\| x (`b`)" in text
    assert md("line\nbreak") == "line break"
    heading = render_values([], "Values before (HEAD~1 | *x*) and after, on data_dir", ["a | b"])
    assert heading.startswith("### Values before (HEAD\\~1 \\| \\*x\\*) and after, on data\\_dir\n\n- a \\| b\n")
