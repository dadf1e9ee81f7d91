"""The Queues dashboard through the local engine, against the agents' own states and the ground truth.

Instants are whole minutes, when the collector snapshots: "now" (--to) is the snapshot's time, so the
panel must show exactly the state every agent's latest event describes then.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashcompiler.compile import Model
from localquery.run import series
from tests.localquery.conftest import Engine
from tests.localquery.queue_truth import (
    AGENT_METRICS,
    CHANNELS,
    Key,
    Timelines,
    agent_metrics,
    queue_contacts,
    read_agent_events,
    standard_queues,
    summed,
)
from tests.localquery.truth import Truth, instant, read_truth

UID = "connect-rt-queues"
START = "2026-01-31T21:00:00Z"
# Minutes of the simulated evening with contacts waiting, callbacks scheduled or an agent in error, before and
# after midnight (and the month's end).
INSTANTS = [
    "2026-01-31T23:34:00Z",
    "2026-01-31T23:39:00Z",
    "2026-02-01T00:00:00Z",
    "2026-02-01T00:16:00Z",
    "2026-02-01T00:48:00Z",
    "2026-02-01T01:13:00Z",
    "2026-02-01T02:03:00Z",  # an agent who closed the contact control panel: LOGOUT while Available
]
QUEUES = ("Sales", "Support", "Billing")


def every(queue: str) -> set[Key]:
    return {(queue, c) for c in CHANNELS}


# --var assignments, and the results (key sets) whose values the panel adds up.
SELECTIONS: dict[str, tuple[list[str], list[set[Key]]]] = {
    "all queues and channels": ([], [set().union(*(every(q) for q in QUEUES))]),
    "one queue": (["queue=Billing"], [every("Billing")]),
    "one queue and channel": (["queue=Support", "channel=CHAT"], [{("Support", "CHAT")}]),
    "two queues": (["queue=Sales", "queue=Billing"], [every("Sales"), every("Billing")]),
    "one channel of every queue": (["channel=VOICE"], [{(q, "VOICE")} for q in QUEUES]),
}


@pytest.fixture(scope="module")
def timelines(sim_dir: Path) -> Timelines:
    return read_agent_events(sim_dir)


@pytest.fixture(scope="module")
def truth(sim_dir: Path) -> list[Truth]:
    return read_truth(sim_dir)


def expected_agents(timelines: Timelines, now: datetime, parts: list[set[Key]]) -> dict[str, int]:
    states = timelines.at(now)
    return summed(agent_metrics(states, keys) for keys in parts)


def test_the_simulation_has_the_queues_the_selections_name(truth: list[Truth]) -> None:
    assert standard_queues(truth) == sorted(QUEUES)


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_agent_and_slot_stats_count_each_agent_as_connect_does(
    engine: Engine, timelines: Timelines, now: str, selection: str
) -> None:
    assignments, parts = SELECTIONS[selection]
    expected = expected_agents(timelines, instant(now), parts)
    shown = {name: engine.value(UID, name, START, now, assignments) for name in AGENT_METRICS}
    assert shown == expected


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_contact_stats_match_the_ground_truth(engine: Engine, truth: list[Truth], now: str, selection: str) -> None:
    assignments, parts = SELECTIONS[selection]
    contacts = queue_contacts(truth, instant(now), set().union(*parts))
    assert contacts.ambiguous == 0, f"{now}: a contact's truncated time is this second; pick another instant"
    assert engine.value(UID, "contacts_in_queue", START, now, assignments) == contacts.in_queue
    assert engine.value(UID, "contacts_scheduled", START, now, assignments) == contacts.scheduled
    low, high = contacts.oldest_age
    assert low <= engine.value(UID, "oldest_contact_age", START, now, assignments) <= high


def test_the_instants_exercise_every_metric_and_the_double_count(timelines: Timelines, truth: list[Truth]) -> None:
    """Guard against a vacuous pass: something is nonzero, and summing per queue and channel would over-count."""
    every_key = [{key} for key in SELECTIONS["all queues and channels"][1][0]]
    totals = dict.fromkeys(AGENT_METRICS, 0)
    waiting = scheduled = 0
    for now in map(instant, INSTANTS):
        exact = expected_agents(timelines, now, SELECTIONS["all queues and channels"][1])
        naive = expected_agents(timelines, now, every_key)
        assert naive["agents_online"] > exact["agents_online"] > 0
        totals = summed([totals, exact])
        contacts = queue_contacts(truth, now, SELECTIONS["all queues and channels"][1][0])
        waiting, scheduled = waiting + contacts.in_queue, scheduled + contacts.scheduled
    assert all(totals[name] > 0 for name in AGENT_METRICS), totals
    assert waiting > 0 and scheduled > 0
    latest = [e for now in map(instant, INSTANTS) for e in timelines.at(now)]
    assert any(
        e["EventType"] == "LOGOUT" and e["CurrentAgentSnapshot"]["AgentStatus"]["Type"] == "ROUTABLE" for e in latest
    ), "no agent gone without going Offline"
    states = {c["State"] for e in latest for c in e["CurrentAgentSnapshot"]["Contacts"]}
    assert "ERROR" in states, "no agent whose offer failed to connect"


SERIES = {
    "agents_over_time": {
        "Online": "agents_online",
        "Available": "agents_available",
        "On contact": "agents_on_contact",
        "Contacts in ACW": "agents_after_contact_work",
        "Staffed": "agents_staffed",
        "Non-productive": "agents_non_productive",
        "Error": "agents_error",
    },
    "slots_over_time": {"Active": "slots_active", "Available": "slots_available"},
}


@pytest.mark.parametrize("panel", sorted(SERIES))
@pytest.mark.parametrize("selection", ["all queues and channels", "one queue", "one queue and channel"])
def test_over_time_series_follow_the_stats_minute_by_minute(
    engine: Engine, timelines: Timelines, panel: str, selection: str
) -> None:
    assignments, parts = SELECTIONS[selection]
    start, end = "2026-02-01T00:30:00Z", "2026-02-01T01:00:00Z"
    result = engine.panel(UID, panel, start, end, assignments)
    drawn = series([result])
    assert drawn.keys() == SERIES[panel].keys()
    minutes = [instant(start) + timedelta(minutes=i) for i in range(31)]
    for name, metric in SERIES[panel].items():
        shown = {at.replace(tzinfo=UTC): value for at, value in drawn[name].items()}
        expected = {m: float(expected_agents(timelines, m, parts)[metric]) for m in minutes}
        assert shown == expected, name


def _result(dimensions: dict[str, object], online: int) -> dict[str, object]:
    return {"Dimensions": dimensions, "Collections": [{"Metric": {"Name": "AGENTS_ONLINE"}, "Value": online}]}


def test_without_an_instance_row_all_queues_sum_the_queue_rows(build: Model, tmp_path: Path) -> None:
    """With over 100 queues the collector cannot ask for the instance total; All then adds the queues' rows."""
    queues = [{"Id": "q1", "Name": "Sales"}, {"Id": "q2", "Name": "Support"}]
    by_queue = [_result({"Queue": {"Id": q["Id"]}}, online) for q, online in zip(queues, (4, 6), strict=True)]
    by_channel = [_result({"Queue": {"Id": q["Id"]}, "Channel": c}, 3) for q in queues for c in CHANNELS]
    snapshot = {
        "collected_at": "2026-02-01T00:00:00.000Z",
        "instance_id": "i-1",
        "current_metric_data": [{"MetricResults": by_channel}, {"MetricResults": by_queue}],
        "queues": queues,
    }
    (tmp_path / "collector").mkdir()
    (tmp_path / "collector" / "snapshots.jsonl").write_text(json.dumps(snapshot) + "\n")
    (tmp_path / "manifest.json").write_text(json.dumps({"instance": {"id": "i-1"}}))
    engine = Engine(build, tmp_path, {})
    now = "2026-02-01T00:01:00Z"
    assert engine.value(UID, "agents_online", START, now) == 10
    assert engine.value(UID, "agents_online", START, now, ["queue=Support"]) == 6
    assert engine.value(UID, "agents_online", START, now, ["queue=Support", "channel=CHAT"]) == 3
