"""Queues, real time: the collector's GetCurrentMetricData snapshots."""

from grafanalib.core import Stat, TimeSeries

from dashboards._common import CHANNEL, INSTANCE, QUEUE
from dashcompiler.define import Dashboard, Panel, Row, TimestreamFormat, TimestreamQuery, thresholds

DASHBOARD = Dashboard(
    uid="connect-rt-queues",
    title="Queues - real time",
    folder="connect-realtime",
    refresh="10s",
    time_from="now-1h",
    tags=("amazon-connect", "real-time"),
    variables=(INSTANCE, QUEUE, CHANNEL),
    rows=(
        Row(
            "Now",
            (
                Panel(
                    "contacts_in_queue",
                    Stat(
                        title="Contacts in queue",
                        description="Contacts waiting in the selected queues and channels, from the latest snapshot.",
                        format="none",
                        decimals=0,
                        reduceCalc="lastNotNull",
                        graphMode="none",
                        thresholds=thresholds(("green", None), ("orange", 5), ("red", 10)),
                    ),
                    (TimestreamQuery("queues/contacts_in_queue.sql"),),
                    width=4,
                ),
            ),
        ),
        Row(
            "Over time",
            (
                Panel(
                    "contacts_in_queue_over_time",
                    TimeSeries(title="Contacts in queue", unit="none"),
                    (TimestreamQuery("queues/contacts_in_queue_over_time.sql", format=TimestreamFormat.TIME_SERIES),),
                    width=24,
                    height=8,
                    decimals=0,
                ),
            ),
        ),
    ),
)
