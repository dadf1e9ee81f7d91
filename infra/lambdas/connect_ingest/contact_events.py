"""Lambda for EventBridge "Amazon Connect Contact Event": one contact_event record per event.

EventBridge invokes asynchronously with one event. An event that can never be written goes to our DLQ with
the reason; when the sink or the DLQ is unavailable the handler raises, so Lambda retries the event and then
hands it to the function's own dead-letter destination.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from connect_ingest import config
from connect_ingest.deadletter import DeadLetter, DeadLetters
from connect_ingest.published_metrics import SOURCES
from connect_ingest.sinks import Sink
from connect_ingest.telemetry import SinkUnavailableError, Tally, logger, metrics, report
from connect_ingest.transform import Record, TransformError, contact_event_records

SOURCE = SOURCES["contact_events"]


def without_caller(value: object) -> object:
    """The event without any ``customerEndpoint`` (the caller's phone number), at any depth, in any case.

    Caller phone numbers are not stored, in the tables or in the dead-letter queue; nothing the transform
    reads is removed, so a dead letter still replays.
    """
    if isinstance(value, Mapping):
        return {k: without_caller(v) for k, v in value.items() if str(k).lower() != "customerendpoint"}
    if isinstance(value, list):
        return [without_caller(v) for v in value]
    return value


def process(event: Mapping[str, Any], sink: Sink, dead_letters: DeadLetters, version: int) -> Tally:
    tally = Tally(inputs=1)
    records: list[Record] = []
    problem: str | None = None
    try:
        records = contact_event_records(event, version)
    except TransformError as exc:
        problem = str(exc)
    except Exception as exc:  # a transform bug must not lose the event: dead-letter it, named and counted
        logger.exception("unexpected transform failure")
        problem = f"unexpected {type(exc).__name__} in the contact-event transform"
    if records:
        result = sink.write(records)
        if result.unwritten:
            raise SinkUnavailableError(f"{result.outage}; the event will be retried")
        tally.records_rejected = len(result.rejected)
        tally.records_written = len(records) - len(result.rejected)
        problem = next(iter(result.rejected.values()), None)
    if problem is None:
        tally.written = 1
        return tally
    reference = {"event_id": str(event.get("id", ""))} if isinstance(event, Mapping) else {}
    letter = DeadLetter(SOURCE, problem, json.dumps(without_caller(event), default=str), reference)
    if dead_letters.send([letter]) != 1:
        raise SinkUnavailableError("the dead-letter queue is unavailable; the event will be retried")
    tally.dead_lettered = 1
    tally.reasons[problem] += 1
    return tally


@metrics.log_metrics
def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    tally = Tally(inputs=1, retried=1)
    try:
        tally = process(event, config.sink(), config.dead_letters(), version=time.time_ns() // 1_000_000)
    finally:
        report(SOURCE, tally)
    return {"written": tally.written, "dead_lettered": tally.dead_lettered}
