"""Real-time panels on an empty or quiet store: zeros or no rows, never a query error.

The local engine's CREATE_TIME_SERIES refuses a null value as Timestream does, so a series fed a sum or
maximum over measures the collector never wrote fails here as it would in Grafana.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from connect_ingest import datamodel
from connect_ingest.transform import schema_seed_records

from core.errors import QueryError
from core.model import PanelOwner
from localquery.loader import LoadStats, load_timestream
from localquery.run import (
    Result,
    Session,
    choose,
    execute,
    find_board,
    panel_queries,
    parse_instant,
    shown,
    time_range,
)
from localquery.run import series as drawn
from localquery.selection import parse_assignments
from localquery.translate import install_macros
from tests.localquery.shipped import run_shipped, shipped_model

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
INSTANCE = f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE_ID}"
QUEUE_ID = "aaaaaaaa-0000-0000-0000-000000000001"
FROM, TO = "2026-02-01T11:00:00Z", "2026-02-01T12:00:00Z"
QUEUES_UID = "connect-rt-queues"
QUEUE_SERIES = (
    "contacts_in_queue_over_time",
    "oldest_contact_age_over_time",
    "contacts_scheduled_over_time",
    "agents_over_time",
    "slots_over_time",
)


def snapshot(at: datetime, collections: list[dict[str, object]]) -> dict[str, object]:
    """A collector snapshot of one queue, its three groupings (queue and channel, queue, instance) carrying only
    ``collections``."""
    queue = {"Id": QUEUE_ID, "Arn": f"{INSTANCE}/queue/{QUEUE_ID}"}
    groupings: list[dict[str, object]] = [{"Queue": queue, "Channel": "VOICE"}, {"Queue": queue}, {}]
    return {
        "collected_at": at.isoformat().replace("+00:00", "Z"),
        "instance_id": INSTANCE_ID,
        "current_metric_data": [
            {"MetricResults": [{"Dimensions": dims, "Collections": collections}]} for dims in groupings
        ],
        "queues": [{"Id": QUEUE_ID, "Arn": f"{INSTANCE}/queue/{QUEUE_ID}", "Name": "Sales", "QueueType": "STANDARD"}],
        "routing_profiles": [],
        "users": [],
    }


def online(value: float) -> dict[str, object]:
    return {"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": value}


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten minutes of snapshots in which Connect returned AGENTS_ONLINE only: every other measure is unwritten."""
    root = tmp_path_factory.mktemp("quiet") / "collector"
    root.mkdir()
    end = datetime.fromisoformat(TO)
    lines = [json.dumps(snapshot(end - timedelta(minutes=m), [online(2.0)])) for m in range(10, 0, -1)]
    (root / "snapshots.jsonl").write_text("\n".join(lines) + "\n")
    return root.parent


def series(data: Path, key: str) -> dict[str, list[float]]:
    results = run_shipped(QUEUES_UID, key, data, FROM, TO, [f"instance={INSTANCE_ID}"])
    return {name: [points[at] for at in sorted(points)] for name, points in drawn(results).items()}


@pytest.mark.parametrize("key", QUEUE_SERIES)
def test_queue_series_over_unwritten_measures_are_zero_not_an_error(quiet: Path, key: str) -> None:
    got = series(quiet, key)
    assert got, f"{key}: no series"
    for name, values in got.items():
        assert len(values) == 10, (key, name)
        assert set(values) == ({2.0} if name == "Online" else {0.0}), (key, name)


REALTIME = ("connect-rt-agents", "connect-rt-contacts", QUEUES_UID)


def realtime_panels() -> list[tuple[str, str]]:
    model = shipped_model()
    return [
        (board.uid, key)
        for board in model.dashboards
        if board.uid in REALTIME
        for key in sorted(
            {q.owner.key for q in board.queries if isinstance(q.owner, PanelOwner)} | {d.key for d in board.data}
        )
    ]


