"""Queues and agent selection: which waiting contact an agent gets, and which agent a new contact gets.

Invariant the engine keeps: a (queue, channel) holds waiting contacts only while none of its eligible agents
has a free slot for that channel, because every slot freed is offered to the oldest waiting contact at once.
That lets a new contact skip the agent search whenever its queue already has a line.
"""

from __future__ import annotations

import heapq

from connect_simulator.instance import Instance
from connect_simulator.model import AgentState, Leg

Key = tuple[str, str]  # (queue id, channel)
OUTBOUND: Key = ("outbound", "VOICE")  # every agent who can take a call, for agent-initiated calls


class Router:
    """Waiting lines per (queue, channel), the contacts in each queue, and the agents eligible for each."""

    def __init__(self, instance: Instance, agents: list[AgentState]) -> None:
        self.lines: dict[Key, list[tuple[int, int, Leg]]] = {}
        self.in_queue: dict[Key, dict[int, Leg]] = {}  # enqueued, not yet dequeued (ringing included)
        self.scheduled: dict[Key, dict[int, Leg]] = {}  # callbacks waiting for their scheduled time
        self.eligible: dict[Key, list[AgentState]] = {}
        self.keys_of: dict[int, list[Key]] = {}
        # Per key, a heap of (idle since, agent index, push order, agent) for agents who may have a free slot;
        # entries are checked when they reach the top, so an agent is pushed again whenever it frees up.
        self.idle: dict[Key, list[tuple[int, int, int, AgentState]]] = {}
        self.pushes = 0
        for state in agents:
            agent = state.agent
            keys = [(agent.own_queue.id, ch) for ch in ("VOICE", "CHAT")]
            keys += [(queue.id, ch) for queue, channels in agent.profile.queues for ch in channels]
            self.keys_of[agent.index] = keys
            for key in [*keys, OUTBOUND] if agent.profile.max_slots("VOICE") else keys:
                self.eligible.setdefault(key, []).append(state)
        for queue in instance.queues:
            for channel in ("VOICE", "CHAT", "TASK"):
                self.in_queue[(queue.id, channel)] = {}
                self.scheduled[(queue.id, channel)] = {}

    def key(self, leg: Leg) -> Key:
        assert leg.queue is not None
        return (leg.queue.id, leg.channel)

    def enter(self, leg: Leg) -> None:
        self.in_queue.setdefault(self.key(leg), {})[leg.seq] = leg

    def leave(self, leg: Leg) -> None:
        self.in_queue[self.key(leg)].pop(leg.seq, None)

    def has_line(self, key: Key) -> bool:
        line = self.lines.get(key)
        while line and not line[0][2].waiting:
            heapq.heappop(line)
        return bool(line)

    def wait(self, leg: Leg) -> None:
        assert leg.enqueued is not None
        leg.waiting = True
        heapq.heappush(self.lines.setdefault(self.key(leg), []), (leg.enqueued, leg.seq, leg))

    def may_take_work(self, state: AgentState) -> None:
        """Note that this agent may now have a free slot (login, back from a status, a contact cleared)."""
        keys = self.keys_of[state.agent.index]
        for key in [*keys, OUTBOUND] if state.agent.profile.max_slots("VOICE") else keys:
            self.pushes += 1
            heapq.heappush(self.idle.setdefault(key, []), (state.idle_since, state.agent.index, self.pushes, state))

    def idle_agent(self, key: Key) -> AgentState | None:
        """The longest-idle agent with a free slot for ``key``'s channel, dropping entries that no longer hold."""
        heap = self.idle.get(key)
        while heap:
            idle_since, _index, _push, state = heap[0]
            if idle_since == state.idle_since and state.free_slots(key[1]) > 0:
                return state
            heapq.heappop(heap)
        return None

    def agent_for(self, leg: Leg) -> AgentState | None:
        """The longest-idle agent with a free slot for this contact, unless others are already waiting."""
        key = self.key(leg)
        return None if self.has_line(key) else self.idle_agent(key)

    def next_for(self, state: AgentState) -> Leg | None:
        """The contact this agent should be offered now: its own queue first, then the oldest waiting."""
        best: tuple[int, int, int, Key] | None = None
        own = state.agent.own_queue.id
        for key in self.keys_of[state.agent.index]:
            if not self.has_line(key) or state.free_slots(key[1]) <= 0:
                continue
            enqueued, seq, _leg = self.lines[key][0]
            rank = (0 if key[0] == own else 1, enqueued, seq, key)
            if best is None or rank < best:
                best = rank
        if best is None:
            return None
        leg = heapq.heappop(self.lines[best[3]])[2]
        leg.waiting = False
        return leg

    def waiting_for(self, state: AgentState) -> bool:
        """Whether any contact this agent could serve is still waiting (delays the end-of-shift logout)."""
        return any(self.has_line(key) for key in self.keys_of[state.agent.index])
