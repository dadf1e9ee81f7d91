"""The Agents dashboard's InfluxQL on a real influxd: the same numbers as the ground truth and as the Timestream SQL.

Variables are selected as on the dashboard (All unless given) and inserted by the harness as Grafana's InfluxDB
datasource inserts them, by the shipped definitions: routing profile, hierarchy group and queue All is their custom
all value, the SQL's '__all__' sentinel, which the queries test for (queries/influxdb/_variables.influxql). by_status_over_time groups by the ``status`` tag
the InfluxDB sink writes from status_name. agent_table returns one row per online agent, which the table, the counts,
the status summary and the slots panels read through their Grafana transformations (the shipped JSON, through
localquery/transforms.py): the tests read each panel as Grafana shows it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from influxqlcheck import ALL
from localquery.influx import InfluxTable, load_simulation, run_influxql
from tests.influx.conftest import RunPanel
from tests.influx.harness import (
    QUERIES,
    InfluxStore,
    Variables,
    as_instant,
    panel_results,
    panel_source,
    rfc3339,
    run_file,
    stat_value,
    stat_values,
)
from tests.localquery.conftest import Engine
from tests.localquery.realtime_truth import agent_of, events_between, instant, online_agents
from tests.localquery.test_realtime_agents import COUNTS, INSTANTS, START, UID, five_minutes, table_row
from tests.localquery.test_realtime_agents_events import EVENTS, INSTANCE_ID

AGENTS = QUERIES / "influxdb" / "agents"
CHANNELS = ["VOICE", "CHAT", "TASK", "EMAIL"]
NOW = pytest.mark.parametrize("now", INSTANTS)
FILTERS = pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ({}, lambda a: True),
        ({"routing_profile": ["Sales Voice"]}, lambda a: a.profile == "Sales Voice"),
        ({"hierarchy_group": ["London Support Omnichannel"]}, lambda a: a.group == "London Support Omnichannel"),
        # agent counts and statuses are per agent: a queue selection narrows only the table's rows
        ({"queue": ["Sales"]}, lambda a: True),
    ],
    ids=["all", "routing-profile", "hierarchy-group", "queue"],
)


def path(panel: str) -> Path:
    """The file whose result the panel shows: its own, or the one of the panel it re-uses."""
    return panel_source(UID, panel)[0]


def variables(instance: str, now: str | datetime, given: Variables) -> dict[str, Any]:
    """Every variable the agents queries use, All unless given (``${__to}`` is the range's end, from ``now``)."""
    return {"instance": instance, "routing_profile": ALL, "hierarchy_group": ALL, "queue": ALL, "channel": ALL, **given}


def rows(tables: Sequence[InfluxTable]) -> list[tuple[Any, ...]]:
    """Rows as a Grafana table shows them: GROUP BY tags first, then the columns, without InfluxQL's time."""
    return [(*t.tags.values(), *row[1:]) for t in tables for row in t.rows]


def count(store: InfluxStore, panel: str, now: str, given: Variables) -> object:
    """A count stat as Grafana shows it: agent_table's rows through the stat's transformations (the rows it
    counts, their agents summed); None for "No data"."""
    return stat_value(store, UID, panel, now, variables(store.instance, now, given))


def counts(store: InfluxStore, now: str, given: Variables) -> dict[str, object]:
    """Every count stat as Grafana shows it, agent_table's query run once as on a refresh."""
    return stat_values(store, UID, list(COUNTS), now, variables(store.instance, now, given))


def shown_rows(store: InfluxStore, panel: str, now: str, given: Variables) -> list[tuple[Any, ...]]:
    """The rows a table, pie or bar panel shows: its (or its source's) query through the panel's transformations."""
    results = panel_results(store, UID, panel, now, variables(store.instance, now, given))
    return [row for result in results for row in result.rows]


@pytest.fixture(scope="module")
def instance(influx_store: InfluxStore) -> str:
    return influx_store.instance


def status_counts(store: InfluxStore, now: str, given: Variables) -> Counter[str]:
    """status_summary as the pie shows it: agent_table's rows grouped by status (Grafana's groupBy)."""
    return Counter({str(status): int(agents) for status, agents in shown_rows(store, "status_summary", now, given)})


def status_series(tables: Sequence[InfluxTable]) -> dict[tuple[str, datetime], float]:
    """by_status_over_time's points by (status, bin start), the bin as the SQL's naive UTC timestamp."""
    return {
        (t.tags["status"], datetime.fromtimestamp(ms / 1000, UTC).replace(tzinfo=None)): float(agents)
        for t in tables
        for ms, agents in t.rows
    }


BY_STATUS_RANGE = ("2026-01-31T23:00:00Z", "2026-02-01T00:30:00Z")  # the SQL test's: across midnight and month's end


@NOW
@FILTERS
def test_status_summary(influx_store: InfluxStore, sim_dir: Path, now: str, assignments, keep) -> None:
    expected = Counter(a.status for a in online_agents(sim_dir, now, keep))
    assert status_counts(influx_store, now, assignments) == expected


def test_a_group_by_status_tag_over_latest_points_would_count_agents_under_earlier_statuses(
    influx_store: InfluxStore, sim_dir: Path
) -> None:
    """Why status_summary leaves the grouping to Grafana: InfluxDB pushes an outer GROUP BY "status" into the
    subquery, whose last() then runs per agent and status, so an agent counts under each status of the window."""
    wrong = 0
    for now in INSTANTS:
        end = f"'{rfc3339(as_instant(now))}'"
        latest = (
            f'SELECT last("event_type") AS "e", "status_type" FROM "agent_state" WHERE time > {end} - 15m AND '
            f'time <= {end} AND "instance_id" = \'{influx_store.instance}\' GROUP BY "agent_id"'
        )
        text = f'SELECT count("e") FROM ({latest}) WHERE "e" <> \'LOGOUT\' AND "status_type" <> \'OFFLINE\' GROUP BY "status"'
        tables = run_influxql(influx_store.url, influx_store.database, influx_store.auth, text)
        grouped = Counter({t.tags["status"]: t.rows[0][1] for t in tables})
        wrong += grouped != Counter(a.status for a in online_agents(sim_dir, now))
    assert wrong


@FILTERS
def test_agents_by_status_over_time(
    run_panel_influxql: RunPanel, instance: str, sim_dir: Path, assignments: Variables, keep
) -> None:
    start, end = BY_STATUS_RANGE
    seen: dict[tuple[str, datetime], set[str]] = defaultdict(set)
    for event in events_between(sim_dir, start, end):
        agent = agent_of(event)
        if agent.status_type != "OFFLINE" and keep(agent):
            seen[(agent.status, five_minutes(instant(event["EventTimestamp"])))].add(event["AgentARN"])
    found = run_panel_influxql(path("by_status_over_time"), end, variables(instance, end, assignments), start)
    assert status_series(found) == {key: float(len(agents)) for key, agents in seen.items()}


@NOW
@FILTERS
def test_agent_counts(influx_store: InfluxStore, sim_dir: Path, now: str, assignments: Variables, keep) -> None:
    online = online_agents(sim_dir, now, keep)
    expected = {panel: sum(1 for a in online if counted(a)) for panel, counted in COUNTS.items()}
    assert counts(influx_store, now, assignments) == expected


@NOW
@pytest.mark.parametrize("channels", [[], ["VOICE"], ["CHAT", "TASK"]], ids=["all", "voice", "chat-task"])
def test_available_slots_per_channel(influx_store: InfluxStore, sim_dir: Path, now: str, channels: list[str]) -> None:
    """A row per selected channel once Grafana turns the columns into rows (EMAIL has no slots, so no row)."""
    shown = channels or ["VOICE", "CHAT", "TASK"]
    slots = Counter({channel: 0 for channel in shown})
    for agent in online_agents(sim_dir, now):
        slots.update({c: n for c, n in agent.free_slots().items() if c in shown})
    assert shown_rows(influx_store, "slots", now, {"channel": channels or CHANNELS}) == sorted(slots.items())


@NOW
@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ({}, lambda a: True),
        ({"routing_profile": ["Sales Voice"]}, lambda a: a.profile == "Sales Voice"),
        (
            {"queue": ["Sales"]},
            lambda a: a.latest_contact() is not None and a.latest_contact()["Queue"]["Name"] == "Sales",
        ),
    ],
    ids=["all", "routing-profile", "queue"],
)
def test_agent_table(influx_store: InfluxStore, sim_dir: Path, now: str, assignments: Variables, keep) -> None:
    at = as_instant(now)
    expected = sorted(table_row(a, at) for a in online_agents(sim_dir, now, keep))
    assert shown_rows(influx_store, "agent_table", now, assignments) == expected


