"""Expected "Agents - history" rows in plain Python, from Amazon Connect's metric definitions (no SQL).

Status times walk each agent's events in the order the agent event stream emitted them (the file's order): the
state an event reports holds until that agent's next event. Definitions (Connect's historical metrics):
- Online time (SUM_ONLINE_TIME_AGENT): logged in, status other than Offline. A LOGOUT ends it, whatever status the
  agent had.
- Non-productive time (SUM_NON_PRODUCTIVE_TIME_AGENT): in a custom status.
- On contact time (SUM_CONTACT_TIME_AGENT): in Available with a contact connected, on hold or in after-contact work.
- Idle time (SUM_IDLE_TIME_AGENT): in Available with none of those and none being routed to the agent (ringing);
  time a contact sits missed or rejected counts (Connect adds contacts' error time to idle).
- Occupancy (AGENT_OCCUPANCY): on contact / (on contact + idle) x 100.
- Contacts missed (AGENT_NON_RESPONSE): each time a contact routed to the agent turned missed or rejected.
- Agent answer rate (AGENT_ANSWER_RATE): routed (not outbound) contacts the agent answered / answered + missed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.localquery.truth import Truth, handled, instant, mean, percent

TALKING = {"CONNECTED", "CONNECTED_ONHOLD", "ENDED", "PAUSED"}
RINGING = {"CONNECTING", "INCOMING", "PENDING"}
NOT_ANSWERED = {"MISSED", "REJECTED"}
INBOUND = {"INBOUND", "TRANSFER", "QUEUE_TRANSFER"}
Event = dict[str, Any]


@dataclass
class Tally:
    online: float = 0.0
    non_productive: float = 0.0
    contact: float = 0.0
    idle: float = 0.0
    missed: int = 0
    answered: set[str] = field(default_factory=set)


def read_events(data: Path) -> list[Event]:
    with (data / "agent_events.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _overlap(start: datetime, end: datetime, low: datetime, high: datetime) -> float:
    return max((min(end, high) - max(start, low)).total_seconds(), 0.0)


def _contact_kept(contact: Event, keep_contact: Callable[[Event], bool]) -> bool:
    return contact["InitiationMethod"] != "OUTBOUND" and keep_contact(contact)


def tallies(
    events: list[Event],
    start: str,
    end: str,
    keep_agent: Callable[[Event], bool] = lambda snapshot: True,
    keep_contact: Callable[[Event], bool] = lambda contact: True,
) -> dict[str, Tally]:
    """Per username: the status seconds within [start, end] and the offers missed and answered in it."""
    low, high = instant(start), instant(end)
    by_agent: dict[str, list[Event]] = defaultdict(list)
    seen: set[str] = set()
    for event in events:
        if event["EventId"] not in seen:  # a re-delivery is the same event
            seen.add(event["EventId"])
            by_agent[event["AgentARN"]].append(event)
    result: dict[str, Tally] = {}
    for agent_events in by_agent.values():
        tally = Tally()
        logged_in = True
        previous_states: dict[str, str] = {}
        for index, event in enumerate(agent_events):
            if event["EventType"] == "LOGIN":
                logged_in = True
            elif event["EventType"] == "LOGOUT":
                logged_in = False
            snapshot = event["CurrentAgentSnapshot"]
            at = instant(event["EventTimestamp"])
            until = instant(agent_events[index + 1]["EventTimestamp"]) if index + 1 < len(agent_events) else high
            seconds = _overlap(at, until, low, high)
            contacts = snapshot["Contacts"] or []
            states = {c["State"] for c in contacts}
            kind = snapshot["AgentStatus"]["Type"]
            if keep_agent(snapshot) and logged_in and kind != "OFFLINE":
                tally.online += seconds
                if kind == "CUSTOM":
                    tally.non_productive += seconds
                elif kind == "ROUTABLE" and states & TALKING:
                    tally.contact += seconds
                elif kind == "ROUTABLE" and not states & RINGING:
                    tally.idle += seconds
            for contact in contacts:
                was = previous_states.get(contact["ContactId"])
                if not keep_agent(snapshot) or not _contact_kept(contact, keep_contact) or not low <= at <= high:
                    continue
                if contact["State"] in NOT_ANSWERED and was not in NOT_ANSWERED:
                    tally.missed += 1
                connected = contact.get("ConnectedToAgentTimestamp")
                if connected and low <= instant(connected) <= high:
                    tally.answered.add(contact["ContactId"])
            previous_states = {c["ContactId"]: c["State"] for c in contacts}
        if agent_events:
            result[agent_events[-1]["CurrentAgentSnapshot"]["Configuration"]["Username"]] = tally
    return result


def expected_rows(
    truth: list[Truth],
    events: list[Event],
    start: str,
    end: str,
    keep: Callable[[Truth], bool] = lambda r: True,
    keep_agent: Callable[[Event], bool] = lambda snapshot: True,
    keep_contact: Callable[[Event], bool] = lambda contact: True,
) -> dict[str, tuple[object, ...]]:
    """Rows as the panel returns them, keyed by agent, columns after the agent's name."""
    contacts: dict[str, list[Truth]] = defaultdict(list)
    for record in handled(truth, start, end, keep):
        contacts[record["agent"]].append(record)
    times = tallies(events, start, end, keep_agent, keep_contact)
    rows: dict[str, tuple[object, ...]] = {}
    for name in set(contacts) | set(times):
        rs, t = contacts.get(name, []), times.get(name, Tally())
        answered = len(t.answered)
        if not rs and t.online <= 0 and not t.missed and not answered:
            continue
        rows[name] = (
            len(rs),
            sum(1 for r in rs if r["initiation_method"] in INBOUND),
            sum(1 for r in rs if r["initiation_method"] == "OUTBOUND"),
            mean(r["handle_s"] for r in rs),
            mean(r["acw_s"] for r in rs),
            mean(r["hold_s"] for r in rs if r["holds"]),
            percent_of(t.contact, t.contact + t.idle),
            percent(answered, answered + t.missed),
            t.missed,
            t.non_productive,
            t.idle,
            t.contact,
            t.online,
        )
    return rows


def percent_of(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None
