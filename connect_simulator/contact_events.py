"""EventBridge "Amazon Connect Contact Event" envelopes, one per line in time order.

Each event carries what Connect knows at that moment (no agentInfo before CONNECTED_TO_AGENT, a disconnect
reason from DISCONNECTED on). Like the documented samples, a few DISCONNECTED events spell the channel
``Voice`` and the agent block ``AgentInfo``/``AgentArn``, and some chats lose their COMPLETED event, so
consumers must match keys case-insensitively and not rely on COMPLETED.
"""

from __future__ import annotations

import json
import random
from typing import IO, Any

from connect_simulator.clock import iso_ms, iso_s, span_s
from connect_simulator.engine import Trace
from connect_simulator.instance import ACCOUNT, REGION, new_id
from connect_simulator.model import Leg

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
MIXED_CASE_SHARE = 0.03
LOST_CHAT_COMPLETED_SHARE = 0.05


def leg_events(leg: Leg, keep_completed: bool) -> list[tuple[int, int, str]]:
    """The (time, order, eventType) events one contact record produces."""
    events = [(leg.initiated, 0, "INITIATED")]
    if leg.connected_to_system is not None:
        events.append((leg.connected_to_system, 1, "CONNECTED_TO_SYSTEM"))
    if leg.enqueued is not None:
        events.append((leg.enqueued, 2, "QUEUED"))
    if leg.connected_to_agent is not None:
        events.append((leg.connected_to_agent, 3, "CONNECTED_TO_AGENT"))
    if leg.disconnected is not None:
        events.append((leg.disconnected, 4, "DISCONNECTED"))
    if leg.acw_end is not None and keep_completed:
        events.append((leg.acw_end, 5, "COMPLETED"))
    return events


def _detail(leg: Leg, event_type: str, t: int, instance_arn: str, instance_id: str, mixed: bool) -> dict[str, Any]:
    detail: dict[str, Any] = {"eventType": event_type, "contactId": leg.contact_id}
    if leg.initial_contact_id:
        detail["initialContactId"] = leg.initial_contact_id
    if leg.previous_contact_id:
        detail["previousContactId"] = leg.previous_contact_id
    detail["channel"] = "Voice" if mixed else leg.channel
    detail["instanceArn"] = instance_arn
    detail["initiationMethod"] = leg.method
    detail["initiationTimestamp"] = iso_ms(leg.initiated)
    if leg.connected_to_system is not None and leg.connected_to_system <= t:
        detail["connectedToSystemTimestamp"] = iso_ms(leg.connected_to_system)
    if leg.queue is not None and leg.enqueued is not None and leg.enqueued <= t:
        detail["queueInfo"] = {
            "queueArn": leg.queue.arn,
            "queueType": leg.queue.queue_type,
            "enqueueTimestamp": iso_ms(leg.enqueued),
        }
    agent = leg.agent
    if agent is not None and leg.connected_to_agent is not None and leg.connected_to_agent <= t:
        if mixed:
            detail["AgentInfo"] = {"AgentArn": agent.arn, "connectedToAgentTimestamp": iso_ms(leg.connected_to_agent)}
        else:
            info: dict[str, Any] = {"agentArn": agent.arn, "connectedToAgentTimestamp": iso_ms(leg.connected_to_agent)}
            if agent.hierarchy:
                info["hierarchyGroups"] = {f"level{i}": {"arn": g.arn} for i, g in enumerate(agent.hierarchy, start=1)}
            if event_type == "COMPLETED" and leg.acw_start is not None and leg.acw_end is not None:
                info["afterContactWorkStartTimestamp"] = iso_ms(leg.acw_start)
                info["afterContactWorkEndTimestamp"] = iso_ms(leg.acw_end)
                info["afterContactWorkDuration"] = span_s(leg.acw_start, leg.acw_end)
            detail["agentInfo"] = info
    if event_type in ("DISCONNECTED", "COMPLETED"):
        assert leg.disconnected is not None
        detail["disconnectTimestamp"] = iso_ms(leg.disconnected)
        detail["disconnectReason"] = leg.disconnect_reason
    detail["tags"] = {"aws:connect:instanceId": instance_id}
    return detail


def write_contact_events(trace: Trace, out: IO[str], seed: int) -> int:
    """Write every contact event in (time, contact, lifecycle) order; return the count."""
    rng = random.Random(f"{seed}:contact-events")
    timeline: list[tuple[int, int, int, str]] = []
    for leg in trace.legs:
        keep = not (leg.channel == "CHAT" and rng.random() < LOST_CHAT_COMPLETED_SHARE)
        timeline.extend((t, leg.seq, order, kind) for t, order, kind in leg_events(leg, keep))
    timeline.sort()
    instance = trace.instance
    for t, seq, _order, kind in timeline:
        leg = trace.legs[seq]
        mixed = kind == "DISCONNECTED" and leg.channel == "VOICE" and rng.random() < MIXED_CASE_SHARE
        envelope = {
            "version": "0",
            "id": new_id(rng),
            "detail-type": "Amazon Connect Contact Event",
            "source": "aws.connect",
            "account": ACCOUNT,
            "time": iso_s(t),
            "region": REGION,
            "resources": [f"{instance.arn}/contact/{leg.contact_id}", instance.arn],
            "detail": _detail(leg, kind, t, instance.arn, instance.id, mixed),
        }
        out.write(_dumps(envelope))
        out.write("\n")
    return len(timeline)
