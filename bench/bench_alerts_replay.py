"""`dash alerts test` on the local engine: per incident, simulating, loading and replaying, wall and CPU.

The rules are an environment's compiled alert rules (an InfluxDB environment's as their Timestream SQL twins), run
as `dash alerts test` runs them: every group at its interval over the incident's replay span. "per query" is the
replay's CPU time over the datasource queries it ran (each rule query at each evaluation). CPU time beside wall
time, because on a shared machine the wall clock mostly measures the neighbours.

Run by hand from the repository root: ``python bench/bench_alerts_replay.py [--env NAME] [--incident NAME ...]``.
Prints a table; it asserts nothing (timed tests are flaky, budgets are judged by people).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from alerting.evaluate import QueryOutcome  # noqa: E402
from alerting.replay import Runner, replay  # noqa: E402
from alerting.rule import AlertRule, DataQuery  # noqa: E402
from alerttest.run import local_runner, rule_groups, split_queries  # noqa: E402
from connect_simulator import simulate  # noqa: E402
from connect_simulator.incidents import INCIDENTS, MINUTE  # noqa: E402
from dashcompiler.compile import compile_model  # noqa: E402


def counting(runner: Runner) -> tuple[Runner, list[int]]:
    """``runner``, and a one-item list counting its calls."""
    calls = [0]

    def counted(rule: AlertRule, query: DataQuery, now: int) -> QueryOutcome:
        calls[0] += 1
        return runner(rule, query, now)

    return counted, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="staging", help="an environment of dash.yaml (default staging)")
    parser.add_argument("--incident", action="append", default=[], help="default: every incident")
    args = parser.parse_args()
    model = compile_model(ROOT, args.env, twin=True)
    rules = rule_groups(model.alerts)
    local, _ = split_queries(model.alerts, influx=False)
    print(
        f"{'incident':<16} {'span min':>8} {'evals':>6} {'queries':>7} {'sim s':>6} {'load wall s':>11} "
        f"{'load cpu s':>10} {'replay wall s':>13} {'replay cpu s':>12} {'per query ms':>12}"
    )
    for name in args.incident or list(INCIDENTS):
        spec = INCIDENTS[name]
        config = spec.config()
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "sim"
            wall = time.perf_counter()
            manifest = simulate(data, config)
            sim_s = time.perf_counter() - wall
            start = config.start_ms() + spec.replay_min[0] * MINUTE
            end = config.start_ms() + spec.replay_min[1] * MINUTE
            wall, cpu = time.perf_counter(), time.process_time()
            runner, close = local_runner(local, model.env, data, start, end, str(manifest["instance"]["id"]))
            load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
            counted, calls = counting(runner)
            wall, cpu = time.perf_counter(), time.process_time()
            result = replay(rules, counted, start, end)
            run_wall, run_cpu = time.perf_counter() - wall, time.process_time() - cpu
            close()
        print(
            f"{name:<16} {(end - start) // MINUTE:>8} {result.evaluations:>6} {calls[0]:>7} {sim_s:>6.1f} "
            f"{load_wall:>11.1f} {load_cpu:>10.1f} {run_wall:>13.1f} {run_cpu:>12.1f} {1000 * run_cpu / calls[0]:>12.1f}"
        )


if __name__ == "__main__":
    main()
