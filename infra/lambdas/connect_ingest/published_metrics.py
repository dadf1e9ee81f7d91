"""What the pipeline publishes to CloudWatch, declared once: the Lambdas' own metrics (telemetry.report emits
exactly these names) and the AWS services' metrics of every resource infra/ creates, by namespace, metric name
and dimensions.

Plain Python, like datamodel.py: the Lambdas ship it, the Terraform alarms' tests (tests/infra) hold every
alarm to it, and the `cloudwatch` datasource kind's checker holds every dashboard panel to it. Resource names
follow infra/'s naming from its `name_prefix`; tests/infra checks that they do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

# POWERTOOLS_METRICS_NAMESPACE: modules/ingest's metrics_namespace default.
CUSTOM_NAMESPACE = "ConnectIngest"
# telemetry.Tally's counts, in the order report() emits them.
TALLY_METRICS = (
    "InputsReceived",
    "InputsWritten",
    "InputsRetried",
    "InputsDeadLettered",
    "RecordsWritten",
    "RecordsRejected",
)
# Function key (modules/ingest local.functions) -> the `source` dimension its handler reports.
SOURCES: Mapping[str, str] = {
    "agent_events": "kinesis:agent-events",
    "contact_events": "eventbridge:contact-events",
    "collector": "collector",
}
STREAMS = ("ctr", "agent_events")  # modules/streams local.streams
DELIVERY_STREAMS = ("ctr", "agent_events")  # Firehose delivery streams (modules/ctr_lake), by key
TIMESTREAM_OPERATIONS = ("WriteRecords",)  # the Lambdas' only Timestream call with errors worth counting


def _dashed(key: str) -> str:
    return key.replace("_", "-")


def service(key: str) -> str:
    """POWERTOOLS_SERVICE_NAME of a function (modules/ingest sets it so): the `service` dimension."""
    return _dashed(key)


def function_names(prefix: str) -> dict[str, str]:
    return {key: f"{prefix}-{_dashed(key)}" for key in SOURCES}


def dead_letter_queue_names(prefix: str) -> dict[str, str]:
    return {key: f"{prefix}-{_dashed(key)}-dlq" for key in SOURCES}


def stream_names(prefix: str) -> dict[str, str]:
    return {key: f"{prefix}-{_dashed(key)}" for key in STREAMS}


def delivery_stream_names(prefix: str) -> dict[str, str]:
    return {key: f"{prefix}-{_dashed(key)}" for key in DELIVERY_STREAMS}


def event_rule_names(prefix: str) -> dict[str, str]:
    return {"contact_events": f"{prefix}-contact-events"}


def workgroup_names(prefix: str) -> dict[str, str]:
    return {"analytics": prefix}


Series = dict[str, str]  # one published dimension combination: dimension name -> value


@dataclass(frozen=True)
class MetricFamily:
    """Metrics one namespace publishes with one set of dimensions, and every series a deployment has."""

    namespace: str
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    series: Callable[[str], list[Series]]  # name_prefix -> every dimension combination published


def _one(dimension: str, names: Callable[[str], dict[str, str]]) -> Callable[[str], list[Series]]:
    return lambda prefix: [{dimension: name} for name in names(prefix).values()]


def _custom(prefix: str) -> list[Series]:
    return [{"service": service(key), "source": source} for key, source in SOURCES.items()]


def _athena(prefix: str) -> list[Series]:
    return [
        {"QueryState": state, "QueryType": kind, "WorkGroup": workgroup}
        for workgroup in workgroup_names(prefix).values()
        for state in ("SUCCEEDED", "FAILED", "CANCELED")
        for kind in ("DML", "DDL")
    ]


FAMILIES: tuple[MetricFamily, ...] = (
    MetricFamily(CUSTOM_NAMESPACE, ("service", "source"), TALLY_METRICS, _custom),
    MetricFamily(
        "AWS/Lambda",
        ("FunctionName",),
        (
            "Invocations",
            "Errors",
            "Throttles",
            "Duration",
            "ConcurrentExecutions",
            "IteratorAge",
            "DeadLetterErrors",
            "AsyncEventsReceived",
            "AsyncEventAge",
            "AsyncEventsDropped",
            "DestinationDeliveryFailures",
        ),
        _one("FunctionName", function_names),
    ),
    MetricFamily(
        "AWS/SQS",
        ("QueueName",),
        (
            "ApproximateNumberOfMessagesVisible",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
            "ApproximateAgeOfOldestMessage",
            "NumberOfMessagesSent",
            "NumberOfMessagesReceived",
            "NumberOfMessagesDeleted",
            "NumberOfEmptyReceives",
            "SentMessageSize",
        ),
        _one("QueueName", dead_letter_queue_names),
    ),
    MetricFamily(
        "AWS/Kinesis",
        ("StreamName",),
        (
            "GetRecords.IteratorAgeMilliseconds",
            "GetRecords.Records",
            "GetRecords.Success",
            "IncomingRecords",
            "IncomingBytes",
            "PutRecord.Success",
            "PutRecords.SuccessfulRecords",
            "PutRecords.ThrottledRecords",
            "ReadProvisionedThroughputExceeded",
            "WriteProvisionedThroughputExceeded",
        ),
        _one("StreamName", stream_names),
    ),
    MetricFamily(
        "AWS/Firehose",
        ("DeliveryStreamName",),
        (
            "DataReadFromKinesisStream.Records",
            "DataReadFromKinesisStream.Bytes",
            "KinesisMillisBehindLatest",
            "DeliveryToS3.Records",
            "DeliveryToS3.Bytes",
            "DeliveryToS3.Success",
            "DeliveryToS3.DataFreshness",
            "DeliveryToS3.ObjectCount",
            "SucceedConversion.Records",
            "FailedConversion.Records",
            "PartitionCount",
            "PartitionCountExceeded",
            "JQProcessing.Duration",
        ),
        _one("DeliveryStreamName", delivery_stream_names),
    ),
    MetricFamily(
        "AWS/Events",
        ("RuleName",),
        (
            "Invocations",
            "FailedInvocations",
            "TriggeredRules",
            "MatchedEvents",
            "InvocationsSentToDlq",
            "InvocationsFailedToBeSentToDlq",
            "ThrottledRules",
        ),
        _one("RuleName", event_rule_names),
    ),
    MetricFamily(
        "AWS/Athena",
        ("QueryState", "QueryType", "WorkGroup"),
        (
            "ProcessedBytes",
            "TotalExecutionTime",
            "QueryQueueTime",
            "QueryPlanningTime",
            "EngineExecutionTime",
            "ServiceProcessingTime",
        ),
        _athena,
    ),
    # Timestream for LiveAnalytics counts errors by operation only (realtime_store = "timestream").
    MetricFamily(
        "AWS/Timestream",
        ("Operation",),
        ("UserErrors", "SystemErrors"),
        lambda prefix: [{"Operation": operation} for operation in TIMESTREAM_OPERATIONS],
    ),
)


def family(namespace: str, metric: str, dimensions: frozenset[str]) -> MetricFamily | None:
    """The family publishing `metric` in `namespace` with exactly these dimension names, or None."""
    for candidate in FAMILIES:
        same_dimensions = frozenset(candidate.dimensions) == dimensions
        if candidate.namespace == namespace and metric in candidate.metrics and same_dimensions:
            return candidate
    return None
