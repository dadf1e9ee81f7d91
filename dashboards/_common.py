"""Template variables and panel helpers shared by the contact-centre dashboards."""

from __future__ import annotations

from typing import Any

from grafanalib.core import PieChartv2, Stat

from dashcompiler.api import (
    SERVICE_LEVEL_CHOICES,
    CustomVariable,
    Panel,
    Query,
    QueryVariable,
    RealtimeQuery,
    thresholds,
)

INSTANCE = QueryVariable("instance", "Instance", "variables/instance", multi=False, include_all=False)
QUEUE = QueryVariable("queue", "Queue", "variables/queue")
CHANNEL = CustomVariable("channel", "Channel", ("VOICE", "CHAT", "TASK", "EMAIL"), multi=True, include_all=True)
# "All" keeps rows without a value too (contacts without a queue, such as outbound; agents without a routing
# profile or hierarchy group): a sentinel the SQL tests ('__all__' IN ($var)) on Timestream and Athena, and on
# InfluxDB, whose queries put the variable in a regex, the custom all value .* (which also matches '').
SQL_ALL = "'__all__'"
INFLUXQL_ALL = {"influxdb": ".*"}
# History: the values come from the real-time store, the queries that use them are Athena's.
QUEUE_WITH_UNQUEUED = QueryVariable("queue", "Queue", "variables/queue", all_value=SQL_ALL)
ROUTING_PROFILE = QueryVariable("routing_profile", "Routing profile", "variables/routing_profile", all_value=SQL_ALL)
HIERARCHY_GROUP = QueryVariable(
    "hierarchy_group", "Agent hierarchy group", "variables/hierarchy_group", all_value=SQL_ALL
)
# Real time: the queries that use them are the store's.
LIVE_QUEUE_WITH_UNQUEUED = QueryVariable(
    "queue", "Queue", "variables/queue", all_value=SQL_ALL, store_all_values=INFLUXQL_ALL
)
LIVE_ROUTING_PROFILE = QueryVariable(
    "routing_profile", "Routing profile", "variables/routing_profile", all_value=SQL_ALL, store_all_values=INFLUXQL_ALL
)
LIVE_HIERARCHY_GROUP = QueryVariable(
    "hierarchy_group",
    "Agent hierarchy group",
    "variables/hierarchy_group",
    all_value=SQL_ALL,
    store_all_values=INFLUXQL_ALL,
)
# The ids of the selected queues, hidden: contact events carry ids, and InfluxQL cannot join names to them.
QUEUE_ID = QueryVariable("queue_id", "Queue id", "variables/queue_id", hide=2, only_in=("influxdb",))
SERVICE_LEVEL = CustomVariable(
    "sl_seconds",
    "Service level threshold (s)",
    tuple(str(seconds) for seconds in SERVICE_LEVEL_CHOICES),
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


def rows_where(*conditions: tuple[str, str, Any], keep: str = "include") -> dict[str, Any]:
    """Grafana's filterByValue transformation: the rows meeting every (field, value matcher, value) condition kept
    (or, `keep="exclude"`, dropped); a value of None is a matcher without one (isNull, isNotNull)."""
    filters = [
        {"fieldName": f, "config": {"id": matcher, "options": {} if v is None else {"value": v}}}
        for f, matcher, v in conditions
    ]
    return {"id": "filterByValue", "options": {"type": keep, "match": "all", "filters": filters}}


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
    fields: tuple[str, ...] = (),
    time_from: str | None = None,
    transformations: tuple[dict[str, Any], ...] = (),
) -> Panel:
    """A single-number KPI panel: the last value of one query (of `fields`, when the query returns more columns,
    or when `query` re-uses another panel's result, after `transformations`), with unit, decimals and thresholds;
    ``time_from`` its own relative time (TODAY), else the dashboard's range."""
    visual = Stat(
        title=title,
        description=description,
        format=unit,
        decimals=decimals,
        reduceCalc="lastNotNull",
        graphMode="none",
        thresholds=steps or COUNT_STEPS,
    )
    return Panel(
        key, visual, (query,), width=width, fields=fields, time_from=time_from, transformations=transformations
    )


def live_stat(key: str, name: str, title: str, description: str, **options: Any) -> Panel:
    """A real-time KPI over one query of the environment's real-time store (`name` without suffix)."""
    return stat_panel(key, RealtimeQuery(name), title, description, **options)
