"""Property tests: whatever arrives, nothing escapes unhandled and every input is written, retried or dead-lettered."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from connect_ingest import agent_events, contact_events
from connect_ingest.sinks import WriteResult
from connect_ingest.transform import Record, TransformError, contact_event_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lambda_factories import FlakySink, MemoryQueue, agent_event, contact_envelope, kinesis_event

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    """Valid events, truncated ones, wrong types, unknown fields, huge values, or bytes that are not JSON at all."""
    event = agent_event(random.Random(draw(st.integers(0, 10**6))), datetime(2024, 5, 1, tzinfo=UTC))
    kind = draw(st.sampled_from(["valid", "truncated", "wrong_type", "unknown_field", "huge", "json", "bytes"]))
    if kind == "wrong_type":
        path = draw(
            st.sampled_from(
                [
                    ("EventType",),
                    ("EventTimestamp",),
                    ("CurrentAgentSnapshot",),
                    ("CurrentAgentSnapshot", "Contacts"),
                    ("CurrentAgentSnapshot", "Configuration", "Username"),
                ]
            )
        )
        target = event
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = draw(json_values)
    elif kind == "unknown_field":
        event[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    elif kind == "huge":
        event["CurrentAgentSnapshot"]["Configuration"]["Username"] = "u" * draw(st.integers(100, 300_000))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    data = json.dumps(event).encode()
    return data[: draw(st.integers(0, len(data) - 1))] if kind == "truncated" else data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    data=st.lists(payloads(), max_size=12),
    fates=st.lists(st.sampled_from(["ok", "ok", "ok", "reject", "down"]), max_size=6),
    dlq_capacity=st.integers(0, 20),
)
def test_every_kinesis_record_is_written_retried_or_dead_lettered(
    data: list[bytes], fates: list[str], dlq_capacity: int
) -> None:
    event = kinesis_event(data)
    sink, queue = FlakySink(fates), MemoryQueue(dlq_capacity)

    response, tally = agent_events.process(event, sink, queue, version=1)  # type: ignore[arg-type]

    # What each input should have sent to the sink (the handler's own pure parse step), matched to what the
    # sink received: the sink saw exactly these records, in input order, so each one's fate is its input's.
    items = [agent_events.parse(raw, 1) for raw in event["Records"]]
    assert [record for record, _ in sink.received] == [r for item in items for r in item.records]
    fates_of: list[list[str]] = []
    received = iter(sink.received)
    for item in items:
        fates_of.append([next(received)[1] for _ in item.records])

    sequence_numbers = [r["kinesis"]["sequenceNumber"] for r in event["Records"]]
    retried = [f["itemIdentifier"] for f in response["batchItemFailures"]]
    assert retried == sequence_numbers[len(sequence_numbers) - len(retried) :]  # a suffix: order is kept
    letters = {letter.reference["sequence_number"]: letter for letter in queue.letters}
    assert len(letters) == len(queue.letters) and not set(letters) & set(retried)
    written = 0
    for index, (item, item_fates) in enumerate(zip(items, fates_of, strict=True)):
        number = sequence_numbers[index]
        if number in retried:
            continue
        assert "down" not in item_fates, f"input {index} had a record the sink could not write, yet was not retried"
        if item.problem is None and "reject" not in item_fates:
            assert number not in letters, f"input {index} was written whole, yet dead-lettered"
            written += 1
            continue
        assert number in letters, f"input {index} was refused (or unusable), yet neither dead-lettered nor retried"
        letter = letters[number]
        assert letter.reason == (item.problem or "refused")
        assert letter.payload == event["Records"][index]["kinesis"]["data"]
        assert len(letter.body()) <= 256 * 1024
    assert tally.balanced() and tally.inputs == len(data)
    assert (tally.written, tally.retried, tally.dead_lettered) == (written, len(retried), len(letters))
    fates_received = [fate for _, fate in sink.received]
    assert (tally.records_written, tally.records_rejected) == (
        fates_received.count("ok"),
        fates_received.count("reject"),
    )
    assert tally.written + tally.retried + tally.dead_lettered == len(data)


def test_poison_record_mid_batch_is_dead_lettered_and_the_batch_goes_on() -> None:
    events = [agent_event(random.Random(i), datetime(2024, 5, 1, tzinfo=UTC), contacts=1) for i in range(3)]
    data = [json.dumps(events[0]).encode(), b"\xff not base64-able json", json.dumps(events[1]).encode()]
    event = kinesis_event(data)
    event["Records"].insert(2, {"kinesis": {"sequenceNumber": "9", "data": "***"}, "eventID": "x"})
    sink, queue = FlakySink(["ok"]), MemoryQueue(10)
    response, tally = agent_events.process(event, sink, queue, version=1)  # type: ignore[arg-type]
    assert response == {"batchItemFailures": []}
    assert [letter.reason for letter in queue.letters] == [
        "kinesis.data: not UTF-8 text",
        "kinesis.data: not valid base64",
    ]
    assert (tally.written, tally.dead_lettered) == (2, 2) and len(sink.written) == 4


def test_record_without_a_sequence_number_is_dead_lettered_and_the_batch_goes_on() -> None:
    events = [agent_event(random.Random(i), datetime(2024, 5, 1, tzinfo=UTC), contacts=0) for i in range(2)]
    event = kinesis_event([json.dumps(e).encode() for e in events])
    del event["Records"][0]["kinesis"]["sequenceNumber"]
    event["Records"].insert(1, {"eventID": "odd", "kinesis": None})
    sink, queue = FlakySink(["ok"]), MemoryQueue(10)

    response, tally = agent_events.process(event, sink, queue, version=1)  # type: ignore[arg-type]

    assert response == {"batchItemFailures": []}
    assert [letter.reason for letter in queue.letters] == [
        "kinesis.sequenceNumber: missing (not a Kinesis stream record)"
    ] * 2
    assert queue.letters[0].payload == event["Records"][0]["kinesis"]["data"]
    assert json.loads(queue.letters[1].payload) == {"eventID": "odd", "kinesis": None}
    assert (tally.written, tally.dead_lettered) == (1, 2) and len(sink.written) == 1


def test_unavailable_sink_returns_the_first_failed_record_and_everything_after_it() -> None:
    events = [agent_event(random.Random(i), datetime(2024, 5, 1, tzinfo=UTC), contacts=0) for i in range(5)]
    event = kinesis_event([json.dumps(e).encode() for e in events])

    @dataclass
    class DownFromThird:
        def write(self, records: Sequence[Record]) -> WriteResult:
            return WriteResult({}, frozenset(range(2, len(records))), "store down")

    response, tally = agent_events.process(event, DownFromThird(), MemoryQueue(10), version=1)  # type: ignore[arg-type]
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == [
        r["kinesis"]["sequenceNumber"] for r in event["Records"][2:]
    ]
    assert (tally.written, tally.retried) == (2, 3)
    assert tally.reasons == {"retrying: store down": 3}


contact_events_strategy = st.one_of(
    json_values,
    st.builds(
        contact_envelope,
        st.dictionaries(
            st.sampled_from(
                ["eventType", "contactId", "instanceArn", "channel", "queueInfo", "agentInfo", "EventType", "ContactId"]
            ),
            json_values,
        ),
    ),
    st.builds(
        lambda t, c: contact_envelope(
            {"eventType": t, "contactId": c, "instanceArn": "arn:aws:connect:r:1:instance/i"}
        ),
        st.text(min_size=1, max_size=15),
        st.text(min_size=1, max_size=40),
    ),
)


@settings(max_examples=150, deadline=None)
@given(event=contact_events_strategy, fates=st.lists(st.sampled_from(["ok", "reject", "down"]), min_size=1, max_size=1))
def test_every_contact_event_is_written_dead_lettered_or_raised_for_retry(event: Any, fates: list[str]) -> None:
    sink, queue = FlakySink(fates), MemoryQueue(5)
    try:
        expected, problem = contact_event_records(event, 1), None
    except TransformError as exc:
        expected, problem = [], str(exc)
    try:
        tally = contact_events.process(event, sink, queue, version=1)  # type: ignore[arg-type]
    except contact_events.SinkUnavailableError:
        assert [fate for _, fate in sink.received] == ["down"] and not queue.letters
        return
    assert [record for record, _ in sink.received] == expected
    assert "down" not in [fate for _, fate in sink.received], "the sink could not write it, yet it was not retried"
    assert tally.balanced() and tally.inputs == 1
    if problem is None and all(fate == "ok" for _, fate in sink.received):
        assert (tally.written, tally.dead_lettered, queue.letters) == (1, 0, [])
        return
    (letter,) = queue.letters
    assert tally.dead_lettered == 1
    assert letter.reason == (problem or "refused")
    assert json.loads(letter.payload) == json.loads(json.dumps(contact_events.without_caller(event), default=str))


def test_kinesis_event_without_records_is_a_loud_error() -> None:
    with pytest.raises(ValueError, match="Kinesis"):
        agent_events.process({"detail": {}}, FlakySink(["ok"]), MemoryQueue(1), version=1)  # type: ignore[arg-type]


def test_base64_payload_is_kept_verbatim_for_replay() -> None:
    event = kinesis_event([b"plain text"])
    queue = MemoryQueue(1)
    agent_events.process(event, FlakySink(["ok"]), queue, version=1)  # type: ignore[arg-type]
    assert base64.b64decode(queue.letters[0].payload) == b"plain text"
