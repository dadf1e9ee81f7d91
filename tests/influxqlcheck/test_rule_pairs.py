"""Every influxqlcheck rule as pairs of queries that differ only in the rule's subject.

Each row: the rule, the kind of statement (a panel's SELECT or a variable's SHOW), a query that passes (no
finding at all), the same query with the subject broken (exactly one finding: that rule), and the text of
the failing query the finding points at (its first occurrence gives the expected line and column).
A test reads the rule ids out of influxqlcheck's source, so a new rule without a pair here fails.
"""

from __future__ import annotations

import pytest

from core.problems import line_column
from core.template_variable import TemplateVariable
from influxqlcheck import RULES, check_influxql
from tests.influxqlcheck.helpers import variable
from tests.rule_ids import emitted_rules

VARIABLES = {
    "queue": variable("queue", multi=True, include_all=True),
    "instance": variable("instance"),
    "sl": TemplateVariable("sl", "custom", None, False, False, "", True, ("20", "30")),
}
STATES = 'SELECT last("state") FROM "agent_contact"\nWHERE $timeFilter'  # a panel's query, its WHERE to go on
SLOTS = 'SELECT last("voice_slots_free") FROM "agent_state"\nWHERE time > now() - 15m'
CHANNELS = 'SHOW TAG VALUES FROM "agent_contact" WITH KEY = "channel"'  # a variable's query
INNER = 'SELECT last("state") AS "s" FROM "agent_contact" WHERE $timeFilter GROUP BY "agent_id"'

