"""The collector's snapshot: GetCurrentMetricData computed from live state, as the collector requests it.

Three pages, one per request: grouped by QUEUE and CHANNEL, grouped by QUEUE, and ungrouped (the instance).
Definitions (Amazon Connect real-time metrics; an agent counts toward a queue and channel when their routing
profile routes that channel from that queue, and toward a wider result once, over the channels it covers):
- AGENTS_ONLINE: logged in with a status other than Offline. AGENTS_NON_PRODUCTIVE: in a custom (NPT) status.
- AGENTS_STAFFED: online and not in NPT. AGENTS_AVAILABLE: Connect would route a contact of a channel now.
- AGENTS_ON_CONTACT: at least one active contact of a channel (connected, on hold, in ACW, or an outbound
  call ringing). AGENTS_ON_CALL, the same number, is not requested.
- AGENTS_AFTER_CONTACT_WORK: contacts in ACW. AGENTS_ERROR: agents with a missed or failed contact.
- SLOTS_ACTIVE: active contacts; SLOTS_AVAILABLE: slots Connect would route into now (summed over channels).
- CONTACTS_IN_QUEUE: enqueued and not yet dequeued (dequeue = connected to an agent or left the queue).
- OLDEST_CONTACT_AGE: time since the oldest of those was enqueued, in seconds, or in milliseconds in the
  ungrouped page (as Connect sends it). CONTACTS_SCHEDULED: callbacks waiting for their scheduled time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from connect_simulator.clock import iso_ms
from connect_simulator.instance import CHANNELS, Instance
from connect_simulator.model import AgentState
from connect_simulator.routing import Router

METRICS = (
    ("AGENTS_ONLINE", "COUNT"),
    ("AGENTS_AVAILABLE", "COUNT"),
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
Channels = tuple[str, ...]
_SUMMED = frozenset(
    _AGENT_METRICS.index(name) for name in ("AGENTS_AFTER_CONTACT_WORK", "SLOTS_ACTIVE", "SLOTS_AVAILABLE")
)
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
        elif slot.state in ("MISSED", "ERROR"):
            error = 1
    out: dict[str, Counts] = {}
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


def _result_template(dimensions: dict[str, object]) -> str:
    """A ``str.format_map`` template for one MetricResults item, with one field per metric name."""
    escaped = _dumps(dimensions).replace("{", "{{").replace("}", "}}")
    metrics = ",".join(
        '{{"Metric":{{"Name":"' + name + '","Unit":"' + unit + '"}},"Value":{' + name + "!r}}}"
        for name, unit in METRICS
    )
    return '{{"Dimensions":' + escaped + ',"Collections":[' + metrics + "]}}"


def combine(per_channel: dict[str, Counts], channels: Channels) -> Counts:
    """An agent's contribution to a result over several channels: agents once, contacts and slots summed."""
    rows = [per_channel[c] for c in channels]
    return tuple(sum(v) if i in _SUMMED else max(v) for i, v in enumerate(zip(*rows, strict=True)))


@dataclass(frozen=True)
class _Result:
    """One MetricResults item: the (profile, channels) totals it adds up, its queue keys, its template."""

    groups: tuple[tuple[str, Channels], ...]
    keys: tuple[tuple[str, str], ...]  # (queue id, channel) lines and callbacks it counts
    template: str
    age_ms: bool  # OLDEST_CONTACT_AGE in milliseconds (Connect's unit without groupings)


