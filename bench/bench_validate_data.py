"""`dash validate --data` on a default `dash simulate` folder: loading, query runs and the whole, wall and CPU.

Every committed environment is run as `dash validate --data` runs it (an InfluxDB environment through its
Timestream SQL twin). CPU time beside wall time, because on a shared machine the wall clock mostly measures the
neighbours.

Run by hand from the repository root: ``python bench/bench_validate_data.py [--contacts N]``.
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

import connect_simulator as simulator  # noqa: E402
from dashcompiler.compile import compile_model  # noqa: E402
from dashcompiler.config import load_config  # noqa: E402
from localquery.datacheck import check_data, span_of  # noqa: E402
from localquery.run import open_session, parse_instant, time_range  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=500, help="dash simulate's default: 500")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sim"
        simulator.simulate(data, simulator.SimulationConfig(contacts=args.contacts))
        span = span_of(data)
        assert span is not None
        print(
            f"{'environment':<12} {'load wall s':>11} {'load cpu s':>10} {'runs':>5} {'all wall s':>10} {'all cpu s':>9}"
        )
        for name in load_config(ROOT).outputs:
            model = compile_model(ROOT, name, twin=True)
            wall, cpu = time.perf_counter(), time.process_time()
            tr = time_range(parse_instant(span[0], "--from"), parse_instant(span[1], "--to"))
            open_session(data, model.env, tr).con.close()
            load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            checked = check_data(model.env, model.dashboards, data, *span, ROOT)
            all_wall, all_cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{name:<12} {load_wall:>11.1f} {load_cpu:>10.1f} {checked.queries:>5} {all_wall:>10.1f} {all_cpu:>9.1f}"
            )


if __name__ == "__main__":
    main()
