"""Template variables and panel helpers shared by the contact-centre dashboards."""

from __future__ import annotations

from typing import Any

from grafanalib.core import PieChartv2, Stat

from dashcompiler.api import CustomVariable, Panel, Query, QueryVariable, TimestreamQuery, thresholds

INSTANCE = QueryVariable("instance", "Instance", "variables/instance.sql", multi=False, include_all=False)
QUEUE = QueryVariable("queue", "Queue", "variables/queue.sql")
# The queue variable of panels over contacts: "All" is a sentinel, so contacts without a queue (outbound) stay in.
QUEUE_WITH_UNQUEUED = QueryVariable("queue", "Queue", "variables/queue.sql", all_value="'__all__'")
CHANNEL = CustomVariable("channel", "Channel", ("VOICE", "CHAT", "TASK", "EMAIL"), multi=True, include_all=True)
# "All" is a sentinel for these: agents without a routing profile or hierarchy group stay in.
ROUTING_PROFILE = QueryVariable(
    "routing_profile", "Routing profile", "variables/routing_profile.sql", all_value="'__all__'"
)
HIERARCHY_GROUP = QueryVariable(
    "hierarchy_group", "Agent hierarchy group", "variables/hierarchy_group.sql", all_value="'__all__'"
)
SERVICE_LEVEL = CustomVariable(
    "sl_seconds",
    "Service level threshold (s)",
    ("10", "15", "20", "30", "45", "60", "90", "120"),
    default="{{ service_level_seconds }}",
    numeric=True,
)
COUNT_STEPS = thresholds(("blue", None))
# Seconds as Grafana's hh:mm:ss, as Connect's reports show durations: unit "s" scales to minutes before
# rounding to the panel's decimals, so 330 s at 0 decimals reads "6 min".
DURATION = "dthms"


def column(name: str, title: str, unit: str | None = None) -> dict[str, Any]:
    """A table override: the header a supervisor reads instead of the query's snake_case column name (which
    `dash query` and the SQL tests keep), and the column's own unit where it differs from the panel's."""
    properties: list[dict[str, Any]] = [{"id": "displayName", "value": title}]
    if unit is not None:
        properties.append({"id": "unit", "value": unit})
    return {"matcher": {"id": "byName", "options": name}, "properties": properties}


def named_by(label: str) -> str:
    """The displayName that names each series by its category alone. Both plugins turn a query's string columns
    into labels on the value field (Timestream: one frame per CREATE_TIME_SERIES row; Athena's time series format:
    LongToWide), so Grafana would name it "<value column> <label>", e.g. "agents Available"."""
    return "${__field.labels." + label + "}"


def breakdown_pie(title: str, description: str) -> PieChartv2:
    """A pie over one row per category: `values` makes each row a slice (Grafana's own suggestion for a
    string and a number column); without it the panel reduces the count column to one slice."""
    return PieChartv2(
        title=title,
        description=description,
        unit="none",
        reduceOptionsValues=True,
        reduceOptionsCalcs=[],
        legendValues=["value", "percent"],
    )


def stat_panel(
    key: str,
    query: Query,
    title: str,
    description: str,
    unit: str = "none",
    decimals: int = 0,
    steps: list[dict[str, Any]] | None = None,
    width: int = 3,
) -> Panel:
    """A single-number KPI panel: the last value of one query, with unit, decimals and thresholds."""
    visual = Stat(
        title=title,
        description=description,
        format=unit,
        decimals=decimals,
        reduceCalc="lastNotNull",
        graphMode="none",
        thresholds=steps or COUNT_STEPS,
    )
    return Panel(key, visual, (query,), width=width)


def live_stat(key: str, sql: str, title: str, description: str, **options: Any) -> Panel:
    """A real-time KPI over one Timestream query."""
    return stat_panel(key, TimestreamQuery(sql), title, description, **options)
