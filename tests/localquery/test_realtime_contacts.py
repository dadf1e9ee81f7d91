"""Every panel of the real-time Contacts dashboard at fixed instants, against the simulator's ground truth."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from dashcompiler.compile import Model
from tests.localquery.conftest import Engine
from tests.localquery.realtime_truth import (
    Contact,
    active_at,
    contacts,
    queued_today,
    service_level,
    waiting_longer_than,
)
from tests.localquery.truth import instant, mean

UID = "connect-rt-contacts"
START = "2026-01-31T21:00:00Z"
BACKLOG = "2026-01-31T23:30:59.999Z"  # 9 contacts waiting, 5 of them for more than 20 s
INSTANTS = ["2026-01-31T22:39:59.999Z", BACKLOG, "2026-02-01T00:44:59.999Z", "2026-02-01T01:29:59.999Z"]
NOW = pytest.mark.parametrize("now", INSTANTS)
FILTERS = pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], lambda r: True),
        (["queue=Sales"], lambda r: r["queue"] == "Sales"),
        (["queue=Sales", "queue=Billing"], lambda r: r["queue"] in ("Sales", "Billing")),
        (["channel=CHAT", "channel=TASK"], lambda r: r["channel"] in ("CHAT", "TASK")),
    ],
    ids=["all", "one-queue", "two-queues", "chat-task"],
)


def close(actual: object, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


def test_event_queue_times_agree_with_the_ground_truth(sim_dir: Path) -> None:
    """The millisecond times the expectations use are the ground truth's seconds, untruncated."""
    queued = [c for c in contacts(sim_dir) if c.truth["enqueued_at"]]
    assert queued
    for c in queued:
        assert c.enqueued is not None and c.enqueued.replace(microsecond=0) == instant(c.truth["enqueued_at"])
        if c.truth["dequeued_at"]:
            assert c.dequeued is not None and c.dequeued.replace(microsecond=0) == instant(c.truth["dequeued_at"])


@NOW
@FILTERS
@pytest.mark.parametrize("sl_seconds", [20, 60])
def test_service_level_today(
    engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep, sl_seconds: int
) -> None:
    expected = service_level(queued_today(sim_dir, now, keep), now, sl_seconds)
    actual = engine.value(UID, "service_level_today", START, now, [*assignments, f"sl_seconds={sl_seconds}"])
    assert close(actual, expected), f"{now} {assignments}: engine {actual}, ground truth {expected}"


def left_queue_within(queued: list[Contact], now: str, sl_seconds: int) -> float:
    """The old, flattering figure: within X s over only the contacts that have left the queue."""
    at = instant(now)
    left = [c for c in queued if c.dequeued is not None and c.dequeued <= at]
    within = [c for c in left if c.enqueued and c.dequeued and c.dequeued - c.enqueued <= timedelta(seconds=sl_seconds)]
    return 100.0 * len(within) / len(left)


def test_service_level_counts_a_backlog_against_itself(engine: Engine, sim_dir: Path) -> None:
    """Contacts still waiting beyond the threshold lower the figure, as in Connect's report."""
    queued = queued_today(sim_dir, BACKLOG)
    assert waiting_longer_than(queued, BACKLOG, 20) >= 5, "the instant has no backlog"
    actual = engine.value(UID, "service_level_today", START, BACKLOG, ["sl_seconds=20"])
    assert close(actual, service_level(queued, BACKLOG, 20))
    assert float(actual) < left_queue_within(queued, BACKLOG, 20) - 1  # type: ignore[arg-type]


