"""Engine answers to the frames alerting reads: DuckDB's declared types, InfluxDB's series and tags."""

from __future__ import annotations

from alerting.values import NoData, Number, Series, convert
from alerttest.run import influx_frames, result_frame
from localquery.influx import InfluxTable
from localquery.run import Result

T = 1_770_019_200_000  # 2026-02-02T08:00:00Z


def test_duckdb_types_type_the_columns_even_without_rows() -> None:
    empty = Result("p", "f.sql", ("time", "queue_id", "service_level"), [], ("TIMESTAMP", "VARCHAR", "DECIMAL(18,3)"))
    assert result_frame(empty).kinds == ("time", "text", "number")
    assert convert((result_frame(empty),), "A") == ()  # a time series per queue, and no queue: no series
    flag = Result("p", "f.sql", ("ok", "n"), [(True, 1)], ("BOOLEAN", "BIGINT"))
    assert result_frame(flag).kinds == ("other", "number")


def test_influx_series_are_labelled_by_their_tags_only_and_no_series_is_no_data() -> None:
    tables = [
        InfluxTable("contact_event", {"queue_id": "q1"}, ("time", "service_level"), [(T, 75.0)]),
        InfluxTable("contact_event", {"queue_id": "q2"}, ("time", "service_level"), [(T, 90.0)]),
    ]
    assert convert(influx_frames(tables), "A") == (
        Series((("queue_id", "q1"),), ((T, 75.0),)),
        Series((("queue_id", "q2"),), ((T, 90.0),)),
    )
    assert convert(influx_frames([]), "A") == (NoData(),)
    untagged = [InfluxTable(name, {}, ("time", "n"), [(T, 1)]) for name in ("agent_state", "queue_metrics")]
    values = convert(influx_frames(untagged), "A")
    assert [v.labels for v in values if isinstance(v, Series)] == [(), ()]  # two measurements, the same labels


def test_a_number_table_from_duckdb() -> None:
    rows = Result("p", "f.sql", ("queue", "waiting"), [("Sales", 3)], ("VARCHAR", "INTEGER"))
    assert convert((result_frame(rows),), "A") == (Number((("queue", "Sales"),), 3.0),)
