"""Contact history from Athena: Connect's historical metrics over deduplicated CTRs.

Every KPI reads the same deduplicated contact set (queries/athena/_contacts.sql);
variables list values from Timestream so choosing a queue costs no Athena scan.
Routing profile and hierarchy group narrow the agent metrics only: a contact that never
reached an agent has neither, so queue metrics filtered by them would lose every abandon.
"""

from typing import Any

from grafanalib.core import BarChart, Table, TimeSeries

from dashboards._common import (
    CHANNEL,
    DURATION,
    HIERARCHY_GROUP,
    INSTANCE,
    QUEUE_WITH_UNQUEUED,
    ROUTING_PROFILE,
    SERVICE_LEVEL,
    breakdown_pie,
    column,
    named_by,
    stat_panel,
)
from dashcompiler.api import AthenaFormat, AthenaQuery, Dashboard, Panel, Row, thresholds

AGENT_SCOPE = " Only contacts handled by agents of the routing profile and hierarchy group selected."
HANDLED_SCOPE = " Counted when connected to the agent." + AGENT_SCOPE
QUEUE_SCOPE = " Per queue and channel; not narrowed by routing profile or hierarchy group (an abandon has no agent)."


def kpi(
    key: str, title: str, description: str, unit: str, decimals: int, steps: list[dict[str, Any]] | None = None
) -> Panel:
    """A KPI over one history query, queries/athena/history/<key>.sql."""
    query = AthenaQuery(f"history/{key}.sql", result_reuse_minutes=15)
    return stat_panel(key, query, title, description, unit, decimals, steps or thresholds(("blue", None)), width=4)


def hourly_counts(title: str, description: str) -> TimeSeries:
    """Counts per $__timeGroup hour as stacked bars, each drawn after its hour's start (barAlignment 1): an hour
    without contacts has no row (Athena's format 0 fills nothing), which a line would bridge as if contacts went
    on; a missing bar reads as none."""
    return TimeSeries(
        title=title,
        description=description,
        unit="none",
        drawStyle="bars",
        barAlignment=1,
        fillOpacity=80,
        stacking={"mode": "normal"},
        tooltipMode="multi",
    )


def chart(
    key: str,
    visual: Any,  # a grafanalib visualisation, as Panel.visual
    width: int = 12,
    height: int = 8,
    fmt: AthenaFormat = AthenaFormat.TABLE,
    unit: str | None = None,
    series_label: str | None = None,
) -> Panel:
    """A chart or table over one history query; a time series names each series by `series_label`."""
    return Panel(
        key,
        visual,
        (AthenaQuery(f"history/{key}.sql", format=fmt, result_reuse_minutes=15),),
        width,
        height,
        decimals=0,
        unit=unit,
        display_name=named_by(series_label) if series_label else None,
    )


