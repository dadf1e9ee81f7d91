"""Scheduled collector (EventBridge Scheduler, every minute by default): queue_metrics and resource_snapshot.

It lists standard queues, routing profiles and users and asks GetCurrentMetricData for every queue (at most
100 per call) and channel three ways, because an agent serves several queues and channels and Connect only
counts each agent once within one result: grouped by QUEUE and CHANNEL, grouped by QUEUE (agents once across
channels) and, when every queue fits one call, ungrouped (agents once across the instance). It builds the
JSON snapshot that ``transform.read_snapshot`` reads and writes its records; a part of the snapshot that
cannot be read is dead-lettered on its own. Connect allows 2-5 calls a second, so throttled calls back off
and retry; LimitExceededException is a service quota, not throttling, and fails the run at once.

With a Timestream sink it also writes every table's schema seed once per container (``seed_every_table``):
the collector runs within a minute of deployment, while the event functions may wait hours for a first event.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connect_ingest import config, datamodel
from connect_ingest.deadletter import DeadLetter, DeadLetters
from connect_ingest.published_metrics import SOURCES
from connect_ingest.sinks import Backoff, Sink
from connect_ingest.sinks.timestream import TimestreamSink
from connect_ingest.telemetry import SinkUnavailableError, Tally, logger, metrics, report
from connect_ingest.transform import METRIC_UNITS, Record, TransformError, read_snapshot

SOURCE = SOURCES["collector"]
CHANNELS = ("VOICE", "CHAT", "TASK")
MAX_QUEUES_PER_CALL = 100
# Groupings of each GetCurrentMetricData pass; the ungrouped one only when all queues fit one call.
GROUPINGS: tuple[tuple[str, ...], ...] = (("QUEUE", "CHANNEL"), ("QUEUE",))
_THROTTLED = frozenset({"ThrottlingException", "TooManyRequestsException", "InternalServiceException"})
_QUOTA = "LimitExceededException"


class ConnectUnavailableError(RuntimeError):
    """Connect kept throttling or failing after back-off; Lambda's asynchronous retries take over."""


class ConnectQuotaError(RuntimeError):
    """Connect refused a call for a service quota (LimitExceededException): retrying now cannot help."""


