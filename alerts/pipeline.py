"""Freshness alerts: the pipeline stopped, and the wallboards silently show stale numbers.

Real-time data must arrive every minute (collector) or every two minutes per logged-in agent (heartbeats);
contact records reach the lake when contacts end, so only a long silence during opening hours means trouble.
"""

from dashcompiler.alerts_api import (
    AlertRule,
    AthenaQuery,
    Math,
    RealtimeQuery,
    Reduce,
    RuleGroup,
    RuleQuery,
    Setting,
    Threshold,
)

PIPELINE = "connect-pipeline-health"

COLLECTOR = AlertRule(
    uid="connect-ingest-collector-silent",
    title="No collector snapshot",
    description="Collector snapshots of the instance (one per run, every minute) written to the real-time store in "
    "the window; the rule fires when there is none (InfluxQL then returns no series: no data counts as alerting).",
    queries=(RuleQuery(RealtimeQuery("alerts/collector_snapshots", time_series=True), Setting("ingest_silence", "m")),),
    expressions=(
        Reduce("B", "A", "last"),
        Threshold("C", "B", "lt", 1),
    ),
    condition="C",
    no_data="Alerting",
    summary="No collector snapshot reached the real-time store: queue numbers on the wallboards are stale.",
    runbook="Open Pipeline health (linked panel): check the collector Lambda's runs and errors, its schedule, and "
    "the ingest to the real-time store (dead letters, rejected records).",
    panel=(PIPELINE, "collector_runs"),
    labels={"severity": "critical", "area": "pipeline"},
)

AGENT_EVENTS = AlertRule(
    uid="connect-ingest-agent-events-silent",
    title="No agent event while agents are online",
    description="Agent events reaching the real-time store per minute, averaged over the current minute and the "
    "ingest_silence - 1 before it (a logged-in agent sends a heartbeat every 2 minutes), while the collector's "
    "latest snapshot counts agents online (AGENTS_ONLINE, instance total). Without any agent event in the last "
    "hour the query has no data, and the rule keeps its last state: an outage stays alerting, a night stays quiet.",
    queries=(
        RuleQuery(RealtimeQuery("alerts/agent_events_per_minute", ref_id="A", time_series=True), "1h"),
        RuleQuery(RealtimeQuery("alerts/agents_online", ref_id="C", time_series=True), Setting("ingest_silence", "m")),
    ),
    expressions=(
        Reduce("B", "A", "last"),
        Reduce("D", "C", "last"),
        Math("E", "$B == 0 && $D > 0"),
    ),
    condition="E",
    no_data="KeepLast",
    summary="Agents are online but no agent event reached the real-time store: agent panels are stale.",
    runbook="Open Pipeline health (linked panel): check the agent event stream (Kinesis iterator age), the ingest "
    "Lambda's errors and dead letters, and that the instance still streams agent events.",
    panel=(PIPELINE, "records_written"),
    labels={"severity": "critical", "area": "pipeline"},
)

CONTACT_RECORDS = AlertRule(
    uid="connect-lake-ctr-silent",
    title="No new contact record during opening hours",
    description="Contact records (CTRs) of the instance last updated in the window (the last ctr_silence hours) in "
    "the data lake, counted during the opening hours only (outside them the query has no value, read as normal).",
    queries=(RuleQuery(AthenaQuery("alerts/contact_records_recent.sql"), Setting("ctr_silence", "h")),),
    expressions=(
        Reduce("B", "A", "last", mode=""),
        Threshold("C", "B", "lt", 1),
    ),
    condition="C",
    no_data="OK",  # closed
    summary="No contact record reached the data lake during opening hours: history dashboards stop.",
    runbook="Open Pipeline health (linked panel): check the CTR Firehose delivery (freshness, errors) and the "
    "instance's data streaming configuration for contact trace records.",
    panel=(PIPELINE, "firehose_freshness"),
    labels={"severity": "warning", "area": "pipeline"},
)

GROUPS = (
    RuleGroup("connect-ingest", "connect-pipeline", (COLLECTOR, AGENT_EVENTS), interval="1m"),
    RuleGroup("connect-lake", "connect-pipeline", (CONTACT_RECORDS,), interval="10m"),
)
