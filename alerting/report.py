"""A replay as people read it: one table row per state change, with what Grafana would notify."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from rich.table import Table

from alerting.replay import Replay
from alerting.state import Transition
from alerting.values import show_labels


def clock(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def _number(value: float | None) -> str:
    if value is None:
        return "null"
    if math.isnan(value):
        return "NaN"
    return f"{value:g}"


def notification(transition: Transition) -> str:
    if transition.fires:
        return "firing"
    if transition.resolves:
        return "resolved"
    return ""


def timeline(result: Replay, title: str) -> Table:
    """Time, rule, label set, state change, notification, the numbers (or the error) behind it."""
    table = Table(title=title, title_justify="left")
    for column in ("time (UTC)", "rule", "labels", "from", "to", "notifies", "values"):
        table.add_column(column, overflow="fold", no_wrap=column in ("time (UTC)", "notifies"))
    for t in result.transitions:
        values = t.error or ", ".join(f"{ref}={_number(v)}" for ref, v in t.values)
        table.add_row(clock(t.at), t.rule, show_labels(t.labels), t.previous, t.shown, notification(t), values)
    return table


def summary(result: Replay) -> list[str]:
    """One line per rule: how many pages and resolutions, or that it never left Normal."""
    lines = []
    for rule in result.rules:
        pages = len(result.pages(rule.uid))
        resolved = sum(1 for t in result.of(rule.uid) if t.resolves)
        lines.append(
            f"{rule.uid}: {pages} firing notification(s), {resolved} resolved"
            if result.of(rule.uid)
            else f"{rule.uid}: Normal throughout"
        )
    return lines
