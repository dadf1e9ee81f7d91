"""The real-time Queues panels' InfluxQL on a real influxd over the hand-worked collector snapshots
(tests/handworked/queues.py), loaded through the ingest Lambda's sink: the values worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from localquery.influx import load_simulation
from tests.handworked import queues as case
from tests.influx.harness import InfluxStore
from tests.influx.test_queues import influx_series, run, stat


@pytest.fixture(scope="module")
def store(influx_server: str, tmp_path_factory: pytest.TempPathFactory) -> InfluxStore:
    data = tmp_path_factory.mktemp("influx-handworked-queues")
    (data / "collector").mkdir()
    (data / "collector" / "snapshots.jsonl").write_text("".join(json.dumps(s) + "\n" for s in case.SNAPSHOTS))
    stats = load_simulation(data, influx_server, "handworked_queues", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "handworked_queues", case.INSTANCE_ID)


@pytest.mark.parametrize("selection", list(case.CASES))
@pytest.mark.parametrize("panel", case.PANELS)
def test_stat(store: InfluxStore, selection: str, panel: str) -> None:
    assignments, expected = case.CASES[selection]
    assert stat(run(store, panel, case.NOW, list(assignments))) == expected[panel]


def test_per_queue(store: InfluxStore) -> None:
    tables = run(store, "per_queue", case.NOW, [])
    assert sorted(tuple(row[1:]) for table in tables for row in table.rows) == case.PER_QUEUE


@pytest.mark.parametrize("panel", list(case.OVER_TIME))
def test_over_time(store: InfluxStore, panel: str) -> None:
    series = influx_series(store, panel, case.NOW, [], case.FROM)
    found = {
        name: {datetime.fromtimestamp(ms / 1000, UTC).strftime("%H:%M"): v for ms, v in points.items()}
        for name, points in series.items()
    }
    assert found == case.OVER_TIME[panel]
