"""InfluxDB real-time benchmark, run by hand: ``python bench/bench_influx.py [--contacts N] [--data DIR] [--at ISO]``.

Simulates ``--contacts`` contacts (default 100,000; or reuses --data DIR), writes their real-time records into
a throw-away influxd (Debian's 1.x, on a free port; or --influx-url) through the ingest Lambda's InfluxSink
(points/s), then times every real-time query that exists in both stores at one instant (default: the last
whole minute of arrivals): each queries/influxdb/**/*.influxql with a matching queries/timestream/**/*.sql,
InfluxQL on influxd beside the SQL on the local engine (DuckDB). Prints latency per query, the total per
dashboard and the slowest query. Files other branches add are picked up as they land.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from connect_ingest.sinks.influx import InfluxAuth  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from core.model import CompiledDashboard, RenderedQuery, VariableOwner  # noqa: E402
from core.template_variable import TemplateVariable  # noqa: E402
from dashcompiler.compile import Model, compile_model  # noqa: E402
from dashcompiler.config import load_config  # noqa: E402
from influxqlcheck import ALL  # noqa: E402
from localquery.influx import load_simulation  # noqa: E402
from localquery.run import Session, choose, execute, open_session, parse_instant, time_range  # noqa: E402
from localquery.selection import Selection, parse_assignments  # noqa: E402
from tests.influx.harness import InfluxStore, Variables, run_file  # noqa: E402

QUERIES = ROOT / "queries"
DATABASE = "connect"
RUNS = 3  # each query's latency is the median of this many runs
RANGE = timedelta(hours=1)  # the real-time dashboards open on now-1h
T = TypeVar("T")


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


def paired() -> list[tuple[Path, Path]]:
    """Every InfluxQL query file with its Timestream SQL twin (fragments, starting with ``_``, excluded)."""
    pairs = []
    for influxql in sorted((QUERIES / "influxdb").rglob("*.influxql")):
        if influxql.name.startswith("_"):
            continue
        sql = QUERIES / "timestream" / influxql.relative_to(QUERIES / "influxdb").with_suffix(".sql")
        if sql.is_file():
            pairs.append((influxql, sql))
    return pairs


def sql_environment() -> str:
    """An environment whose real-time store is Timestream, for the SQL side (the default may be InfluxDB)."""
    environments = load_config(ROOT).environments
    names = [name for name, env in environments.items() if env.realtime_store == "timestream"]
    if not names:
        raise SystemExit("no environment in dash.yaml has realtime_store timestream: nothing to run the SQL of")
    return names[0]


def owner_of(model: Model, sql: Path) -> tuple[CompiledDashboard, RenderedQuery] | None:
    """The first dashboard query (panel or variable) that ships this SQL file."""
    for board in model.dashboards:
        for query in board.queries:
            if query.file.resolve() == sql.resolve():
                return board, query
    return None


def influx_variables(variables: Sequence[TemplateVariable], chosen: Mapping[str, Selection]) -> Variables:
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


def timed(run: Callable[[], T]) -> tuple[float, T]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(contacts: int, data: Path | None, at: str | None, url: str | None) -> None:
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-influx-") as scratch:
        if data is None:
            data = Path(scratch) / "data"
            simulate(data, contacts)
        manifest = json.loads((data / "manifest.json").read_text())
        instance = manifest["instance"]["id"]
        end = parse_instant(at or manifest["time_span"]["arrivals_end"], "--at").replace(second=0, microsecond=0)
        model = compile_model(ROOT, sql_environment())
        with server(url) as influx:
            started = time.perf_counter()
            stats = load_simulation(data, influx, DATABASE, InfluxAuth())
            load_s = time.perf_counter() - started
            store = InfluxStore(influx, DATABASE, instance, InfluxAuth(), stats)
            session = open_session(data, model.env, time_range(end - RANGE, end))
            rows = measure(model, session, store, end, instance)
            session.con.close()
    report(console, stats.written, stats.rejected + stats.unwritten, load_s, end, rows)
    if stats.rejected or stats.unwritten:
        console.print(
            f"rejected {stats.rejected:,}, unwritten {stats.unwritten:,}: {stats.outage or 'InfluxDB refused them (HTTP 400)'}"
        )


def measure(
    model: Model, session: Session, store: InfluxStore, end: datetime, instance: str
) -> list[tuple[str, str, float, float, int]]:
    """(dashboard, query, InfluxQL s, SQL s, InfluxQL rows) for every paired query a dashboard ships."""
    rows = []
    for influxql, sql in paired():
        found = owner_of(model, sql)
        if found is None:
            continue
        board, query = found
        variables, chosen = choose(session, board, parse_assignments([f"instance={instance}"]))
        sql_s, _ = timed(lambda: execute(session, query, variables, chosen))  # noqa: B023
        given = influx_variables(variables, chosen)
        start = end - RANGE
        influx_s, tables = timed(lambda: run_file(store, influxql, end, given, start))  # noqa: B023
        out = sum(len(t.rows) for t in tables)
        where = "variables" if isinstance(query.owner, VariableOwner) else board.uid
        rows.append((where, str(query.owner), influx_s, sql_s, out))
    return rows


def report(
    console: Console,
    written: int,
    failed: int,
    load_s: float,
    end: datetime,
    rows: list[tuple[str, str, float, float, int]],
) -> None:
    console.print(
        f"loaded {written:,} points ({failed:,} rejected or unwritten) in {load_s:.1f} s: "
        f"{written / load_s:,.0f} points/s; queries at {end.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}, median of {RUNS}"
    )
    table = Table("dashboard", "query", "InfluxQL ms", "SQL (local) ms", "rows")
    for uid, owner, influx_s, sql_s, out in sorted(rows):
        table.add_row(uid, owner, f"{influx_s * 1000:.1f}", f"{sql_s * 1000:.1f}", str(out))
    for uid in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == uid]
        table.add_row(
            uid,
            "[b]total[/b]",
            f"[b]{sum(r[2] for r in mine) * 1000:.1f}[/b]",
            f"[b]{sum(r[3] for r in mine) * 1000:.1f}[/b]",
            "",
        )
    console.print(table)
    if rows:
        slowest = max(rows, key=lambda r: r[2])
        console.print(f"slowest InfluxQL: {slowest[0]} {slowest[1]} {slowest[2] * 1000:.1f} ms")


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
