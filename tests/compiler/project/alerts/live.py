from dashcompiler.alerts_api import AlertRule, Math, Reduce, RuleGroup, RuleQuery, Setting, Threshold, TimestreamQuery
from kinds.timestream import TimestreamFormat

WAITING = AlertRule(
    uid="cc-waiting",
    title="Waiting over $limit",
    queries=(RuleQuery(TimestreamQuery("alert_waiting.sql", TimestreamFormat.TIME_SERIES), Setting("window", "m")),),
    expressions=(
        Reduce("B", "A", "max", mode="replaceNN", replace_with=0),
        Threshold("C", "B", "gt", Setting("waiting"), recover=Setting("waiting_clear")),
        Math("D", "$C * 1"),
    ),
    condition="D",
    pending=Setting("pending", "m"),
    keep_firing="2m",
    no_data="KeepLast",
    exec_err="Alerting",
    summary="Queue {{ $labels.queue_name }}: {{ $values.B.Value }} waiting.",
    runbook="Staff the queue.",
    description="Contacts in queue, the most of the window.",
    panel=("cc-live", "waiting"),
    labels={"severity": "page", "cost": "$1"},
)

GROUPS = (RuleGroup("cc-queues", "cc-live", (WAITING,), interval="30s"),)
