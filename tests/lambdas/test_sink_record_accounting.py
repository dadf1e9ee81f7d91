"""Per record: what the Timestream sink says happened to each input equals what a reader of the rules expects.

A batch may hold several records of one store key: a later record of the same event replaces the earlier one
(both take the fate of the one sent), a record of another event collides and is refused. The expected fate of
each input is worked out here from those rules and from what the fake Timestream did with each request, with
nothing taken from the sink's own bookkeeping, so a record counted as written when its successor was not (or
the reverse) fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from connect_ingest.sinks.base import COLLISION, Backoff
from connect_ingest.sinks.timestream import TimestreamSink
from connect_ingest.transform import Record
from hypothesis import given, settings
from hypothesis import strategies as st

# What the fake Timestream does with a record, by its `fate` in the event type: write it, reject it (a
# RejectedRecordsException entry without ExistingVersion), or throttle every request that carries it.
FATES = ("ok", "reject", "down")
TABLE_MEASURE = {"agent_state": "event_type", "contact_event": "initial_contact_id"}


def record(table: str, time_ms: int, agent: str, event: str, fate: str) -> Record:
    measure = TABLE_MEASURE[table]
    return Record(table, time_ms, 1, {"instance_id": "i", "agent_id": agent}, {measure: fate}, event_id=event)


def fate_of(row: dict[str, Any]) -> str:
    return str(row["MeasureValues"][0]["Value"])


@dataclass
class FakeTimestream:
    """Answers each WriteRecords as the fates of its records say; remembers which records were stored."""

    stored: list[tuple[str, str]] = field(default_factory=list)  # (table, fate) per stored row

    def write_records(self, **request: Any) -> None:
        rows = request["Records"]
        fates = [fate_of(row) for row in rows]
        if "down" in fates:
            raise ClientError({"Error": {"Code": "ThrottlingException"}}, "WriteRecords")
        rejected = [i for i, fate in enumerate(fates) if fate == "reject"]
        self.stored.extend((request["TableName"], fate) for fate in fates if fate == "ok")
        if rejected:
            entries = [{"RecordIndex": i, "Reason": "bad"} for i in rejected]
            raise ClientError(
                {"Error": {"Code": "RejectedRecordsException"}, "RejectedRecords": entries}, "WriteRecords"
            )


def expected_fates(records: Sequence[Record]) -> list[str]:
    """written / rejected / collision / unwritten for every input, from the rules in the module docstring.

    The sink sends one record per key (the last of the key's first event), table by table in the order the
    sent records first appear; once a request is throttled, nothing after it is attempted.
    """
    owner: dict[tuple[object, ...], str] = {}
    last_of_owner: dict[tuple[object, ...], int] = {}
    for index, r in enumerate(records):
        owner.setdefault(r.key(), r.event_id)
        if r.event_id == owner[r.key()]:
            last_of_owner[r.key()] = index
    sent = sorted(last_of_owner.values())
    tables = list(dict.fromkeys(records[i].table for i in sent))
    outcome: dict[int, str] = {}
    outage = False
    for table in tables:
        request = [i for i in sent if records[i].table == table]
        fates = [str(next(iter(records[i].measures.values()))) for i in request]
        outage = outage or "down" in fates
        for i, fate in zip(request, fates, strict=True):
            outcome[i] = "unwritten" if outage else "written" if fate == "ok" else "rejected"
    return [outcome[last_of_owner[r.key()]] if r.event_id == owner[r.key()] else "collision" for r in records]


inputs = st.lists(
    st.builds(
        record,
        table=st.sampled_from(sorted(TABLE_MEASURE)),
        time_ms=st.integers(1_000, 1_003),
        agent=st.sampled_from(["a1", "a2"]),
        event=st.sampled_from(["e1", "e2", "e3"]),
        fate=st.sampled_from(FATES),
    ),
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(records=inputs)
def test_every_input_record_gets_the_fate_its_key_and_its_successor_had(records: list[Record]) -> None:
    client = FakeTimestream()
    sink = TimestreamSink(client, "db", backoff=Backoff(attempts=1, sleep=lambda _: None))

    result = sink.write(records)

    got = [
        "collision"
        if result.rejected.get(i) == COLLISION
        else "rejected"
        if i in result.rejected
        else "unwritten"
        if i in result.unwritten
        else "written"
        for i in range(len(records))
    ]
    assert got == expected_fates(records)
    assert not (set(result.rejected) & result.unwritten), "an input both refused and to be retried"
    assert bool(result.outage) == bool(result.unwritten)
    assert len(client.stored) == len({records[i].key() for i, fate in enumerate(got) if fate == "written"})


def test_a_replaced_record_whose_successor_was_throttled_is_retried_not_counted_written() -> None:
    """contact_event is throttled; agent_state's second record replaces its first and is throttled after it."""
    records = [
        record("contact_event", 1_000, "a1", "c1", "down"),
        record("agent_state", 1_000, "a1", "e1", "ok"),
        record("agent_state", 1_000, "a1", "e1", "ok"),
    ]
    result = TimestreamSink(FakeTimestream(), "db", backoff=Backoff(attempts=1, sleep=lambda _: None)).write(records)
    assert result.unwritten == frozenset({0, 1, 2}) and result.rejected == {}
