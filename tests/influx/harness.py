"""Run an InfluxQL panel file on a real influxd as Grafana's InfluxDB datasource would send it.

A query file is rendered with Jinja2 and the environment's context (as the SQL files are), then goes through the
project's model of Grafana's InfluxDB datasource: ``influxqlcheck.substitute`` inserts the template variables by
their shipped definitions (multi, include all, custom all value) and expands the backend's macros
(``$timeFilter``, ``$__interval``...) and the global ``${__from}``/``${__to}`` for the panel's range (a today panel's
from midnight in the dashboard's time zone, as Grafana computes its relative time now/d); ``pin_now`` then
pins ``now()`` to the test's instant, so that "the last five minutes" means the same minutes the local engine sees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from connect_ingest.sinks.influx import InfluxAuth

from core.model import CompiledDashboard
from core.template_variable import TemplateVariable
from core.timerange import TimeRange, panel_range
from dashcompiler.api import Dashboard, PanelResult, RealtimeQuery
from dashcompiler.compile import compile_model
from dashcompiler.config import load_config
from dashcompiler.definition_loader import load_definitions
from dashcompiler.queries import QueryTemplates
from influxqlcheck import ALL, pin_now, substitute
from localquery import transforms
from localquery.influx import InfluxStats, InfluxTable, run_influxql
from localquery.influx_panel import variable_values as influx_variable_values
from localquery.run import Result, ref_ids, time_range, transformed

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
DATABASE = "connect"
DEFAULT_RANGE = timedelta(hours=1)  # the real-time dashboards open on now-1h
# A selection per variable, as a dashboard user makes it: one value, several, or ALL (Grafana's "All").
Variables = Mapping[str, str | Sequence[str]]
Definitions = Mapping[str, TemplateVariable]


@dataclass(frozen=True)
class InfluxStore:
    """A database on a running influxd, the Connect instance its data is for, and what loading it wrote."""

    url: str
    database: str
    instance: str
    auth: InfluxAuth = field(default_factory=InfluxAuth)
    stats: InfluxStats | None = None
    # For a store no test writes to after loading: each query's answer, kept. The tests send one query for every
    # stat panel it feeds (Grafana sends it once per refresh) and a variable's values for every panel they run.
    answers: dict[str, list[InfluxTable]] | None = field(default=None, compare=False, repr=False)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_instant(moment: str | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC)
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)


@cache
def render(path: Path) -> str:
    """The file rendered as ``dash build`` renders queries: same Jinja2 environment and context (once per file: the
    tests change no query file)."""
    env = load_config(ROOT).env(None)
    relative = path.resolve().relative_to(QUERIES)
    templates = QueryTemplates(QUERIES, env.template_context())
    return templates.render(relative.parts[0], "/".join(relative.parts[1:]), str(path))


def _name(file: Path) -> str:
    """A query file's name under its kind's folder, without suffix: the same for both real-time stores."""
    return "/".join(file.resolve().relative_to(QUERIES).with_suffix("").parts[1:])


@cache
def _prod() -> dict[str, CompiledDashboard]:
    """The prod environment's dashboards (its real-time store is InfluxDB) by uid."""
    return {board.uid: board for board in compile_model(ROOT, "prod").dashboards}


@cache
def _shipped() -> dict[str, dict[str, TemplateVariable]]:
    """Per query name, the variables of the first shipped dashboard that runs it (as a panel's or a variable's
    query). Compiled for prod, whichever real-time store it uses: a variable's definition is the same in both."""
    found: dict[str, dict[str, TemplateVariable]] = {}
    for board in _prod().values():
        for query in board.queries:
            found.setdefault(_name(query.file), {v.name: v for v in board.variables})
    return found


@cache
def _relative_times() -> dict[str, str]:
    """Per query name, the relative time (Grafana's panel timeFrom) of the shipped panel that runs it, if any."""
    found: dict[str, str] = {}
    for board in _prod().values():
        for query in board.queries:
            if query.relative_time is not None:
                found[_name(query.file)] = query.relative_time
    return found


def definitions(path: Path) -> dict[str, TemplateVariable]:
    """The template variables the dashboard shipping ``path`` declares."""
    shipped = _shipped().get(_name(path))
    if shipped is None:
        raise KeyError(f"{path}: no shipped dashboard runs it; only a dashboard's queries can be prepared")
    return shipped


