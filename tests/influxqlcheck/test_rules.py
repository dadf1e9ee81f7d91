"""Each rule: a query that breaks it and one that differs only in the rule's subject and does not."""

from __future__ import annotations

import pytest

from core.template_variable import TemplateVariable
from influxqlcheck import RULES, check_influxql
from tests.influxqlcheck.helpers import variable

BOUND = "time > now() - 15m"
VARIABLES = {"queue": variable("queue", multi=True, include_all=True), "instance": variable("instance")}

PAIRS = [
    (
        "syntax",
        f'SELECT last("name") FROM resource_snapshot WHERE {BOUND}',
        f"SELECT last(name) FROM resource_snapshot WHERE {BOUND}",
    ),
    (
        "variable",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^${{instance:regex}}$/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^${{instanse:regex}}$/',
    ),
    (
        "variable",
        'SELECT last("state") FROM agent_contact WHERE $timeFilter',
        'SELECT last("state") FROM agent_contact WHERE $__timeFilter',
    ),
    (
        "unknown-measurement",
        f'SELECT last("state") FROM "agent_contact" WHERE {BOUND}',
        f'SELECT last("state") FROM "agent_contacts" WHERE {BOUND}',
    ),
    (
        "unknown-measurement",
        f'SELECT last("state") FROM /^agent_c/ WHERE {BOUND}',
        f'SELECT last("state") FROM /^agent_x/ WHERE {BOUND}',
    ),
    (
        "unknown-measurement",
        'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "channel"',
        'SHOW TAG VALUES FROM "agent_contacts" WITH KEY = "channel"',
    ),
    (
        "unknown-field",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND}',
        f'SELECT last("stat") FROM agent_contact WHERE {BOUND}',
    ),
    (
        "unknown-field",
        f'SELECT count("s") FROM (SELECT last("state") AS "s" FROM agent_contact WHERE {BOUND})',
        f'SELECT count("n") FROM (SELECT last("state") AS "s" FROM agent_contact WHERE {BOUND})',
    ),
    (
        "unknown-tag",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} GROUP BY "channel"',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} GROUP BY "chanel"',
    ),
    (
        "unknown-tag",
        'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "channel"',
        'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "chanel"',
    ),
    (
        "tag-field",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} GROUP BY "channel"',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} GROUP BY "state"',
    ),
    (
        "tag-field",
        f'SELECT count("state") FROM agent_contact WHERE {BOUND}',
        f'SELECT count("channel") FROM agent_contact WHERE {BOUND}',
    ),
    (
        "tag-field",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queued_at" > 5',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queue_name" > 5',
    ),
    (
        "tag-field",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "state" =~ /^C/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queued_at" =~ /^C/',
    ),
    (
        "tag-field",
        'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "channel"',
        'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "state"',
    ),
    (
        "time-bound",
        'SELECT last("state") FROM agent_contact WHERE time > now() - 15m',
        'SELECT last("state") FROM agent_contact WHERE time < now() - 15m',
    ),
    (
        "time-bound",
        'SELECT last("state") FROM agent_contact WHERE $timeFilter',
        'SELECT last("state") FROM agent_contact WHERE "channel" = \'VOICE\'',
    ),
    (
        "time-bound",
        'SELECT last("state") FROM agent_contact WHERE time >= now() - 1h AND "channel" = \'VOICE\'',
        'SELECT last("state") FROM agent_contact WHERE time >= now() - 1h OR "channel" = \'VOICE\'',
    ),
    (
        "time-bound",
        'SELECT count("s") FROM (SELECT last("state") AS "s" FROM agent_contact WHERE time > now() - 1h)',
        'SELECT count("s") FROM (SELECT last("state") AS "s" FROM agent_contact WHERE "s" = \'x\')',
    ),
    (
        "influxdb3-unsupported",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} LIMIT 5',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} SLIMIT 5',
    ),
    (
        "influxdb3-unsupported",
        f'SELECT mean("state_start") FROM agent_contact WHERE {BOUND} GROUP BY time(1m)',
        f'SELECT sample("state_start", 2) FROM agent_contact WHERE {BOUND} GROUP BY time(1m)',
    ),
    (
        "influxdb3-unsupported",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND}',
        f'SELECT last("state") INTO "copy" FROM agent_contact WHERE {BOUND}',
    ),
    ("influxdb3-unsupported", "SHOW MEASUREMENTS", "SHOW SERIES"),
    (
        "raw-variable",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^${{instance:regex}}$/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^$instance$/',
    ),
    (
        "raw-variable",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^${{instance:regex}}$/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" = ${{instance:singlequote}}',
    ),
    (
        "raw-variable",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" =~ /^${{instance:regex}}$/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "channel" = \'$instance\'',
    ),
    (
        "raw-variable",
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queue_name" =~ /^$queue$/',
        f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queue_name" =~ /^${{queue:raw}}$/',
    ),
    (
        "raw-variable",
        f'-- the instance\nSELECT last("state") FROM agent_contact WHERE {BOUND}',
        f'-- the $instance\nSELECT last("state") FROM agent_contact WHERE {BOUND}',
    ),
]


