"""Expected GetCurrentMetricData values at an instant, from the agent event stream and the ground truth (no SQL).

Definitions as Amazon Connect's (and the simulator's, connect_simulator/metrics.py): an agent counts toward a
(queue, channel) when their routing profile routes that channel from that queue, and toward a result over
several of them once (agent counts) or summed over its channels (contacts in ACW, slots). Keys are
(queue name, channel) for the standard queues.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.localquery.truth import Truth, instant

CHANNELS = ("VOICE", "CHAT", "TASK")
AGENT_METRICS = (
    "agents_online",
    "agents_available",
    "agents_on_contact",
    "agents_after_contact_work",
    "agents_staffed",
    "agents_non_productive",
    "agents_error",
    "slots_active",
    "slots_available",
)
_ACTIVE = frozenset({"CONNECTED", "CONNECTED_ONHOLD", "ENDED"})  # plus an outbound call ringing
_BUSY = frozenset({"INCOMING", "CONNECTING", "CONNECTED", "CONNECTED_ONHOLD", "ENDED"})
Key = tuple[str, str]


@dataclass(frozen=True)
class Timelines:
    """Each agent's events in time order, to look up the state an agent was in at any instant."""

    times: dict[str, list[int]]
    events: dict[str, list[dict[str, Any]]]

    def at(self, moment: datetime) -> list[dict[str, Any]]:
        """Each agent's latest event at or before ``moment`` (agents with none yet are left out)."""
        at_ms = _ms(moment)
        found = []
        for arn, times in self.times.items():
            index = bisect.bisect_right(times, at_ms) - 1
            if index >= 0:
                found.append(self.events[arn][index])
        return found


def read_timelines(events: Iterable[Mapping[str, Any]]) -> Timelines:
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_agent.setdefault(event["AgentARN"], []).append(dict(event))
    for timeline in by_agent.values():
        timeline.sort(key=lambda e: _ms(instant(e["EventTimestamp"])))
    times = {arn: [_ms(instant(e["EventTimestamp"])) for e in evs] for arn, evs in by_agent.items()}
    return Timelines(times, by_agent)


def read_agent_events(data: Path) -> Timelines:
    with (data / "agent_events.jsonl").open(encoding="utf-8") as lines:
        return read_timelines(json.loads(line) for line in lines if line.strip())


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def _channel(name: str) -> str:
    return "TASK" if name == "TASKS" else name


def routes(event: Mapping[str, Any]) -> set[Key]:
    """The standard queues and channels the agent's routing profile routes (an agent's own queue has no name)."""
    profile = event["CurrentAgentSnapshot"]["Configuration"]["RoutingProfile"]
    return {(q["Name"], _channel(c)) for q in profile["InboundQueues"] if q["Name"] for c in q["Channels"]}


def free_slots(snapshot: Mapping[str, Any], channel: str) -> int:
    """Slots Connect would route a contact into: Available, nothing pending, no missed, rejected or failed offer
    to clear (as the Agents dashboard's Available), voice alone."""
    contacts = snapshot["Contacts"]
    if (
        snapshot["AgentStatus"]["Type"] != "ROUTABLE"
        or snapshot["NextAgentStatus"] is not None
        or any(c["State"] in ("MISSED", "REJECTED", "ERROR") for c in contacts)
    ):
        return 0
    maximum = next(
        (
            c["MaximumSlots"]
            for c in snapshot["Configuration"]["RoutingProfile"]["Concurrency"]
            if c["Channel"] == channel
        ),
        0,
    )
    if channel == "VOICE":
        return maximum if not contacts else 0
    if any(_channel(c["Channel"]) == "VOICE" for c in contacts):
        return 0
    in_use = sum(1 for c in contacts if _channel(c["Channel"]) == channel and c["State"] in _BUSY)
    return max(maximum - in_use, 0)


def _active(contact: Mapping[str, Any]) -> bool:
    return contact["State"] in _ACTIVE or (
        contact["State"] == "CONNECTING" and contact["InitiationMethod"] == "OUTBOUND"
    )


def agent_metrics(states: Iterable[Mapping[str, Any]], keys: set[Key]) -> dict[str, int]:
    """The agent metrics of one result over ``keys``, each agent counted once."""
    totals = dict.fromkeys(AGENT_METRICS, 0)
    for event in states:
        snapshot = event["CurrentAgentSnapshot"]
        channels = {c for _q, c in routes(event) & keys}
        if not channels or event["EventType"] == "LOGOUT" or snapshot["AgentStatus"]["Type"] == "OFFLINE":
            continue
        contacts = [c for c in snapshot["Contacts"] if _channel(c["Channel"]) in channels]
        free = [free_slots(snapshot, c) for c in channels]
        npt = snapshot["AgentStatus"]["Type"] == "CUSTOM"
        totals["agents_online"] += 1
        totals["agents_non_productive"] += npt
        totals["agents_staffed"] += not npt
        totals["agents_error"] += any(c["State"] in ("MISSED", "ERROR") for c in snapshot["Contacts"])
        totals["agents_available"] += any(free)
        totals["slots_available"] += sum(free)
        totals["agents_on_contact"] += any(_active(c) for c in contacts)
        totals["slots_active"] += sum(1 for c in contacts if _active(c))
        totals["agents_after_contact_work"] += sum(1 for c in contacts if c["State"] == "ENDED")
    return totals


def summed(results: Iterable[dict[str, int]]) -> dict[str, int]:
    """Several results added up, as the panels add several queues' (or channels') rows."""
    totals = dict.fromkeys(AGENT_METRICS, 0)
    for result in results:
        for name, value in result.items():
            totals[name] += value
    return totals


@dataclass(frozen=True)
class Contacts:
    in_queue: int
    oldest_age: tuple[int, int]  # bounds, whole seconds: the ground truth truncates its times to seconds
    scheduled: int
    ambiguous: int  # contacts whose truncated time equals the instant's second: cannot tell which side


def queue_contacts(truth: Iterable[Truth], moment: datetime, keys: set[Key]) -> Contacts:
    """CONTACTS_IN_QUEUE, OLDEST_CONTACT_AGE and CONTACTS_SCHEDULED over ``keys`` at ``moment`` (whole seconds)."""
    waiting: list[datetime] = []
    scheduled = ambiguous = 0
    second = moment.replace(microsecond=0)
    for r in truth:
        if r["queue_type"] != "STANDARD" or (r["queue"], r["channel"]) not in keys:
            continue
        fields = ("enqueued_at", "dequeued_at", *(("initiated_at", "scheduled_at") if r["scheduled_at"] else ()))
        times = [instant(r[k]) for k in fields if r[k]]
        ambiguous += any(t == second for t in times)
        entered, left = r["enqueued_at"], r["dequeued_at"]
        if entered and instant(entered) <= moment and (left is None or instant(left) > moment):
            waiting.append(instant(entered))
        if r["scheduled_at"] and instant(r["initiated_at"]) <= moment < instant(r["scheduled_at"]):
            scheduled += 1
    if not waiting:
        return Contacts(0, (0, 0), scheduled, ambiguous)
    age = int((second - min(waiting)) / timedelta(seconds=1))
    return Contacts(len(waiting), (age - 1, age), scheduled, ambiguous)


def standard_queues(truth: Iterable[Truth]) -> list[str]:
    return sorted({r["queue"] for r in truth if r["queue_type"] == "STANDARD"})
