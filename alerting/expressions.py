"""Server-side expressions: reduce, threshold (and its recovery threshold), math, classic conditions.

Followed in grafana/grafana: pkg/expr/commands.go (``ReduceCommand.Execute``: a number passes through a reduce,
mapped by its mode, and a number the mode drops disappears), pkg/expr/mathexp/reduce.go (the reducers, strict
``sum``/``mean``/``min``/``max``/``median`` NaN on a null or NaN point, ``last`` as it is, ``count`` of points; the
``dropNN`` and ``replaceNN`` mappers), pkg/expr/threshold.go (the ten evaluator types; null in, null out; the
unload evaluator inverted), pkg/expr/hysteresis.go (the recovery threshold applies to the label sets that were
firing at the last evaluation), pkg/expr/mathexp/exp.go and parse/ (math: operators, precedence, functions, label
union), pkg/expr/classic/classic.go, reduce.go and evaluator.go (classic conditions: one unlabelled result).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from alerting.values import Labels, NoData, Number, Series, Value, contains

REDUCERS = ("sum", "mean", "min", "max", "count", "last", "median")
ONE_PARAMETER = {"gt", "lt", "eq", "ne", "gte", "lte"}
TWO_PARAMETERS = {"within_range", "outside_range", "within_range_included", "outside_range_included"}


class ExpressionError(ValueError):
    """An expression Grafana would refuse to run (unknown reducer, bad evaluator, unparsable math)."""


# --- reduce ---------------------------------------------------------------------------------------------------


def _strict(points: Sequence[float | None], reducer: str) -> float | None:
    present: list[float] = []
    for p in points:
        if reducer in ("sum", "mean", "min", "max", "median") and (p is None or math.isnan(p)):
            return math.nan
        if p is not None:
            present.append(p)
    if reducer == "count":
        return float(len(points))
    if reducer == "last":
        return points[-1] if points else math.nan
    if reducer == "sum":
        return float(sum(present))
    if not present:
        return math.nan
    if reducer == "mean":
        return sum(present) / len(present)
    if reducer == "min":
        return min(present)
    if reducer == "max":
        return max(present)
    ordered, mid = sorted(present), len(present) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _non_number(value: float | None) -> bool:
    return value is None or math.isnan(value) or math.isinf(value)


@dataclass(frozen=True)
class Mode:
    """A reduce's settings.mode: "" (strict), "dropNN" or "replaceNN" with its value."""

    name: str = ""
    replace_with: float = 0.0

    def map_input(self, value: float | None) -> float | None:
        if self.name == "dropNN":
            return None if _non_number(value) else value
        if self.name == "replaceNN":
            return self.replace_with if _non_number(value) else value
        return value

    def map_output(self, value: float | None) -> float | None:
        if value is None or not math.isnan(value):
            return value
        return None if self.name == "dropNN" else self.replace_with if self.name == "replaceNN" else value


def reduce(values: Sequence[Value], reducer: str, mode: Mode = Mode()) -> tuple[Value, ...]:
    """Each series to one number with its labels; numbers pass (mapped by the mode, dropped if it drops them)."""
    if reducer not in REDUCERS:
        raise ExpressionError(f"reducer {reducer!r} is not one of {', '.join(REDUCERS)}")
    out: list[Value] = []
    for value in values:
        if isinstance(value, Series):
            points = [p for _t, p in value.points]
            if mode.name:
                points = [m for p in points if (m := mode.map_input(p)) is not None]
            result = _strict(points, reducer)
            out.append(Number(value.labels, mode.map_output(result) if result is not None and mode.name else result))
        elif isinstance(value, Number):
            mapped = mode.map_input(value.value) if mode.name else value.value
            if mode.name and mapped is None:
                continue
            out.append(Number(value.labels, mapped))
        else:
            out.append(NoData())
    return tuple(out)


