"""Agents, real time: the latest agent event per agent from the agent event stream."""

from typing import Any

from grafanalib.core import BarChart, Table, TimeSeries

from dashboards import _influxdb as influxdb
from dashboards._common import (
    CHANNEL,
    DURATION,
    INSTANCE,
    LIVE_HIERARCHY_GROUP,
    LIVE_QUEUE_WITH_UNQUEUED,
    LIVE_ROUTING_PROFILE,
    breakdown_pie,
    column,
    named_by,
    stat_panel,
)
from dashcompiler.api import TODAY, Dashboard, Panel, PanelResult, RealtimeQuery, Row, thresholds

# Amazon Connect's real-time definitions (real-time-metrics-definitions), from each agent's latest event.
COUNTS = (
    ("online", "Agents online", "Agents logged in with a status other than Offline (Connect's Online)."),
    (
        "available",
        "Available",
        "Agents Connect can route a contact to now (Connect's Available): a routable status, no next status "
        "pending, no missed, rejected or failed offer to clear, and a free slot on some channel.",
    ),
    (
        "on_contact",
        "On contact",
        "Agents with at least one contact connected, on hold, in after-contact work, paused, or an outbound call "
        "ringing (Connect's On contact); an inbound offer still ringing does not count.",
    ),
    (
        "after_contact_work",
        "In ACW",
        "Agents with at least one contact in after-contact work (ended, not yet cleared); an agent can also be on "
        "another contact. The Queues dashboard's ACW counts contacts, not agents.",
    ),
    (
        "non_productive",
        "Non-productive",
        "Agents in a custom status such as Break (Connect's NPT), on a contact or not; Online = Staffed + NPT.",
    ),
    (
        "error",
        "Error",
        "Agents with a missed or failed contact not yet cleared (as AGENTS_ERROR on the Queues dashboard).",
    ),
    ("staffed", "Staffed", "Agents online and not in a custom status (Connect's Staffed), on a contact or not."),
)

# One query, agents/counts, returns every count as a column named by its stat's key (error_alert's is
# needing_attention); the first stat runs it and the others show its result through Grafana's Dashboard datasource.
SOURCE = COUNTS[0][0]


# The counts' row also holds the free slots of each selected channel, a column per channel (NULL on Timestream for
# one not selected, absent on InfluxDB); the slots panel turns them into (channel, slots) rows, in the SQL's order.
CHANNELS = ("VOICE", "CHAT", "TASK")
SLOTS_AS_ROWS: tuple[dict[str, Any], ...] = (
    {"id": "filterFieldsByName", "options": {"include": {"names": list(CHANNELS)}}},
    {"id": "reduce", "options": {"mode": "seriesToRows", "reducers": ["lastNotNull"], "includeTimeField": False}},
    {"id": "organize", "options": {"renameByName": {"Field": "channel", "Last *": "slots"}}},
    {
        "id": "filterByValue",
        "options": {
            "type": "exclude",
            "match": "any",
            "filters": [{"fieldName": "slots", "config": {"id": "isNull", "options": {}}}],
        },
    },
    *influxdb.sort_rows("channel"),
)


def _count(key: str, title: str, text: str, column: str | None = None, **options: Any) -> Panel:
    query = RealtimeQuery("agents/counts") if key == SOURCE else PanelResult(SOURCE)
    return stat_panel(key, query, title, text, fields=(column or key,), **options)


