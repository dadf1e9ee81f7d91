"""The shipped rules (staging: Timestream SQL on the local engine) replayed over each simulated incident, asserting
when each rule fires and resolves. Pending periods and intervals are read from the compiled rules, so the assertions
follow dash.yaml's thresholds; the breach times come from each evaluation's own result (before the state machine).
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from alerting.evaluate import ALERTING
from alerting.replay import Replay
from alerting.rule import AlertRule, RuleGroup, Threshold
from alerttest.run import IncidentReplay, normal_day_pages, rule_groups, run_incidents
from connect_simulator.config import SimulationConfig
from connect_simulator.incidents import MINUTE, incident
from connect_simulator.output import simulate
from dashcompiler.compile import Model, compile_model
from tests.conftest import ROOT

SERVICE_LEVEL = "connect-queue-service-level"
COLLECTOR = "connect-ingest-collector-silent"
AGENT_EVENTS = "connect-ingest-agent-events-silent"
LAKE = "connect-lake-ctr-silent"
OLDEST = "connect-queue-oldest-contact"
WAITING = "connect-queue-waiting-no-agent"


@functools.cache
def model() -> Model:
    return compile_model(ROOT, "staging")


@functools.cache
def replayed(name: str, uids: tuple[str, ...] = ()) -> IncidentReplay:
    (run,) = run_incidents(model().alerts, model().env, [name], uids)
    return run


def rule_and_interval(uid: str) -> tuple[AlertRule, int]:
    groups: tuple[RuleGroup, ...] = rule_groups(model().alerts, [uid])
    return groups[0].rules[0], round(groups[0].interval_s * 1000)


def at(run: IncidentReplay, minute: int) -> int:
    """Epoch ms of ``minute`` minutes after the simulated day's start."""
    return run.simulation.start_ms() + minute * MINUTE


def breaches(replay: Replay, uid: str, label: tuple[str, str]) -> list[tuple[int, bool]]:
    """(time, result is Alerting) of the instance with ``label`` at every evaluation that returned it."""
    out = []
    for moment, results in replay.results_of(uid):
        for result in results:
            if label in result.labels:
                out.append((moment, result.state == ALERTING))
    return out


def onsets(points: list[tuple[int, bool]]) -> list[int]:
    """Times a breach starts: an Alerting result after a non-Alerting one (or first)."""
    return [t for i, (t, hot) in enumerate(points) if hot and (i == 0 or not points[i - 1][1])]