def grafana_value(variable: TemplateVariable, given: str | Sequence[str]) -> str | tuple[str, ...]:
    """A selection as Grafana hands it to the datasource (localquery.influx_panel's rule): All as ALL where
    Grafana knows what it stands for (a custom all value or fixed options), a multi-value variable's values as
    a list, a single-value variable's one value."""
    if given == ALL:
        if variable.all_value or variable.options:
            return ALL
        raise ValueError(f"${variable.name}: All of a query variable without a custom all value; pass its values")
    values = (given,) if isinstance(given, str) else tuple(given)
    if variable.multi:
        return values
    if len(values) != 1:
        raise ValueError(f"${variable.name} takes one value, not {list(values)}")
    return values[0]


def prepare(
    path: Path,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
) -> str:
    """The InfluxQL Grafana would send at ``instant`` (its "now") for a range from ``start`` (default now-1h), or,
    for a panel with its own relative time (today so far), from the last midnight in ``timezone`` (the dashboard's).

    ``variables`` are selections of the shipping dashboard's variables; a name it does not declare, or one the
    query uses and no selection gives, is an error, as Grafana would leave it in the query as written.
    """
    end = as_instant(instant)
    dashboard_range = time_range(as_instant(start) if start is not None else end - DEFAULT_RANGE, end)
    tr = panel_range(dashboard_range, _relative_times().get(_name(path)), timezone)
    declared = definitions(path)
    unknown = sorted(set(variables) - set(declared))
    if unknown:
        raise KeyError(f"{path}: {unknown} not among the dashboard's variables {sorted(declared)}")
    selections = {name: grafana_value(declared[name], given) for name, given in variables.items()}
    return _substituted(path, tuple(sorted(selections.items())), tr, end)


@cache
def _substituted(
    path: Path, selections: tuple[tuple[str, str | tuple[str, ...]], ...], tr: TimeRange, end: datetime
) -> str:
    """``prepare``'s query text, made once per file, selections, range and instant (tests repeat them: a variable's
    values for each panel at an instant, a stat over the default hour and the same hour given)."""
    declared = definitions(path)
    substituted = substitute(render(path), {n: declared[n] for n, _ in selections}, dict(selections), tr)
    if substituted.problems:
        raise KeyError(f"{path}: {substituted.problems[0][1]}")
    text, _ = pin_now(substituted.text, end)
    return text


@cache
def _boards() -> dict[str, Dashboard]:
    return {d.dashboard.uid: d.dashboard for d in load_definitions(ROOT / "dashboards")}


def panel_source(uid: str, key: str) -> tuple[Path, tuple[str, ...]]:
    """The InfluxQL file whose result panel ``key`` shows (its own first query, or that of the panel whose result it
    re-uses through Grafana's Dashboard datasource), and the fields the panel shows of it (() all)."""
    panels = {p.key: p for row in _boards()[uid].rows for p in row.panels}
    panel = panels[key]
    query = panel.queries[0]
    if isinstance(query, PanelResult):
        query = panels[query.panel].queries[0]
    assert isinstance(query, RealtimeQuery), f"{uid}/{key}: not a real-time panel"
    return QUERIES / "influxdb" / f"{query.name}.influxql", panel.fields


def shown_fields(tables: Sequence[InfluxTable], fields: Sequence[str]) -> list[InfluxTable]:
    """Series cut to the fields a panel shows (reduceOptions.fields or filterFieldsByName), time kept first as
    InfluxQL returns it; all of them when the panel selects none."""
    if not fields:
        return list(tables)
    kept = []
    for table in tables:
        missing = [f for f in fields if f not in table.columns]
        assert not missing, f"{missing} not among the columns {table.columns}"
        index = [0, *(i for i, c in enumerate(table.columns) if c in fields)]
        columns = tuple(table.columns[i] for i in index)
        kept.append(InfluxTable(table.name, table.tags, columns, [tuple(r[i] for i in index) for r in table.rows]))
    return kept


def run_panel(
    store: InfluxStore,
    uid: str,
    key: str,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
) -> list[InfluxTable]:
    """What panel ``key`` of dashboard ``uid`` shows of its query's series on ``store`` (before the panel's own
    transformations): the query it runs or re-uses, over that query's panel's range (a today panel's day in
    ``timezone``), cut to its fields."""
    path, fields = panel_source(uid, key)
    return shown_fields(run_file(store, path, instant, variables, start, timezone), fields)


def run_file(
    store: InfluxStore,
    path: Path,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
) -> list[InfluxTable]:
    """Every series the file's query returns on ``store`` at ``instant`` (a today panel's day in ``timezone``)."""
    text = prepare(path, instant, variables, start, timezone)
    if store.answers is None:
        return run_influxql(store.url, store.database, store.auth, text, what=str(path))
    if text not in store.answers:
        store.answers[text] = run_influxql(store.url, store.database, store.auth, text, what=str(path))
    return [InfluxTable(t.name, dict(t.tags), t.columns, list(t.rows)) for t in store.answers[text]]


