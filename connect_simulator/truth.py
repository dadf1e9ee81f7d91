"""The ground truth: one line per contact record, with what happened in plain fields.

Tests compute every historical metric's expected value from these lines in plain Python and compare it
with the panel's SQL over the CTRs. Definitions follow Amazon Connect's (amazon-connect-data.md §5):
- ``queued``: entered a queue (Queue.EnqueueTimestamp set); ``answered``: connected to an agent (handled).
- ``abandoned``: queued, not answered, and the customer left (CONTACTS_ABANDONED: "disconnected by the
  customer while in queue"). Not abandoned: a contact that left the queue for a callback
  (``callback_requested``), one the queue flow hung up on (``flow_disconnected``), a task or callback
  that EXPIRED unanswered.
- ``callback_unanswered``: a callback an agent accepted whose customer never picked up (Connect then
  queues a retry, a new CALLBACK contact, while the block's attempts remain).
- ``wait_s`` is Queue.Duration; ``talk_s``, ``hold_s``, ``acw_s`` are the Agent durations (null when no agent).
- ``deliveries`` is how many lines the record has in the CTR files; the last LastUpdateTimestamp wins.
"""

from __future__ import annotations

import json
from typing import IO, Any

from connect_simulator.clock import date_of, iso_s, span_s
from connect_simulator.ctr import deliveries, hold_stats, talk_s
from connect_simulator.engine import Trace
from connect_simulator.model import Leg

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _ts(ms: int | None) -> str | None:
    return iso_s(ms) if ms is not None else None


def truth_record(leg: Leg) -> dict[str, Any]:
    queued = leg.enqueued is not None
    answered = leg.connected_to_agent is not None
    hold, longest, holds = hold_stats(leg) if answered else (None, None, None)
    acw = span_s(leg.acw_start, leg.acw_end) if leg.acw_start is not None and leg.acw_end is not None else None
    talk = talk_s(leg) if answered else None
    agent = leg.agent if answered else None
    sent = deliveries(leg)
    return {
        "contact_id": leg.contact_id,
        "initial_contact_id": leg.initial_contact_id,
        "chain_id": leg.chain_id,
        "previous_contact_id": leg.previous_contact_id,
        "next_contact_id": leg.next_contact_id,
        "channel": leg.channel,
        "initiation_method": leg.method,
        "queue": leg.queue.name if leg.queue else None,
        "queue_arn": leg.queue.arn if leg.queue else None,
        "queue_type": leg.queue.queue_type if leg.queue else None,
        "initiated_at": _ts(leg.initiated),
        "initiation_date": date_of(leg.initiated),
        "connected_to_system_at": _ts(leg.connected_to_system),
        "scheduled_at": _ts(leg.scheduled),
        "enqueued_at": _ts(leg.enqueued),
        "dequeued_at": _ts(leg.dequeued),
        "connected_to_agent_at": _ts(leg.connected_to_agent),
        "disconnected_at": _ts(leg.disconnected),
        "acw_start_at": _ts(leg.acw_start),
        "acw_end_at": _ts(leg.acw_end),
        "last_update_at": _ts(sent[-1][0]),
        "deliveries": len(sent),
        "queued": queued,
        "answered": answered,
        "abandoned": queued and not answered and leg.give_up == "abandon",
        "callback_requested": leg.callback_requested,
        "flow_disconnected": queued and not answered and leg.give_up == "flow_disconnect",
        "callback": leg.method == "CALLBACK",
        "transferred": leg.transfer_completed is not None,
        "callback_unanswered": leg.unanswered_dial,
        "transferred_in": leg.method in ("TRANSFER", "QUEUE_TRANSFER"),
        "wait_s": span_s(leg.enqueued, leg.dequeued) if leg.enqueued is not None and leg.dequeued is not None else None,
        "talk_s": talk,
        "hold_s": hold,
        "holds": holds,
        "longest_hold_s": longest,
        "acw_s": acw,
        "handle_s": talk + (hold or 0) + (acw or 0) if talk is not None else None,
        "agent": agent.username if agent else None,
        "agent_arn": agent.arn if agent else None,
        "routing_profile": agent.profile.name if agent else None,
        "hierarchy": [g.name for g in agent.hierarchy] if agent else None,
        "disconnect_reason": leg.disconnect_reason,
        "connection_attempts": leg.attempts,
        "missed_by": list(leg.missed_by),
        "attributes": sent[-1][1],
    }


def write_truth(trace: Trace, out: IO[str]) -> int:
    for leg in trace.legs:
        out.write(_dumps(truth_record(leg)))
        out.write("\n")
    return len(trace.legs)
