"""What each engine compares and computes with, and what to write when it does not (the ``type-mismatch`` rule).

Types are reduced to kinds: varchar, number (integer, bigint, double, decimal: Trino widens them into one
another), boolean, timestamp, date, time, interval. Both engines are Trino at heart: no implicit cast between
a varchar and anything else, none between a boolean and a number, a date widens to a timestamp.
Timestream differs where its documentation or its users' queries say so: a varchar is compared with a timestamp
(``time >= '2024-01-01 00:00:00.000'`` runs), and "a date or timestamp cannot be added to or subtracted from a
date or timestamp" (its date/time operators page), where Trino subtracts two into an interval.
No sqlglot here: the languages name their rules without loading a parser.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPORAL = frozenset({"timestamp", "date"})


@dataclass(frozen=True)
class TypeRules:
    engine: str  # as messages name it
    compares: frozenset[frozenset[str]]  # pairs of different kinds the engine casts to compare
    subtracts_times: bool  # timestamp - timestamp is an interval (Trino), not an error (Timestream)
    interval: str  # how an interval of n seconds is written, "{n}" in it


ATHENA_TYPES = TypeRules("Athena", frozenset({TEMPORAL}), True, "INTERVAL '{n}' SECOND")
TIMESTREAM_TYPES = TypeRules(
    "Timestream",
    frozenset({TEMPORAL, frozenset({"varchar", "timestamp"}), frozenset({"varchar", "date"})}),
    False,
    "{n}s",
)


def compares(rules: TypeRules, left: str, right: str) -> bool:
    return left == right or frozenset({left, right}) in rules.compares


def computes(rules: TypeRules, operator: str, left: str, right: str) -> bool:
    """Whether ``left operator right`` is defined (``+ - * / %`` over the kinds)."""
    if left == right == "number":
        return True
    if operator == "+":
        return {left, right} in ({"interval"}, {"interval", "timestamp"}, {"interval", "date"}, {"interval", "time"})
    if operator == "-":
        if right == "interval":
            return left in ("interval", "timestamp", "date", "time")
        return rules.subtracts_times and left == right and left in TEMPORAL
    if operator == "*":
        return {left, right} == {"interval", "number"}
    return operator == "/" and (left, right) == ("interval", "number")


@dataclass(frozen=True)
class Side:
    """One operand as a message shows it."""

    kind: str
    type_name: str  # e.g. "varchar", "bigint", "timestamp"
    text: str  # as written (a column, a literal) or as the macro that produced it
    literal: str | None = None  # a literal's value
    from_macro: bool = False


def article(type_name: str) -> str:
    return f"an {type_name}" if type_name[:1] in "aeiou" else f"a {type_name}"


def comparison_advice(rules: TypeRules, subject: Side, other: Side) -> str:
    """What to write instead of ``subject`` so that it compares with ``other``."""
    kinds = (subject.kind, other.kind)
    value = subject.literal
    if kinds == ("varchar", "timestamp"):
        if value is not None:
            return f"write TIMESTAMP '{value}'"
        return f"write from_iso8601_timestamp({subject.text}) (Connect writes its times as ISO 8601 strings)"
    if kinds == ("varchar", "date"):
        return f"write DATE '{value}'" if value is not None else f"write date(from_iso8601_timestamp({subject.text}))"
    if kinds == ("varchar", "number"):
        return f"write {value} without quotes" if value is not None else f"write CAST({subject.text} AS DOUBLE)"
    if kinds == ("number", "varchar") and value is not None:
        return f"write '{value}' in quotes"
    if kinds == ("varchar", "boolean") and value is not None and value.lower() in ("true", "false"):
        return f"write {value.lower()} without quotes"
    if subject.kind == "number" and other.kind in TEMPORAL:
        convert = "from_milliseconds" if rules.engine == "Timestream" else "from_unixtime"
        unit = "epoch milliseconds" if rules.engine == "Timestream" else "epoch seconds"
        written = f"{convert}({subject.text})"
        written = f"date({written})" if other.kind == "date" else written
        return f"write {written} ({subject.text} read as {unit})"
    if kinds == ("number", "boolean") and value in ("0", "1"):
        return f"write {'true' if value == '1' else 'false'}"
    if kinds == ("number", "interval") and value is not None:
        return f"write {rules.interval.format(n=value)}, or compare a count: date_diff('second', start, end)"
    return f"write CAST({subject.text} AS {other.type_name.upper()}), or convert the other side"


def arithmetic_advice(rules: TypeRules, operator: str, subject: Side, other: Side) -> str:
    """What to write instead of ``subject`` in ``subject operator other`` (either order)."""
    if subject.kind == "varchar" and other.kind == "number":
        value = subject.literal
        return f"write {value} without quotes" if value is not None else f"write CAST({subject.text} AS DOUBLE)"
    if subject.kind == "varchar" and other.kind in ("interval", *TEMPORAL):
        return f"write from_iso8601_timestamp({subject.text})"
    if subject.kind == "boolean":
        return f"write CASE WHEN {subject.text} THEN 1 ELSE 0 END"
    if subject.kind == "number" and other.kind in ("interval", *TEMPORAL):
        if subject.literal is not None:
            return f"write an interval: {rules.interval.format(n=subject.literal)}"
        return f"write an interval: {subject.text} * {rules.interval.format(n=1)} (if it counts seconds)"
    if subject.kind in TEMPORAL and other.kind in TEMPORAL:
        return f"write date_diff('millisecond', {other.text}, {subject.text}) to count the difference"
    return f"write CAST({subject.text} AS {other.type_name.upper()}), or convert the other side"
