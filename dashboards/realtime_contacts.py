"""Contacts, real time: Amazon Connect contact events (EventBridge), latest event per contact."""

from dataclasses import replace
from typing import Any

from grafanalib.core import Table

from dashboards import _influxdb as influxdb
from dashboards._common import (
    CHANNEL,
    DURATION,
    INSTANCE,
    LIVE_QUEUE_WITH_UNQUEUED,
    QUEUE_ID,
    SERVICE_LEVEL,
    breakdown_pie,
    column,
    rows_where,
    stat_panel,
)
from dashcompiler.api import TODAY, Dashboard, Panel, PanelResult, RealtimeQuery, Row, thresholds

# One query, contacts/stats, returns every stat's number as a column; Service level today runs it and the others
# show its result through Grafana's Dashboard datasource with its transformations (on InfluxDB, the parts of the
# query made one row), each its own column. The source's relative time is today
# (TODAY), which the today columns count from; waiting reads the last 24 hours whatever the panel's range.
SOURCE = "service_level_today"
# The live table's one query also feeds Contacts by state (its rows counted per state) and Waiting in queue (its
# QUEUED rows), through the Dashboard datasource and these transformations, on both stores.
QUEUED = rows_where(("state", "equal", "QUEUED"))
NOT_WAITING = ("initiation_method", "state", "agent", "initiated_at", "connected_to_agent_at", "last_event_at")


def _stat(key: str, column: str, title: str, description: str, **options: Any) -> Panel:
    if key != SOURCE:
        return stat_panel(
            key, PanelResult(SOURCE, with_transforms=True), title, description, fields=(column,), width=4, **options
        )
    panel = stat_panel(key, RealtimeQuery("contacts/stats"), title, description, fields=(column,), width=4, **options)
    return replace(panel, stores=influxdb.contact_stats())


DASHBOARD = Dashboard(
    uid="connect-rt-contacts",
    title="Contacts - real time",
    folder="connect-realtime",
    description="Amazon Connect contacts now, from contact events; 'today' starts at midnight in the dashboard's "
    "time zone (the environment's).",
    refresh="10s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    variables=(INSTANCE, LIVE_QUEUE_WITH_UNQUEUED, QUEUE_ID, CHANNEL, SERVICE_LEVEL),
    rows=(
        Row(
            "Now",
            (
                _stat(
                    "waiting_count",
                    "waiting",
                    "Waiting in queue",
                    "Contacts whose latest event is QUEUED, however long ago they were queued, up to 24 hours (events "
                    "are read that far back; a task queued longer ago is in the Queues dashboard's Contacts in queue).",
                ),
                _stat(
                    "service_level_today",
                    "service_level",
                    "Service level today",
                    "Contacts enqueued today that left the queue (answered or disconnected) within the threshold "
                    "/ all contacts enqueued today x 100, as Connect counts it: a contact still waiting counts "
                    "against it until it leaves the queue.",
                    unit="percent",
                    decimals=1,
                    steps=thresholds(("red", None), ("orange", 70), ("green", 80)),
                    time_from=TODAY,
                ),
                _stat(
                    "abandoned_today",
                    "abandoned",
                    "Abandoned today",
                    "Contacts enqueued today that the customer left before reaching an agent; callbacks, calls the "
                    "queue flow ended and expired contacts excluded (CONTACTS_ABANDONED, as in history).",
                    time_from=TODAY,
                ),
                _stat(
                    "asa_today",
                    "avg_speed_of_answer",
                    "Average speed of answer today",
                    "Mean seconds from enqueue to agent (to the millisecond) of contacts enqueued and answered today.",
                    unit=DURATION,
                    steps=thresholds(("green", None), ("orange", 30), ("red", 60)),
                    time_from=TODAY,
                ),
                Panel(
                    "by_state",
                    breakdown_pie(
                        "Contacts by state",
                        "Contacts active now by latest event: queued (up to 24 hours ago, as in Waiting in "
                        "queue) or with an event in the last hour; a disconnected one is in after-contact work.",
                    ),
                    (PanelResult("live"),),
                    8,
                    8,
                    decimals=0,
                    stores=influxdb.live_contacts(),
                    transformations=tuple(influxdb.count_by("state", "contact_id", "contacts")),
                ),
                Panel(
                    "waiting",
                    Table(
                        unit="none",
                        title="Waiting in queue",
                        description="Contacts whose latest event is QUEUED (queued up to 24 hours ago, as in the stat), "
                        "longest wait first, with seconds waited so far. Queue: its name from the collector; an "
                        "agent's own queue (a transfer to the agent) as the agent's username and (agent queue); the "
                        "queue's ID when no name was recorded for it in the last 15 minutes.",
                        overrides=[
                            column("contact_id", "Contact ID"),
                            column("channel", "Channel"),
                            column("queue", "Queue"),
                            column("enqueued_at", "Enqueued"),
                            column("seconds_waiting", "Time waiting", DURATION),
                        ],
                    ),
                    (PanelResult("live"),),
                    16,
                    8,
                    decimals=0,
                    stores=influxdb.live_contacts("enqueued_at"),
                    transformations=(
                        QUEUED,
                        {"id": "organize", "options": {"excludeByName": dict.fromkeys(NOT_WAITING, True)}},
                        *influxdb.sort_rows("seconds_waiting", desc=True, then="contact_id"),
                    ),
                    no_value="No contact waiting",
                ),
                Panel(
                    "live",
                    Table(
                        unit="none",
                        title="Live contacts",
                        description="Contacts active now, as in Contacts by state. Queue: its name from the "
                        "collector, an agent's own queue as the agent's username and (agent queue); agent: the "
                        "username from agent events; each shown as its ID when no name was recorded in the last 15 "
                        "minutes, empty for a contact not yet queued or not connected to an agent.",
                        overrides=[
                            column("contact_id", "Contact ID"),
                            column("channel", "Channel"),
                            column("initiation_method", "Initiation method"),
                            column("state", "State"),
                            column("queue", "Queue"),
                            column("agent", "Agent"),
                            column("initiated_at", "Initiated"),
                            column("enqueued_at", "Enqueued"),
                            column("connected_to_agent_at", "Connected to agent"),
                            column("last_event_at", "Last event"),
                        ],
                    ),
                    (RealtimeQuery("contacts/live"),),
                    24,
                    10,
                    decimals=0,
                    stores=influxdb.contacts_table(
                        "initiated_at", "initiated_at", "enqueued_at", "connected_to_agent_at", "last_event_at"
                    ),
                    transformations=({"id": "organize", "options": {"excludeByName": {"seconds_waiting": True}}},),
                ),
            ),
        ),
    ),
)
