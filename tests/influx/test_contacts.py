"""Contacts dashboard on influxd: every panel's InfluxQL against the ground truth and the Timestream SQL.

The InfluxQL files need two values the SQL does not: ``$queue_id`` (the ids of the chosen queue names, a hidden
variable chained on ``$queue``, since InfluxQL cannot join queue_metrics) and Grafana's ``${__to}`` (the range's
end, now on a real-time dashboard, as epoch ms, which the harness derives from the range). The shipped Contacts
dashboard declares ``$queue_id`` on InfluxDB only. The queue
and agent columns of the tables are ids; ``Names`` maps them as the panel's Grafana transformation would, from
queue_metrics and agent_state (names of the last 15 minutes, as the SQL's queue_names and agent_names). Beyond
that, rows differ from the SQL's only in InfluxQL's leading ``time`` column (dropped), times as epoch ms, and
last_event_at to the millisecond (the SQL's keeps the sub-millisecond offset of the point's time).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from influxqlcheck import ALL
from localquery.influx import InfluxTable, load_simulation, run_influxql
from localquery.run import Result
from tests.influx.harness import QUERIES, InfluxStore, panel_source, run_file, shown_fields
from tests.localquery import test_realtime_contacts_events as handwritten
from tests.localquery.conftest import Engine
from tests.localquery.realtime_truth import active_at, contacts, queued_today, service_level
from tests.localquery.test_realtime_contacts import BACKLOG, INSTANTS, START, UID
from tests.localquery.truth import instant, mean

CONTACTS = QUERIES / "influxdb" / "contacts"
# Every instant of the SQL tests under "All", and each filter at instants where it selects something different
# (the backlog, midnight's both sides); not their whole cross product: each InfluxQL run costs seconds on influxd,
# and the DuckDB tests (tests/localquery/test_realtime_contacts.py) cover every pair already.
CASES = pytest.mark.parametrize(
    ("now", "assignments", "keep"),
    [
        *((now, [], lambda r: True) for now in INSTANTS),
        (BACKLOG, ["queue=Sales"], lambda r: r["queue"] == "Sales"),
        (INSTANTS[0], ["queue=Sales", "queue=Billing"], lambda r: r["queue"] in ("Sales", "Billing")),
        (INSTANTS[3], ["queue=Sales", "queue=Billing"], lambda r: r["queue"] in ("Sales", "Billing")),
        (BACKLOG, ["channel=CHAT", "channel=TASK"], lambda r: r["channel"] in ("CHAT", "TASK")),
        (INSTANTS[2], ["channel=CHAT", "channel=TASK"], lambda r: r["channel"] in ("CHAT", "TASK")),
    ],
    ids=[
        *(f"all-{now}" for now in INSTANTS),
        "one-queue-backlog",
        "two-queues-first",
        "two-queues-last",
        "chat-task-backlog",
        "chat-task-after-midnight",
    ],
)
STATS = ("waiting_count", "service_level_today", "asa_today", "abandoned_today")
TABLES = ("by_state", "live", "waiting")


def query(store: InfluxStore, text: str) -> list[InfluxTable]:
    return run_influxql(store.url, store.database, store.auth, text, what="test")


def variables(store: InfluxStore, now: str, assignments: Sequence[str]) -> dict[str, str | list[str]]:
    """The dashboard's selections for ``key=value`` assignments, All unless given; ``$queue_id`` is what its
    hidden variable's own query lists for the chosen names (all of them: Grafana's All of a variable without a
    custom all value)."""
    chosen: dict[str, list[str]] = {}
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        chosen.setdefault(name, []).append(value)
    names = chosen.get("queue")
    listed = run_file(
        store,
        QUERIES / "influxdb" / "variables" / "queue_id.influxql",
        now,
        {"instance": store.instance, "queue": names or ALL},
    )
    ids = [str(row[1]) for table in listed for row in table.rows]
    return {
        "instance": store.instance,
        "channel": chosen.get("channel", ALL),
        "queue": names or ALL,
        "queue_id": ids,
        "sl_seconds": chosen.get("sl_seconds", ["20"])[0],
    }


def run(
    store: InfluxStore, key: str, now: str, assignments: Sequence[str] = (), start: str | None = None
) -> list[InfluxTable]:
    """What panel ``key`` shows: its query's (or the re-used panel's) series, cut to its fields."""
    path, fields = panel_source(UID, key)
    return shown_fields(run_file(store, path, now, variables(store, now, assignments), start), fields)


def stat(store: InfluxStore, key: str, now: str, assignments: Sequence[str] = ()) -> object:
    """The stat's one value, or None for no row (Grafana's "No data")."""
    tables = run(store, key, now, assignments)
    if not tables:
        return None
    ((_, value),) = tables[0].rows
    return value


def rows(
    store: InfluxStore, key: str, now: str, assignments: Sequence[str] = (), start: str | None = None
) -> list[dict[str, Any]]:
    """A table's rows by column, without InfluxQL's ``time`` column."""
    return [
        {c: v for c, v in zip(t.columns, row, strict=True) if c != "time"}
        for t in run(store, key, now, assignments, start)
        for row in t.rows
    ]


def timestamp(ms: int | None) -> datetime | None:
    """Epoch ms as the local engine's naive UTC timestamps."""
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Names:
    """Queue and agent names by id, as the live and waiting panels' Grafana transformation would join them."""

    queues: dict[str, str]
    agents: dict[str, str]

    def queue(self, queue_id: str | None) -> str | None:
        if queue_id is None:
            return None
        if queue_id in self.queues:
            return self.queues[queue_id]
        owner = queue_id.removeprefix("agent/")
        if queue_id.startswith("agent/") and owner in self.agents:
            return f"{self.agents[owner]} (agent queue)"
        return queue_id

    def agent(self, agent_id: str | None) -> str | None:
        return None if agent_id is None else self.agents.get(agent_id, agent_id)


