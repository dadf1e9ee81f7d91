"""Replay rule groups over a span of time, as Grafana's scheduler would run them, through a caller's query runner.

Each group runs at every multiple of its interval (epoch-aligned) from the start to the end; every rule of the
group is evaluated with that time as "now" (grafana/grafana pkg/services/ngalert/schedule: one evaluation time
per tick for the group's rules), its queries over [now - from, now - to]. The runner answers a query at a time
(the local engine, an InfluxDB); nothing here knows how.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alerting.evaluate import QueryOutcome, Result, evaluate
from alerting.rule import AlertRule, DataQuery, RuleGroup
from alerting.state import RuleState, Transition

Runner = Callable[[AlertRule, DataQuery, int], QueryOutcome]  # (rule, query, now in epoch ms) -> frames


@dataclass(frozen=True)
class Replay:
    """What a replay found: every state change in time order, and how many evaluations ran."""

    start: int
    end: int
    transitions: tuple[Transition, ...]
    evaluations: int
    rules: tuple[AlertRule, ...]
    results: tuple[tuple[int, str, tuple[Result, ...]], ...] = ()  # (time, rule uid, results) of every evaluation

    def of(self, uid: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.rule == uid)

    def results_of(self, uid: str) -> tuple[tuple[int, tuple[Result, ...]], ...]:
        """Every evaluation of ``uid``: its time and results, before the state machine."""
        return tuple((at, results) for at, rule, results in self.results if rule == uid)

    def pages(self, uid: str) -> tuple[Transition, ...]:
        """The notifications that start an incident for ``uid`` (firing after not firing)."""
        return tuple(t for t in self.of(uid) if t.fires)


def ticks(interval_s: float, start: int, end: int) -> list[int]:
    """Evaluation times (epoch ms) in [start, end], at multiples of the interval."""
    step = round(interval_s * 1000)
    first = -(-start // step) * step
    return list(range(first, end + 1, step))


def replay(groups: Sequence[RuleGroup], runner: Runner, start: int, end: int) -> Replay:
    """Evaluate every rule of ``groups`` at each of its group's ticks in [start, end], in time order."""
    schedule: list[tuple[int, int, int, RuleGroup]] = []
    for g_index, group in enumerate(groups):
        schedule.extend((at, g_index, 0, group) for at in ticks(group.interval_s, start, end))
    schedule.sort(key=lambda item: (item[0], item[1]))
    states = {
        (g, rule.uid): RuleState(rule, group.interval_s) for g, group in enumerate(groups) for rule in group.rules
    }
    transitions: list[Transition] = []
    log: list[tuple[int, str, tuple[Result, ...]]] = []
    for at, g_index, _, group in schedule:
        for rule in group.rules:
            if rule.is_paused:
                continue
            state = states[(g_index, rule.uid)]
            outcomes = {query.ref_id: runner(rule, query, at) for query in rule.queries}
            results = evaluate(rule, outcomes, state.loaded())
            log.append((at, rule.uid, results))
            transitions.extend(state.advance(results, at))
    rules = tuple(rule for group in groups for rule in group.rules)
    return Replay(start, end, tuple(transitions), len(log), rules, tuple(log))
