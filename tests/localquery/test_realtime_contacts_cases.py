"""The real-time Contacts panels on Timestream SQL (the local engine) over hand-worked contact events
(tests/handworked/contacts.py): every value worked out by hand from Connect's definitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboards.realtime_contacts import DASHBOARD
from tests.handworked import contacts as case
from tests.localquery.shipped import run_shipped

UID = DASHBOARD.uid
SELECTIONS = [((), case.STATS), (("queue=Support",), case.SUPPORT), (("channel=VOICE",), case.VOICE),
              (("sl_seconds=30",), case.THIRTY)]  # fmt: skip
STAT_CASES = pytest.mark.parametrize(
    ("assignments", "panel", "expected"),
    [(given, panel, value) for given, values in SELECTIONS for panel, value in values.items()],
    ids=[f"{panel}-{'-'.join(given) or 'all'}" for given, values in SELECTIONS for panel in values],
)


def write(root: Path) -> Path:
    """The hand-worked events where the loaders read a simulation's."""
    (root / "collector").mkdir()
    (root / "collector" / "snapshots.jsonl").write_text("".join(json.dumps(s) + "\n" for s in case.SNAPSHOTS))
    (root / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in case.AGENT_EVENTS))
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in case.CONTACT_EVENTS))
    return root


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("handworked-contacts"))


def result(data: Path, panel: str, *assignments: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    (found,) = run_shipped(UID, panel, data, case.FROM, case.NOW, [f"instance={case.INSTANCE_ID}", *assignments])
    return found.columns, found.rows


def test_every_contacts_panel_has_a_hand_worked_case() -> None:
    covered = {*case.STATS, "by_state", "waiting", "live"}
    assert covered == {panel.key for row in DASHBOARD.rows for panel in row.panels}


@STAT_CASES
def test_stat(data: Path, assignments: tuple[str, ...], panel: str, expected: float) -> None:
    ((value,),) = result(data, panel, *assignments)[1]
    assert float(value) == pytest.approx(expected, abs=1e-9)


def test_by_state(data: Path) -> None:
    assert dict(result(data, "by_state")[1]) == case.BY_STATE


def test_waiting(data: Path) -> None:
    columns, rows = result(data, "waiting")
    shown = [dict(zip(columns, row, strict=True)) for row in rows]
    assert [(r["contact_id"], r["channel"], r["queue"], r["seconds_waiting"]) for r in shown] == case.WAITING


def test_live(data: Path) -> None:
    columns, rows = result(data, "live")
    shown = {
        r["contact_id"]: (r["state"], r["queue"], r["agent"])
        for r in (dict(zip(columns, x, strict=True)) for x in rows)
    }
    assert shown == case.LIVE_ROWS