PAIRS: list[tuple[str, str, str, str, str]] = [
    # --- syntax ---------------------------------------------------------------------------------
    ("syntax", "select", f'{STATES}\nGROUP BY "channel"', f'{STATES}\nGROUP "channel"', '"channel"'),
    ("syntax", "select", f"{STATES} AND \"channel\" = 'VOICE'", f'{STATES} AND "channel" = \'VOICE', "'VOICE"),
    ("syntax", "show", CHANNELS, 'SHOW TAG VALUES FROM "agent_contact" WITH KEY "channel"', '"channel"'),
    # --- variable -------------------------------------------------------------------------------
    (
        "variable",
        "select",
        f'{STATES} AND "channel" =~ /^${{instance:regex}}$/',
        f'{STATES} AND "channel" =~ /^${{instanse:regex}}$/',
        "${instanse",
    ),
    (
        "variable",
        "select",
        f'{STATES} AND "channel" =~ /^${{instance:regex}}$/',
        f'{STATES} AND "channel" =~ /^${{instance:regx}}$/',
        "${instance",
    ),
    ("variable", "select", STATES, STATES.replace("$timeFilter", "$__timeFilter"), "$__timeFilter"),
    ("variable", "select", f"{STATES} AND time <= ${{__to}}ms", f"{STATES} AND time <= $timeTo", "$timeTo"),
    # --- unknown-measurement --------------------------------------------------------------------
    (
        "unknown-measurement",
        "select",
        STATES,
        STATES.replace('"agent_contact"', '"agent_contacts"'),
        '"agent_contacts"',
    ),
    (
        "unknown-measurement",
        "select",
        STATES.replace('"agent_contact"', "/^agent_c/"),
        STATES.replace('"agent_contact"', "/^agent_x/"),
        "/^agent_x/",
    ),
    (
        "unknown-measurement",
        "show",
        CHANNELS,
        CHANNELS.replace('"agent_contact"', '"agent_contacts"'),
        '"agent_contacts"',
    ),
    # --- unknown-field --------------------------------------------------------------------------
    ("unknown-field", "select", STATES, STATES.replace('"state"', '"stat"'), '"stat"'),
    ("unknown-field", "select", f"{STATES} AND \"state\" = 'ACW'", f"{STATES} AND \"stat\" = 'ACW'", '"stat"'),
    ("unknown-field", "select", f'SELECT count("s") FROM ({INNER})', f'SELECT count("n") FROM ({INNER})', '"n"'),
    # --- unknown-tag ----------------------------------------------------------------------------
    ("unknown-tag", "select", f'{STATES}\nGROUP BY "channel"', f'{STATES}\nGROUP BY "chanel"', '"chanel"'),
    (
        "unknown-tag",
        "select",
        f"{STATES} AND \"channel\"::tag = 'VOICE'",
        f"{STATES} AND \"state\"::tag = 'VOICE'",
        '"state"::',
    ),
    (
        "unknown-tag",
        "select",
        f'SELECT count("s") FROM ({INNER}) GROUP BY "agent_id"',
        f'SELECT count("s") FROM ({INNER}) GROUP BY "channel"',
        '"channel"',
    ),
    ("unknown-tag", "show", CHANNELS, CHANNELS.replace('"channel"', '"chanel"'), '"chanel"'),
    (
        "unknown-tag",
        "show",
        f"{CHANNELS} WHERE \"queue_name\" = 'Sales'",
        f"{CHANNELS} WHERE \"queue_nam\" = 'Sales'",
        '"queue_nam"',
    ),
    # --- tag-field ------------------------------------------------------------------------------
    ("tag-field", "select", f'{SLOTS}\nGROUP BY "agent_id"', f'{SLOTS}\nGROUP BY "contact_count"', '"contact_count"'),
    (
        "tag-field",
        "select",
        'SELECT count("state") FROM "agent_contact"\nWHERE $timeFilter',
        'SELECT count("channel") FROM "agent_contact"\nWHERE $timeFilter',
        '"channel"',
    ),
    ("tag-field", "select", f"{STATES} AND \"channel\" = '5'", f'{STATES} AND "channel" = 5', "5"),
    ("tag-field", "select", f'{SLOTS} AND "voice_slots_free" > 0', f'{SLOTS} AND "voice_slots_free" =~ /^0/', "=~"),
    ("tag-field", "show", CHANNELS, CHANNELS.replace('"channel"', '"state"'), '"state"'),
    (
        "tag-field",
        "show",
        f"{CHANNELS} WHERE \"queue_name\" = 'Sales'",
        f"{CHANNELS} WHERE \"state\" = 'Sales'",
        '"state"',
    ),
    # --- time-bound -----------------------------------------------------------------------------
    ("time-bound", "select", STATES, STATES.replace("\nWHERE $timeFilter", ""), "SELECT"),
    ("time-bound", "select", SLOTS, SLOTS.replace(">", "<"), "SELECT"),
    (
        "time-bound",
        "select",
        f"{SLOTS} AND \"agent_username\" = 'ana'",
        f"{SLOTS} OR \"agent_username\" = 'ana'",
        "SELECT",
    ),
    (
        "time-bound",
        "select",
        f'SELECT count("s") FROM ({INNER})',
        f'SELECT count("s") FROM ({INNER.replace(" WHERE $timeFilter", "")})',
        "SELECT last",
    ),
    # --- influxdb3-unsupported ------------------------------------------------------------------
    ("influxdb3-unsupported", "select", f"{STATES}\nLIMIT 5", f"{STATES}\nSLIMIT 5", "SLIMIT"),
    ("influxdb3-unsupported", "select", f"{STATES}\nOFFSET 5", f"{STATES}\nSOFFSET 5", "SOFFSET"),
    ("influxdb3-unsupported", "select", STATES, STATES.replace(" FROM", ' INTO "copy" FROM'), "INTO"),
    (
        "influxdb3-unsupported",
        "select",
        f"{SLOTS}\nGROUP BY time(1m)".replace("last(", "mean("),
        f"{SLOTS}\nGROUP BY time(1m)".replace('last("voice_slots_free")', 'sample("voice_slots_free", 2)'),
        "sample",
    ),
    (
        "influxdb3-unsupported",
        "select",
        f"{SLOTS}\nGROUP BY time(1m)".replace("last(", "mean("),
        f"{SLOTS}\nGROUP BY time(1m)".replace(
            'last("voice_slots_free")', 'holt_winters(mean("voice_slots_free"), 5, 2)'
        ),
        "holt_winters",
    ),
    ("influxdb3-unsupported", "show", "SHOW MEASUREMENTS", "SHOW SERIES", "SHOW"),
    ("influxdb3-unsupported", "show", "SHOW RETENTION POLICIES", "SHOW DATABASES", "SHOW"),
    # --- raw-variable ---------------------------------------------------------------------------
    (
        "raw-variable",
        "select",
        f'{STATES} AND "channel" =~ /^${{instance:regex}}$/',
        f'{STATES} AND "channel" =~ /^$instance$/',
        "$instance",
    ),
    (
        "raw-variable",
        "select",
        f'{STATES} AND "channel" =~ /^${{instance:regex}}$/',
        f'{STATES} AND "channel" = ${{instance:singlequote}}',
        "${instance",
    ),
    (
        "raw-variable",
        "select",
        f'{STATES} AND "channel" =~ /^${{instance:regex}}$/',
        f"{STATES} AND \"channel\" = '$instance'",
        "$instance",
    ),
    (
        "raw-variable",
        "select",
        f'{STATES} AND "queue_name" =~ /^$queue$/',
        f'{STATES} AND "queue_name" =~ /^${{queue:raw}}$/',
        "${queue",
    ),
    ("raw-variable", "select", f"-- the instance\n{STATES}", f"-- the $instance\n{STATES}", "$instance"),
    (
        "raw-variable",
        "show",
        f'{CHANNELS} WHERE "queue_name" =~ /^$queue$/',
        f'{CHANNELS} WHERE "queue_name" =~ /$queue|${{instance}}/',
        "${instance}",
    ),
    (
        "raw-variable",
        "select",
        f"{SLOTS} AND '20' =~ /^${{sl:regex}}$/",
        f'{SLOTS} AND "voice_slots_free" < $sl',
        "$sl",
    ),
]


def findings(query: str) -> list[tuple[int, int, str, str]]:
    return [
        (f.line, f.column, f.rule, f.message) for f in check_influxql(query, file="q.influxql", variables=VARIABLES)
    ]


@pytest.mark.parametrize(
    ("rule", "kind", "passing", "failing", "at"), PAIRS, ids=[f"{p[0]}-{p[1]}-{i}" for i, p in enumerate(PAIRS)]
)
def test_rule_pair(rule: str, kind: str, passing: str, failing: str, at: str) -> None:
    assert passing.startswith("SHOW" if kind == "show" else ("SELECT", "--"))
    assert failing.count(at) == 1, "the finding's place must be one place"
    assert findings(passing) == []
    [(line, column, found, _message)] = findings(failing)
    assert (found, line, column) == (rule, *line_column(failing, failing.index(at)))


def test_every_rule_influxqlcheck_emits_has_a_pair() -> None:
    emitted = emitted_rules("influxqlcheck")
    assert {rule for rule, *_ in PAIRS} == emitted
    assert emitted == set(RULES)  # the declared list the module documents stays true
