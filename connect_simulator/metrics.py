"""The collector's snapshot: GetCurrentMetricData (Groupings QUEUE and CHANNEL) computed from live state.

Definitions (Amazon Connect real-time metrics; agents count toward a queue and channel when their routing
profile routes that channel from that queue):
- AGENTS_ONLINE: logged in with a status other than Offline. AGENTS_NON_PRODUCTIVE: in a custom (NPT) status.
- AGENTS_STAFFED: online and not in NPT. AGENTS_AVAILABLE: Connect would route a contact of the channel now.
- AGENTS_ON_CONTACT (and the older AGENTS_ON_CALL, same value): at least one active contact of the channel
  (connected, on hold, in ACW, or an outbound call ringing).
- AGENTS_AFTER_CONTACT_WORK: contacts of the channel in ACW. AGENTS_ERROR: agents with a missed contact.
- SLOTS_ACTIVE: active contacts of the channel; SLOTS_AVAILABLE: slots Connect would route into now.
- CONTACTS_IN_QUEUE: enqueued and not yet dequeued (dequeue = connected to an agent or left the queue).
- OLDEST_CONTACT_AGE: seconds since the oldest of those was enqueued. CONTACTS_SCHEDULED: callbacks waiting
  for their scheduled time.
"""

from __future__ import annotations

import json

from connect_simulator.clock import iso_ms
from connect_simulator.instance import CHANNELS, Instance
from connect_simulator.model import AgentState
from connect_simulator.routing import Router

METRICS = (
    ("AGENTS_ONLINE", "COUNT"),
    ("AGENTS_AVAILABLE", "COUNT"),
    ("AGENTS_ON_CALL", "COUNT"),
    ("AGENTS_NON_PRODUCTIVE", "COUNT"),
    ("AGENTS_AFTER_CONTACT_WORK", "COUNT"),
    ("AGENTS_ERROR", "COUNT"),
    ("AGENTS_STAFFED", "COUNT"),
    ("CONTACTS_IN_QUEUE", "COUNT"),
    ("OLDEST_CONTACT_AGE", "SECONDS"),
    ("CONTACTS_SCHEDULED", "COUNT"),
    ("AGENTS_ON_CONTACT", "COUNT"),
    ("SLOTS_ACTIVE", "COUNT"),
    ("SLOTS_AVAILABLE", "COUNT"),
)
_ACTIVE = frozenset({"CONNECTED", "CONNECTED_ONHOLD", "ENDED"})
_AGENT_METRICS = (
    "AGENTS_ONLINE",
    "AGENTS_AVAILABLE",
    "AGENTS_NON_PRODUCTIVE",
    "AGENTS_AFTER_CONTACT_WORK",
    "AGENTS_ERROR",
    "AGENTS_STAFFED",
    "AGENTS_ON_CONTACT",
    "SLOTS_ACTIVE",
    "SLOTS_AVAILABLE",
)
Counts = tuple[int, ...]  # in _AGENT_METRICS order
_ZERO: Counts = (0,) * len(_AGENT_METRICS)
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def agent_counts(state: AgentState) -> dict[str, Counts]:
    """One agent's contribution, per channel, to each queue it is routed from (in _AGENT_METRICS order)."""
    if not state.logged_in or state.status.type == "OFFLINE":
        return dict.fromkeys(CHANNELS, _ZERO)
    npt = 1 if state.status.type == "CUSTOM" else 0
    active = dict.fromkeys(CHANNELS, 0)
    acw = dict.fromkeys(CHANNELS, 0)
    error = 0
    for slot in state.contacts:
        channel = slot.leg.channel
        if slot.state in _ACTIVE or (slot.state == "CONNECTING" and slot.leg.method == "OUTBOUND"):
            active[channel] += 1
        if slot.state == "ENDED":
            acw[channel] += 1
        elif slot.state == "MISSED":
            error = 1
    out = {}
    routable = state.routable()
    for channel in CHANNELS:
        free = state.free_slots(channel) if routable else 0
        on = active[channel]
        out[channel] = (1, 1 if free else 0, npt, acw[channel], error, 1 - npt, 1 if on else 0, on, free)
    return out


