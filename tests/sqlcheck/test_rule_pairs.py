"""Every sqlcheck rule as pairs of queries that differ only in the rule's subject.

Each row: the rule, the datasource kind the query is checked as, a query that passes (no finding at all),
the same query with the subject broken (exactly one finding: that rule), and the text of the failing query
the finding points at (its first occurrence gives the expected line and column in the file).
A test reads the rule ids out of sqlcheck's source, so a new rule without a pair here fails.
"""

from __future__ import annotations

import pytest

from core.problems import line_column
from tests.rule_ids import emitted_rules
from tests.sqlcheck.helpers import check

TS = '"{{ timestream_database }}"'
AGENTS = f"SELECT agent_id FROM {TS}.agent_state WHERE"  # a Timestream scan, its WHERE to follow
CTRS = "SELECT contactid FROM contact_records WHERE"  # an Athena scan, its WHERE to follow
DAYS = "$__dateFilter(initiation_date)"
JOINED = (
    f"FROM {TS}.agent_state s JOIN {TS}.agent_contact c ON s.agent_id = c.agent_id\n"
    "WHERE s.time > ago(15m) AND c.time > ago(15m)"
)
CTR_PAIRS = (
    "FROM contact_records a JOIN contact_records b ON a.contactid = b.previouscontactid\n"
    "WHERE $__dateFilter(a.initiation_date) AND $__dateFilter(b.initiation_date)"
)

