"""A dashboard's time range as Grafana hands it to a datasource: epoch milliseconds and an interval."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# Grafana's panel relative time for "the day so far" (its quick range "Today so far": now/d to now): the panel's
# range starts at the last midnight in the dashboard's time zone, daylight-saving changes included.
TODAY = "now/d"


@dataclass(frozen=True)
class TimeRange:
    from_ms: int
    to_ms: int
    interval_ms: int

    def start(self) -> datetime:
        return datetime.fromtimestamp(self.from_ms / 1000, tz=UTC)

    def end(self) -> datetime:
        return datetime.fromtimestamp(self.to_ms / 1000, tz=UTC)


def panel_range(tr: TimeRange, relative: str | None, timezone: str) -> TimeRange:
    """The range a panel with Grafana's relative time ``relative`` (``timeFrom``) queries, as Grafana computes it
    from the dashboard's range ``tr`` (whose end is now) in the dashboard's IANA ``timezone``."""
    if relative is None:
        return tr
    if relative != TODAY:
        raise ValueError(f"panel relative time {relative!r}: only {TODAY!r} (today so far) is modelled")
    local = tr.end().astimezone(ZoneInfo(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    # A midnight that daylight saving skips (fold 0 reads it at the offset before the change) is the day's first
    # instant, as moment's startOf('day') in Grafana takes it.
    return replace(tr, from_ms=round(midnight.timestamp() * 1000))


# The fixed range every check expands macros with (UTC).
SAMPLE_RANGE = TimeRange(from_ms=1_714_521_600_000, to_ms=1_714_651_200_000, interval_ms=60_000)
