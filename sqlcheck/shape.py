"""A SQL query's result shape as Grafana's alerting reads it (core.kinds.ResultShape), from its outer SELECT.

A column is a label when it is grouped by, a string literal or cast, or a text column of the data model (directly or
through coalesce); the column named `time` is the time column; every other column is a value (a number). This
reads the query as written, without running it: enough to refuse a result Grafana cannot alert on (two value
columns, or several rows no label tells apart) before it ships.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlglot
from connect_ingest import datamodel
from sqlglot import expressions as exp

from core.kinds import ResultShape

TIME_COLUMN = "time"


@cache
def _text_columns() -> frozenset[str]:
    """Every column the data model declares as text, in Timestream or Glue."""
    names = {name for table in datamodel.TIMESTREAM_TABLES for name, t in table.columns().items() if t == "VARCHAR"}
    names |= {name for table in datamodel.GLUE_TABLES for name, t in table.all_columns().items() if t == "string"}
    return frozenset(names)


def sql_shape(text: str, dialect: Any) -> ResultShape:
    """The shape of the expanded query ``text`` (macros already replaced) read by ``dialect``."""
    tree = sqlglot.parse_one(text, read=dialect)
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        raise ValueError("the query has no SELECT")
    grouped = _grouped(select)
    labels: list[str] = []
    values: list[str] = []
    time = False
    for projection in select.expressions:
        name = projection.alias_or_name
        if name == TIME_COLUMN:
            time = True
        elif _is_label(projection.unalias(), grouped):
            labels.append(name)
        else:
            values.append(name)
    aggregated = any(p.find(exp.AggFunc) for p in select.expressions)
    limit = select.args.get("limit")
    one_row = (aggregated and not grouped) or (
        limit is not None and isinstance(limit.expression, exp.Literal) and limit.expression.name == "1"
    )
    return ResultShape(tuple(labels), tuple(values), time, one_row)


def _grouped(select: exp.Select) -> set[str]:
    """Names of the GROUP BY expressions, positions (GROUP BY 1) read as the projections they point at."""
    group = select.args.get("group")
    if group is None:
        return set()
    names: set[str] = set()
    for item in group.expressions:
        if isinstance(item, exp.Literal) and item.is_int and 0 < int(item.name) <= len(select.expressions):
            item = select.expressions[int(item.name) - 1].unalias()
        names.add(item.sql() if not isinstance(item, exp.Column) else item.name)
    return names


def _is_label(node: exp.Expression, grouped: set[str]) -> bool:
    if isinstance(node, exp.Column):
        return node.name in grouped or node.name in _text_columns()
    if isinstance(node, exp.Literal):
        return node.is_string
    if isinstance(node, exp.Cast):
        return node.to.is_type(*exp.DataType.TEXT_TYPES)
    if isinstance(node, exp.Coalesce):
        return all(_is_label(arg, grouped) for arg in [node.this, *node.expressions])
    return node.sql() in grouped
