"""Collector snapshot -> queue_metrics and resource_snapshot records.

The snapshot is plain JSON (datetimes as ISO strings) so that the collector, the simulator and the local
query engine share one shape:
``{"collected_at", "instance_id", "current_metric_data": [GetCurrentMetricData responses],
"queues": [...], "routing_profiles": [...], "users": [...]}``.

A response's grouping shows in each result's Dimensions: Queue and Channel (one row per queue and channel),
Queue alone (channel ``ALL``: agents counted once across channels) or none (the instance: queue_id and
channel ``ALL``, agents counted once across queues). Without groupings Connect gives OLDEST_CONTACT_AGE in
milliseconds, so those results are converted to seconds. Every metric row of a snapshot is timed by its
earliest DataSnapshotTime (else the collection time).

One bad metric result or resource entry is rejected on its own (with where and why); the rest are records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from connect_ingest import datamodel
from connect_ingest.transform.agent import channel_name
from connect_ingest.transform.record import (
    Record,
    TransformError,
    Value,
    arn_id,
    count,
    iso_ms,
    mapping,
    present,
    sequence,
    text,
)

# GetCurrentMetricData metric -> queue_metrics measure. The collector requests exactly these (not
# AGENTS_ON_CALL, which Connect defines as the same number as AGENTS_ON_CONTACT).
METRIC_MEASURES = {
    "AGENTS_ONLINE": "agents_online",
    "AGENTS_AVAILABLE": "agents_available",
    "AGENTS_ON_CONTACT": "agents_on_contact",
    "AGENTS_NON_PRODUCTIVE": "agents_non_productive",
    "AGENTS_AFTER_CONTACT_WORK": "agents_after_contact_work",
    "AGENTS_ERROR": "agents_error",
    "AGENTS_STAFFED": "agents_staffed",
    "CONTACTS_IN_QUEUE": "contacts_in_queue",
    "CONTACTS_SCHEDULED": "contacts_scheduled",
    "OLDEST_CONTACT_AGE": "oldest_contact_age_seconds",
    "SLOTS_ACTIVE": "slots_active",
    "SLOTS_AVAILABLE": "slots_available",
}
METRIC_UNITS = {name: ("SECONDS" if name == "OLDEST_CONTACT_AGE" else "COUNT") for name in METRIC_MEASURES}
# snapshot key, resource_type dimension, name field, ARN resource kind
_RESOURCES = (
    ("queues", "queue", "Name", "queue"),
    ("routing_profiles", "routing_profile", "Name", "routing-profile"),
    ("users", "user", "Username", "agent"),
)


@dataclass(frozen=True)
class Rejected:
    """A part of the snapshot that can never become a record: where and why (no values), and the part itself."""

    reason: str
    part: object


@dataclass(frozen=True)
class SnapshotRead:
    records: list[Record]
    rejected: list[Rejected]


def read_snapshot(snapshot: object, version: int = 1) -> SnapshotRead:
    """Every metric row and listed resource that can be read, and each part that cannot.

    Raises TransformError only when the snapshot as a whole is unusable (not an object, no time, no instance).
    """
    snap = mapping(snapshot, "snapshot")
    collected_ms = iso_ms(snap.get("collected_at"), "collected_at")
    if collected_ms is None:
        raise TransformError("collected_at: missing")
    instance_id = text(snap.get("instance_id"), "instance_id")
    if instance_id is None:
        raise TransformError("instance_id: missing")
    queue_names: dict[str, str] = {}
    records: list[Record] = []
    rejected: list[Rejected] = []
    for key, resource_type, name_key, arn_kind in _RESOURCES:
        for where, item in _parts(snap.get(key), key, rejected):
            try:
                resource_id, name, measures = _resource(item, where, name_key, arn_kind)
            except TransformError as exc:
                rejected.append(Rejected(str(exc), item))
                continue
            if resource_type == "queue" and name:
                queue_names[resource_id] = name
            if measures:
                dims = {"instance_id": instance_id, "resource_type": resource_type, "resource_id": resource_id}
                records.append(Record(datamodel.RESOURCE_SNAPSHOT.name, collected_ms, version, dims, measures))
    results: list[tuple[str, object]] = []
    snapshot_times: list[int] = []
    for where, page in _parts(snap.get("current_metric_data"), "current_metric_data", rejected):
        try:
            response = mapping(page, where)
            snapshot_ms = iso_ms(response.get("DataSnapshotTime"), f"{where}.DataSnapshotTime")
            results += _parts(response.get("MetricResults"), f"{where}.MetricResults", rejected)
        except TransformError as exc:
            rejected.append(Rejected(str(exc), page))
            continue
        if snapshot_ms is not None:
            snapshot_times.append(snapshot_ms)
    # One time for every row of the run, so that its groupings land in the same minute of an over-time panel.
    time_ms = min(snapshot_times, default=collected_ms)
    for result_where, result in results:
        try:
            record = _metric_record(result, result_where, time_ms, version, instance_id, queue_names)
        except TransformError as exc:
            rejected.append(Rejected(str(exc), result))
            continue
        if record is not None:
            records.append(record)
    return SnapshotRead(records, rejected)


def snapshot_records(snapshot: object, version: int = 1) -> list[Record]:
    """The records of a snapshot that must be whole (simulated or exported data): any bad part is an error."""
    read = read_snapshot(snapshot, version)
    if read.rejected:
        raise TransformError(read.rejected[0].reason)
    return read.records


def _parts(value: object, field: str, rejected: list[Rejected]) -> list[tuple[str, object]]:
    """A list's items with their place (``queues[3]``); a value that is not a list is itself rejected."""
    try:
        items = sequence(value, field)
    except TransformError as exc:
        rejected.append(Rejected(str(exc), value))
        return []
    return [(f"{field}[{index}]", item) for index, item in enumerate(items)]


