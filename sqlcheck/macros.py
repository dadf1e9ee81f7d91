"""Grafana macros, expanded exactly as the Timestream and Athena plugins' backends do.

Timestream (grafana/timestream-datasource ``pkg/timestream/macros.go``): plain-text
replacement, no parentheses; ``$__database``/``$__table``/``$__measure`` take the target's
field unless it is empty or starts with ``${``, else the datasource default.

Athena (grafana/athena-datasource ``pkg/athena/macros.go`` over grafana-plugin-sdk-go
``data/sqlutil/macros.go``): macro names longest first; ``\\$__name\\b`` then an optional
bracketed argument list split on top-level commas; every occurrence of the matched
text is replaced (Go's ``strings.ReplaceAll``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from difflib import get_close_matches

from core.kinds import QueryContext
from core.textmap import Edit, MapChain, apply_edits
from core.timerange import SAMPLE_RANGE, TimeRange
from sqlcheck.gotime import GoTimeError, go_float, go_format, java_to_go_layout, parse_interval

TIMESTREAM_MACROS = (
    "$__database",
    "$__table",
    "$__measure",
    "$__timeFilter",
    "$__timeFrom",
    "$__timeTo",
    "$__interval_raw_ms",
    "$__interval_ms",
    "$__interval",
    "$__now_ms",
)
_INTERVAL_STR = "$__intervalStr removed... use $__interval_ms"  # the Timestream plugin's own words
_ALL_SELECTION = (
    "$__all is Grafana's internal value for an All selection and never reaches the query; give the variable "
    "an all_value such as '__all__' and compare with that: '__all__' IN ($var)"
)
_GO_TIMESTAMP = "%Y-%m-%d %H:%M:%S"
_TIMESTAMP_FORMAT = "'yyyy-MM-dd HH:mm:ss'"


class MacroError(Exception):
    """A macro the plugin would refuse (wrong arguments); the message is the plugin's reason."""


@dataclass(frozen=True)
class Expansion:
    text: str
    problems: list[tuple[int, str]]  # (offset in the source text, message)


# One plugin's macro pass: text, edit chain, time range, target fields, environment -> expansion.
Expander = Callable[[str, MapChain, TimeRange, Mapping[str, str], QueryContext], Expansion]


def expand_macros(
    sql: str,
    expander: Expander,
    *,
    context: QueryContext,
    target: Mapping[str, str] | None = None,
    time_range: TimeRange = SAMPLE_RANGE,
) -> str:
    """The SQL the plugin would send for ``sql``; raises ValueError on a macro the plugin refuses."""
    result = expander(sql, MapChain(), time_range, target or {}, context)
    if result.problems:
        raise ValueError(result.problems[0][1])
    return result.text


def _replace_all(text: str, old: str, new: str, origin: str, chain: MapChain) -> str:
    edits = [Edit(m.start(), m.end(), new, origin) for m in re.finditer(re.escape(old), text)]
    if not edits:
        return text
    text, text_map = apply_edits(text, edits)
    chain.add(text_map)
    return text


def timestream_macros(
    text: str, chain: MapChain, tr: TimeRange, target: Mapping[str, str], context: QueryContext
) -> Expansion:
    """The Timestream plugin's expansion, recording every edit in ``chain`` so offsets map back to the source."""
    if "$__intervalStr" in text:  # the plugin refuses the whole query before expanding anything
        return Expansion(text, [(chain.to_source(text.index("$__intervalStr"))[0], _INTERVAL_STR)])
    defaults = {"database": f'"{context.database}"', "table": f'"{context.default_table}"', "measure": ""}
    for key in ("database", "table", "measure"):
        value = target.get(key, "") or ""
        if value == "" or value.startswith("${"):
            value = defaults[key]
        if value:
            text = _replace_all(text, f"$__{key}", value, f"$__{key}", chain)
    filter_sql = f"time BETWEEN from_milliseconds({tr.from_ms}) AND from_milliseconds({tr.to_ms})"
    text = _replace_all(text, "$__timeFilter", filter_sql, "$__timeFilter", chain)
    simple = (
        ("$__interval_raw_ms", str(tr.interval_ms)),
        ("$__interval_ms", f"{tr.interval_ms}ms"),
        ("$__interval", f"{tr.interval_ms}ms"),
        ("$__timeFrom", str(tr.from_ms)),
        ("$__timeTo", str(tr.to_ms)),
        ("$__now_ms", str(tr.to_ms)),
    )
    for name, value in simple:
        text = _replace_all(text, name, value, name, chain)
    return Expansion(text, _leftovers(text, chain, TIMESTREAM_MACROS, "timestream"))


