"""What was true at an instant, in plain Python, for the real-time panels (no SQL).

Agents: each agent's latest event of the last 15 minutes in the raw agent event stream. Contacts:
the simulator's ground truth per contact record, with the millisecond queue times of the raw
contact events (the ground truth has truncated seconds; real-time panels measure to the ms).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tests.localquery.truth import Truth, instant, read_truth

# Amazon Connect's real-time definitions: "on contact" is connected, on hold, in ACW, paused or an outbound call
# ringing; an agent with a missed, rejected or failed offer is not routed to until it is cleared.
ON_CONTACT = frozenset({"CONNECTED", "CONNECTED_ONHOLD", "ENDED", "PAUSED"})
ERROR = frozenset({"MISSED", "ERROR"})
BLOCKING = frozenset({"MISSED", "REJECTED", "ERROR"})
LEVELS = ("Level5", "Level4", "Level3", "Level2", "Level1")
SLOT_CHANNELS = {"VOICE": "VOICE", "CHAT": "CHAT", "TASKS": "TASK", "TASK": "TASK"}


@dataclass(frozen=True)
class Agent:
    """One agent as its latest event shows it."""

    username: str
    name: str
    status: str
    status_type: str
    status_start: datetime
    next_status: str | None
    profile: str
    group: str | None
    contacts: tuple[dict[str, Any], ...]
    slots: dict[str, int]

    def latest_contact(self) -> dict[str, Any] | None:
        """The contact whose state started last (the latest one listed on a tie)."""
        latest = None
        for contact in self.contacts:
            if latest is None or instant(contact["StateStartTimestamp"]) >= instant(latest["StateStartTimestamp"]):
                latest = contact
        return latest

    def states(self) -> set[str]:
        return {c["State"] for c in self.contacts}

    def on_contact(self) -> bool:
        return any(is_on_contact(c) for c in self.contacts)

    def free_slots(self) -> dict[str, int]:
        """Slots Connect would route into now: none unless routable with nothing pending or to clear; a voice
        contact takes the whole agent, so voice is free with no contact, chat and task without a voice one."""
        if self.status_type != "ROUTABLE" or self.next_status is not None or self.states() & BLOCKING:
            return {}
        on_voice = any(c["Channel"] == "VOICE" for c in self.contacts)
        return {
            channel: n
            for channel, n in self.slots.items()
            if (not self.contacts if channel == "VOICE" else not on_voice)
        }

    def available(self) -> bool:
        """Connect's Available: a contact could be routed to the agent now."""
        return sum(self.free_slots().values()) > 0


def is_on_contact(contact: dict[str, Any]) -> bool:
    return contact["State"] in ON_CONTACT or (
        contact["State"] == "CONNECTING" and contact["InitiationMethod"] == "OUTBOUND"
    )


@cache
def agent_events(data: Path) -> tuple[dict[str, Any], ...]:
    with (data / "agent_events.jsonl").open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def group_of(config: dict[str, Any]) -> str | None:
    """The deepest hierarchy level that is set, as the dashboard's hierarchy group."""
    groups = config.get("AgentHierarchyGroups") or {}
    return next((groups[level]["Name"] for level in LEVELS if (groups.get(level) or {}).get("Name")), None)


def agent_of(event: dict[str, Any]) -> Agent:
    snapshot = event["CurrentAgentSnapshot"]
    config, status = snapshot["Configuration"], snapshot["AgentStatus"]
    profile = config["RoutingProfile"]
    return Agent(
        username=config["Username"],
        name=f"{config['FirstName']} {config['LastName']}",
        status=status["Name"],
        status_type=status["Type"],
        status_start=instant(status["StartTimestamp"]),
        next_status=(snapshot.get("NextAgentStatus") or {}).get("Name") or None,
        profile=profile["Name"],
        group=group_of(config),
        # A snapshot can list one contact twice (the simulator re-offers a rejected chat in the same instant);
        # Timestream keeps one agent_contact row per contact and instant: the last listing.
        contacts=tuple({c["ContactId"]: c for c in snapshot["Contacts"]}.values()),
        slots={SLOT_CHANNELS[c["Channel"]]: c["AvailableSlots"] for c in profile["Concurrency"]},
    )


def online_agents(data: Path, now: str, keep: Callable[[Agent], bool] = lambda a: True) -> list[Agent]:
    """Agents whose latest event of the 15 minutes up to ``now`` is neither LOGOUT nor Offline."""
    at = instant(now)
    latest: dict[str, dict[str, Any]] = {}
    for event in agent_events(data):
        when = instant(event["EventTimestamp"])
        if at - timedelta(minutes=15) < when <= at:
            kept = latest.get(event["AgentARN"])
            if kept is None or when >= instant(kept["EventTimestamp"]):
                latest[event["AgentARN"]] = event
    agents = [agent_of(e) for e in latest.values() if e["EventType"] != "LOGOUT"]
    return [a for a in agents if a.status_type != "OFFLINE" and keep(a)]


