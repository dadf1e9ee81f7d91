"""Lambda for the Connect agent event stream (Kinesis): agent_state and agent_contact records.

The event source mapping must enable ReportBatchItemFailures. Outcome of every Kinesis record:
- written: all its records reached the sink;
- dead-lettered: it can never succeed (bad base64, not JSON, not an agent event, refused by the sink), so it
  goes to the DLQ with the reason and the original data, and the batch goes on;
- retried: the sink (or the DLQ) was unavailable. It and every later record of the batch are returned in
  ``batchItemFailures``; Lambda resumes the shard from the first of them, so order is kept, and the rewrite
  of anything already written is harmless (same values, same key).
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connect_ingest import config
from connect_ingest.deadletter import DeadLetter, DeadLetters
from connect_ingest.published_metrics import SOURCES
from connect_ingest.sinks import Sink
from connect_ingest.telemetry import Tally, logger, metrics, report
from connect_ingest.transform import Record, TransformError, agent_event_records

SOURCE = SOURCES["agent_events"]


@dataclass(frozen=True)
class Item:
    """One Kinesis record of the batch and what its transform produced (records, or why there are none)."""

    sequence_number: str
    data: str
    reference: Mapping[str, str]
    records: Sequence[Record] = ()
    problem: str | None = None


def parse(raw: object, version: int) -> Item:
    """Decode, parse and transform one Kinesis record; any failure becomes the item's problem, never an exception.

    A record without a sequence number cannot be named in batchItemFailures, so it is dead-lettered whole.
    """
    kinesis = raw.get("kinesis") if isinstance(raw, Mapping) else None
    kinesis = kinesis if isinstance(kinesis, Mapping) else {}
    number = kinesis.get("sequenceNumber")
    sequence_number = number if isinstance(number, str) else ""
    data = kinesis.get("data")
    event_id = raw.get("eventID", "") if isinstance(raw, Mapping) else ""
    reference = {"sequence_number": sequence_number, "event_id": str(event_id)}
    data_text = data if isinstance(data, str) else ""
    if not sequence_number:
        problem = "kinesis.sequenceNumber: missing (not a Kinesis stream record)"
        return Item(sequence_number, data_text or json.dumps(raw, default=str), reference, problem=problem)
    try:
        if not isinstance(data, str):
            raise TransformError("kinesis.data: missing")
        event = json.loads(base64.b64decode(data, validate=True))
        return Item(sequence_number, data_text, reference, records=agent_event_records(event, version))
    except binascii.Error:
        problem = "kinesis.data: not valid base64"
    except UnicodeDecodeError:
        problem = "kinesis.data: not UTF-8 text"
    except json.JSONDecodeError as exc:
        problem = f"kinesis.data: not JSON ({exc.msg} at position {exc.pos})"
    except TransformError as exc:
        problem = str(exc)
    except RecursionError:
        problem = "kinesis.data: JSON nested too deeply"
    except Exception as exc:  # a transform bug must not stall the shard: dead-letter it, named and counted
        logger.exception("unexpected transform failure", extra={"sequence_number": sequence_number})
        problem = f"unexpected {type(exc).__name__} in the agent-event transform"
    return Item(sequence_number, data_text, reference, problem=problem)


def process(
    event: Mapping[str, Any], sink: Sink, dead_letters: DeadLetters, version: int
) -> tuple[dict[str, Any], Tally]:
    """The batch's response for Lambda and its tally; raises only on a malformed Lambda event."""
    raw_records = event.get("Records")
    if not isinstance(raw_records, list):
        raise ValueError("event has no Records list: this handler takes Kinesis stream events")
    items = [parse(raw, version) for raw in raw_records]
    tally = Tally(inputs=len(items))

    records: list[Record] = []
    owners: list[int] = []
    for index, item in enumerate(items):
        records.extend(item.records)
        owners.extend([index] * len(item.records))
    result = sink.write(records) if records else None

    cut = len(items)  # first item to retry; it and everything after it go back to the shard
    why_retried = ""
    rejected: dict[int, str] = {}
    if result is not None:
        tally.records_rejected = len(result.rejected)
        tally.records_written = len(records) - len(result.rejected) - len(result.unwritten)
        for record_index, reason in result.rejected.items():
            rejected.setdefault(owners[record_index], reason)
        cut = min((owners[i] for i in result.unwritten), default=cut)
        why_retried = result.outage

    letters: list[DeadLetter] = []
    letter_items: list[int] = []
    for index, item in enumerate(items[:cut]):
        problem = item.problem or rejected.get(index)
        if problem is not None:
            letters.append(DeadLetter(SOURCE, problem, item.data, item.reference))
            letter_items.append(index)
    sent = dead_letters.send(letters) if letters else 0
    if sent < len(letters):
        cut = letter_items[sent]
        why_retried = "the dead-letter queue is unavailable"

    for index, item in enumerate(items[:cut]):
        if item.problem or index in rejected:
            tally.dead_lettered += 1
            tally.reasons[item.problem or rejected[index]] += 1
        else:
            tally.written += 1
    tally.retried = len(items) - cut
    if tally.retried:
        tally.reasons[f"retrying: {why_retried}"] += tally.retried
    if cut < len(items) and not items[cut].sequence_number:
        # Lambda resumes the shard at the lowest identifier returned; this item has none to return.
        raise RuntimeError(
            "the dead-letter queue is unavailable for a record without a sequence number; retrying the batch"
        )
    failures = [{"itemIdentifier": item.sequence_number} for item in items[cut:] if item.sequence_number]
    return {"batchItemFailures": failures}, tally


@metrics.log_metrics
def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    # Version = processing time: a re-delivered or corrected event always outranks what is stored.
    response, tally = process(event, config.sink(), config.dead_letters(), version=time.time_ns() // 1_000_000)
    report(SOURCE, tally)
    return response
