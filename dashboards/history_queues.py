"""Queue history from Athena: Connect's historical queue metrics per queue over deduplicated CTRs.

Every panel reads the deduplicated contact set of queries/athena/_contacts.sql. Queue metrics count a
contact in the range it entered the queue, handled-contact metrics in the range it was connected to an
agent, callbacks in the range they were initiated, as the contacts dashboard does. Routing profile and
hierarchy group are not offered: a queue's abandons have no agent to filter by.
"""

from grafanalib.core import Table, TimeSeries

from dashboards._common import (
    CHANNEL,
    DURATION,
    INSTANCE,
    QUEUE_WITH_UNQUEUED,
    SERVICE_LEVEL,
    column,
    named_by,
    stat_panel,
)
from dashcompiler.api import AthenaFormat, AthenaQuery, CustomVariable, Dashboard, Panel, Row

# The service level thresholds of the queue table, each its own column (Connect's real-time queue report
# offers 15 to 600 s); queue_performance.sql names the same ones.
TABLE_THRESHOLDS = (15, 20, 30, 60, 90, 120)
# Connect's GetMetricDataV2 interval periods that fit a dashboard: FIFTEEN_MIN, THIRTY_MIN, HOUR, DAY.
INTERVAL = CustomVariable("interval", "Interval", ("15m", "30m", "1h", "1d"), default="1h")
# X of "answered / abandoned within X s": Connect's report offers these (its API takes any whole second).
WITHIN_X = CustomVariable(
    "x_seconds",
    "Answered / abandoned within X (s)",
    ("5", "10", "15", "20", "25", "30", "45", "60", "90", "120", "180", "240", "300", "600"),
    default="10",
    numeric=True,
)
QUEUE_SCOPE = (
    ' Agent queues (transfers to an agent) are one row, "Agent queues"; contacts whose record names no queue '
    "(such as outbound calls) are not in it."
)


def query(key: str, fmt: AthenaFormat = AthenaFormat.TABLE) -> AthenaQuery:
    """The panel's query, queries/athena/history/queues/<key>.sql, its result reused for 15 minutes."""
    return AthenaQuery(f"history/queues/{key}.sql", format=fmt, result_reuse_minutes=15)


def table(key: str, title: str, description: str, columns: list[dict[str, object]], width: int = 24) -> Panel:
    """A per-row table whose columns are named and given units by `columns` (counts otherwise)."""
    visual = Table(title=title, description=description, overrides=columns)
    return Panel(key, visual, (query(key),), width, 9, decimals=0, unit="none")


def stat(key: str, title: str, description: str) -> Panel:
    """A count over the range."""
    return stat_panel(key, query(key), title, description, width=6)


def percent(name: str, title: str) -> dict[str, object]:
    """A percentage column, one decimal."""
    override = column(name, title, "percent")
    override["properties"].append({"id": "decimals", "value": 1})
    return override


PERFORMANCE_COLUMNS = [
    column("queue", "Queue"),
    column("contacts_queued", "Queued"),
    column("contacts_handled", "Handled"),
    column("contacts_abandoned", "Abandoned"),
    percent("abandonment_rate", "Abandonment rate"),
    *(percent(f"service_level_{seconds}", f"Service level {seconds} s") for seconds in TABLE_THRESHOLDS),
    column("avg_speed_of_answer", "Average speed of answer", DURATION),
    column("avg_handle_time", "Average handle time", DURATION),
    column("avg_queued_time", "Average queued time", DURATION),
    column("max_queued_time", "Maximum queued time", DURATION),
]

