"""Agents, real time: the latest agent event per agent from the agent event stream."""

from grafanalib.core import BarChart, PieChartv2, Table, TimeSeries

from dashboards._common import HIERARCHY_GROUP, INSTANCE, ROUTING_PROFILE, live_stat
from dashcompiler.define import Dashboard, Panel, Row, TimestreamFormat, TimestreamQuery, thresholds

COUNTS = (
    ("online", "Agents online", "Agents logged in (any status but Offline), from each agent's latest event."),
    ("available", "Available", "Agents online in a routable status and without a contact."),
    ("on_contact", "On contact", "Agents with a contact ringing, connected, on hold or paused."),
    ("after_contact_work", "In ACW", "Agents whose latest contact ended and who are in after-contact work."),
    ("non_productive", "Non-productive", "Agents in a custom (non-productive) status without a contact."),
    ("error", "Error", "Agents whose latest contact was missed, rejected or failed."),
    ("staffed", "Staffed", "Agents online and not in a custom (non-productive) status."),
)

DASHBOARD = Dashboard(
    uid="connect-rt-agents",
    title="Agents - real time",
    folder="connect-realtime",
    description="Amazon Connect agents now, from the agent event stream (latest event per agent, last 15 minutes).",
    refresh="5s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    variables=(INSTANCE, ROUTING_PROFILE, HIERARCHY_GROUP),
    rows=(
        Row(
            "Now",
            (
                *tuple(live_stat(key, f"agents/{key}.sql", title, text) for key, title, text in COUNTS),
                live_stat(
                    "error_alert",
                    "agents/error.sql",
                    "Agents needing attention",
                    "Agents whose latest contact was missed, rejected or failed; red from one.",
                    steps=thresholds(("green", None), ("red", 1)),
                ),
            ),
        ),
        Row(
            "Status",
            (
                Panel(
                    "status_summary",
                    PieChartv2(title="Status summary", unit="none"),
                    (TimestreamQuery("agents/status_summary.sql"),),
                    8,
                    8,
                    decimals=0,
                ),
                Panel(
                    "slots",
                    BarChart(title="Available slots per channel"),
                    (TimestreamQuery("agents/slots.sql"),),
                    8,
                    8,
                    decimals=0,
                    unit="none",
                ),
                Panel(
                    "missed_rejected",
                    Table(title="Missed and rejected contacts per agent"),
                    (TimestreamQuery("agents/missed_rejected.sql"),),
                    8,
                    8,
                    decimals=0,
                ),
                Panel(
                    "agent_table",
                    Table(title="Agents"),
                    (TimestreamQuery("agents/agent_table.sql"),),
                    24,
                    10,
                    decimals=0,
                ),
                Panel(
                    "by_status_over_time",
                    TimeSeries(title="Agents by status over time", unit="none"),
                    (TimestreamQuery("agents/by_status_over_time.sql", format=TimestreamFormat.TIME_SERIES),),
                    24,
                    8,
                    decimals=0,
                ),
            ),
        ),
    ),
)
