"""The parsed form of InfluxQL statements: small frozen dataclasses the rules walk.

Every node keeps ``pos``, its offset in the text that was parsed, so a finding can point at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """A column: a field or tag key, or ``time``; ``cast`` is the ``::type`` written after it, if any."""

    name: str
    cast: str | None
    pos: int


@dataclass(frozen=True)
class Literal:
    kind: str  # string, integer, float, duration, regex, boolean
    value: str  # unescaped text: a string's or regex's content, a number as written (sign included)
    pos: int


@dataclass(frozen=True)
class Wildcard:
    cast: str | None
    pos: int


@dataclass(frozen=True)
class Call:
    name: str  # lower case; DISTINCT x is distinct(x)
    args: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str  # AND and OR in upper case, other operators as written
    left: Expr
    right: Expr
    pos: int  # the operator's


Expr = Ref | Literal | Wildcard | Call | Binary


@dataclass(frozen=True)
class Source:
    """A measurement in FROM: a name, or a regex over names."""

    name: str | None
    regex: str | None
    pos: int


@dataclass(frozen=True)
class Field:
    expr: Expr
    alias: str | None


@dataclass(frozen=True)
class Clause:
    keyword: str  # upper case: INTO, SLIMIT, SOFFSET, ...
    pos: int


@dataclass(frozen=True)
class Select:
    pos: int
    fields: tuple[Field, ...]
    sources: tuple[Source | Select, ...]
    where: Expr | None
    group_by: tuple[Expr, ...]
    fill: str | None
    clauses: tuple[Clause, ...]
    into: Source | None = None


@dataclass(frozen=True)
class Show:
    kind: str  # upper case: TAG VALUES, TAG KEYS, FIELD KEYS, MEASUREMENTS, SERIES, DATABASES, RETENTION POLICIES
    pos: int
    sources: tuple[Source, ...]
    keys: tuple[Ref, ...]  # WITH KEY = / != / IN (...)
    where: Expr | None


Statement = Select | Show


def walk(expr: Expr | None) -> Iterator[Expr]:
    """Every node of an expression, parents before children."""
    if expr is None:
        return
    yield expr
    if isinstance(expr, Binary):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from walk(arg)


def conjuncts(expr: Expr | None) -> Iterator[Expr]:
    """The terms a condition ANDs together (parentheses already gone from the tree)."""
    if isinstance(expr, Binary) and expr.op == "AND":
        yield from conjuncts(expr.left)
        yield from conjuncts(expr.right)
    elif expr is not None:
        yield expr


def selects(statement: Statement) -> Iterator[Select]:
    """A SELECT and every subquery in it, outermost first."""
    if isinstance(statement, Select):
        yield statement
        for source in statement.sources:
            if isinstance(source, Select):
                yield from selects(source)


def expressions(statement: Statement) -> Iterator[Expr]:
    """Every expression node of a statement, subqueries included."""
    if isinstance(statement, Show):
        yield from walk(statement.where)
        return
    for select in selects(statement):
        for field in select.fields:
            yield from walk(field.expr)
        yield from walk(select.where)
        for dimension in select.group_by:
            yield from walk(dimension)
