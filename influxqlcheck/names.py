"""Names against the schema: unknown measurements, fields and tags, and tags used as fields or back.

A SELECT sees the tags and fields of its FROM measurements, or, over a subquery, the subquery's output:
its columns (alias, field name, or function name as InfluxDB names them) and the tags it groups by.
Where a source cannot be known (an unknown measurement, an expression column without an alias), names
read from it are not checked rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches

from influxqlcheck.nodes import Binary, Call, Expr, Literal, Ref, Select, Show, Source, Wildcard, walk
from influxqlcheck.schema import Measurement

COMPARISONS = frozenset({"=", "!=", "<>", "<", "<=", ">", ">="})
REGEX_MATCH = frozenset({"=~", "!~"})
# Functions whose result has their argument's type; the rest count (integer) or compute floats.
_SAME_TYPE = frozenset(
    {"bottom", "cumulative_sum", "difference", "distinct", "first", "last", "max", "min", "mode"}
    | {"percentile", "sample", "sum", "top"}
)
# Functions whose arguments after the first name tags (top/bottom) or are constants.
_FIRST_ARG_ONLY = frozenset({"top", "bottom", "percentile", "sample", "moving_average", "derivative", "elapsed"})


@dataclass(frozen=True)
class Issue:
    pos: int  # offset in the parsed text
    rule: str
    message: str


@dataclass(frozen=True)
class Columns:
    """What a SELECT can name; ``known`` is False when a source could not be resolved."""

    tags: frozenset[str]
    fields: Mapping[str, str | None]  # name -> InfluxDB type, None when it cannot be told
    known: bool
    label: str  # the sources, for messages

    def kind(self, ref: Ref) -> str | None:
        if ref.cast == "tag":
            return "tag" if ref.name in self.tags else None
        if ref.cast is not None:
            return "field" if ref.name in self.fields else None
        if ref.name in self.tags:
            return "tag"
        return "field" if ref.name in self.fields else None


def columns(select: Select, schema: Mapping[str, Measurement], issues: list[Issue]) -> Columns:
    """The columns of a SELECT's sources; unknown measurements go into ``issues``."""
    tags: set[str] = set()
    fields: dict[str, str | None] = {}
    known = True
    labels: list[str] = []
    for source in select.sources:
        if isinstance(source, Select):
            inner = output(source, schema, issues)
            tags |= inner.tags
            fields.update(inner.fields)
            known = known and inner.known
            labels.append("the subquery")
            continue
        found = measurements(source, schema, issues)
        known = known and bool(found)
        for measurement in found:
            tags.update(measurement.tags)
            fields.update(measurement.fields)
            labels.append(measurement.name)
    return Columns(frozenset(tags), fields, known, ", ".join(labels))


def output(select: Select, schema: Mapping[str, Measurement], issues: list[Issue]) -> Columns:
    """What a subquery hands its outer query: its columns, and the tags it groups by."""
    seen = columns(select, schema, issues)
    tags: set[str] = set()
    fields: dict[str, str | None] = {}
    known = seen.known
    for dimension in select.group_by:
        if isinstance(dimension, Ref) and dimension.name in seen.tags:
            tags.add(dimension.name)
        elif isinstance(dimension, Wildcard):
            tags |= seen.tags
    for field in select.fields:
        expr = field.expr
        if isinstance(expr, Wildcard):
            tags |= seen.tags
            fields.update(seen.fields)
        elif isinstance(expr, Ref):
            name = field.alias or expr.name
            if seen.kind(expr) == "tag":
                fields[name] = "string"
            else:
                fields[name] = seen.fields.get(expr.name)
        elif isinstance(expr, Call) and not field.alias and any(isinstance(a, Wildcard) for a in expr.args):
            for name in seen.fields:  # count(*) answers count_<field> for every field
                fields[f"{expr.name}_{name}"] = _call_type(
                    Call(expr.name, (Ref(name, None, expr.pos),), expr.pos), seen
                )
        elif isinstance(expr, Call):
            fields[field.alias or expr.name] = _call_type(expr, seen)
        elif field.alias:
            fields[field.alias] = None
        else:
            known = False  # InfluxDB names such a column after its parts; do not guess
    return Columns(frozenset(tags), fields, known, "the subquery")


def measurements(source: Source, schema: Mapping[str, Measurement], issues: list[Issue]) -> list[Measurement]:
    if source.regex is not None:
        found = [m for name, m in schema.items() if _search(source.regex, name)]
        if not found:
            known = ", ".join(sorted(schema))
            issues.append(
                Issue(source.pos, "unknown-measurement", f"/{source.regex}/ matches no measurement ({known})")
            )
        return found
    if source.name is not None and source.name in schema:
        return [schema[source.name]]
    hint = _did_you_mean(source.name or "", schema)
    issues.append(Issue(source.pos, "unknown-measurement", f"unknown measurement {source.name}; {hint}"))
    return []