# --- Athena --------------------------------------------------------------------------------------

MacroFunc = Callable[[TimeRange, Mapping[str, str], list[str]], str]


def _parse_args(rest: str) -> tuple[list[str], int]:
    """sqlutil's parseArgs: ([], 0) without brackets, (args, length) with, ([], -1) if unclosed."""
    if not rest.startswith("("):
        return [], 0
    args: list[str] = []
    depth = 0
    arg: list[str] = []
    for index, char in enumerate(rest):
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(arg).strip())
                return args, index + 1
        elif char == "," and depth == 1:
            args.append("".join(arg).strip())
            arg = []
            continue
        arg.append(char)
    return [], -1


def _parse_time(target: str, fmt: str) -> str:
    if fmt == "":
        return target
    if fmt == _TIMESTAMP_FORMAT:
        return f"TIMESTAMP {target}"
    return f"parse_datetime({target},{fmt})"


def _group(args: list[str], tr: TimeRange, epoch: bool) -> str:
    if len(args) < 2:
        raise MacroError("macro $__timeGroup needs time column and interval")
    try:
        interval = parse_interval(args[1].strip("'"), now=tr.end())
    except GoTimeError as exc:
        raise MacroError(f"error parsing interval {args[1]}: {exc}") from None
    seconds = go_float(interval)
    time_var = _parse_time(args[0], args[2]) if len(args) == 3 else args[0]
    inner = time_var if epoch else f"TO_UNIXTIME({time_var})"
    return f"FROM_UNIXTIME(FLOOR({inner}/{seconds})*{seconds})"


def _count(args: list[str], expected: int, exact: bool = True) -> None:
    if (len(args) != expected) if exact else (len(args) < expected):
        if exact:
            raise MacroError(f"unexpected number of arguments: expected {expected}, received {len(args)}")
        raise MacroError("unexpected number of arguments: expected at least one argument")


def _time_filter(tr: TimeRange, _t: Mapping[str, str], args: list[str]) -> str:
    _count(args, 1, exact=False)
    column = _parse_time(args[0], args[1] if len(args) > 1 else "")
    return f"{column} BETWEEN TIMESTAMP '{tr.start():{_GO_TIMESTAMP}}' AND TIMESTAMP '{tr.end():{_GO_TIMESTAMP}}'"


def _date_filter(tr: TimeRange, _t: Mapping[str, str], args: list[str]) -> str:
    _count(args, 1)
    return f"{args[0]} BETWEEN date '{tr.start():%Y-%m-%d}' AND date '{tr.end():%Y-%m-%d}'"


def _parse_time_macro(_tr: TimeRange, _t: Mapping[str, str], args: list[str]) -> str:
    _count(args, 1, exact=False)
    return _parse_time(args[0], args[1] if len(args) == 2 else _TIMESTAMP_FORMAT)


def _unix_epoch_filter(tr: TimeRange, _t: Mapping[str, str], args: list[str]) -> str:
    _count(args, 1)
    return f"{args[0]} BETWEEN {tr.from_ms // 1000} AND {tr.to_ms // 1000}"


def _raw(moment: datetime, args: list[str]) -> str:
    fmt = args[0] if len(args) == 1 and args[0] != "" else _TIMESTAMP_FORMAT
    return go_format(moment, java_to_go_layout(fmt))


