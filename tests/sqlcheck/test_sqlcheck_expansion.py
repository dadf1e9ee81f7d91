"""Macro expansion matches the plugins' own test vectors; the Timestream dialect; the data model."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlglot
from connect_ingest.datamodel import CONTACT_RECORDS, TIMESTREAM_TABLES, parse_hive_type
from sqlglot import exp

from core.textmap import Edit, MapChain, apply_edits
from core.timerange import SAMPLE_RANGE, TimeRange
from kinds import KINDS
from sqlcheck.gotime import go_format
from sqlcheck.timestream_dialect import Timestream
from tests.sqlcheck.helpers import check, environment

# grafana/timestream-datasource pkg/timestream/macros_test.go uses this range.


def expand(
    sql: str, kind_name: str, *, target: dict[str, str] | None = None, time_range: TimeRange = SAMPLE_RANGE
) -> str:
    """The text the kind's plugin would send, in the prod environment."""
    kind = KINDS[kind_name]
    return kind.expand(sql, kind.context(environment()), target or {}, time_range)


PLUGIN_RANGE = TimeRange(from_ms=1500376552001, to_ms=1500376552002, interval_ms=60_000)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT average(value) FROM test AND $__timeFilter TIMESERIES",
            "SELECT average(value) FROM test AND time BETWEEN from_milliseconds(1500376552001) "
            "AND from_milliseconds(1500376552002) TIMESERIES",
        ),
        ("GROUP BY $__interval_ms TIMESERIES", "GROUP BY 60000ms TIMESERIES"),
        ("GROUP BY $__interval TIMESERIES", "GROUP BY 60000ms TIMESERIES"),
        ("WHERE TIME > from_milliseconds($__timeFrom)", "WHERE TIME > from_milliseconds(1500376552001)"),
        ("WHERE TIME < from_milliseconds($__timeTo)", "WHERE TIME < from_milliseconds(1500376552002)"),
        ("rate(input) * $__interval_raw_ms", "rate(input) * 60000"),
    ],
)
def test_timestream_expansion_matches_the_plugin_tests(sql: str, expected: str) -> None:
    assert expand(sql, "timestream", time_range=PLUGIN_RANGE) == expected


