"""Text edits that remember where every character came from.

Macro and variable expansion change lengths; findings must still point at the
line and column of the query file. Each edit pass yields a ``TextMap``; a chain
of them maps an offset in the final text back to the original, and names the
expansion (``$__timeFilter``, ``$queue``...) a character was produced by.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str
    origin: str  # what produced the replacement, e.g. "$__timeFilter" or "$queue"


@dataclass(frozen=True)
class _Span:
    out_start: int
    out_end: int
    src_start: int
    src_end: int
    origin: str


@dataclass(frozen=True)
class TextMap:
    """One edit pass: offsets after it -> offsets before it."""

    spans: tuple[_Span, ...]
    _starts: tuple[int, ...] = field(default=(), repr=False)

    def back(self, pos: int) -> tuple[int, str | None]:
        index = bisect_right(self._starts, pos) - 1
        if index < 0:
            return pos, None
        span = self.spans[index]
        if pos < span.out_end:
            return span.src_start, span.origin
        return span.src_end + (pos - span.out_end), None


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, TextMap]:
    """Apply non-overlapping edits in one pass and return the new text with its map."""
    parts: list[str] = []
    spans: list[_Span] = []
    cursor = 0
    out = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < cursor:
            raise ValueError("overlapping edits")
        parts.append(text[cursor : edit.start])
        out += edit.start - cursor
        parts.append(edit.replacement)
        spans.append(_Span(out, out + len(edit.replacement), edit.start, edit.end, edit.origin))
        out += len(edit.replacement)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts), TextMap(tuple(spans), tuple(s.out_start for s in spans))


@dataclass
class MapChain:
    """Edit passes in the order they were applied to the source text."""

    maps: list[TextMap] = field(default_factory=list)

    def add(self, text_map: TextMap) -> None:
        if text_map.spans:
            self.maps.append(text_map)

    def to_source(self, pos: int) -> tuple[int, list[str]]:
        """Offset in the source, and the expansions (outermost first) that produced ``pos``."""
        origins: list[str] = []
        for text_map in reversed(self.maps):
            pos, origin = text_map.back(pos)
            if origin is not None:
                origins.append(origin)
        origins.reverse()
        return pos, origins