def _format_interval(ms: int) -> str:
    for unit, size in (("y", 31_536_000_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if ms >= size:
            return f"{ms // size}{unit}"
    return f"{ms}ms" if ms >= 1 else "1ms"


ATHENA_MACROS: dict[str, MacroFunc] = {
    "dateFilter": _date_filter,
    "parseTime": _parse_time_macro,
    "unixEpochFilter": _unix_epoch_filter,
    "timeFilter": _time_filter,
    "rawTimeFrom": lambda tr, _t, a: _raw(tr.start(), a),
    "rawTimeTo": lambda tr, _t, a: _raw(tr.end(), a),
    "timeFrom": lambda tr, _t, _a: f"TIMESTAMP '{tr.start():{_GO_TIMESTAMP}}'",
    "timeTo": lambda tr, _t, _a: f"TIMESTAMP '{tr.end():{_GO_TIMESTAMP}}'",
    "timeGroup": lambda tr, _t, a: _group(a, tr, epoch=False),
    "unixEpochGroup": lambda tr, _t, a: _group(a, tr, epoch=True),
    "interval": lambda tr, _t, _a: _format_interval(tr.interval_ms),
    "interval_ms": lambda tr, _t, _a: str(tr.interval_ms),
    "table": lambda _tr, t, _a: t.get("table", "") or "",
    "column": lambda _tr, t, _a: t.get("column", "") or "",
}
_ATHENA_ORDER = sorted(ATHENA_MACROS, key=lambda k: (-len(k), k))


def athena_macros(
    text: str, chain: MapChain, tr: TimeRange, target: Mapping[str, str], context: QueryContext
) -> Expansion:
    """The Athena plugin's expansion (it reads no environment setting), every edit recorded in ``chain``."""
    problems: list[tuple[int, str]] = []
    for key in _ATHENA_ORDER:
        matches: list[tuple[str, list[str]]] = []
        for match in re.finditer(r"\$__" + key + r"\b", text, flags=re.ASCII):
            args, length = _parse_args(text[match.end() :])
            if length < 0:
                offset = chain.to_source(match.start())[0]
                problems.append((offset, f"$__{key}: failed to parse macro arguments (missing close bracket?)"))
                return Expansion(text, problems)
            matches.append((text[match.start() : match.end() + length], args))
        for full, args in matches:
            where = text.find(full)
            if where < 0:
                continue
            if key in ("table", "column") and not target.get(key):
                problems.append(
                    (chain.to_source(where)[0], f"$__{key} has no value: set the query target's {key} field")
                )
                continue
            try:
                result = ATHENA_MACROS[key](tr, target, args)
            except MacroError as exc:
                problems.append((chain.to_source(where)[0], f"$__{key}: {exc}"))
                continue
            text = _replace_all(text, full, result, f"$__{key}", chain)
    reported = {offset for offset, _ in problems}
    known = tuple(f"$__{k}" for k in ATHENA_MACROS)
    return Expansion(text, problems + [p for p in _leftovers(text, chain, known, "athena") if p[0] not in reported])


def _leftovers(text: str, chain: MapChain, known: tuple[str, ...], plugin: str) -> list[tuple[int, str]]:
    """``$__name`` still in the text: a macro without a value, or one the plugin does not know."""
    problems: list[tuple[int, str]] = []
    for match in re.finditer(r"\$__\w+", text):
        name = match.group(0)
        offset = chain.to_source(match.start())[0]
        if name == "$__all":
            problems.append((offset, _ALL_SELECTION))
            continue
        if name in known:
            field = name[3:]
            problems.append(
                (offset, f"{name} has no value: set the query target's {field} field (the datasource has no default)")
            )
            continue
        close = get_close_matches(name, known, n=2, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else f"; known: {', '.join(known)}"
        problems.append((offset, f"unknown macro {name} for the {plugin} plugin{hint}"))
    return problems
