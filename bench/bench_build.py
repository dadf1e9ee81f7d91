"""Benchmark `dash build`: cold start on the shipped set, and cost per panel as dashboards grow.

Compares with grafanalib's own dashboard generation on equivalent definitions
and with json.dumps of the same output (the floor). Run by hand:

    .venv/bin/python bench/bench_build.py
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashcompiler.build import compile_project  # noqa: E402

SIZES = (10, 100, 1000)

OURS = """from grafanalib.core import Stat
from dashcompiler.define import Dashboard, Panel, Row, TimestreamQuery

PANELS = tuple(
    Panel(
        f"p{{i}}",
        Stat(title=f"Panel {{i}}", description=f"Synthetic panel {{i}}.", format="none", decimals=0, reduceCalc="lastNotNull"),
        (TimestreamQuery("q.sql"),),
        width=4,
    )
    for i in range({n})
)
DASHBOARD = Dashboard(uid="bench", title="Bench", folder="f", rows=(Row("All", PANELS),))
"""
THEIRS = """from grafanalib.core import Dashboard, GridPos, RowPanel, Stat, Target

dashboard = Dashboard(title="Bench", uid="bench", panels=[RowPanel(title="All", gridPos=GridPos(h=1, w=24, x=0, y=0))] + [
    Stat(title=f"Panel {{i}}", description=f"Synthetic panel {{i}}.", format="none", decimals=0, reduceCalc="lastNotNull",
         dataSource={{"type": "grafana-timestream-datasource", "uid": "ts"}},
         targets=[Target(expr={sql!r}, refId="A")], gridPos=GridPos(h=4, w=4, x=(i % 6) * 4, y=1 + (i // 6) * 4))
    for i in range({n})
]).auto_panel_ids()
"""
CONFIG = """default_env: b
environments:
  b:
    aws_region: eu-west-2
    timestream_region: eu-west-1
    connect_instance_id: x
    timestream: {database: db}
    athena: {catalog: AwsDataCatalog, database: d, workgroup: w, output_location: "s3://b/", ctr_table: contact_records}
    folders: {f: F}
    datasources: {timestream: ts, athena: at}
    service_level_seconds: 20
"""
SQL = 'SELECT COUNT(*) AS n\nFROM "{{ timestream_database }}".queue_metrics\nWHERE $__timeFilter\n'


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def synthetic_project(base: Path, n: int) -> Path:
    root = base / f"p{n}"
    (root / "dashboards").mkdir(parents=True)
    (root / "queries" / "timestream").mkdir(parents=True)
    (root / "dash.yaml").write_text(CONFIG)
    (root / "dashboards" / "__init__.py").write_text("")
    (root / "dashboards" / "bench.py").write_text(OURS.format(n=n))
    (root / "queries" / "timestream" / "q.sql").write_text(SQL)
    (root / "theirs.dashboard.py").write_text(THEIRS.format(n=n, sql=SQL))
    return root


def ours(root: Path) -> Callable[[], object]:
    return lambda: compile_project(root).files


def grafanalib_generate(root: Path) -> Callable[[], object]:
    """What grafanalib's generate-dashboard does: load the definition, encode it."""
    from grafanalib._gen import loader, write_dashboard

    path = str(root / "theirs.dashboard.py")
    return lambda: write_dashboard(loader(path), io.StringIO())


def floor(root: Path) -> Callable[[], object]:
    body = compile_project(root).dashboards[0].json
    return lambda: json.dumps(body, sort_keys=True, indent=2)


def cold_build(runs: int) -> float:
    out = Path(tempfile.mkdtemp())
    cmd = [sys.executable, "-m", "dashcompiler", "build", "--root", str(ROOT), "--out", str(out / "o")]
    try:
        return median_seconds(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT), runs)
    finally:
        shutil.rmtree(out)


def main() -> None:
    console = Console()
    shipped = compile_project(ROOT)
    panels = sum(len(b.json["panels"]) for b in shipped.dashboards)
    cold = cold_build(7)
    summary = Table(title=f"Cold `dash build` of the shipped set ({os.cpu_count()} cores)")
    for col in ("dashboards", "panels", "queries", "wall time (median of 7)"):
        summary.add_column(col)
    queries = sum(len(b.queries) for b in shipped.dashboards)
    summary.add_row(str(len(shipped.dashboards)), str(panels), str(queries), f"{cold * 1000:.0f} ms")
    console.print(summary)

    base = Path(tempfile.mkdtemp())
    try:
        times: dict[str, dict[int, float]] = {
            "dash build (compile + encode)": {},
            "grafanalib generate": {},
            "json.dumps floor": {},
        }
        for n in SIZES:
            root = synthetic_project(base, n)
            runs = 9 if n < 1000 else 5
            times["dash build (compile + encode)"][n] = median_seconds(ours(root), runs)
            times["grafanalib generate"][n] = median_seconds(grafanalib_generate(root), runs)
            times["json.dumps floor"][n] = median_seconds(floor(root), runs)
    finally:
        shutil.rmtree(base)
    table = Table(title="Cost as one dashboard grows (in-process, median)")
    table.add_column("tool")
    for n in SIZES:
        table.add_column(f"{n} panels")
    table.add_column("marginal per panel")
    table.add_column("x floor")
    floor_marginal = (times["json.dumps floor"][1000] - times["json.dumps floor"][10]) / 990
    for name, by_size in times.items():
        marginal = (by_size[1000] - by_size[10]) / 990
        table.add_row(
            name,
            *(f"{by_size[n] * 1000:.1f} ms" for n in SIZES),
            f"{marginal * 1e6:.0f} us",
            f"{marginal / floor_marginal:.2f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
