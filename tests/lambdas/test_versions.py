"""Version: a re-delivered or updated event is written again, never rejected, and the latest processing wins.

moto keeps every record and ignores Version, so these tests use a store that applies the upsert rules of
the WriteRecords reference: a point is table, dimensions, time and measure name; writing the same values again
always succeeds; different values need a higher Version, else the record is refused with ExistingVersion
(the other records of the request are still written).
"""

from __future__ import annotations

import copy
import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from connect_ingest import agent_events, config, contact_events
from connect_ingest.sinks import Backoff
from connect_ingest.sinks.timestream import TimestreamSink
from lambda_factories import MemoryQueue, agent_event, contact_envelope, kinesis_event

_NS_PER_UNIT = {"NANOSECONDS": 1, "MICROSECONDS": 1_000, "MILLISECONDS": 1_000_000, "SECONDS": 1_000_000_000}


@dataclass
class Stored:
    version: int
    values: dict[str, tuple[str, str]]


@dataclass
class UpsertingTimestream:
    """A WriteRecords endpoint with Timestream's Version rules; ``points`` is what a query would see."""

    points: dict[tuple[Any, ...], Stored] = field(default_factory=dict)
    rejections: list[dict[str, Any]] = field(default_factory=list)

    def write_records(
        self, DatabaseName: str, TableName: str, CommonAttributes: dict[str, Any], Records: list[Any]
    ) -> dict[str, Any]:
        rejected = []
        for index, record in enumerate(Records):
            merged = {**CommonAttributes, **record}
            dims = {
                d["Name"]: d["Value"] for d in [*CommonAttributes.get("Dimensions", []), *record.get("Dimensions", [])]
            }
            time_ns = int(merged["Time"]) * _NS_PER_UNIT[merged.get("TimeUnit", "MILLISECONDS")]
            key = (TableName, merged["MeasureName"], time_ns, tuple(sorted(dims.items())))
            values = {m["Name"]: (m["Type"], m["Value"]) for m in merged["MeasureValues"]}
            version = int(merged.get("Version", 1))
            stored = self.points.get(key)
            if stored is None or stored.values == values or version > stored.version:
                self.points[key] = Stored(max(version, stored.version if stored else 0), values)
            else:
                rejected.append(
                    {
                        "RecordIndex": index,
                        "Reason": "The record version is lower than or equal to the existing version.",
                        "ExistingVersion": stored.version,
                    }
                )
        if rejected:
            self.rejections.extend(rejected)
            error = {"Error": {"Code": "RejectedRecordsException", "Message": "rejected"}}
            raise ClientError({**error, "RejectedRecords": rejected}, "WriteRecords")
        return {"RecordsIngested": {"Total": len(Records)}}

    def values(self, table: str, name: str) -> list[str]:
        return [s.values[name][1] for key, s in sorted(self.points.items()) if key[0] == table and name in s.values]


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> tuple[UpsertingTimestream, MemoryQueue]:
    client, queue = UpsertingTimestream(), MemoryQueue(capacity=100)
    sink = TimestreamSink(client, "db", Backoff(attempts=1, sleep=lambda _: None))
    monkeypatch.setattr(config, "sink", lambda: sink)
    monkeypatch.setattr(config, "dead_letters", lambda: queue)
    return client, queue


def _later_millisecond() -> None:
    start = time.time_ns() // 1_000_000
    while time.time_ns() // 1_000_000 == start:
        time.sleep(0.0005)


def test_a_redelivered_agent_event_is_written_again_at_the_time_it_was_processed(
    store: tuple[UpsertingTimestream, MemoryQueue],
) -> None:
    client, queue = store
    event = agent_event(random.Random(11), datetime(2024, 5, 1, 9, tzinfo=UTC), contacts=2)
    batch = kinesis_event([json.dumps(event).encode()])

    before = time.time_ns() // 1_000_000
    assert agent_events.handler(batch, None) == {"batchItemFailures": []}
    first = {key: point.version for key, point in client.points.items()}
    _later_millisecond()
    assert agent_events.handler(copy.deepcopy(batch), None) == {"batchItemFailures": []}

    assert len(first) == 3 and set(client.points) == set(first)
    assert all(before <= version <= time.time_ns() // 1_000_000 for version in first.values())
    assert all(client.points[key].version > version for key, version in first.items())
    assert client.rejections == [] and queue.letters == []


def test_an_updated_agent_event_replaces_what_is_stored(store: tuple[UpsertingTimestream, MemoryQueue]) -> None:
    client, queue = store
    event = agent_event(random.Random(12), datetime(2024, 5, 1, 9, tzinfo=UTC), contacts=0)
    updated = copy.deepcopy(event)
    updated["CurrentAgentSnapshot"]["AgentStatus"]["Name"] = "Corrected"

    agent_events.handler(kinesis_event([json.dumps(event).encode()]), None)
    _later_millisecond()
    assert agent_events.handler(kinesis_event([json.dumps(updated).encode()]), None) == {"batchItemFailures": []}

    assert client.values("agent_state", "status_name") == ["Corrected"]
    assert client.rejections == [] and queue.letters == []


def test_an_update_processed_in_the_same_millisecond_is_rewritten_above_the_stored_version(
    store: tuple[UpsertingTimestream, MemoryQueue],
) -> None:
    """Two Lambdas can share a processing millisecond: Timestream refuses the second, the sink outranks it."""
    client, queue = store
    event = agent_event(random.Random(13), datetime(2024, 5, 1, 9, tzinfo=UTC), contacts=0)
    updated = copy.deepcopy(event)
    updated["CurrentAgentSnapshot"]["AgentStatus"]["Name"] = "Corrected"

    for payload in (event, updated):
        response, tally = agent_events.process(
            kinesis_event([json.dumps(payload).encode()]), config.sink(), config.dead_letters(), version=500
        )
        assert response == {"batchItemFailures": []} and tally.written == 1

    assert [r["ExistingVersion"] for r in client.rejections] == [500]
    (point,) = client.points.values()
    assert point.version == 501 and point.values["status_name"] == ("VARCHAR", "Corrected")
    assert queue.letters == []


def test_a_redelivered_or_updated_contact_event_is_written_not_rejected(
    store: tuple[UpsertingTimestream, MemoryQueue],
) -> None:
    client, queue = store
    detail = {
        "eventType": "DISCONNECTED",
        "contactId": "c-1",
        "instanceArn": "arn:aws:connect:eu-west-2:1:instance/i-1",
        "channel": "VOICE",
        "disconnectTimestamp": "2024-05-01T09:00:00.123Z",
        "disconnectReason": "CUSTOMER_DISCONNECT",
    }
    updated = detail | {"disconnectReason": "AGENT_DISCONNECT"}

    for sent in (detail, detail, updated):
        assert contact_events.handler(contact_envelope(sent), None) == {"written": 1, "dead_lettered": 0}
        _later_millisecond()

    assert client.values("contact_event", "disconnect_reason") == ["AGENT_DISCONNECT"]
    assert client.rejections == [] and queue.letters == []
