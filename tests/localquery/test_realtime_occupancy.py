"""Agent occupancy today on the Agents dashboard through the local engine, against the ground truth in plain
Python from the raw agent events (tests/localquery/occupancy_truth.py), and on agent events worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.localquery.conftest import Engine
from tests.localquery.occupancy_truth import occupancy_today
from tests.localquery.test_realtime_agents import INSTANTS, START, UID
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
