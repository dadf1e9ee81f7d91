"""The schema-seed record: every declared column of each Timestream table, once per sink, never read by a panel."""

from __future__ import annotations

import re
from pathlib import Path

from connect_ingest import datamodel
from connect_ingest.sinks import Backoff
from connect_ingest.sinks.timestream import TimestreamSink, build_request, limit_problem
from connect_ingest.transform import SEED_INSTANCE_ID, Record, schema_seed_record, schema_seed_records
from test_timestream_sink import ScriptedClient, error, state

ROOT = Path(__file__).resolve().parents[2]
NO_WAIT = Backoff(attempts=3, sleep=lambda _: None)
NOW = 1_769_947_512.345  # 2026-02-01T12:05:12.345Z
HOUR_MS = 1_769_947_200_000  # 2026-02-01T12:00:00Z


def test_a_seed_carries_every_declared_dimension_and_measure_within_timestream_limits() -> None:
    for table in datamodel.TIMESTREAM_TABLES:
        seed = schema_seed_record(table, int(NOW * 1000))
        assert set(seed.dimensions) == set(table.dimensions), table.name
        assert set(seed.measures) == {m.name for m in table.measures}, table.name
        assert seed.dimensions["instance_id"] == SEED_INSTANCE_ID
        assert all(value != "" for value in [*seed.dimensions.values(), *seed.measures.values()])
        assert limit_problem(seed) is None, table.name
        request = build_request("db", table.name, [seed])
        (row,) = request["Records"]
        types = {m["Name"]: m["Type"] for m in row["MeasureValues"]}
        assert types == {m.name: m.type for m in table.measures}, table.name


def test_every_seed_of_one_hour_is_the_same_point() -> None:
    """A fixed version, an hour-aligned time and fixed values: each cold start rewrites one point, unchanged."""
    first = schema_seed_records(("agent_state", "contact_event"), HOUR_MS + 1)
    later = schema_seed_records(("agent_state", "contact_event"), HOUR_MS + 3_599_999)
    assert first == later
    assert {r.time_ms for r in first} == {HOUR_MS} and {r.version for r in first} == {1}
    assert schema_seed_records(("agent_state",), HOUR_MS + 3_600_000)[0].time_ms == HOUR_MS + 3_600_000


def test_the_sink_seeds_each_table_once_before_its_first_write() -> None:
    client = ScriptedClient()
    sink = TimestreamSink(client, "db", NO_WAIT, seed_schema=True, clock=lambda: NOW)
    contact = Record("agent_contact", 1, 10, {"instance_id": "i", "contact_id": "c"}, {"state": "CONNECTED"})
    assert sink.write([state(1), contact]).rejected == {}
    assert sink.write([state(2)]).rejected == {}
    tables = [(r["TableName"], len(r["Records"])) for r in client.requests]
    assert tables == [
        ("agent_contact", 1),
        ("agent_state", 1),
        ("agent_state", 1),
        ("agent_contact", 1),
        ("agent_state", 1),
    ]
    seeds = client.requests[:2]
    for request in seeds:
        dims = {d["Name"]: d["Value"] for d in request["CommonAttributes"]["Dimensions"]}
        assert dims["instance_id"] == SEED_INSTANCE_ID
        assert request["CommonAttributes"]["Version"] == 1
        assert request["Records"][0]["Time"] == str(HOUR_MS)
    assert sink.seeded == {"agent_state", "agent_contact"}


def test_a_seed_that_fails_is_tried_again_and_fails_nothing_else() -> None:
    client = ScriptedClient(error("ThrottlingException"))  # the seed's one attempt; the events' write then succeeds
    sink = TimestreamSink(client, "db", NO_WAIT, seed_schema=True, clock=lambda: NOW)
    result = sink.write([state(1)])
    assert result.rejected == {} and not result.unwritten
    assert [len(r["Records"]) for r in client.requests] == [1, 1]
    assert sink.seeded == set()
    sink.write([state(2)])
    assert [r["CommonAttributes"].get("Version") for r in client.requests[2:]] == [1, 10]
    assert sink.seeded == {"agent_state"}


def test_without_seed_schema_the_sink_writes_only_the_records() -> None:
    client = ScriptedClient()
    TimestreamSink(client, "db", NO_WAIT).write([state(1)])
    assert len(client.requests) == 1


def test_every_shipped_timestream_query_reads_only_the_selected_instance() -> None:
    """Each scan of a Timestream table is filtered by ``instance_id = ${instance:sqlstring}`` (an alert rule's, which
    has no variables, by the environment's instance id, never the seed's), so no panel or rule reads a seed; the
    instance list, which has no instance yet, excludes the seed's instance id instead."""
    scans = re.compile(r'"\{\{ timestream_database \}\}"\.(\w+)')

    def filtered(text: str) -> int:
        return sum(
            text.count(f) for f in ("instance_id = ${instance:sqlstring}", "instance_id = '{{ connect_instance_id }}'")
        )

    checked = 0
    for path in sorted((ROOT / "queries" / "timestream").rglob("*.sql")):
        text = path.read_text()
        tables = scans.findall(text)
        if path.name == "instance.sql":
            assert f"instance_id <> '{SEED_INSTANCE_ID}'" in text
            continue
        if path.name.startswith("_"):
            # Fragments: one macro per line, each scan in it filtered.
            for line in text.splitlines():
                assert len(scans.findall(line)) <= filtered(line), (path.name, line)
            continue
        if not tables:
            continue  # reads only fragments' CTEs
        assert filtered(text) >= len(tables), path.name
        checked += 1
    assert checked >= 5  # the rest read the fragments checked above
