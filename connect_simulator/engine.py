"""The discrete-event loop: contacts arrive, queue, ring, talk, hold, wrap up, transfer, abandon or call back.

One heap of (time ms, priority, sequence) entries drives everything, so equal times resolve in the order the
events were scheduled, never by hash or set order. Collector snapshots run at each whole minute after every
other event of that millisecond, so a snapshot shows the state *after* all changes at its instant.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from connect_simulator import workload
from connect_simulator.config import SimulationConfig
from connect_simulator.instance import Instance, Queue, Status, build_instance, new_id
from connect_simulator.metrics import Collector
from connect_simulator.model import AgentEvent, AgentState, Leg, Slot
from connect_simulator.routing import OUTBOUND, Router
from connect_simulator.workload import lognormal_ms, uniform_ms

MINUTE = 60_000
HOUR = 60 * MINUTE
_SYSTEM_NUMBERS = {"Sales": "+442080000101", "Support": "+442080000202", "Billing": "+442080000303"}
_INTENTS = ("new_order", "order_status", "fault", "refund", "account", "upgrade")
_TIERS = ("Bronze", "Silver", "Gold")
_HANDLED_REASONS = {
    "VOICE": (
        ("CUSTOMER_DISCONNECT", 0.55),
        ("AGENT_DISCONNECT", 0.37),
        ("TELECOM_PROBLEM", 0.04),
        ("THIRD_PARTY_DISCONNECT", 0.04),
    ),
    "CHAT": (("CUSTOMER_DISCONNECT", 0.55), ("AGENT_DISCONNECT", 0.4), ("EXPIRED", 0.05)),
    "TASK": (("AGENT_DISCONNECT", 0.95), ("API", 0.05)),
}
_IVR_REASONS = (("CONTACT_FLOW_DISCONNECT", 0.6), ("CUSTOMER_DISCONNECT", 0.35), ("TELECOM_PROBLEM", 0.05))


@dataclass(frozen=True)
class Trace:
    """Everything the renderers need, in the order things happened."""

    instance: Instance
    legs: list[Leg]
    agent_events: list[AgentEvent]
    snapshots: list[str]  # collector snapshot lines, JSON
    start: int
    end: int
    outbound_dropped: int


class Engine:
    """The simulation state and one handler per event kind."""

    def __init__(self, config: SimulationConfig) -> None:
        root = random.Random(config.seed)
        self.rng = random.Random(root.getrandbits(64))
        self.ids = random.Random(root.getrandbits(64))
        plans = random.Random(root.getrandbits(64))
        self.instance = build_instance(self.ids, config.agents)
        self.start, self.span = config.start_ms(), config.span_ms()
        self.end = self.start + self.span
        self.states = [AgentState(a, self.instance.offline, self.start) for a in self.instance.agents]
        self.router = Router(self.instance, self.states)
        self.legs: list[Leg] = []
        self.events: list[AgentEvent] = []
        self.snapshots: list[str] = []
        self.collector = Collector(self.instance)
        self.heap: list[tuple[int, int, int, Callable[..., None], tuple[Any, ...]]] = []
        self.seq = 0
        self.pending = 0
        self.npt_ms: dict[int, int] = {}
        self.dropped = 0
        self.open = 0  # contact records not yet complete; snapshots run while any is open or any agent is in
        # Arrivals and plan steps are fed one at a time (each schedules its successor) to keep the heap small.
        self.arrivals = iter(workload.arrivals(plans, config.contacts, self.start, self.span))
        self.next_arrival()
        for state in self.states:
            steps = iter(workload.agent_plan(plans, self.instance, state.agent.index, self.start, self.span))
            self.next_step(state, steps)

    def next_arrival(self) -> None:
        arrival = next(self.arrivals, None)
        if arrival is not None:
            self.at(arrival.time, self.arrive, arrival)

    def next_step(self, state: AgentState, steps: Iterator[workload.PlanStep]) -> None:
        step = next(steps, None)
        if step is not None:
            self.at(step.time, self.plan, state, step, steps)

    # --- the loop -----------------------------------------------------------------------------------------

    def at(self, time: int, handler: Callable[..., None], *args: Any) -> None:
        self.seq += 1
        self.pending += 1
        heapq.heappush(self.heap, (time, 0, self.seq, handler, args))

    def run(self) -> Trace:
        first = -(-self.start // MINUTE) * MINUTE
        self.seq += 1
        heapq.heappush(self.heap, (first, 1, self.seq, self.snapshot, ()))
        while self.heap:
            time, priority, _seq, handler, args = heapq.heappop(self.heap)
            if priority == 0:
                self.pending -= 1
            handler(time, *args)
        last = max([self.end, *(e.time for e in self.events[-1:]), *(leg.completed for leg in self.legs)])
        return Trace(self.instance, self.legs, self.events, self.snapshots, self.start, last, self.dropped)

    def snapshot(self, t: int) -> None:
        self.snapshots.append(self.collector.line(self.router, t))
        if self.pending and (self.open or t < self.end or any(s.logged_in for s in self.states)):
            self.seq += 1
            heapq.heappush(self.heap, (t + MINUTE, 1, self.seq, self.snapshot, ()))

    def emit(self, state: AgentState, t: int, event_type: str = "STATE_CHANGE") -> None:
        current = state.snapshot()
        self.events.append(AgentEvent(t, len(self.events), state.agent, event_type, current, state.last))
        state.last = current
        self.collector.update(state)

    # --- contacts -----------------------------------------------------------------------------------------

    def new_leg(self, t: int, channel: str, method: str, queue: Queue | None, parent: Leg | None = None) -> Leg:
        contact_id = new_id(self.ids)
        rng = self.rng
        if parent is not None:
            customer, system, attributes = parent.customer_address, parent.system_address, dict(parent.attributes)
        else:
            voice = channel == "VOICE"
            customer = f"+4477009{rng.randrange(10**5):05d}" if voice else None
            system = _SYSTEM_NUMBERS.get(queue.name or "", "+442080000999") if voice and queue else None
            attributes = {"Intent": rng.choice(_INTENTS), "CustomerTier": rng.choice(_TIERS)}
            if channel == "TASK":
                attributes = {"TaskType": rng.choice(("email_followup", "case_review", "refund_approval"))}
        leg = Leg(
            seq=len(self.legs),
            contact_id=contact_id,
            chain_id=parent.chain_id if parent else contact_id,
            previous_contact_id=parent.contact_id if parent else None,
            channel=channel,
            method=method,
            queue=queue,
            initiated=t,
            customer_address=customer,
            system_address=system,
            attributes=attributes,
        )
        self.legs.append(leg)
        self.open += 1
        return leg

    def arrive(self, t: int, arrival: workload.Arrival) -> None:
        self.next_arrival()
        rng = self.rng
        if arrival.kind == "outbound":
            self.outbound(t, 0)
            return
        queue = self.instance.queue(arrival.queue) if arrival.queue else None
        channel = {"voice": "VOICE", "ivr": "VOICE", "chat": "CHAT", "task": "TASK"}[arrival.kind]
        leg = self.new_leg(t, channel, "INBOUND" if channel == "VOICE" else "API", queue)
        leg.connected_to_system = t + uniform_ms(rng, 0.2, 1.5)
        if arrival.kind == "ivr":
            leg.disconnected = leg.connected_to_system + lognormal_ms(rng, 40, 0.5, 5, 300)
            leg.disconnect_reason = workload.pick(rng, _IVR_REASONS)
            self.open -= 1
            return
        if channel == "VOICE":
            flow = lognormal_ms(rng, 25, 0.5, 5, 120)
            if rng.random() < 0.12:
                leg.give_up, leg.patience_ms = "callback", uniform_ms(rng, 30, 120)
            else:
                leg.patience_ms = 0 if rng.random() < 0.03 else int(rng.expovariate(1 / 180) * 1000) + 1000
        elif channel == "CHAT":
            flow = uniform_ms(rng, 2, 10)
            leg.patience_ms = 0 if rng.random() < 0.01 else int(rng.expovariate(1 / 300) * 1000) + 1000
        else:
            flow = uniform_ms(rng, 0.2, 1)
            leg.give_up, leg.patience_ms = "expire", 2 * 3_600_000
        self.at(leg.connected_to_system + flow, self.enqueue, leg)

    def enqueue(self, t: int, leg: Leg) -> None:
        leg.enqueued = t
        self.router.enter(leg)
        if leg.patience_ms == 0:
            self.leave_queue(leg, t)
            return
        if leg.patience_ms is not None:
            self.at(t + leg.patience_ms, self.give_up, leg)
        self.place(leg, t)

    def place(self, leg: Leg, t: int) -> None:
        state = self.router.agent_for(leg)
        if state is None:
            self.router.wait(leg)
        else:
            self.offer(leg, state, t)

    def give_up(self, t: int, leg: Leg) -> None:
        if leg.waiting:
            self.leave_queue(leg, t)
        elif leg.connected_to_agent is None and leg.disconnected is None:
            leg.patience_spent = True

    def leave_queue(self, leg: Leg, t: int) -> None:
        """The contact leaves the queue without an agent: abandon, expiry, or a callback in its place."""
        leg.waiting = False
        leg.dequeued = leg.disconnected = t
        self.router.leave(leg)
        self.open -= 1
        if leg.give_up == "expire":
            leg.disconnect_reason = "EXPIRED"
        elif leg.give_up == "callback":
            leg.disconnect_reason = "CONTACT_FLOW_DISCONNECT"
            leg.callback_requested = True
            callback = self.new_leg(t, "VOICE", "CALLBACK", leg.queue, parent=leg)
            leg.next_contact_id = callback.contact_id
            callback.scheduled = t + uniform_ms(self.rng, 60, 300)
            callback.give_up, callback.patience_ms = "expire", 2 * 3_600_000
            self.router.scheduled[self.router.key(callback)][callback.seq] = callback
            self.at(callback.scheduled, self.callback_due, callback)
        else:
            leg.disconnect_reason = "CUSTOMER_DISCONNECT"

    def callback_due(self, t: int, leg: Leg) -> None:
        self.router.scheduled[self.router.key(leg)].pop(leg.seq)
        self.enqueue(t, leg)

    def offer(self, leg: Leg, state: AgentState, t: int) -> None:
        rng = self.rng
        leg.attempts += 1
        slot = Slot(leg, "INCOMING" if leg.method == "CALLBACK" else "CONNECTING", t)
        state.contacts.append(slot)
        self.emit(state, t)
        if rng.random() < (0.05 if leg.channel == "VOICE" else 0.04):
            self.at(t + (20_000 if leg.channel == "VOICE" else uniform_ms(rng, 3, 15)), self.miss, state, slot)
            return
        ring = {"VOICE": (2, 9), "CHAT": (1, 6), "TASK": (1, 8)}[leg.channel]
        if leg.method == "CALLBACK":
            ring = (3, 15)
        self.at(t + uniform_ms(rng, *ring), self.answer, state, slot)

    def miss(self, t: int, state: AgentState, slot: Slot) -> None:
        """Agent non-response: the offer times out (MISSED) or is rejected; the contact goes back to its place."""
        leg = slot.leg
        slot.state, slot.state_start = ("MISSED" if leg.channel == "VOICE" else "REJECTED"), t
        leg.missed_by.append(state.agent.username)
        self.emit(state, t)
        clear = uniform_ms(self.rng, 5, 45) if slot.state == "MISSED" else uniform_ms(self.rng, 0.5, 2)
        self.at(t + clear, self.clear, state, slot)
        if leg.patience_spent:
            self.leave_queue(leg, t)
        else:
            self.place(leg, t)

    def clear(self, t: int, state: AgentState, slot: Slot) -> None:
        state.contacts.remove(slot)
        self.emit(state, t)
        self.freed(state, t)

    def outbound(self, t: int, tries: int) -> None:
        best = self.router.idle_agent(OUTBOUND)
        if best is None:
            if tries < 20:
                self.at(t + 30_000, self.outbound, tries + 1)
            else:
                self.dropped += 1
            return
        leg = self.new_leg(t, "VOICE", "OUTBOUND", None)
        leg.customer_address = f"+4477009{self.rng.randrange(10**5):05d}"
        leg.system_address = _SYSTEM_NUMBERS.get(best.agent.profile.outbound.name or "", "+442080000999")
        leg.attempts = 1
        slot = Slot(leg, "CONNECTING", t)
        best.contacts.append(slot)
        self.emit(best, t)
        self.at(t + uniform_ms(self.rng, 4, 20), self.answer, best, slot)

    def answer(self, t: int, state: AgentState, slot: Slot) -> None:
        rng = self.rng
        leg = slot.leg
        slot.state, slot.state_start, slot.connected = "CONNECTED", t, t
        leg.connected_to_agent = t
        leg.agent = state.agent
        if leg.enqueued is not None:
            leg.dequeued = t
            self.router.leave(leg)
        if leg.method == "OUTBOUND":
            leg.connected_to_system = t
        self.emit(state, t)
        if leg.method == "OUTBOUND":
            talk = lognormal_ms(rng, 150, 0.7, 10, 1200)
        else:
            talk = {
                "VOICE": lambda: lognormal_ms(rng, 200, 0.6, 20, 1800),
                "CHAT": lambda: lognormal_ms(rng, 360, 0.5, 30, 2400),
                "TASK": lambda: lognormal_ms(rng, 240, 0.6, 20, 3600),
            }[leg.channel]()
        holds = rng.choice((1, 1, 1, 2, 2, 3)) if leg.channel == "VOICE" and rng.random() < 0.25 else 0
        weights = [rng.random() + 0.2 for _ in range(holds + 1)]
        cursor = t
        for index in range(holds):
            cursor += int(talk * weights[index] / sum(weights))
            hold = lognormal_ms(rng, 40, 0.6, 5, 300)
            self.at(cursor, self.hold, state, slot, hold)
            cursor += hold
        self.at(cursor + int(talk * weights[-1] / sum(weights)), self.end_contact, state, slot)

    def hold(self, t: int, state: AgentState, slot: Slot, duration: int) -> None:
        slot.state = "CONNECTED_ONHOLD"  # Connect keeps StateStartTimestamp on hold
        self.emit(state, t)
        self.at(t + duration, self.unhold, state, slot, t)

    def unhold(self, t: int, state: AgentState, slot: Slot, started: int) -> None:
        slot.state = "CONNECTED"
        slot.leg.holds.append((started, t))
        self.emit(state, t)

    def end_contact(self, t: int, state: AgentState, slot: Slot) -> None:
        rng = self.rng
        leg = slot.leg
        leg.disconnected = t
        if leg.channel != "TASK" and leg.method != "OUTBOUND" and rng.random() < 0.08:
            self.transfer(leg, state, t)
            leg.disconnect_reason = "AGENT_DISCONNECT"
        else:
            leg.disconnect_reason = workload.pick(rng, _HANDLED_REASONS[leg.channel])
        slot.state, slot.state_start = "ENDED", t
        leg.acw_start = t
        self.emit(state, t)
        median = {"VOICE": 35, "CHAT": 20, "TASK": 10}[leg.channel]
        self.at(t + lognormal_ms(rng, median, 0.7, 0.3, 300), self.acw_end, state, slot)

    def transfer(self, leg: Leg, state: AgentState, t: int) -> None:
        rng = self.rng
        others = [s for s in self.states if s.logged_in and s is not state and s.status.type != "OFFLINE"]
        if others and rng.random() < 0.3:
            queue, method = rng.choice(others).agent.own_queue, "TRANSFER"
        else:
            choices = [q for q in self.instance.queues if q != leg.queue]
            queue, method = rng.choice(choices), "QUEUE_TRANSFER"
        second = self.new_leg(t, leg.channel, method, queue, parent=leg)
        second.patience_ms = int(rng.expovariate(1 / 200) * 1000) + 1000
        leg.next_contact_id, leg.transfer_completed = second.contact_id, t
        self.at(t + uniform_ms(rng, 0.5, 3), self.enqueue, second)

    def acw_end(self, t: int, state: AgentState, slot: Slot) -> None:
        slot.leg.acw_end = t
        self.open -= 1
        state.contacts.remove(slot)
        self.emit(state, t)
        self.freed(state, t)

    # --- agents -------------------------------------------------------------------------------------------

    def freed(self, state: AgentState, t: int) -> None:
        """A slot came free: apply a pending status or logout once the agent is clear, else offer more work."""
        if not state.contacts:
            state.idle_since = t
            if state.pending_logout:
                state.pending_logout = False
                self.go_offline(state, t)
                return
            if state.next_status is not None:
                status = state.next_status
                self.set_status(state, status, t)
                self.at(t + self.npt_ms.pop(state.agent.index), self.available, state, False)
                return
        self.route(state, t)

    def route(self, state: AgentState, t: int) -> None:
        self.router.may_take_work(state)
        while (leg := self.router.next_for(state)) is not None:
            self.offer(leg, state, t)

    def set_status(self, state: AgentState, status: Status, t: int) -> None:
        state.status, state.status_start = status, t
        state.next_status = state.next_status_at = None
        self.emit(state, t)

    def plan(self, t: int, state: AgentState, step: workload.PlanStep, steps: Iterator[workload.PlanStep]) -> None:
        self.next_step(state, steps)
        if step.action == "login":
            state.logged_in, state.status_start, state.idle_since = True, t, t
            self.emit(state, t, "LOGIN")
            self.at(t + uniform_ms(self.rng, 3, 30), self.available, state, True)
        elif not state.logged_in or state.pending_logout or state.status.type == "OFFLINE":
            return
        elif step.action == "npt":
            if state.status.type == "CUSTOM" or state.next_status is not None:
                return
            assert step.status is not None
            if state.contacts:
                state.next_status, state.next_status_at = step.status, t
                self.npt_ms[state.agent.index] = step.duration_ms
                self.emit(state, t)
            else:
                self.set_status(state, step.status, t)
                self.at(t + step.duration_ms, self.available, state, False)
        elif step.final and self.router.waiting_for(state) and t < self.end + HOUR:
            self.at(t + 5 * MINUTE, self.plan, state, step, steps)
        elif state.contacts:
            state.pending_logout = True
            self.npt_ms.pop(state.agent.index, None)
            state.next_status, state.next_status_at = self.instance.offline, t
            self.emit(state, t)
        else:
            self.go_offline(state, t)

    def available(self, t: int, state: AgentState, after_login: bool) -> None:
        if not state.logged_in or state.status.type == "ROUTABLE":
            return
        if state.status.type == "OFFLINE" and not after_login:
            return
        self.set_status(state, self.instance.available, t)
        self.route(state, t)

    def go_offline(self, state: AgentState, t: int) -> None:
        self.set_status(state, self.instance.offline, t)
        self.at(t + uniform_ms(self.rng, 2, 10), self.logout, state)

    def logout(self, t: int, state: AgentState) -> None:
        state.logged_in = False
        self.emit(state, t, "LOGOUT")


def simulate_trace(config: SimulationConfig) -> Trace:
    """Run the simulation for ``config`` and return what happened."""
    return Engine(config).run()
