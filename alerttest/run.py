"""Replay compiled alert rule groups over simulated incidents, through DuckDB or a running InfluxDB."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alerting.evaluate import QueryOutcome
from alerting.replay import Replay, Runner, replay
from alerting.rule import AlertRule, DataQuery, RuleError, RuleGroup, parse_groups, select_rules
from alerting.values import Frame
from connect_simulator.config import SimulationConfig
from connect_simulator.incidents import INCIDENTS, MINUTE, NORMAL_DAY, Incident, incident
from connect_simulator.output import simulate
from core.environment import Environment
from core.errors import QueryError, UsageError
from core.model import AlertQuery, CompiledAlertGroup, RenderedQuery
from influxqlcheck import pin_now, substitute
from localquery.influx import InfluxTable, load_simulation, run_influxql
from localquery.influx_panel import InfluxTarget
from localquery.replay import open_moving
from localquery.run import Result, referenced_tables

_TIME_TYPES = ("TIMESTAMP", "DATE", "TIME")
_NUMBER_TYPES: tuple[str, ...] = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_NUMBER_TYPES += ("UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")


@dataclass(frozen=True)
class IncidentReplay:
    """One incident's replay: what was simulated and every state change of every rule."""

    incident: Incident
    replay: Replay
    simulation: SimulationConfig


def rule_groups(groups: Sequence[CompiledAlertGroup], uids: Sequence[str] = ()) -> tuple[RuleGroup, ...]:
    """The groups as Grafana reads them from rules.yaml (the compiled JSON), only the rules ``uids`` if given."""
    try:
        return select_rules(parse_groups({"groups": [g.json() for g in groups]}, "compiled rules"), uids)
    except RuleError as exc:
        raise UsageError(str(exc)) from None


def _kind(engine_type: str) -> str:
    upper = engine_type.upper()
    if upper.startswith(_TIME_TYPES):
        return "time"
    if upper.startswith("VARCHAR"):
        return "text"
    if upper.startswith(_NUMBER_TYPES):
        return "number"
    return "other"


def result_frame(result: Result) -> Frame:
    """A local engine's rows as the datasource's one frame, each column typed by DuckDB's declared type."""
    return Frame(result.columns, tuple(result.rows), tuple(_kind(t) for t in result.types))


def influx_frames(tables: Sequence[InfluxTable]) -> tuple[Frame, ...]:
    """Each InfluxQL series a frame, as Grafana's InfluxDB datasource returns them in time-series format
    (pkg/tsdb/influxdb/influxql/buffered/response_parser.go, ``newFrameWithTimeField``: each value column a field
    labelled by the series' GROUP BY tags only, not its measurement): the tags as text columns, ``time`` (epoch ms)
    as the time column; no series at all is no frame (no data)."""
    frames = []
    for table in tables:
        tags = tuple(sorted(table.tags))
        columns = tags + table.columns
        rows = tuple(
            tuple(table.tags[k] for k in tags)
            + tuple(
                datetime.fromtimestamp(v / 1000, UTC).replace(tzinfo=None) if c == "time" and v is not None else v
                for c, v in zip(table.columns, row, strict=True)
            )
            for row in table.rows
        )
        frames.append(Frame(columns, rows))  # InfluxDB returns no empty series: the values type the columns
    return tuple(frames)


def _alert_queries(groups: Sequence[CompiledAlertGroup]) -> dict[tuple[str, str], AlertQuery]:
    return {(rule.uid, q.ref_id): q for group in groups for rule in group.rules for q in rule.queries}


def _as_instance(query: RenderedQuery, env: Environment, instance_id: str) -> RenderedQuery:
    """The query about the simulated instance: the environment's instance id (rendered into alert queries, which
    read no dashboard variable) becomes the simulation's."""
    if not env.connect_instance_id or env.connect_instance_id == instance_id:
        return query
    return replace(query, text=query.text.replace(env.connect_instance_id, instance_id))


def local_runner(
    queries: dict[tuple[str, str], AlertQuery], env: Environment, data: Path, start: int, end: int, instance_id: str
) -> tuple[Runner, Callable[[], None]]:
    """A runner answering ``queries`` from ``data`` on DuckDB, and the function that closes it."""
    lookback = max((q.from_seconds for q in queries.values()), default=0) * 1000
    tables = referenced_tables([q.query for q in queries.values()], env)
    moving = open_moving(data, env, start - lookback, end, tables)

    def run(rule: AlertRule, query: DataQuery, now: int) -> QueryOutcome:
        alert_query = queries[(rule.uid, query.ref_id)]
        tr = alert_query.time_range(now)
        return (result_frame(moving.run(_as_instance(alert_query.query, env, instance_id), tr)),)

    return run, moving.close


