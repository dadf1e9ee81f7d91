"""Crafted dashboard links against every shipped InfluxQL query, as Grafana's InfluxDB datasource inserts values.

Every variable gets a hostile value (an array of it for a multi-value variable, as Grafana keeps those), then
the frontend's interpolation and the backend's macros run as influxqlcheck models them, and the parser reads
what InfluxDB would receive. The statements must keep their structure (the same tree with only literal values
differing: same measurements, same WHERE terms) and stay time-bounded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from core.model import CompiledDashboard, RenderedQuery
from core.template_variable import TemplateVariable
from dashcompiler.compile import compile_model
from influxqlcheck import substitute
from influxqlcheck.nodes import Literal, Select, Source, selects
from influxqlcheck.parser import InfluxQLSyntaxError, parse
from influxqlcheck.timebound import unbounded

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "it's",
    "' OR 1=1 --",
    "x' OR instance_id =~ /.*/ OR instance_id = '",
    "\\",
    "x\\",
    "\\' OR true --",
    "/",
    "1/ OR instance_id =~ /.*",
    "1$/ OR instance_id =~ /.*",
    ".*",
    "*/ OR 1=1 /*",
    "a\nOR 1=1",
    "9" * 400,
    "1) OR (1=1",
    "30 OR true",
    "1e308",
    "$timeFilter",
    "$__interval",
)


def _influxql_queries() -> Iterator[tuple[CompiledDashboard, RenderedQuery]]:
    for board in _model().dashboards:
        for query in board.queries:
            if query.kind.name == "influxdb":
                yield board, query


@cache
def _model() -> Any:
    return compile_model(ROOT, "prod")  # the committed environment whose real-time store is InfluxDB


QUERIES = list(_influxql_queries())


def _selection(variable: TemplateVariable, value: str | None) -> str | tuple[str, ...]:
    text = value if value is not None else ("30" if variable.numeric else f"sample_{variable.name}")
    return (text,) if variable.multi else text


@cache
def _sent(uid: str, owner: str, value: str | None) -> tuple[Any, ...] | None:
    """The parsed statements InfluxDB receives with every variable set to ``value`` (None: benign samples);
    None when it cannot parse them (it refuses the query)."""
    board, query = next((b, q) for b, q in QUERIES if (b.uid, str(q.owner)) == (uid, owner))
    variables = {v.name: v for v in board.variables}
    selections = {name: _selection(v, value) for name, v in variables.items()}
    substituted = substitute(query.text, variables, selections)
    assert substituted.problems == ()
    try:
        return tuple(parse(substituted.text))
    except InfluxQLSyntaxError:
        return None


def _shape(node: Any) -> Any:
    """The statement with literal values and positions left out."""
    if isinstance(node, Literal):
        return ("Literal", node.kind)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            tuple(_shape(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name != "pos"),
        )
    if isinstance(node, tuple):
        return tuple(_shape(item) for item in node)
    return node


def _measurements(statements: tuple[Any, ...]) -> set[str]:
    return {
        source.name or f"/{source.regex}/"
        for statement in statements
        if isinstance(statement, Select)
        for select in selects(statement)
        for source in select.sources
        if isinstance(source, Source)
    }


def _ids() -> list[str]:
    return [f"{b.uid}:{q.owner}" for b, q in QUERIES]


def test_the_shipped_model_has_influxql_queries_with_variables() -> None:
    assert len(QUERIES) > 20
    assert any("${instance:regex}" in q.text for _, q in QUERIES)
    assert any("${sl_seconds:regex}" in q.text for _, q in QUERIES)


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(("board", "query"), QUERIES, ids=_ids())
def test_a_hostile_value_stays_a_value(board: CompiledDashboard, query: RenderedQuery, value: str) -> None:
    plain, hostile = _sent(board.uid, str(query.owner), None), _sent(board.uid, str(query.owner), value)
    assert plain is not None
    if hostile is None:
        # InfluxQL's spec admits no newline in a regex literal (Grafana's escaping leaves it), so the query is
        # refused; were it admitted, it would stay inside the /.../ all the same.
        assert "\n" in value
        return
    assert _measurements(hostile) == _measurements(plain)
    assert _shape(hostile) == _shape(plain)
    for statement in hostile:
        if isinstance(statement, Select):
            assert list(unbounded(statement)) == []


def test_the_raw_forms_they_replace_let_a_link_widen_the_query() -> None:
    """'$instance' and a bare $sl_seconds under the same substitution: the value becomes InfluxQL."""
    instance = TemplateVariable("instance", "query", "influxdb", False, False, "", False)
    sl = TemplateVariable("sl_seconds", "custom", None, False, False, "", True, ("20",))
    variables = {"instance": instance, "sl_seconds": sl}
    query = (
        "SELECT count(enqueued_at) FROM contact_event WHERE time > now() - 1d AND instance_id = '$instance' "
        "AND dequeued_at - enqueued_at <= $sl_seconds * 1000"
    )

    def sent(instance_value: str, sl_value: str) -> Any:
        text = substitute(query, variables, {"instance": instance_value, "sl_seconds": sl_value}).text
        return _shape(tuple(parse(text)))

    plain = sent("i-1", "20")
    assert sent("x' OR instance_id =~ /.*/ OR instance_id = '", "20") != plain
    assert sent("i-1", "1 OR true") != plain
    # In a regex without :regex, a value JavaScript's parseFloat reads as a number goes in unescaped.
    in_regex = {"instance": "instance_id =~ /^$instance$/", "regex": "instance_id =~ /^${instance:regex}$/"}
    widening = "1$/ OR instance_id =~ /.*"
    for form, expected_same in (("instance", False), ("regex", True)):
        written = query.replace("instance_id = '$instance'", in_regex[form])
        texts = [substitute(written, variables, {"instance": v, "sl_seconds": "20"}).text for v in ("1", widening)]
        shapes = [_shape(tuple(parse(text))) for text in texts]
        assert (shapes[0] == shapes[1]) is expected_same, form
