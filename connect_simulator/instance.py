"""The simulated Amazon Connect instance: queues, routing profiles, statuses, hierarchy and agents.

Everything here is fixed for the run; identifiers come from the run's random stream so that the same seed
gives the same ARNs and a different seed gives different ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ACCOUNT = "123456789012"
REGION = "eu-west-2"
CHANNELS = ("VOICE", "CHAT", "TASK")

_FIRST = ("Alex", "Sam", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla")
_LAST = ("Smith", "Jones", "Patel", "Brown", "Khan", "Taylor", "Evans", "Wilson", "Clarke", "Hughes", "Ali")
_SITES = ("London", "Leeds")
_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # version and variant bits
_SET = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


def new_id(rng: random.Random) -> str:
    """A version-4 UUID drawn from the run's stream (never ``uuid.uuid4``, which reads the OS).

    Same text as ``str(uuid.UUID(int=bits, version=4))``, formatted directly because it runs per event.
    """
    bits = (rng.getrandbits(128) & _CLEAR) | _SET
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@dataclass(frozen=True)
class Queue:
    id: str
    arn: str
    name: str | None
    queue_type: str  # STANDARD, or AGENT for an agent's own queue (whose name Connect leaves null)


@dataclass(frozen=True)
class Status:
    arn: str
    name: str
    type: str  # ROUTABLE, CUSTOM or OFFLINE


@dataclass(frozen=True)
class Group:
    arn: str
    name: str


@dataclass(frozen=True)
class RoutingProfile:
    id: str
    arn: str
    name: str
    queues: tuple[tuple[Queue, tuple[str, ...]], ...]  # standard queue and the channels routed from it
    concurrency: tuple[tuple[str, int], ...]  # channel -> maximum slots
    outbound: Queue

    def max_slots(self, channel: str) -> int:
        for name, slots in self.concurrency:
            if name == channel:
                return slots
        return 0


@dataclass(frozen=True)
class Agent:
    index: int
    id: str
    arn: str
    username: str
    first_name: str
    last_name: str
    profile: RoutingProfile
    hierarchy: tuple[Group, ...]  # Level1.. ; empty when the agent has no hierarchy group (Connect sends null)
    own_queue: Queue


@dataclass(frozen=True)
class Instance:
    id: str
    arn: str
    queues: tuple[Queue, ...]  # standard queues only, as ListQueues(QueueTypes=STANDARD) returns them
    profiles: tuple[RoutingProfile, ...]
    agents: tuple[Agent, ...]
    available: Status
    offline: Status
    npt: tuple[Status, ...]

    def queue(self, name: str) -> Queue:
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)


def build_instance(rng: random.Random, agent_count: int) -> Instance:
    """Three standard queues, three routing profiles with channel concurrency, and ``agent_count`` agents."""
    instance_id = new_id(rng)
    arn = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{instance_id}"

    def queue(name: str) -> Queue:
        qid = new_id(rng)
        return Queue(qid, f"{arn}/queue/{qid}", name, "STANDARD")

    sales, support, billing = queue("Sales"), queue("Support"), queue("Billing")

    def profile(
        name: str, queues: tuple[tuple[Queue, tuple[str, ...]], ...], conc: tuple[int, int, int], out: Queue
    ) -> RoutingProfile:
        pid = new_id(rng)
        concurrency = tuple((c, n) for c, n in zip(CHANNELS, conc, strict=True) if n)
        return RoutingProfile(pid, f"{arn}/routing-profile/{pid}", name, queues, concurrency, out)

    profiles = (
        profile("Sales Voice", ((sales, ("VOICE", "CHAT")), (billing, ("VOICE",))), (1, 2, 0), sales),
        profile(
            "Support Omnichannel",
            ((support, ("VOICE", "CHAT", "TASK")), (billing, ("CHAT", "TASK"))),
            (1, 3, 2),
            support,
        ),
        profile(
            "Billing Specialist", ((billing, ("VOICE", "CHAT", "TASK")), (support, ("VOICE",))), (1, 2, 1), billing
        ),
    )

    def status(name: str, type_: str) -> Status:
        return Status(f"{arn}/agent-state/{new_id(rng)}", name, type_)

    available, offline = status("Available", "ROUTABLE"), status("Offline", "OFFLINE")
    npt = (status("Break", "CUSTOM"), status("Lunch", "CUSTOM"), status("Training", "CUSTOM"))

    top = Group(f"{arn}/agent-group/{new_id(rng)}", "Contact Centre")
    sites = {s: Group(f"{arn}/agent-group/{new_id(rng)}", s) for s in _SITES}
    teams = {(s, p.name): Group(f"{arn}/agent-group/{new_id(rng)}", f"{s} {p.name}") for s in _SITES for p in profiles}

    agents = []
    for index in range(agent_count):
        aid = new_id(rng)
        prof = profiles[index % len(profiles)]
        site = _SITES[(index // len(profiles)) % len(_SITES)]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        hierarchy = () if index % 10 == 9 else (top, sites[site], teams[(site, prof.name)])
        agents.append(
            Agent(
                index=index,
                id=aid,
                arn=f"{arn}/agent/{aid}",
                username=f"{first.lower()}.{last.lower()}{index + 1:03d}",
                first_name=first,
                last_name=last,
                profile=prof,
                hierarchy=hierarchy,
                own_queue=Queue(f"agent/{aid}", f"{arn}/queue/agent/{aid}", None, "AGENT"),
            )
        )
    return Instance(instance_id, arn, (sales, support, billing), profiles, tuple(agents), available, offline, npt)
