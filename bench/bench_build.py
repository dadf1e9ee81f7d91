"""Benchmark `dash build`: cold start on the shipped set, and cost per panel as dashboards grow.

Cold means a new process, as CI and a developer run it. The shipped set is
built from a fresh copy of the repository both with the query-check cache
(.dash-cache/, kept between local builds) and without it (a fresh checkout,
as CI sees it). Growth is measured in-process and cold, against grafanalib's
own `generate-dashboards` on equivalent definitions and json.dumps of the same
output (the floor). Run by hand:

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

from dashcompiler.artifacts import bundle_files  # noqa: E402
from dashcompiler.checks import CACHE_FILE  # noqa: E402
from dashcompiler.compile import compile_model  # noqa: E402

SIZES = (10, 100, 1000)
COLD_RUNS = 7

OURS = """from grafanalib.core import Stat
from dashcompiler.api import Dashboard, Panel, Row, TimestreamQuery

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
    connect_instance_id: 00000000-0000-0000-0000-000000000000
    timestream: {database: db, default_table: queue_metrics}
    athena: {catalog: AwsDataCatalog, database: d, workgroup: w, output_location: "s3://b/", ctr_table: contact_records}
    folders: {f: F}
    datasources: {timestream: ts, athena: at}
    service_level_seconds: 20
"""
SQL = 'SELECT COUNT(*) AS n\nFROM "{{ timestream_database }}".queue_metrics\nWHERE $__timeFilter\n'


def median_seconds(fn: Callable[[], object], runs: int, setup: Callable[[], object] = lambda: None) -> float:
    """Median wall time of `fn`; `setup` runs before each sample, untimed."""
    samples = []
    for _ in range(runs):
        setup()
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


def fresh_copy(base: Path) -> Path:
    """The sources `dash build` reads, copied without .dash-cache or any output."""
    root = base / "repo"
    root.mkdir()
    shutil.copy2(ROOT / "dash.yaml", root / "dash.yaml")
    for name in ("dashboards", "queries"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def ours(root: Path) -> Callable[[], object]:
    return lambda: bundle_files(compile_model(root))


def grafanalib_generate(root: Path) -> Callable[[], object]:
    """What grafanalib's generate-dashboards does, in-process: load the definition, encode it."""
    from grafanalib._gen import loader, write_dashboard

    path = str(root / "theirs.dashboard.py")
    return lambda: write_dashboard(loader(path), io.StringIO())


def floor(root: Path) -> Callable[[], object]:
    body = compile_model(root).dashboards[0].json
    return lambda: json.dumps(body, sort_keys=True, indent=2)


def process(*cmd: str, cwd: Path) -> Callable[[], object]:
    return lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)


def dash_build(root: Path) -> Callable[[], object]:
    return process(sys.executable, "-m", "cli", "build", "--root", str(root), "--out", str(root / "o"), cwd=root)


def generate_dashboards(root: Path) -> Callable[[], object]:
    """grafanalib's own CLI, a new process: writes theirs.dashboard.json beside the definition."""
    script = Path(sys.executable).parent / "generate-dashboards"
    return process(str(script), str(root / "theirs.dashboard.py"), cwd=root)


def no_cache(root: Path) -> Callable[[], object]:
    return lambda: shutil.rmtree(root / CACHE_FILE.parent, ignore_errors=True)


def marginal(by_size: dict[int, float]) -> float:
    """Seconds per added panel between the smallest and largest dashboard."""
    return (by_size[SIZES[-1]] - by_size[SIZES[0]]) / (SIZES[-1] - SIZES[0])


def growth_table(title: str, times: dict[str, dict[int, float]], floor_marginal: float) -> Table:
    table = Table(title=title)
    for col in ("tool", *(f"{n} panels" for n in SIZES), "marginal per panel", "x floor"):
        table.add_column(col)
    for name, by_size in times.items():
        table.add_row(
            name,
            *(f"{by_size[n] * 1000:.1f} ms" for n in SIZES),
            f"{marginal(by_size) * 1e6:.0f} us",
            f"{marginal(by_size) / floor_marginal:.2f}",
        )
    return table


def main() -> None:
    console = Console()
    shipped = compile_model(ROOT)
    base = Path(tempfile.mkdtemp())
    try:
        repo = fresh_copy(base)
        build = dash_build(repo)
        uncached = median_seconds(build, COLD_RUNS, setup=no_cache(repo))
        build()
        cached = median_seconds(build, COLD_RUNS)
        start_up = median_seconds(process(sys.executable, "-c", "pass", cwd=base), COLD_RUNS)

        warm: dict[str, dict[int, float]] = {"dash build (compile + encode)": {}, "grafanalib generate": {}}
        cold: dict[str, dict[int, float]] = {"dash build": {}, "grafanalib generate-dashboards": {}}
        floors: dict[int, float] = {}
        for n in SIZES:
            root = synthetic_project(base, n)
            runs = 9 if n < 1000 else 5
            warm["dash build (compile + encode)"][n] = median_seconds(ours(root), runs)
            warm["grafanalib generate"][n] = median_seconds(grafanalib_generate(root), runs)
            floors[n] = median_seconds(floor(root), runs)
            cold["dash build"][n] = median_seconds(dash_build(root), runs, setup=no_cache(root))
            cold["grafanalib generate-dashboards"][n] = median_seconds(generate_dashboards(root), runs)
    finally:
        shutil.rmtree(base)

    summary = Table(title=f"Cold `dash build` of the shipped set, new process ({os.cpu_count()} cores)")
    for col in (
        "dashboards",
        "panels",
        "queries",
        f"no cache (median of {COLD_RUNS})",
        "with .dash-cache",
        "python -c pass",
    ):
        summary.add_column(col)
    panels = sum(len(b.json["panels"]) for b in shipped.dashboards)
    queries = sum(len(b.queries) for b in shipped.dashboards)
    summary.add_row(
        str(len(shipped.dashboards)),
        str(panels),
        str(queries),
        f"{uncached * 1000:.0f} ms",
        f"{cached * 1000:.0f} ms",
        f"{start_up * 1000:.0f} ms",
    )
    console.print(summary)
    warm["json.dumps floor"] = floors
    cold["json.dumps floor (in-process)"] = floors
    floor_marginal = marginal(floors)
    console.print(growth_table("Cost as one dashboard grows (in-process, median)", warm, floor_marginal))
    console.print(
        growth_table("Cost as one dashboard grows (new process each run, no cache, median)", cold, floor_marginal)
    )

    ratio_warm = marginal(warm["dash build (compile + encode)"]) / floor_marginal
    ratio_cold = marginal(cold["dash build"]) / floor_marginal
    aims = Table(title="Aims")
    for col in ("aim", "measured", "holds"):
        aims.add_column(col)
    for aim, measured, holds in (
        ("shipped set builds cold in < 1 s (no cache)", f"{uncached * 1000:.0f} ms", uncached < 1),
        ("shipped set builds cold in < 1 s (with cache)", f"{cached * 1000:.0f} ms", cached < 1),
        ("marginal cost per panel <= 3x json.dumps (in-process)", f"{ratio_warm:.2f}x", ratio_warm <= 3),
        ("marginal cost per panel <= 3x json.dumps (new process)", f"{ratio_cold:.2f}x", ratio_cold <= 3),
    ):
        aims.add_row(aim, measured, "yes" if holds else "NO")
    console.print(aims)


if __name__ == "__main__":
    main()