def _resource(item: object, where: str, name_key: str, arn_kind: str) -> tuple[str, str | None, dict[str, Value]]:
    entry = mapping(item, where)
    arn = text(entry.get("Arn"), f"{where}.Arn")
    resource_id = text(entry.get("Id"), f"{where}.Id") or arn_id(arn, arn_kind)
    if resource_id is None:
        raise TransformError(f"{where}: no Id or Arn")
    name = text(entry.get(name_key), f"{where}.{name_key}")
    return resource_id, name, present({"name": name, "arn": arn})


def _metric_record(
    item: object, where: str, time_ms: int, version: int, instance_id: str, queue_names: Mapping[str, str]
) -> Record | None:
    result = mapping(item, where)
    dims = mapping(result.get("Dimensions"), f"{where}.Dimensions")
    channel = channel_name(dims.get("Channel"), f"{where}.Dimensions.Channel")
    if dims.get("Queue") is None:
        if channel is not None:
            raise TransformError(f"{where}.Dimensions: a Channel without a Queue (the collector never groups so)")
        queue_id: str | None = datamodel.ALL
        queue_name = None
        grouped = False
    else:
        queue = mapping(dims.get("Queue"), f"{where}.Dimensions.Queue")
        queue_id = text(queue.get("Id"), f"{where}.Dimensions.Queue.Id") or arn_id(
            text(queue.get("Arn"), f"{where}.Dimensions.Queue.Arn"), "queue"
        )
        if queue_id is None:
            raise TransformError(f"{where}.Dimensions.Queue: no Id or Arn")
        queue_name = queue_names.get(queue_id)
        grouped = True
    measures: dict[str, Value | None] = {}
    for index, entry in enumerate(sequence(result.get("Collections"), f"{where}.Collections")):
        collection = mapping(entry, f"{where}.Collections[{index}]")
        metric = mapping(collection.get("Metric"), f"{where}.Collections[{index}].Metric")
        name = text(metric.get("Name"), f"{where}.Collections[{index}].Metric.Name")
        measure = METRIC_MEASURES.get(name or "")
        if measure is None:
            continue
        field = f"{where}.Collections[{name}].Value"
        value = collection.get("Value")
        if name == "OLDEST_CONTACT_AGE":
            measures[measure] = _seconds(value, field, grouped)
        else:
            measures[measure] = count(value, field)
    present_measures = present(measures)
    if not present_measures:
        return None
    return Record(
        table=datamodel.QUEUE_METRICS.name,
        time_ms=time_ms,
        version=version,
        dimensions=present(
            {
                "instance_id": instance_id,
                "queue_id": queue_id,
                "queue_name": queue_name,
                "channel": channel or datamodel.ALL,
            }
        ),
        measures=present_measures,
    )


def _seconds(value: object, field: str, grouped: bool) -> float | None:
    """OLDEST_CONTACT_AGE in seconds: Connect sends seconds when grouped, milliseconds without groupings.

    Milliseconds are floored to whole seconds, as the grouped rows count them, so that the instance row
    equals the largest of its queues' rows.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TransformError(f"{field}: expected a number")
    return float(value) if grouped else float(math.floor(value / 1000))
