"""Validation cost of the shipped queries: per query, the slowest ones, and the whole set cold and warm.

Every panel and variable query of dashboards/ goes through ``check_queries`` (what
``dash validate`` and ``dash build`` run) with the result cache off, so each figure is
a real check. "Cold" is a fresh interpreter (imports of sqlglot and the checker
included); "warm process" repeats the whole set in one interpreter.

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
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from core.model import CompiledDashboard  # noqa: E402
from dashcompiler.checks import check_queries  # noqa: E402
from dashcompiler.compile import compile_model  # noqa: E402

COLD = """
import time
t = time.perf_counter()
from pathlib import Path
from dashcompiler.compile import compile_model
from dashcompiler.checks import check_queries
root = Path({root!r})
build = compile_model(root)
c = time.perf_counter()
problems = check_queries(build.env, build.dashboards, root, cache_results=False)
e = time.perf_counter()
assert not problems, problems
print(c - t, e - c)
"""


def cold_run() -> tuple[float, float]:
    """(compile s, validate s) in a fresh interpreter: what one `dash validate` pays."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "infra" / "lambdas")])}
    out = subprocess.run(
        [sys.executable, "-c", COLD.format(root=str(ROOT))], capture_output=True, text=True, check=True, env=env
    )
    compile_s, validate_s = out.stdout.split()
    return float(compile_s), float(validate_s)


def one_query_boards(dashboards: tuple[CompiledDashboard, ...]) -> list[tuple[str, CompiledDashboard]]:
    """Each distinct query alone in its dashboard, so check_queries times exactly that query."""
    seen: set[tuple[str, str]] = set()
    boards: list[tuple[str, CompiledDashboard]] = []
    for board in dashboards:
        for query in board.queries:
            if (str(query.file), query.text) in seen:
                continue
            seen.add((str(query.file), query.text))
            label = f"{query.file.relative_to(ROOT / 'queries')} [{query.owner}]"
            boards.append((label, replace(board, queries=(query,))))
    return boards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--slowest", type=int, default=8)
    args = parser.parse_args()
    colds = [cold_run() for _ in range(3)]

    build = compile_model(ROOT)
    queries = one_query_boards(build.dashboards)
    total_queries = sum(len(b.queries) for b in build.dashboards)

    def whole_set() -> float:
        start = time.perf_counter()
        problems = check_queries(build.env, build.dashboards, ROOT, cache_results=False)
        elapsed = time.perf_counter() - start
        if problems:
            raise SystemExit(f"shipped queries have problems: {problems[:3]}")
        return elapsed

    first = whole_set()
    warm = [whole_set() for _ in range(args.repeat)]
    per_query: dict[str, list[float]] = {label: [] for label, _ in queries}
    for _ in range(args.repeat):
        for label, board in queries:
            start = time.perf_counter()
            check_queries(build.env, (board,), ROOT, cache_results=False)
            per_query[label].append(time.perf_counter() - start)
    empty = (replace(build.dashboards[0], queries=()),)
    overhead = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        check_queries(build.env, empty, ROOT, cache_results=False)
        overhead.append(time.perf_counter() - start)
    medians = {label: statistics.median(times) for label, times in per_query.items()}

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; environment {build.env.name}")
    print(f"shipped set: {total_queries} panel and variable queries, {len(queries)} distinct; result cache off")
    print(f"{'measure':<70}{'ms':>10}")
    cold_compile = statistics.median(c for c, _ in colds)
    cold_validate = statistics.median(v for _, v in colds)
    print(f"{'cold: compile dashboards, fresh interpreter (median of 3)':<70}{cold_compile * 1000:>10.1f}")
    print(f"{'cold: validate the whole set, incl. imports (median of 3)':<70}{cold_validate * 1000:>10.1f}")
    print(f"{'warm process: first whole-set pass in this process':<70}{first * 1000:>10.1f}")
    print(f"{f'warm process: whole set (median of {args.repeat})':<70}{statistics.median(warm) * 1000:>10.1f}")
    print(
        f"{'per call: check_queries with no query (fingerprint), in each below':<70}{statistics.median(overhead) * 1000:>10.2f}"
    )
    print(f"{'per query: median of the distinct queries':<70}{statistics.median(medians.values()) * 1000:>10.2f}")
    print(f"{'per query: mean of the distinct queries':<70}{statistics.mean(medians.values()) * 1000:>10.2f}")
    print(f"slowest {args.slowest} queries (median of {args.repeat}):")
    for label, seconds in sorted(medians.items(), key=lambda item: -item[1])[: args.slowest]:
        print(f"{'  ' + label:<70}{seconds * 1000:>10.2f}")


if __name__ == "__main__":
    main()
