"""Expected panel values computed in plain Python from the simulator's ground truth (no SQL).

Definitions: Amazon Connect's, as in amazon-connect-data.md section 5.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Truth = dict[str, Any]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def read_truth(data: Path) -> list[Truth]:
    with (data / "ground_truth.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def in_range(
    truth: Iterable[Truth],
    start: str,
    end: str,
    keep: Callable[[Truth], bool] = lambda r: True,
    at: str = "initiated_at",
) -> list[Truth]:
    """The contacts whose ``at`` instant falls in [start, end] (a contact without one is not in any range)."""
    low, high = instant(start), instant(end)
    return [r for r in truth if r[at] is not None and low <= instant(r[at]) <= high and keep(r)]


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def everything(_record: Truth) -> bool:
    return True


def deepest_group(record: Truth) -> str | None:
    """The agent's most specific hierarchy group, as the agent events' hierarchy_group names it."""
    return record["hierarchy"][-1] if record["hierarchy"] else None


def handled(truth: Iterable[Truth], start: str, end: str, keep: Callable[[Truth], bool] = everything) -> list[Truth]:
    """The contacts connected to an agent in [start, end], whenever they were initiated."""
    return [r for r in in_range(truth, start, end, keep, at="connected_to_agent_at") if r["answered"]]


def kpis(
    truth: list[Truth],
    start: str,
    end: str,
    keep: Callable[[Truth], bool] = everything,
    sl_seconds: int = 20,
    agent_keep: Callable[[Truth], bool] = everything,
) -> dict[str, float | int | None]:
    """Every single-number history panel, keyed by panel key.

    Queue metrics (queued, abandoned, service level, answer and abandon times) count the contacts
    that entered a queue in the range; handled-contact metrics (handled, handle, interaction, hold
    and after-contact-work times) the contacts connected to an agent in it; transfers and callbacks,
    contacts initiated in it. ``agent_keep`` (routing profile, hierarchy group) narrows only the
    agent metrics: the handled-contact ones and transfers.
    """
    records = in_range(truth, start, end, keep)
    queued = [r for r in in_range(truth, start, end, keep, at="enqueued_at") if r["queued"]]
    answered = [r for r in handled(truth, start, end, keep) if agent_keep(r)]
    abandoned = [r for r in queued if r["abandoned"]]
    return {
        "contacts_queued": len(queued),
        "contacts_handled": len(answered),
        "contacts_abandoned": len(abandoned),
        "abandonment_rate": percent(len(abandoned), len(queued)),
        "service_level": percent(sum(1 for r in queued if r["wait_s"] <= sl_seconds), len(queued)),
        "avg_speed_of_answer": mean(r["wait_s"] for r in queued if r["answered"]),
        "avg_handle_time": mean(r["handle_s"] for r in answered),
        "avg_interaction_time": mean(r["talk_s"] for r in answered),
        "avg_hold_time": mean(r["hold_s"] for r in answered if r["holds"]),
        "avg_acw_time": mean(r["acw_s"] for r in answered),
        "avg_abandon_time": mean(r["wait_s"] for r in abandoned),
        "transfers": sum(1 for r in records if r["transferred"] and agent_keep(r)),
        "callbacks": sum(1 for r in records if r["callback"]),
    }


def _hour(text: str) -> datetime:
    return instant(text).replace(minute=0, second=0, microsecond=0, tzinfo=None)


def queue_label(record: Truth) -> str:
    """The queue a supervisor sees: its name, or one "Agent queues" for transfers to an agent's own queue."""
    return "Agent queues" if record["queue_type"] == "AGENT" else record["queue"]


def charts(truth: list[Truth], start: str, end: str) -> dict[str, Counter[Any]]:
    """The grouped history panels as {group key: contacts}; queue volume by the hour contacts entered the queue."""
    records = in_range(truth, start, end)
    times = [(r, instant(r["initiated_at"])) for r in records]
    queued = [r for r in in_range(truth, start, end, at="enqueued_at") if r["queued"]]
    return {
        "volume_by_queue": Counter((_hour(r["enqueued_at"]), queue_label(r)) for r in queued),
        "volume_by_initiation_method": Counter((_hour(r["initiated_at"]), r["initiation_method"]) for r in records),
        "disconnect_reasons": Counter(r["disconnect_reason"] or "UNKNOWN" for r in records),
        "by_hour_of_day": Counter(f"{t.hour:02d}" for _r, t in times),
        "by_weekday": Counter(f"{t.isoweekday()} {t:%a}" for _r, t in times),
        "volume_by_channel": Counter((_hour(r["initiated_at"]), r["channel"]) for r in records),
    }


def agents(records: list[Truth]) -> dict[str, tuple[int, float | None, float | None, float | None]]:
    """Per agent, over handled contacts: (handled, mean handle s, mean ACW s, mean hold s over held contacts)."""
    by_agent: dict[str, list[Truth]] = defaultdict(list)
    for r in records:
        by_agent[r["agent"]].append(r)
    return {
        name: (
            len(rs),
            mean(r["handle_s"] for r in rs),
            mean(r["acw_s"] for r in rs),
            mean(r["hold_s"] for r in rs if r["holds"]),
        )
        for name, rs in by_agent.items()
    }
