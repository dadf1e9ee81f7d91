"""What every shipped dashboard promises a supervisor: units, decimals, thresholds, descriptions, refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashcompiler.build import compile_project

ROOT = Path(__file__).resolve().parents[2]
BOARDS = {board.uid: board.json for board in compile_project(ROOT).dashboards}
KPI_TYPES = ("stat", "gauge", "bargauge")


def panels(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in body["panels"] if p["type"] != "row"]


@pytest.mark.parametrize("uid", sorted(BOARDS))
def test_every_panel_sets_unit_decimals_and_thresholds(uid: str) -> None:
    missing = [
        (panel["title"], key)
        for panel in panels(BOARDS[uid])
        for key in ("unit", "decimals", "thresholds")
        if key not in panel.get("fieldConfig", {}).get("defaults", {})
    ]
    assert not missing, f"{uid}: panels without a unit, decimals or thresholds: {missing}"


@pytest.mark.parametrize("uid", sorted(BOARDS))
def test_every_kpi_panel_says_what_it_counts(uid: str) -> None:
    undescribed = [p["title"] for p in panels(BOARDS[uid]) if p["type"] in KPI_TYPES and not p.get("description")]
    assert not undescribed, f"{uid}: KPI panels without a description: {undescribed}"


@pytest.mark.parametrize("uid", sorted(uid for uid in BOARDS if "-rt-" in uid))
def test_real_time_dashboards_refresh_every_5_to_10_seconds(uid: str) -> None:
    assert BOARDS[uid]["refresh"] in ("5s", "10s")
