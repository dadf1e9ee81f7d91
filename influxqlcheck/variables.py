"""Grafana's InfluxDB datasource (InfluxQL mode) interpolation, frontend then backend, with offsets kept.

Frontend (public/app/plugins/datasource/influxdb/datasource.ts ``applyTemplateVariables``): ``$__interval``
and ``$__interval_ms`` are pinned to themselves for the backend; templateSrv then replaces ``$v``, ``${v}``,
``${v:format}`` and ``[[v]]``, formatting through ``interpolateQueryExpr`` unless a format is written:
a string ``parseFloat`` can read goes in raw; a multi-value variable's array becomes ``(a|b)`` with each
item through ``escapeRegex`` (a lone string is escaped); any other value is escaped only when the query
has a ``/.../`` containing ``$name``, and inserted raw otherwise (an array then joins with commas, as JS
does). An All selection stands for every option, or inserts a custom all value as written.
Backend (pkg/tsdb/influxdb/models/query.go ``Build``): plain replace-all of ``$timeFilter``
(``time >= <from>ms and time <= <to>ms``), ``$interval``, ``$__interval_ms``, ``$__interval``, in that
order. Nothing else is a macro there: ``$__timeFilter``, ``$timeFrom`` and ``$timeTo`` reach InfluxDB as
written, so they are findings. ``$__from``/``$__to`` are templateSrv's epoch milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from core.template_variable import VARIABLE_PATTERN, declared_hint
from core.template_variable import TemplateVariable as Variable
from core.textmap import Edit, MapChain, TextMap, apply_edits
from core.timerange import SAMPLE_RANGE, TimeRange
from influxqlcheck.nodes import Call, expressions
from influxqlcheck.parser import parse

ALL = "$__all"  # how Grafana stores an All selection
BACKEND_MACROS = ("$timeFilter", "$interval", "$__interval_ms", "$__interval")
_LEFT_FOR_BACKEND = frozenset({"timeFilter", "interval", "__interval", "__interval_ms"})
_NOT_MACROS = {
    "__timeFilter": "$__timeFilter is not expanded in InfluxQL mode (only $timeFilter is); write $timeFilter",
    "timeFrom": "$timeFrom is not expanded in InfluxQL mode; write time >= ${__from}ms",
    "timeTo": "$timeTo is not expanded in InfluxQL mode; write time <= ${__to}ms",
}
FORMATS = ("csv", "date", "doublequote", "glob", "json", "pipe", "raw", "regex", "singlequote", "sqlstring", "text")
_ANY_REGEX = re.compile(r"(?<=/).+?(?=/)")
_JS_FLOAT = re.compile(r"\s*[+-]?(?:Infinity|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")

Value = str | tuple[str, ...]  # a single value, or a multi-value selection (Grafana keeps those as arrays)


@dataclass(frozen=True)
class Substituted:
    text: str
    chain: MapChain  # offsets in ``text`` -> offsets in the original
    problems: tuple[tuple[int, str], ...]  # (offset in the original, message)


def escape_regex(value: str) -> str:
    """Grafana's escapeRegex (packages/grafana-data/src/text/string.ts)."""
    return re.sub(r"[\\^$*+?.()|\[\]{}/]", lambda m: "\\" + m.group(), value)


def is_js_number(value: str) -> bool:
    """Whether JavaScript's parseFloat reads a number from the start of ``value`` ("3f2a" reads 3)."""
    return _JS_FLOAT.match(value) is not None


