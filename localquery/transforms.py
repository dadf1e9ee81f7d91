"""Grafana's transformations, as far as the shipped panels use them, over frames built from InfluxQL results as
Grafana's InfluxDB datasource builds them (``table_frames``) or from the local engine's rows (``result_frame``); so
`dash query` and the influxd tests show what a panel shows after its own ``transformations`` JSON (and, for a panel
that re-uses another's result with ``withTransforms``, the source's first).

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
  lastNotNull is ``Last *``, sum ``Total``...); the frames' rows are then merged. Mode ``reduceFields``: each
  frame keeps its fields, each reduced to one value (see ``_reduce_fields``).
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
- ``filterFieldsByName`` (``transformers/filter.ts`` ``filterFieldsTransformer`` with the byNames matcher,
  ``matchers/nameMatcher.ts``): the fields whose display name is listed (or not excluded); a frame left with no
  field is dropped.
- ``filterByValue`` (``transformers/filterByValue.ts``, ``matchers/valueMatchers/equalMatchers.ts``,
  ``numericMatchers.ts`` and ``nullMatchers.ts``): rows whose ``fieldName`` value is (JavaScript's ``==``) or is
  not (``!=``) the filter's value, is greater than it, or is null, or not, kept (``include``) or dropped
  (``exclude``), any or all filters matching; a field name no field has matches nothing.
- ``joinByField`` mode ``outerTabular`` (``transformers/joinDataFrames.ts`` ``joinOuterTabular``): a SQL-style
  full join of the frames on one field (see ``join_by_field``).
- ``calculateField`` mode ``reduceRow`` (``calculateField.ts`` ``getReduceRowCreator``): the reducer over each row's
  included fields, nulls skipped (a sum of none is 0).
- ``partitionByValues`` (``public/app/features/transformers/partitionByValues/partitionByValues.ts``): see
  ``partition_by_values``; the panel then names each series by its labels (``${__field.labels.x}``).
- the Dashboard datasource (``public/app/plugins/datasource/dashboard/datasource.ts``): a panel that re-uses
  another's result gets the source's frames as they are (their refIds kept), after the source's transformations
  only with ``withTransforms``.
- what reaches the panel: ``packages/grafana-runtime/src/utils/queryResponse.ts`` ``toDataQueryResponse`` adds
  a target's frames, so a target without series adds no frame at all.

Anything else (another transformation, mode, reducer or conversion) raises, so a panel that starts using it
fails here until the emulation learns it from Grafana's source.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from localquery.influx import InfluxTable

Transformation = Mapping[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "time" | "number" | "string" | "boolean" | "other", Grafana's FieldType
    values: tuple[Any, ...]
    config: Mapping[str, Any] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

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
    if any(isinstance(v, datetime) for v in present):
        return "time"
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


def result_frame(ref_id: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Frame:
    """A SQL target's rows as the Timestream plugin's one table frame: a field per column, typed by its values
    (timestamps stay datetimes, which compare as Grafana's time fields do)."""
    fields = []
    for index, column in enumerate(columns):
        values = tuple(row[index] for row in rows)
        fields.append(Field(column, _type_of(values), values))
    return Frame(ref_id, tuple(fields))


def frame_rows(frame: Frame) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """A frame as columns (display names) and rows, each value as its value mapping shows it."""
    columns = tuple(f.display_name for f in frame.fields)
    return columns, [tuple(_mapped(f, f.values[i]) for f in frame.fields) for i in range(frame.length)]


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
    included = [name for name, yes in (options.get("includeByName") or {}).items() if yes]
    excluded = [name for name, yes in (options.get("excludeByName") or {}).items() if yes]
    index = options.get("indexByName") or {}
    rename = options.get("renameByName") or {}
    chosen = filter_fields_by_name(
        frames,
        {"include": {"names": included} if options.get("includeByName") else None, "exclude": {"names": excluded}},
    )
    out = []
    for frame in chosen:
        kept = sorted(frame.fields, key=lambda f: index.get(f.display_name, 2**53 - 1))
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
    mode = options.get("mode", "seriesToRows")
    if mode not in ("seriesToRows", "reduceFields") or options.get("fields") or options.get("labelsToFields"):
        raise NotImplementedError(f"reduce options {dict(options)}")
    reducers = [(r, *_reducer(r)) for r in options.get("reducers") or ()]
    if not reducers:
        return frames
    if mode == "reduceFields":
        return _reduce_fields(frames, reducers, bool(options.get("includeTimeField")))
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


def _reduce_fields(
    frames: list[Frame], reducers: Sequence[tuple[str, str, Callable[[Sequence[Any]], Any]]], with_time: bool
) -> list[Frame]:
    """Mode ``reduceFields`` (``reduce.ts`` ``reduceFields``): each frame keeps its fields (time ones only with
    ``includeTimeField``), each reduced to one value per reducer, named, type and config kept (several reducers
    label the copies ``reducer``: not emulated); a frame left with no field is dropped. An empty field reduces to
    the reducer's value for no input (``reduceField``'s ``emptyInputResult``: 0 for sum and count, else null)."""
    if len(reducers) != 1:
        raise NotImplementedError("reduce mode reduceFields with several reducers")
    ((_id, _name, function),) = reducers
    out = []
    for frame in frames:
        kept = [f for f in frame.fields if with_time or f.type != "time"]
        if kept:
            out.append(replace(frame, fields=tuple(replace(f, values=(function(f.values),)) for f in kept)))
    return out


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


def _js_divide(a: float, b: float) -> float:
    """JavaScript's a / b: by zero, Infinity with a's sign, or NaN for 0 / 0."""
    if b == 0:
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a)
    return a / b


_OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _js_divide,
}


def calculate_field(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    """Modes binary (JavaScript's arithmetic: a null operand is 0, x / 0 Infinity, 0 / 0 NaN) and reduceRow (the
    reducer over the row's included fields, nulls skipped); a frame lacking an operand or every included field is
    left as it is."""
    if options.get("replaceFields"):
        raise NotImplementedError(f"calculateField options {dict(options)}")
    mode = options.get("mode")
    if mode == "binary":
        binary = options["binary"]
        left, operator, right = binary["left"], binary.get("operator", "+"), binary["right"]
        alias = options.get("alias") or f"{left} {operator} {right}"
    elif mode == "reduceRow":
        reduce_options = options["reduce"]
        name, reducer = _reducer(reduce_options["reducer"])
        alias = options.get("alias") or name
        names = set(reduce_options.get("include") or ())
        if not names or reduce_options.get("nullValueMode"):
            raise NotImplementedError(f"calculateField reduceRow {dict(reduce_options)}")
    else:
        raise NotImplementedError(f"calculateField mode {mode!r}")

    def operand(frame: Frame, given: Any) -> list[Any] | None:
        name = given["matcher"]["options"] if isinstance(given, dict) and "matcher" in given else given
        if isinstance(given, dict) and "fixed" in given:
            name = given["fixed"]
        found = frame.by_name(name)
        if found is not None:
            return [0 if v is None else v for v in found.values]
        try:
            return [float(name)] * frame.length
        except ValueError:
            return None

    out = []
    for frame in frames:
        if mode == "binary":
            lefts, rights = operand(frame, left), operand(frame, right)
            if lefts is None or rights is None:
                out.append(frame)
                continue
            values = tuple(_OPERATORS[operator](a, b) for a, b in zip(lefts, rights, strict=True))
        else:
            columns = [f for f in frame.fields if {f.display_name, f.name} & names]
            values = tuple(reducer([f.values[i] for f in columns]) for i in range(frame.length))
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
    applies = _field_matcher(options.get("applyTo") or {})
    out = []
    for frame in frames:
        if frame is config and len(frames) > 1:
            continue
        fields = tuple(replace(f, config={**f.config, "mappings": mapping}) if applies(f) else f for f in frame.fields)
        out.append(Frame(frame.ref_id, fields))
    return out


def _mapped(f: Field, v: Any) -> Any:
    """A value as the field's value mapping (configFromData's) shows it: its text, else the value itself."""
    mapping = f.config.get("mappings")
    if mapping and v is not None and _js_string(v) in mapping and mapping[_js_string(v)] is not None:
        return mapping[_js_string(v)]
    return v


def js_regex(pattern: str) -> re.Pattern[str]:
    """Grafana's stringToJsRegex: ``/body/flags`` as written, any other text matched whole (``^text$``)."""
    if not pattern.startswith("/"):
        return re.compile(f"^{pattern}$")
    match = re.fullmatch(r"/(.*?)/([gimys]*)", pattern)
    if match is None:
        raise NotImplementedError(f"regex {pattern!r}")
    return re.compile(match.group(1), re.IGNORECASE if "i" in match.group(2) else 0)


def _field_matcher(matcher: Mapping[str, Any]) -> Callable[[Field], bool]:
    """A field matcher (matchers/nameMatcher.ts): byName, the display name or the field's own name; byRegexp, the
    display name searched with the JavaScript regex."""
    if matcher.get("id") == "byName":
        return lambda f: matcher["options"] in (f.display_name, f.name)
    if matcher.get("id") == "byRegexp":
        regex = js_regex(matcher["options"])
        return lambda f: regex.search(f.display_name) is not None
    raise NotImplementedError(f"field matcher {dict(matcher)}")


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


def filter_fields_by_name(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    include, exclude = options.get("include"), options.get("exclude")
    if include is None and not exclude:
        return frames
    for matcher in (include, exclude):
        if matcher and (set(matcher) - {"names"}):
            raise NotImplementedError(f"filterFieldsByName matcher {matcher}")
    kept_names = set((include or {}).get("names") or ())
    dropped_names = set((exclude or {}).get("names") or ())
    out = []
    for frame in frames:
        fields = tuple(
            f
            for f in frame.fields
            if not {f.display_name, f.name} & dropped_names
            and (include is None or {f.display_name, f.name} & kept_names)
        )
        if fields:
            out.append(replace(frame, fields=fields))
    return out


def _loosely_equal(a: Any, b: Any) -> bool:
    """JavaScript's ``a == b`` for the values a frame holds: a number and a numeric string compare as numbers."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) != isinstance(b, str):
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return bool(a == b)


def _greater(x: Any, value: Any) -> bool:
    """``numericMatchers.ts`` greater: ``isNaN(x)`` fails, else JavaScript's ``x > value`` (null is 0)."""
    number = 0 if x is None else x
    if isinstance(number, str):
        try:
            number = float(number)
        except ValueError:
            return False
    return not math.isnan(number) and number > float(value)


def _value_test(config: Mapping[str, Any]) -> Callable[[Any], bool]:
    """A value matcher: equal and notEqual (JavaScript's == and !=), greater, isNull or isNotNull."""
    kind, value = config.get("id"), (config.get("options") or {}).get("value")
    if kind == "equal":
        return lambda x: _loosely_equal(x, value)
    if kind == "notEqual":
        return lambda x: not _loosely_equal(x, value)
    if kind == "greater":
        return lambda x: _greater(x, value)
    if kind == "isNull":
        return lambda x: x is None
    if kind == "isNotNull":
        return lambda x: x is not None
    raise NotImplementedError(f"filterByValue matcher {kind!r}")


def _row_matcher(target: Field | None, test: Callable[[Any], bool]) -> Callable[[int], bool]:
    """A filter's test on row ``i`` of its field; a field name no field has matches no row."""
    if target is None:
        return lambda _i: False
    return lambda i: test(target.values[i])


def filter_by_value(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    filters = options.get("filters") or []
    if not filters:
        return frames
    include = options.get("type", "include") == "include"
    match_all = options.get("match", "any") == "all"
    out = []
    for frame in frames:
        matchers = []
        for f in filters:
            config = f["config"]
            target = frame.by_name(f["fieldName"])
            matchers.append(_row_matcher(target, _value_test(config)))
        rows = [
            i
            for i in range(frame.length)
            if (all(m(i) for m in matchers) if match_all else any(m(i) for m in matchers)) == include
        ]
        out.append(
            replace(frame, fields=tuple(replace(f, values=tuple(f.values[i] for i in rows)) for f in frame.fields))
        )
    return out


def partition_by_values(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    """The first frame split by the values of ``fields`` (``partitionByValues.ts``, naming asLabels): a frame per
    distinct combination, in the order the rows first show it, without those fields, each other field labelled
    with them (as strings); a frame without any of them is returned whole."""
    naming = options.get("naming") or {}
    if naming.get("asLabels") is False or options.get("keepFields"):
        raise NotImplementedError(f"partitionByValues options {dict(options)}")
    if not frames:
        return frames
    frame, names = frames[0], set(options.get("fields") or ())
    keys = [f for f in frame.fields if {f.display_name, f.name} & names]
    if not keys:
        return [frame]
    groups: dict[tuple[Any, ...], list[int]] = {}
    for row in range(frame.length):
        groups.setdefault(tuple(f.values[row] for f in keys), []).append(row)
    out = []
    for values, rows in groups.items():
        labels = {f.name: _js_string(v) for f, v in zip(keys, values, strict=True)}
        fields = tuple(
            replace(f, values=tuple(f.values[i] for i in rows), labels={**f.labels, **labels})
            for f in frame.fields
            if f.name not in {k.name for k in keys}
        )
        out.append(Frame(frame.ref_id, fields, frame.name))
    return out


def join_by_field(frames: list[Frame], options: Mapping[str, Any]) -> list[Frame]:
    """Mode outerTabular (joinDataFrames.ts ``joinOuterTabular``): the join field first (the first frame's), then
    every other field frame by frame; for each frame's rows in turn, the row joined to the first matching row of
    each other frame (===), nothing where none matches; identical rows once, in the order first made. A frame
    without the field is left out; one frame is returned as it is."""
    if options.get("mode") != "outerTabular" or not options.get("byField"):
        raise NotImplementedError(f"joinByField {dict(options)}: only outerTabular by a named field is emulated")
    if len(frames) < 2:
        return frames
    matches = _field_matcher({"id": "byName", "options": options["byField"]})
    tables: list[tuple[Field, list[Field]]] = []
    for frame in frames:
        join = next((f for f in frame.fields if matches(f)), None)
        if join is not None:
            tables.append((join, [f for f in frame.fields if f is not join]))
    if not tables:
        return frames
    width = 1 + sum(len(others) for _join, others in tables)
    offsets = list(itertools.accumulate([1] + [len(others) for _join, others in tables]))
    rows: dict[str, list[Any]] = {}
    for index, (join, others) in enumerate(tables):
        for other_index, (other_join, other_fields) in enumerate(tables):
            if other_index == index:
                continue
            for i, key in enumerate(join.values):
                row: list[Any] = [key] + [None] * (width - 1)
                for k, f in enumerate(others):
                    row[offsets[index] + k] = f.values[i]
                match = next((j for j, v in enumerate(other_join.values) if v == key and type(v) is type(key)), None)
                if match is not None:
                    for k, f in enumerate(other_fields):
                        row[offsets[other_index] + k] = f.values[match]
                rows.setdefault(repr(row), row)
    fields = [tables[0][0], *(f for _join, others in tables for f in others)]
    columns = list(zip(*rows.values(), strict=True)) if rows else [()] * width
    joined = tuple(replace(f, values=tuple(values)) for f, values in zip(fields, columns, strict=True))
    return [Frame("", joined)]


TRANSFORMERS: dict[str, Callable[[list[Frame], Mapping[str, Any]], list[Frame]]] = {
    "organize": organize,
    "groupBy": group_by,
    "reduce": reduce,
    "sortBy": sort_by,
    "calculateField": calculate_field,
    "convertFieldType": convert_field_type,
    "configFromData": config_from_data,
    "filterByRefId": filter_by_ref_id,
    "filterFieldsByName": filter_fields_by_name,
    "filterByValue": filter_by_value,
    "joinByField": join_by_field,
    "partitionByValues": partition_by_values,
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

    columns = tuple(names.get(f.display_name, f.display_name) for f in fields)
    rows = [tuple(_mapped(f, f.values[i]) for f in fields) for i in range(frame.length)]
    return Table(columns, rows)