def influx_runner(
    queries: dict[tuple[str, str], AlertQuery], env: Environment, target: InfluxTarget, instance_id: str
) -> Runner:
    """A runner sending each rule's InfluxQL to ``target`` as Grafana's InfluxDB datasource would, "now" pinned."""

    def run(rule: AlertRule, query: DataQuery, now: int) -> QueryOutcome:
        alert_query = queries[(rule.uid, query.ref_id)]
        rendered = _as_instance(alert_query.query, env, instance_id)
        tr = alert_query.time_range(now)
        substituted = substitute(rendered.text, {}, {}, tr)
        if substituted.problems:
            raise QueryError(f"{rendered.file}: {substituted.problems[0][1]}")
        text, _ = pin_now(substituted.text, tr.end())
        return influx_frames(run_influxql(target.url, target.database, target.auth, text, what=str(rendered.file)))

    return run


def split_queries(groups: Sequence[CompiledAlertGroup], influx: bool) -> tuple[dict[tuple[str, str], AlertQuery], ...]:
    """The rule queries DuckDB runs and those InfluxDB runs; one neither can run is an error naming it."""
    local: dict[tuple[str, str], AlertQuery] = {}
    remote: dict[tuple[str, str], AlertQuery] = {}
    for group in groups:
        for rule in group.rules:
            for query in rule.queries:
                kind = query.query.kind
                if influx and kind.name == "influxdb":
                    remote[(rule.uid, query.ref_id)] = query
                elif kind.local_dialect is not None:
                    local[(rule.uid, query.ref_id)] = query
                else:
                    how = "" if influx or kind.realtime is None else "; replay it on InfluxDB with --influx-url"
                    raise QueryError(
                        f"alert rule {rule.uid}: query {query.query.file} is {kind.display_name}, which the local "
                        f"engine does not run{how}"
                    )
    return local, remote


def replay_incident(
    spec: Incident,
    groups: Sequence[CompiledAlertGroup],
    rules: Sequence[RuleGroup],
    env: Environment,
    workdir: Path,
    influx: InfluxTarget | None = None,
) -> IncidentReplay:
    """Simulate ``spec`` into ``workdir`` and replay ``rules`` over its span: InfluxQL on ``influx`` (a database per
    incident, loaded through the ingest Lambdas' sink), everything else on DuckDB."""
    config = spec.config()
    data = workdir / spec.name
    manifest: dict[str, Any] = simulate(data, config)
    instance_id = str(manifest["instance"]["id"])
    start = config.start_ms() + spec.replay_min[0] * MINUTE
    end = config.start_ms() + spec.replay_min[1] * MINUTE
    local, remote = split_queries(groups, influx is not None)
    on_duckdb, close = local_runner(local, env, data, start, end, instance_id)
    runner = on_duckdb
    if influx is not None and remote:
        target = replace(influx, database=f"{influx.database}_{spec.name.replace('-', '_')}")
        load_simulation(data, target.url, target.database, target.auth)
        on_influx = influx_runner(remote, env, target, instance_id)

        def runner(rule: AlertRule, query: DataQuery, now: int) -> QueryOutcome:
            key = (rule.uid, query.ref_id)
            return on_influx(rule, query, now) if key in remote else on_duckdb(rule, query, now)

    try:
        return IncidentReplay(spec, replay(rules, runner, start, end), config)
    finally:
        close()


def run_incidents(
    groups: Sequence[CompiledAlertGroup],
    env: Environment,
    names: Sequence[str] = (),
    uids: Sequence[str] = (),
    influx: InfluxTarget | None = None,
) -> list[IncidentReplay]:
    """Every incident of ``names`` (all with none), each replayed over the rules ``uids`` (all with none)."""
    if not groups:
        raise UsageError(f"environment {env.name!r} has no alert rules (alerts/ defines none for it)")
    specs = [incident(name) for name in names] if names else list(INCIDENTS.values())
    rules = rule_groups(groups, uids)
    with tempfile.TemporaryDirectory(prefix="dash-alerts-") as workdir:
        return [replay_incident(spec, groups, rules, env, Path(workdir), influx) for spec in specs]


def normal_day_pages(runs: Sequence[IncidentReplay]) -> list[str]:
    """Each rule that would page on the normal day (a finding: it would wake someone for nothing)."""
    found = []
    for run in runs:
        if run.incident.name != NORMAL_DAY:
            continue
        for rule in run.replay.rules:
            pages = run.replay.pages(rule.uid)
            if pages:
                first = datetime.fromtimestamp(pages[0].at / 1000, UTC).strftime("%H:%M")
                found.append(f"{rule.uid} pages {len(pages)} time(s) on the normal day (first at {first} UTC)")
    return found


def as_json(runs: Sequence[IncidentReplay]) -> str:
    """Every state change of every incident, for programs (and the tests)."""
    return json.dumps(
        [
            {
                "incident": run.incident.name,
                "transitions": [
                    {
                        "at": datetime.fromtimestamp(t.at / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "rule": t.rule,
                        "labels": dict(t.labels),
                        "from": t.previous,
                        "to": t.state,
                        "reason": t.reason,
                        "notifies": "firing" if t.fires else "resolved" if t.resolves else "",
                    }
                    for t in run.replay.transitions
                ],
            }
            for run in runs
        ],
        indent=2,
    )