def source_frames(
    store: InfluxStore,
    uid: str,
    key: str,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
    tag_order: Sequence[str] | None = None,
) -> tuple[list[transforms.Frame], dict[str, str]]:
    """The frames panel ``key`` of the shipped (prod) dashboard ``uid`` receives, before its transformations: every
    target of the panel whose queries it shows (its own, or its source's through the Dashboard datasource) run on
    ``store``, framed as Grafana's InfluxDB datasource frames a table (``tag_order``: the first target's tag keys'
    order, default InfluxDB's); and each refId's query file."""
    board = _prod()[uid]
    queries = board.panel_queries(board.panel_data(key).source)
    frames, files = [], {}
    for index, (ref, query) in enumerate(zip(ref_ids(board, key), queries, strict=True)):
        tables = run_file(store, query.file, instant, variables, start, timezone)
        frames += transforms.table_frames(ref, tables, tag_order if index == 0 else None)
        files[ref] = str(query.file)
    return frames, files


def panel_results(
    store: InfluxStore,
    uid: str,
    key: str,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
    tag_order: Sequence[str] | None = None,
) -> list[Result]:
    """What panel ``key`` of the shipped (prod) dashboard ``uid`` shows, as `dash query` shows it: its frames
    (``source_frames``) through the panel's transformations as Grafana applies them (localquery/transforms.py),
    each frame a result, its series named as the panel names them."""
    frames, files = source_frames(store, uid, key, instant, variables, start, timezone, tag_order)
    return transformed(_prod()[uid], key, frames, files)


def _stat(uid: str, key: str, results: Sequence[Result]) -> object:
    """A stat's one value of its results; None for no row or NaN ("No data": lastNotNull skips NaN)."""
    if not results:
        return None
    (found,) = results
    _, (field,) = panel_source(uid, key)
    (row,) = found.rows
    value = row[found.columns.index(field)]
    return None if value is None or value != value else value


def stat_value(
    store: InfluxStore,
    uid: str,
    key: str,
    instant: str | datetime,
    variables: Variables,
    timezone: str = "UTC",
) -> object:
    """The stat ``key``'s one value as Grafana shows it: its query's rows through the panel's transformations (the
    source's too, through the Dashboard datasource), its field's value; None for "No data"."""
    return _stat(uid, key, panel_results(store, uid, key, instant, variables, timezone=timezone))


def stat_values(
    store: InfluxStore, uid: str, keys: Sequence[str], instant: str | datetime, variables: Variables
) -> dict[str, object]:
    """``stat_value`` of each of ``keys``, stats that show one source panel's result: its queries run once, as
    Grafana runs them once per refresh for every panel re-using them."""
    board = _prod()[uid]
    (source,) = {board.panel_data(key).source for key in keys}
    frames, files = source_frames(store, uid, source, instant, variables)
    return {key: _stat(uid, key, transformed(board, key, frames, files)) for key in keys}


def panel_rows(
    store: InfluxStore,
    uid: str,
    key: str,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
    timezone: str = "UTC",
) -> list[dict[str, Any]]:
    """The rows of the table panel ``key`` shows (``panel_results``' first), column by column."""
    results = panel_results(store, uid, key, instant, variables, start, timezone)
    if not results:
        return []
    return [dict(zip(results[0].columns, row, strict=True)) for row in results[0].rows]


def variable_values(store: InfluxStore, name: str, instant: str | datetime, variables: Variables) -> list[str]:
    """What a query variable lists, as `dash query --engine influxdb` reads it."""
    return influx_variable_values(
        run_file(store, QUERIES / "influxdb" / "variables" / f"{name}.influxql", instant, variables)
    )


def choose(
    store: InfluxStore,
    instant: str | datetime,
    assignments: Sequence[str],
    multi: Mapping[str, Sequence[str] | None],
) -> dict[str, str | list[str]]:
    """Variables as ``dash query --var`` assignments set them; a multi variable not given is All.

    ``multi`` maps each multi-value variable to its custom values (All is then ALL), or None for a query
    variable without a custom all value, whose All is every value its InfluxQL lists, as Grafana sends it.
    ``instance`` is the store's unless assigned.
    """
    given: dict[str, list[str]] = {}
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        given.setdefault(name, []).append(value)
    chosen: dict[str, str | list[str]] = {"instance": given.pop("instance", [store.instance])[0]}
    for name, values in multi.items():
        everything = ALL if values else variable_values(store, name, instant, chosen)
        chosen[name] = given.pop(name, None) or everything
    chosen.update({name: values[0] for name, values in given.items()})
    return chosen