def test_timestream_target_fields_and_quoted_default_database() -> None:
    sql = "SELECT '$__measure' FROM $__database.$__table LIMIT 10"
    target = {"database": "${ddd}", "table": "agent_state", "measure": "agent_state"}
    assert expand(sql, "timestream", target=target) == (
        "SELECT 'agent_state' FROM \"connect-analytics\".agent_state LIMIT 10"
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("$__timeFilter(t)", "t BETWEEN TIMESTAMP '2024-05-01 00:00:00' AND TIMESTAMP '2024-05-02 12:00:00'"),
        (
            "$__timeFilter(t, 'yyyy-MM-dd HH:mm:ss')",
            "TIMESTAMP t BETWEEN TIMESTAMP '2024-05-01 00:00:00' AND TIMESTAMP '2024-05-02 12:00:00'",
        ),
        (
            "$__timeFilter(t, 'yyyy-MM-dd')",
            "parse_datetime(t,'yyyy-MM-dd') BETWEEN TIMESTAMP '2024-05-01 00:00:00' AND TIMESTAMP '2024-05-02 12:00:00'",
        ),
        ("$__dateFilter(d)", "d BETWEEN date '2024-05-01' AND date '2024-05-02'"),
        ("$__parseTime(t)", "TIMESTAMP t"),
        ("$__parseTime(t, 'dd/MM/yyyy')", "parse_datetime(t,'dd/MM/yyyy')"),
        ("$__unixEpochFilter(e)", "e BETWEEN 1714521600 AND 1714651200"),
        ("$__timeFrom() < $__timeTo()", "TIMESTAMP '2024-05-01 00:00:00' < TIMESTAMP '2024-05-02 12:00:00'"),
        ("$__rawTimeFrom() $__rawTimeTo", "'2024-05-01 00:00:00' '2024-05-02 12:00:00'"),
        ("$__rawTimeFrom('yyyy-MM-dd')", "'2024-05-01'"),
        # viant/toolbox DateFormatToLayout, then Go's Format: single-letter tokens, and each token once only.
        ("$__rawTimeFrom('d/M/yyyy')", "'1/5/2024'"),
        ("$__rawTimeTo('yyyy-MM-dd''T''HH:mm:ss.SSS')", "'2024-05-02''T''12:00:00.000'"),
        ("$__rawTimeTo('HH:mm HH:mm')", "'12:00 HH:0m'"),
        ("$__rawTimeTo('EEEE d MMM')", "'Thursday 2 May'"),
        ("$__rawTimeTo('EEEE, d MMM')", "'2024-05-02 12:00:00'"),  # split at the comma: two args, default format
        ("$__timeGroup(t, '5m')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/300)*300)"),
        ("$__timeGroup(t, 30d)", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/2.592e+06)*2.592e+06)"),
        ("$__unixEpochGroup(e, '1h')", "FROM_UNIXTIME(FLOOR(e/3600)*3600)"),
        # gtime.ParseInterval: Go durations, and calendar months and years from now (the range's end).
        ("$__timeGroup(t, '1h30m')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/5400)*5400)"),
        ("$__timeGroup(t, '1.5h')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/5400)*5400)"),
        ("$__timeGroup(t, '500ms')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/0.5)*0.5)"),
        ("$__timeGroup(t, '1M')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/2.6784e+06)*2.6784e+06)"),
        ("$__timeGroup(t, '1y')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(t)/3.1536e+07)*3.1536e+07)"),
        (
            "$__timeGroup(t, '5m', 'yyyy-MM-dd HH:mm:ss')",
            "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(TIMESTAMP t)/300)*300)",
        ),
        (
            "$__timeGroup(t, '1m', 'yyyy-MM-dd''T''HH:mm:ss''Z')",
            "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(parse_datetime(t,'yyyy-MM-dd''T''HH:mm:ss''Z'))/60)*60)",
        ),
        ("$__timeGroup(f(a, b), '1h')", "FROM_UNIXTIME(FLOOR(TO_UNIXTIME(f(a, b))/3600)*3600)"),
        ("FROM $__table WHERE $__column > 0", "FROM ctr WHERE c > 0"),
        ("$__interval $__interval_ms", "1m 60000"),
    ],
)
def test_athena_expansion(sql: str, expected: str) -> None:
    target = {"table": "ctr", "column": "c"}
    assert expand(sql, "athena", target=target, time_range=SAMPLE_RANGE) == expected


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("$__dateFilter(a, b)", "$__dateFilter: unexpected number of arguments: expected 1, received 2"),
        (
            "$__timeGroup(t, '5x')",
            '$__timeGroup: error parsing interval \'5x\': time: unknown unit "x" in duration "5x"',
        ),
        ("$__timeGroup(t, 5)", '$__timeGroup: error parsing interval 5: time: missing unit in duration "5"'),
    ],
)
def test_athena_macro_refused_like_the_plugin(sql: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        expand(sql, "athena")


def test_timestream_refuses_interval_str_as_the_plugin_does() -> None:
    with pytest.raises(ValueError, match=re.escape("$__intervalStr removed... use $__interval_ms")):
        expand("SELECT bin(time, $__intervalStr) FROM t", "timestream")


GO_REFERENCE = datetime(2009, 11, 10, 23, 0, 0, tzinfo=UTC)  # the time of Go's own Format examples


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("Mon Jan _2 15:04:05 2006", "Tue Nov 10 23:00:00 2009"),
        ("2006-01-02T15:04:05Z07:00", "2009-11-10T23:00:00Z"),
        ("Mon, 02 Jan 2006 15:04:05 MST", "Tue, 10 Nov 2009 23:00:00 UTC"),
        ("3:04PM", "11:00PM"),
        ("Jan 2, 2006 at 3:04pm (MST)", "Nov 10, 2009 at 11:00pm (UTC)"),
        ("15:04:05.000", "23:00:00.000"),
        ("2006-01-02 15:04:05.999 -0700", "2009-11-10 23:00:00 +0000"),
    ],
)
def test_go_format_matches_gos_documented_examples(layout: str, expected: str) -> None:
    assert go_format(GO_REFERENCE, layout) == expected


