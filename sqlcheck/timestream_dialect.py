"""A sqlglot dialect for Amazon Timestream for LiveAnalytics SQL, on top of Trino.

Timestream is Trino-like with a few additions: duration literals (``15m``, ``60000ms``),
``ago()``, ``bin()``, ``from_milliseconds()``, ``measure_value::double`` casts and the
time-series functions (``CREATE_TIME_SERIES``, ``INTERPOLATE_*``). Names are
case-sensitive. Durations become ``INTERVAL 'n' UNIT`` at the token level, so string
literals are never touched and every token keeps its position; the local query engine
reuses this dialect to parse panel queries before running them elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.dialects.dialect import NormalizationStrategy
from sqlglot.dialects.trino import Trino
from sqlglot.tokens import Token, TokenType

if TYPE_CHECKING:
    from sqlglot.generator import Generator as BaseGenerator

DURATION_UNITS = {
    "ns": "NANOSECOND",
    "us": "MICROSECOND",
    "ms": "MILLISECOND",
    "s": "SECOND",
    "m": "MINUTE",
    "h": "HOUR",
    "d": "DAY",
}


def merge_durations(tokens: list[Token]) -> list[Token]:
    """``15`` followed directly by ``m`` -> ``INTERVAL '15' MINUTE``, positions kept."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        unit = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.token_type == TokenType.NUMBER
            and token.text.isdigit()
            and unit is not None
            and unit.token_type == TokenType.VAR
            and unit.start == token.end + 1
            and unit.text.lower() in DURATION_UNITS
        ):
            out.append(Token(TokenType.INTERVAL, "INTERVAL", token.line, token.col, token.start, token.start - 1))
            out.append(Token(TokenType.STRING, token.text, token.line, token.col, token.start, token.end))
            out.append(
                Token(TokenType.VAR, DURATION_UNITS[unit.text.lower()], unit.line, unit.col, unit.start, unit.end)
            )
            index += 2
            continue
        out.append(token)
        index += 1
    return out


class Timestream(Trino):
    """Trino with Timestream's literals and case-sensitive names."""

    NORMALIZATION_STRATEGY = NormalizationStrategy.CASE_SENSITIVE

    class Tokenizer(Trino.Tokenizer):
        def tokenize(self, sql: str) -> list[Token]:
            return merge_durations(super().tokenize(sql))

    # sqlglot>=30 assigns Trino.Generator = TrinoGenerator in the class body, which mypy takes for a variable;
    # subclassing the dialect's nested Generator is sqlglot's documented way to extend a dialect.
    class Generator(Trino.Generator):  # type: ignore[misc,valid-type]
        TRANSFORMS = {  # noqa: RUF012 - sqlglot's own convention for generator tables
            **Trino.Generator.TRANSFORMS,
            exp.Interval: lambda self, e: _duration_sql(self, e),
        }


def _duration_sql(generator: BaseGenerator, interval: exp.Interval) -> str:
    """Write intervals back as Timestream durations (``15m``) where they came from one."""
    unit = interval.unit.name.upper() if interval.unit else ""
    value = interval.this
    suffix = {v: k for k, v in DURATION_UNITS.items()}.get(unit)
    if suffix and isinstance(value, exp.Literal) and value.is_string and value.this.isdigit():
        return f"{value.this}{suffix}"
    return generator.interval_sql(interval)
