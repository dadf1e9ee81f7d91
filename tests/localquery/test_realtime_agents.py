"""Every panel of the real-time Agents dashboard at fixed instants, against the raw agent event stream in plain Python."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.localquery.conftest import Engine
from tests.localquery.realtime_truth import (
    BLOCKING,
    ERROR,
    Agent,
    agent_events,
    agent_of,
    events_between,
    is_on_contact,
    online_agents,
)
from tests.localquery.truth import instant

UID = "connect-rt-agents"
START = "2026-01-31T21:00:00Z"
# Whole-second ground truth vs millisecond events: an instant at .999 s sits on one side of both.
INSTANTS = [
    "2026-01-31T22:22:59.999Z",  # an agent with a missed or rejected contact
    "2026-01-31T22:50:59.999Z",  # agents with several contacts, the latest not the one in ACW (and the reverse)
    "2026-01-31T22:57:59.999Z",  # an agent on contact whose latest contact is an inbound offer ringing
    "2026-01-31T23:36:59.999Z",  # agents with an outbound call ringing (on contact)
    "2026-01-31T23:30:59.999Z",
    "2026-02-01T00:15:59.999Z",  # after midnight, an agent in error
    "2026-02-01T01:29:59.999Z",
    "2026-02-01T00:47:59.999Z",  # an agent whose voice offer failed to connect (ERROR)
    "2026-02-01T02:03:59.999Z",  # agents who closed the contact control panel (LOGOUT while Available)
]
NOW = pytest.mark.parametrize("now", INSTANTS)
COUNTS: dict[str, Callable[[Agent], bool]] = {
    "online": lambda a: True,
    "available": Agent.available,
    "on_contact": Agent.on_contact,
    "after_contact_work": lambda a: "ENDED" in a.states(),
    "non_productive": lambda a: a.status_type == "CUSTOM",
    "error": lambda a: bool(a.states() & ERROR),
    "error_alert": lambda a: bool(a.states() & BLOCKING),
    "staffed": lambda a: a.status_type != "CUSTOM",
}
FILTERS = pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], lambda a: True),
        (["routing_profile=Sales Voice"], lambda a: a.profile == "Sales Voice"),
        (["hierarchy_group=London Support Omnichannel"], lambda a: a.group == "London Support Omnichannel"),
        # agent counts and statuses are per agent: a queue selection narrows only the table's rows
        (["queue=Sales"], lambda a: True),
    ],
    ids=["all", "routing-profile", "hierarchy-group", "queue"],
)


@NOW
@FILTERS
@pytest.mark.parametrize("panel", list(COUNTS))
def test_agent_counts(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep, panel: str) -> None:
    expected = sum(1 for a in online_agents(sim_dir, now, keep) if COUNTS[panel](a))
    assert engine.value(UID, panel, START, now, assignments) == expected


def test_scenario_has_what_the_counts_tell_apart(sim_dir: Path) -> None:
    """The counts are proven only if the instants hold agents in each case, several contacts at once among them."""
    agents = [a for now in INSTANTS for a in online_agents(sim_dir, now)]
    for panel in ("available", "on_contact", "after_contact_work", "non_productive", "error"):
        assert any(COUNTS[panel](a) for a in agents), f"no agent counted by {panel}"
    for panel in ("after_contact_work", "on_contact"):  # where "any contact" and "the latest" differ
        assert any(COUNTS[panel](a) != latest_only(panel, a) for a in agents), f"{panel}: no agent tells them apart"
    assert {a.profile for a in agents} > {"Sales Voice"} and any(a.group for a in agents)
    # where Connect's definitions differ from "no contact" / "any contact" readings
    assert any(a.available() and a.contacts for a in agents), "no agent available while on a contact"
    assert any(a.status_type == "ROUTABLE" and not a.available() for a in agents), "no routable agent unavailable"
    assert any(a.on_contact() and a.states() <= {"ENDED"} for a in agents), "no agent on contact through ACW alone"
    assert any(
        any(c["State"] == "CONNECTING" and c["InitiationMethod"] == "OUTBOUND" for c in a.contacts) for a in agents
    ), "no outbound call ringing"
    assert any(a.status_type == "CUSTOM" for a in agents), "no agent in a custom status"
    assert any("ERROR" in a.states() for a in agents), "no agent whose offer failed to connect"
    assert any(closed_the_ccp(sim_dir, now) for now in INSTANTS), "no agent gone without going Offline"


def closed_the_ccp(sim_dir: Path, now: str) -> list[str]:
    """Agents whose latest event of the 15 minutes to ``now`` is a LOGOUT that still shows a routable status."""
    at = instant(now)
    latest: dict[str, dict] = {}
    for event in agent_events(sim_dir):
        if at - timedelta(minutes=15) < instant(event["EventTimestamp"]) <= at:
            latest[event["AgentARN"]] = event
    return [
        arn
        for arn, event in latest.items()
        if event["EventType"] == "LOGOUT" and event["CurrentAgentSnapshot"]["AgentStatus"]["Type"] == "ROUTABLE"
    ]


def latest_only(panel: str, agent: Agent) -> bool:
    """The same count from the latest contact's state alone (the agent_state row), which misses the others."""
    latest = agent.latest_contact()
    if latest is None:
        return False
    return latest["State"] == "ENDED" if panel == "after_contact_work" else is_on_contact(latest)


