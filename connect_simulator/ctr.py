"""Contact trace records as Firehose delivers them: newline-delimited JSON under ``initiation_date=`` folders.

Connect delivers at least once and re-sends a record when it changes, so some contacts appear several times:
re-sent after an attribute update with a later LastUpdateTimestamp (the last one is authoritative), or
delivered twice unchanged. Keys are Connect's PascalCase; every Glue column in ``datamodel.CTR_COLUMNS`` is
present (null when Connect would send null).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from connect_simulator.clock import date_of, iso_s, span_s
from connect_simulator.engine import Trace
from connect_simulator.instance import ACCOUNT, Instance
from connect_simulator.model import Leg

UPDATE_SHARE = 0.05
DOUBLE_UPDATE_SHARE = 0.015
DUPLICATE_SHARE = 0.02
DELIVERY_WINDOW_MS = 5 * 60_000
_DISPOSITIONS = ("resolved", "follow_up", "escalated", "no_action")
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def plan_redeliveries(legs: list[Leg], seed: int) -> None:
    """Decide which records are re-sent after an attribute update and which are delivered twice unchanged."""
    rng = random.Random(f"{seed}:ctr-redelivery")
    for leg in legs:
        draw = rng.random()
        updates = 2 if draw < DOUBLE_UPDATE_SHARE else 1 if draw < UPDATE_SHARE else 0
        at, attributes = leg.completed, dict(leg.attributes)
        for index in range(updates):
            at += rng.randint(30, 2700) * 1000
            attributes = {**attributes, "Disposition": rng.choice(_DISPOSITIONS)}
            if index:
                attributes["SurveyScore"] = str(rng.randint(1, 5))
            leg.updates.append((at, attributes))
        if rng.random() < DUPLICATE_SHARE / (1 - UPDATE_SHARE):
            leg.duplicate_deliveries = 1


def hold_stats(leg: Leg) -> tuple[int, int, int]:
    """(total hold s, longest hold s, number of holds), in the record's whole seconds."""
    spans = [span_s(a, b) for a, b in leg.holds]
    return sum(spans), max(spans, default=0), len(spans)


def talk_s(leg: Leg) -> int:
    """AgentInteractionDuration: connected to the agent and not on hold."""
    assert leg.connected_to_agent is not None and leg.disconnected is not None
    return span_s(leg.connected_to_agent, leg.disconnected) - hold_stats(leg)[0]


def _ts(ms: int | None) -> str | None:
    return iso_s(ms) if ms is not None else None


def _agent(leg: Leg) -> dict[str, Any] | None:
    agent = leg.agent
    if agent is None or leg.connected_to_agent is None:
        return None
    hold, longest, holds = hold_stats(leg)
    acw = span_s(leg.acw_start, leg.acw_end) if leg.acw_start is not None and leg.acw_end is not None else None
    return {
        "ARN": agent.arn,
        "Username": agent.username,
        "ConnectedToAgentTimestamp": _ts(leg.connected_to_agent),
        "AgentInteractionDuration": talk_s(leg),
        "CustomerHoldDuration": hold,
        "LongestHoldDuration": longest,
        "NumberOfHolds": holds,
        "AfterContactWorkDuration": acw,
        "AfterContactWorkStartTimestamp": _ts(leg.acw_start),
        "AfterContactWorkEndTimestamp": _ts(leg.acw_end),
        "AgentPauseDuration": 0,
        "RoutingProfile": {"ARN": agent.profile.arn, "Name": agent.profile.name},
        "HierarchyGroups": (
            {f"Level{i}": {"ARN": g.arn, "GroupName": g.name} for i, g in enumerate(agent.hierarchy, start=1)}
            if agent.hierarchy
            else None
        ),
    }


def _recording(leg: Leg, instance: Instance) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if leg.channel != "VOICE" or leg.connected_to_agent is None:
        return None, []
    day = date_of(leg.initiated).replace("-", "/")
    location = f"connect-recordings-{ACCOUNT}/connect/{instance.id}/CallRecordings/{day}/{leg.contact_id}.wav"
    recording = {"DeletionReason": None, "Location": location, "Status": "AVAILABLE", "Type": "AUDIO"}
    recordings = [
        {
            "FragmentStartNumber": None,
            "FragmentStopNumber": None,
            "Location": location,
            "MediaStreamType": "AUDIO",
            "ParticipantType": "AGENT",
            "StartTimestamp": _ts(leg.connected_to_agent),
            "Status": "AVAILABLE",
            "StopTimestamp": _ts(leg.disconnected),
            "StorageType": "S3",
        }
    ]
    return recording, recordings


