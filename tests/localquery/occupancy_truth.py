"""Each agent's on contact time, idle time and occupancy today, in plain Python from Amazon Connect's definitions
over the raw agent event stream (no SQL): each event's state holds until the agent's next event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from tests.localquery.realtime_truth import BLOCKING, Agent, agent_events, agent_of, is_on_contact
from tests.localquery.truth import instant


def state(agent: Agent) -> str | None:
    """Connect's SUM_CONTACT_TIME_AGENT counts time in a routable status on a contact; SUM_IDLE_TIME_AGENT time in a
    routable status handling nothing (a missed, rejected or failed contact included, an offer ringing not)."""
    if agent.status_type != "ROUTABLE":
        return None
    if any(is_on_contact(c) for c in agent.contacts):
        return "contact"
    if all(c["State"] in BLOCKING for c in agent.contacts):
        return "idle"
    return None


def occupancy_today(
    data: Path, since: datetime, now: str, keep: Callable[[Agent], bool] = lambda a: True
) -> dict[str, tuple[float, float, float]]:
    """Per agent username with contact or idle time: (on contact s, idle s, occupancy %), events in [since, now]
    in the stream's order (an agent's events of one millisecond in the order they came)."""
    at = instant(now)
    timelines: dict[str, list[tuple[datetime, Agent]]] = {}
    for event in agent_events(data):
        when = instant(event["EventTimestamp"])
        agent = agent_of(event)
        if since <= when <= at and keep(agent):
            timelines.setdefault(agent.username, []).append((when, agent))
    found = {}
    for username, timeline in timelines.items():
        timeline.sort(key=lambda pair: pair[0])  # stable: one millisecond's events stay in stream order
        spent = {"contact": 0.0, "idle": 0.0}
        for (start, agent), (end, _next) in pairwise(timeline):
            kind = state(agent)
            if kind:
                spent[kind] += (end - start).total_seconds()
        total = spent["contact"] + spent["idle"]
        if total:
            found[username] = (spent["contact"], spent["idle"], 100.0 * spent["contact"] / total)
    return found