@NOW
@FILTERS
def test_status_summary(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    expected = Counter(a.status for a in online_agents(sim_dir, now, keep))
    assert Counter(dict(engine.panel(UID, "status_summary", START, now, assignments).rows)) == expected


@NOW
@pytest.mark.parametrize("channels", [[], ["VOICE"], ["CHAT", "TASK"]], ids=["all", "voice", "chat-task"])
def test_available_slots_per_channel(engine: Engine, sim_dir: Path, now: str, channels: list[str]) -> None:
    shown = channels or ["VOICE", "CHAT", "TASK"]
    slots = Counter({channel: 0 for channel in shown})
    for agent in online_agents(sim_dir, now):
        slots.update({c: n for c, n in agent.free_slots().items() if c in shown})
    result = engine.panel(UID, "slots", START, now, [f"channel={c}" for c in channels])
    assert dict(result.rows) == dict(slots)


def table_row(agent: Agent, at: datetime) -> tuple[object, ...]:
    latest = agent.latest_contact()
    return (
        agent.username,
        agent.name,
        agent.status,
        (at - agent.status_start) // timedelta(seconds=1),
        latest["State"] if latest else None,
        (latest["Queue"] or {}).get("Name") if latest else None,
        agent.profile,
    )


@NOW
@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], lambda a: True),
        (["routing_profile=Sales Voice"], lambda a: a.profile == "Sales Voice"),
        (["queue=Sales"], lambda a: a.latest_contact() is not None and a.latest_contact()["Queue"]["Name"] == "Sales"),
    ],
    ids=["all", "routing-profile", "queue"],
)
def test_agent_table(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    at = instant(now)
    expected = sorted(table_row(a, at) for a in online_agents(sim_dir, now, keep))
    assert engine.panel(UID, "agent_table", START, now, assignments).rows == expected


def five_minutes(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0, tzinfo=None)


@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], lambda a: True),
        (["routing_profile=Sales Voice"], lambda a: a.profile == "Sales Voice"),
        (["hierarchy_group=London Support Omnichannel"], lambda a: a.group == "London Support Omnichannel"),
        # agent counts and statuses are per agent: a queue selection narrows only the table's rows
        (["queue=Sales"], lambda a: True),
    ],
    ids=["all", "routing-profile", "hierarchy-group", "queue"],
)
def test_agents_by_status_over_time(engine: Engine, sim_dir: Path, assignments: list[str], keep) -> None:
    start, end = "2026-01-31T23:00:00Z", "2026-02-01T00:30:00Z"  # across midnight and the month's end
    seen: dict[tuple[str, datetime], set[str]] = defaultdict(set)
    for event in events_between(sim_dir, start, end):
        agent = agent_of(event)
        if agent.status_type != "OFFLINE" and keep(agent):
            seen[(agent.status, five_minutes(instant(event["EventTimestamp"])))].add(event["AgentARN"])
    result = engine.panel(UID, "by_status_over_time", start, end, assignments)
    actual = {(status, point["time"]): point["value"] for status, series in result.rows for point in series}
    assert actual == {key: float(len(agents)) for key, agents in seen.items()}


@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], lambda a, c: True),
        (["routing_profile=Sales Voice"], lambda a, c: a.profile == "Sales Voice"),
        (["hierarchy_group=London Support Omnichannel"], lambda a, c: a.group == "London Support Omnichannel"),
        (["queue=Sales"], lambda a, c: (c["Queue"] or {}).get("Name") == "Sales"),
        (["channel=CHAT"], lambda a, c: c["Channel"] == "CHAT"),
    ],
    ids=["all", "routing-profile", "hierarchy-group", "queue", "channel"],
)
def test_missed_and_rejected_per_agent(engine: Engine, sim_dir: Path, assignments: list[str], keep) -> None:
    """Distinct contacts each agent missed or rejected over the whole day, with the agent's profile then."""
    start, end = "2026-01-31T21:00:00Z", "2026-02-01T03:00:00Z"
    failed: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"MISSED": set(), "REJECTED": set()})
    for event in events_between(sim_dir, start, end):
        agent = agent_of(event)
        for contact in agent.contacts:
            if contact["State"] in ("MISSED", "REJECTED") and keep(agent, contact):
                failed[agent.username][contact["State"]].add(contact["ContactId"])
    expected = {name: (len(s["MISSED"]), len(s["REJECTED"])) for name, s in failed.items()}
    result = engine.panel(UID, "missed_rejected", start, end, assignments)
    assert {row[0]: row[1:] for row in result.rows} == expected
    if not assignments:
        assert any(m for m, _r in expected.values()), "no missed contact"
    totals = [m + r for _agent, m, r in result.rows]
    assert totals == sorted(totals, reverse=True)


def test_rejections_survive_events_in_the_same_millisecond(engine: Engine, sim_dir: Path) -> None:
    """Every rejected or missed offer in the stream is counted, events of the same millisecond included."""
    start, end = "2026-01-31T21:00:00Z", "2026-02-01T03:00:00Z"
    rejected = {
        (e["CurrentAgentSnapshot"]["Configuration"]["Username"], c["ContactId"])
        for e in agent_events(sim_dir)
        for c in e["CurrentAgentSnapshot"]["Contacts"]
        if c["State"] == "REJECTED"
    }
    assert rejected, "no rejected contact in the stream"
    result = engine.panel(UID, "missed_rejected", start, end)
    assert sum(row[2] for row in result.rows) == len(rejected)
