"""The committed environment's InfluxQL rules replayed on influxd (Debian's InfluxDB 1.x) against their Timestream SQL
twins on DuckDB, over the same simulated incident: the two stores must make the rules fire and resolve alike."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from alerttest.run import IncidentReplay, run_incidents
from dashcompiler.compile import compile_model
from localquery.influx_panel import InfluxTarget
from tests.conftest import ROOT
from tests.servers import influxd

QUEUE_RULES = (
    "connect-queue-service-level",
    "connect-queue-oldest-contact",
    "connect-queue-waiting-no-agent",
    "connect-agents-error",
)


@pytest.fixture(scope="module")
def influx_url() -> Iterator[str]:
    with influxd(auth=False) as url:
        yield url


def both(url: str, incident: str, uids: tuple[str, ...]) -> tuple[IncidentReplay, IncidentReplay]:
    prod = compile_model(ROOT, "prod")
    twin = compile_model(ROOT, "prod", twin=True)
    assert all(
        q.query.kind.name == "influxdb" for g in prod.alerts for r in g.rules if r.uid in uids for q in r.queries
    )
    (on_influx,) = run_incidents(prod.alerts, prod.env, [incident], uids, InfluxTarget(url, "alerts", InfluxAuth()))
    (on_duckdb,) = run_incidents(twin.alerts, twin.env, [incident], uids)
    return on_influx, on_duckdb


def changes(run: IncidentReplay, *, reasons: bool = True) -> list[tuple[str, str, dict[str, str], str]]:
    return [
        (time.strftime("%H:%M", time.gmtime(t.at / 1000)), t.rule, dict(t.labels), t.shown if reasons else t.state)
        for t in run.replay.transitions
    ]


def test_queue_rules_fire_and_resolve_alike_on_both_stores_through_a_surge(influx_url: str) -> None:
    on_influx, on_duckdb = both(influx_url, "queue-surge", QUEUE_RULES)
    assert changes(on_influx) == changes(on_duckdb)
    assert on_influx.replay.pages("connect-queue-service-level")  # the surge does page


def test_collector_rule_on_the_outage_alike_on_both_stores(influx_url: str) -> None:
    """InfluxQL counts nothing as no series (NoData, which the rule reads as Alerting); the SQL counts 0 (Alerting)."""
    on_influx, on_duckdb = both(influx_url, "ingest-outage", ("connect-ingest-collector-silent",))
    assert changes(on_influx, reasons=False) == changes(on_duckdb, reasons=False)
    assert [t.shown for t in on_influx.replay.transitions] == ["Alerting (NoData)", "Normal"]
