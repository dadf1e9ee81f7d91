"""How customers and agents behave during a contact: every duration and choice the engine draws.

Kept apart from the engine so the state machine reads as state changes and the numbers can be tuned in
one place. Times are milliseconds; every function takes the run's random stream.
"""

from __future__ import annotations

import random

from connect_simulator.workload import lognormal_ms, pick, uniform_ms

SYSTEM_NUMBERS = {"Sales": "+442080000101", "Support": "+442080000202", "Billing": "+442080000303"}
OTHER_NUMBER = "+442080000999"
_INTENTS = ("new_order", "order_status", "fault", "refund", "account", "upgrade")
_TIERS = ("Bronze", "Silver", "Gold")
_TASK_TYPES = ("email_followup", "case_review", "refund_approval")
_HANDLED_REASONS = {
    "VOICE": (
        ("CUSTOMER_DISCONNECT", 0.55),
        ("AGENT_DISCONNECT", 0.37),
        ("TELECOM_PROBLEM", 0.04),
        ("THIRD_PARTY_DISCONNECT", 0.04),
    ),
    "CHAT": (("CUSTOMER_DISCONNECT", 0.55), ("AGENT_DISCONNECT", 0.4), ("EXPIRED", 0.05)),
    "TASK": (("AGENT_DISCONNECT", 0.95), ("API", 0.05)),
}
_IVR_REASONS = (("CONTACT_FLOW_DISCONNECT", 0.6), ("CUSTOMER_DISCONNECT", 0.35), ("TELECOM_PROBLEM", 0.05))
_RING = {"VOICE": (2, 9), "CHAT": (1, 6), "TASK": (1, 8), "CALLBACK": (3, 15)}
_TALK = {"VOICE": (200, 0.6, 20, 1800), "CHAT": (360, 0.5, 30, 2400), "TASK": (240, 0.6, 20, 3600)}
_ACW_MEDIAN = {"VOICE": 35, "CHAT": 20, "TASK": 10}
CALLBACK_SHARE = 0.12
FLOW_DISCONNECT_SHARE = 0.08
TRANSFER_SHARE = 0.08
TRANSFER_TO_AGENT_SHARE = 0.3
CALLBACK_RETRIES = 2  # the Transfer to queue block's "Maximum amount of attempts": retries after the first


def phone(rng: random.Random) -> str:
    return f"+4477009{rng.randrange(10**5):05d}"


def attributes(rng: random.Random, channel: str) -> dict[str, str]:
    if channel == "TASK":
        return {"TaskType": rng.choice(_TASK_TYPES)}
    return {"Intent": rng.choice(_INTENTS), "CustomerTier": rng.choice(_TIERS)}


def system_connect_ms(rng: random.Random) -> int:
    return uniform_ms(rng, 0.2, 1.5)


def ivr_only(rng: random.Random) -> tuple[int, str]:
    """Self-service call that never queues: (time in the flow, disconnect reason)."""
    return lognormal_ms(rng, 40, 0.5, 5, 300), pick(rng, _IVR_REASONS)


def flow_and_patience(rng: random.Random, channel: str) -> tuple[int, str, int]:
    """(time in the flow before the queue, what running out of patience means, patience ms).

    Some callers take a callback instead of waiting; for some the queue flow ends its prompt loop and hangs
    up without offering one ("flow_disconnect"); a few hang up the instant they are queued (0 s).
    Tasks have no customer waiting and expire after two hours.
    """
    if channel == "VOICE":
        flow = lognormal_ms(rng, 25, 0.5, 5, 120)
        draw = rng.random()
        if draw < CALLBACK_SHARE:
            return flow, "callback", uniform_ms(rng, 30, 120)
        if draw < CALLBACK_SHARE + FLOW_DISCONNECT_SHARE:
            return flow, "flow_disconnect", uniform_ms(rng, 2, 25)
        return flow, "abandon", 0 if rng.random() < 0.03 else int(rng.expovariate(1 / 180) * 1000) + 1000
    if channel == "CHAT":
        flow = uniform_ms(rng, 2, 10)
        return flow, "abandon", 0 if rng.random() < 0.01 else int(rng.expovariate(1 / 300) * 1000) + 1000
    return uniform_ms(rng, 0.2, 1), "expire", 2 * 3_600_000


def transferred_patience_ms(rng: random.Random) -> int:
    return int(rng.expovariate(1 / 200) * 1000) + 1000


def callback_delay_ms(rng: random.Random) -> int:
    return uniform_ms(rng, 60, 300)


def callback_unanswered(rng: random.Random, share: float) -> bool:
    """Whether the customer leaves the dialled callback unanswered (its own stream: other draws stay as they were)."""
    return rng.random() < share


def callback_retry_ms(rng: random.Random) -> int:
    """The block's "Minimum time between attempts" plus the wait for a routing slot."""
    return uniform_ms(rng, 120, 300)


def offer(rng: random.Random, channel: str, method: str) -> tuple[bool, int]:
    """(missed?, ms until the agent answers or the offer times out / is rejected)."""
    if rng.random() < (0.05 if channel == "VOICE" else 0.04):
        return True, 20_000 if channel == "VOICE" else uniform_ms(rng, 3, 15)
    return False, uniform_ms(rng, *_RING["CALLBACK" if method == "CALLBACK" else channel])


def clear_missed_ms(rng: random.Random, state: str) -> int:
    """How long a missed (voice) or rejected (chat, task) offer stays in the agent's snapshot."""
    return uniform_ms(rng, 5, 45) if state == "MISSED" else uniform_ms(rng, 0.5, 2)


def outbound_ring_ms(rng: random.Random) -> int:
    return uniform_ms(rng, 4, 20)


def conversation(rng: random.Random, channel: str, method: str) -> tuple[int, list[tuple[int, int]]]:
    """(total ms from connect to disconnect, holds as (offset ms, duration ms)); only voice goes on hold."""
    talk = lognormal_ms(rng, 150, 0.7, 10, 1200) if method == "OUTBOUND" else lognormal_ms(rng, *_TALK[channel])
    count = rng.choice((1, 1, 1, 2, 2, 3)) if channel == "VOICE" and rng.random() < 0.25 else 0
    weights = [rng.random() + 0.2 for _ in range(count + 1)]
    holds, cursor = [], 0
    for index in range(count):
        cursor += int(talk * weights[index] / sum(weights))
        duration = lognormal_ms(rng, 40, 0.6, 5, 300)
        holds.append((cursor, duration))
        cursor += duration
    return cursor + int(talk * weights[-1] / sum(weights)), holds


def transfers(rng: random.Random, channel: str, method: str) -> bool:
    return channel != "TASK" and method != "OUTBOUND" and rng.random() < TRANSFER_SHARE


def handled_reason(rng: random.Random, channel: str) -> str:
    return pick(rng, _HANDLED_REASONS[channel])


def acw_ms(rng: random.Random, channel: str) -> int:
    return lognormal_ms(rng, _ACW_MEDIAN[channel], 0.7, 0.3, 300)
