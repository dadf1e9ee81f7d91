"""The real-time Queues panels on Timestream SQL (the local engine) over hand-worked collector snapshots
(tests/handworked/queues.py): which of Connect's result rows each selection reads, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboards.realtime_queues import DASHBOARD
from localquery.run import series
from tests.handworked import queues as case
from tests.localquery.shipped import run_shipped

UID = DASHBOARD.uid


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("handworked-queues")
    (root / "collector").mkdir()
    (root / "collector" / "snapshots.jsonl").write_text("".join(json.dumps(s) + "\n" for s in case.SNAPSHOTS))
    return root


def rows(data: Path, panel: str, *assignments: str) -> list[tuple[Any, ...]]:
    (result,) = run_shipped(UID, panel, data, case.FROM, case.NOW, [f"instance={case.INSTANCE_ID}", *assignments])
    return result.rows


# Panels whose hand-worked case lives beside their own ground truth, not in tests/handworked/queues.py.
WORKED_ELSEWHERE = {"today_per_queue": "test_realtime_queues_today.py::test_one_queue_worked_out_by_hand"}


def test_every_queues_panel_has_a_hand_worked_case() -> None:
    assert all(Path(__file__).with_name(where.split("::")[0]).is_file() for where in WORKED_ELSEWHERE.values())
    covered = {*case.PANELS, "per_queue", *case.OVER_TIME, *WORKED_ELSEWHERE}
    assert covered == {panel.key for row in DASHBOARD.rows for panel in row.panels}


def test_the_worked_rows_add_up_as_written() -> None:
    for selection, written in case.EXPLICIT.items():
        computed = case.CASES[selection][1]
        assert {k: computed[k] for k in written} == written, selection


@pytest.mark.parametrize("selection", list(case.CASES))
@pytest.mark.parametrize("panel", case.PANELS)
def test_stat(data: Path, selection: str, panel: str) -> None:
    assignments, expected = case.CASES[selection]
    assert rows(data, panel, *assignments) == [(expected[panel],)]


def test_per_queue(data: Path) -> None:
    assert [tuple(r) for r in rows(data, "per_queue")] == case.PER_QUEUE


@pytest.mark.parametrize("panel", list(case.OVER_TIME))
def test_over_time(data: Path, panel: str) -> None:
    results = run_shipped(UID, panel, data, case.FROM, case.NOW, [f"instance={case.INSTANCE_ID}"])
    found = {
        name: {at.strftime("%H:%M"): value for at, value in points.items()} for name, points in series(results).items()
    }
    assert found == case.OVER_TIME[panel]
