"""Check one panel query: variables, macros, parse, names, cost rules; findings point at the file."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from core.kinds import CheckRequest
from core.problems import Problem
from core.template_variable import TemplateVariable
from core.textmap import MapChain, apply_edits
from core.timerange import SAMPLE_RANGE
from sqlcheck.annotate import Typer
from sqlcheck.cost import cost_findings, opt_outs
from sqlcheck.injection import raw_variables
from sqlcheck.languages import SqlLanguage
from sqlcheck.mismatch import type_mismatches
from sqlcheck.resolve import Finding, resolve
from sqlcheck.sourcemap import QueryTemplate, SourceMap, source_map
from sqlcheck.sourcemap import locate as locate_in
from sqlcheck.substitution import substitute_variables, variable_of

if TYPE_CHECKING:
    from sqlglot.dialects.dialect import DialectType

# Formats that join a multi-value selection without quotes (Grafana's own).
UNQUOTED_FORMATS = frozenset({"csv", "raw", "pipe", "text", "distributed", "glob", "percentencode", "date"})
# Comments, strings and quoted names, closed; group 1 is a quote or comment that nothing closes.
_UNCLOSED = re.compile(r"""--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|"(?:[^"]|"")*"|(['"]|/\*)""", re.DOTALL)
# Rendered offset -> line and column in the query's file, and a note naming a fragment.
Locate = Callable[[int], tuple[int, int, str]]


def check_query(request: CheckRequest, language: SqlLanguage) -> list[Problem]:
    """Every problem of one rendered query file, each at its line and column in that file.

    When the request names the Jinja2 template the text was rendered from, positions are the
    template's own; otherwise the text is taken to be the file's.
    """
    sql, file, variables = request.text, request.file, request.variables
    template = (
        QueryTemplate(Path(request.template_root), request.template_name)
        if request.template_root is not None and request.template_name is not None
        else None
    )
    mapped: list[SourceMap | None] = []

    def locate(offset: int) -> tuple[int, int, str]:
        if template is not None and not mapped:  # rendered again only when there is something to point at
            mapped.append(source_map(template, request.context.template_context or {}, sql))
        return locate_in(mapped[0] if mapped else None, sql, offset, file)

    problems = set(_check(request, language, locate))
    if not problems and _all_differs(sql, variables):
        problems = {p for p in _check(request, language, locate, all_selected=True) if p.rule != "opt-out"}
    for offset, rule, message in raw_variables(sql, variables):  # the text as written: not per selection
        line, column, note = locate(offset)
        problems.add(Problem(file, line, column, rule, message + note))
    return sorted(problems, key=lambda p: (p.line, p.column, p.rule, p.message))


def _all_differs(sql: str, variables: Mapping[str, TemplateVariable]) -> bool:
    """Whether an All selection puts other text in the query than the sample values do."""
    if not any(v.all_value for v in variables.values()):
        return False
    return substitute_variables(sql, variables).edits != substitute_variables(sql, variables, all_selected=True).edits


def _check(
    request: CheckRequest, language: SqlLanguage, locate: Locate, *, all_selected: bool = False
) -> list[Problem]:
    sql, file, variables = request.text, request.file, request.variables

    def at(offset: int, rule: str, message: str) -> Problem:
        line, column, note = locate(offset)
        return Problem(file, line, column, rule, message + note)

    allowed, opt_out_findings = opt_outs(sql)
    problems = [at(f.offset, f.rule, f.message) for f in opt_out_findings]
    chain = MapChain()
    substitution = substitute_variables(sql, variables, SAMPLE_RANGE, all_selected=all_selected)
    problems += [at(offset, rule, message) for offset, rule, message in substitution.problems]
    text, text_map = apply_edits(sql, substitution.edits)
    chain.add(text_map)
    expansion = language.expander(text, chain, SAMPLE_RANGE, request.target, request.context)
    problems += [at(offset, "macro", message) for offset, message in expansion.problems]
    if len(problems) > len(opt_out_findings):
        return problems  # parsing half-expanded SQL would only repeat these in other words

    parsed = _parse(expansion.text, language.dialect())
    if isinstance(parsed, Finding):
        return [*problems, _located(parsed, chain, locate, file, variables, all_selected)]
    if not isinstance(parsed, exp.Query):
        return problems  # SHOW/DESCRIBE and the like name no columns
    catalog = language.catalog(request.context)
    findings, scans = resolve(parsed, catalog, Typer(language.dialect()))
    if not findings:  # types are worth reading only where every name resolved
        findings += type_mismatches(parsed, language.types, lambda node: _shown(node, expansion.text, sql, chain))
    costs = cost_findings(scans, catalog.norm, lambda offset: chain.to_source(offset)[1])
    allowed_rules = {o.rule for o in allowed}
    findings += [f for f in costs if f.rule not in allowed_rules]
    problems += [_located(f, chain, locate, file, variables, all_selected) for f in findings]
    broken = {f.rule for f in costs}
    problems += [
        at(o.offset, "opt-out", f"dash:allow {o.rule} is not needed: the query breaks no {o.rule} rule; remove it")
        for o in allowed
        if o.rule not in broken
    ]
    return problems


def _shown(node: exp.Expr, text: str, source: str, chain: MapChain) -> tuple[str, bool]:
    """An operand as the query file has it, and whether a macro or variable produced it (then named as written)."""
    spans = [(int(n.meta["start"]), int(n.meta["end"])) for n in node.walk() if n.meta and "start" in n.meta]
    if not spans:
        return node.sql(), False
    start, end = min(s for s, _ in spans), max(e for _, e in spans) + 1
    depth = text.count("(", start, end) - text.count(")", start, end)
    if depth == 0 and isinstance(node, exp.Func) and text[end:].lstrip().startswith("("):
        end = text.index("(", end) + 1  # now(): the name has the position, the brackets follow it
        depth = 1
    while depth > 0 and end < len(text):  # a call's closing brackets carry no position of their own
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        end += 1
    if isinstance(node, exp.Column | exp.Dot):
        return text[start:end], False  # a name, possibly an argument inside a macro's expansion
    source_start, origins = chain.to_source(start)
    source_end, end_origins = chain.to_source(end - 1)
    if origins or end_origins:
        return (origins or end_origins)[0], True
    return source[source_start : source_end + 1], False


def _parse(text: str, dialect: DialectType) -> exp.Expr | Finding:
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except ParseError as exc:
        error = exc.errors[0] if exc.errors else {}
        offset = _error_offset(text, error.get("line"), error.get("col"), error.get("highlight") or "")
        near = f" at {error['highlight']!r}" if error.get("highlight") else ""
        return Finding(offset, "syntax", f"cannot parse the query{near}: {error.get('description') or exc}")
    except TokenError as exc:
        unclosed = next((m for m in _UNCLOSED.finditer(text) if m.group(1)), None)
        if unclosed is None:
            return Finding(0, "syntax", f"cannot read the query: {exc}")
        what = "comment" if unclosed.group(1) == "/*" else "quote"
        return Finding(unclosed.start(1), "syntax", f"cannot read the query: this {what} is never closed")
    if len(statements) != 1:
        second = _second_statement(text, dialect)
        return Finding(second, "syntax", f"a panel query is one statement; this file has {len(statements)}")
    return statements[0]


def _second_statement(text: str, dialect: DialectType) -> int:
    """Where the second statement starts: the first token after a semicolon."""
    tokens = sqlglot.tokenize(text, read=dialect)
    return next((t.start for s, t in pairwise(tokens) if s.token_type == TokenType.SEMICOLON), 0)


def _error_offset(text: str, line: int | None, col: int | None, highlight: str) -> int:
    """sqlglot reports the line and the column of a token's last character."""
    if not line or not col:
        return 0
    start_of_line = 0
    for _ in range(line - 1):
        start_of_line = text.index("\n", start_of_line) + 1
    return max(start_of_line, start_of_line + col - max(len(highlight), 1))


