"""Agent occupancy today on the Agents dashboard through the local engine, against the ground truth in plain
Python from the raw agent events (tests/localquery/occupancy_truth.py), and on agent events worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.localquery.conftest import Engine
from tests.localquery.occupancy_truth import occupancy_today
from tests.localquery.shipped import run_shipped
from tests.localquery.test_realtime_agents import INSTANTS, START, UID
from tests.localquery.test_realtime_agents_events import AVAILABLE, BREAK, INSTANCE_ID, agent_event, contact
from tests.localquery.truth import instant

FILTERS = {
    "all": ([], lambda a: True),
    "one routing profile": (["routing_profile=Sales Voice"], lambda a: a.profile == "Sales Voice"),
}


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(FILTERS))
def test_occupancy_matches_the_ground_truth(engine: Engine, sim_dir: Path, now: str, selection: str) -> None:
    assignments, keep = FILTERS[selection]
    midnight = instant(now).replace(hour=0, minute=0, second=0, microsecond=0)
    expected = occupancy_today(sim_dir, midnight, now, keep)
    result = engine.panel(UID, "occupancy_today", START, now, assignments)
    actual = {row[0]: row[1:] for row in result.rows}
    assert [row[0] for row in result.rows] == sorted(actual)
    assert expected and actual.keys() == expected.keys()
    for agent, values in expected.items():
        assert actual[agent] == pytest.approx(values, abs=1e-9), agent


OFFLINE = {"Name": "Offline", "Type": "OFFLINE"}


def at(moment: str, event: dict[str, Any], number: int, agent: str = "ana") -> dict[str, Any]:
    """The event at ``moment``, with an event id of its own (its sub-millisecond offset in the store)."""
    return {**event, "EventTimestamp": moment, "EventId": f"{agent}-{number:04d}-0000-0000-000000000000"}


TIMELINE = [
    ("2026-02-01T09:00:00.000Z", agent_event("ana", AVAILABLE)),  # idle 600 s
    ("2026-02-01T09:10:00.000Z", agent_event("ana", AVAILABLE, contact("c1", "VOICE", "CONNECTING"))),  # rings 20 s
    ("2026-02-01T09:10:20.000Z", agent_event("ana", AVAILABLE, contact("c1", "VOICE", "CONNECTED"))),  # on 580 s
    ("2026-02-01T09:20:00.000Z", agent_event("ana", AVAILABLE, contact("c1", "VOICE", "ENDED"))),  # ACW 120 s
    ("2026-02-01T09:22:00.000Z", agent_event("ana", AVAILABLE)),  # idle 480 s
    ("2026-02-01T09:30:00.000Z", agent_event("ana", BREAK)),  # break 30 min: neither
    ("2026-02-01T10:00:00.000Z", agent_event("ana", AVAILABLE, contact("c2", "VOICE", "MISSED"))),  # idle 60 s
    ("2026-02-01T10:01:00.000Z", agent_event("ana", AVAILABLE)),  # the same millisecond as the next...
    ("2026-02-01T10:01:00.000Z", agent_event("ana", AVAILABLE, contact("c3", "CHAT", "CONNECTING"))),  # rings 240 s
    ("2026-02-01T10:05:00.000Z", agent_event("ana", OFFLINE)),  # logged off: neither, the latest event
    ("2026-02-01T09:00:00.000Z", agent_event("ben", BREAK)),  # on a break all day: not listed
    ("2026-02-01T11:00:00.000Z", agent_event("ben", BREAK)),
]
NOON = "2026-02-01T12:00:00Z"
# By hand: on contact 580 + 120 = 700 s; idle 600 + 480 + 60 = 1140 s (not the 20 s and 240 s an offer rang).
HAND = {"ana": (700.0, 1140.0, 100 * 700 / 1840)}


def write_timeline(root: Path, timeline: list[tuple[str, dict[str, Any]]] = TIMELINE, agent: str = "ana") -> Path:
    events = [at(moment, event, n, agent) for n, (moment, event) in enumerate(timeline)]
    (root / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    return root


# One agent's events of one millisecond are one state: on contact if any is, idle only if all are (the SQL's
# date_trunc and max/min). Their store offsets (from the event ids cara-0000... in this order; in ns after the
# millisecond, at the end of each line) make the later point of 09:00 and of 09:20 the one whose own state differs
# from the merged one, and put 09:10:00.001 less than a millisecond of store time after 09:10:00.000: a count by
# raw point times would differ.
ON_VOICE, ON_CHAT = contact("c1", "VOICE", "CONNECTED"), contact("c2", "CHAT", "CONNECTED")
SAME_MS = [
    ("2026-02-01T09:00:00.000Z", agent_event("cara", AVAILABLE)),  # 421359
    ("2026-02-01T09:00:00.000Z", agent_event("cara", AVAILABLE, ON_VOICE)),  # 15496: merged on contact 600 s
    ("2026-02-01T09:10:00.000Z", agent_event("cara", AVAILABLE)),  # 991106: idle 1 ms
    ("2026-02-01T09:10:00.001Z", agent_event("cara", AVAILABLE, ON_VOICE)),  # 197161: on contact 599.999 s
    ("2026-02-01T09:20:00.000Z", agent_event("cara", BREAK)),  # 185311
    ("2026-02-01T09:20:00.000Z", agent_event("cara", AVAILABLE)),  # 727175: merged neither 600 s
    ("2026-02-01T09:30:00.000Z", agent_event("cara", AVAILABLE, ON_CHAT)),  # 870727
    ("2026-02-01T09:30:00.000Z", agent_event("cara", AVAILABLE)),  # 634843: merged on contact 300 s
    ("2026-02-01T09:35:00.000Z", agent_event("cara", AVAILABLE)),  # 582512
    ("2026-02-01T09:35:00.000Z", agent_event("cara", AVAILABLE)),  # 577004: both idle, idle 300 s
    ("2026-02-01T09:40:00.000Z", agent_event("cara", BREAK)),  # the latest
]
# By hand: on contact 600 + 599.999 + 300 = 1499.999 s; idle 0.001 + 300 = 300.001 s.
SAME_MS_HAND = {"cara": (1499.999, 300.001, 100 * 1499.999 / 1800)}


def test_occupancy_merges_one_millisecond_by_hand(tmp_path: Path) -> None:
    data = write_timeline(tmp_path, SAME_MS, "cara")
    (result,) = run_shipped(UID, "occupancy_today", data, "2026-02-01T11:00:00Z", NOON, [f"instance={INSTANCE_ID}"])
    assert [row[0] for row in result.rows] == list(SAME_MS_HAND)
    assert result.rows[0][1:] == pytest.approx(SAME_MS_HAND["cara"], abs=1e-9)


def test_occupancy_worked_out_by_hand(tmp_path: Path) -> None:
    data = write_timeline(tmp_path)
    (result,) = run_shipped(UID, "occupancy_today", data, "2026-02-01T11:00:00Z", NOON, [f"instance={INSTANCE_ID}"])
    assert [row[0] for row in result.rows] == list(HAND)
    assert result.rows[0][1:] == pytest.approx(HAND["ana"])
    truth = occupancy_today(data, instant(NOON).replace(hour=0), NOON)
    assert truth.keys() == HAND.keys() and truth["ana"] == pytest.approx(HAND["ana"]), "the ground truth agrees"
