"""Collector snapshot -> queue_metrics and resource_snapshot records.

The snapshot is plain JSON (datetimes as ISO strings) so that the collector, the simulator and the local
query engine share one shape:
``{"collected_at", "instance_id", "current_metric_data": [GetCurrentMetricData responses],
"queues": [...], "routing_profiles": [...], "users": [...]}``.
"""

from __future__ import annotations

from collections.abc import Mapping

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

# GetCurrentMetricData metric -> queue_metrics measure. The collector requests exactly these.
METRIC_MEASURES = {
    "AGENTS_ONLINE": "agents_online",
    "AGENTS_AVAILABLE": "agents_available",
    "AGENTS_ON_CALL": "agents_on_call",
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


def snapshot_records(snapshot: object, version: int = 1) -> list[Record]:
    """Every queue/channel metric row and every listed resource, timed by the collection (or data snapshot) time."""
    snap = mapping(snapshot, "snapshot")
    collected_ms = iso_ms(snap.get("collected_at"), "collected_at")
    if collected_ms is None:
        raise TransformError("collected_at: missing")
    instance_id = text(snap.get("instance_id"), "instance_id")
    if instance_id is None:
        raise TransformError("instance_id: missing")
    queue_names: dict[str, str] = {}
    records: list[Record] = []
    for key, resource_type, name_key, arn_kind in _RESOURCES:
        for item in sequence(snap.get(key), key):
            entry = mapping(item, f"{key}[]")
            arn = text(entry.get("Arn"), f"{key}[].Arn")
            resource_id = text(entry.get("Id"), f"{key}[].Id") or arn_id(arn, arn_kind)
            if resource_id is None:
                raise TransformError(f"{key}[].Id: missing")
            name = text(entry.get(name_key), f"{key}[].{name_key}")
            if resource_type == "queue" and name:
                queue_names[resource_id] = name
            measures = present({"name": name, "arn": arn})
            if measures:
                records.append(
                    Record(
                        table=datamodel.RESOURCE_SNAPSHOT.name,
                        time_ms=collected_ms,
                        version=version,
                        dimensions={
                            "instance_id": instance_id,
                            "resource_type": resource_type,
                            "resource_id": resource_id,
                        },
                        measures=measures,
                    )
                )
    for page in sequence(snap.get("current_metric_data"), "current_metric_data"):
        response = mapping(page, "current_metric_data[]")
        time_ms = iso_ms(response.get("DataSnapshotTime"), "DataSnapshotTime") or collected_ms
        for result in sequence(response.get("MetricResults"), "MetricResults"):
            record = _metric_record(mapping(result, "MetricResults[]"), time_ms, version, instance_id, queue_names)
            if record is not None:
                records.append(record)
    return records


def _metric_record(
    result: Mapping[str, object], time_ms: int, version: int, instance_id: str, queue_names: Mapping[str, str]
) -> Record | None:
    dims = mapping(result.get("Dimensions"), "MetricResults[].Dimensions")
    queue = mapping(dims.get("Queue"), "Dimensions.Queue")
    queue_id = text(queue.get("Id"), "Dimensions.Queue.Id") or arn_id(
        text(queue.get("Arn"), "Dimensions.Queue.Arn"), "queue"
    )
    measures: dict[str, Value | None] = {}
    for item in sequence(result.get("Collections"), "MetricResults[].Collections"):
        collection = mapping(item, "Collections[]")
        metric = mapping(collection.get("Metric"), "Collections[].Metric")
        name = text(metric.get("Name"), "Collections[].Metric.Name")
        measure = METRIC_MEASURES.get(name or "")
        if measure is None:
            continue
        value = collection.get("Value")
        if name == "OLDEST_CONTACT_AGE":
            measures[measure] = _seconds(value)
        else:
            measures[measure] = count(value, f"Collections[{name}].Value")
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
                "queue_name": queue_names.get(queue_id or ""),
                "channel": channel_name(dims.get("Channel"), "Dimensions.Channel"),
            }
        ),
        measures=present_measures,
    )


def _seconds(value: object) -> float | None:
    """OLDEST_CONTACT_AGE: seconds, because every request (and every snapshot) groups by QUEUE and CHANNEL."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise TransformError("Collections[OLDEST_CONTACT_AGE].Value: expected a number")
    return float(value)
