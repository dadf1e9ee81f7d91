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
from connect_simulator.model import BUSY_STATES, AgentEvent, ContactView, Snapshot

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


def _ts(ms: int | None) -> str:
    return "null" if ms is None else f'"{iso_ms(ms)}"'


def _q(text: str | None) -> str:
    """A JSON string (or null) for our own identifiers, which need no escaping."""
    return "null" if text is None else f'"{text}"'


class _Renderer:
    """Snapshot JSON with the pieces that repeat across events (statuses, contact views) cached."""

    def __init__(self) -> None:
        self.contacts: dict[tuple[int, str, int, int | None], str] = {}
        self.statuses: dict[tuple[str, int], str] = {}

    def contact(self, view: ContactView, agent: Agent) -> str:
        leg = view.leg
        key = (leg.seq, view.state, view.state_start, view.connected)
        text = self.contacts.get(key)
        if text is None:
            if len(self.contacts) > 50_000:
                self.contacts.clear()
            queue = leg.queue or (agent.profile.outbound if leg.method == "OUTBOUND" else None)
            queue_json = "null" if queue is None else f'{{"ARN":"{queue.arn}","Name":{_dumps(queue.name)}}}'
            initial = leg.initial_contact_id
            text = (
                f'{{"Channel":"{_CHANNEL[leg.channel]}","ConnectedToAgentTimestamp":{_ts(view.connected)},'
                f'"ContactId":"{leg.contact_id}","InitialContactId":{_q(initial)},'
                f'"InitiationMethod":"{leg.method}","Queue":{queue_json},"QueueTimestamp":{_ts(leg.enqueued)},'
                f'"State":"{view.state}","StateStartTimestamp":"{iso_ms(view.state_start)}"}}'
            )
            self.contacts[key] = text
        return text

    def status(self, snapshot: Snapshot) -> str:
        key = (snapshot.status.arn, snapshot.status_start)
        text = self.statuses.get(key)
        if text is None:
            if len(self.statuses) > 50_000:
                self.statuses.clear()
            status = snapshot.status
            text = (
                f'{{"ARN":"{status.arn}","Name":"{status.name}","StartTimestamp":"{iso_ms(snapshot.status_start)}",'
                f'"Type":"{status.type}"}}'
            )
            self.statuses[key] = text
        return text

    def snapshot(self, snapshot: Snapshot, agent: Agent, config: tuple[str, str]) -> str:
        in_use: dict[str, int] = {}
        for view in snapshot.contacts:
            if view.state in BUSY_STATES:
                in_use[view.leg.channel] = in_use.get(view.leg.channel, 0) + 1
        concurrency = ",".join(
            f'{{"AvailableSlots":{max(n - in_use.get(c, 0), 0)},"Channel":"{c}","MaximumSlots":{n}}}'
            for c, n in agent.profile.concurrency
        )
        following = snapshot.next_status
        next_json = (
            "null"
            if following is None
            else f'{{"ARN":"{following.arn}","Name":"{following.name}","EnqueuedTimestamp":{_ts(snapshot.next_status_at)}}}'
        )
        contacts = ",".join(self.contact(view, agent) for view in snapshot.contacts)
        return (
            f'{{"AgentStatus":{self.status(snapshot)},"NextAgentStatus":{next_json},'
            f'"Configuration":{config[0]}[{concurrency}]{config[1]},"Contacts":[{contacts}]}}'
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
    render = _Renderer()
    instance_arn = trace.instance.arn
    count = 0
    chunk: list[str] = []
    for _time, _seq, _k, event in heapq.merge(*(_with_heartbeats(evs) for evs in by_agent.values())):
        agent = event.agent
        cached = cache.get(agent.index)
        previous = "null"
        if event.previous is not None:
            previous = (
                cached[1]
                if cached and cached[0] is event.previous
                else render.snapshot(event.previous, agent, configs[agent.index])
            )
        current = (
            previous if event.current is event.previous else render.snapshot(event.current, agent, configs[agent.index])
        )
        cache[agent.index] = (event.current, current)
        chunk.append(
            f'{{"AWSAccountId":"{ACCOUNT}","AgentARN":"{agent.arn}","CurrentAgentSnapshot":{current},'
            f'"EventId":"{new_id(rng)}","EventTimestamp":"{iso_ms(event.time)}","EventType":"{event.event_type}",'
            f'"InstanceARN":"{instance_arn}","PreviousAgentSnapshot":{previous},"Version":"2019-05-25"}}\n'
        )
        count += 1
        if len(chunk) >= 500:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return count
