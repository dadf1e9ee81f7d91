"""Crafted dashboard links (``?var-instance=...``) against every shipped Timestream and Athena query.

Each variable gets a hostile value, substituted as Grafana and the plugins would (a single value through its
written format, a list quoted by the plugin), then the plugin's macros are expanded and sqlglot parses what the
plugin would send. The query must keep its structure (the same tree with only literal values differing: same
tables, same WHERE conjuncts) and stay time-bounded: a value stays a value. The one exception is a value
naming an Athena macro, which the plugin expands inside the literal: the query then fails, and scans nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from core.model import CompiledDashboard, RenderedQuery
from core.template_variable import TemplateVariable
from core.textmap import MapChain
from core.timerange import SAMPLE_RANGE
from localquery.selection import Selection, substitute
from sqlcheck import ATHENA_SQL, TIMESTREAM_SQL
from sqlcheck.cost import cost_findings
from sqlcheck.resolve import resolve
from tests.localquery.shipped import shipped_model

LANGUAGES = {"timestream": TIMESTREAM_SQL, "athena": ATHENA_SQL}
HOSTILE = (
    "it's",
    "' OR 1=1 --",
    "x' OR instance_id <> '",
    "*/ OR 1=1 /*",
    "a\nOR 1=1",
    "a\n) OR (1=1",
    "9" * 400,
    "1) OR (1=1",
    "30 OR 1=1",
    "1e308",
    "'; DROP TABLE t; --",
    '" OR "1"="1',
    "\\' OR 1=1 --",
    "%",
    "__all__",
    "$__timeFilter",
    "$__timeFrom()",
    "$__dateFilter(initiation_date) OR 1=1 --",
)


def _sql_queries() -> Iterator[tuple[CompiledDashboard, RenderedQuery]]:
    for board in shipped_model().dashboards:
        for query in board.queries:
            if query.kind.name in LANGUAGES:
                yield board, query


QUERIES = list(_sql_queries())


def _benign(variable: TemplateVariable) -> str:
    return "30" if variable.numeric else f"sample_{variable.name}"


@dataclass(frozen=True)
class Sent:
    tree: exp.Expr
    chain: MapChain  # offsets in the sent SQL -> the macros they came from


@cache
def _sent(uid: str, file: str, owner: str, value: str | None, raw: bool = False) -> Sent | None:
    """What the plugin sends with every variable set to ``value`` (None: a benign sample each), parsed;
    None when the plugin refuses a macro or the service cannot parse it. ``raw``: as the queries were written
    before, '$instance' and a bare $sl_seconds."""
    board, query = next((b, q) for b, q in QUERIES if (b.uid, str(q.file), str(q.owner)) == (uid, file, owner))
    chosen = {v.name: Selection((_benign(v) if value is None else value,), all=False) for v in board.variables}
    written = query.text
    if raw:
        written = written.replace("${instance:sqlstring}", "'$instance'")
        written = written.replace("CAST(${sl_seconds:sqlstring} AS DOUBLE)", "$sl_seconds")
    text = substitute(written, board.variables, chosen, f"{uid} {file}")
    language, chain = LANGUAGES[query.kind.name], MapChain()
    context = query.kind.context(shipped_model().env)
    expansion = language.expander(text, chain, SAMPLE_RANGE, query.target, context)
    if expansion.problems and query.kind.name == "athena":
        return None  # the plugin refuses a macro it cannot expand (Timestream's leaves an unknown one as written)
    try:
        return Sent(sqlglot.parse_one(expansion.text, read=language.dialect()), chain)
    except ParseError:
        return None


def _unbounded(sent: Sent, query: RenderedQuery) -> list[str]:
    """The cost rules' findings: a scan not bounded by the dashboard's range."""
    catalog = LANGUAGES[query.kind.name].catalog(query.kind.context(shipped_model().env))
    _, scans = resolve(sent.tree, catalog)
    return [f.message for f in cost_findings(scans, catalog.norm, lambda offset: sent.chain.to_source(offset)[1])]


def _shape(tree: exp.Expr) -> list[str]:
    """The tree with literal values left out: node types and names, in walk order."""
    shape = []
    for node in tree.walk():
        if isinstance(node, exp.Literal):
            shape.append(f"Literal(string={node.is_string})")
        elif isinstance(node, exp.Identifier):
            shape.append(f"Identifier({node.name})")
        else:
            shape.append(type(node).__name__)
    return shape


def _tables(tree: exp.Expr) -> set[str]:
    return {t.sql() for t in tree.find_all(exp.Table)}


def _conjuncts(tree: exp.Expr) -> list[int]:
    return [len(list(w.this.flatten())) if isinstance(w.this, exp.And) else 1 for w in tree.find_all(exp.Where)]


def _ids() -> list[str]:
    return [f"{b.uid}:{q.owner}" for b, q in QUERIES]


def test_the_shipped_model_has_sql_queries_with_variables() -> None:
    assert {q.kind.name for _, q in QUERIES} == {"timestream", "athena"}
    assert any("${instance:sqlstring}" in q.text for _, q in QUERIES)
    assert any("${sl_seconds:sqlstring}" in q.text for _, q in QUERIES)


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(("board", "query"), QUERIES, ids=_ids())
def test_a_hostile_value_stays_a_value(board: CompiledDashboard, query: RenderedQuery, value: str) -> None:
    key = (board.uid, str(query.file), str(query.owner))
    plain, hostile = _sent(*key, None), _sent(*key, value)
    assert plain is not None
    if hostile is None:
        # The Athena plugin expands its macros after Grafana substitutes, inside string literals too:
        # $__timeFrom(), $__dateFilter(...) bring quotes around fixed dates, so the literal breaks and Athena
        # refuses the query, as the plugin refuses $__timeFilter without its column. A failed panel, never a
        # wider scan: each macro's quotes come in pairs around a date, so the value's own text stays quoted.
        assert (query.kind.name, "$__" in value) == ("athena", True)
        return
    assert _tables(hostile.tree) == _tables(plain.tree)
    assert _conjuncts(hostile.tree) == _conjuncts(plain.tree)
    assert _shape(hostile.tree) == _shape(plain.tree)
    assert _unbounded(plain, query) == []
    assert _unbounded(hostile, query) == []
    used = [v.name for v in board.variables if f"${v.name}" in query.text or f"${{{v.name}" in query.text]
    if used and '"' not in value and "$__" not in value:  # sqlstring backslashes "; macros expand inside
        literals = {lit.this for lit in hostile.tree.find_all(exp.Literal) if lit.is_string}
        assert value in literals, "the hostile value reaches the query as one string literal"


WIDENING = {"instance": "x' OR instance_id <> '", "sl_seconds": "30 OR 1=1"}


@pytest.mark.parametrize(
    ("uid", "owner", "variable"),
    [
        ("connect-rt-agents", "agent_table", "instance"),
        ("connect-rt-contacts", "service_level_today", "sl_seconds"),
        ("connect-history-contacts", "service_level", "sl_seconds"),
    ],
)
def test_the_raw_forms_they_replace_let_a_link_widen_the_query(uid: str, owner: str, variable: str) -> None:
    """The same harness on '$instance' and a bare $sl_seconds: the value becomes SQL, and the WHERE changes."""
    board, query = next((b, q) for b, q in QUERIES if b.uid == uid and str(q.owner) == owner)
    key = (board.uid, str(query.file), str(query.owner))
    raw = _sent(*key, WIDENING[variable], raw=True)
    plain = _sent(*key, None, raw=True)
    assert raw is not None and plain is not None
    assert _shape(raw.tree) != _shape(plain.tree)
    assert any(isinstance(node, exp.Or) for node in raw.tree.walk())
    fixed = _sent(*key, WIDENING[variable])
    assert fixed is not None and _shape(fixed.tree) == _shape(_sent(*key, None).tree)  # type: ignore[union-attr]
