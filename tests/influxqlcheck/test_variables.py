"""Substitution as Grafana's InfluxDB datasource does it (datasource.ts interpolateQueryExpr, query.go Build)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.template_variable import TemplateVariable
from influxqlcheck.variables import (
    ALL,
    SAMPLE_RANGE,
    TimeRange,
    escape_regex,
    format_interval,
    pin_now,
    substitute,
)
from tests.influxqlcheck.helpers import variable

QUEUE = variable("queue", multi=True, include_all=True, options=("sales.eu", "a/b", "x(1)"))


def text(query: str, variable: TemplateVariable, value: str | tuple[str, ...]) -> str:
    return substitute(query, {variable.name: variable}, {variable.name: value}).text


def test_escape_regex_is_grafanas_character_set() -> None:
    assert escape_regex(r"a.b/c(d)|e[f]{g}^$*+?\h") == r"a\.b\/c\(d\)\|e\[f\]\{g\}\^\$\*\+\?\\h"
    assert escape_regex("a-b#c&d") == "a-b#c&d"


def test_multi_value_becomes_an_escaped_regex_group_even_in_a_string() -> None:
    query = """"q" =~ /^$queue$/ AND "r" = '$queue'"""
    assert text(query, QUEUE, ("sales.eu", "a/b")) == r""""q" =~ /^(sales\.eu|a\/b)$/ AND "r" = '(sales\.eu|a\/b)'"""


def test_all_without_custom_value_is_every_option() -> None:
    assert text("/^$queue$/", QUEUE, ALL) == r"/^(sales\.eu|a\/b|x\(1\))$/"


def test_custom_all_value_goes_in_as_written() -> None:
    queue = variable("queue", multi=True, include_all=True, all_value=".*", options=("a.b",))
    assert text("/^$queue$/ AND '${queue}'", queue, ALL) == "/^.*$/ AND '.*'"


def test_single_value_is_raw_outside_a_regex_and_escaped_inside() -> None:
    agent = variable("agent")
    assert text(""""a" = '$agent'""", agent, "o'neil.x") == """"a" = 'o'neil.x'"""
    assert text('"a" =~ /^$agent$/', agent, "o.x(1)") == r'"a" =~ /^o\.x\(1\)$/'


def test_braced_reference_is_not_seen_inside_a_regex() -> None:
    """interpolateQueryExpr looks for `$name` in a /.../; `${name}` does not match it, so no escaping."""
    assert text('"a" =~ /^${agent}$/', variable("agent"), "o.x") == '"a" =~ /^o.x$/'


@pytest.mark.parametrize(
    ("value", "expected"), [("12.5", "12.5"), ("3f2a-77", "3f2a-77"), (".5x", ".5x"), ("x3", r"x3")]
)
def test_numbers_as_parsefloat_reads_them_are_never_escaped(value: str, expected: str) -> None:
    assert text("/^$v$/", variable("v", multi=True), value) == f"/^{expected}$/"


def test_numbers_in_a_multi_value_array_are_escaped_like_any_item() -> None:
    assert text("/^$v$/", variable("v", multi=True), ("1.5", "2")) == r"/^(1\.5|2)$/"


def test_include_all_single_value_variable_outside_a_regex_joins_with_commas() -> None:
    agent = variable("agent", include_all=True, options=("a", "b"))
    assert text("'$agent'", agent, ALL) == "'a,b'"


def test_explicit_formats_replace_the_datasource_formatting() -> None:
    assert text("${queue:singlequote}", QUEUE, ("it's", "b")) == r"'it\'s','b'"
    assert text("${queue:regex}", QUEUE, ("a.b",)) == r"a\.b"
    assert text("${queue:raw} ${queue:pipe} ${queue:csv}", QUEUE, ("a.b", "c")) == "a.b,c a.b|c a.b,c"
    assert text("[[queue]]", QUEUE, ("a.b", "c")) == r"(a\.b|c)"


def test_time_filter_is_the_backends_exact_text() -> None:
    result = substitute("SELECT a FROM m WHERE $timeFilter", {}, {})
    assert result.text == "SELECT a FROM m WHERE time >= 1714521600000ms and time <= 1714651200000ms"
    assert result.chain.to_source(result.text.index("<=")) == (22, ["$timeFilter"])


def test_intervals_and_time_variables() -> None:
    time_range = TimeRange(1_000, 601_000, 90_000)
    query = "time($__interval) $interval $__interval_ms ${__interval} ${__from}ms ${__to:date:seconds}"
    assert substitute(query, {}, {}, time_range).text == "time(1m) 1m 90000 1m 1000ms 601"


@pytest.mark.parametrize(("ms", "expected"), [(0, "1ms"), (999, "999ms"), (90_000, "1m"), (86_400_000 * 400, "1y")])
def test_format_interval_truncates_to_one_unit(ms: int, expected: str) -> None:
    assert format_interval(ms) == expected


def test_dunder_time_filter_is_not_an_influxql_macro() -> None:
    result = substitute("WHERE $__timeFilter AND $quue", {"queue": QUEUE}, {})
    assert [offset for offset, _ in result.problems] == [6, 24]
    assert "write $timeFilter" in result.problems[0][1]
    assert "did you mean $queue?" in result.problems[1][1]


def test_offsets_map_back_through_variables_and_macros() -> None:
    query = "SELECT a FROM m WHERE $timeFilter AND q =~ /^$queue$/ AND b = 1"
    result = substitute(query, {"queue": QUEUE}, {"queue": ("x", "y")}, SAMPLE_RANGE)
    assert result.chain.to_source(result.text.index("b = 1")) == (query.index("b = 1"), [])
    assert result.chain.to_source(result.text.index("(x|y)")) == (query.index("$queue"), ["$queue"])


def test_pin_now_runs_a_query_as_of_an_instant() -> None:
    instant = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    pinned, _ = pin_now("SELECT a FROM m WHERE time > now() - 15m AND b = 'now()'", instant)
    assert pinned == "SELECT a FROM m WHERE time > '2024-05-01T12:30:00.000Z' - 15m AND b = 'now()'"