def call(method: Callable[..., dict[str, Any]], backoff: Backoff, **params: Any) -> dict[str, Any]:
    """One Connect API call, retried with back-off while throttled or failing on Connect's side."""
    for attempt in range(backoff.attempts):
        try:
            return method(**params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if code == _QUOTA:
                raise ConnectQuotaError(
                    f"Connect {method.__name__}: {_QUOTA} (a service quota, not throttling): raise the quota in "
                    "Service Quotas or run the collector less often"
                ) from exc
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
    queue_ids = [q["Id"] for q in queues if q.get("Id")]
    chunks = [queue_ids[i : i + MAX_QUEUES_PER_CALL] for i in range(0, len(queue_ids), MAX_QUEUES_PER_CALL)]
    current = [
        page
        for groupings in GROUPINGS
        for chunk in chunks
        for page in metric_pages(client, instance_id, chunk, groupings, backoff)
    ]
    if len(chunks) == 1:
        current += metric_pages(client, instance_id, chunks[0], (), backoff)
    snapshot = {
        "collected_at": iso(now),
        "instance_id": instance_id,
        "current_metric_data": current,
        "queues": queues,
        "routing_profiles": profiles,
        "users": users,
    }
    return jsonable(snapshot)


def metric_pages(
    client: Any, instance_id: str, queue_ids: list[str], groupings: tuple[str, ...], backoff: Backoff
) -> list[dict[str, Any]]:
    """Every page of one GetCurrentMetricData request over these queues and all channels."""
    pages_read: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        response = call(
            client.get_current_metric_data,
            backoff,
            InstanceId=instance_id,
            Filters={"Queues": queue_ids, "Channels": list(CHANNELS)},
            **({"Groupings": list(groupings)} if groupings else {}),
            CurrentMetrics=[{"Name": name, "Unit": unit} for name, unit in METRIC_UNITS.items()],
            MaxResults=100,
            **({"NextToken": token} if token else {}),
        )
        response.pop("ResponseMetadata", None)
        pages_read.append(response)
        token = response.get("NextToken")
        if not token:
            return pages_read


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


def seed_every_table(sink: Sink) -> list[str]:
    """Write the schema seed of every Timestream table not yet seeded by this container; the tables it failed.

    Each function's sink seeds only the tables it writes, so on a new instance ``agent_state``,
    ``agent_contact`` and ``contact_event`` would have no columns (and their panels would fail) until the first
    agent or contact event. The collector runs every minute from deployment, so it seeds them all (its role may
    write all five tables for this). A seed is the same point all hour, so repeating it per container is
    harmless. A failed seed fails nothing: it is logged and tried again on the next run. InfluxDB needs none.
    """
    if not isinstance(sink, TimestreamSink) or not sink.seed_schema:
        return []
    failed = [t.name for t in datamodel.TIMESTREAM_TABLES if t.name not in sink.seeded and not sink.seed(t.name)]
    if failed:
        logger.warning("schema seed not written; tried again on the next run", extra={"tables": failed})
    return failed


def process(snapshot: Mapping[str, Any], sink: Sink, dead_letters: DeadLetters, version: int) -> Tally:
    """Write the snapshot's records; each record and each unreadable part is an input.

    Every input is written or dead-lettered, or the run is retried (the sink or the dead-letter queue down).
    An unusable snapshot (no time or instance) is one input, dead-lettered whole.
    """
    try:
        read = read_snapshot(snapshot, version)
    except TransformError as exc:
        tally = Tally(inputs=1)
        _send(dead_letters, [DeadLetter(SOURCE, str(exc), json.dumps(snapshot))], tally)
        tally.dead_lettered = 1
        tally.reasons[str(exc)] += 1
        return tally
    records = read.records
    tally = Tally(inputs=len(records) + len(read.rejected))
    result = sink.write(records) if records else None
    rejected = result.rejected if result is not None else {}
    tally.records_rejected = len(rejected)
    tally.records_written = len(records) - len(rejected) - (len(result.unwritten) if result is not None else 0)
    if result is not None and result.unwritten:
        raise SinkUnavailableError(f"{result.outage}; the run will be retried", _retrying(tally, result.outage))
    context = {"collected_at": snapshot.get("collected_at"), "instance_id": snapshot.get("instance_id")}
    letters = [DeadLetter(SOURCE, r.reason, json.dumps({**context, "part": r.part})) for r in read.rejected]
    letters += [DeadLetter(SOURCE, reason, json.dumps(_record_payload(records[i]))) for i, reason in rejected.items()]
    _send(dead_letters, letters, tally)
    tally.dead_lettered = len(letters)
    tally.reasons.update(r.reason for r in read.rejected)
    tally.reasons.update(rejected.values())
    tally.written = len(records) - len(rejected)
    return tally


def _send(dead_letters: DeadLetters, letters: list[DeadLetter], tally: Tally) -> None:
    if letters and dead_letters.send(letters) != len(letters):
        why = "the dead-letter queue is unavailable"
        raise SinkUnavailableError(f"{why}; the run will be retried", _retrying(tally, why))


def _retrying(tally: Tally, why: str) -> Tally:
    """The whole run is retried: every input counts as retried (records already stored stay counted)."""
    tally.retried = tally.inputs
    tally.reasons[f"retrying: {why}"] += tally.inputs
    return tally


def _record_payload(record: Record) -> dict[str, Any]:
    return {
        "table": record.table,
        "time_ms": record.time_ms,
        "dimensions": dict(record.dimensions),
        "measures": dict(record.measures),
    }


@metrics.log_metrics
def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    # First, so that a Connect failure does not hold the seeds back.
    seed_every_table(config.sink())
    try:
        snapshot = collect(config.connect_client(), config.required("CONNECT_INSTANCE_ID"), datetime.now(UTC))
    except (ConnectQuotaError, ConnectUnavailableError) as exc:
        logger.error("collection failed; Lambda retries the run", extra={"error": str(exc)})
        raise
    logger.info(
        "snapshot collected",
        extra={"queues": len(snapshot["queues"]), "metric_pages": len(snapshot["current_metric_data"])},
    )
    try:
        tally = process(snapshot, config.sink(), config.dead_letters(), version=time.time_ns() // 1_000_000)
    except SinkUnavailableError as exc:
        if exc.tally is not None:
            report(SOURCE, exc.tally)
        raise
    report(SOURCE, tally)
    return {"written": tally.written, "dead_lettered": tally.dead_lettered}
