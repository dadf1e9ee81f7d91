"""The shipped rules' InfluxQL on a real influxd, loaded with the same simulation through the ingest Lambda's sink:
the numbers the SQL twin returns (held to the ground truth in test_rule_queries.py), and the outage cases,
where InfluxQL returns no series at all or the union of counts must read 0."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from core.model import CompiledAlertRule
from dashcompiler.compile import Model
from influxqlcheck import pin_now, substitute
from localquery.influx import InfluxTable, load_simulation, run_influxql
from localquery.run import parse_instant, time_range
from tests.alerts.conftest import Rules, rules_for
from tests.alerts.test_rule_queries import (
    AFTER,
    AGENT_INSTANTS,
    AGENTS_SILENT,
    INSTANTS,
    OUTAGE,
    QUEUES,
    SILENT,
    _cut,
    latest,
    service_levels,
)
from tests.localquery.truth import Truth, instant, read_truth
from tests.servers import influxd

DATABASE = "connect"


@pytest.fixture(scope="module")
def influx_url() -> Iterator[str]:
    with influxd(auth=False) as url:
        yield url


@pytest.fixture(scope="module")
def loaded(influx_url: str, sim_dir: Path) -> str:
    stats = load_simulation(sim_dir, influx_url, DATABASE, InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return DATABASE


@pytest.fixture(scope="module")
def prod(sim_dir: Path) -> Model:
    model = rules_for(sim_dir, env_name="prod")
    assert model.env.realtime_store == "influxdb"
    return model


def _rule(model: Model, uid: str) -> CompiledAlertRule:
    return next(r for g in model.alerts for r in g.rules if r.uid == uid)


def run_influx(model: Model, url: str, database: str, uid: str, ref_id: str, now: str) -> list[InfluxTable]:
    """The rule's InfluxQL as Grafana's InfluxDB backend sends it at ``now``: $timeFilter over the query's relative
    range, now() pinned to the evaluation time."""
    query = _rule(model, uid).query(ref_id)
    assert query is not None and query.query.kind.name == "influxdb"
    end = parse_instant(now, "--to")
    tr = time_range(end - timedelta(seconds=query.from_seconds), end)
    substituted = substitute(query.query.text, {}, {}, tr)
    assert not substituted.problems, substituted.problems
    text, _ = pin_now(substituted.text, end)
    return run_influxql(f"{url}", database, InfluxAuth(), text, what=uid)


def last_per_series(tables: list[InfluxTable]) -> dict[str, Any]:
    """Each series' last point, as Reduce(last) reads it: series by their tags."""
    found = {}
    for table in tables:
        label = "/".join(table.tags[k] for k in sorted(table.tags))
        found[label] = max(table.rows, key=lambda row: row[0])[-1]
    return found


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize(
    ("uid", "ref_id"),
    [
        ("connect-queue-oldest-contact", "A"),
        ("connect-queue-waiting-no-agent", "A"),
        ("connect-queue-waiting-no-agent", "C"),
        ("connect-agents-error", "A"),
    ],
)
def test_snapshot_rules_read_what_the_sql_twin_reads(
    prod: Model, rules: Rules, influx_url: str, loaded: str, uid: str, ref_id: str, now: str
) -> None:
    shown = last_per_series(run_influx(prod, influx_url, loaded, uid, ref_id, now))
    expected = latest(rules.run(uid, ref_id, now))
    if uid != "connect-agents-error":
        assert set(shown) == set(QUEUES)
    assert {k: float(v) for k, v in shown.items()} == {k: float(v) for k, v in expected.items()}


@pytest.fixture(scope="module")
def truth(sim_dir: Path) -> list[Truth]:
    return read_truth(sim_dir)


@pytest.mark.parametrize("now", INSTANTS)
def test_service_level_per_queue_on_influxdb(
    prod: Model, influx_url: str, loaded: str, truth: list[Truth], now: str
) -> None:
    env = prod.env
    assert env.alerts is not None
    window = timedelta(minutes=env.alerts.thresholds["service_level_window"])
    expected, edges = service_levels(truth, instant(now), window, env.service_level_seconds)
    assert edges == 0
    shown = last_per_series(run_influx(prod, influx_url, loaded, "connect-queue-service-level", "A", now))
    assert set(shown) == set(expected)
    for queue, (low, high) in expected.items():
        assert low - 1e-9 <= shown[queue] <= high + 1e-9, queue


@pytest.fixture(scope="module")
def outages(influx_url: str, sim_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Two stores whose ingest stopped at OUTAGE: the collector's snapshots in one, agent events in the other."""
    stop = instant(OUTAGE)
    cuts = {
        "collector": ("collector/snapshots.jsonl", lambda s: instant(s["collected_at"]) < stop),
        "agents": ("agent_events.jsonl", lambda e: instant(e["EventTimestamp"]) < stop),
    }
    databases = {}
    for name, (file, keep) in cuts.items():
        data = _cut(sim_dir, tmp_path_factory.mktemp(name) / "data", file, keep)
        stats = load_simulation(data, influx_url, f"outage_{name}", InfluxAuth())
        assert stats.rejected == 0 and stats.unwritten == 0, stats
        databases[name] = f"outage_{name}"
    return databases


@pytest.mark.parametrize("now", AFTER)
def test_collector_outage_leaves_no_series_which_the_rule_reads_as_alerting(
    prod: Model, influx_url: str, outages: dict[str, str], now: str
) -> None:
    tables = run_influx(prod, influx_url, outages["collector"], "connect-ingest-collector-silent", "A", now)
    rule = _rule(prod, "connect-ingest-collector-silent")
    if now in SILENT:
        assert tables == [] and rule.json["noDataState"] == "Alerting"
    else:
        assert last_per_series(tables)[""] > 0


@pytest.mark.parametrize("now", AGENT_INSTANTS)
def test_agent_event_outage_reads_as_the_sql_twin(
    prod: Model, rules: Rules, influx_url: str, outages: dict[str, str], sim_dir: Path, tmp_path: Path, now: str
) -> None:
    """Events per minute over the last minutes (moving_average over fill(0) minutes) on influxd: the SQL twin's
    number (held to the ground truth in test_rule_queries.py), and no series when the hour had no event."""
    tables = run_influx(prod, influx_url, outages["agents"], "connect-ingest-agent-events-silent", "A", now)
    stop = instant(OUTAGE)
    stopped = _cut(sim_dir, tmp_path / "data", "agent_events.jsonl", lambda e: instant(e["EventTimestamp"]) < stop)
    twin = Rules(rules.model, stopped).run("connect-ingest-agent-events-silent", "A", now)
    if not twin.rows:
        assert tables == []
        return
    (expected,) = latest(twin).values()
    assert last_per_series(tables) == {"": pytest.approx(expected)}
    assert (expected == 0) == (now in AGENTS_SILENT)


def test_agent_events_read_as_the_sql_twin_on_a_normal_evening(
    prod: Model, rules: Rules, influx_url: str, loaded: str
) -> None:
    for now in INSTANTS:
        tables = run_influx(prod, influx_url, loaded, "connect-ingest-agent-events-silent", "A", now)
        (expected,) = latest(rules.run("connect-ingest-agent-events-silent", "A", now)).values()
        assert last_per_series(tables) == {"": pytest.approx(expected)}, now
        online = run_influx(prod, influx_url, loaded, "connect-ingest-agent-events-silent", "C", now)
        (twin_online,) = latest(rules.run("connect-ingest-agent-events-silent", "C", now)).values()
        assert last_per_series(online) == {"": twin_online}, now