def test_offsets_map_back_through_two_passes() -> None:
    source = "ab$xcd$__m ef"
    chain = MapChain()
    first, first_map = apply_edits(source, [Edit(2, 4, "LONGER", "$x")])
    chain.add(first_map)
    second, second_map = apply_edits(first, [Edit(first.index("$__m"), first.index("$__m") + 4, "", "$__m")])
    chain.add(second_map)
    assert second == "abLONGERcd ef"
    assert chain.to_source(second.index("e")) == (source.index("e"), [])
    assert chain.to_source(second.index("G")) == (2, ["$x"])
    assert chain.to_source(second.index(" ")) == (source.index(" "), [])


def test_timestream_dialect_reads_durations_casts_and_series_functions() -> None:
    sql = (
        "SELECT INTERPOLATE_LINEAR(CREATE_TIME_SERIES(time, measure_value::double), SEQUENCE(min(time), max(time), 15s)) "
        'FROM "db"."T" WHERE time > ago(1h) AND \'ago(1m)\' <> bin(time, 60000ms)'
    )
    tree = sqlglot.parse_one(sql, read=Timestream)
    units = sorted(i.unit.name for i in tree.find_all(exp.Interval))
    assert units == ["HOUR", "MILLISECOND", "SECOND"]
    assert tree.find(exp.Cast).to.sql() == "DOUBLE"
    assert "'ago(1m)'" in tree.sql(dialect=Timestream)  # string literals are left alone
    assert "ago(1h)" in tree.sql(dialect=Timestream).lower()
    assert "INTERVAL '15' SECOND" in tree.sql(dialect="duckdb")
    assert tree.find(exp.Table).name == "T"  # case kept


def _nested_paths(prefix: str, hive: object) -> list[str]:
    if isinstance(hive, dict) and not {"[]", "{}"} & set(hive):
        return [p for key, sub in hive.items() for p in _nested_paths(f"{prefix}.{key}", sub)]
    return [prefix]


def test_every_declared_column_resolves_and_nothing_else_does() -> None:
    """The check reads the declaration itself: a declared name passes, a name it lacks fails."""
    db = '"connect-analytics"'
    for table in TIMESTREAM_TABLES:
        columns = ", ".join(table.columns())
        assert check(f"SELECT {columns} FROM {db}.{table.name} WHERE $__timeFilter") == [], table.name
        assert [p.rule for p in check(f"SELECT not_declared FROM {db}.{table.name} WHERE $__timeFilter")] == [
            "unknown-column"
        ]
    paths = [
        p for name, hive in CONTACT_RECORDS.all_columns().items() for p in _nested_paths(name, parse_hive_type(hive))
    ]
    assert "agent.hierarchygroups.level5.groupname" in paths
    sql = f"SELECT {', '.join(paths)} FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert check(sql, "athena") == []
    assert [
        p.rule
        for p in check("SELECT agent.not_declared FROM contact_records WHERE $__dateFilter(initiation_date)", "athena")
    ] == ["unknown-column"]


@pytest.mark.parametrize("datasource", ["timestream", "athena"])
def test_a_literal_all_selection_is_explained_not_taken_for_a_macro(datasource: str) -> None:
    """Grafana never sends $__all: it substitutes the all_value, or every value."""
    table = '"connect-analytics".agent_state' if datasource == "timestream" else "contact_records"
    bound = "$__timeFilter" if datasource == "timestream" else "$__dateFilter(initiation_date)"
    before = f"SELECT 1 FROM {table} WHERE {bound} AND ('"
    [problem] = check(before + "$__all' IN ($queue) OR 1 = 1)", datasource)
    assert (problem.rule, problem.line, problem.column) == ("macro", 1, len(before) + 1)
    assert "$__all is Grafana's internal value for an All selection" in problem.message
    assert "'__all__' IN ($var)" in problem.message
