"""Pipeline health: is data being lost or delayed between Amazon Connect and the dashboards? CloudWatch metrics of
the ingest pipeline (the Lambdas' own counts, queues, streams, Firehose), with the pipeline alarms' thresholds drawn
as lines, so what a panel shows red is what paged someone."""

from typing import Any

from grafanalib.core import TimeSeries

from dashboards._common import DURATION
from dashcompiler.api import CloudWatchQuery, Dashboard, Panel, Row, thresholds

# infra/modules/alarms' defaults (and modules/ingest's timeout); tests/dashboards/test_pipeline_health.py holds each
# to its Terraform variable, and every thresholded panel's period to ALARM_PERIOD, so a line is the alarm's.
ALARM_DEFAULTS = {
    "alarm_period_seconds": 300,
    "lambda_errors": 1,
    "lambda_duration_timeout_percent": 80,
    "dead_letter_messages": 1,
    "iterator_age_seconds": 600,
    "firehose_freshness_seconds": 900,
    "collector_min_runs": 3,
    "rejected_records": 1,
}
FUNCTION_TIMEOUT_SECONDS = 60
ALARM_PERIOD = ALARM_DEFAULTS["alarm_period_seconds"]
FUNCTIONS = "the agent-event, contact-event and collector functions"


def above(limit: float) -> list[dict[str, Any]]:
    """Green below the alarm's threshold, red from it on: the alarm fires at or above the line."""
    return thresholds(("green", None), ("red", limit))


def below(limit: float) -> list[dict[str, Any]]:
    """Red below the threshold: the alarm fires when fewer than this happen."""
    return thresholds(("red", None), ("green", limit))


def series(key: str, title: str, unit: str, description: str, steps: list[dict[str, Any]] | None = None) -> Panel:
    """One CloudWatch metric over time (queries/cloudwatch/pipeline/<key>.yaml), its alarm threshold as a line."""
    visual = TimeSeries(
        title=title,
        description=description,
        unit=unit,
        thresholds=steps or thresholds(("blue", None)),
        thresholdsStyleMode="line" if steps else "off",
        legendDisplayMode="list",
    )
    return Panel(key, visual, (CloudWatchQuery(f"pipeline/{key}.yaml"),), width=8, height=8, decimals=0)


PER_MINUTE = "Sum per minute (CloudWatch, 60-second period)."
PER_PERIOD = f"Over {ALARM_PERIOD}-second periods, the alarm's own; the line is its threshold."

DASHBOARD = Dashboard(
    uid="connect-pipeline-health",
    title="Pipeline health",
    folder="connect-pipeline",
    description="Is Amazon Connect data reaching the dashboards? CloudWatch metrics of the ingest pipeline, with the "
    "pipeline alarms' thresholds (infra/modules/alarms) as lines.",
    refresh="1m",
    time_from="now-6h",
    tags=("amazon-connect", "pipeline"),
    rows=(
        Row(
            "Flow",
            (
                series(
                    "events_in",
                    "Events in",
                    "none",
                    "Records Amazon Connect put into each Kinesis stream (IncomingRecords): contact records and "
                    f"agent events. {PER_MINUTE}",
                ),
                series(
                    "inputs_received",
                    "Inputs received",
                    "none",
                    "Inputs each ingest function received (InputsReceived): Kinesis agent events, EventBridge contact "
                    f"events, collector snapshots. {PER_MINUTE}",
                ),
                series(
                    "records_written",
                    "Records written",
                    "none",
                    "Records the real-time store accepted from each ingest function (RecordsWritten), whatever "
                    f"became of their input. {PER_MINUTE}",
                ),
                series(
                    "records_rejected",
                    "Records rejected",
                    "none",
                    "Records the real-time store (or its limits) refused, per ingest function (RecordsRejected); "
                    f"their inputs are dead-lettered. {PER_PERIOD}",
                    above(ALARM_DEFAULTS["rejected_records"]),
                ),
                series(
                    "dead_letters",
                    "Dead letters waiting",
                    "none",
                    "Messages visible in each dead-letter queue (ApproximateNumberOfMessagesVisible, maximum): "
                    f"inputs that were not written, waiting to be inspected and redriven. {PER_PERIOD}",
                    above(ALARM_DEFAULTS["dead_letter_messages"]),
                ),
                series(
                    "collector_runs",
                    "Collector runs",
                    "none",
                    "Invocations of the metrics collector (Invocations, sum); fewer than the line means its "
                    f"schedule is missing runs and queue metrics go stale. {PER_PERIOD}",
                    below(ALARM_DEFAULTS["collector_min_runs"]),
                ),
            ),
        ),
        Row(
            "Delay",
            (
                series(
                    "iterator_age",
                    "Stream iterator age",
                    "ms",
                    "Age of the oldest record a consumer has not read from each Kinesis stream "
                    "(GetRecords.IteratorAgeMilliseconds, maximum): Firehose on contact records, the agent-event "
                    f"function on agent events. {PER_PERIOD}",
                    above(ALARM_DEFAULTS["iterator_age_seconds"] * 1000),
                ),
                series(
                    "firehose_freshness",
                    "Firehose freshness",
                    DURATION,
                    "Age of the oldest record each Firehose delivery stream (contact records, agent events) has not "
                    f"yet delivered to S3 (DeliveryToS3.DataFreshness, maximum): how far history lags. {PER_PERIOD}",
                    above(ALARM_DEFAULTS["firehose_freshness_seconds"]),
                ),
                series(
                    "lambda_duration",
                    "Function duration",
                    "ms",
                    f"Longest run of each of {FUNCTIONS} (Duration, maximum); the line is "
                    f"{ALARM_DEFAULTS['lambda_duration_timeout_percent']}% of the {FUNCTION_TIMEOUT_SECONDS}-second "
                    f"timeout. {PER_PERIOD}",
                    above(FUNCTION_TIMEOUT_SECONDS * 1000 * ALARM_DEFAULTS["lambda_duration_timeout_percent"] / 100),
                ),
                series(
                    "lambda_errors",
                    "Function errors",
                    "none",
                    f"Invocations of {FUNCTIONS} that ended in an unhandled error (Errors, sum); their input is "
                    f"retried, then dead-lettered. {PER_PERIOD}",
                    above(ALARM_DEFAULTS["lambda_errors"]),
                ),
            ),
        ),
    ),
)
