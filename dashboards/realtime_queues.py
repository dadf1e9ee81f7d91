"""Queues, real time: the collector's GetCurrentMetricData snapshots per queue and channel, per queue, per instance."""

from typing import Any

from grafanalib.core import Table, TimeSeries

from dashboards import _influxdb as influxdb
from dashboards._common import CHANNEL, DURATION, INSTANCE, QUEUE, QUEUE_ID, column, named_by, rows_where, stat_panel
from dashcompiler.api import TABLE_SERVICE_LEVELS, TODAY, Dashboard, Panel, PanelResult, RealtimeQuery, Row, thresholds

# How the agent and slot numbers follow the selection (queries/timestream/queues/_selection.sql).
ONCE = (
    " All queues and channels: each agent once, Connect's instance total (with more than 100 queues, the sum over "
    "queues). One queue, all channels: each agent once for that queue. Several queues or chosen channels: the sum "
    "of their rows, so an agent serving two of them counts twice."
)
SUMMED = " Summed over the selected queues and channels."

STATS = (
    ("contacts_in_queue", "Contacts in queue", "none", thresholds(("green", None), ("orange", 5), ("red", 10))),
    (
        "oldest_contact_age",
        "Oldest contact in queue",
        DURATION,
        thresholds(("green", None), ("orange", 60), ("red", 180)),
    ),
    ("agents_online", "Agents online", "none", None),
    ("agents_available", "Agents available", "none", thresholds(("red", None), ("green", 1))),
    ("agents_on_contact", "Agents on contact", "none", None),
    ("agents_after_contact_work", "Contacts in ACW", "none", None),
    ("agents_staffed", "Agents staffed", "none", None),
    ("agents_non_productive", "Agents in non-productive time", "none", None),
    ("agents_error", "Agents in error", "none", thresholds(("green", None), ("red", 1))),
    ("contacts_scheduled", "Callbacks scheduled", "none", None),
    ("slots_active", "Slots active", "none", None),
    ("slots_available", "Slots available", "none", None),
)
DESCRIPTIONS = {
    "contacts_in_queue": "Contacts waiting in the selected queues and channels (CONTACTS_IN_QUEUE), latest snapshot."
    + SUMMED,
    "oldest_contact_age": "Seconds the longest-waiting contact of the selected queues and channels has waited "
    "(OLDEST_CONTACT_AGE), latest snapshot.",
    "agents_online": "Agents logged in with a status other than Offline (AGENTS_ONLINE), latest snapshot." + ONCE,
    "agents_available": "Agents Connect would route a contact to now (AGENTS_AVAILABLE), latest snapshot." + ONCE,
    "agents_on_contact": "Agents with a contact connected, on hold or in ACW (AGENTS_ON_CONTACT), latest snapshot."
    + ONCE,
    "agents_after_contact_work": "Contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK counts contacts, not "
    "agents), latest snapshot." + ONCE,
    "agents_staffed": "Agents online and not in a non-productive status (AGENTS_STAFFED), latest snapshot." + ONCE,
    "agents_non_productive": "Agents in a custom, non-productive status such as Break or Lunch "
    "(AGENTS_NON_PRODUCTIVE), latest snapshot." + ONCE,
    "agents_error": "Agents in an error state after a missed contact (AGENTS_ERROR), latest snapshot." + ONCE,
    "contacts_scheduled": "Callbacks waiting for their scheduled time (CONTACTS_SCHEDULED), latest snapshot." + SUMMED,
    "slots_active": "Contact slots in use (SLOTS_ACTIVE), latest snapshot." + ONCE,
    "slots_available": "Contact slots Connect would route a contact into now (SLOTS_AVAILABLE), latest snapshot."
    + ONCE,
}
# One query, queues/now, returns every stat's number as a column named by the stat's key; the first stat runs it
# and the others show its result through Grafana's Dashboard datasource, each its own column.
SOURCE = STATS[0][0]


