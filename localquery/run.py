"""Run one panel's queries locally: load the data, choose variables, expand, translate, execute."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from connect_ingest import datamodel

from core.environment import Environment
from core.errors import QueryError, UntranslatableError
from core.model import CompiledDashboard, PanelOwner, RenderedQuery, VariableOwner
from core.template_variable import VARIABLE_PATTERN
from core.timerange import TimeRange
from localquery import transforms
from localquery.engine_errors import explain_duckdb
from localquery.loader import LoadStats, load
from localquery.selection import (
    ALL,
    Selection,
    Variable,
    parse_assignments,
    queried_variables,
    select,
    substitute,
)
from localquery.translate import install_macros, to_duckdb

_MISSING_FUNCTION = re.compile(r"(?:Scalar|Aggregate|Table) Function with name \"?([\w.]+)\"? does not exist")
_LABEL = re.compile(r"\$\{__field\.labels\.(\w+)\}")
MAX_POINTS = 1000  # Grafana's interval: the range over about this many points


@dataclass(frozen=True)
class Result:
    """The rows one query returned, with its panel and reference id for display."""

    panel: str
    file: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    types: tuple[str, ...] = ()  # each column's engine type (DuckDB's name, e.g. TIMESTAMP, VARCHAR) when known
    field_types: tuple[str, ...] = ()  # after a panel's transformations: each column's Grafana field type ("time"...)


@dataclass(frozen=True)
class VariableUse:
    """A variable a panel's queries use, the value they ran with, and where that value came from."""

    name: str
    value: str  # "All", or the values joined with ", "
    origin: str  # "--var", "default" (saved or All), "first value of its query", "first option"


@dataclass(frozen=True)
class PanelRun:
    """What `dash query` shows: the rows, the variables used (and the dashboard's others), warnings."""

    results: list[Result]
    used: tuple[VariableUse, ...]
    unused: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Session:
    """Data loaded once into DuckDB, with "now" pinned to the end of the range."""

    con: duckdb.DuckDBPyConnection
    env: Environment
    time_range: TimeRange
    stats: LoadStats
    translated: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, expanded text) -> DuckDB SQL


def parse_instant(text: str, option: str) -> datetime:
    """ISO-8601 with or without an offset (none means UTC)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"{option} {text!r}: not an ISO-8601 time; use e.g. 2026-02-01T00:00:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def time_range(start: datetime, end: datetime) -> TimeRange:
    if end <= start:
        raise QueryError(f"--to {end:%Y-%m-%dT%H:%M:%SZ} is not after --from {start:%Y-%m-%dT%H:%M:%SZ}")
    from_ms, to_ms = round(start.timestamp() * 1000), round(end.timestamp() * 1000)
    return TimeRange(from_ms, to_ms, max((to_ms - from_ms) // MAX_POINTS, 1))


def open_session(data: Path, env: Environment, tr: TimeRange, tables: Collection[str] | None = None) -> Session:
    """Load ``tables`` (all if None) from ``data`` into a new in-memory DuckDB."""
    con = duckdb.connect(":memory:")
    install_macros(con, tr.end().replace(tzinfo=None))
    stats = load(
        data,
        con,
        timestream_database=env.timestream_database,
        ctr_table=env.ctr_table,
        as_of_ms=tr.to_ms,
        tables=tables,
    )
    return Session(con, env, tr, stats)


def referenced_tables(queries: Iterable[RenderedQuery], env: Environment) -> set[str] | None:
    """The tables these queries read, so loading skips the rest; None (all) if a macro names a table."""
    names: set[str] = set()
    database = re.compile(rf'"{re.escape(env.timestream_database)}"\.(\w+)')
    ctr = re.compile(rf"\b{re.escape(env.ctr_table)}\b")
    agent_events = re.compile(rf"\b{datamodel.AGENT_EVENTS.name}\b")
    for query in queries:
        if "$__table" in query.text or "$__database" in query.text:
            return None
        names.update(database.findall(query.text))
        if ctr.search(query.text):
            names.add(env.ctr_table)
        if agent_events.search(query.text):
            names.add(datamodel.AGENT_EVENTS.name)
    return names


def execute(
    session: Session, query: RenderedQuery, variables: Sequence[Variable], chosen: Mapping[str, Selection]
) -> Result:
    """One rendered query, as the plugin would send it, run on DuckDB: over the session's range, or the query's
    panel's own (today so far) ending at the same instant."""
    where = str(query.file)
    tr = query.time_range(session.time_range)
    text = substitute(query.text, variables, chosen, where)
    try:
        text = query.kind.expand(text, query.kind.context(session.env), query.target, tr)
    except ValueError as exc:
        raise QueryError(f"{where}: {exc}") from None
    key = (query.kind.name, text)
    sql = session.translated.get(key) or session.translated.setdefault(key, to_duckdb(text, query.kind, where))
    try:
        cursor = session.con.execute(naive_times(session.con, sql))
        rows = cursor.fetchall()
    except duckdb.CatalogException as exc:
        missing = _MISSING_FUNCTION.search(str(exc))
        if missing:
            hint = re.search(r'Did you mean "([^"]+)"', str(exc))
            raise UntranslatableError(
                f"{where}: function {missing.group(1)}() has no DuckDB equivalent"
                + (f" (did you mean {hint.group(1)}()?)" if hint else "")
                + "; if Timestream or Athena has it, add a macro in localquery/translate.py"
            ) from None
        raise QueryError(explain_duckdb(str(exc), where)) from None
    except duckdb.Error as exc:
        raise QueryError(explain_duckdb(str(exc), where)) from None
    columns = tuple(d[0] for d in cursor.description or ())
    return Result(str(query.owner), where, columns, rows, tuple(str(d[1]) for d in cursor.description or ()))


