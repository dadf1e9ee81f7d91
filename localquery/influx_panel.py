"""`dash query --engine influxdb`: one panel's InfluxQL on a running InfluxDB, as Grafana's InfluxDB datasource
sends it: template variables inserted by its rules (influxqlcheck.substitute), the backend's macros for the
range, and `now()` pinned to the end of the range, as the local engine pins it for SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from connect_ingest.sinks.influx import InfluxAuth

from core.errors import QueryError
from core.kinds import DatasourceKind
from core.model import CompiledDashboard, RenderedQuery
from core.template_variable import TemplateVariable
from core.timerange import TimeRange
from influxqlcheck import ALL, pin_now, substitute
from localquery import transforms
from localquery.influx import InfluxTable, run_influxql
from localquery.run import (
    Result,
    cut_fields,
    find_board,
    panel_queries,
    panel_transformations,
    parse_instant,
    ref_ids,
    time_range,
    transformed,
)
from localquery.selection import Selection, parse_assignments, select


@dataclass(frozen=True)
class InfluxTarget:
    """Where the queries go; the credentials stay out of every message."""

    url: str
    database: str
    auth: InfluxAuth


def run_influx_panel(
    kind: DatasourceKind,
    dashboards: Sequence[CompiledDashboard],
    dashboard_uid: str,
    panel: str,
    target: InfluxTarget,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
) -> list[Result]:
    """Every query of one panel of ``kind`` (the environment's InfluxDB store), over [start, end]."""
    end_at = parse_instant(end, "--to")
    tr = time_range(parse_instant(start, "--from"), end_at)
    board = find_board(dashboards, dashboard_uid)
    queries = panel_queries(board, panel)
    foreign = [q for q in queries if q.kind is not kind]
    if foreign:
        raise QueryError(
            f"{board.uid}: panel {panel!r} reads {foreign[0].kind.display_name}; --engine influxdb runs the panels "
            f"of an environment whose realtime_store is {kind.name} (--env), and history panels run with --engine local"
        )

    def options_of(var: TemplateVariable, so_far: Mapping[str, Selection]) -> list[str]:
        query = board.variable_query(var.name)
        if query is None:
            return []
        return sorted(set(variable_values(_run(query, board.variables, so_far, tr, target, end_at))))

    chosen = select(board.variables, parse_assignments(assignments), options_of)
    runs = [(query, _run(query, board.variables, chosen, tr, target, end_at)) for query in queries]
    if panel_transformations(board, panel):  # as Grafana shows them: the datasource's frames, transformed
        refs = ref_ids(board, panel)
        frames = [f for ref, (_q, tables) in zip(refs, runs, strict=True) for f in transforms.table_frames(ref, tables)]
        files = {ref: str(query.file) for ref, (query, _t) in zip(refs, runs, strict=True)}
        return cut_fields(board, panel, transformed(board, panel, frames, files))
    results = []
    for query, tables in runs:
        columns, rows = _flatten(tables)
        results.append(Result(str(query.owner), str(query.file), columns, rows))
    return cut_fields(board, panel, results)


def variable_values(tables: Sequence[InfluxTable]) -> list[str]:
    """What a query variable lists from InfluxQL's series: each row's second column, the first after ``time``
    (Grafana's InfluxDB response parser for variable queries); never the last, which is the count a SELECT
    variable query carries to have a field."""
    return [str(row[1]) for table in tables for row in table.rows if len(row) > 1 and row[1] is not None]


def _run(
    query: RenderedQuery,
    variables: Sequence[TemplateVariable],
    chosen: Mapping[str, Selection],
    tr: TimeRange,
    target: InfluxTarget,
    end_at: object,
) -> list[InfluxTable]:
    declared = {v.name: v for v in variables if v.name in chosen}
    selections = {name: _value(declared[name], selection) for name, selection in chosen.items() if name in declared}
    substituted = substitute(query.text, declared, selections, query.time_range(tr))
    if substituted.problems:
        raise QueryError(f"{query.file}: {substituted.problems[0][1]}")
    text, _ = pin_now(substituted.text, tr.end())
    return run_influxql(target.url, target.database, target.auth, text, what=str(query.file))


def _value(variable: TemplateVariable, selection: Selection) -> str | tuple[str, ...]:
    """A selection as Grafana hands it to the datasource: All with a custom all value, a list, or one value."""
    if selection.all:
        return ALL if variable.all_value else tuple(selection.values)
    if variable.multi:
        return tuple(selection.values)
    return selection.values[0] if selection.values else ""


def _flatten(tables: Sequence[InfluxTable]) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """One table of rows: each series' GROUP BY tags as leading columns, as Grafana's table format shows them."""
    if not tables:
        return (), []
    tag_keys = tuple(sorted({key for table in tables for key in table.tags}))
    columns = tag_keys + tables[0].columns
    rows = [tuple(table.tags.get(k, "") for k in tag_keys) + tuple(row) for table in tables for row in table.rows]
    return columns, rows
