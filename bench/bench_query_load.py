"""Queries each real-time dashboard sends per refresh and per minute, per real-time store, before and after.

"Before" compiles another revision's definitions (default: git main) from `git archive`, counted the same way
(dashcompiler.query_load: every non-hidden target of every panel; Dashboard-datasource targets send none).
Run by hand:

    .venv/bin/python bench/bench_query_load.py [--before REV]
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashcompiler.compile import compile_model  # noqa: E402
from dashcompiler.config import load_config  # noqa: E402
from dashcompiler.query_load import queries_per_refresh, refreshes_per_minute  # noqa: E402

Counts = dict[tuple[str, str], tuple[str, str, int]]  # (store, uid) -> (title, refresh, queries per refresh)


def counts(root: Path) -> Counts:
    """Every auto-refreshing dashboard of each committed environment's store."""
    config = load_config(root)
    found: Counts = {}
    for name in config.outputs:
        model = compile_model(root, name)
        for board in model.dashboards:
            if board.json.get("refresh"):
                found[(model.env.realtime_store, board.uid)] = (
                    board.title,
                    board.json["refresh"],
                    queries_per_refresh(board.json),
                )
    return found


def counts_at(revision: str) -> Counts:
    """The same counts for the definitions and queries at ``revision``, compiled with this checkout's compiler and
    dash.yaml (the environments are not what is compared, and an older dash.yaml may lack what this one needs)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "dashboards", "queries"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        shutil.copy(ROOT / "dash.yaml", Path(tmp) / "dash.yaml")
        return counts(Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="the revision to compare with (default: main)")
    before_rev = parser.parse_args().before
    before, after = counts_at(before_rev), counts(ROOT)
    table = Table(title=f"Queries per refresh and per minute ({before_rev} -> this checkout)")
    for header in ("store", "dashboard", "refresh", "before/refresh", "after/refresh", "before/min", "after/min"):
        table.add_column(header, justify="left" if header in ("store", "dashboard") else "right")
    for key in sorted(after.keys() | before.keys()):
        title, refresh, now = after.get(key, ("", "", 0))
        old_title, old_refresh, then = before.get(key, (title, refresh, 0))
        per_minute = refreshes_per_minute(refresh or old_refresh)
        table.add_row(
            key[0],
            title or old_title,
            refresh or old_refresh,
            str(then),
            str(now),
            f"{then * refreshes_per_minute(old_refresh):g}",
            f"{now * per_minute:g}",
        )
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
