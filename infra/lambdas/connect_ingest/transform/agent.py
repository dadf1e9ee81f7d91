"""Agent event stream (Kinesis) -> agent_state and agent_contact records.

Connect sends these events in PascalCase consistently, so keys are read exactly (this is the hot path).
Every record is timed by ``EventTimestamp``, never by the clock of the Lambda that processes it, plus a
sub-millisecond offset from ``EventId``: one agent's two events in the same millisecond are two points (in
an arbitrary but stable order), while a re-delivered event lands on its own point again.
"""

from __future__ import annotations

from collections.abc import Mapping

from connect_ingest import datamodel
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
    sub_ms_offset,
    text,
)

AGENT_EVENT_TYPES = frozenset({"LOGIN", "LOGOUT", "STATE_CHANGE", "HEART_BEAT"})
# Agent events say TASKS where every other Connect source says TASK; one spelling keeps the tables joinable.
_CHANNELS = {"VOICE": "VOICE", "CHAT": "CHAT", "TASK": "TASK", "TASKS": "TASK", "EMAIL": "EMAIL"}
_SLOT_CHANNELS = ("VOICE", "CHAT", "TASK")
_HIERARCHY_LEVELS = ("Level5", "Level4", "Level3", "Level2", "Level1")
# Amazon Connect's real-time metric definitions (real-time-metrics-definitions), by contact state: On contact
# (an outbound call ringing too, an inbound offer not), Error, and the offers Connect routes nothing past.
_ON_CONTACT = frozenset({"CONNECTED", "CONNECTED_ONHOLD", "ENDED", "PAUSED"})
_ERROR = frozenset({"MISSED", "ERROR"})
_BLOCKING = frozenset({"MISSED", "REJECTED", "ERROR"})


def channel_name(value: object, field: str) -> str | None:
    name = text(value, field)
    if name is None:
        return None
    upper = name.upper()
    return _CHANNELS.get(upper, upper)


def agent_event_records(event: object, version: int = 1) -> list[Record]:
    """One agent_state record, plus one agent_contact record per contact in the current snapshot."""
    if not isinstance(event, Mapping):
        raise TransformError("agent event: expected a JSON object")
    event_type = text(event.get("EventType"), "EventType")
    if event_type not in AGENT_EVENT_TYPES:
        raise TransformError("EventType: not an agent event (LOGIN, LOGOUT, STATE_CHANGE or HEART_BEAT)")
    time_ms = iso_ms(event.get("EventTimestamp"), "EventTimestamp")
    if time_ms is None:
        raise TransformError("EventTimestamp: missing")
    agent_arn = text(event.get("AgentARN"), "AgentARN")
    agent_id = arn_id(agent_arn, "agent")
    if agent_id is None:
        raise TransformError("AgentARN: missing")
    instance_id = arn_id(text(event.get("InstanceARN"), "InstanceARN") or agent_arn, "instance")
    if instance_id is None:
        raise TransformError("InstanceARN: missing")
    event_id = text(event.get("EventId"), "EventId")
    if event_id is None:
        raise TransformError("EventId: missing")
    offset_ns = sub_ms_offset(event_id)

    snapshot = mapping(event.get("CurrentAgentSnapshot"), "CurrentAgentSnapshot")
    config = mapping(snapshot.get("Configuration"), "Configuration")
    username = text(config.get("Username"), "Configuration.Username")
    profile = mapping(config.get("RoutingProfile"), "Configuration.RoutingProfile")
    status = mapping(snapshot.get("AgentStatus"), "AgentStatus")
    next_status = mapping(snapshot.get("NextAgentStatus"), "NextAgentStatus")
    contacts = [mapping(c, "Contacts[]") for c in sequence(snapshot.get("Contacts"), "Contacts")]

    latest = _latest_contact(contacts)
    measures: dict[str, Value | None] = {
        "event_type": event_type,
        "agent_name": _agent_name(config),
        "status_name": text(status.get("Name"), "AgentStatus.Name"),
        "status_type": text(status.get("Type"), "AgentStatus.Type"),
        "status_start": iso_ms(status.get("StartTimestamp"), "AgentStatus.StartTimestamp"),
        "next_status_name": text(next_status.get("Name"), "NextAgentStatus.Name"),
        "contact_count": len(contacts),
        "contact_state": text(latest.get("State"), "Contacts[].State") if latest else None,
        "contact_queue": _queue_name(latest) if latest else None,
    }
    measures.update(_slots(profile))
    measures.update(_contact_counts(contacts))
    measures.update(_free_slots(measures, contacts))
    records = [
        Record(
            table=datamodel.AGENT_STATE.name,
            time_ms=time_ms,
            version=version,
            dimensions=present(
                {
                    "instance_id": instance_id,
                    "agent_id": agent_id,
                    "agent_username": username,
                    "routing_profile": text(profile.get("Name"), "RoutingProfile.Name"),
                    "hierarchy_group": _hierarchy_group(config),
                }
            ),
            measures=present(measures),
            offset_ns=offset_ns,
            event_id=event_id,
        )
    ]
    for position, contact in enumerate(contacts):
        records.append(_contact_record(contact, position, records[0], instance_id, agent_id, username))
    return records


