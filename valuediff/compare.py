"""One panel's rows in two revisions, compared as a reviewer reads them, every value as each revision's panel
shows it (its unit and decimals, core.valueformat through localquery.display).

A frame (one query's rows) is read by its shape: a single row of numbers is a set of values ("81.2% -> 78.9%");
rows with a time column are series, summed up per series (points, last, min, max, points that changed); other rows
are a table, matched by their text columns (by position when those do not tell rows apart).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from localquery.display import ColumnFormat, cell_text, column_formats, plain
from localquery.run import Result
from valuediff.panels import PanelValues

ROW_KEY = "row"  # the key column's name when rows are matched by position


@dataclass(frozen=True)
class Cell:
    """A value as the panel shows it, and its raw form, to tell a change the display rounds away."""

    text: str
    raw: Any


@dataclass(frozen=True)
class ValueChange:
    label: str
    old: Cell | None  # None: no such value before (a new column or row)
    new: Cell | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class Summary:
    """A series as a reviewer compares it at a glance."""

    points: int
    last: str
    low: str
    high: str


@dataclass(frozen=True)
class SeriesChange:
    name: str
    old: Summary | None
    new: Summary | None
    changed_points: int  # times whose value differs, a point present on one side only included


@dataclass(frozen=True)
class RowChange:
    kind: str  # added | removed | changed
    key: tuple[str, ...]
    cells: tuple[ValueChange, ...]  # a changed row's changed cells; an added or removed row's every value


@dataclass(frozen=True)
class FrameDiff:
    file: str
    keys: tuple[str, ...] = ()  # the columns rows and series are told apart by
    values: tuple[ValueChange, ...] = ()  # a single row's values, unchanged ones too
    series: tuple[SeriesChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    notes: tuple[str, ...] = ()  # columns added or removed, a column's unit or decimals changed

    @property
    def changed(self) -> bool:
        return bool(self.series or self.rows or self.notes or any(v.changed for v in self.values))


@dataclass(frozen=True)
class PanelDiff:
    key: str
    title: str
    status: str  # added | removed | changed (its definition) | values (same definition: a variable or source moved)
    frames: tuple[FrameDiff, ...] = ()
    problems: tuple[str | None, str | None] = (None, None)  # why a revision has no rows (before, after)
    note: str = ""  # how the values were computed, when not as Grafana would (a real-time twin)

    @property
    def changed(self) -> bool:
        return self.problems[0] != self.problems[1] or any(f.changed for f in self.frames)


def compare_panel(old: PanelValues | None, new: PanelValues | None, definition_changed: bool) -> PanelDiff:
    some = new if new is not None else old
    assert some is not None, "compare_panel needs a panel on one side at least"
    status = "added" if old is None else "removed" if new is None else "changed" if definition_changed else "values"
    problems = (old.problem if old else None, new.problem if new else None)
    frames: list[FrameDiff] = []
    if not any(problems):
        old_results = old.results if old else ()
        new_results = new.results if new else ()
        for a, b in zip_longest(old_results, new_results):
            frames.append(
                compare_frame(a, old.panel if old else None, b, new.panel if new else None, f"panel {some.key!r}")
            )
    return PanelDiff(some.key, some.title, status, tuple(frames), problems)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _formats(panel: Mapping[str, Any] | None, result: Result | None, where: str) -> dict[str, ColumnFormat]:
    if panel is None or result is None:
        return {}
    return column_formats(panel, result.columns, where)


def _describe(fmt: ColumnFormat | None) -> str:
    if fmt is None:
        return "no unit"
    decimals = "automatic decimals" if fmt.decimals is None else f"{fmt.decimals} decimals"
    return f"unit {fmt.unit or 'none'}, {decimals}"


class _Side:
    """One revision's frame: rows as column -> value, and each value as its panel shows it."""

    def __init__(self, result: Result | None, formats: Mapping[str, ColumnFormat]) -> None:
        self.columns = result.columns if result else ()
        self.rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows] if result else []
        self.formats = formats

    def cell(self, row: Mapping[str, Any], column: str) -> Cell | None:
        if column not in row:
            return None
        value = row[column]
        return Cell(cell_text(value, self.formats.get(column)), plain(value))


def compare_frame(
    old: Result | None,
    old_panel: Mapping[str, Any] | None,
    new: Result | None,
    new_panel: Mapping[str, Any] | None,
    where: str,
) -> FrameDiff:
    """Two revisions' rows of one query (either may be absent: a query or panel added or removed)."""
    old, new = _explode(old), _explode(new)
    a = _Side(old, _formats(old_panel, old, f"{where} before"))
    b = _Side(new, _formats(new_panel, new, f"{where} after"))
    columns = list(dict.fromkeys([*b.columns, *a.columns]))
    rows = [*a.rows, *b.rows]
    keys = [c for c in columns if c == "time" or _is_key(c, rows)]
    measures = [c for c in columns if c not in keys]
    notes = _notes(a, b, old is not None and new is not None)
    some = new or old
    file = some.file if some else ""
    if not keys and len(a.rows) <= 1 and len(b.rows) <= 1:
        one_a, one_b = (a.rows or [{}])[0], (b.rows or [{}])[0]
        values = tuple(ValueChange(c, a.cell(one_a, c), b.cell(one_b, c)) for c in measures)
        return FrameDiff(file, (), values, notes=notes)
    times = [c for c in keys if c == "time" or any(isinstance(r.get(c), date) for r in rows)]
    if times:
        return FrameDiff(file, tuple(keys), series=_series(a, b, keys, times[0], measures), notes=notes)
    return FrameDiff(file, *_table(a, b, keys, measures), notes=notes)


