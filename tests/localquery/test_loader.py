"""The loader's shortcuts must not change what a table holds."""

from __future__ import annotations

from pathlib import Path

import duckdb

from localquery.loader import load_timestream


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return con.execute(f'SELECT * FROM "db"."{table}" ORDER BY ALL').fetchall()


def test_queue_metrics_alone_equal_queue_metrics_loaded_with_the_resource_snapshots(sim_dir: Path) -> None:
    """Loading queue_metrics alone skips the snapshots' user lists; the queue names must still resolve."""
    alone, both = duckdb.connect(), duckdb.connect()
    counts = load_timestream(sim_dir, alone, "db", 2**62, ["queue_metrics"])
    full = load_timestream(sim_dir, both, "db", 2**62, ["queue_metrics", "resource_snapshot"])
    assert counts["queue_metrics"] == full["queue_metrics"] > 0
    assert _rows(alone, "queue_metrics") == _rows(both, "queue_metrics")
    unnamed = 'SELECT count(*) FROM "db"."queue_metrics" WHERE queue_name IS NULL AND queue_id <> \'ALL\''
    assert alone.execute(unnamed).fetchone() == (0,)  # only the instance row has no queue
    users = both.execute('SELECT count(*) FROM "db"."resource_snapshot" WHERE resource_type = \'user\'').fetchone()
    assert users is not None and users[0] > 0
