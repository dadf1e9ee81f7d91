"""Hand-worked cases for the Queues - real time dashboard (dashboards/realtime_queues.py).

The numbers are Connect's own (GetCurrentMetricData, as the collector stores its responses); what the panels
add is which result rows a selection reads and how they combine. Connect counts an agent once within one
result, so (amazon-connect-data.md section 4; the dashboard's descriptions): every queue and channel reads the
instance result (no grouping; OLDEST_CONTACT_AGE then comes in milliseconds), one queue with every channel its
queue result (grouped by queue), anything else the sum of the queue-and-channel results selected (an agent
serving two of them counts twice); the oldest contact is the largest age. A snapshot older than 5 minutes is
not "now"; the over-time panels show each minute's latest snapshot.
"""

from __future__ import annotations

from typing import Any

from tests.handworked.ctrs import INSTANCE_ID

DAY = "2026-03-02"
NOW = f"{DAY}T10:00:00Z"
FROM = f"{DAY}T09:00:00Z"
QUEUES = {"Sales": "q-sales", "Support": "q-support", "Billing": "q-billing"}
METRICS = (
    "AGENTS_ONLINE", "AGENTS_AVAILABLE", "AGENTS_ON_CONTACT", "AGENTS_AFTER_CONTACT_WORK", "AGENTS_STAFFED",
    "AGENTS_NON_PRODUCTIVE", "AGENTS_ERROR", "CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE", "CONTACTS_SCHEDULED",
    "SLOTS_ACTIVE", "SLOTS_AVAILABLE",
)  # fmt: skip
# The panel each metric shows in (dashboards/realtime_queues.py's keys).
PANELS = (
    "agents_online", "agents_available", "agents_on_contact", "agents_after_contact_work", "agents_staffed",
    "agents_non_productive", "agents_error", "contacts_in_queue", "oldest_contact_age", "contacts_scheduled",
    "slots_active", "slots_available",
)  # fmt: skip

# The latest snapshot, 09:59. Each row: (queue, channel) -> the metrics in METRICS' order; channel None is the
# queue's result over every channel, queue None the instance's (its oldest age in ms).
#                        online avail oncon acw  staff npt  error inq  oldest  sched sactive savail
LATEST: dict[tuple[str | None, str | None], tuple[int, ...]] = {
    ("Sales", "VOICE"):    (5,    1,    3,    1,    4,    1,    0,    3,   95,     0,    3,    1),
    ("Sales", "CHAT"):     (4,    2,    2,    1,    4,    0,    0,    1,   30,     0,    3,    6),
    ("Sales", "TASK"):     (4,    2,    1,    0,    4,    0,    0,    0,   0,      1,    1,    5),
    ("Support", "VOICE"):  (2,    0,    1,    0,    1,    1,    1,    0,   0,      0,    1,    0),
    ("Support", "CHAT"):   (6,    3,    2,    1,    5,    1,    0,    2,   40,     0,    4,    10),
    ("Support", "TASK"):   (6,    3,    2,    0,    5,    1,    0,    4,   700,    2,    2,    8),
    ("Billing", "VOICE"):  (1,    1,    0,    0,    1,    0,    0,    0,   0,      0,    0,    1),
    ("Billing", "CHAT"):   (1,    1,    0,    0,    1,    0,    0,    0,   0,      0,    0,    2),
    ("Billing", "TASK"):   (1,    1,    0,    0,    1,    0,    0,    0,   0,      0,    0,    1),
    ("Sales", None):       (6,    2,    4,    2,    5,    1,    0,    4,   95,     1,    7,    12),
    ("Support", None):     (7,    3,    4,    1,    6,    1,    1,    6,   700,    2,    7,    18),
    ("Billing", None):     (1,    1,    0,    0,    1,    0,    0,    0,   0,      0,    0,    4),
    (None, None):          (12,   5,    7,    3,    10,   2,    1,    10,  700400, 3,    14,   33),
}  # fmt: skip
# 09:58: as at 09:59 but two more voice calls waited in Sales, the oldest for 125 s, and one agent fewer online.
PREVIOUS = LATEST | {
    ("Sales", "VOICE"): (5, 1, 3, 1, 4, 1, 0, 5, 125, 0, 3, 1),
    ("Sales", None): (6, 2, 4, 2, 5, 1, 0, 6, 125, 1, 7, 12),
    (None, None): (11, 5, 7, 3, 9, 2, 1, 12, 700400, 3, 14, 33),
}
# 09:50, more than 5 minutes before 10:00: only the over-time panels show it.
STALE = {key: tuple(v * 10 for v in values) for key, values in LATEST.items()}


def snapshot(clock: str, rows: dict[tuple[str | None, str | None], tuple[int, ...]]) -> dict[str, Any]:
    """A collector snapshot: one GetCurrentMetricData response per grouping, as the collector asks them."""

    def result(queue: str | None, channel: str | None, values: tuple[int, ...]) -> dict[str, Any]:
        dimensions: dict[str, Any] = {}
        if queue is not None:
            dimensions["Queue"] = {"Id": QUEUES[queue], "Arn": f"arn:aws:connect:::instance/x/queue/{QUEUES[queue]}"}
        if channel is not None:
            dimensions["Channel"] = channel
        return {
            "Dimensions": dimensions,
            "Collections": [
                {"Metric": {"Name": m, "Unit": "COUNT"}, "Value": v} for m, v in zip(METRICS, values, strict=True)
            ],
        }

    at = f"{DAY}T{clock}.000Z"
    groupings = (lambda q, c: q and c, lambda q, c: q and not c, lambda q, c: not q and not c)
    return {
        "collected_at": at,
        "instance_id": INSTANCE_ID,
        "current_metric_data": [
            {"DataSnapshotTime": at, "MetricResults": [result(q, c, v) for (q, c), v in rows.items() if kind(q, c)]}
            for kind in groupings
        ],
        "queues": [{"Id": queue_id, "Name": name} for name, queue_id in QUEUES.items()],
    }


