"""InfluxDB real-time benchmark, run by hand: ``python bench/bench_influx.py [--contacts N] [--data DIR] [--at ISO]``.

Simulates ``--contacts`` contacts (default 100,000; or reuses --data DIR), writes their real-time records into
a throw-away influxd (Debian's 1.x, on a free port, ``max-values-per-tag = 0``, stopped by its PID; or
--influx-url) through the ingest Lambda's InfluxSink (points/s), then times one refresh of every real-time
dashboard at one instant (default: the last whole minute of arrivals): each target of each panel of the prod
model (InfluxDB), lookups included, beside the same panel's Timestream SQL on the local engine (DuckDB), then
the dashboards' variable queries. InfluxDB-only hidden variables (the Contacts dashboard's ``$queue_id``) get
what their own query lists for the selection, as Grafana would; ``${__to}`` comes from the range. Prints
latency per target, each dashboard's queries per refresh and total, and the slowest panel.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from connect_ingest.sinks.influx import InfluxAuth  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from core.errors import ServiceError  # noqa: E402
from core.model import CompiledDashboard, PanelOwner, RenderedQuery, VariableOwner  # noqa: E402
from core.template_variable import TemplateVariable  # noqa: E402
from dashcompiler.compile import Model, compile_model  # noqa: E402
from dashcompiler.config import load_config  # noqa: E402
from dashcompiler.query_load import queries_per_refresh  # noqa: E402
from influxqlcheck import ALL  # noqa: E402
from localquery.influx import load_simulation, run_influxql  # noqa: E402
from localquery.run import Session, choose, execute, open_session, parse_instant, time_range  # noqa: E402
from localquery.selection import Selection, parse_assignments  # noqa: E402
from tests.influx.harness import InfluxStore, Variables, definitions, prepare, variable_values  # noqa: E402

QUERIES = ROOT / "queries"
DATABASE = "connect"
INFLUX_ENV = "prod"  # the harness reads variable definitions from prod's model
RUNS = 3  # each query's latency is the median of this many runs...
ONCE = 5.0  # ...or of one, if it took longer than this many seconds
TIMEOUT = 180.0  # seconds one InfluxQL query may take before its row says so and the bench moves on
RANGE = timedelta(hours=1)  # the real-time dashboards open on now-1h
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """One InfluxQL query's latency, beside its panel's (or variable's) SQL where this row carries it."""

    group: str  # dashboard uid, or "variables"
    query: str  # panel key, "+ file" for a panel's further (lookup) target, or $variable
    panel: str  # the panel key (or $variable) the row belongs to
    influx_s: float | None  # None: timed out
    sql_s: float | None  # None: no SQL twin (a lookup target, an InfluxDB-only variable)
    rows: int


def simulate(out: Path, contacts: int) -> None:
    from connect_simulator import SimulationConfig
    from connect_simulator import simulate as run

    agents = max(20, contacts // 250)
    hours = max(4.0, contacts / 1500)
    print(f"simulating {contacts:,} contacts, {agents} agents, {hours:.0f} h into {out} ...", flush=True)
    run(out, SimulationConfig(seed=1, agents=agents, contacts=contacts, hours=hours))


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """The given InfluxDB, or a throw-away influxd stopped by its PID afterwards."""
    if url:
        yield url
        return
    if shutil.which("influxd") is None:
        raise SystemExit("influxd is not installed: apt-get install -y influxdb, or pass --influx-url")
    from tests.servers import influxd

    with influxd(auth=False) as started:
        yield started


def sql_environment() -> str:
    """An environment whose real-time store is Timestream, for the SQL side (the default may be InfluxDB)."""
    environments = load_config(ROOT).environments
    names = [name for name, env in environments.items() if env.realtime_store == "timestream"]
    if not names:
        raise SystemExit("no environment in dash.yaml has realtime_store timestream: nothing to run the SQL of")
    return names[0]


def realtime_boards(model: Model) -> list[CompiledDashboard]:
    """The dashboards whose panels query the real-time store."""
    store = model.env.realtime_store
    return [
        board
        for board in model.dashboards
        if any(isinstance(q.owner, PanelOwner) and q.kind.name == store for q in board.queries)
    ]


def influx_variables(
    variables: Sequence[TemplateVariable], chosen: Mapping[str, Selection]
) -> dict[str, str | list[str]]:
    """The local engine's selection as a dashboard selection for the harness: All as ALL where Grafana knows
    what it stands for (a custom all value, fixed options), else the values the variable's query listed."""
    out: dict[str, str | list[str]] = {}
    for var in variables:
        selection = chosen.get(var.name)
        if selection is None:
            continue
        if selection.all and (var.all_value or var.options):
            out[var.name] = ALL
        elif var.multi:
            out[var.name] = list(selection.values)
        else:
            out[var.name] = selection.values[0] if selection.values else ""
    return out


def with_hidden(
    board: CompiledDashboard, given: dict[str, str | list[str]], store: InfluxStore, end: datetime
) -> dict[str, str | list[str]]:
    """``given`` plus the InfluxDB-only query variables (``$queue_id``), at All as Grafana selects a hidden one:
    every value their own InfluxQL lists for the selections made so far, in the dashboard's order."""
    out = dict(given)
    for var in board.variables:
        if var.name in out or var.kind != "query":
            continue
        values = variable_values(store, var.name, end, out)
        out[var.name] = values if var.takes_many else (values[0] if values else "")
    return out


def declared(path: Path, given: Variables) -> Variables:
    """The selections the dashboard the harness reads ``path``'s variables from declares."""
    names = definitions(path)
    return {name: value for name, value in given.items() if name in names}


def timed(run: Callable[[], T]) -> tuple[float, T]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        if times[-1] > ONCE:
            break
    return statistics.median(times), result


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(contacts: int, data: Path | None, at: str | None, url: str | None) -> None:
    # A plain SIGTERM would skip the finally that stops influxd: exit through it instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    console = Console()
    if not console.is_terminal:  # rich wraps at 80 columns otherwise: keep a saved table's rows whole
        console.width = 120
    with tempfile.TemporaryDirectory(prefix="bench-influx-") as scratch:
        if data is None:
            data = Path(scratch) / "data"
            simulate(data, contacts)
        manifest = json.loads((data / "manifest.json").read_text())
        instance = manifest["instance"]["id"]
        end = parse_instant(at or manifest["time_span"]["arrivals_end"], "--at").replace(second=0, microsecond=0)
        influx_model = compile_model(ROOT, INFLUX_ENV)
        if influx_model.env.realtime_store != "influxdb":
            raise SystemExit(f"environment {INFLUX_ENV} does not keep its real-time data in InfluxDB")
        sql_model = compile_model(ROOT, sql_environment())
        with server(url) as influx:
            load_before = load()
            started = time.perf_counter()
            stats = load_simulation(data, influx, DATABASE, InfluxAuth())
            load_s = time.perf_counter() - started
            store = InfluxStore(influx, DATABASE, instance, InfluxAuth(), stats)
            session = open_session(data, sql_model.env, time_range(end - RANGE, end))
            rows, counts = measure(influx_model, sql_model, session, store, end)
            session.con.close()
            load_after = load()
    console.print(
        f"{os.cpu_count()} cores; load average (1, 5, 15 min) {load_before} before loading, {load_after} after the queries"
    )
    report(console, stats.written, stats.rejected + stats.unwritten, load_s, end, rows, counts)
    if stats.rejected or stats.unwritten:
        console.print(
            f"rejected {stats.rejected:,}, unwritten {stats.unwritten:,}: {stats.outage or 'InfluxDB refused them (HTTP 400)'}"
        )
    shipped = {q.file.resolve() for b in realtime_boards(influx_model) for q in b.queries}
    unrun = [
        p.relative_to(QUERIES)
        for p in sorted((QUERIES / "influxdb").rglob("*.influxql"))
        if not p.name.startswith("_") and p.resolve() not in shipped
    ]
    if unrun:
        console.print(f"not run (no real-time dashboard ships them): {', '.join(map(str, unrun))}")


def measure(
    influx_model: Model, sql_model: Model, session: Session, store: InfluxStore, end: datetime
) -> tuple[list[Timing], dict[str, tuple[int, int]]]:
    """Every target of every real-time panel and every variable query, and per dashboard its queries per
    refresh (InfluxDB's, Timestream's)."""
    sql_boards = {b.uid: b for b in sql_model.dashboards}
    start = end - RANGE
    rows: list[Timing] = []
    counts: dict[str, tuple[int, int]] = {}
    seen_variables: set[Path] = set()
    for board in realtime_boards(influx_model):
        sql_board = sql_boards[board.uid]
        counts[board.uid] = (queries_per_refresh(board.json), queries_per_refresh(sql_board.json))
        variables, chosen = choose(session, sql_board, parse_assignments([f"instance={store.instance}"]))
        given = with_hidden(board, influx_variables(variables, chosen), store, end)
        for key, _title in board.panels:
            sql_s: float | None = None
            for i, query in enumerate(board.panel_queries(key)):
                if i == 0:
                    twins = sql_board.panel_queries(key)
                    sql_s = sum(timed(partial(execute, session, q, variables, chosen))[0] for q in twins)
                label = key if i == 0 else f"  + {query.file.stem}"
                rows.append(
                    influx_row(board.uid, label, key, query, store, end, start, given, sql_s if i == 0 else None)
                )
        for query in board.queries:
            if not isinstance(query.owner, VariableOwner) or query.file.resolve() in seen_variables:
                continue
            seen_variables.add(query.file.resolve())
            twin = sql_board.variable_query(query.owner.name)
            var_sql = timed(partial(execute, session, twin, variables, chosen))[0] if twin else None
            name = str(query.owner)
            rows.append(
                influx_row("variables", name, name, query, store, end, start, declared(query.file, given), var_sql)
            )
    return rows, counts


def influx_row(
    group: str,
    label: str,
    panel: str,
    query: RenderedQuery,
    store: InfluxStore,
    end: datetime,
    start: datetime,
    given: Variables,
    sql_s: float | None,
) -> Timing:
    text = prepare(query.file, end, given, start)
    try:
        influx_s, tables = timed(
            partial(run_influxql, store.url, store.database, store.auth, text, what=str(query.file), timeout=TIMEOUT)
        )
    except ServiceError as exc:  # a timeout: influxd drops a query whose client went away
        print(f"{group} {label.strip()}: {exc}", file=sys.stderr, flush=True)
        return Timing(group, label, panel, None, sql_s, 0)
    print(f"{group} {label.strip()}: {influx_s * 1000:.1f} ms", file=sys.stderr, flush=True)
    return Timing(group, label, panel, influx_s, sql_s, sum(len(t.rows) for t in tables))


def ms(seconds: float | None, missing: str = "—") -> str:
    return missing if seconds is None else f"{seconds * 1000:.1f}"


def total(seconds: Sequence[float | None]) -> str:
    """The sum, marked as a lower bound ("> ") where a query timed out."""
    known = sum(s for s in seconds if s is not None)
    return ("> " if None in seconds else "") + ms(known)


def report(
    console: Console,
    written: int,
    failed: int,
    load_s: float,
    end: datetime,
    rows: list[Timing],
    counts: Mapping[str, tuple[int, int]],
) -> None:
    console.print(
        f"loaded {written:,} points ({failed:,} rejected or unwritten) in {load_s:.1f} s: "
        f"{written / load_s:,.0f} points/s; queries at {end.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}, "
        f"median of {RUNS} runs (one where a run took over {ONCE:.0f} s)"
    )
    table = Table("dashboard", "panel / query", "InfluxQL ms", "SQL (local) ms", "rows")
    for group in [*counts, "variables"]:
        mine = [r for r in rows if r.group == group]
        for r in mine:
            table.add_row(r.group, r.query, ms(r.influx_s, f"> {TIMEOUT:.0f} s"), ms(r.sql_s), str(r.rows))
        if group in counts:
            influx_n, sql_n = counts[group]
            label = f"[b]refresh: {influx_n} queries (Timestream {sql_n})[/b]"
        else:
            label = "[b]all variable queries[/b]"
        table.add_row(
            group,
            label,
            f"[b]{total([r.influx_s for r in mine])}[/b]",
            f"[b]{ms(sum(r.sql_s or 0.0 for r in mine))}[/b]",
            "",
            end_section=True,
        )
    console.print(table)
    timed_out = [r for r in rows if r.influx_s is None]
    for r in timed_out:
        console.print(f"timed out after {TIMEOUT:.0f} s: {r.group} {r.query.strip()}")
    panels: dict[tuple[str, str], float] = {}
    for r in rows:
        if r.group in counts and r.influx_s is not None:
            panels[r.group, r.panel] = panels.get((r.group, r.panel), 0.0) + r.influx_s
    if panels and not timed_out:
        (uid, key), seconds = max(panels.items(), key=lambda item: item[1])
        console.print(f"slowest panel (InfluxQL, its targets together): {uid} {key} {ms(seconds)} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="reuse a simulation instead of generating one")
    parser.add_argument("--at", help="the instant (ISO-8601) the panels are read at; default: the end of arrivals")
    parser.add_argument(
        "--influx-url", help="an InfluxDB 1.x without auth to load into instead of a throw-away influxd"
    )
    args = parser.parse_args()
    main(args.contacts, args.data, args.at, args.influx_url)
