"""Queues, real time: the collector's GetCurrentMetricData snapshots per queue and channel."""

from grafanalib.core import Table, TimeSeries

from dashboards._common import CHANNEL, INSTANCE, QUEUE, live_stat
from dashcompiler.define import Dashboard, Panel, Row, TimestreamFormat, TimestreamQuery, thresholds

STATS = (
    ("contacts_in_queue", "Contacts in queue", "none", thresholds(("green", None), ("orange", 5), ("red", 10))),
    ("oldest_contact_age", "Oldest contact in queue", "s", thresholds(("green", None), ("orange", 60), ("red", 180))),
    ("agents_online", "Agents online", "none", None),
    ("agents_available", "Agents available", "none", thresholds(("red", None), ("green", 1))),
    ("agents_on_contact", "Agents on contact", "none", None),
    ("agents_after_contact_work", "Contacts in ACW", "none", None),
    ("agents_staffed", "Agents staffed", "none", None),
    ("contacts_scheduled", "Callbacks scheduled", "none", None),
    ("slots_active", "Slots active", "none", None),
    ("slots_available", "Slots available", "none", None),
)
SERIES = (
    ("contacts_in_queue_over_time", "Contacts in queue", "none"),
    ("oldest_contact_age_over_time", "Oldest contact in queue", "s"),
    ("agents_available_over_time", "Agents available", "none"),
)
DESCRIPTIONS = {
    "contacts_in_queue": "Contacts waiting in the selected queues and channels (CONTACTS_IN_QUEUE), latest snapshot.",
    "oldest_contact_age": "Seconds the longest-waiting contact has waited (OLDEST_CONTACT_AGE), latest snapshot.",
    "agents_online": "Agents online for the selected queues (AGENTS_ONLINE), summed over queues.",
    "agents_available": "Agents available to take a contact (AGENTS_AVAILABLE), summed over queues.",
    "agents_on_contact": "Agents on a contact (AGENTS_ON_CONTACT), summed over queues.",
    "agents_after_contact_work": "Contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK counts contacts).",
    "agents_staffed": "Agents online and not in non-productive time (AGENTS_STAFFED), summed over queues.",
    "contacts_scheduled": "Callbacks scheduled in the selected queues (CONTACTS_SCHEDULED).",
    "slots_active": "Contact slots in use (SLOTS_ACTIVE).",
    "slots_available": "Contact slots free (SLOTS_AVAILABLE).",
}

DASHBOARD = Dashboard(
    uid="connect-rt-queues",
    title="Queues - real time",
    folder="connect-realtime",
    description="Amazon Connect real-time queue metrics, as the collector reads them from GetCurrentMetricData.",
    refresh="10s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    variables=(INSTANCE, QUEUE, CHANNEL),
    rows=(
        Row(
            "Now",
            (
                *tuple(
                    live_stat(key, f"queues/{key}.sql", title, DESCRIPTIONS[key], unit=unit, steps=steps, width=4)
                    for key, title, unit, steps in STATS
                ),
                Panel(
                    "per_queue",
                    Table(title="Per queue and channel"),
                    (TimestreamQuery("queues/per_queue.sql"),),
                    width=24,
                    height=8,
                    decimals=0,
                ),
            ),
        ),
        Row(
            "Over time",
            tuple(
                Panel(
                    key,
                    TimeSeries(title=title, unit=unit),
                    (TimestreamQuery(f"queues/{key}.sql", format=TimestreamFormat.TIME_SERIES),),
                    width=8,
                    height=8,
                    decimals=0,
                )
                for key, title, unit in SERIES
            ),
        ),
    ),
)