DASHBOARD = Dashboard(
    uid="connect-history-contacts",
    title="Contacts - history",
    folder="connect-history",
    description=(
        "Amazon Connect historical metrics from contact records (CTRs), deduplicated by contact id. "
        "Queue metrics count a contact by when it entered the queue (Connect's \"Contacts queued (enqueue "
        'timestamp)"); handled, handle, interaction, hold and after-contact-work metrics and the agent table by '
        'when it was connected to an agent ("Contacts handled (connected to agent timestamp)"); the others by '
        "when it was initiated. Hour of day and weekday are in the dashboard's time zone (the environment's). "
        "Routing profile and hierarchy group narrow the agent metrics (handled, handle, interaction, hold, "
        "after-contact work, transfers, the agent table), not the queue metrics."
    ),
    time_from="now-7d",
    tags=("amazon-connect", "history"),
    variables=(INSTANCE, QUEUE_WITH_UNQUEUED, CHANNEL, ROUTING_PROFILE, HIERARCHY_GROUP, SERVICE_LEVEL),
    rows=(
        Row(
            "Service",
            (
                kpi(
                    "contacts_queued",
                    "Contacts queued",
                    "Contacts that entered a queue in the time range (CONTACTS_QUEUED)." + QUEUE_SCOPE,
                    "none",
                    0,
                ),
                kpi(
                    "contacts_handled",
                    "Contacts handled (connected to agent)",
                    "Contacts connected to an agent (CONTACTS_HANDLED_BY_CONNECTED_TO_AGENT)." + HANDLED_SCOPE,
                    "none",
                    0,
                ),
                kpi(
                    "contacts_abandoned",
                    "Contacts abandoned",
                    "Contacts queued in the range that the customer left before reaching an agent; callbacks, "
                    "transfers, calls the queue flow ended and expired contacts excluded (CONTACTS_ABANDONED)."
                    + QUEUE_SCOPE,
                    "none",
                    0,
                ),
                kpi(
                    "abandonment_rate",
                    "Abandonment rate",
                    "Abandoned / queued x 100, over contacts queued in the range (ABANDONMENT_RATE)." + QUEUE_SCOPE,
                    "percent",
                    1,
                    thresholds(("green", None), ("orange", 5), ("red", 10)),
                ),
                kpi(
                    "service_level",
                    "Service level",
                    "Contacts queued in the range that left the queue (answered, abandoned or callback) within "
                    "$sl_seconds s / contacts queued x 100 (SERVICE_LEVEL)." + QUEUE_SCOPE,
                    "percent",
                    1,
                    thresholds(("red", None), ("orange", 70), ("green", 80)),
                ),
                kpi(
                    "avg_speed_of_answer",
                    "Average speed of answer",
                    "Mean seconds in queue of contacts queued in the range and answered (AVG_QUEUE_ANSWER_TIME)."
                    + QUEUE_SCOPE,
                    DURATION,
                    0,
                    thresholds(("green", None), ("orange", 30), ("red", 60)),
                ),
            ),
        ),
        Row(
            "Handling",
            (
                kpi(
                    "avg_handle_time",
                    "Average handle time",
                    "Mean talk + hold + after-contact work of handled contacts (AVG_HANDLE_TIME)." + HANDLED_SCOPE,
                    DURATION,
                    0,
                ),
                kpi(
                    "avg_interaction_time",
                    "Average agent interaction time",
                    "Mean agent interaction seconds of handled contacts (AVG_INTERACTION_TIME)." + HANDLED_SCOPE,
                    DURATION,
                    0,
                ),
                kpi(
                    "avg_hold_time",
                    "Average hold time",
                    "Mean customer hold seconds of contacts put on hold at least once (AVG_HOLD_TIME)." + HANDLED_SCOPE,
                    DURATION,
                    0,
                ),
                kpi(
                    "avg_acw_time",
                    "Average after-contact work",
                    "Mean after-contact-work seconds of handled contacts (AVG_AFTER_CONTACT_WORK_TIME)."
                    + HANDLED_SCOPE,
                    DURATION,
                    0,
                ),
                kpi(
                    "avg_abandon_time",
                    "Average abandon time",
                    "Mean seconds in queue of contacts queued in the range and abandoned (AVG_ABANDON_TIME)."
                    + QUEUE_SCOPE,
                    DURATION,
                    0,
                ),
                kpi(
                    "transfers",
                    "Transfers",
                    "Contacts initiated in the range whose transfer out completed." + AGENT_SCOPE,
                    "none",
                    0,
                ),
                kpi("callbacks", "Callbacks", "Contacts initiated in the range by a queued callback.", "none", 0),
            ),
        ),
        Row(
            "Volume",
            (
                chart(
                    "volume_by_channel",
                    hourly_counts(
                        "Contacts per hour by channel",
                        "Contacts initiated in each hour, by channel.",
                    ),
                    width=24,
                    fmt=AthenaFormat.TIME_SERIES,
                    series_label="channel",
                ),
                chart(
                    "volume_by_queue",
                    hourly_counts(
                        "Contacts queued per hour by queue",
                        "Contacts that entered each queue in the hour (CONTACTS_QUEUED_BY_ENQUEUE); "
                        'transfers to an agent\'s own queue are one series, "Agent queues".',
                    ),
                    fmt=AthenaFormat.TIME_SERIES,
                    series_label="queue",
                ),
                chart(
                    "volume_by_initiation_method",
                    hourly_counts(
                        "Contacts per hour by initiation method",
                        "Contacts initiated in each hour, by initiation method, queued or not.",
                    ),
                    fmt=AthenaFormat.TIME_SERIES,
                    series_label="initiation_method",
                ),
                chart(
                    "disconnect_reasons",
                    breakdown_pie(
                        "Disconnect reasons",
                        "Contacts initiated in the range, by disconnect reason (UNKNOWN where none).",
                    ),
                    width=8,
                ),
                chart(
                    "by_hour_of_day",
                    BarChart(
                        title="Contacts by hour of day",
                        description="Contacts initiated in the range, by local hour of initiation in the dashboard's "
                        "time zone (the environment's): the night clocks go back, 01 holds two hours; the night they "
                        "go forward, 01 is missing (Europe/London).",
                        overrides=[column("contacts", "Contacts")],
                    ),
                    width=8,
                    unit="none",
                ),
                chart(
                    "by_weekday",
                    BarChart(
                        title="Contacts by weekday",
                        description="Contacts initiated in the range, by local weekday of initiation in the "
                        "dashboard's time zone (the environment's), 1 Monday.",
                        overrides=[column("contacts", "Contacts")],
                    ),
                    width=8,
                    unit="none",
                ),
            ),
        ),
        Row(
            "Agents",
            (
                chart(
                    "agents",
                    Table(
                        unit="none",
                        title="Agents",
                        description="Per agent of the routing profile and hierarchy group selected: handled, "
                        "mean handle, after-contact-work and hold (over held contacts) seconds.",
                        overrides=[
                            column("agent", "Agent"),
                            column("handled", "Handled"),
                            column("avg_handle_time", "Average handle time", DURATION),
                            column("avg_acw_time", "Average after-contact work", DURATION),
                            column("avg_hold_time", "Average hold time", DURATION),
                        ],
                    ),
                    width=24,
                    height=10,
                ),
            ),
        ),
    ),
)
