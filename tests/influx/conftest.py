"""influxd with the local engine's simulation loaded through the ingest Lambda's InfluxSink, once per session.

The simulation is the local-engine tests' own (tests/localquery/conftest.py), so a test can compare a
panel's SQL on DuckDB with its InfluxQL on influxd over the same data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from localquery.influx import InfluxTable, create_database, load_simulation
from tests.influx.harness import DATABASE, InfluxStore, Variables, run_file
from tests.localquery.conftest import build, engine, sim_dir
from tests.servers import influxd

__all__ = ["build", "engine", "sim_dir"]

RunPanel = Callable[..., list[InfluxTable]]


@pytest.fixture(scope="session")
def influx_server() -> Iterator[str]:
    """The URL of an influxd (auth off) on 127.0.0.1, free ports, a temporary directory; stopped by its PID."""
    with influxd(auth=False) as url:
        yield url


@pytest.fixture(scope="session")
def influx_store(influx_server: str, sim_dir: Path) -> InfluxStore:
    """The simulation written through InfluxSink into database ``connect``; every point must be written. No test
    writes to it afterwards, so it keeps each query's answer."""
    stats = load_simulation(sim_dir, influx_server, DATABASE, InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    instance = json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"]
    return InfluxStore(influx_server, DATABASE, instance, InfluxAuth(), stats, answers={})


@pytest.fixture(scope="session")
def empty_store(influx_server: str, sim_dir: Path) -> InfluxStore:
    """A new, quiet store: the database exists and holds nothing."""
    create_database(influx_server, "empty", InfluxAuth())
    instance = json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"]
    return InfluxStore(influx_server, "empty", instance)


@pytest.fixture(scope="session")
def run_panel_influxql(influx_store: InfluxStore) -> RunPanel:
    """``run_panel_influxql(path, instant, variables, start=None)``: the file's series on the loaded store."""

    def run(
        path: Path, instant: str | datetime, variables: Variables, start: str | datetime | None = None
    ) -> list[InfluxTable]:
        return run_file(influx_store, path, instant, variables, start)

    return run
