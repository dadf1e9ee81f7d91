"""Contacts dashboard: each KPI's InfluxQL on influxd gives the Timestream SQL's number on the local engine.

The InfluxQL files need two values the SQL does not: ``$queue_id`` (the ids of the chosen queue names, a hidden
variable chained on ``$queue``, since InfluxQL cannot join queue_metrics) and Grafana's ``${__to}`` (the range's
end, now on a real-time dashboard, as epoch ms); both are given here as Grafana would insert them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.influx.harness import QUERIES, InfluxStore, as_instant, run_file
from tests.localquery.conftest import Engine
from tests.localquery.test_realtime_contacts import INSTANTS, START, UID

CONTACTS = QUERIES / "influxql" / "contacts"
CHANNELS = ["VOICE", "CHAT", "TASK", "EMAIL"]
KPIS = ("waiting_count", "service_level_today", "asa_today", "abandoned_today")


def variables(store: InfluxStore, instant: str, channels: list[str]) -> dict[str, object]:
    """Every queue (All, ``.*``), the given channels, a 20 s threshold, ``${__to}`` at the instant."""
    return {
        "instance": store.instance,
        "channel": channels,
        "queue": ".*",
        "queue_id": ".*",
        "sl_seconds": "20",
        "__to": str(round(as_instant(instant).timestamp() * 1000)),
    }


def influx_value(store: InfluxStore, key: str, instant: str, channels: list[str]) -> object:
    tables = run_file(store, CONTACTS / f"{key}.influxql", instant, variables(store, instant, channels))
    if not tables:
        return None
    (table,) = tables
    (row,) = table.rows
    return row[1]


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("channels", [CHANNELS, ["CHAT", "TASK"]], ids=["all", "chat-task"])
def test_kpis_equal_the_timestream_sql(
    engine: Engine, influx_store: InfluxStore, now: str, channels: list[str]
) -> None:
    assignments = ["sl_seconds=20"] + ([] if channels == CHANNELS else [f"channel={c}" for c in channels])
    for key in KPIS:
        expected = engine.value(UID, key, START, now, assignments)
        actual = influx_value(influx_store, key, now, channels)
        if expected == 0 and actual is None:
            continue  # InfluxQL counts nothing as no row
        assert actual == pytest.approx(expected, abs=1e-9), f"{key} at {now}: influx {actual}, sql {expected}"


def test_an_empty_store_answers_without_error(empty_store: InfluxStore) -> None:
    for path in sorted(Path(CONTACTS).glob("*.influxql")):
        assert run_file(empty_store, path, INSTANTS[0], variables(empty_store, INSTANTS[0], CHANNELS)) == []
