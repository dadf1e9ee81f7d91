"""Each check: a query that passes and one that fails, with the exact message and position."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from core.problems import Problem, format_problems
from tests.sqlcheck.helpers import VARIABLES, check, sample

TS = '"{{ timestream_database }}"'


def found(problems: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.rule, p.message) for p in problems]


# --- names -----------------------------------------------------------------------------------


def test_unknown_column_is_reported_at_its_line_and_column_through_expansions() -> None:
    sql = (
        "-- agents by status\n"
        "SELECT agent_username,\n"
        "       bin(time, $__interval_ms) AS t,\n"
        f"       count(*) AS n\n"
        f"FROM {TS}.agent_state\n"
        "WHERE $__timeFilter AND routing_profile IN ($routing_profile)\n"
        "  AND agent_id = ${agent:sqlstring} AND $__timeFilter AND statusname = 'Available'\n"
        "GROUP BY agent_username, bin(time, $__interval_ms)\n"
    )
    assert found(check(sql)) == [
        (
            7,
            59,
            "unknown-column",
            "unknown column statusname in agent_state; did you mean status_name?",
        ),
    ]


def test_known_columns_pass() -> None:
    assert check(f"SELECT agent_username, status_name FROM {TS}.agent_state WHERE $__timeFilter") == []


def test_timestream_names_are_case_sensitive() -> None:
    sql = f"SELECT Agent_Username FROM {TS}.agent_state WHERE $__timeFilter"
    assert found(check(sql)) == [
        (1, 8, "unknown-column", "unknown column Agent_Username in agent_state; did you mean agent_username?")
    ]


def test_athena_names_are_case_insensitive() -> None:
    assert (
        check("SELECT ContactId, Agent.UserName FROM contact_records WHERE $__dateFilter(initiation_date)", "athena")
        == []
    )


def test_unknown_table_suggests_the_declared_one() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_stat WHERE $__timeFilter"
    assert found(check(sql)) == [(1, 50, "unknown-table", "unknown table agent_stat; did you mean agent_state?")]


def test_unknown_database_suggests_the_environment_database() -> None:
    sql = 'SELECT agent_id FROM "connect-analytic".agent_state WHERE $__timeFilter'
    assert found(check(sql)) == [
        (1, 22, "unknown-table", "unknown database connect-analytic; did you mean connect-analytics?")
    ]


def test_staging_queries_must_name_the_staging_database() -> None:
    sql = 'SELECT agent_id FROM "connect-analytics".agent_state WHERE $__timeFilter'
    assert check(sql, env_name="prod") == []
    assert [p.rule for p in check(sql, env_name="staging")] == ["unknown-table"]


def test_timestream_table_needs_its_database() -> None:
    assert found(check("SELECT agent_id FROM agent_state WHERE $__timeFilter")) == [
        (1, 22, "unknown-table", 'table agent_state needs its database: write "connect-analytics".agent_state')
    ]


def test_athena_table_may_be_qualified_or_not_but_must_exist() -> None:
    ok = "SELECT contactid FROM AwsDataCatalog.connect_analytics.contact_records WHERE $__dateFilter(initiation_date)"
    assert check(ok, "athena") == []
    bad = "SELECT contactid FROM ctr_records WHERE $__dateFilter(initiation_date)"
    assert found(check(bad, "athena")) == [
        (1, 23, "unknown-table", "unknown table ctr_records; did you mean contact_records?")
    ]


def test_nested_ctr_fields_resolve_and_unknown_fields_fail() -> None:
    ok = "SELECT agent.connectedtoagenttimestamp, agent.routingprofile.name FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert check(ok, "athena") == []
    bad = "SELECT agent.connectedtoagenttime FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert found(check(bad, "athena")) == [
        (
            1,
            14,
            "unknown-column",
            "unknown field connectedtoagenttime in agent; did you mean connectedtoagenttimestamp?",
        )
    ]


def test_map_and_array_access_is_checked() -> None:
    ok = "SELECT attributes['x'], element_at(tags, 'y'), recordings[1].location FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert check(ok, "athena") == []
    bad = "SELECT attributes.reason, recordings.location FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert found(check(bad, "athena")) == [
        (1, 19, "unknown-column", "attributes is a map; use element_at(attributes, 'reason')"),
        (1, 38, "unknown-column", "recordings is an array; index it (recordings[1].location) or UNNEST it"),
    ]


CTR_RANGE = "WHERE $__dateFilter(initiation_date)"


def test_unnested_row_fields_are_columns_checked_against_the_struct() -> None:
    ok = (
        "SELECT r.location, r.mediastreamtype, n FROM contact_records "
        f"CROSS JOIN UNNEST(recordings) WITH ORDINALITY AS r(location, status, mediastreamtype, participanttype, "
        f"storagetype, fragmentstartnumber, fragmentstopnumber, starttimestamp, stoptimestamp, n) {CTR_RANGE}"
    )
    assert check(ok, "athena") == []
    bad = f"SELECT r.nam FROM contact_records CROSS JOIN UNNEST(references) AS r(name, type, value, status) {CTR_RANGE}"
    assert found(check(bad, "athena")) == [(1, 10, "unknown-column", "unknown column nam in r; did you mean name?")]


def test_unnest_without_column_aliases_keeps_the_field_names() -> None:
    ok = f"SELECT value FROM contact_records CROSS JOIN UNNEST(references) {CTR_RANGE}"
    assert check(ok, "athena") == []
    bad = f"SELECT valu FROM contact_records CROSS JOIN UNNEST(references) {CTR_RANGE}"
    assert [p.message for p in check(bad, "athena")] == [
        "unknown column valu in contact_records, UNNEST(references); did you mean value?"
    ]


def test_unnest_alias_must_name_every_field_of_the_row() -> None:
    sql = f"SELECT r.ref.name FROM contact_records CROSS JOIN UNNEST(references) AS r(ref) {CTR_RANGE}"
    assert found(check(sql, "athena")) == [
        (
            1,
            73,
            "unknown-column",
            "UNNEST gives 4 columns (name, type, value, status) but the alias names 1; name each one",
        )
    ]


def test_unnested_map_gives_key_and_value() -> None:
    sql = f"SELECT k, v FROM contact_records CROSS JOIN UNNEST(attributes) AS a(k, v) {CTR_RANGE}"
    assert check(sql, "athena") == []
    assert [p.message for p in check(sql.replace("a(k, v)", "a(k)"), "athena")] == [
        "unknown column v in contact_records, a",
        "UNNEST gives 2 columns (?, ?) but the alias names 1; name each one",
    ]


def test_columns_through_ctes_keep_their_struct_types() -> None:
    sql = (
        "WITH d AS (SELECT *, row_number() OVER (PARTITION BY contactid ORDER BY lastupdatetimestamp DESC) AS rn\n"
        "           FROM contact_records WHERE $__dateFilter(initiation_date))\n"
        "SELECT queue.name, queue.nme FROM d WHERE rn = 1 AND rnn = 1\n"
    )
    assert found(check(sql, "athena")) == [
        (3, 26, "unknown-column", "unknown field nme in queue; did you mean name?"),
        (3, 54, "unknown-column", "unknown column rnn in d; did you mean rn?"),
    ]


def test_output_alias_in_where_is_explained() -> None:
    sql = f"SELECT agent_id AS who FROM {TS}.agent_state WHERE $__timeFilter AND who = 'x'"
    assert found(check(sql))[0][2:] == (
        "unknown-column",
        "who is an output alias, which cannot be used here; repeat the expression",
    )


def test_correlated_subquery_sees_outer_columns() -> None:
    sql = (
        f"SELECT s.agent_id FROM {TS}.agent_state s WHERE s.time > ago(1h) AND s.time = "
        f"(SELECT max(time) FROM {TS}.agent_state i WHERE i.agent_id = s.agent_idd AND i.time > ago(1h))"
    )
    assert [(p.rule, p.message) for p in check(sql)] == [
        ("unknown-column", "unknown column agent_idd in agent_state (as s); did you mean agent_id?")
    ]


def test_subquery_columns_resolve_against_the_subquery_tables() -> None:
    sql = (
        f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND agent_id IN "
        f"(SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND state = 'CONNECTED' AND stat = 'x')"
    )
    assert [(p.rule, p.message) for p in check(sql)] == [
        ("unknown-column", "unknown column stat in agent_contact; did you mean state?")
    ]


JOINED = (
    f"FROM {TS}.agent_state s JOIN {TS}.agent_contact c ON s.agent_id = c.agent_id "
    "WHERE s.time > ago(1h) AND c.time > ago(1h)"
)


def test_column_of_two_joined_tables_must_be_qualified() -> None:
    sql = f"SELECT agent_id, status_name {JOINED}"
    assert found(check(sql)) == [
        (
            1,
            8,
            "ambiguous-column",
            "ambiguous column agent_id in agent_state (as s), agent_contact (as c); qualify it",
        )
    ]


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT s.agent_id, status_name {JOINED}",
        f"SELECT agent_id, status_name FROM {TS}.agent_state s JOIN {TS}.agent_contact c USING (agent_id) "
        "WHERE s.time > ago(1h) AND c.time > ago(1h)",
        f"SELECT s.agent_id AS agent_id {JOINED} ORDER BY agent_id",
    ],
    ids=["qualified", "using", "order-by-output"],
)
def test_qualified_or_merged_columns_of_a_join_pass(sql: str) -> None:
    assert check(sql) == []


def test_athena_ambiguity_ignores_case() -> None:
    sql = (
        "SELECT ContactId FROM contact_records a JOIN contact_records b ON a.contactid = b.previouscontactid "
        "WHERE $__dateFilter(a.initiation_date) AND $__dateFilter(b.initiation_date)"
    )
    assert [(p.rule, p.message) for p in check(sql, "athena")] == [
        ("ambiguous-column", "ambiguous column ContactId in contact_records (as a), contact_records (as b); qualify it")
    ]


def test_a_cte_provides_columns_only_where_it_is_read() -> None:
    sql = (
        f"WITH a AS (SELECT status_name FROM {TS}.agent_state WHERE $__timeFilter)\n"
        f"SELECT status_name FROM {TS}.contact_event WHERE $__timeFilter"
    )
    assert found(check(sql)) == [
        (2, 8, "unknown-column", "unknown column status_name in contact_event; did you mean measure_name?")
    ]


# --- variables and macros -----------------------------------------------------------------------


def test_undeclared_variable_is_reported_with_a_suggestion() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND queue_name IN ($queues)"
    assert found(check(sql)) == [
        (
            1,
            101,
            "unknown-variable",
            "unknown variable $queues: the dashboard does not declare it; did you mean $queue?",
        )
    ]


@pytest.mark.parametrize("syntax", ["$queue", "${queue}", "${queue:sqlstring}", "[[queue]]"])
def test_variable_syntaxes_are_substituted(syntax: str) -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND queue_name IN ({syntax})"
    assert check(sql) == []


def test_unquoted_single_variable_is_explained() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND agent_username = $agent"
    assert found(check(sql)) == [
        (
            1,
            103,
            "raw-variable",
            "$agent goes in as typed, so a dashboard link can put any SQL here; write ${agent:sqlstring}",
        ),
        (
            1,
            103,
            "unknown-column",
            "$agent expands to a bare word here, read as a column; write ${agent:sqlstring}, which quotes it",
        ),
    ]


def test_multi_value_variable_compared_with_equals_is_explained() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND queue_name = '$queue'"
    problems = check(sql)
    assert [(p.rule, p.message) for p in problems] == [
        ("syntax", "$queue is multi-valued and expands to 'a','b' here, which does not fit; write IN ($queue)")
    ]


def test_unquoted_multi_value_format_is_reported_once_with_advice() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND queue_name IN (${{queue:csv}})"
    assert found(check(sql)) == [
        (
            1,
            103,
            "raw-variable",
            "${queue:csv} goes in as typed, so a dashboard link can put any SQL here; write ${queue:sqlstring}",
        ),
        (
            1,
            103,
            "unknown-column",
            "${queue:csv} expands to unquoted a,b here, read as columns; write IN ($queue), which quotes each",
        ),
    ]


def test_grafana_builtins_are_known() -> None:
    sql = f"SELECT agent_id, '${{__user.login}}', $__range_s FROM {TS}.agent_state WHERE time > from_milliseconds($__from)"
    assert check(sql) == []


def test_unknown_macro_is_reported() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFliter"
    assert found(check(sql)) == [
        (
            1,
            68,
            "macro",
            "unknown macro $__timeFliter for the timestream plugin; did you mean $__timeFilter or $__timeFrom?",
        )
    ]


def test_athena_macro_with_wrong_arguments_is_reported() -> None:
    sql = "SELECT $__timeGroup(initiationtimestamp) FROM contact_records WHERE $__dateFilter(initiation_date)"
    assert found(check(sql, "athena")) == [
        (1, 8, "macro", "$__timeGroup: macro $__timeGroup needs time column and interval")
    ]


def test_table_macro_without_a_target_table_takes_the_datasource_default() -> None:
    sql = "SELECT agent_id FROM $__database.$__table WHERE $__timeFilter"
    assert check(sql) == []
    assert found(check(sql.replace("agent_id", "queue_id"))) == [
        (1, 8, "unknown-column", "unknown column queue_id in agent_state")
    ]
    assert check(sql.replace("agent_id", "queue_id"), target={"table": "queue_metrics"}) == []


def test_measure_macro_without_a_target_measure_is_reported() -> None:
    sql = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND measure_name = '$__measure'"
    assert found(check(sql)) == [
        (
            1,
            sql.index("$__measure") + 1,
            "macro",
            "$__measure has no value: set the query target's measure field (the datasource has no default)",
        )
    ]


def test_syntax_error_points_at_the_token() -> None:
    sql = f"SELECT agent_id\nFROM {TS}.agent_state\nWHERE $__timeFilter AND AND agent_id = 'x'"
    (problem,) = check(sql)
    assert (problem.line, problem.column, problem.rule) == (3, 25, "syntax")
    assert "AND" in problem.message


# --- cost rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        "$__timeFilter",
        "time > ago(15m)",
        "time BETWEEN ago(1h) AND now()",
        "from_milliseconds($__timeFrom) <= time",
        "time > now() - 1h",
        "time >= bin(now(), 1d)",
        "time > date_add('hour', -1, now())",
    ],
)
def test_bounded_timestream_scans_pass(where: str) -> None:
    assert check(f"SELECT agent_id FROM {TS}.agent_state WHERE {where}") == []


UNBOUNDED = "is not bounded in time, so it reads the whole retention"
FIXED = "is bounded only by a fixed time, so it reads more of the retention every day"


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("", UNBOUNDED),
        ("WHERE agent_id = 'x'", UNBOUNDED),
        ("WHERE time < now()", UNBOUNDED),
        ("WHERE time > ago(1h) OR agent_id = 'x'", UNBOUNDED),
        ("WHERE time > status_start", UNBOUNDED),
        ("WHERE time > from_milliseconds(0)", FIXED),
        ("WHERE time >= '2020-01-01'", FIXED),
        ("WHERE time BETWEEN from_milliseconds(0) AND now()", FIXED),
        ("WHERE time > timestamp '2024-01-01 00:00:00' AND time > status_start", FIXED),
    ],
)
def test_unbounded_or_fixed_bounded_timestream_scans_fail(where: str, why: str) -> None:
    assert found(check(f"SELECT agent_id FROM {TS}.agent_state {where}")) == [
        (1, 22, "unbounded-time", f"scan of agent_state {why}; add WHERE $__timeFilter or time > ago(15m)")
    ]


def test_every_scan_in_ctes_and_subqueries_must_be_bounded() -> None:
    sql = f"WITH x AS (SELECT agent_id, time FROM {TS}.agent_state)\nSELECT agent_id FROM x WHERE time > ago(1h)"
    assert [(p.line, p.column, p.rule) for p in check(sql)] == [(1, 39, "unbounded-time")]


def test_an_unqualified_time_in_a_join_bounds_no_scan() -> None:
    sql = (
        f"SELECT s.agent_id FROM {TS}.agent_state s\n"
        f"JOIN {TS}.agent_contact c ON s.agent_id = c.agent_id WHERE time > ago(1h)"
    )
    assert [(p.line, p.column, p.rule) for p in check(sql)] == [
        (1, 24, "unbounded-time"),
        (2, 6, "unbounded-time"),
        (2, 83, "ambiguous-column"),
    ]


def test_an_unqualified_time_bounds_the_only_source_that_has_it() -> None:
    sql = (
        f"WITH q AS (SELECT queue_id FROM {TS}.queue_metrics WHERE $__timeFilter)\n"
        f"SELECT e.contact_id FROM {TS}.contact_event e JOIN q ON e.queue_id = q.queue_id WHERE time > ago(1h)"
    )
    assert check(sql) == []


def test_an_unqualified_partition_in_a_self_join_restricts_neither_scan() -> None:
    sql = (
        "SELECT a.contactid FROM contact_records a JOIN contact_records b ON a.contactid = b.previouscontactid "
        "WHERE $__dateFilter(initiation_date)"
    )
    assert [(p.column, p.rule) for p in check(sql, "athena")] == [
        (25, "partition-filter"),
        (48, "partition-filter"),
        (109, "ambiguous-column"),  # inside $__dateFilter's expansion: at the macro
    ]


def test_cost_rule_opt_out_with_a_reason() -> None:
    sql = f"-- dash:allow unbounded-time the resource snapshot table keeps one day\nSELECT name FROM {TS}.resource_snapshot"
    assert check(sql) == []


def test_opt_out_without_a_reason_is_a_problem() -> None:
    sql = f"SELECT name FROM {TS}.resource_snapshot -- dash:allow unbounded-time"
    assert [(p.rule, p.message) for p in check(sql)] == [
        (
            "unbounded-time",
            "scan of resource_snapshot is not bounded in time, so it reads the whole retention; "
            "add WHERE $__timeFilter or time > ago(15m)",
        ),
        (
            "opt-out",
            "dash:allow unbounded-time needs a reason: -- dash:allow unbounded-time <why this scan is acceptable>",
        ),
    ]


def test_opt_out_of_an_unknown_rule_or_an_unneeded_one_is_a_problem() -> None:
    unknown = f"-- dash:allow everything because\nSELECT name FROM {TS}.resource_snapshot WHERE $__timeFilter"
    assert [(p.line, p.column, p.rule) for p in check(unknown)] == [(1, 1, "opt-out")]
    unneeded = f"-- dash:allow unbounded-time old habit\nSELECT name FROM {TS}.resource_snapshot WHERE $__timeFilter"
    assert [(p.rule, p.message) for p in check(unneeded)] == [
        ("opt-out", "dash:allow unbounded-time is not needed: the query breaks no unbounded-time rule; remove it")
    ]


@pytest.mark.parametrize(
    "where",
    [
        "$__dateFilter(initiation_date)",
        "initiation_date BETWEEN CAST($__timeFrom() AS date) AND CAST($__timeTo() AS date)",
        "initiation_date >= date(from_iso8601_timestamp('${__from:date:iso}')) AND initiation_date <= date(from_iso8601_timestamp('${__to:date:iso}'))",
    ],
)
def test_ctr_scans_restricted_to_the_range_pass(where: str) -> None:
    assert check(f"SELECT contactid FROM contact_records WHERE {where}", "athena") == []


@pytest.mark.parametrize(
    ("where", "missing"),
    [
        ("", "is not restricted"),
        ("WHERE initiation_date >= date '2024-01-01'", "is not restricted"),
        ("WHERE initiation_date BETWEEN date '2024-01-01' AND current_date", "is not restricted"),
        ("WHERE initiation_date >= CAST($__timeFrom() AS date)", "has no upper bound"),
        ("WHERE $__timeFilter(from_iso8601_timestamp(initiationtimestamp))", "is not restricted"),
    ],
)
def test_ctr_scans_without_partition_restriction_fail(where: str, missing: str) -> None:
    assert found(check(f"SELECT contactid FROM contact_records {where}", "athena")) == [
        (
            1,
            23,
            "partition-filter",
            f"scan of contact_records: initiation_date {missing} from the dashboard's time range, so Athena reads "
            "partitions outside it; add WHERE $__dateFilter(initiation_date)",
        )
    ]


def test_partition_filter_opt_out() -> None:
    sql = "SELECT count(*) FROM contact_records -- dash:allow partition-filter all-time total, run daily on a small table\n"
    assert check(sql, "athena") == []


# --- output formats -----------------------------------------------------------------------------


def test_json_format_carries_file_line_column_rule_message() -> None:
    problems = check(f"SELECT agent_idd FROM {TS}.agent_state WHERE $__timeFilter")
    assert json.loads(format_problems(problems, "json")) == [
        {
            "file": "queries/q.sql",
            "line": 1,
            "column": 8,
            "rule": "unknown-column",
            "message": "unknown column agent_idd in agent_state; did you mean agent_id?",
        }
    ]
    assert format_problems(problems, "text") == (
        "queries/q.sql:1:8: unknown-column: unknown column agent_idd in agent_state; did you mean agent_id?"
    )


CTR_SCAN = "SELECT contactid FROM contact_records WHERE $__dateFilter(initiation_date) AND "


def test_the_all_selection_inserts_the_custom_all_value_as_written() -> None:
    """Grafana does not format a custom all value, so a query must also parse with it in place of the samples."""
    group = "agent.hierarchygroups.level1.groupname"
    assert check(CTR_SCAN + f"('__all__' IN ($hierarchy_group) OR {group} IN ($hierarchy_group))", "athena") == []
    [problem] = [
        p
        for p in check(CTR_SCAN + f"regexp_like({group}, '${{hierarchy_group:regex}}')", "athena")
        if p.rule != "raw-variable"  # a regex format quotes nothing: see test_injection_rules.py
    ]
    assert (problem.rule, problem.column) == ("syntax", len(CTR_SCAN + f"regexp_like({group}, '") + 1)
    assert problem.message.startswith(
        "with All selected, ${hierarchy_group:regex} becomes its all_value '__all__' as written (no quoting): "
    )


@pytest.mark.parametrize(("all_value", "fits"), [("'__all__'", True), ("__all__", False)])
def test_the_custom_all_value_goes_in_unquoted(all_value: str, fits: bool) -> None:
    """The same query with the all value written with and without its quotes: as Grafana inserts it unquoted,
    only the quoted one is a string; the bare one reads as a column (a checker that quoted it would pass both)."""
    group = "agent.hierarchygroups.level1.groupname"
    variable = sample("hierarchy_group", multi=True, all_value=all_value)
    with mock.patch.dict(VARIABLES, {"hierarchy_group": variable}):
        problems = check(CTR_SCAN + f"{group} IN ($hierarchy_group)", "athena")
    if fits:
        assert problems == []
    else:
        [problem] = problems
        assert problem.rule == "unknown-column"
        assert problem.message.startswith(
            "with All selected, $hierarchy_group becomes its all_value __all__ as written"
        )
