"""Dashboard template variables, substituted as Grafana does before a query reaches the plugin.

Syntaxes ``$var``, ``${var}``, ``${var:format}``, ``${var.field}`` and ``[[var]]`` (the
pattern is Grafana's own). Each declared variable gets a sample value of its type; a
single value goes in raw and a multi-value selection as ``'a','b'``, as both the
Timestream and Athena plugins format arrays. Names starting ``__`` that Grafana does not
define are left for the plugin's macros.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from core.template_variable import VARIABLE_PATTERN, TemplateVariable, declared_hint
from core.textmap import Edit
from core.timerange import SAMPLE_RANGE, TimeRange

# Left to the plugins' backends (Timestream expands them itself; sqlutil has defaults for Athena).
BACKEND_NAMES = frozenset({"__interval", "__interval_ms"})

FORMATS = (
    "csv",
    "distributed",
    "doublequote",
    "glob",
    "json",
    "lucene",
    "percentencode",
    "pipe",
    "queryparam",
    "raw",
    "regex",
    "singlequote",
    "sqlstring",
    "text",
    "date",
)


@dataclass(frozen=True)
class Substitution:
    edits: list[Edit]
    problems: list[tuple[int, str, str]]  # (offset, rule, message)


def substitute_variables(
    text: str,
    variables: Mapping[str, TemplateVariable],
    time_range: TimeRange = SAMPLE_RANGE,
    *,
    all_selected: bool = False,
) -> Substitution:
    """Sample values for every variable; ``all_selected``: All chosen, so a custom all value goes in as written."""
    edits: list[Edit] = []
    problems: list[tuple[int, str, str]] = []
    for match in VARIABLE_PATTERN.finditer(text):
        name = match.group(1) or match.group(2) or match.group(4)
        field_path = match.group(5)
        fmt = match.group(3) or match.group(6)
        shown = f"${name}"
        if name in BACKEND_NAMES:
            continue
        if name.startswith("__"):
            value = _builtin(name, field_path, fmt, time_range)
            if value is None:
                continue  # a plugin macro, or an unknown one: the macro pass decides
        elif name not in variables:
            problems.append((match.start(), "unknown-variable", _unknown_variable(name, variables)))
            continue
        else:
            sample = variables[name]
            values = _sample_values(name, sample)
            if fmt is not None and fmt.split(":")[0] not in FORMATS:
                known = ", ".join(FORMATS)
                problems.append(
                    (match.start(), "unknown-variable", f"unknown format :{fmt} for {shown}; use one of {known}")
                )
                continue
            value = format_values(name, values, sample.takes_many, fmt)
            if all_selected and sample.all_value and (fmt or "").split(":")[0] not in ("text", "percentencode"):
                value = sample.all_value  # Grafana's templateSrv skips formatting a custom all value
            shown = match.group()  # as written, so advice can tell ${queue:csv} from $queue
        edits.append(Edit(match.start(), match.end(), value, shown))
    return Substitution(edits, problems)


def variable_of(origin: str) -> tuple[str, str | None] | None:
    """Name and format of a dashboard variable as an expansion's origin records it (``${queue:csv}``)."""
    match = VARIABLE_PATTERN.fullmatch(origin)
    if match is None or origin.startswith("$__"):
        return None
    return match.group(1) or match.group(2) or match.group(4), match.group(3) or match.group(6)


def _unknown_variable(name: str, variables: Mapping[str, TemplateVariable]) -> str:
    return f"unknown variable ${name}: the dashboard does not declare it; {declared_hint(name, variables)}"


def _sample_values(name: str, sample: TemplateVariable) -> list[str]:
    if sample.numeric:
        return ["20", "30"] if sample.takes_many else ["20"]
    if sample.takes_many:
        return [f"sample_{name}_1", f"sample_{name}_2"]
    return [f"sample_{name}"]


def _quote(value: str, quote: str = "'", escape: str = "''") -> str:
    return quote + value.replace(quote, escape) + quote


def format_values(name: str, values: list[str], multi: bool, fmt: str | None) -> str:
    """Grafana's variable formats; without one, the plugins' own: raw single value, quoted list."""
    kind = (fmt or "").split(":")[0]
    if kind == "":
        return ",".join(_quote(v) for v in values) if multi else values[0]
    if kind in ("csv", "raw"):
        return ",".join(values)
    if kind == "singlequote":
        return ",".join(_quote(v, "'", "\\'") for v in values)
    if kind == "doublequote":
        return ",".join(_quote(v, '"', '\\"') for v in values)
    if kind == "sqlstring":  # Grafana's sqlStringFormatter: ' doubled, " backslashed
        return ",".join("'" + v.replace("'", "''").replace('"', '\\"') + "'" for v in values)
    if kind == "pipe":
        return "|".join(values)
    if kind == "regex":
        escaped = [re.escape(v) for v in values]
        return "(" + "|".join(escaped) + ")" if multi else escaped[0]
    if kind == "json":
        return json.dumps(values if multi else values[0])
    if kind == "glob":
        return "{" + ",".join(values) + "}" if multi else values[0]
    if kind == "lucene":
        return (
            "(" + " OR ".join(_quote(v, '"', '\\"') for v in values) + ")" if multi else _quote(values[0], '"', '\\"')
        )
    if kind == "queryparam":
        return "&".join(f"var-{name}={v}" for v in values)
    if kind == "distributed":
        return ",".join([values[0], *(f"{name}={v}" for v in values[1:])])
    if kind == "text":
        return " + ".join(values)
    return ",".join(values)  # percentencode and date keep sample values plain


def _builtin(name: str, field_path: str | None, fmt: str | None, time_range: TimeRange) -> str | None:
    """Sample values of Grafana's global variables; None for names Grafana does not define."""
    span_ms = time_range.to_ms - time_range.from_ms
    if name in ("__from", "__to"):
        ms = time_range.from_ms if name == "__from" else time_range.to_ms
        return _format_time(ms, fmt)
    simple = {
        "__range": f"{span_ms // 1000}s",
        "__range_s": str(span_ms // 1000),
        "__range_ms": str(span_ms),
        "__rate_interval": "4m",
        "__rate_interval_ms": "240000",
        "__dashboard": "Sample dashboard",
        "__timezone": "utc",
        "__name": "sample",
    }
    if name in simple:
        return simple[name]
    if name == "__user":
        return {"id": "1", "email": "viewer@example.com", "name": "Viewer"}.get(field_path or "login", "viewer")
    if name == "__org":
        return "1" if field_path == "id" else "Main Org."
    return None


def _format_time(ms: int, fmt: str | None) -> str:
    if fmt is None or not fmt.startswith("date"):
        return str(ms)
    moment = fmt[len("date") :].lstrip(":")
    stamp = datetime.fromtimestamp(ms / 1000, tz=UTC)
    if moment in ("", "iso"):
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    if moment == "seconds":
        return str(ms // 1000)
    for token, code in (("YYYY", "%Y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")):
        moment = moment.replace(token, code)
    return stamp.strftime(moment)