def format_interval(ms: int) -> str:
    """The plugin SDK's gtime.FormatInterval: the largest whole unit, at least 1ms."""
    for unit, size in (("y", 31_536_000_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if ms >= size:
            return f"{ms // size}{unit}"
    return f"{max(ms, 1)}ms"


def time_filter(time_range: TimeRange) -> str:
    return f"time >= {time_range.from_ms}ms and time <= {time_range.to_ms}ms"


def interpolate(value: Value, variable: Variable, query: str) -> str:
    """interpolateQueryExpr: how a value without an explicit format goes into the query."""
    if isinstance(value, str) and is_js_number(value):
        return value
    if variable.multi:
        return escape_regex(value) if isinstance(value, str) else _group(value)
    in_regex = re.search(r"/(?:\^)?(.*)(\$" + variable.name + r")(.*)(?:\$)?/", query)
    if in_regex and any(_compiles(m.group()) for m in _ANY_REGEX.finditer(query)):
        return escape_regex(value) if isinstance(value, str) else _group(value)
    return value if isinstance(value, str) else ",".join(value)


def format_value(value: Value, fmt: str, text: str) -> str:
    """Grafana's named formats (``${v:regex}``...), which replace the datasource's own."""
    kind = fmt.split(":")[0]
    values = (value,) if isinstance(value, str) else value
    quoted = {"singlequote": ("'", "\\'"), "doublequote": ('"', '\\"')}
    if kind == "sqlstring":  # Grafana's sqlStringFormatter also backslashes "
        return ",".join("'" + v.replace("'", "''").replace('"', '\\"') + "'" for v in values)
    if kind in quoted:
        mark, escaped = quoted[kind]
        return ",".join(mark + v.replace(mark, escaped) + mark for v in values)
    if kind == "regex":
        return _group(values) if len(values) > 1 else escape_regex(values[0])
    if kind == "glob":
        return "{" + ",".join(values) + "}" if len(values) > 1 else ",".join(values)
    if kind == "json":
        return json.dumps(value if isinstance(value, str) else list(value), separators=(",", ":"))
    if kind == "text":
        return text
    return ("|" if kind == "pipe" else ",").join(values)


def sample_selections(variables: Mapping[str, Variable], *, all_selected: bool = False) -> dict[str, Value]:
    """What the checker selects: the first option (two for multi-value), or All where it can be chosen."""
    chosen: dict[str, Value] = {}
    for name, variable in variables.items():
        options = variable.options or (
            (f"sample_{name}_1", f"sample_{name}_2") if variable.multi else (f"sample_{name}",)
        )
        if all_selected and variable.include_all:
            chosen[name] = ALL
        else:
            chosen[name] = tuple(options[:2]) if variable.multi else options[0]
    return chosen


def substitute(
    text: str,
    variables: Mapping[str, Variable],
    selections: Mapping[str, Value],
    time_range: TimeRange = SAMPLE_RANGE,
) -> Substituted:
    """The query InfluxDB receives for these selections, and the map back to ``text``."""
    edits: list[Edit] = []
    problems: list[tuple[int, str]] = []
    for match in VARIABLE_PATTERN.finditer(text):
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = match.group(3) or match.group(6)
        if fmt is not None and fmt.split(":")[0] not in FORMATS:
            problems.append((match.start(), f"unknown format :{fmt}; use one of {', '.join(FORMATS)}"))
            continue
        if name in _LEFT_FOR_BACKEND:
            replacement = f"${name}"  # applyTemplateVariables pins $__interval(_ms); the others are no variables
        elif name in variables:
            replacement = _variable(variables[name], selections.get(name, ""), fmt, text)
        else:
            builtin = _builtin(name, fmt, time_range)
            if builtin is None:
                problems.append((match.start(), _unknown(name, variables)))
                continue
            replacement = builtin
        if replacement != match.group():
            edits.append(Edit(match.start(), match.end(), replacement, match.group()))
    chain = MapChain()
    current, text_map = apply_edits(text, edits)
    chain.add(text_map)
    for macro in BACKEND_MACROS:
        current, text_map = apply_edits(current, _replace_all(current, macro, _macro(macro, time_range)))
        chain.add(text_map)
    return Substituted(current, chain, tuple(problems))


def pin_now(text: str, instant: datetime) -> tuple[str, TextMap]:
    """``now()`` replaced by ``instant`` as an RFC3339 time literal, so a query runs "as of" that instant."""
    stamp = instant.astimezone(UTC).strftime("'%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z'"
    edits = []
    for statement in parse(text):
        for node in expressions(statement):
            if isinstance(node, Call) and node.name == "now":
                call = re.compile(r"now\s*\(\s*\)", re.IGNORECASE).match(text, node.pos)
                if call is not None:
                    edits.append(Edit(call.start(), call.end(), stamp, "now()"))
    return apply_edits(text, edits)


def _variable(variable: Variable, value: Value, fmt: str | None, query: str) -> str:
    text = " + ".join(value) if isinstance(value, tuple) else value
    if value == ALL or value == (ALL,):
        if variable.all_value and (fmt or "") not in ("text", "percentencode"):
            return variable.all_value
        value, text = variable.options, "All"
    return format_value(value, fmt, text) if fmt else interpolate(value, variable, query)


def _builtin(name: str, fmt: str | None, time_range: TimeRange) -> str | None:
    """templateSrv's time variables; None for a name Grafana does not define."""
    span_ms = time_range.to_ms - time_range.from_ms
    if name in ("__from", "__to"):
        ms = time_range.from_ms if name == "__from" else time_range.to_ms
        if fmt is None or not fmt.startswith("date"):
            return str(ms)
        stamp = datetime.fromtimestamp(ms / 1000, tz=UTC)
        if fmt.endswith(":seconds"):
            return str(ms // 1000)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    return {"__range": f"{span_ms // 1000}s", "__range_s": str(span_ms // 1000), "__range_ms": str(span_ms)}.get(name)


def _macro(macro: str, time_range: TimeRange) -> str:
    if macro == "$timeFilter":
        return time_filter(time_range)
    if macro == "$__interval_ms":
        return str(max(time_range.interval_ms, 1))
    return format_interval(time_range.interval_ms)


def _replace_all(text: str, needle: str, replacement: str) -> list[Edit]:
    """Go's strings.ReplaceAll as edits: every occurrence, left to right, not overlapping."""
    edits: list[Edit] = []
    start = text.find(needle)
    while start >= 0:
        edits.append(Edit(start, start + len(needle), replacement, needle))
        start = text.find(needle, start + len(needle))
    return edits


def _unknown(name: str, variables: Mapping[str, Variable]) -> str:
    if name in _NOT_MACROS:
        return _NOT_MACROS[name]
    return f"unknown variable ${name}: Grafana leaves it in the query as written; {declared_hint(name, variables)}"


def _group(values: tuple[str, ...]) -> str:
    return "(" + "|".join(escape_regex(v) for v in values) + ")"


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
