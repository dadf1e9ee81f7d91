"""A datasource's answer as server-side expressions (SSE) see it: labelled numbers, labelled series, or no data.

Followed: grafana/grafana pkg/expr/converter.go (``ResultConverter.Convert``, ``isNumberTable``,
``extractNumberSet``, ``WideToMany``) and pkg/services/ngalert/eval/eval.go (``IsNoData``):

- no frame, or one frame without fields, is no data (the datasource said nothing);
- one frame without a time column whose only non-text column is one number column is a *number set*: one number
  per row, labelled by the row's text columns (``queue = Sales``), what a SQL query grouped by queue returns;
- a frame with a time column is a time series: each number column one series, labelled by the row's text
  columns (a long frame is first split by those, as the SQL plugins' long-to-wide conversion does);
- a frame without a time column and not exactly one number column cannot be read: an error naming the query.

Columns are typed as the engine declared them (``Frame.kinds``), or else by their Python values: ``datetime`` is a
time, ``str`` text, ``int``/``float``/``Decimal`` a number, ``bool`` neither, and a column whose values are all
null a number (what an aggregate over no rows gives); an undeclared table without rows is an empty answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

Labels = tuple[tuple[str, str], ...]  # sorted (name, value) pairs: hashable, printed in one order


def labels_of(mapping: dict[str, str]) -> Labels:
    return tuple(sorted(mapping.items()))


def show_labels(labels: Labels) -> str:
    """``{queue=Sales, channel=VOICE}`` as Grafana prints a label set; ``{}`` for none."""
    return "{" + ", ".join(f"{k}={v}" for k, v in labels) + "}"


def contains(big: Labels, small: Labels) -> bool:
    """Whether every label of ``small`` is in ``big`` (data.Labels.Contains)."""
    return set(small) <= set(big)


@dataclass(frozen=True)
class Number:
    """One labelled value; None is Grafana's null (no value), NaN stays NaN."""

    labels: Labels
    value: float | None


@dataclass(frozen=True)
class Series:
    """One labelled time series: (epoch ms, value or None) in time order."""

    labels: Labels
    points: tuple[tuple[int, float | None], ...]


@dataclass(frozen=True)
class NoData:
    """A node's answer with nothing in it; expressions pass it on."""


Value = Number | Series | NoData


@dataclass(frozen=True)
class Frame:
    """One result table: column names and rows of Python values, as a query engine returned them."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    kinds: tuple[str, ...] = ()  # per column "time", "number", "text" or "other" when the engine declared them

    def column_kinds(self) -> list[str]:
        """Declared kinds, else read from the values (an empty table without declared kinds: all numbers)."""
        if self.kinds:
            return list(self.kinds)
        return [_kind([row[i] for row in self.rows]) for i in range(len(self.columns))]


class ConversionError(ValueError):
    """A datasource answer SSE cannot turn into numbers or series; the message says why."""


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "number"
    first = present[0]
    if isinstance(first, datetime):
        return "time"
    if isinstance(first, str):
        return "text"
    if isinstance(first, bool):
        return "other"
    if isinstance(first, int | float | Decimal):
        return "number"
    return "other"


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _epoch_ms(value: datetime) -> int:
    """A naive time is UTC (the local engines return UTC times without a zone)."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def is_no_data(frames: Sequence[Frame]) -> bool:
    """eval.IsNoData: no frames at all, or a single frame with no fields."""
    return not frames or (len(frames) == 1 and not frames[0].columns)


def convert(frames: Sequence[Frame], ref_id: str) -> tuple[Value, ...]:
    """The values SSE makes of one query's frames; raises ConversionError for a shape it refuses."""
    if is_no_data(frames):
        return (NoData(),)
    if len(frames) == 1:
        frame = frames[0]
        if not frame.rows and not frame.kinds:
            return ()  # nothing to type the columns by: an empty answer, whatever its shape
        kinds = frame.column_kinds()
        if "time" not in kinds and kinds.count("number") == 1 and "other" not in kinds:
            return _number_set(frame, kinds)
    values: list[Value] = []
    for frame in frames:
        kinds = frame.column_kinds()
        if "time" not in kinds:
            numbers = kinds.count("number")
            raise ConversionError(
                f"query {ref_id} returns a table of {numbers} number column(s) and no time column: a rule's query "
                "must return one number per row (text columns become labels) or a time series; return exactly one "
                f"number column (it has {', '.join(frame.columns) or 'none'})"
            )
        values.extend(_series(frame, kinds))
    return tuple(values)


def _number_set(frame: Frame, kinds: Sequence[str]) -> tuple[Value, ...]:
    number = kinds.index("number")
    texts = [i for i, kind in enumerate(kinds) if kind == "text"]
    return tuple(
        Number(labels_of({frame.columns[i]: row[i] or "" for i in texts}), _number(row[number])) for row in frame.rows
    )


def _series(frame: Frame, kinds: Sequence[str]) -> list[Value]:
    """Each number column one series per combination of the text columns, on the frame's one time index (long to
    wide as the SDK's data.LongToWide does: a series without a row at one of the frame's times has a null there)."""
    time = kinds.index("time")
    texts = [i for i, kind in enumerate(kinds) if kind == "text"]
    numbers = [i for i, kind in enumerate(kinds) if kind == "number"]
    groups: dict[Labels, dict[int, tuple[Any, ...]]] = {}
    for row in frame.rows:
        if row[time] is not None:
            labels = labels_of({frame.columns[i]: row[i] or "" for i in texts})
            groups.setdefault(labels, {})[_epoch_ms(row[time])] = row
    if not groups and not texts:
        groups[()] = {}
    moments = sorted({moment for rows in groups.values() for moment in rows})
    out: list[Value] = []
    for labels, rows in groups.items():
        # Several number columns give several series with the same labels (WideToMany keeps the field's labels,
        # and SQL fields have none): a condition over them is then a duplicate-labels error, as in Grafana.
        out.extend(
            Series(labels, tuple((m, _number(rows[m][i]) if m in rows else None) for m in moments)) for i in numbers
        )
    return out
