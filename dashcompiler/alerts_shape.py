"""Whether Grafana's alerting can read each rule's query results: the build refuses what it could not.

A result is read per label set: every value column (field) is a series of its own, and rows (series) that no
label tells apart become instances with the same labels, which makes the whole rule an error. A time series must
be reduced before a threshold or math expression decides the state ("looks like time series data, only reduced
data can be alerted on"). Each finding names the rule and the refId, at the query file.
"""

from __future__ import annotations

from typing import Any

from core.environment import Environment
from core.kinds import ResultShape
from core.model import AlertQuery, CompiledAlertRule
from core.paths import relative_path
from core.problems import Problem
from core.timerange import SAMPLE_RANGE
from dashcompiler.alerts_loader import MATH_REF

RULE = "alert-shape"


def rule_shape_problems(rule: CompiledAlertRule, env: Environment, root: Any) -> list[Problem]:
    """Every problem of the rule's query results as alerting reads them."""
    items = {item["refId"]: item for item in rule.json["data"]}
    problems = []
    for query in rule.queries:
        shape = query_shape(query, env)
        if shape is None:
            continue
        file = relative_path(query.query.file, root)
        for message in shape_messages(shape, _reduced(query.ref_id, rule.json["condition"], items)):
            problems.append(Problem(file, 1, 1, RULE, f"alert rule {rule.uid!r}, query {query.ref_id}: {message}"))
    return problems


def query_shape(query: AlertQuery, env: Environment) -> ResultShape | None:
    """The query's shape, None when its kind cannot tell or its text does not parse (its own check says why)."""
    kind = query.query.kind
    if kind.shape is None:
        return None
    try:
        text = kind.expand(query.query.text, kind.context(env), query.query.target, SAMPLE_RANGE)
        return kind.shape(text)
    except Exception:  # a query that does not expand or parse is reported by the query checks
        return None


def shape_messages(shape: ResultShape, reduced: bool) -> list[str]:
    """What is wrong with a result of ``shape`` in a rule that does (or does not) reduce it before the condition."""
    found = []
    if len(shape.values) != 1:
        listed = f" ({', '.join(shape.values)})" if shape.values else ""
        found.append(
            f"returns {len(shape.values)} value columns{listed}; alerting makes each a series of its own that no "
            "label tells apart, so return exactly one number column beside the label columns"
        )
    if not shape.time and not shape.one_row and not shape.labels:
        found.append(
            "returns several rows without a label column; each row becomes an alert instance with the same (empty) "
            "labels, which Grafana refuses: GROUP BY a label column (e.g. the queue), or aggregate to one row"
        )
    if shape.time and not reduced:
        found.append(
            "returns a time series, but the condition reads it unreduced (Grafana: only reduced data can be alerted "
            "on); add a Reduce over it"
        )
    return found


def _reduced(ref: str, at: str, items: dict[str, dict[str, Any]]) -> bool:
    """Whether every path from the expression ``at`` down to the query ``ref`` passes a reduce."""
    if at == ref:
        return False
    model = items[at]["model"]
    kind = model.get("type")
    if items[at]["datasourceUid"] != "__expr__" or kind is None:
        return True  # another query: not a path to ref
    inputs = [model["expression"].removeprefix("$")] if kind != "math" else MATH_REF.findall(model["expression"])
    if kind == "reduce":
        return True
    return all(_reduced(ref, name, items) for name in inputs if name in items)