# --- threshold ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluator:
    """A threshold evaluator: ``type`` and its parameters."""

    type: str
    params: tuple[float, ...]

    def check(self, where: str) -> Evaluator:
        need = 1 if self.type in ONE_PARAMETER else 2 if self.type in TWO_PARAMETERS else 0
        if not need:
            raise ExpressionError(
                f"{where}: evaluator type {self.type!r} is not one of {', '.join(sorted(ONE_PARAMETER | TWO_PARAMETERS))}"
            )
        if len(self.params) < need:
            raise ExpressionError(f"{where}: evaluator {self.type} needs {need} parameter(s), got {len(self.params)}")
        return self

    def holds(self, x: float) -> bool:
        """The predicate; any comparison with NaN is false, so NaN holds only for ``ne``."""
        a = self.params[0]
        b = self.params[1] if len(self.params) > 1 else math.nan
        return {
            "gt": lambda: x > a,
            "lt": lambda: x < a,
            "eq": lambda: x == a,
            "ne": lambda: x != a,
            "gte": lambda: x >= a,
            "lte": lambda: x <= a,
            "within_range": lambda: a < x < b,
            "outside_range": lambda: x < a or x > b,
            "within_range_included": lambda: a <= x <= b,
            "outside_range_included": lambda: x <= a or x >= b,
        }[self.type]()


def _apply(values: Sequence[Value], test: Callable[[float], bool]) -> tuple[Value, ...]:
    def one(x: float | None) -> float | None:
        return None if x is None else 1.0 if test(x) else 0.0

    out: list[Value] = []
    for value in values:
        if isinstance(value, Number):
            out.append(Number(value.labels, one(value.value)))
        elif isinstance(value, Series):
            out.append(Series(value.labels, tuple((t, one(p)) for t, p in value.points)))
        else:
            out.append(NoData())
    return tuple(out)


def threshold(
    values: Sequence[Value],
    evaluator: Evaluator,
    unload: Evaluator | None = None,
    loaded: frozenset[Labels] = frozenset(),
) -> tuple[Value, ...]:
    """1 where the evaluator holds, 0 where not, null for null. With ``unload`` (the recovery threshold), the label
    sets in ``loaded`` (firing at the last evaluation) stay 1 until the unload evaluator holds."""
    if any(isinstance(v, NoData) for v in values) and all(isinstance(v, NoData) for v in values):
        return (NoData(),)
    if unload is None or not loaded:
        return _apply(values, evaluator.holds)
    firing = [v for v in values if not isinstance(v, NoData) and v.labels in loaded]
    fresh = [v for v in values if isinstance(v, NoData) or v.labels not in loaded]
    return _apply(fresh, evaluator.holds) + _apply(firing, lambda x: not unload.holds(x))


# --- math -----------------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|\$\{(?P<braced>[^}]+)\}|\$(?P<var>[A-Za-z_]\w*)"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|&&|\|\||==|!=|>=|<=|[-+*/%<>!()]))"
)
_LEVELS: tuple[tuple[str, ...], ...] = (
    ("||",),
    ("&&",),
    ("==", "!=", ">", "<", ">=", "<="),
    ("+", "-"),
    ("*", "/", "%"),
    ("**",),
)
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "ceil": lambda x: float(math.ceil(x)) if math.isfinite(x) else x,
    "floor": lambda x: float(math.floor(x)) if math.isfinite(x) else x,
    "round": lambda x: float(math.floor(x + 0.5)) if math.isfinite(x) else x,
    "log": lambda x: math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan),
    "is_nan": lambda x: 1.0 if math.isnan(x) else 0.0,
    "is_inf": lambda x: 1.0 if math.isinf(x) else 0.0,
    "is_number": lambda x: 0.0 if math.isnan(x) or math.isinf(x) else 1.0,
}
Scalar = float | None  # a literal: applies to every label set


def _binary(op: str, a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    if op in ("==", "!=", ">", "<", ">=", "<="):
        return float({"==": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op])
    if op == "&&":
        return float(a != 0 and b != 0)
    if op == "||":
        return float(a != 0 or b != 0)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "**":
        try:
            return float(a**b)
        except (OverflowError, ZeroDivisionError):
            return math.inf
    if op == "/":
        return a / b if b else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))
    return math.fmod(a, b) if b else math.nan


Operand = tuple[Value, ...] | Scalar


