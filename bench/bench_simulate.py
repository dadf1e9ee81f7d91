"""Generation time and throughput of `dash simulate` for 1,000 / 10,000 / 100,000 contacts.

Run by hand: ``python bench/bench_simulate.py [--sizes 1000,10000,100000] [--keep DIR]``. Two shapes per size:
"staffed" keeps the default load (about 6 contacts per agent-hour, so agents and hours grow with the size) and
"defaults" keeps --agents 20 --hours 4 (an overloaded centre: mostly abandons, few agent events).
Prints a table; wall time includes the forked agent-event writer, CPU time adds the child's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connect_simulator import SimulationConfig, simulate

SHAPES = {
    1_000: (("staffed", 40, 4.0), ("defaults", 20, 4.0)),
    10_000: (("staffed", 100, 16.0), ("defaults", 20, 4.0)),
    100_000: (("staffed", 400, 40.0), ("defaults", 20, 4.0)),
}


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keep", type=Path, help="write here instead of a temporary directory (kept)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    header = f"{'contacts':>9} {'shape':<9} {'agents':>6} {'hours':>5} {'records':>8} {'agent ev':>9} {'contact ev':>10} {'MB':>7} {'wall s':>7} {'cpu s':>7} {'contacts/s':>10}"
    print(header)
    print("-" * len(header))
    for size in (int(s) for s in args.sizes.split(",")):
        for shape, agents, hours in SHAPES.get(size, (("staffed", max(20, size // 250), 40.0),)):
            base = args.keep or Path(tempfile.mkdtemp(prefix="bench-simulate-"))
            out = base / f"{size}-{shape}"
            before = os.times()
            started = time.perf_counter()
            manifest = simulate(out, SimulationConfig(agents=agents, contacts=size, hours=hours))
            wall = time.perf_counter() - started
            after = os.times()
            cpu = sum(after[:4]) - sum(before[:4])
            counts = manifest["counts"]
            print(
                f"{size:>9,} {shape:<9} {agents:>6} {hours:>5g} {counts['contact_records']:>8,} {counts['agent_events']:>9,} "
                f"{counts['contact_events']:>10,} {_size(out) / 1e6:>7.0f} {wall:>7.1f} {cpu:>7.1f} {size / wall:>10,.0f}"
            )
            if not args.keep:
                shutil.rmtree(base)


if __name__ == "__main__":
    main()
