"""Grafana's transformations, as far as the shipped InfluxDB panels use them, over frames built from InfluxQL
results as Grafana's InfluxDB datasource builds them; so a test can run a panel's own ``transformations`` JSON.

Each function follows Grafana's source (grafana/grafana, read through the code index; paths below):

- frames: ``pkg/tsdb/influxdb/influxql/buffered/response_parser.go`` ``transformRowsForTable``: for
  ``resultFormat: table`` ONE frame per target, named by the first series' measurement, with ``Time`` first, then a
  string field per tag key of the first series (walked as a Go map: in no fixed order, so the caller picks one),
  then each value column; numbers become float64; every tag and value field carries ``displayNameFromDS``
  (its own name). No series, no frame.
- display names: ``packages/grafana-data/src/field/fieldState.ts``: ``config.displayName`` (what a rename sets),
  else ``displayNameFromDS``, else the field's name (the frame name and labels play no part for these frames).
- ``organize`` (``transformers/organize.ts``): exclude, then order by ``indexByName`` (stable; fields not listed go
  last), then rename; all by display name.
- ``groupBy`` (``transformers/groupBy.ts``): groups in order of first appearance; the group-by fields first, then
  one field per aggregation named ``"<field> (<reducer id>)"``; the output frame keeps only its refId.
- ``reduce`` mode ``seriesToRows`` (``transformers/reduce.ts``): per frame, every non-time field becomes a row:
  ``Field`` (its display name), then one field per reducer under the reducer's NAME (``fieldReducer.ts``:
  lastNotNull is ``Last *``, sum ``Total``...); the frames' rows are then merged.
- ``sortBy`` (``transformers/sortBy.ts``, ``dataframe/processDataFrame.ts`` ``sortDataFrame``,
  ``field/fieldComparers.ts``): the first sort entry only, a stable sort by the field's type; a name no field
  has leaves the frame as it is. Strings compare with ``localeCompare`` (approximated here: case-insensitive
  first, lower case before upper on a tie), and empty or null strings sort last ascending.
- ``calculateField`` mode ``binary`` (``transformers/calculateField.ts``): ``left <op> right`` appended as
  ``alias`` (default ``"<left> <op> <right>"``); a null operand counts as JavaScript's null, 0.
- ``convertFieldType`` to ``time`` (``transformers/convertFieldType.ts`` ``fieldToTimeField``): numbers are epoch
  milliseconds; a falsy value (null, 0, "") becomes null.
- ``configFromData`` (``public/app/features/transformers/configFromQuery/configFromQuery.ts`` and
  ``fieldToConfigMapping/fieldToConfigMapping.ts``): the frame of ``configRefId`` is taken out (unless it is the
  only frame); ``mappings.value``/``mappings.text`` read all of its rows into one value-to-text mapping (a later
  row overwrites an earlier one with the same value) set on the fields ``applyTo`` matches. A value without a
  mapping is shown as it is. The output frames keep their refId.
- ``filterByRefId`` (``transformers/filterByRefId.ts``, the byRefId frame matcher): frames by refId.
- what reaches the panel: ``packages/grafana-runtime/src/utils/queryResponse.ts`` ``toDataQueryResponse`` adds
  a target's frames, so a target without series adds no frame at all.

Anything else (another transformation, mode, reducer or conversion) raises, so a panel that starts using it
fails here until the emulation learns it from Grafana's source.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from localquery.influx import InfluxTable

Transformation = Mapping[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "time" | "number" | "string" | "boolean" | "other", Grafana's FieldType
    values: tuple[Any, ...]
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return str(self.config.get("displayName") or self.config.get("displayNameFromDS") or self.name)


@dataclass(frozen=True)
class Frame:
    ref_id: str
    fields: tuple[Field, ...]
    name: str | None = None

    @property
    def length(self) -> int:
        return len(self.fields[0].values) if self.fields else 0

    def by_name(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.display_name == name), None)


def _type_of(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if any(isinstance(v, str) for v in present):
        return "string"
    if any(isinstance(v, bool) for v in present):
        return "boolean"
    return "number"


def table_frames(ref_id: str, tables: Sequence[InfluxTable], tag_order: Sequence[str] | None = None) -> list[Frame]:
    """One InfluxQL target's series (queried with epoch=ms) as the datasource's ``table`` frame; ``tag_order`` is
    the Go map's order of the first series' tag keys (default: as InfluxDB returned them)."""
    if not tables:
        return []
    first = tables[0]
    tags = list(first.tags) if tag_order is None else list(tag_order)
    assert sorted(tags) == sorted(first.tags), (tags, first.tags)
    rows = [(t, row) for t in tables for row in t.rows]
    fields: list[Field] = []
    if first.columns[0] == "time":
        fields.append(Field("Time", "time", tuple(row[0] for _t, row in rows)))
        start = 1
    else:
        start = 0
    for key in tags:
        fields.append(Field(key, "string", tuple(t.tags.get(key, "") for t, _row in rows), {"displayNameFromDS": key}))
    for index in range(start, len(first.columns)):
        values = [row[index] for _t, row in rows]
        kind = _type_of(values)
        if kind == "number":
            values = [None if v is None else float(v) for v in values]
        column = first.columns[index]
        fields.append(Field(column, kind, tuple(values), {"displayNameFromDS": column}))
    return [Frame(ref_id, tuple(fields), first.name)]


def tag_orders(tables: Sequence[InfluxTable]) -> list[tuple[str, ...]]:
    """Every order Go's map iteration may give the first series' tag keys."""
    return list(itertools.permutations(tables[0].tags)) if tables else [()]


# Reducers by id, and the names Grafana gives them (fieldReducer.ts; only those checked against its source).
def _count(values: Sequence[Any]) -> int:
    return sum(v is not None for v in values)


def _last_not_null(values: Sequence[Any]) -> Any:
    return next((v for v in reversed(values) if v is not None and v == v), None)


def _numbers(values: Sequence[Any]) -> list[Any]:
    return [v for v in values if v is not None]


REDUCERS: dict[str, tuple[str, Callable[[Sequence[Any]], Any]]] = {
    "lastNotNull": ("Last *", _last_not_null),
    "last": ("Last", lambda v: v[-1] if v else None),
    "first": ("First", lambda v: v[0] if v else None),
    "count": ("Count", _count),
    "sum": ("Total", lambda v: sum(_numbers(v))),
    "min": ("Min", lambda v: min(_numbers(v), default=None)),
    "max": ("Max", lambda v: max(_numbers(v), default=None)),
    "mean": ("Mean", lambda v: sum(_numbers(v)) / len(_numbers(v)) if _numbers(v) else None),
}


def _reducer(reducer_id: str) -> tuple[str, Callable[[Sequence[Any]], Any]]:
    if reducer_id not in REDUCERS:
        raise NotImplementedError(f"reducer {reducer_id!r}: not emulated; add it from Grafana's fieldReducer.ts")
    return REDUCERS[reducer_id]


def organize(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    excluded = {name for name, yes in (options.get("excludeByName") or {}).items() if yes}
    index = options.get("indexByName") or {}
    rename = options.get("renameByName") or {}
    if options.get("includeByName"):
        raise NotImplementedError("organize includeByName")
    out = []
    for frame in frames:
        kept = [f for f in frame.fields if f.display_name not in excluded]
        kept.sort(key=lambda f: index.get(f.display_name, 2**53 - 1))
        renamed = tuple(
            replace(f, config={**f.config, "displayName": rename[f.display_name]}) if rename.get(f.display_name) else f
            for f in kept
        )
        out.append(replace(frame, fields=renamed))
    return out


def group_by(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    spec: Mapping[str, Mapping[str, Any]] = options.get("fields") or {}
    keys = [name for name, o in spec.items() if o.get("operation") == "groupby"]
    if not keys:
        return frames
    out = []
    for frame in frames:
        by = [f for f in frame.fields if f.display_name in keys]
        if not by:
            continue
        groups: dict[str, list[int]] = {}
        for row in range(frame.length):
            groups.setdefault(",".join("" if f.values[row] is None else str(f.values[row]) for f in by), []).append(row)
        fields = [replace(f, values=tuple(f.values[rows[0]] for rows in groups.values())) for f in by]
        for f in frame.fields:
            o = spec.get(f.display_name) or {}
            if o.get("operation") in (None, "groupby"):
                continue
            if o["operation"] != "aggregate":
                raise NotImplementedError(f"groupBy operation {o['operation']!r}")
            for aggregation in o.get("aggregations") or ():
                _name, reduce = _reducer(aggregation)
                values = tuple(reduce([f.values[r] for r in rows]) for rows in groups.values())
                kind = "number" if aggregation in ("count", "sum", "mean") else f.type
                fields.append(Field(f"{f.display_name} ({aggregation})", kind, values))
        out.append(Frame(frame.ref_id, tuple(fields)))
    return out


def reduce(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    if options.get("mode", "seriesToRows") != "seriesToRows" or options.get("fields") or options.get("labelsToFields"):
        raise NotImplementedError(f"reduce options {dict(options)}")
    reducers = [(r, *_reducer(r)) for r in options.get("reducers") or ()]
    if not reducers:
        return frames
    names: list[str] = []
    calcs: dict[str, list[Any]] = {r: [] for r, _n, _f in reducers}
    for frame in frames:
        for f in frame.fields:
            if f.type == "time":
                continue
            names.append(f.display_name)
            for r, _name, function in reducers:
                calcs[r].append(function(f.values))
    if not frames:
        return []
    fields = [Field("Field", "string", tuple(names))]
    fields += [Field(name, _type_of(calcs[r]), tuple(calcs[r])) for r, name, _f in reducers]
    return [Frame(frames[0].ref_id, tuple(fields))]


def _locale_key(value: str) -> tuple[str, str]:
    return value.casefold(), value.swapcase()


def _compare(kind: str) -> Callable[[Any, Any], int]:
    def falsy(a: Any, b: Any) -> int:
        return 1 if (not a and b) else -1 if (a and not b) else 0

    def number(a: Any, b: Any) -> int:
        x, y = a or 0, b or 0
        return (x > y) - (x < y)

    def string(a: Any, b: Any) -> int:
        if not a or not b:
            return falsy(a, b)
        x, y = _locale_key(str(a)), _locale_key(str(b))
        return (x > y) - (x < y)

    def time(a: Any, b: Any) -> int:
        if not a or not b:
            return falsy(a, b)
        return (a > b) - (a < b)

    return {"number": number, "string": string, "time": time}.get(kind, lambda a, b: 0)


def _sorted_rows(key: Field, desc: bool) -> list[int]:
    """Row indexes in Grafana's order: a stable sort, descending by swapping the comparer's arguments."""
    compare, values = _compare(key.type), key.values

    def by(i: int, j: int) -> int:
        return compare(values[j], values[i]) if desc else compare(values[i], values[j])

    return sorted(range(len(values)), key=functools.cmp_to_key(by))


def sort_by(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    sort = options.get("sort") or []
    if not sort:
        return frames
    name, desc = sort[0]["field"], bool(sort[0].get("desc"))
    out = []
    for frame in frames:
        key = frame.by_name(name)
        if key is None:
            out.append(frame)
            continue
        rows = _sorted_rows(key, desc)
        fields = tuple(replace(f, values=tuple(f.values[i] for i in rows)) for f in frame.fields)
        out.append(replace(frame, fields=fields))
    return out


_OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def calculate_field(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    if options.get("mode") != "binary" or options.get("replaceFields"):
        raise NotImplementedError(f"calculateField options {dict(options)}")
    binary = options["binary"]
    left, operator, right = binary["left"], binary.get("operator", "+"), binary["right"]
    alias = options.get("alias") or f"{left} {operator} {right}"

    def operand(frame: Frame, given: Any) -> list[Any]:
        name = given["matcher"]["options"] if isinstance(given, dict) else given
        found = frame.by_name(name)
        if found is None:
            return [float(name)] * frame.length
        return [0 if v is None else v for v in found.values]

    out = []
    for frame in frames:
        pairs = zip(operand(frame, left), operand(frame, right), strict=True)
        values = tuple(_OPERATORS[operator](a, b) for a, b in pairs)
        out.append(replace(frame, fields=(*frame.fields, Field(alias, "number", values))))
    return out


def convert_field_type(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    conversions = {c["targetField"]: c for c in options.get("conversions") or ()}
    wrong = [c for c in conversions.values() if c.get("destinationType") != "time" or c.get("dateFormat")]
    if wrong:
        raise NotImplementedError(f"convertFieldType {wrong}")
    out = []
    for frame in frames:
        fields = tuple(
            replace(f, type="time", values=tuple(int(v) if v else None for v in f.values))
            if f.display_name in conversions and f.type == "number"
            else f
            for f in frame.fields
        )
        if any(f.display_name in conversions and f.type not in ("number", "time") for f in frame.fields):
            raise NotImplementedError("convertFieldType of strings to time")
        out.append(replace(frame, fields=fields))
    return out


def config_from_data(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    config = next((f for f in frames if f.ref_id == options.get("configRefId")), None)
    if config is None:
        return frames
    handlers = {m["fieldName"]: m["handlerKey"] for m in options.get("mappings") or ()}
    known = {"max", "min", "unit", "decimals", "displayname", "color", "threshold1"}
    automatic = [
        f.display_name for f in config.fields if f.display_name not in handlers and f.display_name.lower() in known
    ]
    if automatic or set(handlers.values()) - {"mappings.value", "mappings.text", "__ignore", None}:
        raise NotImplementedError(f"configFromData handlers {handlers}, automatic {automatic}")
    by_handler = {h: config.by_name(name) for name, h in handlers.items()}
    values, texts = by_handler.get("mappings.value"), by_handler.get("mappings.text")
    mapping: dict[str, Any] = {}
    if values is not None:
        for i, value in enumerate(values.values):
            if value is not None:
                mapping[_js_string(value)] = texts.values[i] if texts is not None else None
    apply_to = options.get("applyTo") or {}
    if apply_to.get("id") != "byName":
        raise NotImplementedError(f"configFromData applyTo {apply_to}")
    out = []
    for frame in frames:
        if frame is config and len(frames) > 1:
            continue
        fields = tuple(
            replace(f, config={**f.config, "mappings": mapping}) if f.display_name == apply_to["options"] else f
            for f in frame.fields
        )
        out.append(Frame(frame.ref_id, fields))
    return out


def _js_string(value: Any) -> str:
    """JavaScript's toString of a value: 3.0 is "3"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def filter_by_ref_id(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    """Frames whose refId the ``include`` pattern matches and ``exclude`` does not (a plain string is matched
    whole, as Grafana's refId matcher compiles it: ``^pattern$``)."""
    include, exclude = options.get("include"), options.get("exclude")
    if not include and not exclude:
        return frames

    def matches(pattern: str, ref_id: str) -> bool:
        if pattern.startswith("/"):
            raise NotImplementedError(f"filterByRefId pattern {pattern!r}")
        return re.fullmatch(pattern, ref_id) is not None

    return [
        f
        for f in frames
        if (not include or matches(include, f.ref_id)) and not (exclude and matches(exclude, f.ref_id))
    ]