def _combine(op: str, left: Operand, right: Operand) -> Operand:
    """Binary operation with Grafana's label union: pairs whose labels are equal or one contains the other."""
    if not isinstance(left, tuple) and not isinstance(right, tuple):
        return _binary(op, left, right)
    if isinstance(left, tuple) and any(isinstance(v, NoData) for v in left):
        return (NoData(),)
    if isinstance(right, tuple) and any(isinstance(v, NoData) for v in right):
        return (NoData(),)
    if not isinstance(left, tuple):
        assert isinstance(right, tuple)
        scalar = left
        return tuple(_map(v, lambda x: _binary(op, scalar, x)) for v in right)
    if not isinstance(right, tuple):
        other = right
        return tuple(_map(v, lambda x: _binary(op, x, other)) for v in left)
    out: list[Value] = []
    for a in left:
        for b in right:
            assert not isinstance(a, NoData) and not isinstance(b, NoData)
            if a.labels == b.labels or contains(a.labels, b.labels) or contains(b.labels, a.labels):
                out.append(_pair(op, a, b, a.labels if len(a.labels) >= len(b.labels) else b.labels))
    if not out and len(left) == 1 and len(right) == 1:
        a, b = left[0], right[0]
        assert not isinstance(a, NoData) and not isinstance(b, NoData)
        out.append(_pair(op, a, b, a.labels))
    return tuple(out)


def _map(value: Value, fn: Callable[[float | None], float | None]) -> Value:
    if isinstance(value, Number):
        return Number(value.labels, fn(value.value))
    if isinstance(value, Series):
        return Series(value.labels, tuple((t, fn(p)) for t, p in value.points))
    return value


