"""What happens to the centre, drawn up front: when customers arrive and when agents plan to work and pause.

Behaviour during contacts (ring, talk, holds, ACW, patience) is drawn by ``draw`` functions as the
simulation reaches each contact, all from the one random stream the engine passes in.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from connect_simulator.instance import Instance, Status

# Share of initial contacts by kind; callbacks and transfers are created from these during the run.
KINDS = (("voice", 0.62), ("ivr", 0.05), ("chat", 0.17), ("task", 0.08), ("outbound", 0.08))
VOICE_QUEUES = (("Sales", 0.4), ("Support", 0.4), ("Billing", 0.2))
CHAT_QUEUES = (("Sales", 0.35), ("Support", 0.45), ("Billing", 0.2))
TASK_QUEUES = (("Support", 0.6), ("Billing", 0.4))


@dataclass(frozen=True)
class Arrival:
    time: int
    kind: str  # voice, ivr, chat, task or outbound
    queue: str | None


@dataclass(frozen=True)
class PlanStep:
    time: int
    action: str  # login, npt, logout
    status: Status | None = None
    duration_ms: int = 0
    final: bool = False  # the end-of-shift logout, postponed while the agent's queues still hold contacts


def pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    for name, share in table:
        draw -= share
        if draw < 0:
            return name
    return table[-1][0]


def arrivals(rng: random.Random, count: int, start: int, span: int) -> list[Arrival]:
    """``count`` arrivals over the span, with a mid-period peak (about 2.5 times the base rate) that builds queues."""
    times: list[int] = []
    while len(times) < count:
        x = rng.random()
        rate = 1.0 + 1.5 * math.exp(-(((x - 0.35) / 0.07) ** 2))
        if rng.random() * 2.5 < rate:
            times.append(start + int(x * span))
    times.sort()
    out = []
    for t in times:
        kind = pick(rng, KINDS)
        queue = {"voice": VOICE_QUEUES, "chat": CHAT_QUEUES, "task": TASK_QUEUES}.get(kind)
        out.append(Arrival(t, kind, pick(rng, queue) if queue else None))
    return out


def agent_plan(rng: random.Random, instance: Instance, index: int, start: int, span: int) -> list[PlanStep]:
    """Login, breaks, lunch, training and logout for one agent; a few agents start late or leave early."""
    minute = 60_000
    end = start + span
    login = start + rng.randint(0, 8 * minute)
    logout = end + rng.randint(0, 5 * minute)
    final = True
    if index % 7 == 5 and span > 90 * minute:
        login = start + int(span * rng.uniform(0.2, 0.45))
    elif index % 7 == 3 and span > 90 * minute:
        logout, final = start + int(span * rng.uniform(0.6, 0.85)), False
    steps = [PlanStep(login, "login")]
    brk, lunch, training = instance.npt
    cursor = login + rng.randint(50, 110) * minute
    lunch_at = login + (logout - login) // 2 if logout - login > 5 * 60 * minute else None
    while cursor < logout - 20 * minute:
        if lunch_at is not None and cursor >= lunch_at:
            steps.append(PlanStep(cursor, "npt", lunch, rng.randint(30, 45) * minute))
            lunch_at = None
        elif rng.random() < 0.12:
            steps.append(PlanStep(cursor, "npt", training, rng.randint(20, 40) * minute))
        else:
            steps.append(PlanStep(cursor, "npt", brk, rng.randint(8, 16) * minute))
        cursor += rng.randint(80, 130) * minute
    steps.append(PlanStep(logout, "logout", final=final))
    return steps


def lognormal_ms(rng: random.Random, median_s: float, sigma: float, low_s: float, high_s: float) -> int:
    value = median_s * math.exp(rng.gauss(0.0, sigma))
    return int(min(max(value, low_s), high_s) * 1000)


def uniform_ms(rng: random.Random, low_s: float, high_s: float) -> int:
    return int(rng.uniform(low_s, high_s) * 1000)
