"""Real-time panels on an empty or quiet store: zeros or no rows, never a query error.

The local engine's CREATE_TIME_SERIES refuses a null value as Timestream does, so a series fed a sum or
maximum over measures the collector never wrote fails here as it would in Grafana.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.localquery.shipped import run_shipped

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
    (result,) = run_shipped(QUEUES_UID, key, data, FROM, TO, [f"instance={INSTANCE_ID}"])
    return {str(row[0]): [point["value"] for point in row[1]] for row in result.rows}


@pytest.mark.parametrize("key", QUEUE_SERIES)
def test_queue_series_over_unwritten_measures_are_zero_not_an_error(quiet: Path, key: str) -> None:
    got = series(quiet, key)
    assert got, f"{key}: no series"
    for name, values in got.items():
        assert len(values) == 10, (key, name)
        assert set(values) == ({2.0} if name == "Online" else {0.0}), (key, name)
