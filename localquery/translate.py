"""Timestream and Athena (Trino) SQL to DuckDB, with DuckDB macros for what DuckDB lacks.

sqlglot translates the standard parts; the Timestream-only functions (``ago``, ``bin``,
``from_milliseconds``, ``CREATE_TIME_SERIES``) stay as calls and are defined as DuckDB macros by
``install_macros``, so the query text keeps its shape. ``now()`` is a macro over the end of the
range, so a local run is reproducible. Two functions are rewritten because DuckDB's of the same
name means something else: Trino's ``date_diff`` counts whole units elapsed (DuckDB's
``date_sub``), DuckDB's counts unit boundaries crossed; Trino's ``count_if`` is 0 over no rows,
DuckDB's is NULL, so it becomes ``count(CASE WHEN .. THEN 1 END)``. Trino divides integers by integers
to an integer (truncated), DuckDB to a double unless ``integer_division`` is set, so it is set. Whatever has no faithful translation
raises UntranslatableError naming the construct; it is never run as something else.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

from core.errors import UntranslatableError
from core.kinds import DatasourceKind
from localquery.engine_errors import explain_parse

NOW_VARIABLE = "localquery_now"
MACROS = (
    f"CREATE OR REPLACE MACRO now() AS getvariable('{NOW_VARIABLE}')",
    "CREATE OR REPLACE MACRO ago(d) AS now() - d",
    "CREATE OR REPLACE MACRO bin(t, d) AS time_bucket(d, t, TIMESTAMP '1970-01-01')",
    "CREATE OR REPLACE MACRO from_milliseconds(ms) AS epoch_ms(CAST(ms AS BIGINT))",
    # Timestream refuses a null value ("The second parameter cannot be null", timeseries-specific-constructs.views).
    "CREATE OR REPLACE MACRO create_time_series(t, v) AS CASE WHEN bool_or(v IS NULL) THEN "
    "error('CREATE_TIME_SERIES: the second parameter cannot be null') "
    "ELSE list({'time': t, 'value': v} ORDER BY t) END",
)
# Timestream functions with no DuckDB macro here: a query using one is refused, naming it.
TIMESTREAM_ONLY = frozenset(
    {
        "interpolate_linear",
        "interpolate_spline_cubic",
        "interpolate_locf",
        "interpolate_fill",
        "derivative_rate",
        "integral",
        "sequence",
        "unnest_time_series",
        "filter",
        "reduce",
        "transform",
        "to_milliseconds",
        "to_nanoseconds",
        "from_nanoseconds",
        "make_timeseries",
    }
)


def install_macros(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Pin "now" to ``now`` (UTC) and define the Timestream functions for this connection."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET integer_division = true")
    con.execute(f"SET VARIABLE {NOW_VARIABLE} = TIMESTAMP '{now:%Y-%m-%d %H:%M:%S.%f}'")
    for statement in MACROS:
        con.execute(statement)


def _pin(node: exp.Expr) -> exp.Expr:
    """One node rewritten; sqlglot does not descend into a replacement, so its arguments are pinned here."""
    if isinstance(node, exp.CurrentTimestamp):
        return exp.Anonymous(this="now", expressions=[])
    if isinstance(node, exp.CurrentDate):
        return exp.cast(exp.Anonymous(this="now", expressions=[]), exp.DataType.build("DATE"))
    if isinstance(node, exp.CountIf):
        condition = node.this.transform(_pin)
        return exp.Count(this=exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))]))
    if isinstance(node, exp.DateDiff):
        unit = exp.Literal.string(node.unit.name.lower() if node.unit else "day")
        return exp.Anonymous(
            this="date_sub", expressions=[unit, node.expression.transform(_pin), node.this.transform(_pin)]
        )
    return node


def _refuse(tree: exp.Expr, file: str) -> None:
    for node in tree.find_all(exp.Anonymous):
        name = node.name.lower()
        if name in TIMESTREAM_ONLY:
            raise UntranslatableError(
                f"{file}: {node.name}() has no DuckDB translation in the local engine; "
                "run this panel against Timestream, or add a macro in localquery/translate.py"
            )


def to_duckdb(sql: str, kind: DatasourceKind, file: str = "query") -> str:
    """The DuckDB text of one panel query whose macros and variables are already expanded."""
    if kind.local_dialect is None:
        raise UntranslatableError(
            f"{file}: {kind.display_name} queries do not run on the local DuckDB engine; run the panel with "
            "--engine influxdb, or give a variable listed by such a query with --var NAME=VALUE"
        )
    try:
        statements = [s for s in sqlglot.parse(sql, read=kind.local_dialect()) if s is not None]
    except ParseError as exc:
        raise UntranslatableError(explain_parse(exc.errors, file, f"{kind.display_name} SQL")) from None
    if len(statements) != 1:
        raise UntranslatableError(f"{file}: expected one statement, found {len(statements)}")
    tree = statements[0]
    _refuse(tree, file)
    tree = tree.transform(_pin)
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise UntranslatableError(f"{file}: no DuckDB translation for {exc}") from None
