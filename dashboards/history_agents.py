"""Agent performance history from Athena: one row per agent, at Amazon Connect's metric definitions.

Contact columns read the deduplicated contact records (queries/athena/_contacts.sql); time columns read the
agent events Firehose archives to S3 (the Glue table agent_events), turned into status durations per agent.
"""

from grafanalib.core import Table

from dashboards._common import (
    CHANNEL,
    DURATION,
    HIERARCHY_GROUP,
    INSTANCE,
    QUEUE_WITH_UNQUEUED,
    ROUTING_PROFILE,
    column,
)
from dashcompiler.api import AthenaQuery, Dashboard, Panel, Row

DESCRIPTION = (
    "Per agent of the routing profile and hierarchy group selected. From contact records (contacts connected to "
    "the agent in the range; queue and channel apply): Handled (CONTACTS_HANDLED), Inbound (CONTACTS_HANDLED, "
    "initiation method INBOUND, TRANSFER or QUEUE_TRANSFER), Outbound (CONTACTS_HANDLED, OUTBOUND), Average handle "
    "time (AVG_HANDLE_TIME: talk + hold + after-contact work), Average after-contact work "
    "(AVG_AFTER_CONTACT_WORK_TIME), Average hold time (AVG_HOLD_TIME, over contacts put on hold). From agent events "
    "(queue and channel apply): Agent answer rate (AGENT_ANSWER_RATE: routed contacts answered / routed contacts "
    "answered or not x 100, outbound excluded), Contacts missed (AGENT_NON_RESPONSE: each time a contact routed to "
    "the agent ended missed or rejected). From agent events, per agent whatever the queue and channel: Occupancy "
    "(AGENT_OCCUPANCY: on contact / (on contact + idle) x 100), Non-productive time "
    "(SUM_NON_PRODUCTIVE_TIME_AGENT: in a custom status), Idle time (SUM_IDLE_TIME_AGENT: Available with no contact "
    "connected, on hold, in after-contact work or ringing), On contact time (SUM_CONTACT_TIME_AGENT: Available "
    "with a contact connected, on hold or in after-contact work, wall clock), Online time (SUM_ONLINE_TIME_AGENT: "
    "a status other than Offline, until logout). Each status lasts until the agent's next event, clipped to the range."
)

DASHBOARD = Dashboard(
    uid="connect-history-agents",
    title="Agents - history",
    folder="connect-history",
    description=(
        "Amazon Connect agent performance over the range, one row per agent: contacts from contact records "
        "(deduplicated, counted when connected to the agent), status times from the archived agent event stream."
    ),
    time_from="now-7d",
    tags=("amazon-connect", "history", "agents"),
    variables=(INSTANCE, QUEUE_WITH_UNQUEUED, CHANNEL, ROUTING_PROFILE, HIERARCHY_GROUP),
    rows=(
        Row(
            "Agents",
            (
                Panel(
                    "agent_performance",
                    Table(
                        title="Agent performance",
                        description=DESCRIPTION,
                        overrides=[
                            column("agent", "Agent"),
                            column("handled", "Handled"),
                            column("handled_inbound", "Inbound"),
                            column("handled_outbound", "Outbound"),
                            column("avg_handle_time", "Average handle time", DURATION),
                            column("avg_acw_time", "Average after-contact work", DURATION),
                            column("avg_hold_time", "Average hold time", DURATION),
                            column("occupancy", "Occupancy", "percent"),
                            column("answer_rate", "Agent answer rate", "percent"),
                            column("missed", "Contacts missed"),
                            column("non_productive_time", "Non-productive time", DURATION),
                            column("idle_time", "Idle time", DURATION),
                            column("contact_time", "On contact time", DURATION),
                            column("online_time", "Online time", DURATION),
                        ],
                    ),
                    (AthenaQuery("history_agents/agent_performance.sql", result_reuse_minutes=15),),
                    24,
                    16,
                    decimals=0,
                    unit="none",
                ),
            ),
        ),
    ),
)
