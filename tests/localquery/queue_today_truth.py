"""Each queue's "today so far" at an instant, in plain Python from Amazon Connect's metric definitions (no SQL).

Contacts: the simulator's contact records for queue, channel, initiation method and disconnect reason, with the
millisecond times of the raw contact events (enqueue, agent, disconnect, and the end of after-contact work that a
COMPLETED event reports). Snapshot: the collector's raw GetCurrentMetricData results, the queue grouping.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from tests.localquery.realtime_truth import Contact, contacts
from tests.localquery.truth import instant

THRESHOLDS = (15, 20, 30, 60, 90, 120)
# Connect: a contact the flow disconnected (or queued for callback) or that expired was not abandoned by the customer.
SYSTEM_ENDS = frozenset({"CONTACT_FLOW_DISCONNECT", "EXPIRED"})
SNAPSHOT_METRICS = {
    "CONTACTS_IN_QUEUE": "contacts_in_queue",
    "OLDEST_CONTACT_AGE": "oldest_contact_age_seconds",
    "AGENTS_AVAILABLE": "agents_available",
    "AGENTS_STAFFED": "agents_staffed",
}


@cache
def acw_ends(data: Path) -> dict[str, datetime]:
    """The end of after-contact work per contact, as its COMPLETED event reports it (a lost event: none)."""
    ends: dict[str, datetime] = {}
    with (data / "contact_events.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            detail = {k.lower(): v for k, v in json.loads(line)["detail"].items()}
            if detail["eventtype"] != "COMPLETED":
                continue
            agent = {k.lower(): v for k, v in (detail.get("agentinfo") or {}).items()}
            if agent.get("aftercontactworkendtimestamp"):
                ends[detail["contactid"]] = instant(agent["aftercontactworkendtimestamp"])
    return ends


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Day:
    """One queue's contacts enqueued today, as they stand at ``at``."""

    contacts: list[Contact]
    at: datetime
    ends: dict[str, datetime]

    def answered(self, c: Contact) -> bool:
        return c.answered is not None and c.answered <= self.at

    def left_at(self, c: Contact) -> datetime | None:
        """When the contact left the queue (answered, else disconnected), if it has by ``at``."""
        return c.dequeued if c.dequeued is not None and c.dequeued <= self.at else None

    def abandoned(self, c: Contact) -> bool:
        r = c.truth
        disconnected = r["disconnected_at"] is not None and instant(r["disconnected_at"]) <= self.at
        return (
            disconnected
            and not self.answered(c)
            and r["initiation_method"] != "CALLBACK"
            and r["disconnect_reason"] not in SYSTEM_ENDS
        )

    def row(self) -> dict[str, Any]:
        queued = len(self.contacts)
        waits = [(left - c.enqueued).total_seconds() for c in self.contacts if (left := self.left_at(c)) and c.enqueued]
        answered = [c for c in self.contacts if self.answered(c)]
        handle = [
            (self.ends[c.truth["contact_id"]] - c.answered).total_seconds()
            for c in answered
            if c.answered and c.truth["contact_id"] in self.ends and self.ends[c.truth["contact_id"]] <= self.at
        ]
        abandoned = sum(1 for c in self.contacts if self.abandoned(c))
        row: dict[str, Any] = {
            "contacts_queued": queued,
            "contacts_handled": len(answered),
            "contacts_abandoned": abandoned,
            "abandonment_rate": 100.0 * abandoned / queued if queued else None,
        }
        for seconds in THRESHOLDS:
            within = sum(1 for w in waits if w <= seconds)
            row[f"service_level_{seconds}"] = 100.0 * within / queued if queued else None
        row["avg_speed_of_answer"] = mean(
            [(c.answered - c.enqueued).total_seconds() for c in answered if c.answered and c.enqueued]
        )
        row["avg_handle_time"] = mean(handle)
        row["avg_queued_time"] = mean(waits)
        row["max_queued_time"] = max(waits, default=None)
        return row


def latest_snapshot(data: Path, since: datetime, at: datetime) -> dict[str, dict[str, Any]]:
    """Per queue name, the queue grouping of the collector's latest snapshot in [since, at]."""
    latest = None
    with (data / "collector" / "snapshots.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            snapshot = json.loads(line)
            if since <= instant(snapshot["collected_at"]) <= at:
                latest = snapshot
    if latest is None:
        return {}
    names = {q["Id"]: q["Name"] for q in latest["queues"]}
    found: dict[str, dict[str, Any]] = {}
    for page in latest["current_metric_data"]:
        for result in page["MetricResults"]:
            dims = result["Dimensions"]
            if "Queue" not in dims or "Channel" in dims:
                continue
            values = {m["Metric"]["Name"]: m["Value"] for m in result["Collections"]}
            found[names[dims["Queue"]["Id"]]] = {col: values.get(name) for name, col in SNAPSHOT_METRICS.items()}
    return found


def today_per_queue(
    data: Path,
    now: str,
    midnight: datetime,
    queues: Collection[str] | None = None,
    channels: Collection[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per standard queue name (of ``queues``, default all): contacts of ``channels`` (default all) enqueued since
    ``midnight``, beside the queue's latest snapshot since then for all its channels (either may be missing)."""
    at = instant(now)
    ends = acw_ends(data)
    cohorts: dict[str, list[Contact]] = {}
    for c in contacts(data):
        r = c.truth
        chosen = (queues is None or r["queue"] in queues) and (channels is None or r["channel"] in channels)
        if r["queue_type"] == "STANDARD" and c.enqueued and midnight <= c.enqueued <= at and chosen:
            cohorts.setdefault(r["queue"], []).append(c)
    snapshot = {q: v for q, v in latest_snapshot(data, midnight, at).items() if queues is None or q in queues}
    empty = Day([], at, ends).row()
    rows = {}
    for queue in sorted(set(cohorts) | set(snapshot)):
        figures = Day(cohorts[queue], at, ends).row() if queue in cohorts else empty
        rows[queue] = figures | snapshot.get(queue, dict.fromkeys(SNAPSHOT_METRICS.values()))
    return rows
