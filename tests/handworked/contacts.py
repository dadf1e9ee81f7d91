"""Hand-worked cases for the Contacts - real time dashboard (dashboards/realtime_contacts.py).

Each contact is one line: channel, initiation method, queue, then its contact events (EventBridge) in order,
"<event> <time>[ <agent or disconnect reason>]" with times hh:mm:ss[.mmm] on the day (or a whole
YYYY-MM-DDThh:mm:ss for the day before). Each event carries what Connect's events carry by then: the queue
info from QUEUED on, the agent info from CONNECTED_TO_AGENT on, the disconnect time and reason from
DISCONNECTED on. "Now" is 10:00 on 2 March (UTC), "today" from 00:00.

Definitions (Connect's, as the panels' descriptions state them): waiting = latest event QUEUED; service
level = contacts enqueued today that left the queue (answered or disconnected) within 20 s / all enqueued today
(one still waiting counts against it); abandoned = enqueued today and disconnected before reaching an agent,
not a callback, not ended by the flow (a callback request or a hang-up) and not expired; speed of answer =
enqueue to agent, to the millisecond; active = latest event not COMPLETED, queued or an event in the last hour,
not disconnected without reaching an agent (a disconnected contact that reached one is in after-contact work).
"""

from __future__ import annotations

from typing import Any

from tests.handworked import agents, queues
from tests.handworked.ctrs import INSTANCE, INSTANCE_ID

__all__ = ["INSTANCE_ID"]
DAY = "2026-03-02"
NOW = f"{DAY}T10:00:00Z"
FROM = f"{DAY}T09:00:00Z"
AGENTS = ("ann", "bob")
LIVE = {"VOICE", "CHAT", "TASK"}

# contact: (channel, initiation method, queue, events)
CONTACTS: dict[str, tuple[str, str, str | None, tuple[str, ...]]] = {
    # answered after 12.5 s, the customer hung up at 09:55: in after-contact work now
    "a1": ("VOICE", "INBOUND", "Sales", ("INITIATED 09:49:50", "QUEUED 09:50:00", "CONNECTED_TO_AGENT 09:50:12.500 ann",
                                        "DISCONNECTED 09:55:00 CUSTOMER_DISCONNECT")),
    # answered after 30 s, still talking
    "a2": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:51:00", "CONNECTED_TO_AGENT 09:51:30 bob")),
    # a chat answered after 4 s, over (COMPLETED after its ACW)
    "a3": ("CHAT", "API", "Support", ("QUEUED 09:30:00", "CONNECTED_TO_AGENT 09:30:04 bob",
                                     "DISCONNECTED 09:40:00 CUSTOMER_DISCONNECT", "COMPLETED 09:41:00")),
    # the customer hung up the instant the call was queued
    "ab0": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:52:00", "DISCONNECTED 09:52:00 CUSTOMER_DISCONNECT")),
    "ab1": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:53:00", "DISCONNECTED 09:53:45 CUSTOMER_DISCONNECT")),
    # left after 10 s; Connect sent no reason
    "ab2": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:54:00", "DISCONNECTED 09:54:10")),
    # chose a callback after 30 s (the flow disconnects the call), and the callback waits in the queue since
    "cb": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:40:00", "DISCONNECTED 09:40:30 CONTACT_FLOW_DISCONNECT")),
    "cb-call": ("VOICE", "CALLBACK", "Sales", ("INITIATED 09:40:30", "QUEUED 09:40:30")),
    # a chat waiting 2 min; a task waiting since yesterday noon (22 h)
    "w1": ("CHAT", "API", "Support", ("QUEUED 09:58:00",)),
    "w2": ("TASK", "API", "Support", ("QUEUED 2026-03-01T12:00:00",)),
    # queued yesterday 23:59:50, answered today 00:00:05: not "today's" for the queue metrics
    "y1": ("VOICE", "INBOUND", "Sales", ("QUEUED 2026-03-01T23:59:50", "CONNECTED_TO_AGENT 00:00:05 ann",
                                        "DISCONNECTED 00:05:00 CUSTOMER_DISCONNECT", "COMPLETED 00:06:00")),
    # an outbound call connected: active, never queued
    "out1": ("VOICE", "OUTBOUND", None, ("INITIATED 09:57:00", "CONNECTED_TO_AGENT 09:57:10 ann")),
    # ann answered after 5 s and transferred to the Support queue; the transfer is a new contact, answered in 20 s
    "x1": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:45:00", "CONNECTED_TO_AGENT 09:45:05 ann",
                                        "DISCONNECTED 09:50:00 AGENT_DISCONNECT", "COMPLETED 09:50:30")),
    "x2": ("VOICE", "QUEUE_TRANSFER", "Support", ("QUEUED 09:50:01", "CONNECTED_TO_AGENT 09:50:21 bob")),
    # a task no one took in 30 min: expired
    "exp": ("TASK", "API", "Support", ("QUEUED 09:00:00", "DISCONNECTED 09:30:00 EXPIRED")),
    # the queue flow hung up after 50 s
    "fl": ("VOICE", "INBOUND", "Sales", ("QUEUED 09:35:00", "DISCONNECTED 09:35:50 CONTACT_FLOW_DISCONNECT")),
}  # fmt: skip

