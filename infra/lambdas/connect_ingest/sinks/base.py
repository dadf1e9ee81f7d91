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
    """

    rejected: dict[int, str] = field(default_factory=dict)
    unwritten: frozenset[int] = frozenset()


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
