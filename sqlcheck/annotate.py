"""Types of every expression of a query, from the data model's declared column types up.

sqlglot's type annotator does the operators, literals, casts and the functions it knows; the columns get the
types the resolver found for them in the data model (nested CTR fields included, through CTEs and UNNEST), and
the functions it leaves unknown get theirs from a table of what Trino and Timestream return. Each scope is
annotated as soon as its names are resolved, so what a CTE computes is typed where an outer query reads it.
Anything not known stays unknown, and the rule never reports an unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.optimizer.annotate_types import TypeAnnotator
from sqlglot.optimizer.scope import Scope
from sqlglot.schema import MappingSchema

from sqlcheck.catalog import TypeTree

D = exp.DType
# Declared scalar types (Hive's, Timestream's) -> sqlglot's.
_SCALARS = {
    "string": D.VARCHAR,
    "varchar": D.VARCHAR,
    "int": D.INT,
    "integer": D.INT,
    "bigint": D.BIGINT,
    "double": D.DOUBLE,
    "float": D.FLOAT,
    "boolean": D.BOOLEAN,
    "timestamp": D.TIMESTAMP,
    "date": D.DATE,
    "interval": D.INTERVAL,
}
# Functions sqlglot parses as its own nodes but leaves untyped: what Trino returns.
_RETURNS: dict[type[exp.Expr], D] = {
    exp.FromISO8601Timestamp: D.TIMESTAMPTZ,
    exp.FromISO8601Date: D.DATE,
    exp.SplitPart: D.VARCHAR,
    exp.TimeToUnix: D.DOUBLE,
    exp.ParseDatetime: D.TIMESTAMPTZ,
}
# Functions sqlglot does not know (Timestream's own among them), by name.
_ANONYMOUS: dict[str, D] = {
    "ago": D.TIMESTAMP,
    "from_milliseconds": D.TIMESTAMP,
    "from_nanoseconds": D.TIMESTAMP,
    "to_milliseconds": D.BIGINT,
    "to_nanoseconds": D.BIGINT,
    "format_datetime": D.VARCHAR,
    "to_iso8601": D.VARCHAR,
}
_SAME_AS_FIRST = frozenset({"bin"})  # bin(time, 1m) is a timestamp


def declared(type_: TypeTree | None) -> exp.DataType | None:
    """A declared type (``string``, ``{"a": "int"}``, ``{"[]": T}``, ``{"{}": V}``) as sqlglot's."""
    if isinstance(type_, str):
        scalar = _SCALARS.get(type_.lower())
        return exp.DataType(this=scalar) if scalar is not None else None
    if not isinstance(type_, dict):
        return None
    if "[]" in type_ or "{}" in type_:
        inner = declared(_tree(type_.get("[]", type_.get("{}"))))
        if inner is None:
            return None
        if "[]" in type_:
            return exp.DataType(this=D.ARRAY, expressions=[inner], nested=True)
        return exp.DataType(this=D.MAP, expressions=[exp.DataType(this=D.VARCHAR), inner], nested=True)
    fields = []
    for name, sub in type_.items():
        kind = declared(_tree(sub))
        if kind is None:
            return None
        fields.append(exp.ColumnDef(this=exp.to_identifier(name), kind=kind))
    return exp.DataType(this=D.STRUCT, expressions=fields, nested=True)


def _tree(value: object) -> TypeTree | None:
    return value if isinstance(value, str | dict) else None


def scalar_name(node: exp.Expr) -> str | None:
    """A computed scalar's type as the resolver records declared ones (``timestamp``), None if unknown."""
    type_ = node.type
    if type_ is None or type_.args.get("nested"):
        return None
    this = type_.this
    return next((name for name, scalar in _SCALARS.items() if scalar == this), None)


class Typer:
    """Annotates a query scope by scope, as the resolver finishes each (every node of a query is in a scope)."""

    def __init__(self, dialect: Any) -> None:
        read = Dialect.get_or_raise(dialect)
        self.annotator = TypeAnnotator(MappingSchema(dialect=read), _metadata(dialect), overwrite_types=False)

    def annotate(self, scope: Scope, columns: Iterable[tuple[exp.Expr, TypeTree]]) -> None:
        """Give the scope's column paths (each path's outermost node) their declared types, then type the rest."""
        for node, type_ in columns:
            known = declared(type_)
            if known is not None:
                node.type = known
        self.annotator.annotate_scope(scope)


@lru_cache(maxsize=4)
def _metadata(dialect: Any) -> dict[type[exp.Expr], dict[str, Any]]:
    """The dialect's own annotators with the functions and operators above added."""
    return {
        **Dialect.get_or_raise(dialect).EXPRESSION_METADATA,
        **{node: {"returns": returns} for node, returns in _RETURNS.items()},
        exp.Anonymous: {"annotator": _anonymous},
        exp.TimestampTrunc: {"annotator": lambda self, e: self._annotate_by_args(e, "this")},
        exp.ArgMax: {"annotator": lambda self, e: self._annotate_by_args(e, "this")},
        exp.ArgMin: {"annotator": lambda self, e: self._annotate_by_args(e, "this")},
        exp.Sub: {"annotator": _subtraction},
        exp.Mul: {"annotator": _scaling},
        exp.Div: {"annotator": _scaling},
    }


def _anonymous(annotator: TypeAnnotator, node: exp.Anonymous) -> exp.Anonymous:
    name = node.name.lower()
    first = node.expressions[0] if node.expressions else None
    if name in _SAME_AS_FIRST and first is not None:
        annotator._set_type(node, first.type)
    else:
        annotator._set_type(node, _ANONYMOUS.get(name))
    return node


def _subtraction(annotator: TypeAnnotator, node: exp.Sub) -> exp.Sub:
    """Trino subtracts two timestamps (or dates) into an interval; sqlglot would say timestamp."""
    temporal = {*exp.DataType.TEMPORAL_TYPES}
    left, right = node.left.type, node.right.type
    if left is not None and right is not None and left.this in temporal and right.this in temporal:
        annotator._set_type(node, D.INTERVAL)
        return node
    annotator._annotate_binary(node)
    return node


def _scaling(annotator: TypeAnnotator, node: exp.Mul | exp.Div) -> exp.Expr:
    """An interval times (or divided by) a number is an interval; sqlglot would keep the number's type."""
    kinds = [side.type.this if side.type is not None else None for side in (node.left, node.right)]
    numeric = exp.DataType.NUMERIC_TYPES
    if (kinds[0] == D.INTERVAL and kinds[1] in numeric) or (
        isinstance(node, exp.Mul) and kinds[1] == D.INTERVAL and kinds[0] in numeric
    ):
        annotator._set_type(node, D.INTERVAL)
        return node
    if isinstance(node, exp.Div):
        return annotator._annotate_div(node)
    return annotator._annotate_binary(node)
