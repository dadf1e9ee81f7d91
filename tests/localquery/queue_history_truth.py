"""The Queues - history panels' expected values, in plain Python from the simulator's ground truth (no SQL).

Definitions: Amazon Connect's historical metrics (amazon-connect-data.md section 5 and the admin guide's
historical metrics definitions). Queue metrics count the contacts that entered a queue in the range,
handled-contact metrics those connected to an agent in it, callbacks those initiated in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from tests.localquery.truth import Truth, everything, handled, in_range, instant, mean, percent, queue_label

THRESHOLDS = (15, 20, 30, 60, 90, 120)
INCOMING = ("INBOUND", "TRANSFER", "QUEUE_TRANSFER", "CALLBACK")
INTERVAL_S = {"15m": 900, "30m": 1800, "1h": 3600, "1d": 86400}
Keep = Callable[[Truth], bool]


def queued(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> list[Truth]:
    """Contacts that entered a queue in [start, end]."""
    return [r for r in in_range(truth, start, end, keep, at="enqueued_at") if r["queued"]]


def by_queue(records: Iterable[Truth]) -> dict[str, list[Truth]]:
    groups: dict[str, list[Truth]] = defaultdict(list)
    for r in records:
        groups[queue_label(r)].append(r)
    return groups


def largest(values: Iterable[float]) -> float | None:
    present = list(values)
    return max(present) if present else None


def queue_performance(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> dict[str, dict[str, Any]]:
    """{queue: {column: value}} for the queue table; a queue only handled in the range has no queue metrics."""
    waiting = by_queue(queued(truth, start, end, keep))
    answered = by_queue(r for r in handled(truth, start, end, keep) if r["queue_arn"] is not None)
    rows: dict[str, dict[str, Any]] = {}
    for name in waiting.keys() | answered.keys():
        q, h = waiting.get(name, []), answered.get(name, [])
        abandoned = sum(1 for r in q if r["abandoned"])
        row: dict[str, Any] = {
            "contacts_queued": len(q),
            "contacts_handled": len(h),
            "contacts_abandoned": abandoned,
            "abandonment_rate": percent(abandoned, len(q)),
        }
        for seconds in THRESHOLDS:
            row[f"service_level_{seconds}"] = percent(sum(1 for r in q if r["wait_s"] <= seconds), len(q))
        row["avg_speed_of_answer"] = mean(r["wait_s"] for r in q if r["answered"])
        row["avg_handle_time"] = mean(r["handle_s"] for r in h)
        row["avg_queued_time"] = mean(r["wait_s"] for r in q)
        row["max_queued_time"] = largest(r["wait_s"] for r in q)
        rows[name] = row
    return rows


def bucket(text: str, interval: str) -> datetime:
    """The start of the interval an instant falls in, counted from the epoch in UTC (as $__timeGroup buckets)."""
    size = INTERVAL_S[interval]
    seconds = int(instant(text).timestamp()) // size * size
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def service_level_by_interval(
    truth: list[Truth], start: str, end: str, interval: str, sl_seconds: int
) -> dict[tuple[datetime, str], float]:
    groups: dict[tuple[datetime, str], list[Truth]] = defaultdict(list)
    for r in queued(truth, start, end):
        groups[(bucket(r["enqueued_at"], interval), queue_label(r))].append(r)
    return {key: 100.0 * sum(1 for r in rs if r["wait_s"] <= sl_seconds) / len(rs) for key, rs in groups.items()}


def within_x(truth: list[Truth], start: str, end: str, x: int, keep: Keep = everything) -> dict[str, dict[str, Any]]:
    rows = {}
    for name, q in by_queue(queued(truth, start, end, keep)).items():
        short = sum(1 for r in q if r["abandoned"] and r["wait_s"] <= x)
        late = sum(1 for r in q if r["abandoned"] and r["wait_s"] > x)
        rows[name] = {
            "contacts_queued": len(q),
            "answered_in_x": sum(1 for r in q if r["answered"] and r["wait_s"] <= x),
            "abandoned_in_x": short,
            "abandoned_after_x": late,
            "abandonment_rate_after_x": percent(late, len(q) - short),
        }
    return rows


def seconds_between(earlier: str, later: str) -> int:
    return int((instant(later) - instant(earlier)).total_seconds())


def flow_time(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> dict[str, dict[str, Any]]:
    """Seconds from connected-to-system to enqueue of contacts that came in by themselves (inbound, API)."""
    firsts = [
        r
        for r in queued(truth, start, end, keep)
        if r["initiation_method"] in ("INBOUND", "API") and r["connected_to_system_at"] is not None
    ]
    rows = {}
    for name, rs in by_queue(firsts).items():
        spans = [seconds_between(r["connected_to_system_at"], r["enqueued_at"]) for r in rs]
        rows[name] = {"contacts": len(rs), "avg_flow_time": mean(spans), "max_flow_time": largest(spans)}
    return rows


def callbacks(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> dict[str, dict[str, Any]]:
    """Callback contacts initiated in the range, per queue: all, answered, and attempts the customer left unanswered."""
    records = [r for r in in_range(truth, start, end, keep) if r["callback"] and r["queue_arn"] is not None]
    return {
        name: {
            "callback_contacts": len(rs),
            "callback_contacts_handled": sum(1 for r in rs if r["answered"]),
            "callback_attempts": sum(1 for r in rs if r["callback_unanswered"]),
            "callback_retries": sum(1 for r in rs if r["callback_unanswered"] and r["next_contact_id"]),
        }
        for name, rs in by_queue(records).items()
    }


def handled_by_method(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> Counter[str]:
    return Counter(r["initiation_method"] for r in handled(truth, start, end, keep))


def handled_incoming(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> int:
    methods = handled_by_method(truth, start, end, keep)
    return sum(methods[m] for m in INCOMING)


def handled_outbound(truth: list[Truth], start: str, end: str, keep: Keep = everything) -> int:
    return handled_by_method(truth, start, end, keep)["OUTBOUND"]
