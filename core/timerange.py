"""A dashboard's time range as Grafana hands it to a datasource: epoch milliseconds and an interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class TimeRange:
    from_ms: int
    to_ms: int
    interval_ms: int

    def start(self) -> datetime:
        return datetime.fromtimestamp(self.from_ms / 1000, tz=UTC)

    def end(self) -> datetime:
        return datetime.fromtimestamp(self.to_ms / 1000, tz=UTC)


# The fixed range every check expands macros with (UTC).
SAMPLE_RANGE = TimeRange(from_ms=1_714_521_600_000, to_ms=1_714_651_200_000, interval_ms=60_000)
