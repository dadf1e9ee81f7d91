"""type-mismatch beyond its rule pairs: the README's mistake through the CLI, what each engine casts by itself
(never reported), unknown types (never reported), one finding per mistake, and messages in the engine's words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.compiler.helpers import copy_shipped, run
from tests.sqlcheck.helpers import check
from tests.sqlcheck.test_rule_pairs import PAIRS

TS = '"{{ timestream_database }}"'
CTRS = "SELECT contactid FROM contact_records WHERE $__dateFilter(initiation_date) AND"
AGENTS = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND"
HANDLED = Path("queries/athena/history/contacts_handled.sql")
# A newcomer's panel: the CTR's initiation time (an ISO 8601 string in Glue) against the dashboard's range.
NEWCOMER = (
    "-- CONTACTS_HANDLED\n"
    "SELECT count(*) AS contacts_handled\n"
    "FROM {{ ctr_table }}\n"
    "WHERE $__dateFilter(initiation_date) AND $__timeFilter(initiationtimestamp)\n"
)


def rules(query: str, kind: str) -> list[str]:
    return [p.rule for p in check(query, kind)]


def test_the_readme_mistake_fails_validate_and_build_at_its_place(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    (root / HANDLED).write_text(NEWCOMER, encoding="utf-8")
    column = NEWCOMER.splitlines()[3].index("$__timeFilter") + 1
    code, text = run("validate", "--root", str(root), "--env", "staging", "--format", "json")
    assert code == 1, text
    [finding] = [f for f in json.loads(text) if f["file"] == HANDLED.as_posix()]
    assert (finding["rule"], finding["line"], finding["column"]) == ("type-mismatch", 4, column)
    assert "initiationtimestamp is a varchar" in finding["message"]
    assert "a timestamp" in finding["message"]
    assert "write from_iso8601_timestamp(initiationtimestamp)" in finding["message"]
    code, text = run("build", "--root", str(root), "--env", "staging")
    assert code == 2, text
    assert f"{HANDLED.as_posix()}:4:{column}: type-mismatch: initiationtimestamp is a varchar" in text
    assert not (root / "provisioning-staging").exists()


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("athena", f"{CTRS} queue.duration > 2.5"),  # integer and decimal: Trino widens
        ("athena", f"{CTRS} initiation_date <= $__timeTo()"),  # a date widens to a timestamp
        ("athena", f"{CTRS} from_iso8601_timestamp(initiationtimestamp) - $__timeFrom() > INTERVAL '1' HOUR"),
        ("athena", f"{CTRS} queue.duration / 60e0 + agent.agentinteractionduration % 7 > 1"),
        ("timestream", f"{AGENTS} contact_count * 1.5 > voice_slots_max"),  # bigint and double
        ("timestream", f"{AGENTS} status_start > '2026-01-01 00:00:00'"),  # Timestream casts the string
        ("timestream", f"{AGENTS} status_start > ago(1h) - 10m * 3"),
        ("timestream", f"{AGENTS} bin(status_start, 1m) >= date_trunc('day', now())"),
        ("timestream", f"{AGENTS} to_milliseconds(status_start) > $__timeFrom"),
    ],
)
def test_what_the_engine_casts_itself_is_not_reported(kind: str, query: str) -> None:
    assert rules(query, kind) == []


def test_a_string_against_a_timestamp_is_the_athena_mistake_only() -> None:
    """Timestream compares time with '2026-01-01 00:00:00' (its users' queries do); Athena (Trino) does not."""
    athena = f"{CTRS} from_iso8601_timestamp(initiationtimestamp) > '2026-01-01 00:00:00'"
    [problem] = check(athena, "athena")
    assert problem.rule == "type-mismatch"
    assert "write TIMESTAMP '2026-01-01 00:00:00'" in problem.message
    assert rules(f"{AGENTS} status_start > '2026-01-01 00:00:00'", "timestream") == []


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("athena", f"{CTRS} my_function(initiationtimestamp) >= $__timeFrom()"),  # a function nobody typed
        ("athena", f"{CTRS} element_at(attributes, 'skill') >= $__timeFrom()"),  # a map's value, left untyped
        ("timestream", f"{AGENTS} some_udf(agent_id) = 1"),
    ],
)
def test_an_unknown_type_is_never_reported(kind: str, query: str) -> None:
    assert rules(query, kind) == []


def test_one_mistake_is_one_finding() -> None:
    """The expression holding a mismatch is not reported again by the comparison around it."""
    problems = check(f"{CTRS} (queue.duration + '1') * 2 > 20", "athena")
    assert [(p.rule, p.column) for p in problems] == [("type-mismatch", len(CTRS) + 20)]


# sqlglot's vocabulary: type enums, node classes, its own spellings of types and functions.
_INTERNALS = re.compile(
    r"DType|DataType|exp\.|Anonymous|UNKNOWN|TEXT\b|TIMESTAMPTZ|TIMESTAMP\(|CURRENT_TIMESTAMP|"
    r"Column\(|Literal\(|Identifier|<[A-Z]|None"
)


@pytest.mark.parametrize("pair", [p for p in PAIRS if p[0] == "type-mismatch"], ids=lambda p: p[3][-40:])
def test_messages_speak_the_engines_words(pair: tuple[str, str, str, str, str]) -> None:
    _rule, kind, _passing, failing, _at = pair
    [problem] = check(failing, kind)
    assert not _INTERNALS.search(problem.message), problem.message
    named = re.findall(r"\b(varchar|integer|bigint|double|boolean|timestamp|date|interval)\b", problem.message)
    assert len(set(named)) >= 2 or "a timestamp and a timestamp" in problem.message, problem.message
    assert "; write " in problem.message, problem.message  # and what to write instead


def test_a_mismatch_in_a_shared_fragment_points_at_the_call_and_names_the_fragment() -> None:
    fragment = (
        "{% macro recent() -%}\n"
        "SELECT contactid FROM contact_records WHERE $__dateFilter(initiation_date) "
        "AND initiationtimestamp >= $__timeFrom()\n"
        "{%- endmacro %}\n"
    )
    query = '{% from "_f.sql" import recent %}-- q\nWITH c AS ({{ recent() }})\nSELECT count(*) FROM c'
    [problem] = check(query, "athena", fragments={"_f.sql": fragment})
    column = fragment.splitlines()[1].index("initiationtimestamp") + 1
    assert (problem.rule, problem.line, problem.column) == ("type-mismatch", 2, len("WITH c AS (") + 1)
    assert problem.message.endswith(f"(in recent() of queries/_f.sql:2:{column})")
