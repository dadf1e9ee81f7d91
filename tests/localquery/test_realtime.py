"""Real-time stat panels at fixed instants ("now" = --to), against what the simulation says was true then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.localquery.conftest import Engine
from tests.localquery.realtime_truth import agent_of
from tests.localquery.truth import instant, read_truth

# The ground truth has whole seconds (truncated); an instant at .999 s is on the same side of every one of them.
INSTANTS = [
    "2026-01-31T22:39:59.999Z",
    "2026-01-31T23:59:59.999Z",
    "2026-02-01T00:44:59.999Z",
    "2026-02-01T01:29:59.999Z",
]


def waiting(sim_dir: Path, now: str) -> int:
    """Contacts in a queue at ``now``: enqueued, not yet dequeued (answered, abandoned or moved on)."""
    at = instant(now)
    return sum(
        1
        for r in read_truth(sim_dir)
        if r["enqueued_at"]
        and instant(r["enqueued_at"]) <= at
        and (r["dequeued_at"] is None or instant(r["dequeued_at"]) > at)
    )


def agents_at(sim_dir: Path, now: str) -> dict[str, dict]:
    """Each agent's latest event at or before ``now``, from the agent event stream itself."""
    at = instant(now)
    latest: dict[str, dict] = {}
    with (sim_dir / "agent_events.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            when = instant(event["EventTimestamp"])
            if when <= at and (
                event["AgentARN"] not in latest or when >= instant(latest[event["AgentARN"]]["EventTimestamp"])
            ):
                latest[event["AgentARN"]] = event
    return latest


def online(event: dict) -> bool:
    return event["EventType"] != "LOGOUT" and event["CurrentAgentSnapshot"]["AgentStatus"]["Type"] != "OFFLINE"


@pytest.mark.parametrize("now", INSTANTS)
def test_waiting_now(engine: Engine, sim_dir: Path, now: str) -> None:
    start = "2026-01-31T21:00:00Z"
    assert engine.value("connect-rt-contacts", "waiting_count", start, now) == waiting(sim_dir, now)


@pytest.mark.parametrize("now", INSTANTS)
def test_agents_online_and_available(engine: Engine, sim_dir: Path, now: str) -> None:
    start = "2026-01-31T21:00:00Z"
    latest = [e for e in agents_at(sim_dir, now).values() if online(e)]
    available = [e for e in latest if agent_of(e).available()]  # Connect's Available: a free slot now
    assert engine.value("connect-rt-agents", "online", start, now) == len(latest)
    assert engine.value("connect-rt-agents", "available", start, now) == len(available)
    assert len(latest) > 0


@pytest.mark.parametrize("now", INSTANTS)
def test_abandoned_today(engine: Engine, sim_dir: Path, now: str) -> None:
    """CONTACTS_ABANDONED for contacts enqueued since midnight (UTC) that had left by ``now``."""
    at = instant(now)
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    expected = sum(
        1
        for r in read_truth(sim_dir)
        if r["abandoned"] and instant(r["enqueued_at"]) >= midnight and instant(r["disconnected_at"]) <= at
    )
    assert engine.value("connect-rt-contacts", "abandoned_today", "2026-01-31T21:00:00Z", now) == expected
