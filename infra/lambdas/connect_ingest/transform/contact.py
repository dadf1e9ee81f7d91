"""EventBridge "Amazon Connect Contact Event" -> one contact_event record.

The documented samples mix camelCase and PascalCase keys (``agentInfo``/``AgentInfo``) and enum spellings
(``Voice``/``VOICE``), so keys are matched and enums normalised case-insensitively. The customer endpoint
(the caller's phone number) is never read.
"""

from __future__ import annotations

from collections.abc import Mapping

from connect_ingest import datamodel
from connect_ingest.transform.agent import channel_name
from connect_ingest.transform.record import (
    Record,
    TransformError,
    arn_id,
    iso_ms,
    mapping,
    present,
    sub_ms_offset,
    text,
)

DETAIL_TYPE = "Amazon Connect Contact Event"
# An attribute or routing step changed (often while queued): an event, but no state of the contact.
DATA_UPDATED = "CONTACT_DATA_UPDATED"
# The detail timestamp that marks each event type, with millisecond precision; the envelope's `time` has
# only whole seconds and is the fallback.
_EVENT_TIME = {
    "INITIATED": ("initiationtimestamp",),
    "CONNECTED_TO_SYSTEM": ("connectedtosystemtimestamp",),
    "QUEUED": ("queueinfo", "enqueuetimestamp"),
    "CONNECTED_TO_AGENT": ("agentinfo", "connectedtoagenttimestamp"),
    "DISCONNECTED": ("disconnecttimestamp",),
    "COMPLETED": ("agentinfo", "aftercontactworkendtimestamp"),
}
# One contact's events often share a millisecond (QUEUED and DISCONNECTED on an abandon, CONNECTED_TO_SYSTEM
# and CONNECTED_TO_AGENT on an outbound call): microseconds in lifecycle order keep "the latest event by
# time" the later one in Timestream (ns) and in DuckDB (us) alike.
_LIFECYCLE_US = {event_type: rank for rank, event_type in enumerate(_EVENT_TIME)}


def _lower_keys(value: object, field: str) -> dict[str, object]:
    return {str(k).lower(): v for k, v in mapping(value, field).items()}


def contact_event_records(event: object, version: int = 1) -> list[Record]:
    """The record for one EventBridge envelope; raises TransformError when it is not a usable contact event."""
    envelope = _lower_keys(event, "event")
    detail_type = text(envelope.get("detail-type"), "detail-type")
    if detail_type is not None and detail_type.lower() != DETAIL_TYPE.lower():
        raise TransformError(f"detail-type: not an {DETAIL_TYPE}")
    detail = _lower_keys(envelope.get("detail"), "detail")
    if not detail:
        raise TransformError("detail: missing")
    event_type = (text(detail.get("eventtype"), "detail.eventType") or "").upper()
    if not event_type:
        raise TransformError("detail.eventType: missing")
    contact_id = text(detail.get("contactid"), "detail.contactId")
    if contact_id is None:
        raise TransformError("detail.contactId: missing")
    queue = _lower_keys(detail.get("queueinfo"), "detail.queueInfo")
    agent = _lower_keys(detail.get("agentinfo"), "detail.agentInfo")
    nested = {"queueinfo": queue, "agentinfo": agent}

    instance_id = arn_id(text(detail.get("instancearn"), "detail.instanceArn"), "instance")
    if instance_id is None:
        raise TransformError("detail.instanceArn: missing")
    measures = {
        "initial_contact_id": text(detail.get("initialcontactid"), "detail.initialContactId"),
        "initiated_at": iso_ms(detail.get("initiationtimestamp"), "detail.initiationTimestamp"),
        "connected_to_system_at": iso_ms(detail.get("connectedtosystemtimestamp"), "detail.connectedToSystemTimestamp"),
        "enqueued_at": iso_ms(queue.get("enqueuetimestamp"), "detail.queueInfo.enqueueTimestamp"),
        "connected_to_agent_at": iso_ms(
            agent.get("connectedtoagenttimestamp"), "detail.agentInfo.connectedToAgentTimestamp"
        ),
        "disconnected_at": iso_ms(detail.get("disconnecttimestamp"), "detail.disconnectTimestamp"),
        "disconnect_reason": text(detail.get("disconnectreason"), "detail.disconnectReason"),
        "queue_type": _upper(text(queue.get("queuetype"), "detail.queueInfo.queueType")),
    }
    dimensions = {
        "instance_id": instance_id,
        "contact_id": contact_id,
        "event_type": event_type,
        "channel": channel_name(detail.get("channel"), "detail.channel"),
        "initiation_method": _upper(text(detail.get("initiationmethod"), "detail.initiationMethod")),
        "queue_id": arn_id(text(queue.get("queuearn"), "detail.queueInfo.queueArn"), "queue"),
        "agent_id": arn_id(text(agent.get("agentarn"), "detail.agentInfo.agentArn"), "agent"),
    }
    event_id = text(envelope.get("id"), "id") or ""
    time_ms, marked = _event_time(event_type, detail, nested, envelope)
    offset_ns = _LIFECYCLE_US.get(event_type, 0) * 1000 if marked else sub_ms_offset(event_id)
    measures["event_at"] = time_ms
    measures["lifecycle_state"] = _lifecycle_state(event_type, detail, nested)
    if measures["enqueued_at"] is not None:
        measures["dequeued_at"] = measures["connected_to_agent_at"] or measures["disconnected_at"]
    measures["reached_agent"] = measures["connected_to_agent_at"] is not None
    return [
        Record(
            table=datamodel.CONTACT_EVENT.name,
            time_ms=time_ms,
            version=version,
            dimensions=present(dimensions),
            measures=present(measures),
            offset_ns=offset_ns,
            event_id=event_id,
        )
    ]


def _lifecycle_state(event_type: str, detail: Mapping[str, object], nested: Mapping[str, Mapping[str, object]]) -> str:
    """The event's type, or for a data update (no state of its own) the latest stage whose time it carries.

    Connect's events carry the contact as it is then, so a contact's latest event, update or not, tells its
    state: InfluxQL reads one point per contact instead of ranking events (it has no CASE or max_by).
    """
    if event_type != DATA_UPDATED:
        return event_type
    for stage, path in reversed(_EVENT_TIME.items()):
        source = detail if len(path) == 1 else nested[path[0]]
        if source.get(path[-1]) is not None:
            return stage
    return "INITIATED"


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _event_time(
    event_type: str,
    detail: Mapping[str, object],
    nested: Mapping[str, Mapping[str, object]],
    envelope: Mapping[str, object],
) -> tuple[int, bool]:
    """The event's own time in ms, and whether it is the marking detail timestamp (else the envelope's `time`).

    The marking timestamp and the event type (a dimension) identify the event, so a re-delivery lands on
    the same point. The envelope has whole seconds only, so two events of one type and contact in the same
    second (CONTACT_DATA_UPDATED) are kept apart by an offset from the envelope id.
    """
    path = _EVENT_TIME.get(event_type)
    if path is not None:
        source = detail if len(path) == 1 else nested[path[0]]
        marked = iso_ms(source.get(path[-1]), "detail." + ".".join(path))
        if marked is not None:
            return marked, True
    sent = iso_ms(envelope.get("time"), "time")
    if sent is None:
        raise TransformError("time: missing, and the event has no timestamp of its own")
    return sent, False
