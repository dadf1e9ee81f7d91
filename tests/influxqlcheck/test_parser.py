"""The grammar accepts what dashboards send and points at the token that breaks a query."""

from __future__ import annotations

import pytest

from influxqlcheck.nodes import Call, Field, Literal, Ref, Select, Show, selects
from influxqlcheck.parser import InfluxQLSyntaxError, parse
from influxqlcheck.variables import sample_selections, substitute
from tests.influxqlcheck.helpers import variable

DASHBOARD_QUERIES = [
    """SELECT last("status_type") FROM "agent_state" WHERE time > now() - 15m AND "instance_id" = '$instance'
       GROUP BY "agent_id\"""",
    """SELECT count("s") FROM (SELECT last("status_name") AS "s" FROM "agent_state" WHERE time > now() - 12h
       GROUP BY "agent_id") WHERE "s" = 'Available'""",
    """SELECT sum("n") FROM (SELECT last("contacts_in_queue") AS "n" FROM "queue_metrics" WHERE $timeFilter
       GROUP BY "queue_id", "channel") GROUP BY "queue_id\"""",
    """SELECT count("initial_contact_id") FROM "contact_event" WHERE $timeFilter AND "event_type" =~ /^(INITIATED|QUEUED)$/
       GROUP BY time($__interval), "channel" fill(0)""",
    """SELECT mean("oldest_contact_age_seconds") AS "age", max("contacts_in_queue") * 2 / 3 FROM "queue_metrics"
       WHERE time >= 1714521600000ms and time <= 1714651200000ms AND "queue_name" !~ /^test\\/q$/
       GROUP BY time(1m, 30s), * fill(linear) ORDER BY time DESC LIMIT 100 OFFSET 10 tz('Europe/London')""",
    """SELECT top("contact_count", "agent_id", 5), count(distinct("status_name")) FROM "agent_state"
       WHERE time > '2024-05-01T00:00:00Z' - 6h AND ("routing_profile" = 'a' OR "routing_profile" = 'b')""",
    """SELECT DISTINCT "state" FROM "db"."autogen"."agent_contact" WHERE time > now() - 1h30m""",
    """SELECT *::field, "agent_id"::tag FROM /agent_.*/ WHERE time > now() - 5m -- trailing comment""",
    """SHOW TAG VALUES FROM "agent_state" WITH KEY = "agent_username" WHERE "routing_profile" =~ /^$profile$/""",
    """SHOW TAG VALUES WITH KEY IN ("queue_id", "queue_name") WHERE time > now() - 1d""",
    'SHOW MEASUREMENTS; SHOW FIELD KEYS FROM "agent_state"; SHOW TAG KEYS FROM "queue_metrics";',
    "SHOW MEASUREMENTS WITH MEASUREMENT =~ /agent.*/ LIMIT 5",
    'SELECT "n" /* note */ FROM m WHERE "x" = \'it\\\'s\' AND "y" = -1.5 AND "z" <> true',
]


@pytest.mark.parametrize("query", DASHBOARD_QUERIES)
def test_dashboard_queries_parse(query: str) -> None:
    """As InfluxDB receives them: variables and macros substituted first."""
    variables = {"instance": variable("instance"), "profile": variable("profile", multi=True)}
    assert parse(substitute(query, variables, sample_selections(variables)).text)


def test_statements_and_subqueries_are_separate_nodes() -> None:
    statements = parse(DASHBOARD_QUERIES[1] + "; SHOW MEASUREMENTS")
    assert isinstance(statements[0], Select) and isinstance(statements[1], Show)
    outer, inner = selects(statements[0])
    assert inner.fields[0] == Field(Call("last", (Ref("status_name", None, 36),), 31), "s")
    assert outer.fields[0] == Field(Call("count", (Ref("s", None, 13),), 7), None)


def test_regex_and_string_literals_are_unescaped() -> None:
    where = parse("SELECT a FROM m WHERE b =~ /x\\/y/ AND c = 'it\\'s'")[0].where
    assert [n.value for n in (where.left.right, where.right.right) if isinstance(n, Literal)] == ["x/y", "it's"]


def test_duration_binds_tighter_than_comparison() -> None:
    where = parse("SELECT a FROM m WHERE time > now() - 15m")[0].where
    assert where.op == ">" and where.right.op == "-" and where.right.right == Literal("duration", "15m", 37)


@pytest.mark.parametrize(
    ("query", "offset", "words"),
    [
        ("SELECT key FROM m", 7, "keyword"),
        ("SELECT x m", 9, "unexpected 'm'"),
        ("SELECT x FROM", 13, "ends too early"),
        ("SELECT x FROM m GROUP BY time(1m) fill(foo)", 39, "fill option"),
        ("SELECT x FROM m WHERE a = 'open", 26, "cannot read"),
        ("SELECT x::text FROM m", 10, "not a type"),
        ("SELECT x FROM m WHERE a = 1 SLIMIT x", 35, "unexpected 'x'"),
        ("SELECT x FROM m )", 16, "or the end of the query"),
    ],
)
def test_syntax_errors_point_at_the_token(query: str, offset: int, words: str) -> None:
    with pytest.raises(InfluxQLSyntaxError) as error:
        parse(query)
    assert error.value.offset == offset
    assert words in error.value.message