def resource_lists(instance: Instance) -> dict[str, list[dict[str, str | None]]]:
    """What the collector lists every run (ListQueues STANDARD, ListRoutingProfiles, ListUsers); fixed here."""
    return {
        "queues": [{"Id": q.id, "Arn": q.arn, "Name": q.name, "QueueType": q.queue_type} for q in instance.queues],
        "routing_profiles": [{"Id": p.id, "Arn": p.arn, "Name": p.name} for p in instance.profiles],
        "users": [{"Id": a.id, "Arn": a.arn, "Username": a.username} for a in instance.agents],
    }


def _result_template(queue_id: str, queue_arn: str, channel: str) -> str:
    """A ``str.format_map`` template for one MetricResults item, with one field per metric name."""
    dims = _dumps({"Queue": {"Id": queue_id, "Arn": queue_arn}, "Channel": channel})
    escaped = dims.replace("{", "{{").replace("}", "}}")
    metrics = ",".join(
        '{{"Metric":{{"Name":"' + name + '","Unit":"' + unit + '"}},"Value":{' + name + "!r}}}"
        for name, unit in METRICS
    )
    return '{{"Dimensions":' + escaped + ',"Collections":[' + metrics + "]}}"


class Collector:
    """Keeps per-profile agent totals up to date and renders one collector snapshot line per call.

    The engine calls ``update`` at every agent state change (each emits an agent event), so a snapshot
    never walks the agents; the fixed parts of the line are serialised once.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.entries: dict[int, dict[str, Counts]] = {}
        self.totals: dict[tuple[str, str], list[int]] = {
            (p.name, c): [0] * len(_AGENT_METRICS) for p in instance.profiles for c in CHANNELS
        }
        resources = _dumps(resource_lists(instance))
        self.tail = "," + resources[1:]
        self.keys = []
        for queue in instance.queues:
            for channel in CHANNELS:
                profiles = tuple(
                    p.name for p in instance.profiles if any(q.id == queue.id and channel in chs for q, chs in p.queues)
                )
                self.keys.append(((queue.id, channel), profiles, _result_template(queue.id, queue.arn, channel)))

    def update(self, state: AgentState) -> None:
        """Replace this agent's contribution to its profile's totals after a change."""
        new = agent_counts(state)
        old = self.entries.get(state.agent.index)
        profile = state.agent.profile.name
        for channel in CHANNELS:
            total = self.totals[(profile, channel)]
            before = old[channel] if old else _ZERO
            for i, (a, b) in enumerate(zip(new[channel], before, strict=True)):
                total[i] += a - b
        self.entries[state.agent.index] = new

    def line(self, router: Router, t: int) -> str:
        """The snapshot at ``t`` as one JSON line, in the shape ``connect_ingest.transform.snapshot_records`` reads."""
        totals = self.totals
        results = []
        for key, profiles, template in self.keys:
            sums = [0] * len(_AGENT_METRICS)
            for profile in profiles:
                total = totals.get((profile, key[1]))
                if total:
                    sums = [a + b for a, b in zip(sums, total, strict=True)]
            values = dict(zip(_AGENT_METRICS, sums, strict=True))
            values["AGENTS_ON_CALL"] = values["AGENTS_ON_CONTACT"]
            waiting = router.in_queue[key]
            values["CONTACTS_IN_QUEUE"] = len(waiting)
            oldest = min((leg.enqueued or t for leg in waiting.values()), default=t)
            values["OLDEST_CONTACT_AGE"] = (t - oldest) // 1000
            values["CONTACTS_SCHEDULED"] = len(router.scheduled[key])
            results.append(template.format_map({name: float(value) for name, value in values.items()}))
        when = iso_ms(t)
        return (
            f'{{"collected_at":"{when}","instance_id":"{self.instance.id}","current_metric_data":[{{"MetricResults":'
            f'[{",".join(results)}],"DataSnapshotTime":"{when}","ApproximateTotalCount":{len(results)}}}]{self.tail}\n'
        )