@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ({}, lambda a, c: True),
        ({"routing_profile": ["Sales Voice"]}, lambda a, c: a.profile == "Sales Voice"),
        ({"hierarchy_group": ["London Support Omnichannel"]}, lambda a, c: a.group == "London Support Omnichannel"),
        ({"queue": ["Sales"]}, lambda a, c: (c["Queue"] or {}).get("Name") == "Sales"),
        ({"channel": ["CHAT"]}, lambda a, c: c["Channel"] == "CHAT"),
    ],
    ids=["all", "routing-profile", "hierarchy-group", "queue", "channel"],
)
def test_missed_and_rejected_per_agent(
    run_panel_influxql: RunPanel, instance: str, sim_dir: Path, assignments: Variables, keep
) -> None:
    """Distinct contacts each agent missed or rejected over the whole day, in username order."""
    start, end = "2026-01-31T21:00:00Z", "2026-02-01T03:00:00Z"
    failed: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"MISSED": set(), "REJECTED": set()})
    for event in events_between(sim_dir, start, end):
        agent = agent_of(event)
        for contact in agent.contacts:
            if contact["State"] in ("MISSED", "REJECTED") and keep(agent, contact):
                failed[agent.username][contact["State"]].add(contact["ContactId"])
    expected = sorted((name, len(s["MISSED"]), len(s["REJECTED"])) for name, s in failed.items())
    found = rows(run_panel_influxql(path("missed_rejected"), end, variables(instance, end, assignments), start))
    assert found == expected
    if not assignments:
        assert any(missed for _agent, missed, _rejected in expected), "no missed contact"


