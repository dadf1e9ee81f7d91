"""raw-variable: each pair differs only in how the variable is written, and only the raw one is a finding."""

from __future__ import annotations

import pytest

from tests.sqlcheck.helpers import check

TS = '"{{ timestream_database }}"'
AGENTS = f"SELECT agent_id FROM {TS}.agent_state WHERE $__timeFilter AND "
CONTACTS = (
    f"SELECT count_if(date_diff('millisecond', time, time) <= @ * 1000) FROM {TS}.contact_event WHERE $__timeFilter"
)


def raw(sql: str, datasource: str = "timestream") -> list[tuple[int, str]]:
    return [(p.column, p.message) for p in check(sql, datasource) if p.rule == "raw-variable"]


def test_a_single_value_quoted_by_hand_is_raw() -> None:
    assert raw(AGENTS + "agent_username = '$agent'") == [
        (
            len(AGENTS + "agent_username = '") + 1,
            "$agent goes into the string as typed, so a ' in a value from a dashboard link ends it; "
            "write ${agent:sqlstring} in place of the quoted '$agent': it quotes the value and doubles '",
        )
    ]
    assert check(AGENTS + "agent_username = ${agent:sqlstring}") == []


def test_a_number_inserted_bare_is_raw() -> None:
    assert raw(CONTACTS.replace("@", "$sl_seconds")) == [
        (
            CONTACTS.index("@") + 1,
            "$sl_seconds goes in as typed, so a dashboard link can put any SQL here; "
            "write CAST(${sl_seconds:sqlstring} AS DOUBLE): a value that is no number fails the query",
        )
    ]
    assert check(CONTACTS.replace("@", "CAST(${sl_seconds:sqlstring} AS DOUBLE)")) == []


def test_a_variable_in_a_comment_is_raw() -> None:
    sql = "-- within # s\n" + CONTACTS.replace("@", "CAST(${sl_seconds:sqlstring} AS DOUBLE)")
    [(column, message)] = raw(sql.replace("#", "$sl_seconds"))
    assert (column, message) == (
        len("-- within ") + 1,
        "$sl_seconds in a comment: a newline in its value ends the comment; name it without the $",
    )
    assert check(sql.replace("#", "sl_seconds")) == []


@pytest.mark.parametrize("fmt", ["csv", "singlequote", "raw"])
def test_a_list_through_a_format_that_does_not_double_quotes_is_raw(fmt: str) -> None:
    written = f"${{queue:{fmt}}}"
    sql = f"SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND queue_name IN (@)"
    assert [column for column, _ in raw(sql.replace("@", written))] == [sql.index("@") + 1]
    assert check(sql.replace("@", "$queue")) == []
    assert check(sql.replace("@", "${queue:sqlstring}")) == []


def test_athena_is_held_to_the_same_rule() -> None:
    scan = "SELECT contactid FROM contact_records WHERE $__dateFilter(initiation_date) AND "
    assert [c for c, _ in raw(scan + "agent.username = '$agent'", "athena")] == [len(scan + "agent.username = '") + 1]
    assert check(scan + "agent.username = ${agent:sqlstring}", "athena") == []
