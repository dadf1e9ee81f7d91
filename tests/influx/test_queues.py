"""The Queues dashboard's InfluxQL on a real influxd: the ground truth, the Timestream SQL on the same data, and a
quiet store.

Instants and selections are the Timestream tests' own (tests/localquery/test_realtime_queues.py), so both stores
are held to the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from core.model import VariableOwner
from dashboards._common import CHANNEL
from dashboards.realtime_queues import DASHBOARD, TODAY_PER_QUEUE
from dashcompiler.compile import Model
from localquery.influx import InfluxTable, load_simulation
from localquery.run import Result, series
from tests.influx.harness import (
    QUERIES,
    InfluxStore,
    as_instant,
    choose,
    panel_results,
    panel_source,
    run_file,
    run_panel,
)
from tests.localquery.conftest import Engine
from tests.localquery.queue_truth import AGENT_METRICS, Timelines, queue_contacts, read_agent_events
from tests.localquery.test_realtime_queues import INSTANTS, SELECTIONS, START, UID, expected_agents
from tests.localquery.truth import Truth, instant, read_truth

MULTI = {"queue": None, "channel": CHANNEL.values}
# The today table reads the hidden $queue_id and is two series per queue joined by its Grafana transformations:
# tests/influx/test_queues_today.py proves it.
PANELS = sorted(p.key for row in DASHBOARD.rows for p in row.panels if p.key != TODAY_PER_QUEUE.key)
STATS = [p for p in PANELS if p != "per_queue" and not p.endswith("_over_time")]
VARIABLES = sorted(p.stem for p in (QUERIES / "timestream" / "variables").glob("*.sql"))


def run(store: InfluxStore, panel: str, now: str, assignments: Sequence[str], start: str | None = None):
    """What the panel shows: its query's (or the re-used panel's) series, cut to its fields."""
    return run_panel(store, UID, panel, now, choose(store, now, assignments, MULTI), start)


def stat(tables: list[InfluxTable]) -> Any:
    """A stat panel's one number (Grafana shows the single row's single value)."""
    ((table,),) = [tables]
    ((_time, value),) = table.rows
    return value


def influx_series(
    store: InfluxStore, panel: str, now: str, assignments: Sequence[str], start: str | None = None
) -> dict[str, dict[int, float]]:
    """The series a time-series panel shows, by name: the shared per-minute query through the panel's Grafana
    transformations (its rows and columns, a series per queue), times as epoch ms."""
    results = panel_results(store, UID, panel, now, choose(store, now, assignments, MULTI), start)
    return {name: {at: float(v) for at, v in points.items()} for name, points in series(results).items()}


def sql_series(results: list[Result]) -> dict[str, dict[int, float]]:
    return {
        name: {round(at.replace(tzinfo=UTC).timestamp() * 1000): float(v) for at, v in points.items()}
        for name, points in series(results).items()
    }


@pytest.fixture(scope="module")
def timelines(sim_dir: Path) -> Timelines:
    return read_agent_events(sim_dir)


@pytest.fixture(scope="module")
def truth(sim_dir: Path) -> list[Truth]:
    return read_truth(sim_dir)


def test_every_queues_query_has_its_influxql() -> None:
    missing = [p for p in PANELS if not panel_source(UID, p)[0].is_file()]
    missing += [v for v in VARIABLES if not (QUERIES / "influxdb" / "variables" / f"{v}.influxql").is_file()]
    assert not missing


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_agent_and_slot_stats_match_the_agents_states(
    influx_store: InfluxStore, timelines: Timelines, now: str, selection: str
) -> None:
    assignments, parts = SELECTIONS[selection]
    shown = {name: stat(run(influx_store, name, now, assignments)) for name in AGENT_METRICS}
    assert shown == expected_agents(timelines, instant(now), parts)


@pytest.mark.parametrize("now", INSTANTS)
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_contact_stats_match_the_ground_truth(
    influx_store: InfluxStore, truth: list[Truth], now: str, selection: str
) -> None:
    assignments, parts = SELECTIONS[selection]
    contacts = queue_contacts(truth, instant(now), set().union(*parts))
    assert stat(run(influx_store, "contacts_in_queue", now, assignments)) == contacts.in_queue
    assert stat(run(influx_store, "contacts_scheduled", now, assignments)) == contacts.scheduled
    low, high = contacts.oldest_age
    assert low <= stat(run(influx_store, "oldest_contact_age", now, assignments)) <= high


@pytest.mark.parametrize("now", INSTANTS[::2])
@pytest.mark.parametrize("selection", sorted(SELECTIONS))
@pytest.mark.parametrize("panel", PANELS)
def test_influxql_and_timestream_sql_give_the_same_rows(
    engine: Engine, influx_store: InfluxStore, panel: str, selection: str, now: str
) -> None:
    assignments, _parts = SELECTIONS[selection]
    start = (as_instant(now) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if panel.endswith("_over_time"):
        shown = influx_series(influx_store, panel, now, assignments, start)
        assert shown == sql_series(engine.results(UID, panel, start, now, assignments))
        assert any(shown.values()), "no points to compare"
        return
    sql = engine.panel(UID, panel, start, now, assignments)
    tables = run(influx_store, panel, now, assignments, start)
    if panel == "per_queue":
        rows = sorted(row[1:] for table in tables for row in table.rows)
        assert rows == sorted(sql.rows)
        assert rows, "no rows to compare"
    else:
        assert stat(tables) == sql.rows[0][0]


@pytest.mark.parametrize("now", [INSTANTS[0], INSTANTS[-1]])
@pytest.mark.parametrize("variable", VARIABLES)
def test_variables_list_what_the_timestream_sql_lists(
    engine: Engine, build: Model, influx_store: InfluxStore, variable: str, now: str
) -> None:
    (board,) = [b for b in build.dashboards if any(q.owner == VariableOwner(variable) for q in b.queries)][:1]
    sql = engine.panel(board.uid, f"${variable}", START, now)
    tables = run_file(
        influx_store,
        QUERIES / "influxdb" / "variables" / f"{variable}.influxql",
        now,
        choose(influx_store, now, [], {}),
    )
    listed = [row[1] for table in tables for row in table.rows]
    assert listed == [row[0] for row in sql.rows if row[0] is not None]
    assert listed


@pytest.mark.parametrize("panel", PANELS)
def test_a_quiet_store_shows_zeros_or_nothing(empty_store: InfluxStore, panel: str) -> None:
    variables = {"instance": empty_store.instance, "queue": ["Sales"], "channel": list(CHANNEL.values)}
    tables = run_panel(empty_store, UID, panel, INSTANTS[0], variables)
    assert all(value in (0, None) for table in tables for row in table.rows for value in row[1:])


@pytest.mark.parametrize("variable", VARIABLES)
def test_a_quiet_store_lists_no_variable_values(empty_store: InfluxStore, variable: str) -> None:
    path = QUERIES / "influxdb" / "variables" / f"{variable}.influxql"
    assert run_file(empty_store, path, INSTANTS[0], {"instance": empty_store.instance}) == []


def _result(dimensions: dict[str, object], online: int) -> dict[str, object]:
    return {"Dimensions": dimensions, "Collections": [{"Metric": {"Name": "AGENTS_ONLINE"}, "Value": online}]}


def test_without_an_instance_row_all_queues_sum_the_queue_rows(influx_server: str, tmp_path: Path) -> None:
    """With over 100 queues the collector cannot ask for the instance total; All then adds the queues' rows."""
    queues = [{"Id": "q1", "Name": "Sales"}, {"Id": "q2", "Name": "Support"}]
    by_queue = [_result({"Queue": {"Id": q["Id"]}}, online) for q, online in zip(queues, (4, 6), strict=True)]
    by_channel = [
        _result({"Queue": {"Id": q["Id"]}, "Channel": c}, 3) for q in queues for c in ("VOICE", "CHAT", "TASK")
    ]
    snapshot = {
        "collected_at": "2026-02-01T00:00:00.000Z",
        "instance_id": "i-1",
        "current_metric_data": [{"MetricResults": by_channel}, {"MetricResults": by_queue}],
        "queues": queues,
    }
    (tmp_path / "collector").mkdir()
    (tmp_path / "collector" / "snapshots.jsonl").write_text(json.dumps(snapshot) + "\n")
    load_simulation(tmp_path, influx_server, "no_instance_row", InfluxAuth())
    store = InfluxStore(influx_server, "no_instance_row", "i-1")
    now = "2026-02-01T00:01:00Z"
    assert stat(run(store, "agents_online", now, [])) == 10
    assert stat(run(store, "agents_online", now, ["queue=Support"])) == 6
    assert stat(run(store, "agents_online", now, ["queue=Support", "channel=CHAT"])) == 3
