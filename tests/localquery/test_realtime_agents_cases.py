"""The real-time Agents panels on Timestream SQL (the local engine) over hand-worked agent events
(tests/handworked/agents.py): every value worked out by hand from Connect's real-time definitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboards.realtime_agents import DASHBOARD
from tests.handworked import agents as case
from tests.localquery.shipped import run_shipped

UID = DASHBOARD.uid
FILTERS = pytest.mark.parametrize(
    ("assignments", "counts"),
    [
        ([], case.COUNTS),
        (["routing_profile=Support Omni"], case.SUPPORT_COUNTS),
        (["hierarchy_group=London Support"], case.SUPPORT_COUNTS),
    ],
    ids=["all", "routing-profile", "hierarchy-group"],
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("handworked-agents")
    (root / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in case.EVENTS))
    return root


def rows(data: Path, panel: str, *assignments: str) -> list[tuple[Any, ...]]:
    (result,) = run_shipped(UID, panel, data, case.FROM, case.NOW, [f"instance={case.INSTANCE_ID}", *assignments])
    return result.rows


# Panels whose hand-worked case lives beside their own ground truth, not in tests/handworked/agents.py.
WORKED_ELSEWHERE = {"occupancy_today": "test_realtime_occupancy.py::test_occupancy_worked_out_by_hand"}


def test_every_agents_panel_has_a_hand_worked_case() -> None:
    assert all(Path(__file__).with_name(where.split("::")[0]).is_file() for where in WORKED_ELSEWHERE.values())
    covered = {*case.COUNTS, "slots", "status_summary", "agent_table", "missed_rejected", "by_status_over_time"}
    covered |= set(WORKED_ELSEWHERE)
    assert covered == {panel.key for row in DASHBOARD.rows for panel in row.panels}


@FILTERS
@pytest.mark.parametrize("panel", list(case.COUNTS))
def test_agent_counts(data: Path, assignments: list[str], counts: dict[str, int], panel: str) -> None:
    assert rows(data, panel, *assignments) == [(counts[panel],)]


def test_slots(data: Path) -> None:
    assert dict(rows(data, "slots")) == case.SLOTS
    assert dict(rows(data, "slots", "routing_profile=Support Omni")) == case.SUPPORT_SLOTS


def test_status_summary(data: Path) -> None:
    assert dict(rows(data, "status_summary")) == case.STATUS_SUMMARY


def test_agent_table(data: Path) -> None:
    found = rows(data, "agent_table")
    assert [r[0] for r in found] == sorted(case.AGENT_TABLE)  # by username
    shown = {
        agent: (status, seconds, state or None, queue or None) for agent, _n, status, seconds, state, queue, _p in found
    }
    assert shown == case.AGENT_TABLE


def test_missed_and_rejected(data: Path) -> None:
    assert {
        agent: (missed, rejected) for agent, missed, rejected in rows(data, "missed_rejected")
    } == case.MISSED_REJECTED


def test_agents_by_status_over_time(data: Path) -> None:
    found = {
        (status, point["time"].strftime("%H:%M")): point["value"]
        for status, points in rows(data, "by_status_over_time")
        for point in points
    }
    assert found == case.BY_STATUS
