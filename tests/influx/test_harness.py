"""The harness and localquery.influx themselves: loading, substitution, and errors that name no secret."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from core.errors import QueryError, ServiceError
from influxqlcheck import ALL
from localquery.influx import load_simulation, run_influxql
from tests.influx.harness import InfluxStore, prepare
from tests.servers import free_port, influxd


def test_the_simulation_loads_every_real_time_table(influx_store: InfluxStore) -> None:
    stats = influx_store.stats
    assert stats is not None and stats.written == sum(stats.by_table.values())
    assert all(stats.by_table[t] > 0 for t in ("agent_state", "agent_contact", "contact_event", "queue_metrics"))
    (table,) = run_influxql(
        influx_store.url, influx_store.database, influx_store.auth, "SELECT count(agents_online) FROM queue_metrics"
    )
    assert table.rows[0][1] == stats.by_table["queue_metrics"]


QUERIES = Path(__file__).resolve().parents[2] / "queries" / "influxdb"


def test_variables_are_inserted_by_the_shipped_definitions_as_grafanas_influxdb_datasource_does() -> None:
    """Multi-value selections become an escaped (a|b), even of one value; a custom all value goes in raw; the
    single-valued instance goes through ${instance:regex}, escaped."""
    variables = {"instance": "i-1.x", "routing_profile": ["Sales", "A.B (x)"], "hierarchy_group": ALL, "channel": ALL}
    sent = prepare(QUERIES / "agents" / "agent_table.influxql", "2026-02-01T00:00:00Z", {**variables, "queue": ["q"]})
    assert '"instance_id" =~ /^i-1\\.x$/' in sent
    assert '"routing_profile" =~ /^(Sales|A\\.B \\(x\\))$/' in sent
    assert '"hierarchy_group" =~ /^.*$/' in sent
    queues = {"instance": "i-1", "queue": ["q"], "channel": ALL}
    per_queue = prepare(QUERIES / "queues" / "per_queue.influxql", "2026-02-01T00:00:00Z", queues)
    assert "channel =~ /^(VOICE|CHAT|TASK|EMAIL)$/" in per_queue, "All of a custom variable: every option"


def test_a_variable_the_dashboard_does_not_declare_is_an_error() -> None:
    agents = QUERIES / "agents" / "agent_table.influxql"
    with pytest.raises(KeyError, match=r"\['queue_id'\] not among the dashboard's variables"):
        prepare(agents, "2026-02-01T00:00:00Z", {"instance": "i-1", "queue_id": ["q1"]})
    with pytest.raises(KeyError, match=r"unknown variable \$routing_profile"):
        prepare(agents, "2026-02-01T00:00:00Z", {"instance": "i-1", "channel": ["VOICE"], "queue": ["q"]})


def test_time_filter_and_now_are_pinned_to_the_instant() -> None:
    variables = {"instance": "i-1", "queue": ["Sales"], "channel": ["VOICE"]}
    series = prepare(QUERIES / "queues" / "over_time.influxql", "2026-02-01T00:00:00Z", variables)
    assert "time >= 1769900400000ms and time <= 1769904000000ms" in series and not re.search(r"\$\w", series)
    latest = prepare(QUERIES / "queues" / "now.influxql", "2026-02-01T00:00:00Z", variables)
    assert "now()" not in latest and "'2026-02-01T00:00:00.000Z' - 5m" in latest


def test_an_unreachable_server_is_a_service_error() -> None:
    with pytest.raises(ServiceError, match=r"unreachable.*check the URL") as caught:
        run_influxql(f"http://127.0.0.1:{free_port()}", "connect", InfluxAuth(), "SHOW DATABASES")
    assert caught.value.exit_code == 3


def test_unknown_database_is_a_service_error_and_a_bad_query_a_query_error(influx_store: InfluxStore) -> None:
    with pytest.raises(ServiceError, match=r"no database 'nope'") as caught:
        run_influxql(influx_store.url, "nope", InfluxAuth(), "SELECT * FROM queue_metrics")
    assert caught.value.exit_code == 3
    with pytest.raises(QueryError, match=r"panel\.influxql: .*refused the query: error parsing") as bad:
        run_influxql(influx_store.url, influx_store.database, InfluxAuth(), "SELEC 1", what="panel.influxql")
    assert bad.value.exit_code == 2 and "\n" not in str(bad.value)


def test_refused_credentials_say_so_and_never_show_them(sim_dir: Path) -> None:
    with influxd(auth=True) as url:
        admin = secrets.token_urlsafe(12)
        run_influxql(url, "", InfluxAuth(), f"CREATE USER admin WITH PASSWORD '{admin}' WITH ALL PRIVILEGES")
        password, token = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        for auth in (InfluxAuth(username="admin", password=password), InfluxAuth(token=token)):
            with pytest.raises(ServiceError, match=r"refused the credentials \(HTTP 401\)") as caught:
                load_simulation(sim_dir, url, "connect", auth)
            message = str(caught.value)
            assert password not in message and token not in message and "\n" not in message
