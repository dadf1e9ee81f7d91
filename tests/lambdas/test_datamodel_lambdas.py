"""The Lambdas write only what datamodel declares: tables, dimensions, measures and their types."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from connect_ingest import datamodel
from connect_ingest.transform import (
    METRIC_MEASURES,
    Record,
    agent_event_records,
    contact_event_records,
    snapshot_records,
)
from lambda_factories import agent_event, contact_envelope, repair_jsonc

from tests.conftest import REFERENCE_DATA

PYTHON_TYPES = {"VARCHAR": str, "BIGINT": int, "DOUBLE": float, "BOOLEAN": bool, "TIMESTAMP": int}
WRITES = {
    "agent": {"agent_state", "agent_contact"},
    "contact": {"contact_event"},
    "collector": {"queue_metrics", "resource_snapshot"},
}


def undeclared(record: Record) -> list[str]:
    """Every way the record strays from the declaration (empty when it conforms)."""
    try:
        table = datamodel.timestream_table(record.table)
    except KeyError:
        return [f"table {record.table} is not declared"]
    problems = [f"{record.table}.{d}: undeclared dimension" for d in record.dimensions if d not in table.dimensions]
    problems += [
        f"{record.table}.{d}: empty or non-string dimension"
        for d, v in record.dimensions.items()
        if not isinstance(v, str) or not v
    ]
    declared = {m.name: m.type for m in table.measures}
    for name, value in record.measures.items():
        if name not in declared:
            problems.append(f"{record.table}.{name}: undeclared measure")
        elif type(value) is not PYTHON_TYPES[declared[name]]:
            problems.append(f"{record.table}.{name}: {type(value).__name__} is not {declared[name]}")
    if set(record.row()) != set(table.columns()):
        problems.append(f"{record.table}: row() columns differ from the declaration")
    return problems


def sample_records() -> dict[str, list[Record]]:
    samples = REFERENCE_DATA / "connect-samples"
    if not samples.is_dir():
        pytest.skip(f"reference samples {samples} are absent; this test reads them at run time")
    records: dict[str, list[Record]] = {"agent": [], "contact": []}
    for path in sorted(Path(samples).iterdir()):
        document = repair_jsonc(path.read_text())
        if path.name.startswith("agent_event_") and "EventType" in document:
            records["agent"] += agent_event_records(document)
        elif path.name.startswith("contact_event_"):
            envelope = document if "detail" in document else contact_envelope(document)
            records["contact"] += contact_event_records(envelope)
    return records


def generated_records() -> dict[str, list[Record]]:
    rng = random.Random(11)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    agent = [r for i in range(300) for r in agent_event_records(agent_event(rng, start + timedelta(seconds=i)))]
    contact = []
    for i, event_type in enumerate(
        [
            "INITIATED",
            "CONNECTED_TO_SYSTEM",
            "QUEUED",
            "CONNECTED_TO_AGENT",
            "DISCONNECTED",
            "COMPLETED",
            "PAUSED",
            "RESUMED",
            "CONTACT_DATA_UPDATED",
        ]
    ):
        detail = {
            "eventType": event_type,
            "contactId": f"c-{i}",
            "initialContactId": "c-0",
            "instanceArn": "arn:aws:connect:eu-west-2:1:instance/i-1",
            "channel": "voice",
            "initiationMethod": "inbound",
            "initiationTimestamp": "2024-05-01T00:00:01.000Z",
            "queueInfo": {
                "queueArn": "arn:aws:connect:eu-west-2:1:instance/i-1/queue/q-1",
                "queueType": "STANDARD",
                "enqueueTimestamp": "2024-05-01T00:00:03.000Z",
            },
            "agentInfo": {
                "agentArn": "arn:aws:connect:eu-west-2:1:instance/i-1/agent/a-1",
                "connectedToAgentTimestamp": "2024-05-01T00:00:09.000Z",
                "afterContactWorkEndTimestamp": "2024-05-01T00:02:00.000Z",
            },
            "disconnectTimestamp": "2024-05-01T00:01:00.000Z",
            "disconnectReason": "CUSTOMER_DISCONNECT",
        }
        contact += contact_event_records(contact_envelope(detail, time="2024-05-01T00:05:00Z"))
    snapshot = {
        "collected_at": "2024-05-01T00:05:00.000Z",
        "instance_id": "i-1",
        "current_metric_data": [
            {
                "MetricResults": [
                    {
                        "Dimensions": {"Queue": {"Id": "q-1"}, "Channel": "CHAT"},
                        "Collections": [
                            {"Metric": {"Name": name, "Unit": "COUNT"}, "Value": 1.0} for name in METRIC_MEASURES
                        ],
                    }
                ],
                "DataSnapshotTime": "2024-05-01T00:04:59.500Z",
            }
        ],
        "queues": [{"Id": "q-1", "Arn": "arn:q", "Name": "Sales"}],
        "routing_profiles": [{"Id": "rp-1", "Arn": "arn:rp", "Name": "Basic"}],
        "users": [{"Id": "u-1", "Arn": "arn:u", "Username": "ann"}],
    }
    return {"agent": agent, "contact": contact, "collector": snapshot_records(snapshot)}


def test_declaration_has_no_problems() -> None:
    assert datamodel.check_declaration() == []


@pytest.mark.parametrize("source", [sample_records, generated_records], ids=["samples", "generated"])
def test_lambdas_write_only_declared_tables_dimensions_and_measures(source: object) -> None:
    records_by_lambda = source()  # type: ignore[operator]
    problems = [p for records in records_by_lambda.values() for r in records for p in undeclared(r)]
    assert problems == []
    for lambda_name, records in records_by_lambda.items():
        assert records, f"{lambda_name} produced no records to check"
        assert {r.table for r in records} <= WRITES[lambda_name]


def test_collector_fills_every_queue_metric() -> None:
    (record,) = [r for r in generated_records()["collector"] if r.table == "queue_metrics"]
    assert set(record.measures) == {m.name for m in datamodel.QUEUE_METRICS.measures}


def test_the_check_catches_a_stray_column() -> None:
    stray = Record(
        "agent_state", 1, 1, {"agent_id": "a", "EventTimestamp": "x"}, {"event_type": "LOGIN", "phone": "+44"}
    )
    assert undeclared(stray) == [
        "agent_state.EventTimestamp: undeclared dimension",
        "agent_state.phone: undeclared measure",
    ]