def naive_times(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Return times as UTC TIMESTAMPs: the session is UTC, and Python needs pytz for zoned values."""
    described = con.execute(f"DESCRIBE {sql}").fetchall()
    if not any("WITH TIME ZONE" in str(kind) for _name, kind, *_ in described):
        return sql
    columns = ", ".join(
        f'CAST("{name}" AS {str(kind).replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP")}) AS "{name}"'
        if "WITH TIME ZONE" in str(kind)
        else f'"{name}"'
        for name, kind, *_ in described
    )
    return f"SELECT {columns} FROM ({sql}) AS localquery_result"


def variable_queries(
    board: CompiledDashboard, queries: Sequence[RenderedQuery], given: Mapping[str, tuple[str, ...]]
) -> set[str]:
    """The variables whose queries must run for ``queries``: only their tables need loading."""
    texts = {q.owner.name: q.text for q in board.queries if isinstance(q.owner, VariableOwner)}
    return queried_variables(board.variables, given, [q.text for q in queries], texts)


def choose(
    session: Session,
    board: CompiledDashboard,
    given: Mapping[str, tuple[str, ...]],
    queried: Collection[str] | None = None,
) -> tuple[tuple[Variable, ...], dict[str, Selection]]:
    """The dashboard's variables and their selections, running variable queries (``queried`` only) locally."""
    variables = board.variables

    def options_of(var: Variable, so_far: Mapping[str, Selection]) -> list[str]:
        query = board.variable_query(var.name)
        if query is None:
            return []
        result = execute(session, query, [v for v in variables if v.name in so_far], so_far)
        return [str(row[0]) for row in result.rows if row[0] is not None]

    return variables, select(variables, given, options_of, queried)


def find_board(boards: Sequence[CompiledDashboard], uid: str) -> CompiledDashboard:
    for board in boards:
        if board.uid == uid:
            return board
    raise QueryError(f"no dashboard {uid!r}; `dash list` shows: {', '.join(b.uid for b in boards)}")


def panel_queries(board: CompiledDashboard, panel: str) -> list[RenderedQuery]:
    """The queries whose results ``panel`` shows: its own, or those of the panel whose result it re-uses."""
    queries = list(board.panel_queries(board.panel_data(panel).source))
    if not queries:
        owners = {q.owner.key for q in board.queries if isinstance(q.owner, PanelOwner)}
        keys = ", ".join(sorted(owners | {d.key for d in board.data}))
        raise QueryError(f"{board.uid}: no panel {panel!r}; panels with data: {keys}")
    return queries


def panel_transformations(board: CompiledDashboard, panel: str) -> list[dict[str, Any]]:
    """The transformations Grafana applies to what ``panel`` shows: a panel that re-uses another's result with
    ``withTransforms`` gets the source's first (the Dashboard datasource), then every panel its own."""
    body = board.panel_json(panel) or {}
    steps = list(body.get("transformations") or ())
    source = board.panel_data(panel).source
    if source != panel and any(t.get("withTransforms") for t in body.get("targets") or ()):
        steps = [*((board.panel_json(source) or {}).get("transformations") or ()), *steps]
    return steps


def ref_ids(board: CompiledDashboard, panel: str) -> list[str]:
    """The refIds of the targets whose results ``panel`` shows (its own, or its source's), in query order."""
    body = board.panel_json(board.panel_data(panel).source) or {}
    return [str(t.get("refId", "A")) for t in body.get("targets") or ()]


def _labelled(display: str, labels: Mapping[str, str]) -> str:
    """A displayName such as ``${__field.labels.queue_name}`` for a field with these labels."""
    return _LABEL.sub(lambda match: labels.get(match.group(1), ""), display)


def transformed(
    board: CompiledDashboard, panel: str, frames: Sequence[transforms.Frame], files: Mapping[str, str]
) -> list[Result]:
    """The frames of ``panel``'s queries (by refId, ``files`` naming each refId's query file) after the panel's
    transformations, as Grafana chains them, each frame a result."""
    body = board.panel_json(panel) or {}
    display = body.get("fieldConfig", {}).get("defaults", {}).get("displayName")
    out = []
    for frame in transforms.apply(frames, panel_transformations(board, panel)):
        columns, rows = transforms.frame_rows(frame)
        if display:  # each series named as the panel names it, e.g. by a label partitionByValues set
            columns = tuple(
                _labelled(display, f.labels) if f.labels and f.type != "time" else name
                for f, name in zip(frame.fields, columns, strict=True)
            )
        out.append(Result(panel, files.get(frame.ref_id, ""), columns, rows, field_types=_types(frame)))
    return out


def _types(frame: transforms.Frame) -> tuple[str, ...]:
    """Each field's Grafana type, so a reader finds the time field whatever its name (``Time`` after a join)."""
    return tuple(f.type for f in frame.fields)


def series(results: Sequence[Result]) -> dict[str, dict[Any, Any]]:
    """The series a time-series panel shows of its results (after its transformations): each column but the time
    (``Time``) of each result, by its name, as time -> value, a null point left out (Grafana draws none)."""
    found: dict[str, dict[Any, Any]] = {}
    for result in results:
        if "Time" not in result.columns:
            raise QueryError(f"{result.panel}: {result.file} gives no Time column to draw {result.columns} over")
        at = result.columns.index("Time")
        for index, name in enumerate(result.columns):
            if index != at:
                points = found.setdefault(name, {})
                points.update({row[at]: row[index] for row in result.rows if row[index] is not None})
    return found


def shown(board: CompiledDashboard, panel: str, results: Sequence[Result]) -> list[Result]:
    """What ``panel`` shows of its queries' results, as Grafana selects it: the panel's transformations applied
    (localquery/transforms.py), then only its fields (reduceOptions.fields or filterFieldsByName), in the result's
    column order; a result with none of them is no frame of the panel's."""
    if panel_transformations(board, panel):
        refs = ref_ids(board, panel)
        ids = [refs[i] if i < len(refs) else "A" for i in range(len(results))]
        frames = [transforms.result_frame(ref, r.columns, r.rows) for ref, r in zip(ids, results, strict=True)]
        results = transformed(board, panel, frames, {ref: r.file for ref, r in zip(ids, results, strict=True)})
    return cut_fields(board, panel, results)


def cut_fields(board: CompiledDashboard, panel: str, results: Sequence[Result]) -> list[Result]:
    """The results cut to ``panel``'s fields (reduceOptions.fields or filterFieldsByName), in column order."""
    data = board.panel_data(panel)
    if not data.fields:
        return [Result(panel, r.file, r.columns, r.rows, field_types=r.field_types) for r in results]
    kept = []
    for result in results:
        if not result.columns:
            kept.append(Result(panel, result.file, (), []))
            continue
        missing = [f for f in data.fields if f not in result.columns]
        if len(missing) == len(data.fields):
            continue
        if missing:
            raise QueryError(
                f"{board.uid}: panel {panel!r} shows {missing}, which {result.file} (panel {data.source!r}) does not "
                f"return; it returns {', '.join(result.columns)}"
            )
        index = [i for i, name in enumerate(result.columns) if name in data.fields]
        kept.append(
            Result(
                panel,
                result.file,
                tuple(result.columns[i] for i in index),
                [tuple(row[i] for i in index) for row in result.rows],
                field_types=tuple(result.field_types[i] for i in index) if result.field_types else (),
            )
        )
    if not kept:
        files = ", ".join(r.file for r in results)
        raise QueryError(f"{board.uid}: panel {panel!r} shows {list(data.fields)}, which no query of {files} returns")
    return kept


def panel_variables(board: CompiledDashboard, queries: Sequence[RenderedQuery]) -> list[str]:
    """The dashboard's variables ``queries`` refer to, directly or through another variable's query, in order."""
    declared = {v.name for v in board.variables}
    found: set[str] = set()
    pending = [q.text for q in queries]
    while pending:
        for match in VARIABLE_PATTERN.finditer(pending.pop()):
            name = match.group(1) or match.group(2) or match.group(4)
            if name in declared and name not in found:
                found.add(name)
                query = board.variable_query(name)
                if query is not None:
                    pending.append(query.text)
    return [v.name for v in board.variables if v.name in found]


def _origin(var: Variable, given: Mapping[str, tuple[str, ...]]) -> str:
    if var.name in given:
        return "--var"
    if var.current or var.include_all:
        return "default"
    return "first value of its query" if var.kind == "query" else "first option"


def describe_variables(
    board: CompiledDashboard,
    names: Sequence[str],
    chosen: Mapping[str, Selection],
    given: Mapping[str, tuple[str, ...]],
) -> tuple[VariableUse, ...]:
    by_name = {v.name: v for v in board.variables}
    uses = []
    for name in names:
        selection = chosen[name]
        value = "All" if selection.all else ", ".join(selection.values) or "(none)"
        uses.append(VariableUse(name, value, _origin(by_name[name], given)))
    return tuple(uses)


def checkable_variables(board: CompiledDashboard, given: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Given query variables whose own query the local engine can run, to hold the given values to its values."""
    names = []
    for var in board.variables:
        query = board.variable_query(var.name)
        values = [v for v in given.get(var.name, ()) if v not in ALL]
        if values and var.kind == "query" and query is not None and query.kind.local_dialect is not None:
            names.append(var.name)
    return names


def unmatched(
    session: Session,
    board: CompiledDashboard,
    variables: Sequence[Variable],
    chosen: Mapping[str, Selection],
    given: Mapping[str, tuple[str, ...]],
) -> tuple[str, ...]:
    """A warning for each --var value that is none of its variable's values on this data (a typo, another
    instance's id): the panel runs with it and shows nothing, so say which values exist."""
    warnings = []
    checkable = set(checkable_variables(board, given))
    for var in variables:
        values = [v for v in given.get(var.name, ()) if v not in ALL]
        query = board.variable_query(var.name)
        if not values or (var.kind == "query" and var.name not in checkable):
            continue
        if var.kind == "query" and query is not None:
            rows = execute(session, query, variables, chosen).rows
            options = [str(row[0]) for row in rows if row[0] is not None]
            source = f"its query {query.file} lists on this data"
        else:
            options = list(var.options)
            source = "its options are"
        missing = [v for v in values if v not in options]
        if missing:
            shown = ", ".join(options[:20]) + (f" and {len(options) - 20} more" if len(options) > 20 else "")
            warnings.append(
                f"--var {var.name}={missing[0]}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                + f" matches no value of ${var.name}; {source}: {shown or 'nothing'}"
            )
    return tuple(warnings)


def run_panel(
    env: Environment,
    dashboards: Sequence[CompiledDashboard],
    dashboard_uid: str,
    panel: str,
    data: Path,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
) -> list[Result]:
    """``dash query --engine local``: every query of one panel over ``data`` in [start, end], or over the panel's
    own relative time (today so far) ending at ``end``, as Grafana queries it."""
    return run_panel_report(env, dashboards, dashboard_uid, panel, data, start, end, assignments).results


def run_panel_report(
    env: Environment,
    dashboards: Sequence[CompiledDashboard],
    dashboard_uid: str,
    panel: str,
    data: Path,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
) -> PanelRun:
    """``run_panel`` with the variables the panel used and warnings about --var values the data lacks."""
    tr = time_range(parse_instant(start, "--from"), parse_instant(end, "--to"))
    board = find_board(dashboards, dashboard_uid)
    queries = panel_queries(board, panel)
    for query in queries:
        if query.kind.local_dialect is None and query.kind.realtime is None:
            raise UntranslatableError(
                f"{board.uid}: panel {panel!r} reads {query.kind.display_name} ({query.file.name}): no local "
                "engine exists for that kind, and no simulated data for it; look at the panel in Grafana"
            )
    given = parse_assignments(assignments)
    queried = variable_queries(board, queries, given)
    listing = sorted(queried | set(checkable_variables(board, given)))
    needed = [*queries, *(q for name in listing if (q := board.variable_query(name)) is not None)]
    session = open_session(data, env, tr, referenced_tables(needed, env))
    try:
        variables, chosen = choose(session, board, given, queried)
        warnings = unmatched(session, board, variables, chosen, given)
        results = shown(board, panel, [execute(session, q, variables, chosen) for q in queries])
    finally:
        session.con.close()
    names = panel_variables(board, queries)
    unused = tuple(v.name for v in board.variables if v.name not in names)
    return PanelRun(results, describe_variables(board, names, chosen, given), unused, warnings)
