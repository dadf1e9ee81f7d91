"""Every SELECT reads a bounded time range, directly or through the query around or inside it.

Without a lower time bound InfluxDB scans every shard (1.x/2.x) or every Parquet file (3; Core fails past
its query-file-limit), and aggregates come back stamped 1970-01-01. The rule, per statement: a SELECT is
bounded if its WHERE ANDs a lower bound on time; otherwise each of its subqueries must be bounded (an
outer bound also bounds its subqueries, so a bounded SELECT's subqueries need none). A lower bound is
``time > x`` or ``time >= x`` (or ``x < time``) where x is ``now()`` minus a duration, a time literal,
or an epoch with a unit, which is what ``$timeFilter`` and ``${__from}ms`` expand to. A bound inside an
OR does not count: InfluxDB does not support OR between time ranges.
"""

from __future__ import annotations

from collections.abc import Iterator

from influxqlcheck.names import Issue
from influxqlcheck.nodes import Binary, Call, Expr, Literal, Ref, Select, conjuncts

_ADVICE = "add AND $timeFilter, or time > now() - 15m for a current-state panel"


def unbounded(select: Select, *, outer: bool = True) -> Iterator[Issue]:
    """The SELECTs of a statement that read without a lower time bound from anywhere."""
    if has_lower_bound(select.where):
        return
    inner = [s for s in select.sources if isinstance(s, Select)]
    if not inner:
        where = "this SELECT has no" if outer else "neither this subquery nor the query around it has a"
        yield Issue(select.pos, "time-bound", f"{where} lower time bound in WHERE; {_ADVICE}")
        return
    for subquery in inner:
        yield from unbounded(subquery, outer=False)


def has_lower_bound(where: Expr | None) -> bool:
    return any(_is_lower_bound(term) for term in conjuncts(where))


def _is_lower_bound(term: Expr) -> bool:
    if not isinstance(term, Binary):
        return False
    if term.op in (">", ">=") and _is_time(term.left):
        return _is_instant(term.right)
    if term.op in ("<", "<=") and _is_time(term.right):
        return _is_instant(term.left)
    return False


def _is_time(expr: Expr) -> bool:
    return isinstance(expr, Ref) and expr.name.lower() == "time"


def _is_instant(expr: Expr) -> bool:
    if isinstance(expr, Call):
        return expr.name == "now" and not expr.args
    if isinstance(expr, Literal):
        return expr.kind in ("string", "duration", "integer")
    if isinstance(expr, Binary) and expr.op in ("+", "-"):
        return _is_instant(expr.left) and isinstance(expr.right, Literal) and expr.right.kind == "duration"
    return False
