"""Cost rules: every Timestream scan is bounded in time; every CTR scan prunes partitions.

Timestream bills by data scanned and an unbounded query reads the whole retention;
Athena reads every day's partition unless the partition column is restricted from the
dashboard's own time range. A query opts out with ``-- dash:allow <rule> <reason>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from sqlcheck.resolve import Finding, Scan, offset_of

COST_RULES = ("unbounded-time", "partition-filter")
# Expansions whose values come from the dashboard's time range.
RANGE_ORIGINS = frozenset(
    {
        "$__timeFilter",
        "$__dateFilter",
        "$__timeFrom",
        "$__timeTo",
        "$__rawTimeFrom",
        "$__rawTimeTo",
        "$__unixEpochFilter",
        "$__from",
        "$__to",
    }
)
_ALLOW = re.compile(r"--\s*dash:allow\b[ \t]*(\S*)[ \t]*(.*)")


@dataclass(frozen=True)
class OptOut:
    rule: str
    reason: str
    offset: int


def opt_outs(source: str) -> tuple[list[OptOut], list[Finding]]:
    """``-- dash:allow <rule> <reason>`` comments; one without a known rule or a reason is a finding."""
    found: list[OptOut] = []
    findings: list[Finding] = []
    for match in _ALLOW.finditer(source):
        rule, reason = match.group(1), match.group(2).strip()
        if rule not in COST_RULES:
            findings.append(
                Finding(
                    match.start(),
                    "opt-out",
                    f"dash:allow names {rule or 'no rule'}; it can allow {' or '.join(COST_RULES)}",
                )
            )
        elif not reason:
            findings.append(
                Finding(
                    match.start(),
                    "opt-out",
                    f"dash:allow {rule} needs a reason: -- dash:allow {rule} <why this scan is acceptable>",
                )
            )
        else:
            found.append(OptOut(rule, reason, match.start()))
    return found, findings


def _conjuncts(select: exp.Expr) -> list[exp.Expr]:
    where = select.args.get("where")
    return (
        list(where.this.flatten())
        if isinstance(where, exp.Where) and isinstance(where.this, exp.And)
        else ([where.this] if isinstance(where, exp.Where) else [])
    )


def _is_column(node: exp.Expr, scan: Scan, name: str, norm: Callable[[str], str]) -> bool:
    """``node`` is the scan's column: qualified with its alias, or unqualified and no other source may have it."""
    if not isinstance(node, exp.Column) or norm(node.name) != name:
        return False
    if node.table:
        return norm(node.table) == scan.alias
    return not any(other is None or name in other for other in scan.others)


def _bounds(select: exp.Expr, scan: Scan, column: str, norm: Callable[[str], str]) -> list[tuple[str, exp.Expr]]:
    """("low"|"high", bound expression) for each top-level AND-ed restriction of ``column``."""
    out: list[tuple[str, exp.Expr]] = []
    for node in _conjuncts(select):
        if isinstance(node, exp.Paren):
            node = node.unnest()
        if isinstance(node, exp.Between) and _is_column(node.this, scan, column, norm):
            out += [("low", node.args["low"]), ("high", node.args["high"])]
        elif isinstance(node, exp.EQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
            left, right = node.this, node.expression
            if _is_column(left, scan, column, norm):
                bound, flipped = right, False
            elif _is_column(right, scan, column, norm):
                bound, flipped = left, True
            else:
                continue
            if isinstance(node, exp.EQ):
                out += [("low", bound), ("high", bound)]
            else:
                lower = isinstance(node, exp.GT | exp.GTE) != flipped
                out.append(("low" if lower else "high", bound))
    return out


def cost_findings(
    scans: list[Scan],
    norm: Callable[[str], str],
    origins_of: Callable[[int], list[str]],
) -> list[Finding]:
    """Findings for scans that break a cost rule (before opt-outs are applied)."""
    findings: list[Finding] = []
    for scan in scans:
        if scan.info.time_column:
            lows = [
                bound
                for kind, bound in _bounds(scan.select, scan, scan.info.time_column, norm)
                if kind == "low" and bound.find(exp.Column) is None
            ]
            if not any(_relative(bound) or _from_range(bound, origins_of) for bound in lows):
                why = (
                    "is bounded only by a fixed time, so it reads more of the retention every day"
                    if lows
                    else "is not bounded in time, so it reads the whole retention"
                )
                findings.append(
                    Finding(
                        offset_of(scan.table),
                        "unbounded-time",
                        f"scan of {scan.info.name} {why}; add WHERE $__timeFilter or time > ago(15m)",
                    )
                )
        for partition in scan.info.partition_columns:
            bounds = _bounds(scan.select, scan, partition, norm)
            kinds = {kind for kind, bound in bounds if _from_range(bound, origins_of)}
            if kinds != {"low", "high"}:
                missing = "is not restricted" if not kinds else f"has no {'upper' if 'low' in kinds else 'lower'} bound"
                findings.append(
                    Finding(
                        offset_of(scan.table),
                        "partition-filter",
                        f"scan of {scan.info.name}: {partition} {missing} from the dashboard's time range, so Athena "
                        f"reads partitions outside it; add WHERE $__dateFilter({partition})",
                    )
                )
    return findings


def _relative(bound: exp.Expr) -> bool:
    """A bound that moves with the clock: ago(15m), now() - 1h, bin(now(), 1d)."""
    return any(
        isinstance(node, exp.CurrentTimestamp | exp.CurrentDate)
        or (isinstance(node, exp.Anonymous) and node.name.lower() == "ago")
        for node in bound.walk()
    )


def _from_range(bound: exp.Expr, origins_of: Callable[[int], list[str]]) -> bool:
    """A bound built from a time-range macro or variable ($__timeFrom(), $__dateFilter...)."""
    for node in bound.walk():
        if not node.meta or node.meta.get("start") is None:
            continue
        # A literal's span includes its quotes, which may be the file's own around a macro.
        for offset in range(int(node.meta["start"]), int(node.meta.get("end", node.meta["start"])) + 1):
            if RANGE_ORIGINS.intersection(origins_of(offset)):
                return True
    return False