DASHBOARD = Dashboard(
    uid="connect-rt-agents",
    title="Agents - real time",
    folder="connect-realtime",
    description="Amazon Connect agents now, from the agent event stream (latest event per agent, last 15 minutes).",
    refresh="5s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    # Queue and channel narrow the panels about contacts (slots, missed and rejected, the agent table's current
    # contact); agent counts and statuses are per agent, and agent events carry no queue membership.
    variables=(INSTANCE, LIVE_ROUTING_PROFILE, LIVE_HIERARCHY_GROUP, LIVE_QUEUE_WITH_UNQUEUED, CHANNEL),
    rows=(
        Row(
            "Now",
            (
                *tuple(_count(key, title, text) for key, title, text in COUNTS),
                _count(
                    "error_alert",
                    "Agents needing attention",
                    "Agents Connect will not route to until they clear a missed, rejected or failed contact; "
                    "red from one.",
                    "needing_attention",
                    steps=thresholds(("green", None), ("red", 1)),
                ),
            ),
        ),
        Row(
            "Status",
            (
                Panel(
                    "status_summary",
                    breakdown_pie(
                        "Status summary", "Online agents by the status of their latest agent event, as in the counts."
                    ),
                    (RealtimeQuery("agents/status_summary"),),
                    8,
                    8,
                    decimals=0,
                    stores=influxdb.status_summary(),
                ),
                Panel(
                    "slots",
                    BarChart(
                        title="Available slots per channel",
                        description="Slots Connect would route a contact into now, per selected channel (Connect's "
                        "Availability summed): agents routable with nothing to clear; a voice contact takes the agent.",
                        overrides=[column("slots", "Available slots")],
                    ),
                    (PanelResult(SOURCE),),
                    8,
                    8,
                    decimals=0,
                    unit="none",
                    transformations=SLOTS_AS_ROWS,
                ),
                Panel(
                    "missed_rejected",
                    Table(
                        unit="none",
                        title="Missed and rejected contacts per agent",
                        description="Distinct contacts each agent missed or rejected in the range, "
                        "of the selected queues and channels.",
                        overrides=[
                            column("agent", "Agent"),
                            column("missed", "Missed"),
                            column("rejected", "Rejected"),
                        ],
                    ),
                    (RealtimeQuery("agents/missed_rejected"),),
                    8,
                    8,
                    decimals=0,
                    stores=influxdb.missed_rejected(),
                ),
                Panel(
                    "agent_table",
                    Table(
                        unit="none",
                        title="Agents",
                        description="Online agents; queue is that of the latest contact in the agent's snapshot. "
                        "A queue selection keeps only agents on a contact from it.",
                        overrides=[
                            column("agent", "Agent"),
                            column("name", "Name"),
                            column("status", "Status"),
                            column("seconds_in_status", "Time in status", DURATION),
                            column("contact_state", "Contact state"),
                            column("queue", "Queue"),
                            column("routing_profile", "Routing profile"),
                        ],
                    ),
                    (RealtimeQuery("agents/agent_table"),),
                    24,
                    10,
                    decimals=0,
                    stores=influxdb.agent_table(),
                ),
                Panel(
                    "by_status_over_time",
                    TimeSeries(title="Agents by status over time", unit="none"),
                    (RealtimeQuery("agents/by_status_over_time", time_series=True),),
                    24,
                    8,
                    decimals=0,
                    display_name=named_by("status_name"),
                    stores=influxdb.by_status_over_time(),
                ),
            ),
        ),
        Row(
            "Today so far",
            (
                Panel(
                    "occupancy_today",
                    Table(
                        title="Agent occupancy today",
                        description="Per agent, since midnight in the dashboard's time zone: On contact time "
                        "(SUM_CONTACT_TIME_AGENT: a contact connected, on hold, in after-contact work, paused or an "
                        "outbound call ringing, in a routable status), Idle time (SUM_IDLE_TIME_AGENT: routable with "
                        "no contact, or only missed, rejected or failed ones to clear; not while an offer rings) and "
                        "Agent occupancy (AGENT_OCCUPANCY: on contact / (on contact + idle) x 100). Each agent event's "
                        "state counts until the agent's next event, so the day runs from the agent's first event "
                        "today to its latest (a logged-in agent sends one at least every 2 minutes). Agents with no "
                        "on contact or idle time today are not listed.",
                        overrides=[
                            column("agent", "Agent"),
                            column("contact_time", "On contact time", DURATION),
                            column("idle_time", "Idle time", DURATION),
                            column("occupancy", "Occupancy", "percent"),
                        ],
                    ),
                    (RealtimeQuery("agents/occupancy_today"),),
                    24,
                    8,
                    decimals=0,
                    time_from=TODAY,
                    stores=influxdb.agent_table(),
                ),
            ),
        ),
    ),
)
