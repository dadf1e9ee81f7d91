"""The today panels' InfluxQL on influxd across daylight-saving changes: the figures worked out by hand in
tests/localquery/test_timezone.py, with Grafana's panel range (now/d) computed in the dashboard's time zone."""

from __future__ import annotations

import json

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from influxqlcheck import ALL
from localquery.influx import load_simulation
from tests.influx.harness import InfluxStore, stat_value
from tests.localquery import test_timezone as dst
from tests.localquery.test_realtime_contacts_events import INSTANCE_ID

UID = "connect-rt-contacts"


@pytest.fixture(scope="module")
def dst_store(influx_server: str, tmp_path_factory: pytest.TempPathFactory) -> InfluxStore:
    root = tmp_path_factory.mktemp("dst-events")
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in [*dst.AUTUMN, *dst.SPRING]))
    stats = load_simulation(root, influx_server, "dst", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "dst", INSTANCE_ID)


def stat(store: InfluxStore, key: str, now: str, timezone: str) -> object:
    """The stat's one value at ``now`` (the dashboard on its default last hour; the stats' query on its panel's
    today), as Grafana shows it; None for "No data"."""
    selections = {"instance": INSTANCE_ID, "channel": ALL, "queue": ALL, "queue_id": [], "sl_seconds": "20"}
    return stat_value(store, UID, key, now, selections, timezone=timezone)


@pytest.mark.parametrize(("now", "timezone"), list(dst.TODAY_FIGURES), ids=[f"{n}-{z}" for n, z in dst.TODAY_FIGURES])
def test_today_panels_count_from_the_local_midnight(dst_store: InfluxStore, now: str, timezone: str) -> None:
    abandoned, service_level, asa = dst.TODAY_FIGURES[now, timezone]
    assert stat(dst_store, "abandoned_today", now, timezone) == abandoned
    assert stat(dst_store, "service_level_today", now, timezone) == pytest.approx(service_level)
    assert stat(dst_store, "asa_today", now, timezone) == pytest.approx(asa)
