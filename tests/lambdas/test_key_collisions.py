"""Two events are two points: records that share table, dimensions and time would overwrite each other."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from connect_ingest.sinks import Backoff
from connect_ingest.sinks.base import COLLISION
from connect_ingest.sinks.timestream import TimestreamSink
from connect_ingest.transform import Record, agent_event_records, contact_event_records
from lambda_factories import agent_event, contact_envelope
from test_timestream_sink import ScriptedClient

import connect_simulator as simulator

NO_WAIT = Backoff(attempts=1, sleep=lambda _: None)
MOMENT = datetime(2024, 5, 1, 9, 0, 0, 123_000, tzinfo=UTC)


def two_state_changes_in_one_ms() -> list[dict[str, object]]:
    first = agent_event(random.Random(1), MOMENT, contacts=1)
    first["EventType"] = "STATE_CHANGE"
    second = copy.deepcopy(first)
    second["EventId"] = "another-event"
    second["CurrentAgentSnapshot"]["AgentStatus"]["Name"] = "Lunch"  # type: ignore[index]
    return [first, second]


def outbound_connections_in_one_ms() -> list[dict[str, object]]:
    detail = {
        "contactId": "c-1",
        "instanceArn": "arn:aws:connect:eu-west-2:1:instance/i-1",
        "channel": "VOICE",
        "initiationMethod": "OUTBOUND",
        "connectedToSystemTimestamp": "2024-05-01T09:00:00.123Z",
        "agentInfo": {"agentArn": "arn:a/agent/a-1", "connectedToAgentTimestamp": "2024-05-01T09:00:00.123Z"},
    }
    return [contact_envelope(detail | {"eventType": t}) for t in ("CONNECTED_TO_SYSTEM", "CONNECTED_TO_AGENT")]


def test_one_agents_two_events_in_one_millisecond_are_two_points_that_both_reach_the_store() -> None:
    records = [r for event in two_state_changes_in_one_ms() for r in agent_event_records(event)]
    assert len({r.key() for r in records}) == len(records) == 4
    assert {r.time_ms for r in records} == {int(MOMENT.timestamp() * 1000)}

    client = ScriptedClient()
    result = TimestreamSink(client, "db", NO_WAIT).write(records)

    assert result.rejected == {} and not result.unwritten
    sent = {(req["TableName"], rec["Time"]) for req in client.requests for rec in req["Records"]}
    assert len(sent) == 4
    assert all(req["CommonAttributes"]["TimeUnit"] == "NANOSECONDS" for req in client.requests)
    statuses = [
        m["Value"]
        for req in client.requests
        for rec in req["Records"]
        for m in rec["MeasureValues"]
        if m["Name"] == "status_name"
    ]
    assert sorted(statuses) == sorted(["Lunch", records[0].measures["status_name"]])


def test_timestamp_measures_follow_the_time_unit_of_their_request() -> None:
    (state, contact) = agent_event_records(two_state_changes_in_one_ms()[0])
    client = ScriptedClient()
    TimestreamSink(client, "db", NO_WAIT).write([state, contact])
    sent = {req["TableName"]: req["Records"][0] for req in client.requests}
    start = next(m for m in sent["agent_state"]["MeasureValues"] if m["Name"] == "status_start")
    assert start == {
        "Name": "status_start",
        "Value": str(state.measures["status_start"] * 1_000_000),
        "Type": "TIMESTAMP",
    }
    assert sent["agent_contact"]["Time"] == str(contact.time_ns)


def test_a_contacts_two_event_types_in_one_millisecond_are_two_points() -> None:
    records = [r for event in outbound_connections_in_one_ms() for r in contact_event_records(event)]
    assert len({r.time_ms for r in records}) == 1
    assert len({r.key() for r in records}) == 2
    assert [r.dimensions["event_type"] for r in records] == ["CONNECTED_TO_SYSTEM", "CONNECTED_TO_AGENT"]
    assert records[0].time_ns < records[1].time_ns  # "the latest event by time" is the later in the lifecycle


def test_the_same_event_twice_in_a_batch_is_written_once_and_counts_as_written_both_times() -> None:
    event = two_state_changes_in_one_ms()[0]
    records = agent_event_records(event) + agent_event_records(event)
    client = ScriptedClient()
    result = TimestreamSink(client, "db", NO_WAIT).write(records)
    assert result.rejected == {} and not result.unwritten
    assert sum(len(req["Records"]) for req in client.requests) == 2


def test_a_different_event_on_the_same_key_is_refused_not_silently_overwritten() -> None:
    base = Record("agent_state", 1_700_000_000_000, 5, {"agent_id": "a"}, {"event_type": "LOGIN"}, 7, "e-1")
    clash = Record("agent_state", 1_700_000_000_000, 5, {"agent_id": "a"}, {"event_type": "LOGOUT"}, 7, "e-2")
    update = Record("agent_state", 1_700_000_000_000, 6, {"agent_id": "a"}, {"event_type": "LOGOUT"}, 7, "e-1")
    client = ScriptedClient()
    result = TimestreamSink(client, "db", NO_WAIT).write([base, clash, update])
    assert result.rejected == {1: COLLISION} and not result.unwritten
    (request,) = client.requests
    assert [m["Value"] for r in request["Records"] for m in r["MeasureValues"]] == ["LOGOUT"]  # the update won


def test_an_update_replacing_an_earlier_record_shares_its_fate() -> None:
    old = Record("agent_state", 1, 1, {"agent_id": "a"}, {"event_type": "LOGIN"}, 0, "e-1")
    new = Record("agent_state", 1, 2, {"agent_id": "a"}, {"event_type": "L" * 3000}, 0, "e-1")
    result = TimestreamSink(ScriptedClient(), "db", NO_WAIT).write([old, new])
    assert set(result.rejected) == {0, 1} and "over Timestream limits" in result.rejected[0]


def test_simulated_traffic_has_no_colliding_keys(tmp_path: Path) -> None:
    """The audit's case: `dash simulate --contacts 300 --agents 10` collided 23 contact and 86 agent keys."""
    simulator.simulate(tmp_path, simulator.SimulationConfig(seed=1, agents=10, contacts=300))
    keys: Counter[tuple[object, ...]] = Counter()
    for name, transform in (
        ("agent_events.jsonl", agent_event_records),
        ("contact_events.jsonl", contact_event_records),
    ):
        with (tmp_path / name).open(encoding="utf-8") as lines:
            for line in lines:
                keys.update(r.key() for r in transform(json.loads(line)))
    collided = Counter(key[0] for key, n in keys.items() if n > 1)
    assert sum(keys.values()) > 1000 and collided == Counter()
