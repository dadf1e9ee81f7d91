"""Agent occupancy today on influxd (per-millisecond states, the previous event's state read off the next event by
InfluxQL's transformations), against the plain-Python ground truth on simulated traffic and the hand-worked day."""

from __future__ import annotations

from pathlib import Path

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from influxqlcheck import ALL
from localquery.influx import load_simulation
from tests.influx.harness import QUERIES, InfluxStore, run_file
from tests.influx.test_panel_transformations import panel_table
from tests.localquery import test_realtime_occupancy as occupancy
from tests.localquery.occupancy_truth import occupancy_today
from tests.localquery.test_realtime_agents import INSTANTS, UID
from tests.localquery.test_realtime_agents_events import INSTANCE_ID
from tests.localquery.truth import instant

MAIN = QUERIES / "influxdb" / "agents" / "occupancy_today.influxql"


def shown(store: InfluxStore, now: str, profiles: list[str] | str = ALL) -> dict[str, tuple[float, ...]]:
    """The panel's rows by agent, through its own transformations."""
    chosen = {"instance": store.instance, "routing_profile": profiles, "hierarchy_group": ALL}
    table = panel_table(UID, "occupancy_today", {"A": run_file(store, MAIN, now, chosen)})
    assert [row[0] for row in table.rows] == sorted(row[0] for row in table.rows)
    return {row[0]: tuple(row[1:]) for row in table.rows}


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("profile", [None, "Sales Voice"])
def test_occupancy_matches_the_ground_truth(
    influx_store: InfluxStore, sim_dir: Path, now: str, profile: str | None
) -> None:
    midnight = instant(now).replace(hour=0, minute=0, second=0, microsecond=0)
    expected = occupancy_today(sim_dir, midnight, now, lambda a: profile is None or a.profile == profile)
    actual = shown(influx_store, now, ALL if profile is None else [profile])
    assert expected and actual.keys() == expected.keys()
    for agent, values in expected.items():
        assert actual[agent] == pytest.approx(values, abs=1e-9), agent


def test_occupancy_worked_out_by_hand(influx_server: str, tmp_path: Path) -> None:
    stats = load_simulation(occupancy.write_timeline(tmp_path), influx_server, "occupancy", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    actual = shown(InfluxStore(influx_server, "occupancy", INSTANCE_ID), occupancy.NOON)
    assert actual.keys() == occupancy.HAND.keys()
    assert actual["ana"] == pytest.approx(occupancy.HAND["ana"])


def test_occupancy_merges_one_millisecond_by_hand(influx_server: str, tmp_path: Path) -> None:
    data = occupancy.write_timeline(tmp_path, occupancy.SAME_MS, "cara")
    stats = load_simulation(data, influx_server, "occupancy_ms", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    actual = shown(InfluxStore(influx_server, "occupancy_ms", INSTANCE_ID), occupancy.NOON)
    assert actual.keys() == occupancy.SAME_MS_HAND.keys()
    assert actual["cara"] == pytest.approx(occupancy.SAME_MS_HAND["cara"], abs=1e-9)
