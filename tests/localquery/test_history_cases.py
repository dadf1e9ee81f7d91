"""The history panels on hand-worked CTRs (tests/handworked/history.py): every value worked out by hand from
Connect's definitions, the records loaded as the simulated ones are (CTR folders per initiation date)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from dashboards.history_contacts import DASHBOARD
from tests.handworked.ctrs import INSTANCE_ID, write_ctrs
from tests.handworked.history import CASES, Case
from tests.localquery.shipped import run_shipped

UID = DASHBOARD.uid
PANELS = {panel.key for row in DASHBOARD.rows for panel in row.panels}
VOLUME = {"volume_by_channel", "volume_by_queue", "volume_by_initiation_method"}
BREAKDOWNS = {"disconnect_reasons", "by_hour_of_day", "by_weekday"}


def hour(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def shown(panel: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> object:
    """A panel's rows in the cases' form: a stat's number, {group: contacts}, or {agent: values}."""
    if panel in VOLUME:
        return Counter({(hour(row[0]), row[1]): row[2] for row in rows})
    if panel in BREAKDOWNS:
        return Counter(dict(rows))
    if panel == "agents":
        return {row[0]: row[1:] for row in rows}
    assert len(columns) == 1 and len(rows) == 1, (panel, columns, rows)
    return rows[0][0]


def same(actual: object, expected: object) -> bool:
    if isinstance(expected, dict) and all(isinstance(v, tuple) for v in expected.values()):
        return (
            isinstance(actual, dict)
            and set(actual) == set(expected)
            and all(all(same(a, e) for a, e in zip(actual[k], v, strict=True)) for k, v in expected.items())
        )
    if isinstance(expected, dict):
        return actual == Counter(expected)
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(float(expected), abs=1e-9)  # type: ignore[arg-type]


def test_every_history_panel_has_a_hand_worked_case() -> None:
    covered = {panel for case in CASES for panel in case.expected}
    assert covered == PANELS, f"no case for {sorted(PANELS - covered)}; unknown {sorted(covered - PANELS)}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hand_worked_case(case: Case, tmp_path: Path) -> None:
    data = write_ctrs(tmp_path, case.records)
    wrong = {}
    for panel, expected in case.expected.items():
        (result,) = run_shipped(UID, panel, data, *case.span, [f"instance={INSTANCE_ID}", *case.assignments])
        actual = shown(panel, result.columns, result.rows)
        if not same(actual, expected):
            wrong[panel] = (actual, expected)
    assert not wrong, f"{case.name}: panel: (shown, worked out by hand): {wrong}"
