"""Rewrites inside rewrites: sqlglot does not descend into a replaced node, so the translator must."""

from __future__ import annotations

from datetime import datetime

import duckdb

from kinds import KINDS
from localquery.translate import install_macros, to_duckdb


def run(sql: str) -> tuple[object, ...]:
    con = duckdb.connect()
    install_macros(con, datetime(2026, 2, 1, 1, 0))
    row = con.execute(to_duckdb(sql, KINDS["timestream"])).fetchone()
    assert row is not None
    return row


def test_now_inside_date_diff_is_the_pinned_end_of_the_range() -> None:
    """The agent table's seconds in status: now() as an argument of date_diff, not the wall clock."""
    assert run("SELECT date_diff('second', TIMESTAMP '2026-02-01 00:59:00', now())") == (60,)


def test_date_diff_inside_count_if_counts_whole_units() -> None:
    """0.2 s apart across a second boundary is 0 whole seconds (DuckDB's own date_diff says 1)."""
    sql = (
        "SELECT count_if(date_diff('second', a, b) = 0), count_if(b < now()) FROM (SELECT "
        "TIMESTAMP '2026-02-01 00:00:00.900' AS a, TIMESTAMP '2026-02-01 00:00:01.100' AS b) t"
    )
    assert run(sql) == (1, 1)