def rules(query: str) -> set[str]:
    return {f.rule for f in check_influxql(query, file="q.influxql", variables=VARIABLES)}


@pytest.mark.parametrize(("rule", "clean", "broken"), PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_rule_pair(rule: str, clean: str, broken: str) -> None:
    assert rules(clean) == set()
    assert rule in rules(broken)


def test_every_rule_has_a_pair() -> None:
    assert {p[0] for p in PAIRS} == set(RULES)


def test_findings_point_into_the_original_text() -> None:
    query = 'SELECT last("state")\nFROM agent_contact\nWHERE $timeFilter AND "queue_name" =~ /^$queue$/ GROUP BY "stat"'
    (finding,) = check_influxql(query, file="q.influxql", variables=VARIABLES)
    assert (finding.file, finding.line, finding.column, finding.rule) == ("q.influxql", 3, 59, "unknown-tag")
    assert query[finding.offset :].startswith('"stat"')
    assert "did you mean state?" not in finding.message  # a tag is wanted, and state is a field


def test_a_syntax_error_inside_an_expansion_names_it() -> None:
    query = 'SELECT last("state") FROM agent_contact WHERE $timeFilter AND "channel" = $instance'
    variables = {"instance": variable("instance", options=("VOICE CHAT",))}
    (finding,) = [f for f in check_influxql(query, variables=variables) if f.rule != "raw-variable"]
    assert finding.rule == "syntax" and finding.offset == query.index("$instance")
    assert "in the expansion of $instance" in finding.message


def test_outer_bound_covers_its_subquery_and_inner_bounds_cover_the_outer() -> None:
    inner = 'SELECT last("state") AS "s" FROM agent_contact'
    assert rules(f'SELECT count("s") FROM ({inner}) WHERE time > now() - 1h') == set()
    assert rules(f'SELECT count("s") FROM ({inner} WHERE $timeFilter)') == set()
    findings = check_influxql(f'SELECT count("s") FROM ({inner}), ({inner} WHERE $timeFilter)')
    assert [(f.rule, f.offset) for f in findings] == [("time-bound", 24)]


def test_each_statement_is_checked() -> None:
    findings = check_influxql(
        f'SELECT last("state") FROM agent_contact WHERE {BOUND}; SELECT last("x") FROM agent_contact'
    )
    assert sorted(f.rule for f in findings) == ["time-bound", "unknown-field"]


@pytest.mark.parametrize(("all_value", "fits"), [("its", True), ("it's", False)])
def test_a_custom_all_value_is_checked_as_written(all_value: str, fits: bool) -> None:
    """Grafana inserts a custom all value unescaped: the same query parses with a plain value and breaks on a
    quote (a checker that escaped it would pass both)."""
    queue = {"queue": variable("queue", include_all=True, all_value=all_value, options=("q1",))}
    query = f'SELECT last("state") FROM agent_contact WHERE {BOUND} AND "queue_name" = \'$queue\''
    findings = [f for f in check_influxql(query, variables=queue) if f.rule != "raw-variable"]
    if fits:
        assert findings == []
    else:
        (finding,) = findings
        assert finding.rule == "syntax" and finding.message.startswith("with All selected, ")


def test_a_number_compared_bare_is_raw_and_a_regex_over_the_choices_is_not() -> None:
    """InfluxQL cannot cast, so the shipped threshold is matched among the allowed numbers in a regex."""
    sl = {"sl": TemplateVariable("sl", "custom", None, False, False, "", True, ("20", "30"))}
    query = f'SELECT count("state_start") FROM agent_contact WHERE {BOUND} AND "state_start" <= @'
    raw = check_influxql(query.replace("@", "$sl * 1000"), variables=sl)
    assert [(f.rule, f.offset) for f in raw] == [("raw-variable", query.index("@"))]
    assert "InfluxQL cannot cast" in raw[0].message
    picked = (
        "(\"state_start\" <= 20000 AND '20' =~ /^${sl:regex}$/ OR \"state_start\" <= 30000 AND '30' =~ /^${sl:regex}$/)"
    )
    assert check_influxql(query.replace('"state_start" <= @', picked), variables=sl) == []
