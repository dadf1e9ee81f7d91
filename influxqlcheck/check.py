"""Check one InfluxQL panel or variable query at build time, with findings at offsets of the original text.

Steps: substitute variables and macros as Grafana does (sample selections, then All where a variable
offers it and All puts other text in), parse every ``;``-separated statement, then the rules: names
(``unknown-measurement``, ``unknown-field``, ``unknown-tag``, ``tag-field``), ``time-bound`` and
``influxdb3-unsupported``; over the text as written, ``raw-variable`` (a variable a dashboard link could
turn into InfluxQL). Unknown variables are ``variable`` findings; text that is not InfluxQL is
``syntax``, and stops the check, since the rules need a parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from influxqlcheck.compat import unsupported
from influxqlcheck.injection import raw_variables
from influxqlcheck.names import Issue, columns, select_issues, show_issues
from influxqlcheck.nodes import Select, selects
from influxqlcheck.parser import InfluxQLSyntaxError, parse
from influxqlcheck.schema import SCHEMA, Measurement
from influxqlcheck.timebound import unbounded
from influxqlcheck.variables import SAMPLE_RANGE, TimeRange, Value, Variable, sample_selections, substitute

RULES = (
    "syntax",
    "variable",
    "unknown-measurement",
    "unknown-field",
    "unknown-tag",
    "tag-field",
    "time-bound",
    "influxdb3-unsupported",
    "raw-variable",
)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int  # 1-based, in the original text
    column: int  # 1-based
    offset: int  # in the original text
    rule: str
    message: str


def check_influxql(
    text: str,
    *,
    file: str = "<query>",
    variables: Mapping[str, Variable] | None = None,
    schema: Mapping[str, Measurement] = SCHEMA,
    time_range: TimeRange = SAMPLE_RANGE,
) -> list[Finding]:
    """Every finding of ``text``, sorted by position; an empty list means it is fine."""
    declared = variables or {}
    samples = sample_selections(declared)
    findings = set(_check(text, file, declared, samples, schema, time_range))
    every = sample_selections(declared, all_selected=True)
    if not findings and every != samples:
        plain = substitute(text, declared, samples, time_range).text
        if substitute(text, declared, every, time_range).text != plain:
            findings = {
                replace(f, message=f"with All selected, {f.message}")
                for f in _check(text, file, declared, every, schema, time_range)
            }
    findings |= {
        _finding(text, file, offset, "raw-variable", message) for offset, message in raw_variables(text, declared)
    }
    return sorted(findings, key=lambda f: (f.offset, f.rule, f.message))


def check_statements(text: str, schema: Mapping[str, Measurement] = SCHEMA) -> list[Issue]:
    """The rules over text already substituted: offsets are the text's own. Raises InfluxQLSyntaxError."""
    issues: list[Issue] = []
    for statement in parse(text):
        if not isinstance(statement, Select):
            issues += show_issues(statement, schema)
            issues += unsupported(statement)
            continue
        for select in selects(statement):
            seen = columns(select, schema, issues)
            issues += select_issues(select, seen)
        issues += unbounded(statement)
        issues += unsupported(statement)
    return issues


def _check(
    text: str,
    file: str,
    variables: Mapping[str, Variable],
    selections: Mapping[str, Value],
    schema: Mapping[str, Measurement],
    time_range: TimeRange,
) -> list[Finding]:
    substituted = substitute(text, variables, selections, time_range)
    if substituted.problems:
        return [_finding(text, file, offset, "variable", message) for offset, message in substituted.problems]
    try:
        issues = check_statements(substituted.text, schema)
    except InfluxQLSyntaxError as exc:
        issues = [Issue(exc.offset, "syntax", exc.message)]
    findings = []
    for issue in issues:
        offset, origins = substituted.chain.to_source(issue.pos)
        message = issue.message
        if origins:
            message += f" (in the expansion of {origins[0]})"
        findings.append(_finding(text, file, offset, issue.rule, message))
    return findings


def _finding(text: str, file: str, offset: int, rule: str, message: str) -> Finding:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Finding(file, line, column, offset, rule, message)