def run_all(
    data: Path, seeded: bool, schema_on_write: bool, instance: str = INSTANCE_ID
) -> dict[tuple[str, str], Result]:
    """Every real-time panel over one load of ``data`` (with the writers' seeds, as Timestream shows the tables)."""
    model = shipped_model()
    tr = time_range(parse_instant(FROM, "--from"), parse_instant(TO, "--to"))
    con = duckdb.connect(":memory:")
    install_macros(con, tr.end().replace(tzinfo=None))
    seeds = schema_seed_records(tuple(t.name for t in datamodel.TIMESTREAM_TABLES), tr.to_ms) if seeded else []
    counts = load_timestream(
        data, con, model.env.timestream_database, tr.to_ms, extra=seeds, schema_on_write=schema_on_write
    )
    session = Session(con, model.env, tr, LoadStats(0, counts))
    results: dict[tuple[str, str], Result] = {}
    try:
        for uid, key in realtime_panels():
            board = find_board(model.dashboards, uid)
            variables, chosen = choose(session, board, parse_assignments([f"instance={instance}"]))
            (query,) = panel_queries(board, key)
            # a panel may show several frames (a series per queue): their rows together
            found = shown(board, key, [execute(session, query, variables, chosen)])
            rows = [row for result in found for row in result.rows]
            results[uid, key] = Result(key, str(query.file), found[0].columns if found else (), rows)
    finally:
        con.close()
    return results


def zero_or_nothing(result: Result) -> bool:
    """No rows, or rows whose numbers are all 0 (a stat's count) and whose series are empty."""
    for row in result.rows:
        for value in row:
            if isinstance(value, int | float) and value != 0:
                return False
            if isinstance(value, list) and any(point["value"] for point in value):
                return False
    return True


def test_a_new_store_with_only_the_seeds_shows_zeros_or_no_rows_on_every_realtime_panel(tmp_path: Path) -> None:
    """A new instance: nothing written but the seeds, and the tables have only the columns the seeds carry."""
    results = run_all(tmp_path, seeded=True, schema_on_write=True)
    assert len(results) == len(realtime_panels()) > 30
    for panel, result in results.items():
        assert zero_or_nothing(result), (panel, result.rows)


def test_without_the_seeds_the_unwritten_columns_are_query_errors(tmp_path: Path) -> None:
    """What the seeds prevent: a store where nothing was written has no columns to name."""
    with pytest.raises(QueryError, match=r"not found|does not have a column|is not in the tables this query reads"):
        run_all(tmp_path, seeded=False, schema_on_write=True)


def test_a_quiet_store_whose_optional_columns_were_never_written_shows_zeros_or_data(quiet: Path) -> None:
    """The collector wrote one measure only, and no agent or contact event has arrived: with the seeds every
    panel answers (the agents' and contacts' with zeros or no rows)."""
    results = run_all(quiet, seeded=True, schema_on_write=True)
    for (uid, key), result in results.items():
        if uid != QUEUES_UID:
            assert zero_or_nothing(result), (key, result.rows)
    assert results[QUEUES_UID, "agents_online"].rows == [(2,)]


def test_an_empty_store_shows_zeros_or_no_rows_on_every_realtime_panel(tmp_path: Path) -> None:
    for panel, result in run_all(tmp_path, seeded=False, schema_on_write=False).items():
        assert zero_or_nothing(result), (panel, result.rows)


def test_the_seeds_change_no_panel_on_simulated_traffic(sim_dir: Path) -> None:
    """Seeds stored beside a day of traffic, at the range's end: every real-time panel answers as without them."""
    instance = json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"]
    with_seeds = run_all(sim_dir, seeded=True, schema_on_write=False, instance=instance)
    without = run_all(sim_dir, seeded=False, schema_on_write=False, instance=instance)
    assert with_seeds == without
    assert any(not zero_or_nothing(r) for r in without.values())
