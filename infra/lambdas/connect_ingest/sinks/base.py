"""The one interface every writer implements, and the retry policy they share."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from connect_ingest.transform import Record


@dataclass(frozen=True)
class WriteResult:
    """What happened to each record passed to ``Sink.write``, by index into that sequence.

    Every index is in exactly one place: written (neither map), ``rejected`` (will never succeed: dead-letter
    it, with the reason) or ``unwritten`` (the store was unavailable or throttling after retries: retry later).
    ``outage`` says why there are unwritten records (an error code or HTTP status and what to check, never a
    value), so that a wrong setting is told apart from an outage in the logs.
    """

    rejected: dict[int, str] = field(default_factory=dict)
    unwritten: frozenset[int] = frozenset()
    outage: str = ""


COLLISION = "another event of this batch has the same table, dimensions and time, so one would overwrite the other"


@dataclass(frozen=True)
class Deduplicated:
    """The records of one ``Sink.write`` call with one record per store key.

    ``send`` are the indexes to write; ``stands_for`` maps each index not sent to the later record of the same
    event that replaced it (its outcome is that record's); ``rejected`` are records of another event that
    share a key with one being sent.
    """

    send: list[int]
    stands_for: dict[int, int]
    rejected: dict[int, str]

    def result(self, rejected: dict[int, str], unwritten: set[int], outage: str) -> WriteResult:
        """The outcome of every input index, given the outcome of the indexes sent."""
        rejected = {**rejected, **self.rejected}
        for index, successor in self.stands_for.items():
            if successor in rejected:
                rejected[index] = rejected[successor]
            elif successor in unwritten:
                unwritten.add(index)
        return WriteResult(rejected=rejected, unwritten=frozenset(unwritten), outage=outage if unwritten else "")


def deduplicate(records: Sequence[Record]) -> Deduplicated:
    """A store keeps one point per key, so sending two would silently keep only one of them.

    A later record of the same event (same ``event_id``: a re-delivery or an update within the batch)
    replaces the earlier one; a record of a different event is refused, to be dead-lettered with the reason.
    """
    kept: dict[tuple[object, ...], int] = {}
    replaced: dict[int, int] = {}
    rejected: dict[int, str] = {}
    for index, record in enumerate(records):
        key = record.key()
        earlier = kept.get(key)
        if earlier is None:
            kept[key] = index
        elif records[earlier].event_id == record.event_id:
            replaced[earlier] = kept[key] = index
        else:
            rejected[index] = COLLISION
    stands_for: dict[int, int] = {}
    for index, successor in replaced.items():
        while successor in replaced:
            successor = replaced[successor]
        stands_for[index] = successor
    return Deduplicated(sorted(kept.values()), stands_for, rejected)


class Sink(Protocol):
    def write(self, records: Sequence[Record]) -> WriteResult:
        """Write what can be written; classify the rest. Raises only on programming or configuration errors."""
        ...


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with full jitter; ``sleep`` is injectable so tests run instantly."""

    attempts: int = 5
    base_seconds: float = 0.1
    cap_seconds: float = 5.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int) -> None:
        self.sleep(random.uniform(0, min(self.cap_seconds, self.base_seconds * 2**attempt)))


def chunks(items: Sequence[int], size: int) -> list[Sequence[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