TRANSFORMERS: dict[str, Callable[[list[Frame], Mapping[str, Any]], list[Frame]]] = {
    "organize": organize,
    "groupBy": group_by,
    "reduce": reduce,
    "sortBy": sort_by,
    "calculateField": calculate_field,
    "convertFieldType": convert_field_type,
    "configFromData": config_from_data,
    "filterByRefId": filter_by_ref_id,
}


def apply(frames: Sequence[Frame], transformations: Sequence[Transformation]) -> list[Frame]:
    """The panel's transformations in order, as Grafana chains them (a disabled one is skipped)."""
    out = list(frames)
    for step in transformations:
        if step.get("disabled"):
            continue
        if step["id"] not in TRANSFORMERS or step.get("filter") or step.get("topic"):
            raise NotImplementedError(f"transformation {step['id']!r} ({dict(step)}): not emulated")
        out = TRANSFORMERS[step["id"]](out, step.get("options") or {})
    return out


@dataclass(frozen=True)
class Table:
    """What a table panel shows: column headers and rows, value mappings applied, times as epoch ms."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def shown(frames: Sequence[Frame], overrides: Sequence[Mapping[str, Any]] = ()) -> Table:
    """The first frame (the one a table panel shows) under the panel's byName displayName overrides."""
    if not frames:
        return Table((), [])
    (frame, *_others) = frames
    names: dict[str, str] = {}
    hidden: set[str] = set()
    for override in overrides:
        if override["matcher"]["id"] != "byName":
            continue
        for prop in override["properties"]:
            if prop["id"] == "displayName":
                names[override["matcher"]["options"]] = prop["value"]
            if prop["id"] == "custom.hidden" and prop["value"]:
                hidden.add(override["matcher"]["options"])
    fields = [f for f in frame.fields if f.display_name not in hidden]

    def value(f: Field, v: Any) -> Any:
        mapping = f.config.get("mappings")
        if mapping and v is not None and _js_string(v) in mapping and mapping[_js_string(v)] is not None:
            return mapping[_js_string(v)]
        return v

    columns = tuple(names.get(f.display_name, f.display_name) for f in fields)
    rows = [tuple(value(f, f.values[i]) for f in fields) for i in range(frame.length)]
    return Table(columns, rows)
