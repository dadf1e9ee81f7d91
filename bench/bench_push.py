"""Benchmark `dash push`: 200 dashboards to the Grafana emulator with 20 ms latency per request.

Prints wall time at concurrency 1 and 8, and requests per dashboard for a first push and for an
unchanged re-push (all requests over the dashboard count: the preflight, search, folder and
datasource calls are spread over the dashboards). The emulator runs in its own process (so it does not share the GIL with the
client) without OpenAPI validation (which costs CPU per request and would measure the emulator,
not the push). Run by hand from the repository root:

    .venv/bin/python bench/bench_push.py [--dashboards 200] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grafana_sync.apply import apply_plan  # noqa: E402
from grafana_sync.bundle import parse_bundle  # noqa: E402
from grafana_sync.connection import Grafana, RetryPolicy, Settings, preflight  # noqa: E402
from grafana_sync.plan import Scope, make_plan  # noqa: E402
from grafana_sync.push import resolve_secrets  # noqa: E402
from tests.grafana.bundles import make_bundle  # noqa: E402

TOKEN = "bench-token"
SECRETS = {"CONNECT_ATHENA_ACCESS_KEY": "bench-access", "CONNECT_ATHENA_SECRET_KEY": "bench-secret"}


def one_push(url: str, files: dict[str, bytes], concurrency: int) -> tuple[float, int, dict[str, int]]:
    """Wall seconds, requests sent, and dashboard results of one full push (preflight included)."""
    bundle = parse_bundle(files)
    grafana = Grafana(Settings(url, token=TOKEN, timeout=10.0), RetryPolicy())
    start = time.perf_counter()
    preflight(grafana)
    plan = make_plan(grafana, bundle, Scope(), concurrency)
    outcomes = apply_plan(grafana, plan, resolve_secrets(bundle, SECRETS), False, concurrency)
    elapsed = time.perf_counter() - start
    results: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.kind == "dashboard":
            results[outcome.result] = results.get(outcome.result, 0) + 1
    return elapsed, grafana.requests, results


def run(dashboards: int, latency: float, concurrency: int) -> list[str]:
    emulator = subprocess.Popen(
        [sys.executable, "-m", "tests.grafana.emulator", "--latency", str(latency), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert emulator.stdout is not None
        url = emulator.stdout.readline().strip()
        files = make_bundle(dashboards)
        first, first_requests, first_results = one_push(url, files, concurrency)
        again, again_requests, again_results = one_push(url, files, concurrency)
        assert first_results == {"created": dashboards}, first_results
        assert again_results == {"unchanged": dashboards}, again_results
        return [
            str(concurrency),
            f"{first:.2f}",
            f"{first_requests / dashboards:.2f}",
            f"{again:.2f}",
            f"{again_requests / dashboards:.2f}",
        ]
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dashboards", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the emulator adds per request")
    args = parser.parse_args()
    header = ["concurrency", "first push s", "requests/dashboard", "unchanged re-push s", "requests/dashboard"]
    rows = [run(args.dashboards, args.latency, c) for c in (1, 8)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"{args.dashboards} dashboards, {args.latency * 1000:.0f} ms per request, {os.cpu_count()} cores")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    print(
        "requests/dashboard: every request of the push over the dashboard count, so it includes the preflight "
        "(health, credentials), the searches and the folder and datasource calls spread over the dashboards"
    )


if __name__ == "__main__":
    main()
