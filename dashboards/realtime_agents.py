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
    rows_where,
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

# One query, agents/agent_table, returns the agents' rows: the table shows those whose in_selected_queues is 1 (a
# queue selection narrows it; Grafana reads no variable in a filter), and the counts, status summary and slots re-use
# the result through Grafana's Dashboard datasource, each keeping the rows it counts and summing their `agents`: 1 on
# one row per online agent, 0 on a row of zeros (so that a count reads 0, not "No data", when no agent is online) and,
# on InfluxDB, on the selected agents' table rows, which InfluxQL returns apart (agent_table.influxql).
# Each count's rows: (field, Grafana value matcher, value); none is every agent.
SOURCE = "agent_table"
CONDITIONS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "online": (),
    "available": (("free_slots", "greater", 0),),
    "on_contact": (("contacts_on_contact", "greater", 0),),
    "after_contact_work": (("contacts_after_contact_work", "greater", 0),),
    "non_productive": (("status_type", "equal", "CUSTOM"),),
    "error": (("contacts_error", "greater", 0),),
    "staffed": (("status_type", "notEqual", "CUSTOM"),),
    "error_alert": (("contacts_blocking", "greater", 0),),
}
# What the panels re-using the agent table's result read, hidden in the table.
HIDDEN = (
    "in_selected_queues",
    "agents",
    "status_type",
    "contacts_on_contact",
    "contacts_after_contact_work",
    "contacts_error",
    "contacts_blocking",
    "free_slots",
    "VOICE",
    "CHAT",
    "TASK",
)


def _counted(key: str) -> tuple[dict[str, Any], ...]:
    """The agent rows `key` counts, summed to one row: the `agents` column's total."""
    conditions = CONDITIONS[key]
    return (
        *((rows_where(*conditions),) if conditions else ()),
        {"id": "filterFieldsByName", "options": {"include": {"names": ["agents"]}}},
        {"id": "reduce", "options": {"mode": "reduceFields", "reducers": ["sum"], "includeTimeField": False}},
    )


# The free slots of each selected channel, a column per channel (NULL on Timestream for one not selected, absent on
# InfluxDB), summed over the agents into (channel, slots) rows, a channel not selected left out.
CHANNELS = ("VOICE", "CHAT", "TASK")
SLOTS_AS_ROWS: tuple[dict[str, Any], ...] = (
    {"id": "filterFieldsByName", "options": {"include": {"names": list(CHANNELS)}}},
    {
        "id": "reduce",
        "options": {"mode": "seriesToRows", "reducers": ["sum", "lastNotNull"], "includeTimeField": False},
    },
    rows_where(("Last *", "isNull", None), keep="exclude"),
    {
        "id": "organize",
        "options": {"excludeByName": {"Last *": True}, "renameByName": {"Field": "channel", "Total": "slots"}},
    },
    *influxdb.sort_rows("channel"),
)


def _count(key: str, title: str, text: str, **options: Any) -> Panel:
    return stat_panel(
        key, PanelResult(SOURCE), title, text, fields=("agents",), transformations=_counted(key), **options
    )


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
                    (PanelResult(SOURCE),),
                    8,
                    8,
                    decimals=0,
                    stores=influxdb.agent_rows(),
                    transformations=(
                        rows_where(("agents", "greater", 0)),
                        *influxdb.count_by("status", "agent", "agents"),
                    ),
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
                    transformations=(
                        rows_where(("in_selected_queues", "equal", 1)),
                        {"id": "organize", "options": {"excludeByName": dict.fromkeys(HIDDEN, True)}},
                    ),
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