def influx_given(assignments: dict[str, str]) -> dict[str, list[str]]:
    return {name: [value] for name, value in assignments.items()}


@NOW
@pytest.mark.parametrize(
    "assignments",
    [{}, {"routing_profile": "Sales Voice"}, {"hierarchy_group": "London Support Omnichannel"}],
    ids=["all", "routing-profile", "hierarchy-group"],
)
def test_counts_match_the_timestream_sql(
    engine: Engine, influx_store: InfluxStore, now: str, assignments: dict[str, str]
) -> None:
    sql = {
        panel: engine.value(UID, panel, START, now, [f"{k}={v}" for k, v in assignments.items()]) for panel in COUNTS
    }
    assert counts(influx_store, now, influx_given(assignments)) == sql


@NOW
def test_slots_and_agent_table_match_the_timestream_sql(engine: Engine, influx_store: InfluxStore, now: str) -> None:
    assert shown_rows(influx_store, "slots", now, {}) == engine.panel(UID, "slots", START, now).rows
    assert shown_rows(influx_store, "agent_table", now, {}) == engine.panel(UID, "agent_table", START, now).rows


@NOW
@pytest.mark.parametrize("assignments", [{}, {"hierarchy_group": "London Support Omnichannel"}], ids=["all", "group"])
def test_status_summary_matches_the_timestream_sql(
    engine: Engine, influx_store: InfluxStore, now: str, assignments: dict[str, str]
) -> None:
    """The same rows (agents per status, most first, ties by status): both group agent_table's rows in Grafana."""
    sql = engine.panel(UID, "status_summary", START, now, [f"{k}={v}" for k, v in assignments.items()]).rows
    assert shown_rows(influx_store, "status_summary", now, influx_given(assignments)) == sql


@pytest.mark.parametrize("assignments", [{}, {"routing_profile": "Sales Voice"}], ids=["all", "routing-profile"])
def test_agents_by_status_over_time_matches_the_timestream_sql(
    engine: Engine, run_panel_influxql: RunPanel, instance: str, assignments: dict[str, str]
) -> None:
    start, end = BY_STATUS_RANGE
    sql = engine.panel(UID, "by_status_over_time", start, end, [f"{k}={v}" for k, v in assignments.items()]).rows
    given = variables(instance, end, influx_given(assignments))
    influx = status_series(run_panel_influxql(path("by_status_over_time"), end, given, start))
    assert influx == {(status, point["time"]): point["value"] for status, series in sql for point in series}
    assert len({status for status, _bin in influx}) > 1


