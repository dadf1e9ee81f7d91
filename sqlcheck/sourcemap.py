"""Map a rendered query back to its Jinja2 template, so a finding points at the file's own text.

``{{ timestream_database }}`` or a macro from a shared fragment changes line lengths, so an
offset in the rendered SQL is not a column of the file. The template is rendered a second
time with every piece of literal text and every ``{{ }}`` wrapped in private-use markers;
the marked output says, for each rendered character, which template and offset produced
it and which call in the query file brought it in. If the marked rendering does not
reproduce the shipped SQL (a filter that rewrites text, say), there is no map and
offsets are taken as the file's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from core.problems import line_column
from core.templates import template_environment

_DATA, _EXPR, _SEP, _END = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = re.compile(f"[{_DATA}{_EXPR}{_SEP}{_END}]")
_CONSTRUCT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)")


@dataclass(frozen=True)
class QueryTemplate:
    """Where a rendered query came from: its template under the directory it imports from."""

    root: Path  # queries/: templates are loaded and imported relative to it
    name: str  # e.g. "athena/history/abandonment_rate.sql"


@dataclass(frozen=True)
class _Piece:
    template: str
    offset: int  # where the literal text, or the ``{{``, starts in that template's source
    expression: bool


@dataclass(frozen=True)
class Place:
    """Where a rendered character came from."""

    template: str
    offset: int  # in ``template``'s source: the character itself, or the ``{{`` that produced it
    call: int | None  # offset in the query's own file of the outermost ``{{ }}`` it came through


@dataclass(frozen=True)
class SourceMap:
    template: QueryTemplate
    sources: Mapping[str, str]  # template name -> source text, for every template the query used
    places: tuple[Place, ...]  # one per rendered character

    def place(self, offset: int) -> Place | None:
        """Where the character at ``offset`` came from; just past the last one for the end of the text."""
        if not self.places:
            return None
        if offset < len(self.places):
            return self.places[max(0, offset)]
        last = self.places[-1]
        return Place(last.template, last.offset + 1, last.call)


def source_map(template: QueryTemplate, context: Mapping[str, Any], rendered: str) -> SourceMap | None:
    """The map of ``rendered``, or None when the marked rendering does not reproduce it."""
    pieces: list[_Piece] = []
    sources: dict[str, str] = {}

    def load(name: str) -> str | None:
        path = template.root / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        sources[name] = text
        return _marked(name, text, pieces)

    environment = template_environment(jinja2.FunctionLoader(load))
    try:
        marked = environment.get_template(template.name).render(dict(context))
    except (jinja2.TemplateError, OSError):
        return None
    text, places = _read_marks(marked, pieces, template.name)
    if not text.startswith(rendered) or text[len(rendered) :].strip():
        return None
    return SourceMap(template, sources, tuple(places[: len(rendered)]))


def _marked(name: str, source: str, pieces: list[_Piece]) -> str:
    """The template with literal text and ``{{ }}`` wrapped in markers, whitespace control applied."""
    parts: list[str] = []
    constructs = list(_CONSTRUCT.finditer(source))
    cursor = 0
    for index, match in enumerate([*constructs, None]):
        start = match.start() if match else len(source)
        data_start, data = cursor, source[cursor:start]
        if index > 0 and _trims_after(constructs[index - 1].group()):
            stripped = data.lstrip()
            data_start += len(data) - len(stripped)
            data = stripped
        if match is not None and _trims_before(match.group()):
            data = data.rstrip()
        if data:
            pieces.append(_Piece(name, data_start, False))
            parts.append(f"{_DATA}{len(pieces) - 1}{_SEP}{data}{_END}")
        if match is None:
            break
        construct = match.group()
        if construct.startswith("{{"):
            pieces.append(_Piece(name, match.start(), True))
            parts.append(f"{_EXPR}{len(pieces) - 1}{_SEP}{construct}{_END}")
        else:
            parts.append(construct)
        cursor = match.end()
    return "".join(parts)


def _trims_before(construct: str) -> bool:
    return construct[2:3] == "-"


def _trims_after(construct: str) -> bool:
    return construct[-3:-2] == "-"


def _read_marks(marked: str, pieces: list[_Piece], query: str) -> tuple[str, list[Place]]:
    """Strip the markers, keeping for each remaining character the place it came from."""
    out: list[str] = []
    places: list[Place] = []
    stack: list[list[Any]] = []  # [piece, characters of it emitted so far], innermost last
    position = 0
    for match in _MARKERS.finditer(marked):
        _emit(marked[position : match.start()], stack, query, out, places)
        position = match.end()
        if match.group() in (_DATA, _EXPR):
            close = marked.index(_SEP, position)
            stack.append([pieces[int(marked[position:close])], 0])
            position = close + 1
        elif match.group() == _END and stack:
            stack.pop()
    _emit(marked[position:], stack, query, out, places)
    return "".join(out), places


def _emit(text: str, stack: list[list[Any]], query: str, out: list[str], places: list[Place]) -> None:
    if not text:
        return
    call = next((e[0].offset for e in stack if e[0].expression and e[0].template == query), None)
    top = stack[-1] if stack else None
    for char in text:
        out.append(char)
        if top is None:
            places.append(Place(query, 0, call))
        elif top[0].expression:
            places.append(Place(top[0].template, top[0].offset, call))
        else:
            places.append(Place(top[0].template, top[0].offset + top[1], call))
            top[1] += 1


def locate(source_map: SourceMap | None, rendered: str, offset: int, shown: str) -> tuple[int, int, str]:
    """Line and column in the query's file of a rendered offset, and a note naming the fragment
    (``in contacts() of queries/athena/_contacts.sql:17:120``) when the text came from one."""
    place = source_map.place(offset) if source_map is not None else None
    if source_map is None or place is None:
        return (*line_column(rendered, offset), "")
    query = source_map.template.name
    if place.template == query:
        return (*line_column(source_map.sources[query], place.offset), "")
    fragment = source_map.sources.get(place.template, "")
    macros = list(_MACRO.finditer(fragment, 0, place.offset))
    macro = f"{macros[-1].group(1)}() of " if macros else ""
    line, column = line_column(fragment, place.offset)
    at_call = line_column(source_map.sources[query], place.call or 0)
    return (*at_call, f" (in {macro}{_shown(shown, query, place.template)}:{line}:{column})")


def _shown(shown_query: str, query_name: str, fragment: str) -> str:
    """The fragment's path as the query's own is shown (``queries/athena/_contacts.sql``)."""
    if shown_query.endswith(query_name):
        return shown_query[: len(shown_query) - len(query_name)] + fragment
    return fragment
