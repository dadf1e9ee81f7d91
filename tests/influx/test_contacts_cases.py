"""The real-time Contacts panels' InfluxQL on a real influxd over the hand-worked contact events
(tests/handworked/contacts.py), loaded through the ingest Lambda's sink: the values worked out by hand."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from localquery.influx import load_simulation
from tests.handworked import contacts as case
from tests.influx.harness import InfluxStore
from tests.influx.test_contacts import names, rows, stat
from tests.localquery.test_realtime_contacts_cases import STAT_CASES, write


@pytest.fixture(scope="module")
def store(influx_server: str, tmp_path_factory: pytest.TempPathFactory) -> InfluxStore:
    data: Path = write(tmp_path_factory.mktemp("influx-handworked-contacts"))
    stats = load_simulation(data, influx_server, "handworked_contacts", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "handworked_contacts", case.INSTANCE_ID)


@STAT_CASES
def test_stat(store: InfluxStore, assignments: tuple[str, ...], panel: str, expected: float) -> None:
    value = stat(store, panel, case.NOW, list(assignments))
    assert value is not None and float(value) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


def test_by_state(store: InfluxStore) -> None:
    assert Counter({r["state"]: r["contacts"] for r in rows(store, "by_state", case.NOW)}) == case.BY_STATE


def test_waiting(store: InfluxStore) -> None:
    lookup = names(store, case.NOW)
    shown = [
        (r["contact_id"], r["channel"], lookup.queue(r["queue"]), r["seconds_waiting"])
        for r in rows(store, "waiting", case.NOW)
    ]
    assert sorted(shown, key=lambda r: (-r[3], r[0])) == case.WAITING


def test_live(store: InfluxStore) -> None:
    lookup = names(store, case.NOW)
    shown = {
        r["contact_id"]: (r["state"], lookup.queue(r["queue"]), lookup.agent(r["agent"]))
        for r in rows(store, "live", case.NOW)
    }
    assert shown == case.LIVE_ROWS
