"""One evaluation of a rule: its queries' answers through its expressions to one result per label set.

Followed: grafana/grafana pkg/services/ngalert/eval/eval.go (``queryDataResponseToExecutionResults``: a datasource
query that answers nothing makes the whole evaluation NoData, labelled ``datasource_uid`` and ``ref_id``;
``evaluateExecutionResult``: an error gives one Error result, a condition with no values one unlabelled NoData,
a series at the condition an error, and two results with the same labels make the whole evaluation one Error;
``buildResult``: null is NoData, exactly 0 Normal, anything else (NaN included) Alerting), and
pkg/expr/graph.go (expressions run in dependency order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from alerting.expressions import ExpressionError, classic, math_expression, reduce, threshold
from alerting.rule import AlertRule, Classic, Math, Reduce, Threshold
from alerting.values import (
    ConversionError,
    Frame,
    Labels,
    NoData,
    Number,
    Series,
    Value,
    contains,
    convert,
    is_no_data,
    labels_of,
    show_labels,
)

NORMAL, PENDING, ALERTING, RECOVERING, NODATA, ERROR = "Normal", "Pending", "Alerting", "Recovering", "NoData", "Error"


@dataclass(frozen=True)
class QueryFailure:
    """A datasource query that failed (the engine refused it, timed out); the message says why."""

    message: str


QueryOutcome = tuple[Frame, ...] | QueryFailure


@dataclass(frozen=True)
class Result:
    """One label set's outcome of one evaluation: Normal, Alerting, NoData or Error, with the numbers seen."""

    labels: Labels
    state: str
    values: Mapping[str, float | None] = field(default_factory=dict)
    error: str = ""


def _error(message: str) -> tuple[Result, ...]:
    return (Result((), ERROR, {}, message),)


def run_expressions(
    rule: AlertRule, outcomes: Mapping[str, QueryOutcome], loaded: frozenset[Labels] = frozenset()
) -> dict[str, tuple[Value, ...]] | str:
    """Every node's values by refId, or the error message that stops the evaluation."""
    variables: dict[str, tuple[Value, ...]] = {}
    for query in rule.queries:
        outcome = outcomes.get(query.ref_id)
        if outcome is None:
            return f"query {query.ref_id} was not run"
        if isinstance(outcome, QueryFailure):
            return f"query {query.ref_id} (datasource {query.datasource_uid}): {outcome.message}"
        try:
            variables[query.ref_id] = convert(outcome, query.ref_id)
        except ConversionError as exc:
            return str(exc)
    for node in rule.expressions:
        try:
            if isinstance(node, Reduce):
                variables[node.ref_id] = reduce(variables[node.input], node.reducer, node.mode)
            elif isinstance(node, Threshold):
                variables[node.ref_id] = threshold(variables[node.input], node.evaluator, node.unload, loaded)
            elif isinstance(node, Math):
                variables[node.ref_id] = math_expression(node.expression, variables)
            elif isinstance(node, Classic):
                variables[node.ref_id] = classic(node.conditions, variables)
        except ExpressionError as exc:
            return f"expression {node.ref_id}: {exc}"
    return variables


def evaluate(
    rule: AlertRule, outcomes: Mapping[str, QueryOutcome], loaded: frozenset[Labels] = frozenset()
) -> tuple[Result, ...]:
    """The results of one evaluation. ``loaded``: label sets firing before it (for a recovery threshold)."""
    variables = run_expressions(rule, outcomes, loaded)
    if isinstance(variables, str):
        return _error(variables)
    silent: dict[str, list[str]] = {}
    for query in rule.queries:
        outcome = outcomes[query.ref_id]
        if not isinstance(outcome, QueryFailure) and is_no_data(outcome):
            silent.setdefault(query.datasource_uid, []).append(query.ref_id)
    if silent:
        return tuple(
            Result(labels_of({"datasource_uid": uid, "ref_id": ",".join(sorted(refs))}), NODATA)
            for uid, refs in sorted(silent.items())
        )
    condition = variables[rule.condition]
    if not condition:
        return (Result((), NODATA),)
    results: list[Result] = []
    for value in condition:
        if isinstance(value, NoData):
            results.append(Result((), NODATA))
        elif isinstance(value, Series):
            return _error(
                f"condition {rule.condition} is a time series: only reduced data can be alerted on; "
                "reduce it first (a reduce expression) or return one number per row"
            )
        else:
            state = NODATA if value.value is None else NORMAL if value.value == 0 else ALERTING
            results.append(Result(value.labels, state, _captured(variables, value.labels)))
    seen: set[Labels] = set()
    for result in results:
        if result.labels in seen:
            return _error(
                f"frame cannot uniquely be identified by its labels: has duplicate results with labels "
                f"{show_labels(result.labels)}; give each row of the query a distinct text column value"
            )
        seen.add(result.labels)
    return tuple(results)


def _captured(variables: Mapping[str, tuple[Value, ...]], labels: Labels) -> dict[str, float | None]:
    """The numbers of every node whose labels match this result's (equal, or one contains the other)."""
    captured: dict[str, float | None] = {}
    for ref_id, values in variables.items():
        for value in values:
            if isinstance(value, Number) and (
                value.labels == labels or contains(value.labels, labels) or contains(labels, value.labels)
            ):
                captured[ref_id] = value.value
                break
    return captured