def ctr_record(leg: Leg, instance: Instance, last_update: int, attributes: dict[str, str]) -> dict[str, Any]:
    """One contact record as Connect sends it (timestamps in whole seconds, durations in seconds)."""
    queue = None
    if leg.queue is not None and leg.enqueued is not None and leg.dequeued is not None:
        queue = {
            "ARN": leg.queue.arn,
            "Name": leg.queue.name,
            "EnqueueTimestamp": _ts(leg.enqueued),
            "DequeueTimestamp": _ts(leg.dequeued),
            "Duration": span_s(leg.enqueued, leg.dequeued),
        }
    phone = "TELEPHONE_NUMBER"
    recording, recordings = _recording(leg, instance)
    return {
        "AWSAccountId": ACCOUNT,
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Agent": _agent(leg),
        "AgentConnectionAttempts": leg.attempts,
        "AnsweringMachineDetectionStatus": None,
        "Attributes": attributes,
        "Campaign": None,
        "Channel": leg.channel,
        "ConnectedToSystemTimestamp": _ts(leg.connected_to_system),
        "ContactId": leg.contact_id,
        "CustomerEndpoint": {"Address": leg.customer_address, "Type": phone} if leg.customer_address else None,
        "DisconnectReason": leg.disconnect_reason,
        "DisconnectTimestamp": _ts(leg.disconnected),
        "InitialContactId": leg.initial_contact_id,
        "InitiationMethod": leg.method,
        "InitiationTimestamp": _ts(leg.initiated),
        "InstanceARN": instance.arn,
        "LastUpdateTimestamp": _ts(last_update),
        "MediaStreams": [{"Type": "AUDIO"}]
        if leg.channel == "VOICE"
        else [{"Type": "CHAT"}]
        if leg.channel == "CHAT"
        else [],
        "NextContactId": leg.next_contact_id,
        "PreviousContactId": leg.previous_contact_id,
        "Queue": queue,
        "Recording": recording,
        "Recordings": recordings,
        "References": (
            [{"Name": "Ticket", "Status": None, "Type": "URL", "Value": f"https://tickets.example.com/{leg.seq}"}]
            if leg.channel == "TASK"
            else []
        ),
        "RelatedContactId": None,
        "ScheduledTimestamp": _ts(leg.scheduled),
        "SegmentAttributes": None,  # system segment attributes (connect:Subtype...); the simulator sets none
        "SystemEndpoint": {"Address": leg.system_address, "Type": phone} if leg.system_address else None,
        "Tags": {"aws:connect:instanceId": instance.id},
        "TransferCompletedTimestamp": _ts(leg.transfer_completed),
        "TransferredToEndpoint": None,
    }


def deliveries(leg: Leg) -> list[tuple[int, dict[str, str]]]:
    """Every delivery of the record: (LastUpdateTimestamp ms, attributes), the last one authoritative."""
    sent = [(leg.completed, leg.attributes), *leg.updates]
    sent += [sent[-1]] * leg.duplicate_deliveries
    return sent


def write_ctrs(trace: Trace, root: Path) -> tuple[int, int]:
    """Write the records into ``root/initiation_date=YYYY-MM-DD/ctr-<delivery window>.json``; return (lines, files)."""
    files: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for leg in trace.legs:
        partition = date_of(leg.initiated)
        for k, (last_update, _attributes) in enumerate(deliveries(leg)):
            window = last_update // DELIVERY_WINDOW_MS * DELIVERY_WINDOW_MS
            files.setdefault((partition, window), []).append((last_update, leg.seq, k))
    lines = 0
    for (partition, window), records in sorted(files.items(), key=lambda item: item[0]):
        folder = root / f"initiation_date={partition}"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = iso_s(window)[:16].replace("T", "-").replace(":", "-")
        records.sort()
        with (folder / f"ctr-{stamp}.json").open("w", encoding="utf-8") as out:
            for last_update, seq, k in records:
                leg = trace.legs[seq]
                out.write(_dumps(ctr_record(leg, trace.instance, last_update, deliveries(leg)[k][1])))
                out.write("\n")
        lines += len(records)
    return lines, len(files)
