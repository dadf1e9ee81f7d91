"""Dashboard variables for a local run: the values given with --var, else Grafana's defaults.

Defaults are what Grafana would pick on opening the dashboard: a custom variable's saved current
value, "All" for a query variable that includes it, else the first value its own query returns
over the same data. Substitution follows the plugins (sqlcheck.substitution): one value raw, a
multi-value or include-all selection as ``'a','b'``, "All" with an allValue as that value raw.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import QueryError
from core.template_variable import VARIABLE_PATTERN
from core.template_variable import TemplateVariable as Variable
from sqlcheck.substitution import format_values

ALL = ("All", "$__all")


@dataclass(frozen=True)
class Selection:
    values: tuple[str, ...]
    all: bool


def parse_assignments(assignments: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``NAME=VALUE`` strings; a name given several times selects several values."""
    given: dict[str, tuple[str, ...]] = {}
    for text in assignments:
        name, sep, value = text.partition("=")
        if not sep or not name:
            raise QueryError(f"--var {text!r}: use NAME=VALUE, e.g. --var queue=Sales (repeat for several values)")
        given[name.strip()] = (*given.get(name.strip(), ()), value)
    return given


def _values(var: Variable, given: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The values given with --var, else Grafana's default: the saved current value, else All if offered."""
    return given.get(var.name) or var.current or (ALL[:1] if var.include_all else ())


def queried_variables(
    variables: Sequence[Variable],
    given: Mapping[str, tuple[str, ...]],
    texts: Sequence[str],
    queries: Mapping[str, str],
) -> set[str]:
    """The variables whose own query must run for ``texts`` to be substituted (``queries``: name -> its SQL).

    A variable needs its query when ``texts`` (or a needed variable's query, transitively) refer to it and
    its value comes from the data: its first option by default, or "All" without an allValue or under a
    ``${var:format}``. Only those queries' tables need loading.
    """
    by_name = {v.name: v for v in variables}
    needed: set[str] = set()
    pending = list(texts)
    while pending:
        for match in VARIABLE_PATTERN.finditer(pending.pop()):
            name = match.group(1) or match.group(2) or match.group(4)
            var = by_name.get(name)
            if var is None or name in needed or var.kind != "query":
                continue
            formatted = bool(match.group(3) or match.group(6))
            values = _values(var, given)
            is_all = any(v in ALL for v in values)
            if not values or (is_all and (not var.all_value or formatted)):
                needed.add(name)
                pending.append(queries.get(name, ""))
    return needed


def select(
    variables: Sequence[Variable],
    given: Mapping[str, tuple[str, ...]],
    options_of: Callable[[Variable, Mapping[str, Selection]], list[str]],
    queried: Collection[str] | None = None,
) -> dict[str, Selection]:
    """Each variable's selection; ``options_of`` runs a query variable's query with the selections so far.

    With ``queried``, only those variables' queries run; the others' selections are never substituted.
    """
    unknown = sorted(set(given) - {v.name for v in variables})
    if unknown:
        names = ", ".join(v.name for v in variables) or "none"
        raise QueryError(f"--var {unknown[0]}: the dashboard has no such variable; it declares: {names}")
    chosen: dict[str, Selection] = {}
    for var in variables:
        values = _values(var, given)
        if var.name in given and len(values) > 1 and not var.multi:
            raise QueryError(f"--var {var.name}: takes one value, got {len(values)}")
        runs = var.kind == "query" and (queried is None or var.name in queried)
        if any(v in ALL for v in values):
            if not var.include_all:
                raise QueryError(f"--var {var.name}=All: the variable has no All option; give a value")
            options = tuple(options_of(var, chosen)) if runs else () if var.kind == "query" else var.options
            chosen[var.name] = Selection(options, all=True)
        elif values:
            chosen[var.name] = Selection(tuple(values), all=False)
        elif var.kind == "query" and not runs:
            chosen[var.name] = Selection((), all=False)
        else:
            first = options_of(var, chosen)[:1] if var.kind == "query" else list(var.options[:1])
            if not first:
                raise QueryError(
                    f"${var.name} has no value: its query found none in the data as of --to; "
                    f"give one with --var {var.name}=VALUE"
                )
            chosen[var.name] = Selection(tuple(first), all=False)
    return chosen


def substitute(sql: str, variables: Sequence[Variable], chosen: Mapping[str, Selection], where: str) -> str:
    """Replace ``$var``, ``${var}``, ``${var:format}`` and ``[[var]]`` as Grafana does before the plugin."""
    by_name = {v.name: v for v in variables}

    def replace(match: Any) -> str:
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = match.group(3) or match.group(6)
        if name.startswith("__"):
            return match.group(0)
        if name not in by_name:
            raise QueryError(f"{where}: ${name} is not a variable of the dashboard")
        var, selection = by_name[name], chosen[name]
        if selection.all and var.all_value and fmt is None:
            return var.all_value
        values = list(selection.values) or [""]
        return format_values(name, values, var.takes_many, fmt)

    return VARIABLE_PATTERN.sub(replace, sql)
