"""localquery/transforms.py on small frames worked out by hand from Grafana's transformers' source: the
transformations the shared real-time queries rely on (a panel over another's result picks its rows, joins, splits
and divides as Grafana does, so that `dash query` shows what the panel shows)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from localquery.transforms import Field, Frame, apply, frame_rows, result_frame, shown


def frame(ref: str, **columns: tuple[Any, ...]) -> Frame:
    return result_frame(ref, list(columns), list(zip(*columns.values(), strict=True)))


def rows(frames: list[Frame]) -> list[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    return [frame_rows(f) for f in frames]


def test_filter_by_value_keeps_or_drops_the_rows_equal_to_the_value_or_null() -> None:
    live = frame("A", contact=("c1", "c2", "c3"), state=("QUEUED", "CONNECTED", "QUEUED"))
    queued = {"fieldName": "state", "config": {"id": "equal", "options": {"value": "QUEUED"}}}
    kept = apply([live], [{"id": "filterByValue", "options": {"type": "include", "match": "any", "filters": [queued]}}])
    assert rows(kept) == [(("contact", "state"), [("c1", "QUEUED"), ("c3", "QUEUED")])]
    dropped = apply(
        [live], [{"id": "filterByValue", "options": {"type": "exclude", "match": "any", "filters": [queued]}}]
    )
    assert rows(dropped) == [(("contact", "state"), [("c2", "CONNECTED")])]
    series = frame("A", queue=("Sales", None), n=(1, 2))
    no_queue = {"fieldName": "queue", "config": {"id": "isNull", "options": {}}}
    assert rows(apply([series], [{"id": "filterByValue", "options": {"filters": [no_queue]}}])) == [
        (("queue", "n"), [(None, 2)])
    ]
    # a field name no field has matches no row (include: nothing left)
    other = {"fieldName": "nope", "config": {"id": "equal", "options": {"value": "x"}}}
    assert rows(apply([live], [{"id": "filterByValue", "options": {"filters": [other]}}])) == [
        (("contact", "state"), [])
    ]


def test_filter_by_value_greater_and_not_equal_as_javascript_compares() -> None:
    """greater: a number above the value (null reads 0, a non-numeric string never); notEqual: JavaScript's !=,
    so null is not equal to a string; all filters must match under match all."""
    agents = frame(
        "A",
        agent=("a", "b", "c", None),
        status_type=("ROUTABLE", "CUSTOM", "ROUTABLE", None),
        on_contact=(2, 1, 0, None),
    )

    def kept(match: str, *filters: tuple[str, str, Any]) -> list[Any]:
        conditions = [{"fieldName": f, "config": {"id": m, "options": {"value": v}}} for f, m, v in filters]
        step = {"id": "filterByValue", "options": {"type": "include", "match": match, "filters": conditions}}
        ((_columns, found),) = rows(apply([agents], [step]))
        return [row[0] for row in found]

    assert kept("all", ("on_contact", "greater", 0)) == ["a", "b"]
    assert kept("all", ("on_contact", "greater", 1)) == ["a"]
    assert kept("all", ("status_type", "notEqual", "CUSTOM")) == ["a", "c", None]
    assert kept("all", ("status_type", "notEqual", "CUSTOM"), ("on_contact", "greater", 0)) == ["a"]
    assert kept("any", ("status_type", "equal", "CUSTOM"), ("on_contact", "greater", 1)) == ["a", "b"]
    assert kept("all", ("agent", "greater", 0)) == []


def test_reduce_fields_keeps_each_field_as_one_value_and_an_empty_field_sums_to_zero() -> None:
    """Mode reduceFields: the time field dropped, every other field one value (its name kept); a frame with no
    rows still gives one row, the sum of nothing being 0 and the last of nothing null."""
    sums = {"id": "reduce", "options": {"mode": "reduceFields", "reducers": ["sum"], "includeTimeField": False}}
    counted = frame("A", agents=(1, 1, 0), free=(2, None, 0))
    agents = Frame("A", (Field("Time", "time", (1, 2, 3)), *counted.fields))
    assert rows(apply([agents], [sums])) == [(("agents", "free"), [(2, 2)])]
    empty = frame("A", agents=(), free=())
    assert rows(apply([empty], [sums])) == [(("agents", "free"), [(0, 0)])]
    last = {**sums, "options": {**sums["options"], "reducers": ["lastNotNull"]}}
    assert rows(apply([empty], [last])) == [(("agents", "free"), [(None, None)])]


def test_group_by_then_organize_counts_rows_per_state_most_first() -> None:
    live = frame("A", state=("QUEUED", "ENDED", "QUEUED"), contact_id=("a", "b", "c"))
    fields = {
        "state": {"operation": "groupby", "aggregations": []},
        "contact_id": {"operation": "aggregate", "aggregations": ["count"]},
    }
    steps = [
        {"id": "groupBy", "options": {"fields": fields}},
        {"id": "organize", "options": {"renameByName": {"contact_id (count)": "contacts"}}},
        {"id": "sortBy", "options": {"sort": [{"field": "contacts", "desc": True}]}},
    ]
    assert rows(apply([live], steps)) == [(("state", "contacts"), [("QUEUED", 2), ("ENDED", 1)])]


def test_organize_include_keeps_the_named_fields_only_then_orders_and_renames() -> None:
    wide = frame("A", Time=(1,), queue=("Sales",), a=(1,), b=(2,))
    options = {"includeByName": {"b": True, "Time": True}, "indexByName": {"b": 0}, "renameByName": {"b": "B"}}
    assert rows(apply([wide], [{"id": "organize", "options": options}])) == [(("B", "Time"), [(2, 1)])]


def test_partition_by_values_splits_in_first_seen_order_and_labels_each_field() -> None:
    table = frame("A", Time=(1, 1, 2, 2), queue_name=("Sales", "Billing", "Sales", "Billing"), n=(3, 4, 5, 6))
    parts = apply([table], [{"id": "partitionByValues", "options": {"fields": ["queue_name"]}}])
    assert [f.fields[1].labels for f in parts] == [{"queue_name": "Sales"}, {"queue_name": "Billing"}]
    assert rows(parts) == [(("Time", "n"), [(1, 3), (2, 5)]), (("Time", "n"), [(1, 4), (2, 6)])]


def test_calculate_field_divides_as_javascript_and_a_missing_operand_leaves_the_frame() -> None:
    counts = frame("A", within=(3, 0, 0), queued=(4, 0, None))
    ratio = {
        "id": "calculateField",
        "options": {"mode": "binary", "alias": "r", "binary": {"left": "within", "operator": "/", "right": "queued"}},
    }
    (out,) = apply([counts], [ratio])
    r = out.by_name("r")
    assert r is not None and r.values[0] == 0.75 and math.isnan(r.values[1]) and math.isnan(r.values[2])
    snapshot = frame("C", queue_id=("q",), waiting=(2,))
    assert apply([snapshot], [ratio]) == [snapshot]


def test_calculate_field_reduce_row_sums_a_row_skipping_nulls() -> None:
    joined = frame("", queued=(4, None))
    step = {
        "id": "calculateField",
        "options": {"mode": "reduceRow", "alias": "n", "reduce": {"include": ["queued"], "reducer": "sum"}},
    }
    (out,) = apply([joined], [step])
    assert frame_rows(out) == (("queued", "n"), [(4, 4), (None, 0)])


def test_join_by_field_outer_tabular_is_a_full_join_in_the_order_rows_are_made() -> None:
    contacts = frame("A", queue_id=("q1", "q2"), queued=(5, 7))
    snapshot = frame("C", queue_id=("q2", "q3"), waiting=(1, 2))
    join = {"id": "joinByField", "options": {"byField": "queue_id", "mode": "outerTabular"}}
    assert rows(apply([contacts, snapshot], [join])) == [
        (("queue_id", "queued", "waiting"), [("q1", 5, None), ("q2", 7, 1), ("q3", None, 2)])
    ]
    assert apply([contacts], [join]) == [contacts]  # one frame: nothing to join


def test_config_from_data_by_regexp_names_ids_in_several_fields_and_drops_the_lookup() -> None:
    live = frame("A", queue=("q1", "agent/x"), agent=("a1", None))
    names = frame("B", id=("q1", "a1"), label=("Sales", "ana"))
    mappings = [
        {"fieldName": "id", "handlerKey": "mappings.value"},
        {"fieldName": "label", "handlerKey": "mappings.text"},
    ]
    step = {
        "id": "configFromData",
        "options": {
            "configRefId": "B",
            "applyTo": {"id": "byRegexp", "options": "/^(queue|agent)$/"},
            "mappings": mappings,
        },
    }
    out = apply([live, names], [step])
    assert shown(out).rows == [("Sales", "ana"), ("agent/x", None)]


def test_filter_fields_by_name_matches_the_field_name_as_well_as_its_display_name() -> None:
    renamed = Frame("A", (Field("n", "number", (1,), {"displayName": "Count"}), Field("m", "number", (2,))))
    step = {"id": "filterFieldsByName", "options": {"include": {"names": ["n"]}}}
    assert rows(apply([renamed], [step])) == [(("Count",), [(1,)])]


def test_an_unknown_transformation_is_refused() -> None:
    with pytest.raises(NotImplementedError, match="merge"):
        apply([frame("A", a=(1,))], [{"id": "merge", "options": {}}])
