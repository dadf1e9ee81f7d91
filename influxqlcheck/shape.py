"""An InfluxQL query's result shape as Grafana's alerting reads it (core.kinds.ResultShape): every result is a set of
series over time, one per GROUP BY tag set, each selected field a series of its own."""

from __future__ import annotations

from core.kinds import ResultShape
from influxqlcheck.nodes import Ref, Select, Wildcard
from influxqlcheck.parser import parse


def influxql_shape(text: str) -> ResultShape:
    """The shape of the outer SELECT of ``text`` (variables and macros already replaced)."""
    statements = parse(text)
    if len(statements) != 1 or not isinstance(statements[0], Select):
        raise ValueError("an alert query is one SELECT")
    select = statements[0]
    if any(isinstance(f.expr, Wildcard) for f in select.fields):
        raise ValueError("SELECT * returns every field, each a series no label tells apart; name the one field")
    labels = tuple(d.name for d in select.group_by if isinstance(d, Ref))
    values = tuple(f.alias or _name(f.expr) for f in select.fields)
    return ResultShape(labels, values, True, not labels)


def _name(expr: object) -> str:
    """The column InfluxDB names an unaliased field: the field, or the function's name."""
    if isinstance(expr, Ref):
        return expr.name
    return str(getattr(expr, "name", "expression"))