def _pair(op: str, a: Number | Series, b: Number | Series, labels: Labels) -> Value:
    if isinstance(a, Number) and isinstance(b, Number):
        return Number(labels, _binary(op, a.value, b.value))
    if isinstance(a, Series) and isinstance(b, Series):
        right = dict(b.points)
        return Series(labels, tuple((t, _binary(op, p, right[t])) for t, p in a.points if t in right))
    if isinstance(a, Series):
        assert isinstance(b, Number)
        return Series(labels, tuple((t, _binary(op, p, b.value)) for t, p in a.points))
    assert isinstance(a, Number) and isinstance(b, Series)
    return Series(labels, tuple((t, _binary(op, a.value, p)) for t, p in b.points))


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    variables: Mapping[str, tuple[Value, ...]]
    expression: str
    at: int = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.at += 1
        return token

    def fail(self, why: str) -> ExpressionError:
        return ExpressionError(f"math expression {self.expression!r}: {why}")

    def binary(self, level: int) -> Operand:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in _LEVELS[level]:
            op = self.take()[1]
            left = _combine(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Operand:
        kind, text = self.peek()
        if kind == "op" and text in ("-", "!"):
            self.take()
            operand = self.unary()

            def fn(x: float | None, t: str = text) -> float | None:
                return None if x is None else (-x if t == "-" else float(x == 0))

            if isinstance(operand, tuple):
                return tuple(_map(v, fn) for v in operand)
            return fn(operand)
        return self.primary()

    def primary(self) -> Operand:
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "var":
            if text not in self.variables:
                raise self.fail(f"${text} names no query or expression of the rule")
            return self.variables[text]
        if kind == "op" and text == "(":
            inner = self.binary(0)
            if self.take() != ("op", ")"):
                raise self.fail("a ( is not closed")
            return inner
        if kind == "name":
            if text in ("inf", "infinity"):
                return math.inf
            if text == "nan":
                return math.nan
            if text == "null":
                return None
            if text not in _FUNCTIONS and text != "is_null":
                raise self.fail(f"unknown function {text}()")
            if self.take() != ("op", "("):
                raise self.fail(f"{text} must be called: {text}(...)")
            argument = self.binary(0)
            if self.take() != ("op", ")"):
                raise self.fail(f"{text}( is not closed")
            if text == "is_null":
                return _apply_function(argument, lambda x: 1.0 if x is None else 0.0, nulls=True)
            return _apply_function(argument, _FUNCTIONS[text])
        raise self.fail(f"unexpected {text or 'end of expression'!r}")


def _apply_function(
    argument: Operand, fn: Callable[[float], float] | Callable[[float | None], float], nulls: bool = False
) -> Operand:
    def one(x: float | None) -> float | None:
        if x is None and not nulls:
            return None
        return fn(x)  # type: ignore[arg-type]

    if isinstance(argument, tuple):
        return tuple(_map(v, one) for v in argument)
    return one(argument)


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, at = [], 0
    text = expression.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            raise ExpressionError(f"math expression {expression!r}: cannot read {text[at:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        tokens.append(("var" if kind == "braced" else kind, value))
        at = match.end()
    return tokens


def math_expression(expression: str, variables: Mapping[str, tuple[Value, ...]]) -> tuple[Value, ...]:
    """Evaluate ``$B > 300`` and the like over the rule's earlier results (``variables`` by refId)."""
    parser = _Parser(_tokens(expression), variables, expression)
    result = parser.binary(0)
    if parser.peek()[0] != "end":
        raise parser.fail(f"unexpected {parser.peek()[1]!r}")
    if not isinstance(result, tuple):
        return (Number((), result),)
    return result


def referenced(expression: str) -> tuple[str, ...]:
    """The refIds a math expression reads, in order of first use."""
    names = [value for kind, value in _tokens(expression) if kind == "var"]
    return tuple(dict.fromkeys(names))


# --- classic conditions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassicCondition:
    """One condition of a classic condition: query refId, reducer, evaluator, and how it joins the previous."""

    ref_id: str
    reducer: str
    evaluator: Evaluator | None  # None: no_value
    operator: str = "and"


_CLASSIC_EVALUATORS = {"gt": "gt", "lt": "lt", "eq": "eq", "ne": "ne", "ge": "gte", "le": "lte"}


def classic_evaluator(kind: str, params: Sequence[float], where: str) -> Evaluator | None:
    if kind == "no_value":
        return None
    return Evaluator(_CLASSIC_EVALUATORS.get(kind, kind), tuple(params)).check(where)


def _classic_reduce(points: Sequence[float | None], reducer: str) -> float | None:
    present = [p for p in points if p is not None and not math.isnan(p)]
    if reducer == "count":
        return float(len(points))
    if reducer == "count_non_null":
        return float(len(present)) if present else None
    if not present:
        return None
    first, last = present[0], present[-1]
    return {
        "avg": lambda: sum(present) / len(present),
        "sum": lambda: float(sum(present)),
        "min": lambda: min(present),
        "max": lambda: max(present),
        "last": lambda: last,
        "median": lambda: _strict(present, "median"),
        "diff": lambda: last - first,
        "diff_abs": lambda: abs(last - first),
        "percent_diff": lambda: (last - first) / abs(first) * 100 if first else math.nan,
        "percent_diff_abs": lambda: abs((last - first) / first * 100) if first else math.nan,
    }[reducer]()


def classic(conditions: Sequence[ClassicCondition], variables: Mapping[str, tuple[Value, ...]]) -> tuple[Value, ...]:
    """One unlabelled number: 1 firing, 0 not, null (no data) when every reduced value of the conditions is null."""
    firing = no_data = False
    for index, condition in enumerate(conditions):
        reduced: list[float | None] = []
        for value in variables.get(condition.ref_id, ()):
            if isinstance(value, Series):
                reduced.append(_classic_reduce([p for _t, p in value.points], condition.reducer))
            elif isinstance(value, Number):
                reduced.append(value.value)
        fired = any(
            (x is None) if condition.evaluator is None else (x is not None and condition.evaluator.holds(x))
            for x in reduced
        )
        empty = all(x is None for x in reduced)
        if index == 0:
            firing, no_data = fired, empty
        elif condition.operator in ("or", "logic-or"):
            firing, no_data = firing or fired, no_data or empty
        else:
            firing, no_data = firing and fired, no_data and empty
    if no_data and not firing:
        return (Number((), None),)
    return (Number((), 1.0 if firing else 0.0),)
