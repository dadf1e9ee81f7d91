"""Reading rule JSON and one evaluation's results, hand-worked against pkg/services/ngalert/eval/eval.go."""

from __future__ import annotations

import math

import pytest

from alerting.evaluate import ALERTING, ERROR, NODATA, NORMAL, QueryFailure, evaluate
from alerting.rule import RuleError, duration_s, parse_groups, parse_rule
from alerting.values import Frame
from tests.alerting.rules import group, rule

SALES = (("queue", "Sales"),)
SUPPORT = (("queue", "Support"),)


def table(*rows: tuple[object, ...]) -> tuple[Frame, ...]:
    return (Frame(("queue", "value"), tuple(rows)),)


def test_one_result_per_row_normal_at_zero_alerting_otherwise() -> None:
    parsed = parse_rule(rule())
    results = evaluate(parsed, {"A": table(("Sales", 85.0), ("Support", 80.0))})
    assert [(r.labels, r.state) for r in results] == [(SALES, ALERTING), (SUPPORT, NORMAL)]
    assert results[0].values == {"A": 85.0, "B": 85.0, "C": 1.0}


def test_a_nan_condition_is_alerting_and_null_is_no_data() -> None:
    nan_rule = parse_rule(rule(evaluator={"type": "ne", "params": [1]}))
    assert [r.state for r in evaluate(nan_rule, {"A": table(("Sales", math.nan))})] == [ALERTING]
    assert [r.state for r in evaluate(parse_rule(rule()), {"A": table(("Sales", None))})] == [NODATA]


def test_a_query_that_answers_nothing_makes_the_evaluation_no_data_labelled_by_datasource() -> None:
    results = evaluate(parse_rule(rule()), {"A": ()})
    assert [(r.labels, r.state) for r in results] == [((("datasource_uid", "ds-1"), ("ref_id", "A")), NODATA)]


def test_an_empty_table_gives_one_unlabelled_no_data() -> None:
    results = evaluate(parse_rule(rule()), {"A": (Frame(("queue", "value"), (), ("text", "number")),)})
    assert [(r.labels, r.state) for r in results] == [((), NODATA)]


def test_a_query_failure_is_one_error_result_naming_the_query() -> None:
    (result,) = evaluate(parse_rule(rule()), {"A": QueryFailure("timeout")})
    assert result.state == ERROR and result.labels == () and "query A (datasource ds-1): timeout" in result.error


def test_duplicate_label_sets_make_the_whole_evaluation_an_error() -> None:
    (result,) = evaluate(parse_rule(rule()), {"A": table(("Sales", 1.0), ("Sales", 2.0))})
    assert result.state == ERROR and "duplicate results with labels {queue=Sales}" in result.error


def test_a_series_at_the_condition_is_an_error() -> None:
    direct = rule(condition="A")
    frames = (Frame(("t", "v"), (), ("time", "number")),)
    (result,) = evaluate(parse_rule(direct), {"A": frames})
    assert result.state == ERROR and "only reduced data can be alerted on" in result.error


def test_math_condition_over_two_queries() -> None:
    raw = rule(
        condition="D",
        extra=[
            {"refId": "E", "relativeTimeRange": {"from": 300, "to": 0}, "datasourceUid": "ds-1", "model": {}},
            {"refId": "D", "datasourceUid": "__expr__", "model": {"type": "math", "expression": "$A > 0 && $E == 0"}},
        ],
    )
    results = evaluate(
        parse_rule(raw), {"A": table(("Sales", 3.0), ("Support", 2.0)), "E": table(("Sales", 0.0), ("Support", 1.0))}
    )
    assert [(r.labels, r.state) for r in results] == [(SALES, ALERTING), (SUPPORT, NORMAL)]


@pytest.mark.parametrize(
    ("text", "seconds"), [("5m", 300), ("1h30m", 5400), ("90s", 90), ("", 0), ("0s", 0), ("500ms", 0.5)]
)
def test_durations(text: str, seconds: float) -> None:
    assert duration_s(text, "x") == seconds


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (rule(condition="Z"), "rule r1: condition 'Z' names no refId of the rule (A, B, C)"),
        (rule(pending="five minutes"), "rule r1: for: 'five minutes' is not a duration"),
        (rule(no_data="Paging"), "noDataState 'Paging' is not one of NoData, Alerting, OK, KeepLast"),
        (rule(exec_err="NoData"), "execErrState 'NoData' is not one of Error, Alerting, OK, KeepLast"),
        (rule(evaluator={"type": "gt", "params": ["high"]}), "params must be numbers, got ['high']"),
        (rule(evaluator={"type": "above", "params": [1]}), "evaluator type 'above' is not one of"),
        (rule(reducer="avg"), "reducer 'avg' is not one of sum, mean, min, max, count, last, median"),
        (
            rule(
                extra=[{"refId": "D", "datasourceUid": "__expr__", "model": {"type": "math", "expression": "$Q + 1"}}]
            ),
            "D reads Q, which is no query or expression of the rule",
        ),
    ],
)
def test_bad_rules_are_refused_naming_the_rule(raw: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(raw)
    assert message in str(caught.value)


def test_groups_read_interval_and_defaults() -> None:
    raw = rule()
    del raw["noDataState"], raw["execErrState"]
    (parsed,) = parse_groups(group(raw, interval="2m"))
    assert parsed.interval_s == 120 and parsed.folder == "F"
    only = parsed.rules[0]
    assert (only.no_data_state, only.exec_err_state, only.missing_series_evals) == ("NoData", "Alerting", 2)
    assert [e.ref_id for e in only.expressions] == ["B", "C"]