def names(store: InfluxStore, now: str) -> Names:
    """The lookup frames a panel would query beside its contacts: the latest name per id of the last 15 minutes."""
    window = f"time > '{now}' - 15m AND time <= '{now}' AND instance_id = '{store.instance}'"
    queues = query(store, f"SELECT last(agents_online) FROM queue_metrics WHERE {window} GROUP BY queue_id, queue_name")
    agents = query(store, f"SELECT last(event_type) FROM agent_state WHERE {window} GROUP BY agent_id, agent_username")
    return Names(
        {
            t.tags["queue_id"]: t.tags["queue_name"]
            for t in queues
            if t.tags["queue_id"] != "ALL" and t.tags["queue_name"]
        },
        {t.tags["agent_id"]: t.tags["agent_username"] for t in agents if t.tags["agent_username"]},
    )


def as_sql(
    store: InfluxStore, key: str, now: str, assignments: Sequence[str] = (), start: str | None = None
) -> list[tuple[Any, ...]]:
    """The InfluxQL table as the SQL's rows: names joined, times as timestamps, counted per state for by_state."""
    found = rows(store, key, now, assignments, start)
    if key == "by_state":
        return sorted(Counter(r["state"] for r in found).items(), key=lambda item: (-item[1], item[0]))
    lookup = names(store, now)
    if key == "waiting":
        shown = [
            (
                r["contact_id"],
                r["channel"],
                lookup.queue(r["queue"]),
                timestamp(r["enqueued_at"]),
                int(r["seconds_waiting"]),
            )
            for r in found
        ]
        return sorted(shown, key=lambda row: (-row[4], row[0]))
    shown = [
        (
            r["contact_id"],
            r["channel"],
            r["initiation_method"],
            r["state"],
            lookup.queue(r["queue"]),
            lookup.agent(r["agent"]),
            *(timestamp(r[c]) for c in ("initiated_at", "enqueued_at", "connected_to_agent_at", "last_event_at")),
        )
        for r in found
    ]
    return sorted(shown, key=lambda row: (-row[6].timestamp(), row[0]))