def test_missed_and_rejected_match_the_timestream_sql(
    engine: Engine, run_panel_influxql: RunPanel, instance: str
) -> None:
    """The same rows; the SQL orders them by missed + rejected, InfluxQL by username."""
    start, end = "2026-01-31T21:00:00Z", "2026-02-01T03:00:00Z"
    influx = rows(run_panel_influxql(path("missed_rejected"), end, variables(instance, end, {}), start))
    assert influx == sorted(engine.panel(UID, "missed_rejected", start, end).rows)


@pytest.fixture(scope="module")
def events_store(influx_server: str, tmp_path_factory: pytest.TempPathFactory) -> InfluxStore:
    """The hand-written agent events of tests/localquery/test_realtime_agents_events.py, in a database of their own."""
    data = tmp_path_factory.mktemp("influx-agent-events")
    (data / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    stats = load_simulation(data, influx_server, "agent_events", InfluxStore(influx_server, "", "").auth)
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "agent_events", INSTANCE_ID)


EVENTS_AT, EVENTS_FROM = "2026-02-01T12:00:00Z", "2026-02-01T11:00:00Z"


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        ("online", 5),
        ("non_productive", 1),
        ("staffed", 4),
        ("on_contact", 2),
        ("error", 1),
        ("error_alert", 2),
        ("available", 1),
    ],
)
def test_hand_written_events_give_the_documented_counts(events_store: InfluxStore, panel: str, expected: int) -> None:
    """As the SQL's test: Break on a call, a rejected chat, a missed call, chat slots reported while on voice."""
    assert count(events_store, panel, EVENTS_AT, {}) == expected


def test_hand_written_events_slots_and_missed_rejected(events_store: InfluxStore) -> None:
    given = variables(INSTANCE_ID, EVENTS_AT, {})
    assert shown_rows(events_store, "slots", EVENTS_AT, {}) == [("CHAT", 2), ("TASK", 0), ("VOICE", 1)]
    failed = rows(run_file(events_store, path("missed_rejected"), EVENTS_AT, given, EVENTS_FROM))
    assert failed == [("missed-voice", 1, 0), ("rejected-chat", 0, 1)]


def test_a_logout_without_going_offline_is_not_online(influx_server: str, tmp_path: Path) -> None:
    """A LOGOUT event whose snapshot still says Available: the agent is gone, so no count, slot or row has it (the
    slots read 0 per channel, as the SQL's coalesce gives)."""
    logout = json.loads(json.dumps(EVENTS[-1]))  # the idle agent, every slot free
    logout["EventType"] = "LOGOUT"
    (tmp_path / "agent_events.jsonl").write_text(json.dumps(logout) + "\n")
    load_simulation(tmp_path, influx_server, "logout", InfluxStore(influx_server, "", "").auth)
    store = InfluxStore(influx_server, "logout", INSTANCE_ID)
    assert count(store, "online", EVENTS_AT, {}) == 0
    assert count(store, "available", EVENTS_AT, {}) == 0
    assert shown_rows(store, "slots", EVENTS_AT, {}) == [("CHAT", 0), ("TASK", 0), ("VOICE", 0)]
    assert shown_rows(store, "agent_table", EVENTS_AT, {}) == []
    assert shown_rows(store, "status_summary", EVENTS_AT, {}) == []


@pytest.mark.parametrize("file", sorted(p.stem for p in AGENTS.glob("*.influxql")))
def test_an_empty_database_gives_no_rows_or_zeros(influx_server: str, empty_store: InfluxStore, file: str) -> None:
    """A new deployment, before the first agent event: "No data" or 0, never an error."""
    now = "2026-02-01T12:00:00Z"
    found = rows(run_file(empty_store, AGENTS / f"{file}.influxql", now, variables(empty_store.instance, now, {})))
    assert all(v in (0, None) for row in found for v in row)


def test_every_agents_panel_with_a_query_has_its_influxql() -> None:
    sql = {p.stem for p in (QUERIES / "timestream" / "agents").glob("*.sql")}
    assert {p.stem for p in AGENTS.glob("*.influxql")} == sql