def _points(value: Any) -> bool:
    """A Timestream time series (CREATE_TIME_SERIES): a list of {time, value}, one series per row."""
    return isinstance(value, list) and all(isinstance(p, dict) and p.keys() == {"time", "value"} for p in value)


def _explode(result: Result | None) -> Result | None:
    """A frame of Timestream time-series columns as the long frame Grafana draws from it: one row per row and
    time, its other columns the series' labels."""
    if result is None or not result.rows:
        return result
    series = [i for i, c in enumerate(result.columns) if all(_points(row[i]) for row in result.rows)]
    series = [i for i in series if any(row[i] for row in result.rows)]
    if not series or "time" in result.columns:
        return result
    labels = [i for i in range(len(result.columns)) if i not in series]
    rows: list[tuple[Any, ...]] = []
    for row in result.rows:
        by_time: dict[Any, dict[int, Any]] = {}
        for i in series:
            for point in row[i]:
                by_time.setdefault(point["time"], {})[i] = point["value"]
        for moment, values in sorted(by_time.items()):
            rows.append((*(row[i] for i in labels), moment, *(values.get(i) for i in series)))
    columns = (*(result.columns[i] for i in labels), "time", *(result.columns[i] for i in series))
    return Result(result.panel, result.file, columns, rows)


def _is_key(column: str, rows: Sequence[Mapping[str, Any]]) -> bool:
    """A column of text (or times, or flags) tells rows apart; a column with a number, or only nulls, is a value."""
    present = [r[column] for r in rows if r.get(column) is not None]
    return bool(present) and not any(_number(v) for v in present)


def _notes(a: _Side, b: _Side, both: bool) -> tuple[str, ...]:
    if not both:
        return ()
    notes = [f"column {c!r} added" for c in b.columns if c not in a.columns]
    notes += [f"column {c!r} removed" for c in a.columns if c not in b.columns]
    for column in b.columns:
        if column in a.columns and a.formats.get(column) != b.formats.get(column):
            notes.append(f"column {column!r}: {_describe(a.formats.get(column))} -> {_describe(b.formats.get(column))}")
    return tuple(notes)


def _key_text(side: _Side, row: Mapping[str, Any], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(cell.text if (cell := side.cell(row, k)) is not None else "" for k in keys)


def _table(
    a: _Side, b: _Side, keys: Sequence[str], measures: Sequence[str]
) -> tuple[tuple[str, ...], tuple[ValueChange, ...], tuple[SeriesChange, ...], tuple[RowChange, ...]]:
    """Rows matched by their key columns, or by position when there are none or they repeat."""

    def keyed(side: _Side) -> dict[tuple[str, ...], dict[str, Any]]:
        return {_key_text(side, row, keys): row for row in side.rows}

    by_a, by_b = keyed(a), keyed(b)
    if not keys or len(by_a) < len(a.rows) or len(by_b) < len(b.rows):
        keys = [ROW_KEY]
        by_a = {(str(i + 1),): row for i, row in enumerate(a.rows)}
        by_b = {(str(i + 1),): row for i, row in enumerate(b.rows)}
    changes: list[RowChange] = []
    for key in [*by_b, *(k for k in by_a if k not in by_b)]:
        row_a, row_b = by_a.get(key), by_b.get(key)
        if row_a is None or row_b is None:
            side, row = (b, row_b) if row_a is None else (a, row_a)
            assert row is not None
            cells = tuple(
                ValueChange(c, None, side.cell(row, c)) if row_a is None else ValueChange(c, side.cell(row, c), None)
                for c in measures
                if c in row
            )
            changes.append(RowChange("added" if row_a is None else "removed", key, cells))
            continue
        moved = tuple(
            change for c in measures if (change := ValueChange(c, a.cell(row_a, c), b.cell(row_b, c))).changed
        )
        if moved:
            changes.append(RowChange("changed", key, moved))
    return tuple(keys), (), (), tuple(changes)


def _series(a: _Side, b: _Side, keys: Sequence[str], time: str, measures: Sequence[str]) -> tuple[SeriesChange, ...]:
    """One series per value column and combination of the other key columns (a long frame's labels)."""
    labels = [k for k in keys if k != time]

    def split(side: _Side) -> dict[str, dict[str, tuple[Any, Cell]]]:
        found: dict[str, dict[str, tuple[Any, Cell]]] = {}
        for row in side.rows:
            label = list(_key_text(side, row, labels))
            moment = side.cell(row, time)
            for column in measures:
                cell = side.cell(row, column)
                if cell is None or moment is None:
                    continue
                name = " ".join([*label, column] if len(measures) > 1 or not label else label)
                found.setdefault(name, {})[moment.text] = (row[column], cell)
        return found

    def summary(points: Mapping[str, tuple[Any, Cell]]) -> Summary:
        present = [(t, raw, cell) for t, (raw, cell) in sorted(points.items()) if _number(raw)]
        if not present:
            return Summary(0, "", "", "")
        low = min(present, key=lambda p: float(p[1]))[2].text
        high = max(present, key=lambda p: float(p[1]))[2].text
        return Summary(len(present), present[-1][2].text, low, high)

    in_a, in_b = split(a), split(b)
    changes = []
    for name in [*in_b, *(n for n in in_a if n not in in_b)]:
        points_a, points_b = in_a.get(name, {}), in_b.get(name, {})
        moved = sum(
            1
            for t in points_a.keys() | points_b.keys()
            if (points_a[t][1] if t in points_a else None) != (points_b[t][1] if t in points_b else None)
        )
        if moved:
            changes.append(
                SeriesChange(
                    name,
                    summary(points_a) if name in in_a else None,
                    summary(points_b) if name in in_b else None,
                    moved,
                )
            )
    return tuple(changes)
