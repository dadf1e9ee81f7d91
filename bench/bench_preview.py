"""`dash preview` benchmark, run by hand: ``python bench/bench_preview.py [contacts] [--data DIR] [--repeat N]``.

Simulates ``contacts`` customer contacts (default 2,000, 4 hours) or reuses --data DIR, then previews every
shipped dashboard of the default environment as `dash preview` does (the real-time panels' SQL twins): HTML
only, then HTML and a PNG per dashboard through headless Chromium. Prints, per dashboard, the time to run its
panels and write its page, then the totals of both passes and the PNG pass alone (the aim: HTML under 10 s).
The best of --repeat runs is shown, each run in a fresh output directory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from dashcompiler.compile import compile_model  # noqa: E402
from preview.build import write_previews  # noqa: E402
from preview.png import screenshots  # noqa: E402

START = "2026-01-31T22:00:00Z"


def simulate(out: Path, contacts: int, hours: float) -> None:
    from connect_simulator import SimulationConfig
    from connect_simulator import simulate as run

    agents = max(20, contacts // 100)
    print(f"simulating {contacts:,} contacts, {agents} agents, {hours:g} h into {out} ...", flush=True)
    run(out, SimulationConfig(seed=1, agents=agents, contacts=contacts, start=START, hours=hours))


def main(contacts: int, data: Path | None, repeat: int) -> None:
    hours = 4.0
    end = f"2026-02-01T{int(hours) - 2:02d}:00:00Z"
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as scratch:
        if data is None:
            data = Path(scratch) / "data"
            simulate(data, contacts, hours)
        started = time.perf_counter()
        model = compile_model(ROOT, None, twin=True)
        compile_s = time.perf_counter() - started
        per_board: dict[str, float] = {}
        html_s = png_s = float("inf")
        for run in range(repeat):
            out = Path(scratch) / f"html-{run}"
            started = time.perf_counter()
            for board in model.dashboards:
                began = time.perf_counter()
                write_previews(model.env, [board], data, START, end, out)
                per_board[board.uid] = min(per_board.get(board.uid, float("inf")), time.perf_counter() - began)
            html_s = min(html_s, time.perf_counter() - started)
            pages = sorted(out.glob("*.html"))
            began = time.perf_counter()
            screenshots(pages)
            png_s = min(png_s, time.perf_counter() - began)
        size = sum(p.stat().st_size for p in pages) / len(pages) / 1e6
    print(f"\n{len(model.dashboards)} dashboards, {data}, {START} to {end}, best of {repeat}")
    print(f"{'dashboard':32} {'HTML s':>8}")
    for uid, seconds in per_board.items():
        print(f"{uid:32} {seconds:8.2f}")
    print(f"{'compile (definitions -> model)':32} {compile_s:8.2f}")
    print(f"{'HTML only, all dashboards':32} {html_s:8.2f}   (aim < 10 s; {size:.1f} MB a page, plotly.js inlined)")
    print(f"{'PNG pass (Chromium)':32} {png_s:8.2f}")
    print(f"{'HTML and PNG':32} {html_s + png_s:8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contacts", nargs="?", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=None, help="reuse a `dash simulate --out` directory")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    main(args.contacts, args.data, args.repeat)
