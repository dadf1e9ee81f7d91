"""What the simulation records: contact records in the making, agents' live state, and agent snapshots.

``Leg`` and ``AgentState`` are mutable because the discrete-event loop updates them in place; everything the
renderers read after the run is either a finished ``Leg`` or an immutable ``Snapshot``. Times are epoch ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from connect_simulator.instance import Agent, Queue, Status

# Contact states that occupy a routing slot (MISSED/REJECTED do not, but block the agent until cleared).
BUSY_STATES = frozenset({"INCOMING", "CONNECTING", "CONNECTED", "CONNECTED_ONHOLD", "ENDED"})
BLOCKING_STATES = frozenset({"MISSED", "REJECTED", "ERROR"})  # an offer not taken: no routing until cleared


@dataclass(slots=True)
class Leg:
    """One contact record: one ContactId, at most one agent connection."""

    seq: int
    contact_id: str
    chain_id: str  # the first ContactId of the chain (Connect's InitialContactId, or its own id)
    previous_contact_id: str | None
    channel: str  # VOICE, CHAT or TASK
    method: str  # INBOUND, OUTBOUND, TRANSFER, QUEUE_TRANSFER, CALLBACK, API
    queue: Queue | None
    initiated: int
    customer_address: str | None
    system_address: str | None
    attributes: dict[str, str]
    patience_ms: int | None = None  # how long the customer waits in queue; None: waits until served or expired
    give_up: str = "abandon"  # what running out of patience means: abandon, callback, flow_disconnect or expire
    connected_to_system: int | None = None
    scheduled: int | None = None
    enqueued: int | None = None
    dequeued: int | None = None
    connected_to_agent: int | None = None
    disconnected: int | None = None
    acw_start: int | None = None
    acw_end: int | None = None
    transfer_completed: int | None = None
    next_contact_id: str | None = None
    disconnect_reason: str | None = None
    agent: Agent | None = None
    attempts: int = 0
    missed_by: list[str] = field(default_factory=list)
    holds: list[tuple[int, int]] = field(default_factory=list)
    waiting: bool = False
    patience_spent: bool = False
    callback_requested: bool = False
    callback_retries: int = 0  # a callback's retries left if its customer does not answer
    unanswered_dial: bool = False  # a callback accepted by an agent whose customer never picked up
    updates: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # re-sent CTRs: (LastUpdate ms, attributes)
    duplicate_deliveries: int = 0  # identical re-deliveries (at-least-once), same LastUpdateTimestamp

    @property
    def initial_contact_id(self) -> str | None:
        """As Connect sends it: null on the first contact of a chain."""
        return None if self.chain_id == self.contact_id else self.chain_id

    @property
    def completed(self) -> int:
        """When the record was complete (after ACW), the LastUpdateTimestamp of its first delivery."""
        return max(t for t in (self.acw_end, self.disconnected, self.initiated) if t is not None)

    @property
    def last_update(self) -> int:
        """The authoritative delivery's LastUpdateTimestamp."""
        return self.updates[-1][0] if self.updates else self.completed


class ContactView(NamedTuple):
    """A contact as one agent snapshot shows it."""

    leg: Leg
    state: str
    state_start: int
    connected: int | None


class Snapshot(NamedTuple):
    """An agent's CurrentAgentSnapshot at one event: status, next status, slots in use and contacts."""

    status: Status
    status_start: int
    next_status: Status | None
    next_status_at: int | None
    contacts: tuple[ContactView, ...]


class AgentEvent(NamedTuple):
    time: int
    seq: int
    agent: Agent
    event_type: str
    current: Snapshot
    previous: Snapshot | None


@dataclass(slots=True)
class Slot:
    leg: Leg
    state: str
    state_start: int
    connected: int | None = None


@dataclass(slots=True)
class AgentState:
    agent: Agent
    status: Status
    status_start: int
    logged_in: bool = False
    next_status: Status | None = None
    next_status_at: int | None = None
    pending_logout: bool = False
    contacts: list[Slot] = field(default_factory=list)
    idle_since: int = 0
    last: Snapshot | None = None
    maxima: dict[str, int] = field(default_factory=dict)  # the routing profile's slots per channel, for speed

    def __post_init__(self) -> None:
        self.maxima = dict(self.agent.profile.concurrency)

    def snapshot(self) -> Snapshot:
        views = tuple(ContactView(s.leg, s.state, s.state_start, s.connected) for s in self.contacts)
        return Snapshot(self.status, self.status_start, self.next_status, self.next_status_at, views)

    def routable(self) -> bool:
        """Connect routes to an agent who is Available, has no next status pending and no missed or rejected offer."""
        return (
            self.logged_in
            and self.status.type == "ROUTABLE"
            and self.next_status is None
            and not self.pending_logout
            and not any(s.state in BLOCKING_STATES for s in self.contacts)
        )

    def free_slots(self, channel: str) -> int:
        """Slots Connect would route into: voice excludes every other contact, chats and tasks share the agent."""
        if not self.routable():
            return 0
        maximum = self.maxima.get(channel, 0)
        if channel == "VOICE":
            return maximum if not self.contacts else 0
        if any(s.leg.channel == "VOICE" for s in self.contacts):
            return 0
        in_use = sum(1 for s in self.contacts if s.leg.channel == channel and s.state in BUSY_STATES)
        return max(maximum - in_use, 0)
