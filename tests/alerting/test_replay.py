"""Replay of rule groups through a stand-in runner: ticks, queries' time ranges, recovery threshold over time."""

from __future__ import annotations

from alerting.evaluate import QueryOutcome
from alerting.replay import replay, ticks
from alerting.rule import AlertRule, DataQuery, parse_groups
from alerting.values import Frame
from tests.alerting.rules import group, rule

MINUTE = 60_000
T0 = 1_769_904_000_000  # 2026-02-01T00:00:00Z


def test_ticks_are_multiples_of_the_interval_within_the_span() -> None:
    assert ticks(60, T0 + 1, T0 + 3 * MINUTE) == [T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]
    assert ticks(300, T0, T0 + 9 * MINUTE) == [T0, T0 + 5 * MINUTE]


def test_recovery_threshold_over_a_replay() -> None:
    """Fire above 80, recover below 70. Values by minute: 85 fires, 75 and 72 stay firing (not below 70), 65 resolves,
    75 again does not fire (above 70 but not above 80)."""
    by_minute = {0: 85.0, 1: 75.0, 2: 72.0, 3: 65.0, 4: 75.0}
    seen: list[tuple[str, int]] = []

    def runner(rule_: AlertRule, query: DataQuery, now: int) -> QueryOutcome:
        seen.append((query.ref_id, query.from_s))
        return (Frame(("queue", "wait"), (("Sales", by_minute[(now - T0) // MINUTE]),)),)

    groups = parse_groups(group(rule(unload={"type": "lt", "params": [70]})))
    result = replay(groups, runner, T0, T0 + 4 * MINUTE)
    assert [((t.at - T0) // MINUTE, t.shown) for t in result.transitions] == [(0, "Alerting"), (3, "Normal")]
    assert result.evaluations == 5 and seen[0] == ("A", 900)
    assert len(result.pages("r1")) == 1


def test_paused_rules_do_not_evaluate() -> None:
    paused = rule()
    paused["isPaused"] = True
    result = replay(parse_groups(group(paused)), lambda r, q, now: (), T0, T0 + 2 * MINUTE)
    assert result.evaluations == 0 and result.transitions == ()