def events_between(data: Path, start: str, end: str) -> list[dict[str, Any]]:
    """The agent events in [start, end], every one: events of one agent in the same millisecond are stored apart."""
    low, high = instant(start), instant(end)
    return [e for e in agent_events(data) if low <= instant(e["EventTimestamp"]) <= high]


@dataclass(frozen=True)
class Contact:
    """One contact record's truth, with its queue times to the millisecond from the raw contact events."""

    truth: Truth
    enqueued: datetime | None
    dequeued: datetime | None  # connected to an agent, else disconnected
    answered: datetime | None
    completed_event: bool


@cache
def contacts(data: Path) -> tuple[Contact, ...]:
    times: dict[str, dict[str, datetime]] = {}
    completed: set[str] = set()
    with (data / "contact_events.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            detail = {k.lower(): v for k, v in json.loads(line)["detail"].items()}
            marks = times.setdefault(detail["contactid"], {})
            if detail.get("queueinfo"):
                marks["enqueued"] = instant(detail["queueinfo"]["enqueueTimestamp"])
            agent = {k.lower(): v for k, v in (detail.get("agentinfo") or {}).items()}
            if agent.get("connectedtoagenttimestamp"):
                marks["answered"] = instant(agent["connectedtoagenttimestamp"])
            if detail.get("disconnecttimestamp"):
                marks["disconnected"] = instant(detail["disconnecttimestamp"])
            if detail["eventtype"] == "COMPLETED":
                completed.add(detail["contactid"])
    found = []
    for record in read_truth(data):
        marks = times.get(record["contact_id"], {})
        answered = marks.get("answered")
        found.append(
            Contact(
                truth=record,
                enqueued=marks.get("enqueued"),
                dequeued=answered or marks.get("disconnected"),
                answered=answered,
                completed_event=record["contact_id"] in completed,
            )
        )
    return tuple(found)


def at_or_before(moment: str | datetime | None, at: datetime) -> bool:
    if moment is None:
        return False
    return (instant(moment) if isinstance(moment, str) else moment) <= at


def state_at(contact: Contact, at: datetime) -> tuple[str, datetime] | None:
    """The contact's latest event at ``at`` and its time (whole seconds), from its truth timeline."""
    r = contact.truth
    steps = [
        ("INITIATED", r["initiated_at"]),
        ("CONNECTED_TO_SYSTEM", r["connected_to_system_at"]),
        ("QUEUED", r["enqueued_at"]),
        ("CONNECTED_TO_AGENT", r["connected_to_agent_at"]),
        ("DISCONNECTED", r["disconnected_at"]),
        ("COMPLETED", r["acw_end_at"] if contact.completed_event else None),
    ]
    passed = [(name, instant(when)) for name, when in steps if at_or_before(when, at)]
    return passed[-1] if passed else None


def active_at(data: Path, now: str, keep: Callable[[Truth], bool] = lambda r: True) -> dict[str, str]:
    """Contacts active at ``now`` by state: started, not COMPLETED, queued (however long ago) or an event in
    the last hour, and not disconnected without an agent (a disconnected contact that reached one is in
    after-contact work). ``keep`` sees a contact's queue only once it has entered it, as the contact events tell it."""
    at = instant(now)
    found: dict[str, str] = {}
    for contact in contacts(data):
        state = state_at(contact, at)
        queued = contact.enqueued is not None and contact.enqueued <= at
        if state is None or not keep(contact.truth if queued else {**contact.truth, "queue": None}):
            continue
        name, when = state
        over = name == "COMPLETED" or (name == "DISCONNECTED" and contact.truth["connected_to_agent_at"] is None)
        if not over and (name == "QUEUED" or when > at - timedelta(hours=1)):
            found[contact.truth["contact_id"]] = name
    return found


def queued_today(data: Path, now: str, keep: Callable[[Truth], bool] = lambda r: True) -> list[Contact]:
    """Contacts enqueued since midnight (UTC) and by ``now``."""
    at = instant(now)
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return [c for c in contacts(data) if c.enqueued is not None and midnight <= c.enqueued <= at and keep(c.truth)]


def service_level(queued: list[Contact], now: str, sl_seconds: int) -> float | None:
    """Connect's service level: removed from the queue within X s / queued x 100 (still waiting: not within)."""
    at = instant(now)
    within = sum(
        1
        for c in queued
        if c.dequeued is not None
        and c.dequeued <= at
        and c.enqueued
        and c.dequeued - c.enqueued <= timedelta(seconds=sl_seconds)
    )
    return 100.0 * within / len(queued) if queued else None


def waiting_longer_than(queued: list[Contact], now: str, seconds: int) -> int:
    """Contacts still in the queue at ``now`` that have waited more than ``seconds``."""
    at = instant(now)
    return sum(
        1
        for c in queued
        if (c.dequeued is None or c.dequeued > at) and c.enqueued and at - c.enqueued > timedelta(seconds=seconds)
    )