def _contact_record(
    contact: Mapping[str, object],
    position: int,
    agent_state: Record,
    instance_id: str,
    agent_id: str,
    username: str | None,
) -> Record:
    """One contact of the snapshot, at the time and version of the event's agent_state record.

    A snapshot can list one contact twice (a rejected offer and the next one); ``position`` nanoseconds
    more than the event's offset keeps each a point of its own.
    """
    contact_id = text(contact.get("ContactId"), "Contacts[].ContactId")
    if contact_id is None:
        raise TransformError("Contacts[].ContactId: missing")
    state = text(contact.get("State"), "Contacts[].State")
    if state is None:
        raise TransformError("Contacts[].State: missing")
    return Record(
        table=datamodel.AGENT_CONTACT.name,
        time_ms=agent_state.time_ms,
        version=agent_state.version,
        dimensions=present(
            {
                "instance_id": instance_id,
                "agent_id": agent_id,
                "agent_username": username,
                "contact_id": contact_id,
                "channel": channel_name(contact.get("Channel"), "Contacts[].Channel"),
                "initiation_method": text(contact.get("InitiationMethod"), "Contacts[].InitiationMethod"),
                "queue_name": _queue_name(contact),
                "routing_profile": agent_state.dimensions.get("routing_profile"),
                "hierarchy_group": agent_state.dimensions.get("hierarchy_group"),
            }
        ),
        measures=present(
            {
                "state": state,
                "state_start": iso_ms(contact.get("StateStartTimestamp"), "Contacts[].StateStartTimestamp"),
                "queued_at": iso_ms(contact.get("QueueTimestamp"), "Contacts[].QueueTimestamp"),
                "connected_to_agent_at": iso_ms(
                    contact.get("ConnectedToAgentTimestamp"), "Contacts[].ConnectedToAgentTimestamp"
                ),
                "initial_contact_id": text(contact.get("InitialContactId"), "Contacts[].InitialContactId"),
            }
        ),
        offset_ns=(agent_state.offset_ns + position) % 1_000_000,
        event_id=agent_state.event_id,
    )


def _agent_name(config: Mapping[str, object]) -> str | None:
    parts = (text(config.get("FirstName"), "FirstName"), text(config.get("LastName"), "LastName"))
    return " ".join(p for p in parts if p) or None


def _hierarchy_group(config: Mapping[str, object]) -> str | None:
    """The agent's most specific hierarchy group name: the deepest level that is set."""
    groups = mapping(config.get("AgentHierarchyGroups"), "AgentHierarchyGroups")
    for level in _HIERARCHY_LEVELS:
        name = text(mapping(groups.get(level), f"AgentHierarchyGroups.{level}").get("Name"), f"{level}.Name")
        if name:
            return name
    return None


def _latest_contact(contacts: list[Mapping[str, object]]) -> Mapping[str, object] | None:
    """The contact whose state started last (the later listed on a tie): contact_state and contact_queue are its."""
    latest: tuple[int, Mapping[str, object]] | None = None
    for contact in contacts:
        state = text(contact.get("State"), "Contacts[].State")
        started = iso_ms(contact.get("StateStartTimestamp"), "Contacts[].StateStartTimestamp") or 0
        if state and (latest is None or started >= latest[0]):
            latest = (started, contact)
    return latest[1] if latest else None


def _queue_name(contact: Mapping[str, object]) -> str | None:
    return text(mapping(contact.get("Queue"), "Contacts[].Queue").get("Name"), "Contacts[].Queue.Name")


def _current(contacts: list[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """Each contact once, as its last listing shows it (a rejected offer can be listed again, re-offered)."""
    return list({contact.get("ContactId"): contact for contact in contacts}.values())


def _contact_counts(contacts: list[Mapping[str, object]]) -> dict[str, Value | None]:
    """How many of the snapshot's contacts count towards each of Connect's agent metrics."""
    counts: dict[str, int] = {
        "contacts_on_contact": 0,
        "contacts_after_contact_work": 0,
        "contacts_error": 0,
        "contacts_blocking": 0,
    }
    for contact in _current(contacts):
        state = text(contact.get("State"), "Contacts[].State")
        outbound = text(contact.get("InitiationMethod"), "Contacts[].InitiationMethod") == "OUTBOUND"
        counts["contacts_on_contact"] += state in _ON_CONTACT or (state == "CONNECTING" and outbound)
        counts["contacts_after_contact_work"] += state == "ENDED"
        counts["contacts_error"] += state in _ERROR
        counts["contacts_blocking"] += state in _BLOCKING
    return dict(counts)


def _free_slots(measures: Mapping[str, Value | None], contacts: list[Mapping[str, object]]) -> dict[str, Value | None]:
    """Slots Connect would route into now (Connect's Availability per channel): none unless the status is routable
    with no next status pending and nothing to clear; a voice contact (ACW included) takes the whole agent, so voice
    is free only with no contact, chat and task only without a voice contact (no cross-channel concurrency)."""
    routable = (
        measures["status_type"] == "ROUTABLE"
        and measures["next_status_name"] is None
        and measures["contacts_blocking"] == 0
    )
    on_voice = any(channel_name(c.get("Channel"), "Contacts[].Channel") == "VOICE" for c in contacts)
    free = {"voice": routable and not contacts, "chat": routable and not on_voice, "task": routable and not on_voice}
    return {
        f"{key}_slots_free": (measures.get(f"{key}_slots_available") or 0) if open_ else 0
        for key, open_ in free.items()
    }


def _slots(profile: Mapping[str, object]) -> dict[str, Value | None]:
    slots: dict[str, Value | None] = {}
    for item in sequence(profile.get("Concurrency"), "RoutingProfile.Concurrency"):
        entry = mapping(item, "Concurrency[]")
        channel = channel_name(entry.get("Channel"), "Concurrency[].Channel")
        if channel in _SLOT_CHANNELS:
            key = channel.lower()
            slots[f"{key}_slots_available"] = count(entry.get("AvailableSlots"), "Concurrency[].AvailableSlots")
            slots[f"{key}_slots_max"] = count(entry.get("MaximumSlots"), "Concurrency[].MaximumSlots")
    return slots