def _stat(key: str, title: str, unit: str, steps: list[dict[str, Any]] | None) -> Panel:
    query = RealtimeQuery("queues/now") if key == SOURCE else PanelResult(SOURCE)
    return stat_panel(key, query, title, DESCRIPTIONS[key], unit=unit, steps=steps, width=4, fields=(key,))


# (key, title, unit, description, the columns of queues/over_time it shows: per queue, or the selection's by name)
SERIES: tuple[tuple[str, str, str, str, str | dict[str, str]], ...] = (
    (
        "contacts_in_queue_over_time",
        "Contacts in queue",
        "none",
        "Contacts waiting (CONTACTS_IN_QUEUE) per selected queue each minute, summed over the selected channels.",
        "contacts_in_queue",
    ),
    (
        "oldest_contact_age_over_time",
        "Oldest contact in queue",
        DURATION,
        "Seconds the longest-waiting contact has waited (OLDEST_CONTACT_AGE) per selected queue each minute.",
        "oldest_contact_age_seconds",
    ),
    (
        "contacts_scheduled_over_time",
        "Callbacks scheduled",
        "none",
        "Callbacks waiting for their scheduled time (CONTACTS_SCHEDULED) per selected queue each minute.",
        "contacts_scheduled",
    ),
    (
        "agents_over_time",
        "Agents",
        "none",
        "Agents online, available, on contact, staffed, in non-productive time and in error, and contacts in ACW, "
        "each minute, for the selection as the stat panels count it." + ONCE,
        {
            "agents_online": "Online",
            "agents_available": "Available",
            "agents_on_contact": "On contact",
            "agents_after_contact_work": "Contacts in ACW",
            "agents_staffed": "Staffed",
            "agents_non_productive": "Non-productive",
            "agents_error": "Error",
        },
    ),
    (
        "slots_over_time",
        "Contact slots",
        "none",
        "Contact slots in use (SLOTS_ACTIVE) and free (SLOTS_AVAILABLE) each minute, for the selection." + ONCE,
        {"slots_active": "Active", "slots_available": "Available"},
    ),
)
# One query, queues/over_time, returns every series' numbers per minute in one table: a row per queue and minute,
# and the selection's per minute (no queue_name); the first panel runs it and the others show its result through
# Grafana's Dashboard datasource, each picking its rows and columns with transformations, on both stores.
SERIES_SOURCE = SERIES[0][0]
SELECTION_ROWS = ("queue_name", "isNull", None)


def _series(key: str, title: str, unit: str, description: str, shows: str | dict[str, str]) -> Panel:
    """A per-queue panel: the queue rows, its column, one series per queue (partitionByValues, named by the
    queue_name label); a selection panel: the selection's rows, its columns named."""
    if isinstance(shows, str):
        rows = rows_where(SELECTION_ROWS, keep="exclude")
        pick = {"id": "organize", "options": {"includeByName": dict.fromkeys(("Time", "queue_name", shows), True)}}
        split = {"id": "partitionByValues", "options": {"fields": ["queue_name"]}}
        steps: tuple[dict[str, Any], ...] = (rows, pick, split)
        display = named_by("queue_name")
    else:
        rows = rows_where(SELECTION_ROWS)
        names = {"includeByName": dict.fromkeys(("Time", *shows), True), "renameByName": shows}
        steps = (rows, {"id": "organize", "options": names})
        display = None
    query = RealtimeQuery("queues/over_time") if key == SERIES_SOURCE else PanelResult(SERIES_SOURCE)
    return Panel(
        key,
        TimeSeries(title=title, unit=unit, description=description),
        (query,),
        width=12 if key in ("agents_over_time", "slots_over_time") else 8,
        height=8,
        decimals=0,
        display_name=display,
        transformations=steps,
    )