def hhmm(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%H:%M")


def test_nothing_pages_on_the_normal_day() -> None:
    run = replayed("normal-day")
    assert normal_day_pages([run]) == []
    assert run.replay.evaluations > 1000  # every rule of every group, minute by minute, 3 and a half hours


def test_service_level_fires_within_the_pending_period_plus_one_interval_of_a_queue_surge() -> None:
    run = replayed("queue-surge", (SERVICE_LEVEL,))
    rule, interval = rule_and_interval(SERVICE_LEVEL)
    support = _queue_label(run, "Support")
    points = breaches(run.replay, SERVICE_LEVEL, support)
    surge_start = at(run, incident("queue-surge").bursts[0].start_min)
    first = next(t for t in onsets(points) if t >= surge_start)
    assert not any(hot for t, hot in points if t < surge_start)  # Support met its target until the surge
    pages = [p for p in run.replay.pages(SERVICE_LEVEL) if support in p.labels]
    assert len(pages) == 1, [hhmm(p.at) for p in pages]
    # Pending from the first breaching evaluation; Alerting once the pending period has passed, within one interval
    pending = round(rule.for_s * 1000)
    assert first + pending <= pages[0].at <= first + pending + interval, (hhmm(first), hhmm(pages[0].at))
    resolved = [t for t in run.replay.of(SERVICE_LEVEL) if support in t.labels and t.resolves]
    assert len(resolved) == 1 and resolved[0].at > pages[0].at
    # The result turns Normal at the first evaluation past the recovery threshold (if any): Recovering from then,
    # resolved once keepFiringFor has passed (at once without it).
    last_breach = max(t for t, hot in points if hot and t < resolved[0].at)
    keep = -(-round(rule.keep_firing_for_s * 1000) // interval) * interval
    assert resolved[0].at == last_breach + interval + keep, (hhmm(last_breach), hhmm(resolved[0].at))


def test_freshness_fires_on_the_ingest_outage_and_resolves_when_records_flow_again() -> None:
    run = replayed("ingest-outage", (COLLECTOR, AGENT_EVENTS, LAKE))
    rule, interval = rule_and_interval(COLLECTOR)
    window = rule.queries[0].from_s * 1000
    low, high = (at(run, m) for m in incident("ingest-outage").outage_min or (0, 0))
    pages = run.replay.pages(COLLECTOR)
    assert len(pages) == 1
    # the first evaluation whose whole window lies in the outage: window after the outage starts, one interval late
    assert low + window <= pages[0].at <= low + window + interval, hhmm(pages[0].at)
    (resolved,) = [t for t in run.replay.of(COLLECTOR) if t.resolves]
    assert high <= resolved.at <= high + interval, hhmm(resolved.at)
    assert run.replay.pages(LAKE) == ()  # contact records take another path (Firehose to S3): not stale
    assert all(low <= p.at <= high + interval for p in run.replay.pages(AGENT_EVENTS))


def test_the_flapping_queue_does_not_page_on_every_crossing() -> None:
    """A crossing is the service level itself (the reduced value) going below the target, whatever the recovery
    threshold and the state machine then make of it."""
    run = replayed("flapping-queue", (SERVICE_LEVEL,))
    billing = _queue_label(run, "Billing")
    rule, _ = rule_and_interval(SERVICE_LEVEL)
    (threshold,) = [e for e in rule.expressions if isinstance(e, Threshold) and e.ref_id == rule.condition]
    below = [
        (moment, threshold.evaluator.holds(value))
        for moment, results in run.replay.results_of(SERVICE_LEVEL)
        for result in results
        if billing in result.labels and (value := result.values.get(threshold.input)) is not None
    ]
    crossings = onsets(below)
    pages = [p for p in run.replay.pages(SERVICE_LEVEL) if billing in p.labels]
    assert len(crossings) >= 3, [hhmm(t) for t in crossings]  # the bursts do take Billing below target, repeatedly
    assert len(pages) <= 1 < len(crossings), ([hhmm(t) for t in crossings], [hhmm(p.at) for p in pages])


def test_a_mass_logout_pages_on_the_queues_and_resolves_when_agents_return() -> None:
    run = replayed("mass-logout", (OLDEST, WAITING, SERVICE_LEVEL))
    spec = incident("mass-logout")
    logout = at(run, spec.logout_at_min or 0)
    pages = [p for uid in (OLDEST, WAITING, SERVICE_LEVEL) for p in run.replay.pages(uid)]
    assert pages and all(p.at >= logout for p in pages), [hhmm(p.at) for p in pages]
    states = {}
    for t in run.replay.transitions:
        states[(t.rule, t.labels)] = t.state
    assert all(state == "Normal" for state in states.values())  # every page resolved by the end of the replay


def _queue_label(run: IncidentReplay, name: str) -> tuple[str, str]:
    """The SL rule's label (queue_id) for the queue called ``name``, from the simulation's collector (ids are drawn
    per run)."""
    return ("queue_id", _queue_ids(run.simulation)[name])


@functools.cache
def _queue_ids(config: SimulationConfig) -> dict[str, str]:
    with TemporaryDirectory() as folder:
        simulate(Path(folder) / "sim", config)
        first = (Path(folder) / "sim" / "collector" / "snapshots.jsonl").read_text().splitlines()[0]
    return {q["Name"]: q["Id"] for q in json.loads(first)["queues"]}
