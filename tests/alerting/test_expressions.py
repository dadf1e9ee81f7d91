"""Reduce, threshold, recovery threshold, math and classic conditions on small hand-worked inputs.

Each expected value is worked out by hand from Grafana's definitions (pkg/expr/mathexp/reduce.go, threshold.go,
hysteresis.go, commands.go), not computed by the code under test.
"""

from __future__ import annotations

import math

import pytest

from alerting.expressions import (
    ClassicCondition,
    Evaluator,
    ExpressionError,
    Mode,
    classic,
    math_expression,
    reduce,
    threshold,
)
from alerting.values import NoData, Number, Series

SALES = (("queue", "Sales"),)
SUPPORT = (("queue", "Support"),)
NAN = math.nan


def series(*points: float | None, labels: tuple[tuple[str, str], ...] = SALES) -> Series:
    return Series(labels, tuple((i * 60_000, p) for i, p in enumerate(points)))


def one(values: tuple[object, ...]) -> float | None:
    assert len(values) == 1 and isinstance(values[0], Number)
    return values[0].value


@pytest.mark.parametrize(
    ("reducer", "points", "expected"),
    [
        ("sum", (1.0, 2.0, 4.0), 7.0),
        ("mean", (1.0, 2.0, 4.0), 7.0 / 3),
        ("min", (3.0, 1.0, 2.0), 1.0),
        ("max", (3.0, 1.0, 2.0), 3.0),
        ("count", (3.0, None, 2.0), 3.0),  # count is the number of points, nulls too
        ("last", (3.0, 1.0, 2.0), 2.0),
        ("last", (3.0, 1.0, None), None),  # strict last: the last point as it is
        ("median", (5.0, 1.0, 3.0, 2.0), 2.5),
        ("sum", (), 0.0),  # empty: sum 0, count 0, the rest NaN
        ("count", (), 0.0),
    ],
)
def test_strict_reducers(reducer: str, points: tuple[float | None, ...], expected: float | None) -> None:
    assert one(reduce((series(*points),), reducer)) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("reducer", ["sum", "mean", "min", "max", "median"])
def test_strict_reducers_are_nan_on_a_null_or_nan_point(reducer: str) -> None:
    assert math.isnan(one(reduce((series(1.0, None, 3.0),), reducer)) or 0.0)
    assert math.isnan(one(reduce((series(1.0, NAN),), reducer)) or 0.0)


@pytest.mark.parametrize("reducer", ["mean", "min", "max", "last", "median"])
def test_strict_reducers_on_an_empty_series_are_nan(reducer: str) -> None:
    assert math.isnan(one(reduce((series(),), reducer)) or 0.0)


def test_drop_nn_drops_null_nan_and_inf_points_and_a_nan_result_becomes_null() -> None:
    drop = Mode("dropNN")
    assert one(reduce((series(1.0, None, NAN, math.inf, 5.0),), "mean", drop)) == 3.0
    assert one(reduce((series(None, NAN),), "mean", drop)) is None  # nothing left: mean NaN -> null
    assert one(reduce((series(None),), "count", drop)) == 0.0


def test_replace_nn_replaces_points_and_a_nan_result() -> None:
    replace = Mode("replaceNN", -1.0)
    assert one(reduce((series(1.0, None, 4.0),), "sum", replace)) == 4.0  # 1 + (-1) + 4
    assert one(reduce((series(),), "mean", replace)) == -1.0  # 0/0 NaN -> the value


def test_a_number_passes_a_reduce_but_drop_nn_removes_a_null_one() -> None:
    numbers = (Number(SALES, 3.0), Number(SUPPORT, None))
    assert reduce(numbers, "mean") == numbers
    assert reduce(numbers, "mean", Mode("dropNN")) == (Number(SALES, 3.0),)
    assert reduce(numbers, "mean", Mode("replaceNN", 0.0)) == (Number(SALES, 3.0), Number(SUPPORT, 0.0))
    assert reduce((NoData(),), "last") == (NoData(),)


def test_unknown_reducer_is_refused() -> None:
    with pytest.raises(ExpressionError, match="reducer 'avg'"):
        reduce((series(1.0),), "avg")


@pytest.mark.parametrize(
    ("kind", "params", "x", "fires"),
    [
        ("gt", (80.0,), 80.0, False),
        ("gt", (80.0,), 80.5, True),
        ("lt", (80.0,), 79.0, True),
        ("gte", (80.0,), 80.0, True),
        ("lte", (80.0,), 80.1, False),
        ("eq", (2.0,), 2.0, True),
        ("ne", (2.0,), 2.0, False),
        ("within_range", (10.0, 20.0), 10.0, False),  # exclusive bounds
        ("within_range", (10.0, 20.0), 15.0, True),
        ("outside_range", (10.0, 20.0), 20.0, False),
        ("outside_range", (10.0, 20.0), 21.0, True),
        ("within_range_included", (10.0, 20.0), 20.0, True),
        ("outside_range_included", (10.0, 20.0), 10.0, True),
        ("gt", (80.0,), NAN, False),  # NaN compares false...
        ("lt", (80.0,), NAN, False),
        ("ne", (80.0,), NAN, True),  # ...except not-equal
    ],
)
def test_threshold_types(kind: str, params: tuple[float, ...], x: float, fires: bool) -> None:
    assert one(threshold((Number(SALES, x),), Evaluator(kind, params).check("C"))) == (1.0 if fires else 0.0)


