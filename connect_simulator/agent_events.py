"""Agent event stream records (the JSON Connect puts on Kinesis), one per line in EventTimestamp order.

HEART_BEAT events are added every 120 s while an agent is logged in and nothing else was sent. Each agent's
configuration is serialised once and spliced in, since it is most of every record's bytes.
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Iterator
from typing import IO

from connect_simulator.clock import iso_ms
from connect_simulator.engine import Trace
from connect_simulator.instance import ACCOUNT, Agent, new_id
from connect_simulator.model import BUSY_STATES, AgentEvent, Snapshot

HEARTBEAT_MS = 120_000
_CHANNEL = {"VOICE": "VOICE", "CHAT": "CHAT", "TASK": "TASKS"}  # agent events spell the task channel TASKS
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _configuration_parts(agent: Agent) -> tuple[str, str]:
    """The Configuration object split around RoutingProfile.Concurrency, the only part that changes."""
    profile = agent.profile
    groups = (
        {f"Level{i}": {"ARN": g.arn, "Name": g.name} for i, g in enumerate(agent.hierarchy, start=1)}
        if agent.hierarchy
        else None
    )
    inbound = [{"ARN": agent.own_queue.arn, "Channels": ["VOICE", "CHAT"], "Name": None}]
    inbound += [{"ARN": q.arn, "Channels": list(ch), "Name": q.name} for q, ch in profile.queues]
    head = {
        "AgentHierarchyGroups": groups,
        "FirstName": agent.first_name,
        "LastName": agent.last_name,
        "RoutingProfile": {
            "ARN": profile.arn,
            "Name": profile.name,
            "InboundQueues": inbound,
            "DefaultOutboundQueue": {"ARN": profile.outbound.arn, "Channels": ["VOICE"], "Name": profile.outbound.name},
            "Concurrency": None,
        },
        "Username": agent.username,
    }
    text = _dumps(head)
    before, after = text.split('"Concurrency":null', 1)
    return before + '"Concurrency":', after


def _snapshot_json(snapshot: Snapshot, agent: Agent, config: tuple[str, str]) -> str:
    status = snapshot.status
    next_status = (
        {
            "ARN": snapshot.next_status.arn,
            "Name": snapshot.next_status.name,
            "EnqueuedTimestamp": iso_ms(snapshot.next_status_at or 0),
        }
        if snapshot.next_status
        else None
    )
    in_use: dict[str, int] = {}
    contacts = []
    for view in snapshot.contacts:
        leg = view.leg
        if view.state in BUSY_STATES:
            in_use[leg.channel] = in_use.get(leg.channel, 0) + 1
        queue = leg.queue or (agent.profile.outbound if leg.method == "OUTBOUND" else None)
        contacts.append(
            {
                "Channel": _CHANNEL[leg.channel],
                "ConnectedToAgentTimestamp": iso_ms(view.connected) if view.connected is not None else None,
                "ContactId": leg.contact_id,
                "InitialContactId": leg.initial_contact_id,
                "InitiationMethod": leg.method,
                "Queue": {"ARN": queue.arn, "Name": queue.name} if queue else None,
                "QueueTimestamp": iso_ms(leg.enqueued) if leg.enqueued is not None else None,
                "State": view.state,
                "StateStartTimestamp": iso_ms(view.state_start),
            }
        )
    concurrency = [
        {"AvailableSlots": max(n - in_use.get(c, 0), 0), "Channel": c, "MaximumSlots": n}
        for c, n in agent.profile.concurrency
    ]
    status_json = _dumps(
        {"ARN": status.arn, "Name": status.name, "StartTimestamp": iso_ms(snapshot.status_start), "Type": status.type}
    )
    return (
        f'{{"AgentStatus":{status_json},"NextAgentStatus":{_dumps(next_status)},'
        f'"Configuration":{config[0]}{_dumps(concurrency)}{config[1]},"Contacts":{_dumps(contacts)}}}'
    )


def _with_heartbeats(events: list[AgentEvent]) -> Iterator[tuple[int, int, int, AgentEvent]]:
    """One agent's events with HEART_BEATs filling every 120 s gap while logged in."""
    for index, event in enumerate(events):
        yield (event.time, event.seq, 0, event)
        if event.event_type == "LOGOUT":
            continue
        until = events[index + 1].time if index + 1 < len(events) else event.time
        beat, k = event.time + HEARTBEAT_MS, 1
        while beat < until:
            yield (
                beat,
                event.seq,
                k,
                AgentEvent(beat, event.seq, event.agent, "HEART_BEAT", event.current, event.current),
            )
            beat, k = beat + HEARTBEAT_MS, k + 1


def write_agent_events(trace: Trace, out: IO[str], seed: int) -> int:
    """Write every agent event, merged across agents in (EventTimestamp, emission) order; return the count."""
    rng = random.Random(f"{seed}:agent-events")
    by_agent: dict[int, list[AgentEvent]] = {a.index: [] for a in trace.instance.agents}
    for event in trace.agent_events:
        by_agent[event.agent.index].append(event)
    configs = {a.index: _configuration_parts(a) for a in trace.instance.agents}
    cache: dict[int, tuple[Snapshot, str]] = {}
    instance_arn = trace.instance.arn
    count = 0
    for _time, _seq, _k, event in heapq.merge(*(_with_heartbeats(evs) for evs in by_agent.values())):
        agent = event.agent
        cached = cache.get(agent.index)
        previous = "null"
        if event.previous is not None:
            previous = (
                cached[1]
                if cached and cached[0] is event.previous
                else _snapshot_json(event.previous, agent, configs[agent.index])
            )
        current = (
            previous if event.current is event.previous else _snapshot_json(event.current, agent, configs[agent.index])
        )
        cache[agent.index] = (event.current, current)
        out.write(
            f'{{"AWSAccountId":"{ACCOUNT}","AgentARN":"{agent.arn}","CurrentAgentSnapshot":{current},'
            f'"EventId":"{new_id(rng)}","EventTimestamp":"{iso_ms(event.time)}","EventType":"{event.event_type}",'
            f'"InstanceARN":"{instance_arn}","PreviousAgentSnapshot":{previous},"Version":"2019-05-25"}}\n'
        )
        count += 1
    return count