@NOW
@FILTERS
def test_average_speed_of_answer_today(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    at = instant(now)
    answered = [c for c in queued_today(sim_dir, now, keep) if c.answered is not None and c.answered <= at]
    expected = mean((c.answered - c.enqueued).total_seconds() for c in answered if c.enqueued and c.answered)
    assert close(engine.value(UID, "asa_today", START, now, assignments), expected)


@NOW
@FILTERS
def test_contacts_by_state(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    expected = Counter(active_at(sim_dir, now, keep).values())
    assert Counter(dict(engine.panel(UID, "by_state", START, now, assignments).rows)) == expected


def test_scenario_has_every_live_state(sim_dir: Path) -> None:
    states = {state for now in INSTANTS for state in active_at(sim_dir, now).values()}
    assert states >= {"QUEUED", "CONNECTED_TO_AGENT", "DISCONNECTED"}


def queue_label(data: Path, contact: Contact) -> str:
    """The queue as the supervisor knows it: its name, or for an agent's own queue (a transfer to the agent, id
    agent/<agent id>) the username of that agent and "(agent queue)"."""
    if contact.truth["queue_type"] == "AGENT":
        usernames = {
            c.truth["agent_arn"].rsplit("/", 1)[1]: c.truth["agent"] for c in contacts(data) if c.truth["agent"]
        }
        return f"{usernames[contact.truth['queue_arn'].rsplit('/', 1)[1]]} (agent queue)"
    return contact.truth["queue"]


def test_scenario_has_named_queues_and_agents_and_agent_queues(engine: Engine, sim_dir: Path) -> None:
    """The live table names a standard queue, an agent's queue and an agent at some instant, so the name
    assertions of test_live_contacts are exercised on every kind."""
    shown = [row for now in INSTANTS for row in engine.panel(UID, "live", START, now).rows]
    assert any(row[4] and row[4].endswith(" (agent queue)") for row in shown)
    assert any(row[4] in {"Sales", "Billing", "Support"} for row in shown)
    assert any(row[5] for row in shown)


@NOW
@FILTERS
def test_live_contacts(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    expected = active_at(sim_dir, now, keep)
    result = engine.panel(UID, "live", START, now, assignments)
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    assert {r["contact_id"]: r["state"] for r in rows} == expected
    truth = {c.truth["contact_id"]: c for c in contacts(sim_dir)}
    for row in rows:
        c = truth[row["contact_id"]]
        assert row["channel"] == c.truth["channel"] and row["initiation_method"] == c.truth["initiation_method"]
        in_queue = c.truth["queue_arn"] and c.enqueued is not None and c.enqueued <= instant(now)
        assert row["queue"] == (queue_label(sim_dir, c) if in_queue else None)
        connected = c.answered if c.answered is not None and c.answered <= instant(now) else None
        assert row["connected_to_agent_at"] == (connected.replace(tzinfo=None) if connected else None)
        assert row["agent"] == (c.truth["agent"] if connected else None), "the agent's username"
    assert [r["initiated_at"] for r in rows] == sorted((r["initiated_at"] for r in rows), reverse=True)


@NOW
@FILTERS
def test_waiting_table(engine: Engine, sim_dir: Path, now: str, assignments: list[str], keep) -> None:
    at = instant(now)
    expected = {
        c.truth["contact_id"]: (queue_label(sim_dir, c), (at - c.enqueued) // timedelta(seconds=1))
        for c in contacts(sim_dir)
        if keep(c.truth) and c.enqueued is not None and c.enqueued <= at and (c.dequeued is None or c.dequeued > at)
    }
    result = engine.panel(UID, "waiting", START, now, assignments)
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    assert {r["contact_id"]: (r["queue"], r["seconds_waiting"]) for r in rows} == expected


def test_a_data_update_while_queued_leaves_the_contact_waiting(build: Model, sim_dir: Path, tmp_path: Path) -> None:
    """Connect sends CONTACT_DATA_UPDATED while a contact waits (a routing step expiring, an attribute set):
    the contact is still in the queue, in its queue state, not in a state named after the update."""
    at = instant(BACKLOG)
    waiting = {
        c.truth["contact_id"]
        for c in contacts(sim_dir)
        if c.enqueued is not None and c.enqueued <= at and (c.dequeued is None or c.dequeued > at)
    }
    data = tmp_path / "data"
    shutil.copytree(sim_dir, data)
    with (data / "contact_events.jsonl").open("r+", encoding="utf-8") as lines:
        queued = [e for e in map(json.loads, lines) if e["detail"]["eventType"] == "QUEUED"]
        for event in queued:
            if event["detail"]["contactId"] in waiting:
                update = {
                    **event,
                    "id": event["id"][:-4] + "beef",
                    "time": f"{at - timedelta(seconds=1):%Y-%m-%dT%H:%M:%SZ}",
                }
                update["detail"] = {
                    **event["detail"],
                    "eventType": "CONTACT_DATA_UPDATED",
                    "updatedProperties": ["RoutingCriteria.Step.Status"],
                }
                lines.write(json.dumps(update) + "\n")
    engine = Engine(build, data, {})
    try:
        assert engine.value(UID, "waiting_count", START, BACKLOG) == len(waiting) >= 5
        states = dict(engine.panel(UID, "by_state", START, BACKLOG).rows)
        assert states.get("QUEUED") == len(waiting) and "CONTACT_DATA_UPDATED" not in states
    finally:
        for session in engine._sessions.values():
            session.con.close()
