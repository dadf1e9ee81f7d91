"""The per-queue "today so far" table on influxd: its InfluxQL (one point per contact and event type) and the
lookup through the panel's own Grafana transformations, against the ground truth in plain Python on simulated
traffic with queue and channel selections, and against the case worked out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from influxqlcheck import ALL
from localquery.influx import load_simulation
from tests.influx.harness import QUERIES, InfluxStore, panel_rows, run_file, variable_values
from tests.localquery import test_realtime_queues_today as today
from tests.localquery.queue_today_truth import today_per_queue
from tests.localquery.test_realtime_contacts_events import INSTANCE_ID
from tests.localquery.test_realtime_queues import INSTANTS, UID
from tests.localquery.truth import instant

MAIN = QUERIES / "influxdb" / "queues" / "today_per_queue.influxql"
SNAPSHOT = QUERIES / "influxdb" / "queues" / "today_snapshot.influxql"
QUEUES = ["Billing", "Sales", "Support"]


def shown(store: InfluxStore, now: str, queues: list[str], channels: list[str] | str) -> dict[str, dict[str, Any]]:
    """The rows the panel shows, by queue name: its three targets (the contacts' figures, the snapshot, the names)
    through its Grafana transformations (its overrides not applied: columns by the query's names)."""
    chosen: dict[str, Any] = {"instance": store.instance, "queue": queues, "channel": channels}
    chosen["queue_id"] = variable_values(store, "queue_id", now, chosen)
    rows = panel_rows(store, UID, "today_per_queue", now, chosen)
    return {row.pop("queue"): row for row in rows}


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize(
    ("queues", "channels"),
    [(QUEUES, ALL), (["Sales"], ALL), (QUEUES, ["VOICE"]), (["Billing", "Support"], ["CHAT", "TASK"])],
)
def test_every_queue_today_matches_the_ground_truth(
    influx_store: InfluxStore, sim_dir: Path, now: str, queues: list[str], channels: list[str] | str
) -> None:
    midnight = instant(now).replace(hour=0, minute=0, second=0, microsecond=0)
    expected = today_per_queue(sim_dir, now, midnight, set(queues), None if channels == ALL else set(channels))
    actual = shown(influx_store, now, queues, channels)
    assert set(actual) == set(expected)
    nothing_today = all(row["contacts_queued"] == 0 for row in expected.values())
    for queue, row in expected.items():
        for column, value in row.items():
            if column not in actual[queue]:
                # No contact of the selection enqueued today: no contacts' frame at all, so the table has the counts
                # (0) and the snapshot, but no rate or average columns, where the SQL's are empty.
                assert nothing_today and value is None, f"{now} {queue} {column}: missing, SQL {value}"
                continue
            assert today.same(actual[queue][column], value), (
                f"{now} {queue} {column}: {actual[queue][column]} != {value}"
            )


def test_one_queue_worked_out_by_hand(influx_server: str, tmp_path: Path) -> None:
    stats = load_simulation(today.write_handworked(tmp_path), influx_server, "queues_today", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    store = InfluxStore(influx_server, "queues_today", INSTANCE_ID)
    (row,) = shown(store, today.NOW, ["Sales"], ALL).values()
    assert row.keys() == today.HAND.keys()
    for column, value in today.HAND.items():
        assert today.same(row[column], value), (column, row[column], value)


def test_a_quiet_store_shows_no_row(empty_store: InfluxStore) -> None:
    """No snapshot and no contact event: no series, so the panel shows no row, as the SQL's join of nothing."""
    chosen = {"instance": empty_store.instance, "queue": ["Sales"], "channel": ALL, "queue_id": ["q"]}
    assert (
        run_file(empty_store, MAIN, INSTANTS[0], chosen) == run_file(empty_store, SNAPSHOT, INSTANTS[0], chosen) == []
    )
