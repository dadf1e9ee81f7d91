"""Hand-worked cases for the Contacts - history dashboard (dashboards/history_contacts.py).

Each scenario is a few CTRs (tests/handworked/ctrs.py's literal form) and, per panel, the value Amazon
Connect's definition gives, with the arithmetic in a comment (amazon-connect-data.md section 5; Connect's
"Metric definitions" page: CONTACTS_QUEUED, CONTACTS_HANDLED, CONTACTS_ABANDONED "disconnected by the customer
while in queue; callbacks excluded", ABANDONMENT_RATE, SERVICE_LEVEL "removed from the queue within X s",
AVG_QUEUE_ANSWER_TIME, AVG_HANDLE_TIME "talk + hold + ACW", AVG_INTERACTION_TIME, AVG_HOLD_TIME "over contacts
put on hold", AVG_AFTER_CONTACT_WORK_TIME, AVG_ABANDON_TIME). Grouped panels are {group: contacts}, the
volume charts keyed by (hour "YYYY-MM-DD HH:00", label); the agent table {agent: (handled, AHT, ACW, hold)}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.handworked.ctrs import ctr

SPAN = ("2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z")  # Monday 08:00 to 12:00 UTC


@dataclass(frozen=True)
class Case:
    """Records, a time range and dashboard selections, and the value each listed panel must show."""

    name: str
    records: tuple[dict[str, Any], ...]
    expected: dict[str, Any]
    assignments: tuple[str, ...] = ()
    span: tuple[str, str] = SPAN


# --- Handling: holds, several holds, ACW, the agent table, routing profile and hierarchy group ---------------
# ann: routing profile Sales Voice, groups London > London Sales; bob: Support Omni, no group.
HANDLING = (
    # two holds, 60 s of hold in all: handle = 300 talk + 60 hold + 30 ACW = 390
    ctr("h1", "09:00:00", queue=("Sales", "09:00:05", 15), agent=("ann", "09:00:20", 300, 30), holds=(2, 60)),
    # one hold of 40 s: handle = 200 + 40 + 20 = 260
    ctr("h2", "09:10:00", queue=("Sales", "09:10:05", 25), agent=("ann", "09:10:30", 200, 20), holds=(1, 40)),
    # a chat never put on hold: handle = 100 + 0 + 10 = 110
    ctr(
        "h3",
        "09:20:00",
        channel="CHAT",
        method="API",
        queue=("Support", "09:20:02", 8),
        agent=("bob", "09:20:10", 100, 10),
    ),
)
HANDLING_ALL = {
    "contacts_handled": 3,
    "avg_handle_time": (390 + 260 + 110) / 3,  # 253.33
    "avg_interaction_time": (300 + 200 + 100) / 3,  # 200
    "avg_hold_time": (60 + 40) / 2,  # 50: only the two contacts put on hold, not / 3
    "avg_acw_time": (30 + 20 + 10) / 3,  # 20
    "contacts_queued": 3,
    "contacts_abandoned": 0,
    "abandonment_rate": 0.0,  # 0 / 3
    "service_level": 100 * 2 / 3,  # waits 15, 25, 8: two within 20 s
    "avg_speed_of_answer": (15 + 25 + 8) / 3,  # 16
    "agents": {"ann": (2, (390 + 260) / 2, (30 + 20) / 2, (60 + 40) / 2), "bob": (1, 110, 10, None)},
}
ANN_ONLY = {
    "contacts_handled": 2,  # h1, h2
    "avg_handle_time": (390 + 260) / 2,  # 325
    "avg_interaction_time": (300 + 200) / 2,  # 250
    "avg_hold_time": (60 + 40) / 2,  # 50
    "avg_acw_time": (30 + 20) / 2,  # 25
    "contacts_queued": 3,  # a queue metric: not narrowed by the agent's profile or group
    "agents": {"ann": (2, 325, 25, 50)},
}

# --- Queue: answers, abandons (one at 0 s, one without a reason), a callback, the flow hanging up, expiry -------
QUEUE = (
    ctr(
        "q1", "09:00:00", queue=("Sales", "09:00:05", 5), agent=("ann", "09:00:10", 60, 0), reason="CUSTOMER_DISCONNECT"
    ),
    ctr("q2", "09:05:00", queue=("Sales", "09:05:05", 25), agent=("ann", "09:05:30", 60, 0), reason="AGENT_DISCONNECT"),
    # the customer hung up the moment the call was queued
    ctr("q3", "09:10:00", queue=("Sales", "09:10:00", 0), reason="CUSTOMER_DISCONNECT"),
    ctr("q4", "09:15:00", queue=("Sales", "09:15:05", 40), reason="CUSTOMER_DISCONNECT"),
    # chose a callback after 30 s: the queue flow disconnects, the callback is the next contact
    ctr("q5", "09:20:00", queue=("Sales", "09:20:05", 30), reason="CONTACT_FLOW_DISCONNECT", next_contact="cb1"),
    ctr(
        "cb1",
        "09:20:35",
        method="CALLBACK",
        previous_contact="q5",
        queue=("Sales", "09:45:00", 10),
        agent=("bob", "09:45:10", 90, 0),
        reason="AGENT_DISCONNECT",
    ),
    # the queue flow hung up after 50 s (no callback): not the customer leaving
    ctr("q6", "09:30:00", queue=("Sales", "09:30:05", 50), reason="CONTACT_FLOW_DISCONNECT"),
    # a task no agent took before it expired
    ctr("q7", "09:35:00", channel="TASK", method="API", queue=("Support", "09:35:00", 600), reason="EXPIRED"),
    # left the queue after 12 s, Connect recorded no reason (DisconnectReason is often null)
    ctr("q8", "09:40:00", queue=("Sales", "09:40:05", 12)),
)
QUEUE_ALL = {
    "contacts_queued": 9,  # q1..q8 and cb1
    "contacts_handled": 3,  # q1, q2, cb1
    "contacts_abandoned": 3,  # q3, q4, q8: not q5 (callback), q6 (flow), q7 (expired), cb1 (answered)
    "abandonment_rate": 100 * 3 / 9,  # 33.3
    "avg_abandon_time": (0 + 40 + 12) / 3,  # 17.3
    "service_level": 100 * 4 / 9,  # within 20 s: q1 5, q3 0, q8 12, cb1 10 -> 44.4
    "avg_speed_of_answer": (5 + 25 + 10) / 3,  # answered: q1, q2, cb1 -> 13.3
    "callbacks": 1,  # cb1
    "transfers": 0,
    "disconnect_reasons": {
        "CUSTOMER_DISCONNECT": 3,  # q1, q3, q4
        "AGENT_DISCONNECT": 2,  # q2, cb1
        "CONTACT_FLOW_DISCONNECT": 2,  # q5, q6
        "EXPIRED": 1,  # q7
        "UNKNOWN": 1,  # q8
    },
    "volume_by_channel": {("2026-03-02 09:00", "VOICE"): 8, ("2026-03-02 09:00", "TASK"): 1},
    "volume_by_initiation_method": {
        ("2026-03-02 09:00", "INBOUND"): 7,
        ("2026-03-02 09:00", "CALLBACK"): 1,
        ("2026-03-02 09:00", "API"): 1,
    },
    "volume_by_queue": {("2026-03-02 09:00", "Sales"): 8, ("2026-03-02 09:00", "Support"): 1},
}

# --- Transfers out and in: to a queue, to an agent, to an outside number -----------------------------------
TRANSFERS = (
    # ann transfers to the Support queue at 10:05; the customer goes on as t2, a queue transfer
    ctr(
        "t1",
        "10:00:00",
        queue=("Sales", "10:00:05", 5),
        agent=("ann", "10:00:10", 290, 15),
        transferred="10:05:00",
        next_contact="t2",
        reason="AGENT_DISCONNECT",
    ),
    ctr(
        "t2",
        "10:05:00",
        method="QUEUE_TRANSFER",
        previous_contact="t1",
        queue=("Support", "10:05:02", 18),
        agent=("bob", "10:05:20", 120, 20),
        reason="CUSTOMER_DISCONNECT",
    ),
    # ann transfers to bob himself (bob's agent queue) at 10:20: t4, an agent transfer
    ctr(
        "t3",
        "10:15:00",
        queue=("Sales", "10:15:05", 5),
        agent=("ann", "10:15:10", 290, 0),
        transferred="10:20:00",
        next_contact="t4",
        reason="AGENT_DISCONNECT",
    ),
    ctr(
        "t4",
        "10:20:00",
        method="TRANSFER",
        previous_contact="t3",
        agent_queue=("bob", "10:20:01", 4),
        agent=("bob", "10:20:05", 90, 0),
        reason="CUSTOMER_DISCONNECT",
    ),
    # ann transfers to an outside number at 10:40: no next contact in Connect
    ctr(
        "t5",
        "10:30:00",
        queue=("Sales", "10:30:05", 5),
        agent=("ann", "10:30:10", 590, 0),
        transferred="10:40:00",
        reason="AGENT_DISCONNECT",
        TransferredToEndpoint={"Address": "+442071234567", "Type": "TELEPHONE_NUMBER"},
    ),
    # answered, not transferred
    ctr(
        "t6", "10:45:00", queue=("Sales", "10:45:05", 5), agent=("ann", "10:45:10", 60, 0), reason="CUSTOMER_DISCONNECT"
    ),
)
TRANSFERS_ALL = {
    "transfers": 3,  # t1, t3, t5: their transfer out completed
    "contacts_handled": 6,  # every record reached an agent, transfers in (t2, t4) too
    "contacts_queued": 6,  # t4 in bob's agent queue included
    "volume_by_queue": {
        ("2026-03-02 10:00", "Sales"): 4,  # t1, t3, t5, t6
        ("2026-03-02 10:00", "Support"): 1,  # t2
        ("2026-03-02 10:00", "Agent queues"): 1,  # t4
    },
    "volume_by_initiation_method": {
        ("2026-03-02 10:00", "INBOUND"): 4,
        ("2026-03-02 10:00", "QUEUE_TRANSFER"): 1,
        ("2026-03-02 10:00", "TRANSFER"): 1,
    },
}

# --- Outbound, and re-sent CTRs (a later version wins; a stale copy arriving last loses) ------------------
RESENT = (
    # an outbound call: no queue, handled by ann; handle = 120 + 0 + 15 = 135
    ctr("o1", "11:00:00", method="OUTBOUND", agent=("ann", "11:00:05", 120, 15), reason="CUSTOMER_DISCONNECT"),
    # r1 as first delivered after its ACW (11:15), ACW 30: handle = 200 + 0 + 30 = 230
    ctr(
        "r1",
        "11:10:00",
        queue=("Sales", "11:10:05", 10),
        agent=("bob", "11:10:15", 200, 30),
        updated="11:15:00",
        reason="CUSTOMER_DISCONNECT",
    ),
    # the same delivery again (at-least-once)
    ctr(
        "r1",
        "11:10:00",
        queue=("Sales", "11:10:05", 10),
        agent=("bob", "11:10:15", 200, 30),
        updated="11:15:00",
        reason="CUSTOMER_DISCONNECT",
    ),
    # a later version after an attribute update: same durations
    ctr(
        "r1",
        "11:10:00",
        queue=("Sales", "11:10:05", 10),
        agent=("bob", "11:10:15", 200, 30),
        updated="11:45:00",
        reason="CUSTOMER_DISCONNECT",
        Attributes={"Disposition": "resolved"},
    ),
    # a stale copy, earlier than both, with another ACW and agent, written last: it must lose
    ctr(
        "r1",
        "11:10:00",
        queue=("Sales", "11:10:05", 10),
        agent=("ann", "11:10:15", 200, 999),
        updated="11:12:00",
        reason="AGENT_DISCONNECT",
    ),
)
RESENT_ALL = {
    "contacts_handled": 2,  # o1 and r1, once
    "avg_handle_time": (135 + 230) / 2,  # 182.5
    "avg_acw_time": (15 + 30) / 2,  # 22.5, not the stale 999
    "avg_hold_time": None,  # nobody was put on hold: no value, not 0
    "contacts_queued": 1,  # r1; the outbound call never queued
    "service_level": 100.0,  # r1 answered in 10 s
    "disconnect_reasons": {"CUSTOMER_DISCONNECT": 2},  # r1 by its latest version
    "agents": {"ann": (1, 135, 15, None), "bob": (1, 230, 30, None)},
}

# --- Across midnight, Sunday to Monday: hour of day, weekday, channel volume, the handled and queued dates ---
DAYS_SPAN = ("2026-03-01T20:00:00Z", "2026-03-02T04:00:00Z")
MONDAY_SPAN = ("2026-03-02T00:00:00Z", "2026-03-02T04:00:00Z")
DAYS = (
    # Sunday 23:59:50, queued 23:59:55, answered Monday 00:00:05
    ctr(
        "d1",
        "23:59:50",
        day="2026-03-01",
        queue=("Sales", "23:59:55", 10),
        agent=("ann", "2026-03-02T00:00:05", 100, 0),
    ),
    ctr(
        "d2",
        "00:30:00",
        channel="CHAT",
        method="API",
        queue=("Support", "00:30:01", 4),
        agent=("bob", "00:30:05", 50, 5),
    ),
    ctr("d3", "01:10:00", method="OUTBOUND", agent=("ann", "01:10:03", 60, 0)),
)
DAYS_ALL = {
    "by_weekday": {"7 Sun": 1, "1 Mon": 2},
    "by_hour_of_day": {"23": 1, "00": 1, "01": 1},
    "volume_by_channel": {
        ("2026-03-01 23:00", "VOICE"): 1,
        ("2026-03-02 00:00", "CHAT"): 1,
        ("2026-03-02 01:00", "VOICE"): 1,
    },
    "contacts_queued": 2,
    "contacts_handled": 3,
}
MONDAY = {
    "contacts_handled": 3,  # d1 counts on Monday, the day it was connected to ann
    "contacts_queued": 1,  # d1 was queued on Sunday: only d2
    "avg_speed_of_answer": 4.0,  # d2
    "by_weekday": {"1 Mon": 2},  # by initiation: d2, d3
    "callbacks": 0,
}

# --- Tasks: one scheduled on Friday for Monday, one waiting in the queue from Saturday to Monday -------------
# Connect's InitiationTimestamp of an API contact is when the request arrived (a scheduled task is created days
# before its flow runs; a task can wait in a queue for days): the queue and handled metrics count it on Monday.
TASKS = (
    ctr(
        "st1",
        "2026-02-27T16:00:00",
        channel="TASK",
        method="API",
        ScheduledTimestamp="2026-03-02T09:00:00Z",
        queue=("Support", "09:00:05", 30),
        agent=("bob", "09:00:35", 300, 10),
        reason="AGENT_DISCONNECT",
    ),
    ctr(
        "tw1",
        "2026-02-28T10:00:00",
        channel="TASK",
        method="API",
        # Saturday 10:00:02 to Monday 09:30:00 in the queue: 2 days - 30 min - 2 s = 170998 s
        queue=("Support", "2026-02-28T10:00:02", 170998),
        agent=("bob", "09:30:00", 200, 0),
        reason="AGENT_DISCONNECT",
    ),
)
TASKS_MONDAY = {
    "contacts_queued": 1,  # st1 (tw1 entered the queue on Saturday)
    "avg_speed_of_answer": 30,  # st1
    "service_level": 0.0,  # st1 waited 30 s
    "contacts_handled": 2,  # both reached bob on Monday
    "avg_handle_time": (310 + 200) / 2,  # 255
    "avg_acw_time": (10 + 0) / 2,
    "agents": {"bob": (2, 255, 5, None)},
    "volume_by_queue": {("2026-03-02 09:00", "Support"): 1},
    "volume_by_channel": {},  # initiated on Friday and Saturday, outside the range
}

CASES = (
    Case("handling", HANDLING, HANDLING_ALL),
    Case("handling, routing profile Sales Voice", HANDLING, ANN_ONLY, ("routing_profile=Sales Voice",)),
    Case("handling, hierarchy group London Sales", HANDLING, ANN_ONLY, ("hierarchy_group=London Sales",)),
    Case(
        "handling, routing profile Support Omni",
        HANDLING,
        {"contacts_handled": 1, "avg_hold_time": None, "avg_handle_time": 110, "agents": {"bob": (1, 110, 10, None)}},
        ("routing_profile=Support Omni",),
    ),
    Case("queue", QUEUE, QUEUE_ALL),
    Case("queue, 30 s threshold", QUEUE, {"service_level": 100 * 6 / 9}, ("sl_seconds=30",)),  # + q2 25, q5 30 (<=)
    Case("queue, 0 s threshold", QUEUE, {"service_level": 100 * 1 / 9}, ("sl_seconds=0",)),  # q3 only
    Case(
        "queue, voice only",
        QUEUE,
        {"contacts_queued": 8, "contacts_abandoned": 3, "abandonment_rate": 100 * 3 / 8},  # q7 (a task) out
        ("channel=VOICE",),
    ),
    Case(
        "queue, Support only",
        QUEUE,
        {"contacts_queued": 1, "contacts_abandoned": 0, "abandonment_rate": 0.0, "avg_abandon_time": None},  # q7
        ("queue=Support",),
    ),
    Case("transfers", TRANSFERS, TRANSFERS_ALL),
    Case("transfers, Support Omni", TRANSFERS, {"transfers": 0}, ("routing_profile=Support Omni",)),  # bob made none
    Case("outbound and re-sent CTRs", RESENT, RESENT_ALL),
    Case("outbound and re-sent CTRs, Sales", RESENT, {"contacts_handled": 1}, ("queue=Sales",)),  # o1 has no queue
    Case("across midnight", DAYS, DAYS_ALL, span=DAYS_SPAN),
    Case("Monday only", DAYS, MONDAY, span=MONDAY_SPAN),
    Case("tasks created days before they are queued or answered", TASKS, TASKS_MONDAY),
)
