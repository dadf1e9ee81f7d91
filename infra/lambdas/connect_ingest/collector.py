"""Scheduled collector (EventBridge Scheduler, every minute by default): queue_metrics and resource_snapshot.

It lists standard queues, routing profiles and users, asks GetCurrentMetricData for every queue (at most 100
per call) and channel, grouped by QUEUE and CHANNEL so that OLDEST_CONTACT_AGE is in seconds, builds the
JSON snapshot that ``transform.snapshot_records`` reads, and writes its records. Connect allows 2-5 calls a
second, so throttled calls back off and retry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connect_ingest import config
from connect_ingest.deadletter import DeadLetter, DeadLetters
from connect_ingest.sinks import Backoff, Sink
from connect_ingest.telemetry import Tally, logger, metrics, report
from connect_ingest.transform import METRIC_UNITS, TransformError, snapshot_records

SOURCE = "collector"
CHANNELS = ("VOICE", "CHAT", "TASK")
MAX_QUEUES_PER_CALL = 100
_THROTTLED = frozenset(
    {"ThrottlingException", "TooManyRequestsException", "LimitExceededException", "InternalServiceException"}
)


class ConnectUnavailableError(RuntimeError):
    """Connect kept throttling or failing after back-off; the scheduler's retry policy takes over."""


class SinkUnavailableError(RuntimeError):
    """Raised so that the scheduler retries the run; its DLQ receives it if retries run out."""


def call(method: Callable[..., dict[str, Any]], backoff: Backoff, **params: Any) -> dict[str, Any]:
    """One Connect API call, retried with back-off while throttled or failing on Connect's side."""
    for attempt in range(backoff.attempts):
        try:
            return method(**params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if code not in _THROTTLED and status < 500:
                raise
        except BotoCoreError:
            pass
        if attempt + 1 < backoff.attempts:
            backoff.wait(attempt)
    raise ConnectUnavailableError(
        f"Connect {method.__name__} still throttled or failing after {backoff.attempts} attempts"
    )


def pages(method: Callable[..., dict[str, Any]], key: str, backoff: Backoff, **params: Any) -> list[Any]:
    """Every item of a paginated List/Get call, following NextToken."""
    items: list[Any] = []
    token: str | None = None
    while True:
        response = call(method, backoff, **params, **({"NextToken": token} if token else {}))
        items.extend(response.get(key, []))
        token = response.get("NextToken")
        if not token:
            return items


def collect(client: Any, instance_id: str, now: datetime, backoff: Backoff | None = None) -> dict[str, Any]:
    """The snapshot dict (JSON-safe: boto3's datetimes become ISO-8601 UTC strings)."""
    backoff = backoff or Backoff()
    queues = pages(
        client.list_queues,
        "QueueSummaryList",
        backoff,
        InstanceId=instance_id,
        QueueTypes=["STANDARD"],
        MaxResults=1000,
    )
    profiles = pages(
        client.list_routing_profiles, "RoutingProfileSummaryList", backoff, InstanceId=instance_id, MaxResults=1000
    )
    users = pages(client.list_users, "UserSummaryList", backoff, InstanceId=instance_id, MaxResults=1000)
    metrics_requested = [{"Name": name, "Unit": unit} for name, unit in METRIC_UNITS.items()]
    queue_ids = [q["Id"] for q in queues if q.get("Id")]
    current: list[dict[str, Any]] = []
    for start in range(0, len(queue_ids), MAX_QUEUES_PER_CALL):
        token: str | None = None
        while True:
            response = call(
                client.get_current_metric_data,
                backoff,
                InstanceId=instance_id,
                Filters={"Queues": queue_ids[start : start + MAX_QUEUES_PER_CALL], "Channels": list(CHANNELS)},
                Groupings=["QUEUE", "CHANNEL"],
                CurrentMetrics=metrics_requested,
                MaxResults=100,
                **({"NextToken": token} if token else {}),
            )
            response.pop("ResponseMetadata", None)
            current.append(response)
            token = response.get("NextToken")
            if not token:
                break
    snapshot = {
        "collected_at": iso(now),
        "instance_id": instance_id,
        "current_metric_data": current,
        "queues": queues,
        "routing_profiles": profiles,
        "users": users,
    }
    return jsonable(snapshot)


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """boto3 returns datetimes; the snapshot (and anything written) holds ISO-8601 strings instead."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def process(snapshot: Mapping[str, Any], sink: Sink, dead_letters: DeadLetters, version: int) -> Tally:
    """Write the snapshot's records; each record is an input (written, dead-lettered, or the run is retried)."""
    try:
        records = snapshot_records(snapshot, version)
    except TransformError as exc:
        if dead_letters.send([DeadLetter(SOURCE, str(exc), json.dumps(snapshot))]) != 1:
            raise SinkUnavailableError("the dead-letter queue is unavailable; the run will be retried") from None
        tally = Tally(inputs=1, dead_lettered=1)
        tally.reasons[str(exc)] += 1
        return tally
    tally = Tally(inputs=len(records))
    result = sink.write(records) if records else None
    if result is not None and result.unwritten:
        raise SinkUnavailableError("the sink is unavailable or throttling after retries; the run will be retried")
    rejected = result.rejected if result is not None else {}
    letters = [
        DeadLetter(
            SOURCE,
            reason,
            json.dumps(
                {
                    "table": records[i].table,
                    "time_ms": records[i].time_ms,
                    "dimensions": dict(records[i].dimensions),
                    "measures": dict(records[i].measures),
                }
            ),
        )
        for i, reason in rejected.items()
    ]
    if letters and dead_letters.send(letters) != len(letters):
        raise SinkUnavailableError("the dead-letter queue is unavailable; the run will be retried")
    tally.records_rejected = tally.dead_lettered = len(rejected)
    tally.reasons.update(rejected.values())
    tally.written = tally.records_written = len(records) - len(rejected)
    return tally


@metrics.log_metrics
def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    snapshot = collect(config.connect_client(), config.required("CONNECT_INSTANCE_ID"), datetime.now(UTC))
    logger.info(
        "snapshot collected",
        extra={"queues": len(snapshot["queues"]), "metric_pages": len(snapshot["current_metric_data"])},
    )
    tally = process(snapshot, config.sink(), config.dead_letters(), version=time.time_ns() // 1_000_000)
    report(SOURCE, tally)
    return {"written": tally.written, "dead_lettered": tally.dead_lettered}
