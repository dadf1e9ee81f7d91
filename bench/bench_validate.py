"""Validation cost: cold import of sqlcheck, per-query check time, and the whole corpus.

Run by hand from the repository root: ``python bench/bench_validate.py [--repeat N]``.
Prints a table; it asserts nothing (timed tests are flaky, budgets are judged by people).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from tests.sqlcheck.helpers import QUERIES, TARGETS, VARIABLES, environment, render  # noqa: E402


def cold_import_seconds() -> float:
    """A fresh interpreter importing sqlcheck (sqlglot included), as `dash build` pays once."""
    code = "import time; t = time.perf_counter(); import sqlcheck; print(time.perf_counter() - t)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "infra" / "lambdas")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    imports = [cold_import_seconds() for _ in range(3)]
    from sqlcheck import check_query

    env = environment()
    files = sorted(QUERIES.rglob("*.sql"))
    rendered = [(p, render(p.read_text(encoding="utf-8"), env)) for p in files]

    def run(path: Path, sql: str) -> None:
        problems = check_query(
            sql,
            file=str(path),
            datasource=path.parent.name,
            env=env,
            variables=VARIABLES,
            target=TARGETS.get(path.name),  # type: ignore[arg-type]
        )
        if problems:
            raise SystemExit(f"{path}: corpus query has problems: {problems}")

    first_start = time.perf_counter()
    for path, sql in rendered:
        run(path, sql)
    first_pass = time.perf_counter() - first_start

    per_query: dict[str, list[float]] = {p.name: [] for p, _ in rendered}
    totals: list[float] = []
    for _ in range(args.repeat):
        total_start = time.perf_counter()
        for path, sql in rendered:
            start = time.perf_counter()
            run(path, sql)
            per_query[path.name].append(time.perf_counter() - start)
        totals.append(time.perf_counter() - total_start)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'measure':<44}{'ms':>10}")
    print(f"{'cold import of sqlcheck (median of 3)':<44}{statistics.median(imports) * 1000:>10.1f}")
    print(f"{'first pass over the corpus (warm-up)':<44}{first_pass * 1000:>10.1f}")
    for name, times in per_query.items():
        print(f"{'  ' + name:<44}{statistics.median(times) * 1000:>10.2f}")
    medians = [statistics.median(t) for t in per_query.values()]
    print(f"{'median per query':<44}{statistics.median(medians) * 1000:>10.2f}")
    print(
        f"{'whole corpus (' + str(len(files)) + ' queries, median of runs)':<44}{statistics.median(totals) * 1000:>10.1f}"
    )


if __name__ == "__main__":
    main()
