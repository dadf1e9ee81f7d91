"""EventBridge "Amazon Connect Contact Event" envelopes, one per line in time order.

Each event carries what Connect knows at that moment (no agentInfo before CONNECTED_TO_AGENT, a disconnect
reason from DISCONNECTED on). Like the documented samples, a few DISCONNECTED events spell the channel
``Voice`` and the agent block ``AgentInfo``/``AgentArn``, and some chats lose their COMPLETED event, so
consumers must match keys case-insensitively and not rely on COMPLETED.
"""

from __future__ import annotations

import json
import random
from typing import IO

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


def _q(text: str | None) -> str:
    """A JSON string (or null) for our own identifiers, ARNs, enums and timestamps, which need no escaping."""
    return "null" if text is None else f'"{text}"'


def _detail(leg: Leg, event_type: str, t: int, instance_arn: str, tags: str, mixed: bool) -> str:
    """The event's ``detail`` as JSON text; built from strings because this runs for every event."""
    parts = [f'"eventType":"{event_type}","contactId":"{leg.contact_id}"']
    if leg.initial_contact_id:
        parts.append(f'"initialContactId":"{leg.initial_contact_id}"')
    if leg.previous_contact_id:
        parts.append(f'"previousContactId":"{leg.previous_contact_id}"')
    parts.append(
        f'"channel":"{"Voice" if mixed else leg.channel}","instanceArn":"{instance_arn}",'
        f'"initiationMethod":"{leg.method}","initiationTimestamp":"{iso_ms(leg.initiated)}"'
    )
    if leg.connected_to_system is not None and leg.connected_to_system <= t:
        parts.append(f'"connectedToSystemTimestamp":"{iso_ms(leg.connected_to_system)}"')
    if leg.queue is not None and leg.enqueued is not None and leg.enqueued <= t:
        parts.append(
            f'"queueInfo":{{"queueArn":"{leg.queue.arn}","queueType":"{leg.queue.queue_type}",'
            f'"enqueueTimestamp":"{iso_ms(leg.enqueued)}"}}'
        )
    agent = leg.agent
    if agent is not None and leg.connected_to_agent is not None and leg.connected_to_agent <= t:
        connected = iso_ms(leg.connected_to_agent)
        if mixed:
            parts.append(f'"AgentInfo":{{"AgentArn":"{agent.arn}","connectedToAgentTimestamp":"{connected}"}}')
        else:
            info = [f'"agentArn":"{agent.arn}","connectedToAgentTimestamp":"{connected}"']
            if agent.hierarchy:
                levels = ",".join(f'"level{i}":{{"arn":"{g.arn}"}}' for i, g in enumerate(agent.hierarchy, start=1))
                info.append(f'"hierarchyGroups":{{{levels}}}')
            if event_type == "COMPLETED" and leg.acw_start is not None and leg.acw_end is not None:
                info.append(
                    f'"afterContactWorkStartTimestamp":"{iso_ms(leg.acw_start)}",'
                    f'"afterContactWorkEndTimestamp":"{iso_ms(leg.acw_end)}",'
                    f'"afterContactWorkDuration":{span_s(leg.acw_start, leg.acw_end)}'
                )
            parts.append(f'"agentInfo":{{{",".join(info)}}}')
    if event_type in ("DISCONNECTED", "COMPLETED"):
        assert leg.disconnected is not None
        parts.append(
            f'"disconnectTimestamp":"{iso_ms(leg.disconnected)}","disconnectReason":{_q(leg.disconnect_reason)}'
        )
    parts.append(f'"tags":{tags}')
    return "{" + ",".join(parts) + "}"


def write_contact_events(trace: Trace, out: IO[str], seed: int) -> int:
    """Write every contact event in (time, contact, lifecycle) order; return the count."""
    rng = random.Random(f"{seed}:contact-events")
    timeline: list[tuple[int, int, int, str]] = []
    for leg in trace.legs:
        keep = not (leg.channel == "CHAT" and rng.random() < LOST_CHAT_COMPLETED_SHARE)
        timeline.extend((t, leg.seq, order, kind) for t, order, kind in leg_events(leg, keep))
    timeline.sort()
    arn = trace.instance.arn
    tags = _dumps({"aws:connect:instanceId": trace.instance.id})
    head = '{"version":"0","id":"'
    middle = f'","detail-type":"Amazon Connect Contact Event","source":"aws.connect","account":"{ACCOUNT}","time":"'
    chunk: list[str] = []
    for t, seq, _order, kind in timeline:
        leg = trace.legs[seq]
        mixed = kind == "DISCONNECTED" and leg.channel == "VOICE" and rng.random() < MIXED_CASE_SHARE
        chunk.append(
            f'{head}{new_id(rng)}{middle}{iso_s(t)}","region":"{REGION}",'
            f'"resources":["{arn}/contact/{leg.contact_id}","{arn}"],"detail":{_detail(leg, kind, t, arn, tags, mixed)}}}\n'
        )
        if len(chunk) >= 2000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return len(timeline)
