"""The record every transform produces and every sink writes, and the value helpers they share.

Pure standard library: the local query engine imports this without boto3 or Powertools.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from connect_ingest import datamodel

Value = str | int | float | bool
V = TypeVar("V", bound=Value)  # present() keeps dimensions str and measures Value
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Connect's "not set" placeholder (1970-01-01T00:00:00.001Z) and anything at or before it.
_UNSET_MS = 1


class TransformError(ValueError):
    """The input can never become a record (missing or mistyped field); the message names the field, never its value."""


@dataclass(frozen=True)
class Record:
    """One multi-measure record of a declared table, timed by the event itself.

    ``measures`` hold Python values typed per the data model; TIMESTAMP measures are epoch milliseconds
    (ints) so that sinks need no datetime arithmetic. Absent values are left out, never written empty.

    A store keys a point by table, dimensions and time, so two events that share those would overwrite each
    other. ``offset_ns`` (0 to 999,999 ns after ``time_ms``, from the event id) keeps two events of one agent
    in the same millisecond apart; ``event_id`` says which input event the record stands for, so that a sink
    can tell a re-delivery or update of one event (same id) from two events that collide (different ids).
    """

    table: str
    time_ms: int
    version: int
    dimensions: Mapping[str, str]
    measures: Mapping[str, Value]
    offset_ns: int = 0
    event_id: str = ""

    @property
    def time_ns(self) -> int:
        return self.time_ms * 1_000_000 + self.offset_ns

    def key(self) -> tuple[object, ...]:
        """What the store identifies a point by (measure_name is one per table)."""
        return (self.table, self.time_ns, *sorted(self.dimensions.items()))

    def row(self) -> dict[str, object]:
        """The row as a Timestream query sees it: every declared column, None where the record has no value."""
        table = datamodel.timestream_table(self.table)
        row: dict[str, object] = {d: self.dimensions.get(d) for d in table.dimensions}
        for measure in table.measures:
            value = self.measures.get(measure.name)
            row[measure.name] = ms_to_datetime(value) if measure.type == "TIMESTAMP" and value is not None else value
        row["measure_name"] = table.measure_name
        row["time"] = ms_to_datetime(self.time_ms) + timedelta(microseconds=self.offset_ns // 1000)
        return row


def sub_ms_offset(event_id: str) -> int:
    """A stable nanosecond offset inside the millisecond, 0..999,999, from the event id (never the clock)."""
    digest = hashlib.blake2b(event_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 1_000_000


def ms_to_datetime(ms: object) -> datetime:
    if not isinstance(ms, int) or isinstance(ms, bool):
        raise TypeError(f"expected epoch milliseconds as int, got {type(ms).__name__}")
    return EPOCH + timedelta(milliseconds=ms)


def iso_ms(value: object, field: str) -> int | None:
    """ISO-8601 text -> epoch ms; None for null, empty or Connect's 1970 placeholder."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TransformError(f"{field}: expected an ISO-8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise TransformError(f"{field}: not an ISO-8601 timestamp") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    ms = round(parsed.timestamp() * 1000)
    return None if ms <= _UNSET_MS else ms


def text(value: object, field: str) -> str | None:
    """A string field; None when null or empty. Other types are an error, not silently stringified."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TransformError(f"{field}: expected a string, got {type(value).__name__}")
    return value


def count(value: object, field: str) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != value
        or value in (float("inf"), float("-inf"))
    ):
        raise TransformError(f"{field}: expected a number, got {type(value).__name__}")
    if isinstance(value, float) and not value.is_integer():
        raise TransformError(f"{field}: expected a whole number")
    return int(value)


def mapping(value: object, field: str) -> Mapping[str, object]:
    """A nested object; null counts as empty because Connect sends null for absent groups."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TransformError(f"{field}: expected an object, got {type(value).__name__}")
    return value


def sequence(value: object, field: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TransformError(f"{field}: expected a list, got {type(value).__name__}")
    return value


def arn_id(arn: str | None, kind: str) -> str | None:
    """The id after ``/<kind>/`` in an ARN (``instance/<id>``, ``queue/<id>``); the last segment otherwise."""
    if not arn:
        return None
    marker = f"{kind}/"
    start = arn.find(marker)
    if start >= 0 and (start == 0 or arn[start - 1] in ":/"):
        rest = arn[start + len(marker) :]
        if rest.startswith("agent/"):
            return rest  # an agent's own queue: queue/agent/<agent id>
        return rest.split("/", 1)[0] or None
    return arn.rsplit("/", 1)[-1] or None


def present(pairs: Mapping[str, V | None]) -> dict[str, V]:
    """Drop unknown values: Timestream rejects empty strings and the model says omit, never blank."""
    return {k: v for k, v in pairs.items() if v is not None and v != ""}