PAIRS: list[tuple[str, str, str, str, str]] = [
    # --- syntax ---------------------------------------------------------------------------------
    (
        "syntax",
        "timestream",
        f"{AGENTS} $__timeFilter\nGROUP BY agent_id",
        f"{AGENTS} $__timeFilter\nGROUP agent_id",
        "GROUP",
    ),
    (
        "syntax",
        "athena",
        f"SELECT count(*) FROM contact_records WHERE {DAYS}",
        f"SELECT count(* FROM contact_records WHERE {DAYS}",
        "FROM",
    ),
    (
        "syntax",
        "timestream",
        f"{AGENTS} $__timeFilter",
        f"{AGENTS} $__timeFilter;\nSELECT name FROM {TS}.resource_snapshot WHERE $__timeFilter",
        "SELECT name",
    ),
    ("syntax", "athena", f"{CTRS} {DAYS} AND channel = 'VOICE'", f"{CTRS} {DAYS} AND channel = 'VOICE", "'VOICE"),
    # --- unknown-table --------------------------------------------------------------------------
    (
        "unknown-table",
        "timestream",
        f"{AGENTS} $__timeFilter",
        f"{AGENTS} $__timeFilter".replace("state", "stat"),
        "agent_stat",
    ),
    (
        "unknown-table",
        "timestream",
        'SELECT agent_id FROM "connect-analytics".agent_state WHERE $__timeFilter',
        'SELECT agent_id FROM "connect-analytic".agent_state WHERE $__timeFilter',
        '"connect-analytic"',
    ),
    (
        "unknown-table",
        "timestream",
        f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter",
        "SELECT agent_id FROM agent_state WHERE $__timeFilter",
        "agent_state",
    ),
    (
        "unknown-table",
        "timestream",
        f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter",
        f"SELECT agent_id FROM awsdatacatalog.{TS}.agent_state WHERE $__timeFilter",
        "awsdatacatalog",
    ),
    (
        "unknown-table",
        "athena",
        f"{CTRS} {DAYS}",
        f"{CTRS} {DAYS}".replace("contact_records", "contact_record"),
        "contact_record",
    ),
    (
        "unknown-table",
        "athena",
        f"SELECT contactid FROM connect_analytics.contact_records WHERE {DAYS}",
        f"SELECT contactid FROM connect_analytic.contact_records WHERE {DAYS}",
        "connect_analytic",
    ),
    (
        "unknown-table",
        "athena",
        f"SELECT contactid FROM awsdatacatalog.connect_analytics.contact_records WHERE {DAYS}",
        f"SELECT contactid FROM awsdatacatalg.connect_analytics.contact_records WHERE {DAYS}",
        "awsdatacatalg",
    ),
    # --- unknown-column -------------------------------------------------------------------------
    (
        "unknown-column",
        "timestream",
        f"{AGENTS} $__timeFilter",
        f"{AGENTS} $__timeFilter".replace("agent_id", "agent_idd"),
        "agent_idd",
    ),
    (
        "unknown-column",
        "timestream",
        f"SELECT s.agent_id\n{JOINED}",
        f"SELECT s.agent_idd\n{JOINED}",
        "agent_idd",
    ),
    (
        "unknown-column",
        "timestream",
        f"SELECT agent_id AS who FROM {TS}.agent_state WHERE $__timeFilter AND agent_id <> ''",
        f"SELECT agent_id AS who FROM {TS}.agent_state WHERE $__timeFilter AND who <> ''",
        "who <>",
    ),
    ("unknown-column", "timestream", "SELECT 1 AS one", "SELECT one", "one"),
    (
        "unknown-column",
        "athena",
        f"SELECT agent.routingprofile.name FROM contact_records WHERE {DAYS}",
        f"SELECT agent.routingprofile.nam FROM contact_records WHERE {DAYS}",
        "nam ",
    ),
    (
        "unknown-column",
        "athena",
        f"SELECT agent.username FROM contact_records WHERE {DAYS}",
        f"SELECT agent.username.first FROM contact_records WHERE {DAYS}",
        "first",
    ),
    (
        "unknown-column",
        "athena",
        f"SELECT recordings[1].location FROM contact_records WHERE {DAYS}",
        f"SELECT recordings.location FROM contact_records WHERE {DAYS}",
        "location",
    ),
    (
        "unknown-column",
        "athena",
        f"SELECT element_at(attributes, 'skill') FROM contact_records WHERE {DAYS}",
        f"SELECT attributes.skill FROM contact_records WHERE {DAYS}",
        "skill",
    ),
    (
        "unknown-column",
        "athena",
        f"SELECT a.k FROM contact_records CROSS JOIN UNNEST(attributes) AS a(k, v) WHERE {DAYS}",
        f"SELECT a.k FROM contact_records CROSS JOIN UNNEST(attributes) AS a(k) WHERE {DAYS}",
        "a(k)",
    ),
    # --- ambiguous-column -----------------------------------------------------------------------
    ("ambiguous-column", "timestream", f"SELECT s.agent_id\n{JOINED}", f"SELECT agent_id\n{JOINED}", "agent_id\nFROM"),
    ("ambiguous-column", "athena", f"SELECT a.channel\n{CTR_PAIRS}", f"SELECT channel\n{CTR_PAIRS}", "channel\n"),
    # --- unknown-variable -----------------------------------------------------------------------
    (
        "unknown-variable",
        "timestream",
        f"{AGENTS} $__timeFilter AND agent_id = ${{agent:sqlstring}}",
        f"{AGENTS} $__timeFilter AND agent_id = ${{agnet:sqlstring}}",
        "${agnet",
    ),
    (
        "unknown-variable",
        "timestream",
        f"{AGENTS} $__timeFilter AND agent_id = ${{agent:sqlstring}}",
        f"{AGENTS} $__timeFilter AND agent_id = ${{agent:sqlstrng}}",
        "${agent",
    ),
    (
        "unknown-variable",
        "athena",
        f"{CTRS} {DAYS} AND queue.name IN ($queue)",
        f"{CTRS} {DAYS} AND queue.name IN ($queues)",
        "$queues",
    ),
    # --- raw-variable ---------------------------------------------------------------------------
    (
        "raw-variable",
        "timestream",
        f"{AGENTS} $__timeFilter AND agent_id = ${{agent:sqlstring}}",
        f"{AGENTS} $__timeFilter AND agent_id = '$agent'",
        "$agent",
    ),
    (
        "raw-variable",
        "timestream",
        f"{AGENTS} $__timeFilter AND routing_profile IN (${{routing_profile:sqlstring}})",
        f"{AGENTS} $__timeFilter AND routing_profile IN (${{routing_profile:singlequote}})",
        "${routing_profile",
    ),
    (
        "raw-variable",
        "timestream",
        f"{AGENTS} $__timeFilter AND contact_count <= CAST(${{sl_seconds:sqlstring}} AS DOUBLE)",
        f"{AGENTS} $__timeFilter AND contact_count <= CAST($sl_seconds AS DOUBLE)",
        "$sl_seconds",
    ),
    (
        "raw-variable",
        "timestream",
        f"-- the agent's states\n{AGENTS} $__timeFilter",
        f"-- $agent's states\n{AGENTS} $__timeFilter",
        "$agent",
    ),
    (
        "raw-variable",
        "athena",
        f"{CTRS} {DAYS} AND agent.username = ${{agent:sqlstring}}",
        f"{CTRS} {DAYS} AND agent.username = '${{agent}}'",
        "${agent}",
    ),
    # --- macro ----------------------------------------------------------------------------------
    ("macro", "timestream", f"{AGENTS} $__timeFilter", f"{AGENTS} $__timeFiltr", "$__timeFiltr"),
    (
        "macro",
        "timestream",
        f"SELECT bin(time, $__interval_ms) AS t FROM {TS}.agent_state WHERE $__timeFilter",
        f"SELECT bin(time, $__intervalStr) AS t FROM {TS}.agent_state WHERE $__timeFilter",
        "$__intervalStr",
    ),
    (
        "macro",
        "timestream",
        f"{AGENTS} $__timeFilter AND ('__all__' IN ($hierarchy_group) OR hierarchy_group IN ($hierarchy_group))",
        f"{AGENTS} $__timeFilter AND ('$__all' IN ($hierarchy_group) OR hierarchy_group IN ($hierarchy_group))",
        "$__all",
    ),
    (
        "macro",
        "timestream",
        f"{AGENTS} $__timeFilter AND measure_name = 'status'",
        f"{AGENTS} $__timeFilter AND measure_name = '$__measure'",
        "$__measure",
    ),
    ("macro", "athena", f"{CTRS} {DAYS}", f"{CTRS} $__dateFilter(initiation_date", "$__dateFilter"),
    ("macro", "athena", f"{CTRS} {DAYS}", f"{CTRS} $__dateFilter(initiation_date, day)", "$__dateFilter"),
    ("macro", "athena", f"{CTRS} {DAYS}", f"{CTRS} $__dateFiltre(initiation_date)", "$__dateFiltre"),
    ("macro", "athena", f"{CTRS} {DAYS}", f"SELECT contactid FROM $__table WHERE {DAYS}", "$__table"),
    # --- unbounded-time (Timestream) ------------------------------------------------------------
    ("unbounded-time", "timestream", f"{AGENTS} $__timeFilter", f"SELECT agent_id FROM {TS}.agent_state", TS),
    ("unbounded-time", "timestream", f"{AGENTS} time > ago(15m)", f"{AGENTS} time < ago(15m)", TS),
    (
        "unbounded-time",
        "timestream",
        f"{AGENTS} $__timeFilter AND status_name = 'Available'",
        f"{AGENTS} $__timeFilter OR status_name = 'Available'",
        TS,
    ),
    (
        "unbounded-time",
        "timestream",
        f"{AGENTS} time > ago(1d)",
        f"{AGENTS} time > from_iso8601_timestamp('2026-01-01T00:00:00Z')",
        TS,
    ),
    (
        "unbounded-time",
        "timestream",
        f"SELECT s.agent_id\n{JOINED}",
        f"SELECT s.agent_id\n{JOINED}".replace(" AND c.time > ago(15m)", ""),
        f"{TS}.agent_contact",
    ),
    # --- partition-filter (Athena) --------------------------------------------------------------
    ("partition-filter", "athena", f"{CTRS} {DAYS}", "SELECT contactid FROM contact_records", "contact_records"),
    (
        "partition-filter",
        "athena",
        f"{CTRS} initiation_date >= date($__timeFrom()) AND initiation_date <= date($__timeTo())",
        f"{CTRS} initiation_date >= date($__timeFrom()) AND initiation_date <= current_date",
        "contact_records",
    ),
    (
        "partition-filter",
        "athena",
        f"{CTRS} initiation_date >= date($__timeFrom()) AND initiation_date <= date($__timeTo())",
        f"{CTRS} initiation_date >= date '2026-01-01' AND initiation_date <= date($__timeTo())",
        "contact_records",
    ),
    # --- type-mismatch (Athena: Trino's casts) --------------------------------------------------
    (  # the README's example: a CTR time is an ISO 8601 string, the dashboard's range a timestamp
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND from_iso8601_timestamp(initiationtimestamp) BETWEEN $__timeFrom() AND $__timeTo()",
        f"{CTRS} {DAYS} AND initiationtimestamp BETWEEN $__timeFrom() AND $__timeTo()",
        "initiationtimestamp",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND $__timeFilter(from_iso8601_timestamp(initiationtimestamp))",
        f"{CTRS} {DAYS} AND $__timeFilter(initiationtimestamp)",
        "$__timeFilter",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND from_iso8601_timestamp(queue.enqueuetimestamp) >= $__timeFrom()",
        f"{CTRS} {DAYS} AND queue.enqueuetimestamp >= $__timeFrom()",
        "queue.enqueuetimestamp",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND date(from_iso8601_timestamp(disconnecttimestamp)) <= date($__timeTo())",
        f"{CTRS} {DAYS} AND disconnecttimestamp <= date($__timeTo())",
        "disconnecttimestamp",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND queue.duration > 20",
        f"{CTRS} {DAYS} AND queue.duration > '20'",
        "'20'",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND agentconnectionattempts IN (1, 2)",
        f"{CTRS} {DAYS} AND agentconnectionattempts IN ('1', 2)",
        "'1'",
    ),
    (
        "type-mismatch",
        "athena",
        f"{CTRS} {DAYS} AND queue.duration <= CAST(${{sl_seconds:sqlstring}} AS DOUBLE)",
        f"{CTRS} {DAYS} AND queue.duration <= ${{sl_seconds:sqlstring}}",
        "${sl_seconds",
    ),
    (
        "type-mismatch",
        "athena",
        f"SELECT agent.agentinteractionduration + queue.duration FROM contact_records WHERE {DAYS}",
        f"SELECT agent.agentinteractionduration + channel FROM contact_records WHERE {DAYS}",
        "channel",
    ),
    (  # a CTE's computed column keeps its type where the outer query reads it
        "type-mismatch",
        "athena",
        f"WITH c AS (SELECT from_iso8601_timestamp(initiationtimestamp) AS began FROM contact_records WHERE {DAYS})\n"
        "SELECT count(*) FROM c WHERE began >= $__timeFrom()",
        f"WITH c AS (SELECT initiationtimestamp AS began FROM contact_records WHERE {DAYS})\n"
        "SELECT count(*) FROM c WHERE began >= $__timeFrom()",
        "began >=",
    ),
    # --- type-mismatch (Timestream: its own casts) ----------------------------------------------
    (  # the plugin's $__timeFrom is epoch milliseconds, not a timestamp
        "type-mismatch",
        "timestream",
        f"{AGENTS} $__timeFilter AND status_start >= from_milliseconds($__timeFrom)",
        f"{AGENTS} $__timeFilter AND status_start >= $__timeFrom",
        "$__timeFrom",
    ),
    (
        "type-mismatch",
        "timestream",
        f"{AGENTS} $__timeFilter AND contact_count > 3",
        f"{AGENTS} $__timeFilter AND contact_count > '3'",
        "'3'",
    ),
    (
        "type-mismatch",
        "timestream",
        f"SELECT contact_id FROM {TS}.contact_event WHERE $__timeFilter AND reached_agent = true",
        f"SELECT contact_id FROM {TS}.contact_event WHERE $__timeFilter AND reached_agent = 1",
        "1",
    ),
    (  # Timestream subtracts no timestamp from a timestamp
        "type-mismatch",
        "timestream",
        f"SELECT date_diff('second', status_start, now()) FROM {TS}.agent_state WHERE $__timeFilter",
        f"SELECT now() - status_start FROM {TS}.agent_state WHERE $__timeFilter",
        "now()",
    ),
    (
        "type-mismatch",
        "timestream",
        f"SELECT status_start + 60s FROM {TS}.agent_state WHERE $__timeFilter",
        f"SELECT status_start + 60 FROM {TS}.agent_state WHERE $__timeFilter",
        "60",
    ),
    (
        "type-mismatch",
        "timestream",
        f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND contact_count IN (SELECT contact_count FROM {TS}.agent_state WHERE $__timeFilter)",
        f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND contact_count IN (SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter)",
        "contact_count IN",
    ),
    # --- opt-out --------------------------------------------------------------------------------
    (
        "opt-out",
        "timestream",
        f"-- agents by state\n{AGENTS} $__timeFilter",
        f"-- dash:allow agents by state\n{AGENTS} $__timeFilter",
        "-- dash:allow",
    ),
    (
        "opt-out",
        "timestream",
        f"-- unbounded-time\n{AGENTS} $__timeFilter",
        f"-- dash:allow unbounded-time\n{AGENTS} $__timeFilter",
        "-- dash:allow",
    ),
    (
        "opt-out",
        "timestream",
        f"-- dash:allow unbounded-time a handful of resources, kept since setup\nSELECT name FROM {TS}.resource_snapshot",
        f"-- dash:allow unbounded-time a handful of resources, kept since setup\nSELECT name FROM {TS}.resource_snapshot WHERE $__timeFilter",
        "-- dash:allow",
    ),
    (
        "opt-out",
        "athena",
        "-- dash:allow partition-filter the table is small\nSELECT contactid FROM contact_records",
        f"-- dash:allow partition-filter the table is small\n{CTRS} {DAYS}",
        "-- dash:allow",
    ),
]