class Collector:
    """Keeps per-profile agent totals up to date and renders one collector snapshot line per call.

    The engine calls ``update`` at every agent state change (each emits an agent event), so a snapshot
    never walks the agents; the fixed parts of the line are serialised once. Totals are kept per routing
    profile and channel set, one set for each result an agent of the profile counts toward.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        routes = {
            (p.name, q.id): tuple(c for c in CHANNELS if any(rq.id == q.id and c in chs for rq, chs in p.queues))
            for p in instance.profiles
            for q in instance.queues
        }
        every = {
            p.name: tuple(c for c in CHANNELS if any(c in routes[(p.name, q.id)] for q in instance.queues))
            for p in instance.profiles
        }
        self.pages: list[list[_Result]] = [[], [], []]
        for queue in instance.queues:
            ref = {"Id": queue.id, "Arn": queue.arn}
            for channel in CHANNELS:
                groups: tuple[tuple[str, Channels], ...] = tuple(
                    (p, (channel,)) for (p, q), chs in routes.items() if q == queue.id and channel in chs
                )
                template = _result_template({"Queue": ref, "Channel": channel})
                self.pages[0].append(_Result(groups, ((queue.id, channel),), template, False))
            groups = tuple((p, chs) for (p, q), chs in routes.items() if q == queue.id and chs)
            keys = tuple((queue.id, c) for c in CHANNELS)
            self.pages[1].append(_Result(groups, keys, _result_template({"Queue": ref}), False))
        keys = tuple((q.id, c) for q in instance.queues for c in CHANNELS)
        groups = tuple((p, chs) for p, chs in every.items() if chs)
        self.pages[2].append(_Result(groups, keys, _result_template({}), True))
        self.sets: dict[str, tuple[Channels, ...]] = {
            p.name: tuple(
                dict.fromkeys(chs for page in self.pages for r in page for name, chs in r.groups if name == p.name)
            )
            for p in instance.profiles
        }
        self.totals: dict[tuple[str, Channels], list[int]] = {
            (p, chs): [0] * len(_AGENT_METRICS) for p, sets in self.sets.items() for chs in sets
        }
        self.entries: dict[int, dict[Channels, Counts]] = {}
        resources = _dumps(resource_lists(instance))
        self.tail = "," + resources[1:]

    def update(self, state: AgentState) -> None:
        """Replace this agent's contribution to its profile's totals after a change."""
        per_channel = agent_counts(state)
        profile = state.agent.profile.name
        old = self.entries.get(state.agent.index, {})
        new: dict[Channels, Counts] = {}
        for channels in self.sets[profile]:
            counts = new[channels] = combine(per_channel, channels)
            before = old.get(channels, _ZERO)
            total = self.totals[(profile, channels)]
            for i, (a, b) in enumerate(zip(counts, before, strict=True)):
                total[i] += a - b
        self.entries[state.agent.index] = new

    def line(self, router: Router, t: int) -> str:
        """The snapshot at ``t`` as one JSON line, in the shape ``connect_ingest.transform.snapshot_records`` reads.

        Pages as the collector requests them: by QUEUE and CHANNEL, by QUEUE, and ungrouped.
        """
        when = iso_ms(t)
        pages = []
        for page in self.pages:
            results = [self._result(result, router, t) for result in page]
            pages.append(
                f'{{"MetricResults":[{",".join(results)}],"DataSnapshotTime":"{when}",'
                f'"ApproximateTotalCount":{len(results)}}}'
            )
        return (
            f'{{"collected_at":"{when}","instance_id":"{self.instance.id}",'
            f'"current_metric_data":[{",".join(pages)}]{self.tail}\n'
        )

    def _result(self, result: _Result, router: Router, t: int) -> str:
        sums = [0] * len(_AGENT_METRICS)
        for group in result.groups:
            sums = [a + b for a, b in zip(sums, self.totals[group], strict=True)]
        values = dict(zip(_AGENT_METRICS, sums, strict=True))
        waiting = [leg for key in result.keys for leg in router.in_queue[key].values()]
        values["CONTACTS_IN_QUEUE"] = len(waiting)
        oldest = min((leg.enqueued or t for leg in waiting), default=t)
        values["OLDEST_CONTACT_AGE"] = t - oldest if result.age_ms else (t - oldest) // 1000
        values["CONTACTS_SCHEDULED"] = sum(len(router.scheduled[key]) for key in result.keys)
        return result.template.format_map({name: float(value) for name, value in values.items()})
