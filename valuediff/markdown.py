"""The values section of a pull-request comment: per changed dashboard, each changed panel's values before and
after. All text from definitions, queries and data is escaped, so a title or a value cannot break the Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from valuediff.compare import Cell, FrameDiff, PanelDiff, RowChange, SeriesChange, Summary, ValueChange

MAX_ROWS = 25  # rows and series listed per frame; the rest are counted
_SPECIAL = "\\`*_[]<>|#~!"
_STATUS = {
    "added": "added",
    "removed": "removed",
    "changed": "definition changed",
    "values": "same definition, values moved",
}
ABSENT = "-"


@dataclass(frozen=True)
class BoardValues:
    uid: str
    title: str
    panels: tuple[PanelDiff, ...]
    images: tuple[Path | None, Path | None] = (None, None)  # before and after, with --png


def md(text: str) -> str:
    """User text (titles, values, errors) as literal Markdown: punctuation that means something escaped, one line."""
    escaped = "".join("\\" + c if c in _SPECIAL else c for c in text)
    return " ".join(escaped.split())


def render_values(boards: Sequence[BoardValues], heading: str, notes: Sequence[str]) -> str:
    out = [f"### {md(heading)}", "", *(f"- {md(n)}" for n in notes)]
    shown = [b for b in boards if b.panels or any(b.images)]
    if not shown:
        return "\n".join([*out, "", "No panel's values changed.", ""])
    for board in shown:
        out += ["", f"#### {md(board.title)} (`{board.uid}`)"]
        if any(board.images):
            before, after = (md(str(p)) if p else "none (not in this revision)" for p in board.images)
            out += ["", f"Images: before {before}, after {after}"]
        for panel in board.panels:
            out += ["", *_panel(panel)]
    out.append("")
    return "\n".join(out)


def _panel(panel: PanelDiff) -> list[str]:
    note = f"; {md(panel.note)}" if panel.note else ""
    head = f"**{md(panel.title)}** (`{panel.key}`, {_STATUS[panel.status]}{note})"
    before, after = panel.problems
    if before or after:
        if before == after:
            return [f"{head}: not compared: {md(before or '')}"]
        lines = [f"{head}:"]
        if before:
            lines.append(f"- before: {md(before)}")
        if after:
            lines.append(f"- after: {md(after)}")
        return lines
    if not panel.changed:
        return [f"{head}: values unchanged{_unchanged(panel.frames)}"]
    single = _single_value(panel)
    if single is not None:
        return [f"{head}: {_change(single)}", *(f"- {md(n)}" for f in panel.frames for n in f.notes)]
    lines = [f"{head}:"]
    for frame in panel.frames:
        if len(panel.frames) > 1:
            lines += ["", f"`{md(frame.file)}`:"]
        lines += [f"- {md(n)}" for n in frame.notes]
        lines += [f"- {md(v.label)}: {_change(v)}" for v in frame.values if v.changed]
        if frame.series:
            lines += ["", *_series_table(frame.series)]
        if frame.rows:
            lines += ["", *_row_table(frame)]
    return lines


def _single_value(panel: PanelDiff) -> ValueChange | None:
    """The one number of a stat-like panel, said in one line."""
    if len(panel.frames) == 1 and len(panel.frames[0].values) == 1 and not panel.frames[0].rows:
        return panel.frames[0].values[0]
    return None


def _unchanged(frames: Sequence[FrameDiff]) -> str:
    values = [v for f in frames for v in f.values if v.new is not None]
    if len(values) == 1:
        return f": {_cell(values[0].new)}"
    return ""


def _cell(cell: Cell | None) -> str:
    return ABSENT if cell is None else md(cell.text) if cell.text else "(empty)"


def _change(change: ValueChange) -> str:
    """`old -> new`; the raw numbers too when the display rounds the change away."""
    if not change.changed:
        return f"{_cell(change.new)} (unchanged)"
    text = f"{_cell(change.old)} -> {_cell(change.new)}"
    if change.old is None or change.new is None:
        return text
    if change.old.text == change.new.text:
        return text + f" ({_raw(change.old.raw)} -> {_raw(change.new.raw)})"
    if change.old.raw == change.new.raw:
        return text + " (the same value, shown by another unit or decimals)"
    return text


def _raw(value: object) -> str:
    """A raw number a display rounded, to six significant digits: enough to see it moved."""
    return md(f"{value:.6g}" if isinstance(value, float) else str(value))


def _pair(old: str, new: str) -> str:
    return old if old == new else f"{old} -> {new}"


def _series_table(series: Sequence[SeriesChange]) -> list[str]:
    lines = ["| Series | Points | Last | Min | Max | Points changed |", "|---|---|---|---|---|---|"]
    for s in series[:MAX_ROWS]:
        a, b = _summary(s.old), _summary(s.new)
        cells = [_pair(x, y) for x, y in zip(a, b, strict=True)]
        lines.append(f"| {md(s.name)} | {' | '.join(cells)} | {s.changed_points} |")
    return lines + _more(len(series), "series")


def _summary(summary: Summary | None) -> tuple[str, str, str, str]:
    if summary is None:
        return (ABSENT, ABSENT, ABSENT, ABSENT)
    return (str(summary.points), md(summary.last) or ABSENT, md(summary.low) or ABSENT, md(summary.high) or ABSENT)


def _row_table(frame: FrameDiff) -> list[str]:
    columns = list(dict.fromkeys(c.label for r in frame.rows for c in r.cells))
    counts = [f"{sum(r.kind == kind for r in frame.rows)} {kind}" for kind in ("added", "removed", "changed")]
    lines = [
        "Rows " + ", ".join(c for c in counts if not c.startswith("0 ")) + ":",
        "",
        "| " + " | ".join([*(md(k) for k in frame.keys), "", *(md(c) for c in columns)]) + " |",
        "|" + "---|" * (len(frame.keys) + 1 + len(columns)),
    ]
    lines += [_row(row, columns) for row in frame.rows[:MAX_ROWS]]
    return lines + _more(len(frame.rows), "rows")


def _row(row: RowChange, columns: Sequence[str]) -> str:
    cells = {c.label: c for c in row.cells}
    shown = []
    for column in columns:
        change = cells.get(column)
        if change is None:
            shown.append("")
        elif row.kind == "changed":
            shown.append(_change(change))
        else:
            shown.append(_cell(change.new if row.kind == "added" else change.old))
    return "| " + " | ".join([*(md(k) for k in row.key), row.kind, *shown]) + " |"


def _more(count: int, noun: str) -> list[str]:
    return ["", f"and {count - MAX_ROWS} more {noun}"] if count > MAX_ROWS else []