def findings(query: str, kind: str) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.rule, p.message) for p in check(query, kind)]


@pytest.mark.parametrize(
    ("rule", "kind", "passing", "failing", "at"), PAIRS, ids=[f"{p[0]}-{p[1]}-{i}" for i, p in enumerate(PAIRS)]
)
def test_rule_pair(rule: str, kind: str, passing: str, failing: str, at: str) -> None:
    assert failing.count(at) == 1, "the finding's place must be one place"
    assert findings(passing, kind) == []
    [(line, column, found, _message)] = findings(failing, kind)
    assert (found, line, column) == (rule, *line_column(failing, failing.index(at)))


def test_every_rule_sqlcheck_emits_has_a_pair() -> None:
    assert {rule for rule, *_ in PAIRS} == emitted_rules("sqlcheck")


def test_each_rule_has_a_pair_in_each_sql_kind_it_applies_to() -> None:
    """Only the cost rules are one kind's: Timestream tables have the time column, Athena's CTRs the partitions."""
    one_kind = {("unbounded-time", "athena"), ("partition-filter", "timestream")}
    every = {(rule, kind) for rule in emitted_rules("sqlcheck") for kind in ("timestream", "athena")}
    assert {(rule, kind) for rule, kind, *_ in PAIRS} == every - one_kind
