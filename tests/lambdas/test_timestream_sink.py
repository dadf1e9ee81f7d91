"""Timestream sink behaviour moto cannot show: rejections, version conflicts, throttling, limits, batching."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError
from connect_ingest.sinks import Backoff
from connect_ingest.sinks.timestream import TimestreamSink, build_request
from connect_ingest.transform import Record

NO_WAIT = Backoff(attempts=3, sleep=lambda _: None)


def error(code: str, status: int = 400, **extra: Any) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}, **extra},
        "WriteRecords",
    )


class ScriptedClient:
    """Answers each WriteRecords call with the next scripted outcome (None = success) and keeps the requests."""

    def __init__(self, *outcomes: Exception | Callable[[dict[str, Any]], Exception | None] | None) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[dict[str, Any]] = []

    def write_records(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if callable(outcome) and not isinstance(outcome, Exception):
            outcome = outcome(request)
        if outcome is not None:
            raise outcome
        return {"RecordsIngested": {"Total": len(request["Records"])}}


def state(i: int, agent: str = "a", version: int = 10) -> Record:
    return Record(
        "agent_state",
        1_700_000_000_000 + i,
        version,
        {"instance_id": "i", "agent_id": agent},
        {"event_type": "LOGIN", "contact_count": i},
    )


def test_calls_are_ceil_records_over_100_per_table_with_shared_fields_in_common_attributes() -> None:
    records = [state(i, agent=f"a{i % 7}") for i in range(250)]
    records += [
        Record("agent_contact", 1, 10, {"instance_id": "i", "contact_id": f"c{i}"}, {"state": "CONNECTED"})
        for i in range(30)
    ]
    client = ScriptedClient()
    result = TimestreamSink(client, "db", NO_WAIT).write(records)
    assert result.rejected == {} and not result.unwritten
    tables = [r["TableName"] for r in client.requests]
    assert tables.count("agent_state") == math.ceil(250 / 100) and tables.count("agent_contact") == 1
    common = client.requests[0]["CommonAttributes"]
    assert common["Dimensions"] == [{"Name": "instance_id", "Value": "i"}]
    assert common["Version"] == 10 and common["MeasureValueType"] == "MULTI" and common["MeasureName"] == "agent_state"
    first = client.requests[0]["Records"][0]
    assert first["Dimensions"] == [{"Name": "agent_id", "Value": "a0"}]
    assert {"Name": "contact_count", "Value": "0", "Type": "BIGINT"} in first["MeasureValues"]


def test_version_conflict_is_rewritten_above_the_stored_version_and_other_rejections_reported() -> None:
    rejected = error(
        "RejectedRecordsException",
        RejectedRecords=[
            {"RecordIndex": 1, "Reason": "A record with a higher version exists", "ExistingVersion": 42},
            {"RecordIndex": 2, "Reason": "The record timestamp is outside the time range of the memory store."},
        ],
    )
    client = ScriptedClient(rejected, None)
    result = TimestreamSink(client, "db", NO_WAIT).write([state(0), state(1), state(2)])
    assert set(result.rejected) == {2} and "outside the time range" in result.rejected[2]
    assert not result.unwritten
    retry = client.requests[1]
    assert len(retry["Records"]) == 1 and retry["CommonAttributes"]["Version"] == 43
    assert retry["Records"][0]["Time"] == str(1_700_000_000_001)


def test_throttling_is_retried_with_backoff_then_reported_unwritten() -> None:
    waits: list[float] = []
    backoff = Backoff(attempts=3, sleep=waits.append)
    client = ScriptedClient(error("ThrottlingException"), error("InternalServerException", 500), None)
    assert TimestreamSink(client, "db", backoff).write([state(0)]).unwritten == frozenset()
    assert len(client.requests) == 3 and len(waits) == 2

    stuck = ScriptedClient(*[error("ThrottlingException")] * 3, EndpointConnectionError(endpoint_url="x"))
    records = [state(i) for i in range(150)]
    result = TimestreamSink(stuck, "db", backoff).write(records)
    assert result.unwritten == frozenset(range(150)) and not result.rejected
    assert len(stuck.requests) == 3  # the second chunk is not attempted once Timestream is unavailable
    assert result.outage == "Timestream ThrottlingException after 3 attempts"


def test_a_refusal_that_is_not_an_outage_says_what_to_check_and_is_not_retried_in_the_call() -> None:
    client = ScriptedClient(error("AccessDeniedException"), error("ResourceNotFoundException"))
    result = TimestreamSink(client, "db", NO_WAIT).write([state(0)])
    assert result.unwritten == frozenset({0}) and len(client.requests) == 1
    assert result.outage.startswith("Timestream AccessDeniedException (not retried here): check TIMESTREAM_DATABASE")
    assert (
        TimestreamSink(client, "db", NO_WAIT)
        .write([state(1)])
        .outage.startswith("Timestream ResourceNotFoundException")
    )


def test_validation_exception_is_bisected_to_the_bad_record() -> None:
    def refuse_record_7(request: dict[str, Any]) -> Exception | None:
        times = [r["Time"] for r in request["Records"]]
        return error("ValidationException") if str(1_700_000_000_007) in times else None

    client = ScriptedClient(*[refuse_record_7] * 20)
    result = TimestreamSink(client, "db", NO_WAIT).write([state(i) for i in range(10)])
    assert set(result.rejected) == {7} and not result.unwritten


def test_records_over_timestream_limits_are_rejected_without_a_call() -> None:
    huge = Record("agent_state", 1, 1, {"agent_id": "x" * 3000}, {"event_type": "LOGIN"})
    wide = Record(
        "agent_state", 1, 1, {"agent_id": "a"}, {"event_type": "L", "agent_name": "n" * 2000, "status_name": "s" * 100}
    )
    client = ScriptedClient()
    result = TimestreamSink(client, "db", NO_WAIT).write([huge, wide, state(0)])
    assert set(result.rejected) == {0, 1}
    assert all("over Timestream limits" in reason for reason in result.rejected.values())
    assert len(client.requests) == 1 and len(client.requests[0]["Records"]) == 1


def test_mixed_versions_stay_on_the_records() -> None:
    request = build_request("db", "agent_state", [state(0, version=1), state(1, version=2)])
    assert "Version" not in request["CommonAttributes"]
    assert [r["Version"] for r in request["Records"]] == [1, 2]


def test_bisect_keeps_the_versions_raised_by_an_earlier_conflict() -> None:
    conflict = error(
        "RejectedRecordsException",
        RejectedRecords=[{"RecordIndex": i, "Reason": "version", "ExistingVersion": 42} for i in range(3)],
    )

    def refuse_record_2(request: dict[str, Any]) -> Exception | None:
        times = [r["Time"] for r in request["Records"]]
        return error("ValidationException") if str(1_700_000_000_002) in times else None

    client = ScriptedClient(conflict, *[refuse_record_2] * 10)
    result = TimestreamSink(client, "db", NO_WAIT).write([state(0), state(1), state(2)])

    assert set(result.rejected) == {2} and not result.unwritten
    written = [r for req in client.requests[2:] if refuse_record_2(req) is None for r in req["Records"]]
    versions = {
        rec["Time"]: rec.get("Version", req["CommonAttributes"].get("Version"))
        for req in client.requests[2:]
        if refuse_record_2(req) is None
        for rec in req["Records"]
    }
    assert len(written) == 2 and set(versions.values()) == {43}