def select_issues(select: Select, seen: Columns) -> Iterator[Issue]:
    """Unknown names and tag/field misuse in one SELECT (its subqueries are checked on their own)."""
    if not seen.known:
        return
    for field in select.fields:
        yield from _refs(field.expr, seen, "unknown-field")
        yield from _in_functions(field.expr, seen)
    yield from _refs(select.where, seen, "unknown-field")
    yield from _comparisons(select.where, seen)
    for dimension in select.group_by:
        yield from _refs(dimension, seen, "unknown-tag")
        if isinstance(dimension, Ref) and seen.kind(dimension) == "field":
            yield Issue(
                dimension.pos,
                "tag-field",
                f"{dimension.name} is a field of {seen.label}; GROUP BY takes tags and time() only",
            )


def show_issues(show: Show, schema: Mapping[str, Measurement]) -> Iterator[Issue]:
    """SHOW statements name tags only: WITH KEY and WHERE."""
    issues: list[Issue] = []
    scope = (
        [m for s in show.sources for m in measurements(s, schema, issues)] if show.sources else list(schema.values())
    )
    yield from issues
    if show.sources and len(scope) == 0:
        return
    tags = frozenset(t for m in scope for t in m.tags)
    fields = {f: t for m in scope for f, t in m.fields.items()}
    seen = Columns(tags, fields, True, ", ".join(m.name for m in scope))
    refs = [*show.keys, *(r for r in walk(show.where) if isinstance(r, Ref) and r.name != "time")]
    for ref in refs:
        if ref.name in tags:
            continue
        if ref.name in fields:
            yield Issue(
                ref.pos, "tag-field", f"{ref.name} is a field of {seen.label}; SHOW TAG VALUES and its WHERE take tags"
            )
        else:
            yield Issue(
                ref.pos, "unknown-tag", f"unknown tag {ref.name} in {seen.label}; {_did_you_mean(ref.name, tags)}"
            )
    yield from _comparisons(show.where, seen)


def _refs(expr: Expr | None, seen: Columns, rule: str) -> Iterator[Issue]:
    for node in walk(expr):
        if not isinstance(node, Ref) or node.name == "time" or seen.kind(node) is not None:
            continue
        names: frozenset[str] | set[str]
        if node.cast == "tag" or rule == "unknown-tag":
            names, what, rule_here = seen.tags, "tag", "unknown-tag"
        else:
            names, what, rule_here = {*seen.tags, *seen.fields}, "field or tag", "unknown-field"
        if node.cast == "field":
            names, what = set(seen.fields), "field"
        hint = _did_you_mean(node.name, names)
        yield Issue(node.pos, rule_here, f"unknown {what} {node.name} in {seen.label}; {hint}")


def _in_functions(expr: Expr, seen: Columns) -> Iterator[Issue]:
    for node in walk(expr):
        if not isinstance(node, Call):
            continue
        args = node.args[:1] if node.name in _FIRST_ARG_ONLY else node.args
        for arg in args:
            if isinstance(arg, Ref) and seen.kind(arg) == "tag":
                yield Issue(
                    arg.pos,
                    "tag-field",
                    f"{arg.name} is a tag of {seen.label}; {node.name}() reads fields only and returns nothing for it",
                )


def _comparisons(expr: Expr | None, seen: Columns) -> Iterator[Issue]:
    for node in walk(expr):
        if not isinstance(node, Binary) or node.op not in COMPARISONS | REGEX_MATCH:
            continue
        for ref, other in ((node.left, node.right), (node.right, node.left)):
            if not isinstance(ref, Ref) or not isinstance(other, Literal):
                continue
            kind = seen.kind(ref)
            if kind == "tag" and other.kind in ("integer", "float", "boolean") and node.op in COMPARISONS:
                yield Issue(
                    other.pos,
                    "tag-field",
                    f"{ref.name} is a tag, and tags are strings: compare it with '{other.value}', not {other.value}",
                )
            field_type = seen.fields.get(ref.name) if kind == "field" else None
            if node.op in REGEX_MATCH and field_type not in (None, "string"):
                yield Issue(
                    node.pos,
                    "tag-field",
                    f"{ref.name} is a field of type {field_type}; a regex matches tags and string fields only",
                )


def _call_type(call: Call, seen: Columns) -> str | None:
    if call.name == "count":
        return "integer"
    if call.name not in _SAME_TYPE:
        return "float"
    first = call.args[0] if call.args else None
    if isinstance(first, Call):
        return _call_type(first, seen)
    if isinstance(first, Ref):
        return "string" if seen.kind(first) == "tag" else seen.fields.get(first.name)
    return None


def _did_you_mean(name: str, names: Mapping[str, object] | frozenset[str] | set[str]) -> str:
    close = get_close_matches(name, sorted(names), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(close) + "?"
    return "known: " + ", ".join(sorted(names)) if names else "there are none"


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return True  # Go's regexp syntax differs from Python's here; do not call it unknown
