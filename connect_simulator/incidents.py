"""Named incidents layered on a simulation, for replaying alert rules against them (`dash alerts test`).

An incident changes one thing about an ordinary run: extra callers in one queue (a surge, or bursts that make a
queue flap around its service-level target), most agents logging out at once and back later, or the ingest
pipeline losing every real-time record (agent events, contact events, collector snapshots) for a while. Contact
records (Firehose to S3, another path) are untouched by an ingest outage. Its draws come from their own random
stream, so the run without an incident (the normal day) stays byte for byte the default simulation.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from connect_simulator.config import SimulationConfig, SimulationError, parse_start
from connect_simulator.workload import Arrival

MINUTE = 60_000
START = "2026-02-02T08:00:00Z"  # a Monday's opening: the lake's freshness rule watches opening hours only


@dataclass(frozen=True)
class Burst:
    """``count`` extra voice callers for ``queue`` arriving evenly at random in [start, start + minutes)."""

    queue: str
    start_min: int
    minutes: int
    count: int


@dataclass(frozen=True)
class Incident:
    """What goes wrong, when (minutes from the run's start), and the span worth replaying."""

    name: str
    summary: str
    bursts: tuple[Burst, ...] = ()
    logout_at_min: int | None = None  # this share of the logged-in agents log out at once...
    logout_share: float = 0.0
    back_after_min: int = 0  # ...and log back in this many minutes later
    outage_min: tuple[int, int] | None = None  # real-time records in [from, to) never reach the stores
    replay_min: tuple[int, int] = (30, 240)  # the span `dash alerts test` evaluates: after the morning log-ins
    agents: int = 50  # staffed for the day's traffic: the normal day keeps every queue above its target
    contacts: int = 500
    hours: float = 4.0

    def config(self, seed: int = 1) -> SimulationConfig:
        """The simulation of this incident: the same day and staff for every incident, only the incident differs."""
        name = "" if self.name == NORMAL_DAY else self.name
        return SimulationConfig(seed, self.agents, self.contacts, START, self.hours, incident=name)


NORMAL_DAY = "normal-day"
INCIDENTS: dict[str, Incident] = {
    incident.name: incident
    for incident in (
        Incident(NORMAL_DAY, "an ordinary morning, 08:00 to 12:00 UTC: nothing should page"),
        Incident(
            "queue-surge",
            "Support gets 160 extra callers in 25 minutes from 09:30 UTC",
            bursts=(Burst("Support", 90, 25, 160),),
        ),
        Incident(
            "mass-logout",
            "80% of the logged-in agents log out at 09:30 UTC and come back 40 minutes later",
            logout_at_min=90,
            logout_share=0.8,
            back_after_min=40,
        ),
        Incident(
            "ingest-outage",
            "no agent event, contact event or collector snapshot reaches the real-time store from 10:00 to 10:30 UTC",
            outage_min=(120, 150),
        ),
        Incident(
            "flapping-queue",
            "Billing gets a burst of 30 callers in 4 minutes every 20 minutes from 09:00 to 11:00 UTC",
            bursts=tuple(Burst("Billing", start, 4, 30) for start in range(60, 180, 20)),
        ),
    )
}


def incident(name: str) -> Incident:
    """The incident called ``name``; an unknown one is an error listing them."""
    if name not in INCIDENTS:
        raise SimulationError(f"no incident {name!r}; the incidents are: {', '.join(INCIDENTS)}")
    return INCIDENTS[name]


def extra_arrivals(config: SimulationConfig) -> list[Arrival]:
    """The incident's extra callers, in time order, from the incident's own random stream."""
    if not config.incident or config.incident == NORMAL_DAY:
        return []
    spec = incident(config.incident)
    rng = random.Random(f"{config.seed}:incident:{spec.name}")
    start = config.start_ms()
    times = [
        (start + (burst.start_min + rng.random() * burst.minutes) * MINUTE, burst.queue)
        for burst in spec.bursts
        for _ in range(burst.count)
    ]
    return [Arrival(int(t), "voice", queue) for t, queue in sorted(times)]


def logouts(config: SimulationConfig, agents: int) -> tuple[int, int, list[int]] | None:
    """(when, back at, agent indexes drawn) for a mass logout, or None."""
    if not config.incident:
        return None
    spec = incident(config.incident)
    if spec.logout_at_min is None:
        return None
    rng = random.Random(f"{config.seed}:incident:{spec.name}")
    chosen = sorted(rng.sample(range(agents), round(agents * spec.logout_share)))
    at = config.start_ms() + spec.logout_at_min * MINUTE
    return at, at + spec.back_after_min * MINUTE, chosen


# The time of a line of each real-time file, as the Lambdas read it.
_TIME_KEYS: dict[str, Callable[[dict[str, object]], object]] = {
    "agent_events.jsonl": lambda record: record.get("EventTimestamp"),
    "contact_events.jsonl": lambda record: record.get("time"),
    "collector/snapshots.jsonl": lambda record: record.get("collected_at"),
}


def drop_outage(directory: Path, config: SimulationConfig) -> dict[str, int]:
    """Remove the real-time records of the outage window from the files written in ``directory``; return each
    file's remaining line count (only when the incident has an outage)."""
    if not config.incident:
        return {}
    spec = incident(config.incident)
    if spec.outage_min is None:
        return {}
    start = config.start_ms()
    low, high = (start + minute * MINUTE for minute in spec.outage_min)
    kept: dict[str, int] = {}
    for name, time_of in _TIME_KEYS.items():
        path = directory / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        survivors = [line for line in lines if not low <= parse_start(str(time_of(json.loads(line)))) < high]
        path.write_text("".join(survivors), encoding="utf-8")
        kept[name] = len(survivors)
    return kept