DASHBOARD = Dashboard(
    uid="connect-history-queues",
    title="Queues - history",
    folder="connect-history",
    description=(
        "Amazon Connect historical queue metrics from contact records (CTRs), deduplicated by contact id, one "
        "row per queue. Queue metrics count a contact by when it entered the queue (Connect's \"Contacts queued "
        '(enqueue timestamp)"); handled and handle time by when it was connected to an agent; callbacks by when '
        "they were initiated. Durations are whole seconds, as CTRs record them."
    ),
    time_from="now-7d",
    tags=("amazon-connect", "history"),
    variables=(INSTANCE, QUEUE_WITH_UNQUEUED, CHANNEL, SERVICE_LEVEL, INTERVAL, WITHIN_X),
    rows=(
        Row(
            "Queue performance",
            (
                table(
                    "queue_performance",
                    "Queue performance",
                    "Per queue; queue metrics over the contacts that entered the queue in the range, handled and "
                    "handle time over those connected to an agent in it. Contacts queued (CONTACTS_QUEUED); handled "
                    "(CONTACTS_HANDLED); abandoned, left by the customer before an agent answered, callbacks, "
                    "transfers, calls the queue flow ended and expired contacts excluded (CONTACTS_ABANDONED); "
                    "abandonment rate, abandoned / queued x 100 (ABANDONMENT_RATE); service level at 15, 20, 30, "
                    "60, 90 and 120 s, queued contacts that left the queue (answered, abandoned or callback) within "
                    "that many seconds / queued x 100 (SERVICE_LEVEL); average speed of answer, mean seconds in "
                    "queue of answered contacts (AVG_QUEUE_ANSWER_TIME); average handle time, mean talk + hold + "
                    "after-contact work of handled contacts (AVG_HANDLE_TIME); average queued time, mean seconds "
                    "in queue of every queued contact; maximum queued time, the longest (MAX_QUEUED_TIME)."
                    + QUEUE_SCOPE,
                    PERFORMANCE_COLUMNS,
                ),
            ),
        ),
        Row(
            "Service level over time",
            (
                Panel(
                    "service_level_by_interval",
                    TimeSeries(
                        title="Service level per interval by queue",
                        description="Per queue and $interval interval: contacts that entered the queue in the "
                        "interval and left it (answered, abandoned or callback) within $sl_seconds s / contacts "
                        "that entered it x 100 (SERVICE_LEVEL). Drawn as points: an interval without contacts "
                        "has none, where a line would bridge it." + QUEUE_SCOPE,
                        unit="percent",
                        valueMin=0,
                        valueMax=100,
                        drawStyle="points",
                        pointSize=7,
                        tooltipMode="multi",
                    ),
                    (query("service_level_by_interval", AthenaFormat.TIME_SERIES),),
                    24,
                    9,
                    decimals=1,
                    display_name=named_by("queue"),
                ),
            ),
        ),
        Row(
            "Answered and abandoned within X",
            (
                table(
                    "within_x",
                    "Answered and abandoned within X s",
                    "Per queue, X = $x_seconds: contacts queued (CONTACTS_QUEUED); answered by an agent within X s "
                    "of entering the queue (CONTACTS_ANSWERED_IN_X); abandoned within X s (CONTACTS_ABANDONED_IN_X, "
                    "short abandons); abandoned after X s; and the abandonment rate without short abandons: "
                    "abandoned after X s / (queued - abandoned within X s) x 100." + QUEUE_SCOPE,
                    [
                        column("queue", "Queue"),
                        column("contacts_queued", "Queued"),
                        column("answered_in_x", "Answered within X s"),
                        column("abandoned_in_x", "Abandoned within X s"),
                        column("abandoned_after_x", "Abandoned after X s"),
                        percent("abandonment_rate_after_x", "Abandonment rate without short abandons"),
                    ],
                ),
            ),
        ),
        Row(
            "Flow, callbacks and direction",
            (
                table(
                    "flow_time",
                    "Time in flows before the queue",
                    "Per queue, over inbound and API (chat, task) contacts that entered the queue in the range: "
                    "seconds from ConnectedToSystemTimestamp to Queue.EnqueueTimestamp, the time in the contact "
                    "flows (IVR) before the queue, mean and longest. CTRs record no flow time of their own: this "
                    "is the part of Connect's contact flow time (SUM_CONTACT_FLOW_TIME) before the queue; time in "
                    "the queue flow, transfers and callbacks (which start in the queue) are not in it." + QUEUE_SCOPE,
                    [
                        column("queue", "Queue"),
                        column("contacts", "Contacts"),
                        column("avg_flow_time", "Average time in flows", DURATION),
                        column("max_flow_time", "Longest time in flows", DURATION),
                    ],
                    width=12,
                ),
                table(
                    "callbacks",
                    "Callbacks",
                    "Per queue, over contacts initiated in the range by a queued callback: callback contacts "
                    "(CALLBACK_CONTACTS); handled, connected to an agent (CALLBACK_CONTACTS_HANDLED); callback "
                    "attempts the customer did not answer: dequeued to an agent and dialled, never connected, not "
                    "expired in the queue (Connect's callback attempts, SUM_RETRY_CALLBACK_ATTEMPTS, as CTRs show "
                    "them); retried: those of them with a next contact, the retry, itself a callback contact counted "
                    "when it is initiated.",
                    [
                        column("queue", "Queue"),
                        column("callback_contacts", "Callback contacts"),
                        column("callback_contacts_handled", "Handled"),
                        column("callback_attempts", "Attempts not answered"),
                        column("callback_retries", "Retried"),
                    ],
                    width=12,
                ),
                stat(
                    "handled_incoming",
                    "Contacts handled incoming",
                    "Inbound, transferred (to an agent or a queue) and callback contacts connected to an agent in "
                    "the range (CONTACTS_HANDLED with initiation method INBOUND, TRANSFER, QUEUE_TRANSFER, CALLBACK: "
                    'Connect\'s "Contacts handled incoming"). API contacts (chats, tasks) are in the table beside.',
                ),
                stat(
                    "handled_outbound",
                    "Contacts handled outbound",
                    "Contacts an agent dialled (initiation method OUTBOUND) connected in the range (CONTACTS_HANDLED "
                    'with initiation method OUTBOUND: Connect\'s "Contacts handled outbound"). A queue selection '
                    "leaves out calls whose record names no queue.",
                ),
                table(
                    "handled_by_initiation_method",
                    "Contacts handled by initiation method",
                    "Contacts connected to an agent in the range, by how they were initiated (CONTACTS_HANDLED "
                    "by INITIATION_METHOD), queued or not.",
                    [column("initiation_method", "Initiation method"), column("contacts_handled", "Handled")],
                    width=12,
                ),
            ),
        ),
    ),
)
