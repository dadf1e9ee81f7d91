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

from connect_simulator import behaviour, incidents, workload
from connect_simulator.config import SimulationConfig
from connect_simulator.instance import Instance, Queue, Status, build_instance, new_id
from connect_simulator.metrics import Collector
from connect_simulator.model import AgentEvent, AgentState, Leg, Slot
from connect_simulator.routing import OUTBOUND, Router

MINUTE = 60_000
HOUR = 60 * MINUTE


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
        self.dials = random.Random(root.getrandbits(64))  # callbacks' customers answering: drawn last, apart
        self.unanswered_share = config.unanswered_callbacks
        self.quirks = random.Random(root.getrandbits(64))  # drawn last: the streams above stay the same
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
        base = workload.arrivals(plans, config.contacts, self.start, self.span)
        self.arrivals = heapq.merge(base, incidents.extra_arrivals(config), key=lambda a: a.time)
        self.next_arrival()
        for state in self.states:
            steps = iter(workload.agent_plan(plans, self.instance, state.agent.index, self.start, self.span))
            self.next_step(state, steps)
        mass_logout = incidents.logouts(config, len(self.states))
        if mass_logout is not None:
            at, back, chosen = mass_logout
            for index in chosen:
                self.at(at, self.forced_logout, self.states[index], back)

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
        if parent is not None:
            customer, system, attributes = parent.customer_address, parent.system_address, dict(parent.attributes)
        else:
            voice = channel == "VOICE"
            customer = behaviour.phone(self.rng) if voice else None
            system = behaviour.SYSTEM_NUMBERS.get(queue.name or "", behaviour.OTHER_NUMBER) if voice and queue else None
            attributes = behaviour.attributes(self.rng, channel)
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
        leg.connected_to_system = t + behaviour.system_connect_ms(rng)
        if arrival.kind == "ivr":
            in_flow, leg.disconnect_reason = behaviour.ivr_only(rng)
            leg.disconnected = leg.connected_to_system + in_flow
            self.open -= 1
            return
        flow, leg.give_up, leg.patience_ms = behaviour.flow_and_patience(rng, channel)
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
        """The contact leaves the queue without an agent: abandon, expiry, the flow hanging up, or a callback."""
        leg.waiting = False
        leg.dequeued = leg.disconnected = t
        self.router.leave(leg)
        self.open -= 1
        if leg.give_up == "expire":
            leg.disconnect_reason = "EXPIRED"
        elif leg.give_up == "flow_disconnect":
            leg.disconnect_reason = "CONTACT_FLOW_DISCONNECT"
        elif leg.give_up == "callback":
            leg.disconnect_reason = "CONTACT_FLOW_DISCONNECT"
            leg.callback_requested = True
            callback = self.new_leg(t, "VOICE", "CALLBACK", leg.queue, parent=leg)
            leg.next_contact_id = callback.contact_id
            callback.callback_retries = behaviour.CALLBACK_RETRIES
            self.schedule_callback(callback, t + behaviour.callback_delay_ms(self.rng))
        else:
            leg.disconnect_reason = "CUSTOMER_DISCONNECT"

    def schedule_callback(self, callback: Leg, at: int) -> None:
        callback.scheduled = at
        callback.give_up, callback.patience_ms = "expire", 2 * 3_600_000
        self.router.scheduled[self.router.key(callback)][callback.seq] = callback
        self.at(at, self.callback_due, callback)

    def callback_unanswered(self, t: int, state: AgentState, slot: Slot) -> None:
        """The agent accepted a callback and its customer does not answer: the attempt ends as it leaves the queue
        (the ringing is not modelled, so contact events and the CTR agree when it left); a retry, a new callback
        contact, is queued while attempts remain."""
        leg = slot.leg
        leg.dequeued = leg.disconnected = t
        leg.disconnect_reason, leg.unanswered_dial = "TELECOM_UNANSWERED", True
        self.router.leave(leg)
        self.open -= 1
        state.contacts.remove(slot)
        self.emit(state, t)
        if leg.callback_retries:
            retry = self.new_leg(t, "VOICE", "CALLBACK", leg.queue, parent=leg)
            leg.next_contact_id = retry.contact_id
            retry.callback_retries = leg.callback_retries - 1
            self.schedule_callback(retry, t + behaviour.callback_retry_ms(self.dials))
        self.freed(state, t)

    def callback_due(self, t: int, leg: Leg) -> None:
        self.router.scheduled[self.router.key(leg)].pop(leg.seq)
        self.enqueue(t, leg)

    def offer(self, leg: Leg, state: AgentState, t: int) -> None:
        leg.attempts += 1
        slot = Slot(leg, "INCOMING" if leg.method == "CALLBACK" else "CONNECTING", t)
        state.contacts.append(slot)
        self.emit(state, t)
        missed, after = behaviour.offer(self.rng, leg.channel, leg.method)
        self.at(t + after, self.miss if missed else self.answer, state, slot)

    def miss(self, t: int, state: AgentState, slot: Slot) -> None:
        """Agent non-response: the offer times out (MISSED), fails to connect (ERROR) or is rejected; the contact
        goes back to its place."""
        leg = slot.leg
        slot.state, slot.state_start = behaviour.unanswered_state(self.quirks, leg.channel), t
        if slot.state != "ERROR":  # missed or rejected: Agent non-response as the agent events count it
            leg.missed_by.append(state.agent.username)
        self.emit(state, t)
        self.at(t + behaviour.clear_missed_ms(self.rng, slot.state), self.clear, state, slot)
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
        leg.customer_address = behaviour.phone(self.rng)
        leg.system_address = behaviour.SYSTEM_NUMBERS.get(
            best.agent.profile.outbound.name or "", behaviour.OTHER_NUMBER
        )
        leg.attempts = 1
        slot = Slot(leg, "CONNECTING", t)
        best.contacts.append(slot)
        self.emit(best, t)
        self.at(t + behaviour.outbound_ring_ms(self.rng), self.answer, best, slot)

    def answer(self, t: int, state: AgentState, slot: Slot) -> None:
        leg = slot.leg
        if leg.method == "CALLBACK" and behaviour.callback_unanswered(self.dials, self.unanswered_share):
            self.callback_unanswered(t, state, slot)
            return
        slot.state, slot.state_start, slot.connected = "CONNECTED", t, t
        leg.connected_to_agent = t
        leg.agent = state.agent
        if leg.enqueued is not None:
            leg.dequeued = t
            self.router.leave(leg)
        if leg.method == "OUTBOUND":
            leg.connected_to_system = t
        self.emit(state, t)
        total, holds = behaviour.conversation(self.rng, leg.channel, leg.method)
        for offset, duration in holds:
            self.at(t + offset, self.hold, state, slot, duration)
        self.at(t + total, self.end_contact, state, slot)

    def hold(self, t: int, state: AgentState, slot: Slot, duration: int) -> None:
        slot.state = "CONNECTED_ONHOLD"  # Connect keeps StateStartTimestamp on hold
        self.emit(state, t)
        self.at(t + duration, self.unhold, state, slot, t)

    def unhold(self, t: int, state: AgentState, slot: Slot, started: int) -> None:
        slot.state = "CONNECTED"
        slot.leg.holds.append((started, t))
        self.emit(state, t)

    def end_contact(self, t: int, state: AgentState, slot: Slot) -> None:
        leg = slot.leg
        leg.disconnected = t
        if behaviour.transfers(self.rng, leg.channel, leg.method):
            self.transfer(leg, state, t)
            leg.disconnect_reason = "AGENT_DISCONNECT"
        else:
            leg.disconnect_reason = behaviour.handled_reason(self.rng, leg.channel)
        slot.state, slot.state_start = "ENDED", t
        leg.acw_start = t
        self.emit(state, t)
        self.at(t + behaviour.acw_ms(self.rng, leg.channel), self.acw_end, state, slot)

    def transfer(self, leg: Leg, state: AgentState, t: int) -> None:
        rng = self.rng
        others = [s for s in self.states if s.logged_in and s is not state and s.status.type != "OFFLINE"]
        if others and rng.random() < behaviour.TRANSFER_TO_AGENT_SHARE:
            queue, method = rng.choice(others).agent.own_queue, "TRANSFER"
        else:
            choices = [q for q in self.instance.queues if q != leg.queue]
            queue, method = rng.choice(choices), "QUEUE_TRANSFER"
        second = self.new_leg(t, leg.channel, method, queue, parent=leg)
        second.patience_ms = behaviour.transferred_patience_ms(rng)
        leg.next_contact_id, leg.transfer_completed = second.contact_id, t
        self.at(t + workload.uniform_ms(rng, 0.5, 3), self.enqueue, second)

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
            self.at(t + workload.uniform_ms(self.rng, 3, 30), self.available, state, True)
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
        elif behaviour.closes_ccp(self.quirks):
            self.logout(t, state)  # the contact control panel closed: no Offline first, the status stays
        else:
            self.go_offline(state, t)

    def available(self, t: int, state: AgentState, after_login: bool) -> None:
        if not state.logged_in or state.status.type == "ROUTABLE":
            return
        if state.status.type == "OFFLINE" and not after_login:
            return
        self.set_status(state, self.instance.available, t)
        self.route(state, t)

    def forced_logout(self, t: int, state: AgentState, back: int) -> None:
        """An incident's mass logout: a logged-in agent goes Offline (after the contacts in hand) and returns at
        ``back``; one not logged in is left alone."""
        if not state.logged_in or state.pending_logout or state.status.type == "OFFLINE":
            return
        if state.contacts:
            state.pending_logout = True
            self.npt_ms.pop(state.agent.index, None)
            state.next_status, state.next_status_at = self.instance.offline, t
            self.emit(state, t)
        else:
            self.go_offline(state, t)
        self.at(back, self.return_login, state)

    def return_login(self, t: int, state: AgentState) -> None:
        if state.logged_in:
            self.at(t + MINUTE, self.return_login, state)  # still finishing a contact before logging out
            return
        self.plan(t, state, workload.PlanStep(t, "login"), iter(()))

    def go_offline(self, state: AgentState, t: int) -> None:
        self.set_status(state, self.instance.offline, t)
        self.at(t + workload.uniform_ms(self.rng, 2, 10), self.logout, state)

    def logout(self, t: int, state: AgentState) -> None:
        state.logged_in = False
        self.emit(state, t, "LOGOUT")


def simulate_trace(config: SimulationConfig) -> Trace:
    """Run the simulation for ``config`` and return what happened."""
    return Engine(config).run()
