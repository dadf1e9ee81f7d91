"""The real-time Agents panels' InfluxQL on a real influxd over the hand-worked agent events
(tests/handworked/agents.py), loaded through the ingest Lambda's sink: the values worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from localquery.influx import load_simulation
from tests.handworked import agents as case
from tests.influx.harness import InfluxStore, run_file
from tests.influx.test_agents import count, path, rows, shown_rows, status_counts, status_series, variables

FILTERS = pytest.mark.parametrize(
    ("given", "counts"),
    [
        ({}, case.COUNTS),
        ({"routing_profile": ["Support Omni"]}, case.SUPPORT_COUNTS),
        ({"hierarchy_group": ["London Support"]}, case.SUPPORT_COUNTS),
    ],
    ids=["all", "routing-profile", "hierarchy-group"],
)


@pytest.fixture(scope="module")
def store(influx_server: str, tmp_path_factory: pytest.TempPathFactory) -> InfluxStore:
    data = tmp_path_factory.mktemp("influx-handworked-agents")
    (data / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in case.EVENTS))
    stats = load_simulation(data, influx_server, "handworked_agents", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "handworked_agents", case.INSTANCE_ID)


def run(store: InfluxStore, panel: str, start: str):
    """The series of the panel's query over the range from ``start`` (missed and rejected, agents by status)."""
    return run_file(store, path(panel), case.NOW, variables(case.INSTANCE_ID, case.NOW, {}), start)


@FILTERS
@pytest.mark.parametrize("panel", list(case.COUNTS))
def test_agent_counts(store: InfluxStore, given: dict[str, list[str]], counts: dict[str, int], panel: str) -> None:
    assert count(store, panel, case.NOW, given) == counts[panel]


def test_slots(store: InfluxStore) -> None:
    every = ["VOICE", "CHAT", "TASK", "EMAIL"]
    assert dict(shown_rows(store, "slots", case.NOW, {"channel": every})) == case.SLOTS
    support = {"channel": every, "routing_profile": ["Support Omni"]}
    assert dict(shown_rows(store, "slots", case.NOW, support)) == case.SUPPORT_SLOTS


def test_status_summary(store: InfluxStore) -> None:
    assert status_counts(store, case.NOW, {}) == case.STATUS_SUMMARY


def test_agent_table(store: InfluxStore) -> None:
    found = shown_rows(store, "agent_table", case.NOW, {})
    assert [r[0] for r in found] == sorted(case.AGENT_TABLE)
    shown = {
        agent: (status, seconds, state or None, queue or None) for agent, _n, status, seconds, state, queue, _p in found
    }
    assert shown == case.AGENT_TABLE


def test_missed_and_rejected(store: InfluxStore) -> None:
    found = rows(run(store, "missed_rejected", start=case.FROM))
    assert {agent: (missed, rejected) for agent, missed, rejected in found} == case.MISSED_REJECTED


def test_agents_by_status_over_time(store: InfluxStore) -> None:
    found = status_series(run(store, "by_status_over_time", start=case.FROM))
    bins = {(status, moment.replace(tzinfo=UTC).strftime("%H:%M")): n for (status, moment), n in found.items()}
    assert bins == {key: float(n) for key, n in case.BY_STATUS.items()}
    assert all(isinstance(moment, datetime) for _status, moment in found)