TODAY_PER_QUEUE = Panel(
    "today_per_queue",
    Table(
        unit="none",
        title="Queues today so far",
        description="Per queue, contacts enqueued today (since midnight in the dashboard's time zone) in the selected "
        "channels: Contacts queued (CONTACTS_QUEUED); Contacts handled (CONTACTS_HANDLED: connected to an agent); "
        "Contacts abandoned (CONTACTS_ABANDONED: the customer left the queue; callbacks, contacts the flow ended and "
        "expired ones excluded); Abandonment rate (ABANDONMENT_RATE: abandoned / queued x 100); Service level X "
        "(SERVICE_LEVEL: left the queue, answered or not, within X s / queued x 100; a contact still waiting counts "
        "against it); Average queue answer time (AVG_QUEUE_ANSWER_TIME: enqueue to agent, answered contacts); "
        "Average handle time (AVG_HANDLE_TIME: connected to an agent to the end of after-contact work, i.e. talk, "
        "hold and ACW, of contacts whose after-contact work has ended); average and maximum queued time (Max queued "
        "time, MAX_QUEUED_TIME) of contacts that have left the queue. Beside them, the collector's latest snapshot "
        "of the queue for all its channels: Contacts in queue (CONTACTS_IN_QUEUE), Oldest contact (OLDEST_CONTACT_AGE), "
        "Agents available (AGENTS_AVAILABLE) and staffed (AGENTS_STAFFED). One row per queue in that snapshot.",
        overrides=[
            column("queue", "Queue"),
            column("contacts_queued", "Queued"),
            column("contacts_handled", "Handled"),
            column("contacts_abandoned", "Abandoned"),
            column("abandonment_rate", "Abandonment rate", "percent"),
            *(column(f"service_level_{s}", f"Service level {s} s", "percent") for s in TABLE_SERVICE_LEVELS),
            column("avg_speed_of_answer", "Avg speed of answer", DURATION),
            column("avg_handle_time", "Avg handle time", DURATION),
            column("avg_queued_time", "Avg queued time", DURATION),
            column("max_queued_time", "Max queued time", DURATION),
            column("contacts_in_queue", "In queue now"),
            column("oldest_contact_age_seconds", "Oldest contact", DURATION),
            column("agents_available", "Agents available"),
            column("agents_staffed", "Agents staffed"),
        ],
    ),
    (RealtimeQuery("queues/today_per_queue"),),
    width=24,
    height=8,
    decimals=0,
    time_from=TODAY,
    stores=influxdb.today_per_queue(),
)

DASHBOARD = Dashboard(
    uid="connect-rt-queues",
    title="Queues - real time",
    folder="connect-realtime",
    description="Amazon Connect real-time queue metrics, as the collector reads them from GetCurrentMetricData.",
    refresh="10s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    variables=(INSTANCE, QUEUE, QUEUE_ID, CHANNEL),
    rows=(
        Row(
            "Now",
            (
                *tuple(_stat(key, title, unit, steps) for key, title, unit, steps in STATS),
                Panel(
                    "per_queue",
                    Table(
                        unit="none",
                        title="Per queue and channel",
                        overrides=[
                            column("queue", "Queue"),
                            column("channel", "Channel"),
                            column("contacts_in_queue", "Contacts in queue"),
                            column("oldest_contact_age_seconds", "Oldest contact age", DURATION),
                            column("agents_online", "Online"),
                            column("agents_available", "Available"),
                            column("agents_on_contact", "On contact"),
                            column("agents_after_contact_work", "Contacts in ACW"),
                            column("agents_staffed", "Staffed"),
                            column("agents_non_productive", "Non-productive"),
                            column("agents_error", "Error"),
                            column("contacts_scheduled", "Callbacks scheduled"),
                            column("slots_active", "Slots active"),
                            column("slots_available", "Slots available"),
                        ],
                    ),
                    (RealtimeQuery("queues/per_queue"),),
                    width=24,
                    height=8,
                    decimals=0,
                    stores=influxdb.per_queue(),
                ),
            ),
        ),
        Row("Today so far", (TODAY_PER_QUEUE,)),
        Row(
            "Over time",
            tuple(_series(*series) for series in SERIES),
        ),
    ),
)