def test_threshold_keeps_null_and_no_data() -> None:
    assert one(threshold((Number(SALES, None),), Evaluator("gt", (1.0,)))) is None
    assert threshold((NoData(),), Evaluator("gt", (1.0,))) == (NoData(),)


def test_threshold_with_missing_parameters_is_refused() -> None:
    with pytest.raises(ExpressionError, match="needs 2 parameter"):
        Evaluator("within_range", (1.0,)).check("rule x, C")


def test_recovery_threshold_applies_only_to_label_sets_that_were_firing() -> None:
    """Fire above 80, recover only below 70: Sales (firing before) at 75 stays 1, Support (not firing) at 75 is 0."""
    load, unload = Evaluator("gt", (80.0,)), Evaluator("lt", (70.0,))
    values = (Number(SALES, 75.0), Number(SUPPORT, 75.0))
    assert threshold(values, load, unload, frozenset({SALES})) == (Number(SUPPORT, 0.0), Number(SALES, 1.0))
    assert threshold((Number(SALES, 69.0),), load, unload, frozenset({SALES})) == (Number(SALES, 0.0),)
    assert threshold(values, load, unload) == (Number(SALES, 0.0), Number(SUPPORT, 0.0))  # nothing firing before


def test_math_compares_and_computes_per_label_set() -> None:
    waiting = (Number(SALES, 6.0), Number(SUPPORT, 0.0))
    available = (Number(SALES, 0.0), Number(SUPPORT, 2.0))
    variables = {"A": waiting, "B": available}
    assert math_expression("$A > 0 && $B == 0", variables) == (Number(SALES, 1.0), Number(SUPPORT, 0.0))
    assert math_expression("${A} * 2 + 1", variables) == (Number(SALES, 13.0), Number(SUPPORT, 1.0))
    # parse.go: unary minus binds tighter than **, and ** is left-associative
    assert math_expression("-$A ** 2", {"A": (Number(SALES, 3.0),)}) == (Number(SALES, 9.0),)
    assert math_expression("2 ** 3 ** 2", {}) == (Number((), 64.0),)
    assert math_expression("abs(1 - $A) / 2", {"A": (Number(SALES, 5.0),)}) == (Number(SALES, 2.0),)


def test_math_matches_a_subset_label_set_and_keeps_the_larger() -> None:
    per_channel = (Number((("channel", "VOICE"), ("queue", "Sales")), 10.0),)
    per_queue = (Number(SALES, 4.0),)
    assert math_expression("$A - $B", {"A": per_channel, "B": per_queue}) == (
        Number((("channel", "VOICE"), ("queue", "Sales")), 6.0),
    )


def test_math_with_null_no_data_and_division_by_zero() -> None:
    assert math_expression("$A + 1", {"A": (Number(SALES, None),)}) == (Number(SALES, None),)
    assert math_expression("$A + 1", {"A": (NoData(),)}) == (NoData(),)
    assert math_expression("$A / 0", {"A": (Number(SALES, 2.0),)}) == (Number(SALES, math.inf),)
    assert math.isnan(one(math_expression("0 / 0", {})) or 0.0)
    assert math_expression("is_null($A)", {"A": (Number(SALES, None),)}) == (Number(SALES, 1.0),)


def test_math_errors_name_the_problem() -> None:
    with pytest.raises(ExpressionError, match=r"\$Z names no query"):
        math_expression("$Z > 1", {})
    with pytest.raises(ExpressionError, match="unknown function"):
        math_expression("sqrtx($A)", {"A": ()})
    with pytest.raises(ExpressionError, match="not closed"):
        math_expression("($A > 1", {"A": ()})


def test_classic_condition_is_one_unlabelled_result() -> None:
    over = ClassicCondition("A", "avg", Evaluator("gt", (5.0,)))
    data = {"A": (series(4.0, 8.0), series(1.0, 2.0, labels=SUPPORT))}  # Sales avg 6 > 5, Support avg 1.5
    assert classic((over,), data) == (Number((), 1.0),)
    under = ClassicCondition("A", "max", Evaluator("lt", (1.0,)), "and")
    assert classic((over, under), data) == (Number((), 0.0),)  # and: the second matches no series
    assert classic((over, ClassicCondition("A", "max", Evaluator("lt", (1.0,)), "or")), data) == (Number((), 1.0),)
    assert classic((ClassicCondition("A", "last", None),), {"A": (series(None),)}) == (Number((), 1.0),)  # no_value
    assert classic((over,), {"A": (series(None, None),)}) == (Number((), None),)  # nothing to reduce: no data