def to_ms(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The SQL's rows with times to the millisecond: its last_event_at is the point's time, which carries the
    microseconds that order one contact's events of the same millisecond; event_at is that time in ms."""
    return [
        tuple(v.replace(microsecond=v.microsecond // 1000 * 1000) if isinstance(v, datetime) else v for v in row)
        for row in rows
    ]


def same(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(float(expected), abs=1e-9)  # type: ignore[arg-type]


@CASES
def test_kpis_equal_the_ground_truth(
    influx_store: InfluxStore, sim_dir: Path, now: str, assignments: list[str], keep
) -> None:  # type: ignore[no-untyped-def]
    at = instant(now)
    waiting = [
        c
        for c in contacts(sim_dir)
        if keep(c.truth) and c.enqueued is not None and c.enqueued <= at and (c.dequeued is None or c.dequeued > at)
    ]
    assert stat(influx_store, "waiting_count", now, assignments) == len(waiting)
    queued = queued_today(sim_dir, now, keep)
    for seconds in (20, 60):
        actual = stat(influx_store, "service_level_today", now, [*assignments, f"sl_seconds={seconds}"])
        assert same(actual, service_level(queued, now, seconds)), f"service level {seconds} s"
    answered = [c for c in queued if c.answered is not None and c.answered <= at]
    asa = mean((c.answered - c.enqueued).total_seconds() for c in answered if c.enqueued and c.answered)
    assert same(stat(influx_store, "asa_today", now, assignments), asa)
    states = Counter(r["state"] for r in rows(influx_store, "by_state", now, assignments))
    assert states == Counter(active_at(sim_dir, now, keep).values())


@CASES
def test_every_panel_equals_the_timestream_sql(
    engine: Engine, influx_store: InfluxStore, now: str, assignments: list[str], keep
) -> None:  # type: ignore[no-untyped-def]
    for key in STATS:
        expected = engine.value(UID, key, START, now, [*assignments, "sl_seconds=20"])
        actual = stat(influx_store, key, now, assignments)
        assert same(actual, expected), f"{key} at {now}: influx {actual}, sql {expected}"
    for key in TABLES:
        assert as_sql(influx_store, key, now, assignments) == to_ms(
            engine.panel(UID, key, START, now, assignments).rows
        ), key


def test_nothing_to_count_reads_zero_and_nothing_within_reads_zero_percent(
    engine: Engine, influx_store: InfluxStore
) -> None:
    """Tasks, none waiting or abandoned, count 0 as the SQL's count(*); a threshold nobody meets gives 0 %, not
    null. A channel with no event at all in 24 hours (EMAIL here) is no row in InfluxQL, 0 in the SQL."""
    now = INSTANTS[0]
    for key in ("waiting_count", "abandoned_today"):
        assert (
            stat(influx_store, key, now, ["channel=TASK"]) == engine.value(UID, key, START, now, ["channel=TASK"]) == 0
        )
        assert stat(influx_store, key, now, ["channel=EMAIL"]) is None
    expected = engine.value(UID, "service_level_today", START, now, ["sl_seconds=-1"])
    assert expected == 0 and stat(influx_store, "service_level_today", now, ["sl_seconds=-1"]) == 0


# Hand-written events (tests/localquery/test_realtime_contacts_events.py) plus contacts that leave optional
# fields unwritten: no disconnect reason, never connected to an agent, an agent with no name in 15 minutes.
answered = handwritten.later("CONNECTED_TO_AGENT", "answered", "2026-02-01T11:50:00.000Z", "2026-02-01T11:51:00.000Z")
answered["detail"]["agentInfo"] = {  # type: ignore[index]
    "agentArn": f"{handwritten.INSTANCE}/agent/{handwritten.AGENT_ID}",
    "connectedToAgentTimestamp": "2026-02-01T11:51:00.000Z",
}
to_agent = handwritten.queued("to-agent", "2026-02-01T11:55:00.000Z")
to_agent["detail"]["queueInfo"] |= {  # type: ignore[index,operator]
    "queueArn": f"{handwritten.INSTANCE}/queue/agent/{handwritten.AGENT_ID}",
    "queueType": "AGENT",
}
no_reason = handwritten.later("DISCONNECTED", "no-reason", "2026-02-01T11:40:00.000Z", "2026-02-01T11:41:00.000Z")
del no_reason["detail"]["disconnectReason"]  # type: ignore[attr-defined]
EVENTS = [
    *handwritten.EVENTS,
    handwritten.queued("answered", "2026-02-01T11:50:00.000Z"),
    answered,
    to_agent,
    handwritten.queued("no-reason", "2026-02-01T11:40:00.000Z"),
    no_reason,
]


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contact-events")
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    return root


@pytest.fixture(scope="module")
def events_store(influx_server: str, events_dir: Path) -> InfluxStore:
    stats = load_simulation(events_dir, influx_server, "events", InfluxAuth())
    assert stats.rejected == 0 and stats.unwritten == 0, stats
    return InfluxStore(influx_server, "events", handwritten.INSTANCE_ID)


def sql(data: Path, key: str, *assignments: str) -> Result:
    return handwritten.panel(data, key, *assignments)


def test_handwritten_waits_read_as_in_sql(events_store: InfluxStore) -> None:
    """Long waits, a data update while queued, an abandon and the 24-hour bound, as the SQL test asserts them."""
    to = handwritten.TO
    assert stat(events_store, "waiting_count", to) == len(handwritten.WAITING) + 1  # and to-agent
    assert stat(events_store, "waiting_count", to, ["channel=VOICE"]) == 2
    waiting = {r["contact_id"]: r["seconds_waiting"] for r in rows(events_store, "waiting", to)}
    assert waiting == handwritten.WAITING | {"to-agent": 5 * 60}
    states = Counter(r["state"] for r in rows(events_store, "by_state", to))
    assert states == Counter(QUEUED=4, CONNECTED_TO_AGENT=1), "a data update is no state"


@pytest.mark.parametrize("assignments", [[], ["channel=VOICE"], ["channel=CHAT", "channel=TASK"]], ids=str)
def test_every_panel_on_handwritten_events_equals_the_sql(
    events_store: InfluxStore, events_dir: Path, assignments: list[str]
) -> None:
    """Never-written optional fields answer without error: no disconnect reason counts as abandoned, as the
    SQL's coalesce(disconnect_reason, ''); no agent, no connect time, and ids where no name was recorded."""
    for key in STATS:
        expected = sql(events_dir, key, *assignments).rows[0][0]
        actual = stat(events_store, key, handwritten.TO, assignments)
        assert same(actual, expected), f"{key}: influx {actual}, sql {expected}"
    for key in TABLES:
        expected_rows = to_ms(sql(events_dir, key, *assignments).rows)
        assert as_sql(events_store, key, handwritten.TO, assignments, handwritten.FROM) == expected_rows, key


def test_an_empty_store_answers_without_error(empty_store: InfluxStore) -> None:
    """No contact event at all: every panel returns no series (the stats read "No data" where the SQL's counts
    read 0; the stats' noValue covers it)."""
    for path in sorted(CONTACTS.glob("*.influxql")):
        assert run_file(empty_store, path, INSTANTS[0], variables(empty_store, INSTANTS[0], ())) == []
