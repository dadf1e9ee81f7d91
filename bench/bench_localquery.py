"""Local query engine benchmark, run by hand: ``python bench/bench_localquery.py [contacts] [--data DIR]``.

Simulates ``contacts`` customer contacts (default 100,000; or reuses --data DIR), loads them into
DuckDB as ``dash query --engine local`` does for the history dashboard (CTRs, and the Timestream
tables of the variable queries that must run; --all-tables loads every Timestream table), and
runs the variable queries and every historical panel query over the whole range. Prints load time
(CTRs and the Timestream tables separately), the variable queries' time, each query's time, rows per
second for loading and for querying (CTR rows scanned per query), and the share of the time spent
loading vs querying.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

import duckdb  # noqa: E402

from core.model import PanelOwner, VariableOwner  # noqa: E402
from dashcompiler.compile import compile_model  # noqa: E402
from localquery.loader import LoadStats, load_ctrs, load_timestream  # noqa: E402
from localquery.run import (  # noqa: E402
    Session,
    choose,
    execute,
    find_board,
    parse_instant,
    referenced_tables,
    time_range,
    variable_queries,
)
from localquery.selection import parse_assignments  # noqa: E402
from localquery.translate import install_macros  # noqa: E402
from tests.localquery.shipped import sql_environment  # noqa: E402

HISTORY = "connect-history-contacts"


def simulate(out: Path, contacts: int) -> None:
    from connect_simulator import SimulationConfig
    from connect_simulator import simulate as run

    agents = max(20, contacts // 250)
    hours = max(4.0, contacts / 1500)
    print(f"simulating {contacts:,} contacts, {agents} agents, {hours:.0f} h into {out} ...", flush=True)
    run(out, SimulationConfig(seed=1, agents=agents, contacts=contacts, hours=hours))


def main(contacts: int, data: Path | None, full: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-localquery-") as scratch:
        if data is None:
            data = Path(scratch) / "data"
            started = time.perf_counter()
            simulate(data, contacts)
            print(f"simulated in {time.perf_counter() - started:.1f} s (not counted below)")
        manifest = json.loads((data / "manifest.json").read_text())
        span = manifest["time_span"]
        build = compile_model(ROOT, sql_environment())
        board = find_board(build.dashboards, HISTORY)
        tr = time_range(parse_instant(span["start"], "start"), parse_instant(span["end"], "end"))
        con = duckdb.connect(":memory:")
        install_macros(con, tr.end().replace(tzinfo=None))

        started = time.perf_counter()
        ctr_rows = load_ctrs(data, con, build.env.ctr_table)
        ctr_s = time.perf_counter() - started
        given = parse_assignments([f"instance={manifest['instance']['id']}"])
        panels = [q for q in board.queries if isinstance(q.owner, PanelOwner)]
        queried = variable_queries(board, panels, given)
        started = time.perf_counter()
        wanted = [
            *panels,
            *(q for q in board.queries if isinstance(q.owner, VariableOwner) and q.owner.name in queried),
        ]
        needed = referenced_tables(wanted, build.env) if not full else None
        ts_rows = load_timestream(data, con, build.env.timestream_database, tr.to_ms, needed)
        ts_s = time.perf_counter() - started

        session = Session(con, build.env, tr, LoadStats(ctr_rows, ts_rows))
        started = time.perf_counter()
        variables, chosen = choose(session, board, given, queried)
        variables_s = time.perf_counter() - started
        timings: list[tuple[str, float, int]] = []
        for query in board.queries:
            if not isinstance(query.owner, PanelOwner):
                continue
            started = time.perf_counter()
            result = execute(session, query, variables, chosen)
            timings.append((query.owner.key, time.perf_counter() - started, len(result.rows)))
        con.close()

    query_s = sum(t for _, t, _ in timings)
    total = ctr_s + ts_s + variables_s + query_s
    print(f"\ncores: {os.cpu_count()}  contacts: {manifest['counts']['initial_contacts']:,}  CTR rows: {ctr_rows:,}")
    print(f"{'phase':<44}{'seconds':>10}{'share':>8}{'rows/s':>14}")
    print(f"{'load CTRs (Glue table)':<44}{ctr_s:>10.2f}{ctr_s / total:>8.0%}{ctr_rows / ctr_s:>14,.0f}")
    ts_total = sum(ts_rows.values())
    label = "load all Timestream tables" if full else f"load {', '.join(sorted(ts_rows)) or 'no Timestream table'}"
    print(f"{label:<44}{ts_s:>10.2f}{ts_s / total:>8.0%}{ts_total / ts_s:>14,.0f}")
    print(f"{'variable queries (Timestream tables)':<44}{variables_s:>10.2f}{variables_s / total:>8.0%}{'':>14}")
    runs = len(timings)
    print(f"{f'{runs} history queries':<44}{query_s:>10.2f}{query_s / total:>8.0%}{ctr_rows * runs / query_s:>14,.0f}")
    print(f"{'total':<44}{total:>10.2f}")
    print(f"\n{'query':<44}{'ms':>10}{'rows out':>10}")
    for owner, seconds, rows in sorted(timings, key=lambda t: -t[1]):
        print(f"{owner:<44}{seconds * 1000:>10.1f}{rows:>10}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contacts", nargs="?", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="reuse a simulation instead of generating one")
    parser.add_argument(
        "--all-tables",
        action="store_true",
        help="also load agent and contact events (the history panels do not read them)",
    )
    args = parser.parse_args()
    main(args.contacts, args.data, args.all_tables)
