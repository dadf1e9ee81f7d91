from grafanalib.core import PieChartv2, Stat, StateTimeline, Table, Text, TimeSeries

from dashcompiler.api import (
    BarGauge,
    ConstantVariable,
    CustomVariable,
    Dashboard,
    Gauge,
    Panel,
    QueryVariable,
    Row,
    TimestreamFormat,
    TimestreamQuery,
    thresholds,
)

DASHBOARD = Dashboard(
    uid="cc-live",
    title="Live",
    folder="cc-live",
    refresh="5s",
    time_from="now-30m",
    tags=("test", "amazon-connect"),
    variables=(
        ConstantVariable("instance", "{{ connect_instance_id }}"),
        QueryVariable("queue", "Queue", "queue_names.sql"),
        CustomVariable(
            "sl", "Service level (s)", ("10", "20", "30"), default="{{ service_level_seconds }}", numeric=True
        ),
    ),
    rows=(
        Row(
            "Now",
            (
                Panel(
                    "waiting",
                    Stat(
                        title="Waiting",
                        description="Contacts waiting.",
                        format="none",
                        decimals=0,
                        reduceCalc="lastNotNull",
                    ),
                    (TimestreamQuery("waiting.sql"),),
                    width=6,
                ),
                Panel(
                    "oldest",
                    Gauge(
                        title="Oldest",
                        unit="s",
                        decimals=0,
                        max=600,
                        thresholds=thresholds(("green", None), ("red", 120)),
                    ),
                    (TimestreamQuery("waiting.sql"),),
                ),
                Panel(
                    "by_queue", BarGauge(title="By queue", unit="none", decimals=0), (TimestreamQuery("waiting.sql"),)
                ),
                Panel("share", PieChartv2(title="Share"), (TimestreamQuery("waiting.sql"),), decimals=0),
            ),
        ),
        Row(
            "Trends",
            (
                Panel(
                    "waiting_over_time",
                    TimeSeries(title="Waiting over time", unit="none"),
                    (TimestreamQuery("waiting.sql", format=TimestreamFormat.TIME_SERIES),),
                    width=16,
                    height=8,
                    decimals=0,
                ),
                Panel(
                    "states",
                    StateTimeline(title="States"),
                    (TimestreamQuery("waiting.sql"),),
                    width=8,
                    height=8,
                    decimals=0,
                ),
                Panel(
                    "agents", Table(title="Agents"), (TimestreamQuery("waiting.sql"),), width=24, height=8, decimals=0
                ),
                Panel("note", Text(title="About", content="Counts come from the collector."), (), width=24, height=3),
            ),
        ),
    ),
)