def _located(
    finding: Finding,
    chain: MapChain,
    locate: Locate,
    file: str,
    variables: Mapping[str, TemplateVariable],
    all_selected: bool = False,
) -> Problem:
    """Map a finding back to the file; a name produced by a variable gets advice about that variable."""
    offset, origins = chain.to_source(finding.offset)
    line, column, note = locate(offset)
    message = finding.message
    used = next(((o, v) for o in origins if (v := variable_of(o)) is not None and v[0] in variables), None)
    if all_selected:
        if used is not None:
            written, (name, _fmt) = used
            message = f"{written} becomes its all_value {variables[name].all_value} as written (no quoting): {message}"
        message = f"with All selected, {message}"
    elif used is not None and finding.rule in ("unknown-column", "unknown-table", "syntax"):
        written, (name, fmt) = used
        if variables[name].takes_many and (fmt or "").split(":")[0] in UNQUOTED_FORMATS:
            message = f"{written} expands to unquoted a,b here, read as columns; write IN (${name}), which quotes each"
        elif variables[name].takes_many:
            message = f"{written} is multi-valued and expands to 'a','b' here, which does not fit; write IN ({written})"
        else:
            message = (
                f"{written} expands to a bare word here, read as a column; write ${{{name}:sqlstring}}, which quotes it"
            )
    elif origins and finding.rule == "syntax":
        message = f"{message} (in the expansion of {origins[0]})"
    return Problem(file, line, column, finding.rule, message + note)
