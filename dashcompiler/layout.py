"""Placement on Grafana's 24-column grid: a pure function, tested alone.

Rows are full-width h=1 headers. Inside a row, panels flow left to right from
a cursor that wraps at 24 columns below the tallest panel of the line, the
rule grafana-foundation-sdk uses. A panel may instead be pinned at (x, y)
relative to the top of its row's content; overlaps are reported, not fixed.
A collapsed row's panels keep the places they take when it is expanded, but
take no space: the next row starts right below the collapsed row's header,
which is how Grafana stores a collapsed row and re-opens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GRID_WIDTH = 24


@dataclass(frozen=True)
class Box:
    """A panel to place: its size and, if pinned, its position in the row."""

    name: str
    w: int
    h: int
    x: int | None = None
    y: int | None = None


@dataclass(frozen=True)
class RowBoxes:
    """One row to place: whether it has a header line, its boxes, and whether it is collapsed."""

    header: bool
    boxes: Sequence[Box]
    collapsed: bool = False


@dataclass(frozen=True)
class GridPos:
    x: int
    y: int
    w: int
    h: int

    def as_json(self) -> dict[str, int]:
        return {"h": self.h, "w": self.w, "x": self.x, "y": self.y}

    def overlaps(self, other: GridPos) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


class LayoutError(ValueError):
    """A box does not fit the grid or overlaps another; the message names them."""


def layout(rows: Sequence[RowBoxes]) -> list[tuple[GridPos | None, list[GridPos]]]:
    """Place each row's header (if it has one) and its boxes, top to bottom."""
    placed: list[tuple[GridPos | None, list[GridPos]]] = []
    top = 0
    for row in rows:
        header = None
        if row.header:
            header = GridPos(0, top, GRID_WIDTH, 1)
            top += 1
        positions = _place_row(row.boxes, top)
        placed.append((header, positions))
        if not (row.header and row.collapsed):
            top = max([top, *(p.y + p.h for p in positions)])
    return placed


def _place_row(boxes: Sequence[Box], top: int) -> list[GridPos]:
    x = y = line_height = 0
    positions: list[GridPos] = []
    pinned: list[int] = []
    for box in boxes:
        if not 1 <= box.w <= GRID_WIDTH or box.h < 1:
            raise LayoutError(f"panel {box.name!r} is {box.w} wide and {box.h} high; width must be 1-24, height >= 1")
        if (box.x is None) != (box.y is None):
            raise LayoutError(f"panel {box.name!r}: pin both x and y, or neither")
        if box.x is not None and box.y is not None:
            if box.x < 0 or box.y < 0 or box.x + box.w > GRID_WIDTH:
                raise LayoutError(f"panel {box.name!r} at x={box.x} with width {box.w} runs past the 24-column grid")
            pinned.append(len(positions))
            positions.append(GridPos(box.x, top + box.y, box.w, box.h))
            continue
        if x + box.w > GRID_WIDTH:
            x, y, line_height = 0, y + line_height, 0
        positions.append(GridPos(x, top + y, box.w, box.h))
        x += box.w
        line_height = max(line_height, box.h)
    # Flowed panels cannot overlap each other; only pinned ones can overlap anything.
    for i in pinned:
        for j, other in enumerate(positions):
            if j != i and positions[i].overlaps(other):
                first, second = sorted((i, j))
                raise LayoutError(f"panel {boxes[second].name!r} overlaps panel {boxes[first].name!r}")
    return positions
