"""Real-time alerts on the queues: what a supervisor must hear about before a caller complains.

Every query reads the environment's real-time store (RealtimeQuery: a file per store under queries/<kind>/alerts/),
as one series per queue or for the instance, reduced to its latest value; thresholds come from dash.yaml.
"""

from dashcompiler.alerts_api import AlertRule, Math, RealtimeQuery, Reduce, RuleGroup, RuleQuery, Setting, Threshold

QUEUES = "connect-rt-queues"
RUNBOOK_STAFF = (
    "Open the Queues - real time dashboard (linked panel). Check agents available and staffed for the queue; "
    "move agents onto its routing profile or open overflow, and check the contact flow sends no unexpected volume."
)

SERVICE_LEVEL = AlertRule(
    uid="connect-queue-service-level",
    title="Queue service level below target",
    description="Per queue: contacts that left the queue in the window (answered, or disconnected before reaching "
    "an agent) within the environment's service_level_seconds of entering it, / all that left it, x 100; Amazon "
    "Connect's SERVICE_LEVEL over contacts removed from the queue. Contacts still waiting are not counted.",
    queries=(
        RuleQuery(RealtimeQuery("alerts/queue_service_level", time_series=True), Setting("service_level_window", "m")),
    ),
    expressions=(
        Reduce("B", "A", "last"),
        Threshold("C", "B", "lt", Setting("service_level_percent"), recover=Setting("service_level_recover_percent")),
    ),
    condition="C",
    pending=Setting("service_level_for", "m"),
    keep_firing="5m",  # with the recovery threshold, a queue hovering at its target does not page on every crossing
    no_data="OK",  # no contact left the queue: nothing to measure, not an incident
    summary="Queue {{ $labels.queue_id }}: service level {{ humanize $values.B.Value }}% is below target.",
    runbook=RUNBOOK_STAFF,
    panel=(QUEUES, "today_per_queue"),
    labels={"severity": "warning", "area": "queues"},
)

OLDEST_CONTACT = AlertRule(
    uid="connect-queue-oldest-contact",
    title="Contact waiting too long in queue",
    description="Per queue (all channels): seconds the longest-waiting contact has waited (Amazon Connect's "
    "OLDEST_CONTACT_AGE) in the collector's latest snapshot of the last 5 minutes.",
    queries=(RuleQuery(RealtimeQuery("alerts/queue_oldest_contact", time_series=True), "5m"),),
    expressions=(
        Reduce("B", "A", "last"),
        Threshold("C", "B", "gt", Setting("oldest_contact_seconds")),
    ),
    condition="C",
    pending="1m",
    no_data="OK",  # the collector stopped: the pipeline rules report that
    summary="Queue {{ $labels.queue_name }}: a contact has waited {{ humanizeDuration $values.B.Value }}.",
    runbook=RUNBOOK_STAFF,
    panel=(QUEUES, "oldest_contact_age_over_time"),
    labels={"severity": "critical", "area": "queues"},
)

WAITING_NO_AGENT = AlertRule(
    uid="connect-queue-waiting-no-agent",
    title="Contacts waiting while no agent is available",
    description="Per queue (all channels), in the collector's latest snapshot of the last 5 minutes: contacts in "
    "queue (CONTACTS_IN_QUEUE) above 0 while agents available (AGENTS_AVAILABLE) is 0.",
    queries=(
        RuleQuery(RealtimeQuery("alerts/queue_contacts_in_queue", ref_id="A", time_series=True), "5m"),
        RuleQuery(RealtimeQuery("alerts/queue_agents_available", ref_id="C", time_series=True), "5m"),
    ),
    expressions=(
        Reduce("B", "A", "last"),
        Reduce("D", "C", "last"),
        Math("E", "$B > 0 && $D == 0"),
    ),
    condition="E",
    pending=Setting("waiting_no_agent_for", "m"),
    no_data="OK",
    summary="Queue {{ $labels.queue_name }}: {{ $values.B.Value }} contact(s) waiting and no agent available.",
    runbook=RUNBOOK_STAFF,
    panel=(QUEUES, "per_queue"),
    labels={"severity": "critical", "area": "queues"},
)

AGENTS_ERROR = AlertRule(
    uid="connect-agents-error",
    title="Agents in error",
    description="Agents in an error state after a missed or failed contact (Amazon Connect's AGENTS_ERROR), "
    "instance total, in the collector's latest snapshot of the last 5 minutes. Connect routes them nothing "
    "until they change status.",
    queries=(RuleQuery(RealtimeQuery("alerts/agents_error", time_series=True), "5m"),),
    expressions=(
        Reduce("B", "A", "last"),
        Threshold("C", "B", "gte", Setting("agents_error")),
    ),
    condition="C",
    pending="2m",
    no_data="OK",
    summary="{{ $values.B.Value }} agent(s) in error: Connect routes them no contact.",
    runbook="Open the Agents - real time dashboard and ask the agents in error to set themselves Available; "
    "repeated errors for one agent point at their softphone, browser or headset.",
    panel=(QUEUES, "agents_error"),
    labels={"severity": "warning", "area": "agents"},
)

GROUPS = (
    RuleGroup(
        "connect-queues",
        "connect-realtime",
        (SERVICE_LEVEL, OLDEST_CONTACT, WAITING_NO_AGENT, AGENTS_ERROR),
        interval="1m",
    ),
)
