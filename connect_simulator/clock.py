"""Epoch milliseconds to the timestamp spellings Connect uses, fast enough for millions of calls.

Agent and contact events carry milliseconds (``2026-01-31T22:00:00.123Z``); contact records carry whole
seconds (``2026-01-31T22:00:00Z``), truncated. Durations in contact records are differences of those
truncated seconds, so ``Queue.Duration == DequeueTimestamp - EnqueueTimestamp`` holds exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_MS = 86_400_000
_days: dict[int, str] = {}
_recent: dict[int, str] = {}  # the same instant is spelled many times (state starts, queue times)
_recent_s: dict[int, str] = {}


def _day(day: int) -> str:
    text = _days.get(day)
    if text is None:
        text = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        _days[day] = text
    return text


def iso_ms(ms: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ``, as in agent events and EventBridge details."""
    text = _recent.get(ms)
    if text is not None:
        return text
    if len(_recent) > 100_000:
        _recent.clear()
    day, rest = divmod(ms, _DAY_MS)
    secs, milli = divmod(rest, 1000)
    hours, secs = divmod(secs, 3600)
    minutes, secs = divmod(secs, 60)
    text = f"{_day(day)}T{hours:02d}:{minutes:02d}:{secs:02d}.{milli:03d}Z"
    _recent[ms] = text
    return text


def iso_s(ms: int) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (truncated), as in contact records and the EventBridge envelope."""
    whole = ms // 1000
    text = _recent_s.get(whole)
    if text is not None:
        return text
    if len(_recent_s) > 100_000:
        _recent_s.clear()
    day, rest = divmod(whole, 86_400)
    hours, secs = divmod(rest, 3600)
    minutes, secs = divmod(secs, 60)
    text = f"{_day(day)}T{hours:02d}:{minutes:02d}:{secs:02d}Z"
    _recent_s[whole] = text
    return text


def date_of(ms: int) -> str:
    """The UTC date, the contact records' partition value."""
    return _day(ms // _DAY_MS)


def secs(ms: int) -> int:
    """Whole seconds as a contact record shows the instant."""
    return ms // 1000


def span_s(start_ms: int, end_ms: int) -> int:
    """A contact-record duration: the difference of the two truncated timestamps."""
    return end_ms // 1000 - start_ms // 1000
