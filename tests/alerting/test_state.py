"""The state machine on hand-worked timelines: each list is (minute, result) in, (minute, state) out, worked out
by hand from pkg/services/ngalert/state/state.go and Grafana's docs, never by the code under test."""

from __future__ import annotations

from typing import Any

from alerting.evaluate import ALERTING, ERROR, NODATA, NORMAL, Result
from alerting.rule import parse_rule
from alerting.state import RuleState, Transition
from tests.alerting.rules import rule

SALES = (("queue", "Sales"),)
SUPPORT = (("queue", "Support"),)
MINUTE = 60_000
T0 = 1_769_904_000_000  # 2026-02-01T00:00:00Z


def run(raw: dict[str, Any], steps: list[tuple[float, list[Result]]], interval_s: float = 60) -> list[Transition]:
    """Advance a rule through ``steps`` (minute offset, results); every transition, in order."""
    state = RuleState(parse_rule(raw), interval_s)
    out: list[Transition] = []
    for minute, results in steps:
        out.extend(state.advance(results, T0 + round(minute * MINUTE)))
    return out


def changes(transitions: list[Transition]) -> list[tuple[float, str]]:
    return [((t.at - T0) / MINUTE, t.shown) for t in transitions]


def breach(labels: tuple[tuple[str, str], ...] = SALES) -> list[Result]:
    return [Result(labels, ALERTING)]


def ok(labels: tuple[tuple[str, str], ...] = SALES) -> list[Result]:
    return [Result(labels, NORMAL)]


def test_docs_example_pending_period_of_90s_at_30s_interval() -> None:
    """Grafana's docs: interval 30s, for 90s: Pending at 01:00, Alerting at 02:30, the fourth breaching evaluation."""
    steps = [(0.5, ok()), *((1 + i / 2, breach()) for i in range(5))]
    out = run(rule(pending="90s"), steps, interval_s=30)
    assert changes(out) == [(1.0, "Pending"), (2.5, "Alerting")]
    assert [t.fires for t in out] == [False, True]  # Pending never notifies


def test_a_breach_shorter_than_the_pending_period_never_fires() -> None:
    out = run(rule(pending="3m"), [(0, breach()), (1, breach()), (2, ok()), (3, breach()), (4, breach()), (5, ok())])
    assert changes(out) == [(0, "Pending"), (2, "Normal"), (3, "Pending"), (5, "Normal")]
    assert not any(t.fires or t.resolves for t in out)


def test_no_pending_period_fires_at_once_and_resolves() -> None:
    out = run(rule(), [(0, ok()), (1, breach()), (2, breach()), (3, ok())])
    assert changes(out) == [(1, "Alerting"), (3, "Normal")]
    assert out[0].fires and out[1].resolves


def test_keep_firing_for_holds_recovering_then_resolves_and_a_breach_returns_without_a_new_page() -> None:
    out = run(
        rule(keep_firing="2m"),
        [(0, breach()), (1, ok()), (2, breach()), (3, ok()), (4, ok()), (5, ok())],
    )
    assert changes(out) == [(0, "Alerting"), (1, "Recovering"), (2, "Alerting"), (3, "Recovering"), (5, "Normal")]
    assert [t.fires for t in out] == [True, False, False, False, False]
    assert out[-1].resolves


def test_each_label_set_is_its_own_instance() -> None:
    out = run(rule(pending="1m"), [(0, [*breach(SALES), *ok(SUPPORT)]), (1, [*breach(SALES), *breach(SUPPORT)])])
    assert [(t.labels, t.shown) for t in out] == [(SALES, "Pending"), (SALES, "Alerting"), (SUPPORT, "Pending")]


def test_no_data_option_no_data_enters_at_once_as_its_own_instance_and_old_series_resolve_missing() -> None:
    silent = [Result((("datasource_uid", "ds-1"), ("ref_id", "A")), NODATA)]
    out = run(rule(pending="5m"), [(0, breach()), (5, breach()), (6, silent), (7, silent), (8, silent)])
    assert [(t.labels, t.shown) for t in out] == [
        (SALES, "Pending"),
        (SALES, "Alerting"),
        (silent[0].labels, "NoData"),  # no pending period for NoData
        (SALES, "Normal (MissingSeries)"),
    ]
    # last seen at 5: at 7 it has been missing for 2 intervals (missing_series_evals_to_resolve, default 2)
    assert (out[2].at - T0) / MINUTE == 6 and (out[3].at - T0) / MINUTE == 7
    assert out[2].fires and out[3].resolves


def test_no_data_as_alerting_moves_existing_instances_and_honours_the_pending_period() -> None:
    nothing = [Result((), NODATA)]
    out = run(rule(pending="2m", no_data="Alerting"), [(0, ok()), (1, nothing), (2, nothing), (3, nothing)])
    assert [(t.labels, t.shown) for t in out] == [(SALES, "Pending (NoData)"), (SALES, "Alerting (NoData)")]
    assert (out[1].at - T0) / MINUTE == 3


def test_no_data_ok_and_keep_last() -> None:
    nothing = [Result((), NODATA)]
    as_ok = run(rule(no_data="OK"), [(0, breach()), (1, nothing)])
    assert changes(as_ok) == [(0, "Alerting"), (1, "Normal (NoData)")]
    kept = run(rule(no_data="KeepLast"), [(0, breach()), (1, nothing), (2, nothing), (3, ok())])
    # 2: still kept, same reason, no change to report
    assert changes(kept) == [(0, "Alerting"), (1, "Alerting (NoData, KeepLast)"), (3, "Normal")]


def test_no_data_before_any_instance_creates_one() -> None:
    out = run(rule(no_data="Alerting"), [(0, [Result((), NODATA)])])
    assert [(t.labels, t.shown) for t in out] == [((), "Alerting (NoData)")]


def test_exec_error_states() -> None:
    failed = [Result((), ERROR, error="query A: timeout")]
    as_error = run(rule(), [(0, breach()), (1, failed)])
    assert [(t.labels, t.shown) for t in as_error] == [(SALES, "Alerting"), ((), "Error")]
    assert as_error[1].error == "query A: timeout"
    as_alerting = run(rule(exec_err="Alerting", pending="1m"), [(0, ok()), (1, failed), (2, failed)])
    assert changes(as_alerting) == [(1, "Pending (Error)"), (2, "Alerting (Error)")]
    kept = run(rule(exec_err="KeepLast"), [(0, ok()), (1, failed)])
    assert changes(kept) == [(1, "Normal (Error, KeepLast)")]