# Enqueued today (by 10:00): a1 a2 a3 ab0 ab1 ab2 cb cb-call w1 x1 x2 exp fl = 13 (not w2, y1: yesterday; not out1).
# Left the queue within 20 s: a1 12.5, a3 4, ab0 0, ab2 10, x1 5, x2 20.000 (<= 20) = 6.
# Not: a2 30, ab1 45, cb 30, fl 50, exp 1800, and cb-call, w1 still waiting.
STATS = {
    "waiting_count": 3,  # cb-call, w1, w2
    "service_level_today": 100 * 6 / 13,  # 46.2
    "abandoned_today": 3,  # ab0, ab1, ab2 (not cb: callback; fl: flow; exp: expired; y1, a*: answered)
    "asa_today": (12.5 + 30 + 4 + 5 + 20) / 5,  # a1, a2, a3, x1, x2 = 14.3 s
}
BY_STATE = {"QUEUED": 3, "CONNECTED_TO_AGENT": 3, "DISCONNECTED": 1}  # cb-call w1 w2; a2 out1 x2; a1 (ACW)
# waiting, longest first: (contact, channel, queue, seconds waited at 10:00)
WAITING = [("w2", "TASK", "Support", 22 * 3600), ("cb-call", "VOICE", "Sales", 1170), ("w1", "CHAT", "Support", 120)]
# live: contact -> (state, queue, agent)
LIVE_ROWS = {
    "a1": ("DISCONNECTED", "Sales", "ann"),
    "a2": ("CONNECTED_TO_AGENT", "Sales", "bob"),
    "cb-call": ("QUEUED", "Sales", None),
    "w1": ("QUEUED", "Support", None),
    "w2": ("QUEUED", "Support", None),
    "out1": ("CONNECTED_TO_AGENT", None, "ann"),
    "x2": ("CONNECTED_TO_AGENT", "Support", "bob"),
}
# Support only: enqueued today a3, w1, x2, exp; within 20 s: a3, x2; answered: a3 4, x2 20; waiting w1, w2.
SUPPORT = {"waiting_count": 2, "service_level_today": 50.0, "abandoned_today": 0, "asa_today": 12.0}
# Voice only: waiting cb-call; enqueued today a1 a2 ab0 ab1 ab2 cb cb-call x1 x2 fl = 10, within a1 ab0 ab2 x1 x2.
VOICE = {"waiting_count": 1, "service_level_today": 50.0, "abandoned_today": 3, "asa_today": (12.5 + 30 + 5 + 20) / 4}
# The 30 s threshold adds a2 (30), cb (30): 8 / 13.
THIRTY = {"service_level_today": 100 * 8 / 13}


def at(clock: str) -> str:
    return f"{clock}.000Z" if "T" in clock else f"{DAY}T{clock}{'' if '.' in clock else '.000'}Z"


def events(contact_id: str) -> list[dict[str, Any]]:
    """The contact's EventBridge events, each carrying what Connect's carry by then."""
    channel, method, queue, steps = CONTACTS[contact_id]
    detail: dict[str, Any] = {
        "contactId": contact_id,
        "channel": channel,
        "instanceArn": INSTANCE,
        "initiationMethod": method,
        "initiationTimestamp": at(steps[0].split()[1]),
    }
    found = []
    for step in steps:
        kind, clock, *extra = step.split()
        when = at(clock)
        if kind == "QUEUED":
            assert queue is not None
            arn = f"{INSTANCE}/queue/{queues.QUEUES[queue]}"
            detail["queueInfo"] = {"queueArn": arn, "queueType": "STANDARD", "enqueueTimestamp": when}
        elif kind == "CONNECTED_TO_AGENT":
            detail["agentInfo"] = {"agentArn": f"{INSTANCE}/agent/{extra[0]}", "connectedToAgentTimestamp": when}
        elif kind == "DISCONNECTED":
            detail["disconnectTimestamp"] = when
            if extra:
                detail["disconnectReason"] = extra[0]
        elif kind == "COMPLETED":
            detail["agentInfo"] = {**detail["agentInfo"], "afterContactWorkEndTimestamp": when}
        found.append(
            {
                "version": "0",
                "id": f"{contact_id}-{kind}",
                "detail-type": "Amazon Connect Contact Event",
                "source": "aws.connect",
                "time": when[:19] + "Z",
                "resources": [f"{INSTANCE}/contact/{contact_id}", INSTANCE],
                "detail": {**detail, "eventType": kind},
            }
        )
    return found


CONTACT_EVENTS = [e for contact_id in CONTACTS for e in events(contact_id)]
# What names the queues and agents in the tables: the collector's queue list and the agents' heartbeats.
SNAPSHOTS = [queues.snapshot("09:59:00", queues.LATEST)]
AGENT_EVENTS = [agents.event("09:59:00", "HEART_BEAT", name, agents.SALES, "Available 09:00:00") for name in AGENTS]