SNAPSHOTS = [snapshot("09:50:00", STALE), snapshot("09:58:00", PREVIOUS), snapshot("09:59:00", LATEST)]


def stats(*rows: tuple[int, ...], instance: bool = False) -> dict[str, int]:
    """The stat panels over the rows a selection reads: counts summed, the oldest age the largest (ms -> s for
    the instance's, floored as Connect's grouped results count whole seconds)."""
    shown = {panel: sum(row[i] for row in rows) for i, panel in enumerate(PANELS)}
    oldest = [row[8] // 1000 if instance else row[8] for row in rows]
    return shown | {"oldest_contact_age": max(oldest)}


# selection (dash query --var assignments) -> every stat panel's value, worked from the rows above
CASES: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {
    # the instance row: 12 online, ..., 10 in queue, oldest 700400 ms = 700 s
    "all": ((), stats(LATEST[(None, None)], instance=True)),
    # Sales over every channel: its queue row (6 online, 4 in queue, oldest 95 s)
    "one queue": (("queue=Sales",), stats(LATEST[("Sales", None)])),
    # Sales + Support queue rows: 6 + 7 = 13 online (an agent of both counts twice), 4 + 6 = 10 in queue
    "two queues": (("queue=Sales", "queue=Support"), stats(LATEST[("Sales", None)], LATEST[("Support", None)])),
    # Support's chat row alone: 6 online, 2 in queue, oldest 40 s
    "one queue, one channel": (("queue=Support", "channel=CHAT"), stats(LATEST[("Support", "CHAT")])),
    # every queue's voice row: 5 + 2 + 1 = 8 online, 3 in queue, oldest 95 s
    "voice": (("channel=VOICE",), stats(*(LATEST[(q, "VOICE")] for q in QUEUES))),
}
EXPLICIT = {  # the same arithmetic written out, for a reviewer to check stats() against
    "all": {"agents_online": 12, "contacts_in_queue": 10, "oldest_contact_age": 700, "slots_available": 33},
    "two queues": {"agents_online": 13, "agents_error": 1, "contacts_in_queue": 10, "oldest_contact_age": 700},
    "voice": {"agents_online": 8, "agents_available": 2, "contacts_in_queue": 3, "oldest_contact_age": 95},
}
# per_queue (every queue and channel): the queue-and-channel rows as Connect reported them at 09:59, by queue
# then channel; neither the queue rows nor the instance row. Its columns: queue, channel, in queue, oldest, then
# the agent metrics in METRICS' order, scheduled, slots active and available.
COLUMNS = (7, 8, 0, 1, 2, 3, 4, 5, 6, 9, 10, 11)
PER_QUEUE = sorted((q, c, *(v[i] for i in COLUMNS)) for (q, c), v in LATEST.items() if q is not None and c is not None)
# Over time, every queue and channel, one point a minute (09:50, 09:58, 09:59):
# contacts in queue per queue, summed over its channel rows
IN_QUEUE_OVER_TIME = {
    "Sales": {"09:50": 40.0, "09:58": 6.0, "09:59": 4.0},  # 10 x (3 + 1); 5 + 1; 3 + 1
    "Support": {"09:50": 60.0, "09:58": 6.0, "09:59": 6.0},  # 10 x (2 + 4); 2 + 4
    "Billing": {"09:50": 0.0, "09:58": 0.0, "09:59": 0.0},
}
# the oldest contact per queue, the largest over its channel rows
OLDEST_OVER_TIME = {
    "Sales": {"09:50": 950.0, "09:58": 125.0, "09:59": 95.0},
    "Support": {"09:50": 7000.0, "09:58": 700.0, "09:59": 700.0},
    "Billing": {"09:50": 0.0, "09:58": 0.0, "09:59": 0.0},
}
SCHEDULED_OVER_TIME = {  # callbacks scheduled per queue: Sales task 1; Support task 2
    "Sales": {"09:50": 10.0, "09:58": 1.0, "09:59": 1.0},
    "Support": {"09:50": 20.0, "09:58": 2.0, "09:59": 2.0},
    "Billing": {"09:50": 0.0, "09:58": 0.0, "09:59": 0.0},
}
# the instance row each minute (every queue and channel selected)
AGENTS_OVER_TIME = {
    "Online": {"09:50": 120.0, "09:58": 11.0, "09:59": 12.0},
    "Available": {"09:50": 50.0, "09:58": 5.0, "09:59": 5.0},
    "On contact": {"09:50": 70.0, "09:58": 7.0, "09:59": 7.0},
    "Contacts in ACW": {"09:50": 30.0, "09:58": 3.0, "09:59": 3.0},
    "Staffed": {"09:50": 100.0, "09:58": 9.0, "09:59": 10.0},
    "Non-productive": {"09:50": 20.0, "09:58": 2.0, "09:59": 2.0},
    "Error": {"09:50": 10.0, "09:58": 1.0, "09:59": 1.0},
}
SLOTS_OVER_TIME = {
    "Active": {"09:50": 140.0, "09:58": 14.0, "09:59": 14.0},
    "Available": {"09:50": 330.0, "09:58": 33.0, "09:59": 33.0},
}
OVER_TIME = {
    "contacts_in_queue_over_time": IN_QUEUE_OVER_TIME,
    "oldest_contact_age_over_time": OLDEST_OVER_TIME,
    "contacts_scheduled_over_time": SCHEDULED_OVER_TIME,
    "agents_over_time": AGENTS_OVER_TIME,
    "slots_over_time": SLOTS_OVER_TIME,
}
