"""The Queues dashboard's per-queue "today so far" table through the local engine, against the ground truth in
plain Python (tests/localquery/queue_today_truth.py) on simulated traffic, and on contacts worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.localquery.conftest import Engine
from tests.localquery.queue_today_truth import today_per_queue
from tests.localquery.shipped import run_shipped
from tests.localquery.test_realtime_contacts_events import INSTANCE, INSTANCE_ID, later, queued
from tests.localquery.test_realtime_empty import snapshot
from tests.localquery.test_realtime_queues import INSTANTS, START, UID
from tests.localquery.truth import instant

SELECTIONS = {
    "all": ([], None, None),
    "one queue": (["queue=Sales"], {"Sales"}, None),
    "voice": (["channel=VOICE"], None, {"VOICE"}),
    "chat and task of two queues": (
        ["queue=Billing", "queue=Support", "channel=CHAT", "channel=TASK"],
        {"Billing", "Support"},
        {"CHAT", "TASK"},
    ),
}


def table(engine: Engine, now: str, assignments: list[str]) -> dict[str, dict[str, Any]]:
    result = engine.panel(UID, "today_per_queue", START, now, assignments)
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return {row.pop("queue"): row for row in rows}


def same(actual: object, expected: object) -> bool:
    if actual is None or expected is None:
        return actual is expected
    return float(actual) == pytest.approx(float(expected), abs=1e-9)  # type: ignore[arg-type]


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_every_queue_today_matches_the_ground_truth(engine: Engine, sim_dir: Path, now: str, selection: str) -> None:
    assignments, queues, channels = SELECTIONS[selection]
    midnight = instant(now).replace(hour=0, minute=0, second=0, microsecond=0)  # the committed environments' UTC
    expected = today_per_queue(sim_dir, now, midnight, queues, channels)
    actual = table(engine, now, assignments)
    assert set(actual) == set(expected)
    # At midnight itself every queue reads 0 contacts beside its snapshot; at any other instant there are contacts.
    assert any(row["contacts_queued"] for row in expected.values()) == (instant(now) != midnight)
    for queue, row in expected.items():
        for column, value in row.items():
            assert same(actual[queue][column], value), (
                f"{now} {selection} {queue} {column}: {actual[queue][column]} != {value}"
            )


AGENT = f"{INSTANCE}/agent/bbbbbbbb-0000-0000-0000-000000000002"


def answered(contact: str, enqueued: str, at: str, hung_up: str | None = None, acw_end: str | None = None) -> list[Any]:
    """Queued, connected to an agent at ``at``; then disconnected and its after-contact work ended, if given."""
    info = {"agentArn": AGENT, "connectedToAgentTimestamp": at}
    events = [queued(contact, enqueued), later("CONNECTED_TO_AGENT", contact, enqueued, at)]
    if hung_up:
        events.append(later("DISCONNECTED", contact, enqueued, hung_up))
    if acw_end:
        events.append(later("COMPLETED", contact, enqueued, acw_end))
        events[-1]["detail"]["disconnectTimestamp"] = hung_up
        info = {**info, "afterContactWorkEndTimestamp": acw_end}
    for event in events[1:]:
        event["detail"]["agentInfo"] = info
    return events


def left(contact: str, enqueued: str, at: str, reason: str = "CUSTOMER_DISCONNECT") -> list[Any]:
    """Queued, then disconnected at ``at`` without reaching an agent, for ``reason``."""
    gone = later("DISCONNECTED", contact, enqueued, at)
    gone["detail"]["disconnectReason"] = reason
    return [queued(contact, enqueued), gone]


NOW = "2026-02-01T12:00:00Z"
EVENTS = [
    *answered(
        "a",
        "2026-02-01T10:00:00.000Z",
        "2026-02-01T10:00:10.000Z",
        "2026-02-01T10:05:00.000Z",
        "2026-02-01T10:06:00.000Z",
    ),
    *answered("b", "2026-02-01T10:10:00.000Z", "2026-02-01T10:10:40.000Z"),  # still talking: no handle time yet
    *left("c", "2026-02-01T10:20:00.000Z", "2026-02-01T10:20:25.000Z"),  # abandoned after 25 s
    *left("d", "2026-02-01T10:30:00.000Z", "2026-02-01T10:30:05.000Z", "CONTACT_FLOW_DISCONNECT"),  # flow ended it
    queued("e", "2026-02-01T11:59:00.000Z"),  # waiting 60 s at noon
    *answered("f", "2026-01-31T23:59:00.000Z", "2026-02-01T00:00:30.000Z"),  # enqueued yesterday
]
# By hand: queued a b c d e; handled a b; abandoned c (d was the flow's); waits of those that left: a 10, b 40,
# c 25, d 5 s (e is still waiting: never within); handle a 10:00:10 -> 10:06:00.
HAND = {
    "contacts_queued": 5,
    "contacts_handled": 2,
    "contacts_abandoned": 1,
    "abandonment_rate": 20.0,
    "service_level_15": 100 * 2 / 5,  # a d
    "service_level_20": 100 * 2 / 5,
    "service_level_30": 100 * 3 / 5,  # a c d
    "service_level_60": 100 * 4 / 5,
    "service_level_90": 100 * 4 / 5,
    "service_level_120": 100 * 4 / 5,
    "avg_speed_of_answer": (10 + 40) / 2,
    "avg_handle_time": 350.0,
    "avg_queued_time": (10 + 40 + 25 + 5) / 4,
    "max_queued_time": 40.0,
    "contacts_in_queue": 1,
    "oldest_contact_age_seconds": 60.0,
    "agents_available": 2,
    "agents_staffed": 3,
}
SNAPSHOT = [
    {"Metric": {"Name": name, "Unit": "COUNT"}, "Value": value}
    for name, value in (
        ("AGENTS_ONLINE", 3.0),
        ("CONTACTS_IN_QUEUE", 1.0),
        ("OLDEST_CONTACT_AGE", 60.0),
        ("AGENTS_AVAILABLE", 2.0),
        ("AGENTS_STAFFED", 3.0),
    )
]


def write_handworked(root: Path) -> Path:
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    (root / "collector").mkdir()
    (root / "collector" / "snapshots.jsonl").write_text(
        json.dumps(snapshot(instant("2026-02-01T11:59:00Z"), SNAPSHOT)) + "\n"
    )
    return root


def test_one_queue_worked_out_by_hand(tmp_path: Path) -> None:
    (result,) = run_shipped(
        UID, "today_per_queue", write_handworked(tmp_path), "2026-02-01T11:00:00Z", NOW, [f"instance={INSTANCE_ID}"]
    )
    (row,) = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    assert row.pop("queue") == "Sales"
    assert row.keys() == HAND.keys()
    for column, value in HAND.items():
        assert same(row[column], value), (column, row[column], value)
