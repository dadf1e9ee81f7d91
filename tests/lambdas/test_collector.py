"""The collector's Connect calls, with botocore's Stubber (moto's Connect has no ListQueues or GetCurrentMetricData)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from connect_ingest.collector import ConnectUnavailableError, collect
from connect_ingest.sinks import Backoff
from connect_ingest.transform import METRIC_UNITS, snapshot_records

INSTANCE = "11111111-1111-1111-1111-111111111111"
NOW = datetime(2024, 5, 1, 12, 0, 5, tzinfo=UTC)
QUEUES = [
    {
        "Id": f"q{i:03d}",
        "Arn": f"arn:aws:connect:eu-west-2:1:instance/{INSTANCE}/queue/q{i:03d}",
        "Name": f"Queue {i}",
        "QueueType": "STANDARD",
    }
    for i in range(130)
]


def metric_page(queue_ids: list[str], token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "MetricResults": [
            {
                "Dimensions": {"Queue": {"Id": q, "Arn": f"arn/{q}"}, "Channel": channel},
                "Collections": [
                    {"Metric": {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"}, "Value": 2.0},
                    {"Metric": {"Name": "OLDEST_CONTACT_AGE", "Unit": "SECONDS"}, "Value": 95.0},
                ],
            }
            for q in queue_ids
            for channel in ("VOICE", "CHAT")
        ],
        "DataSnapshotTime": datetime(2024, 5, 1, 12, 0, 4, 250000, tzinfo=UTC),
    }
    if token:
        page["NextToken"] = token
    return page


def expect_metrics(stubber: Stubber, queue_ids: list[str], response: dict[str, Any], token: str | None = None) -> None:
    params: dict[str, Any] = {
        "InstanceId": INSTANCE,
        "Filters": {"Queues": queue_ids, "Channels": ["VOICE", "CHAT", "TASK"]},
        "Groupings": ["QUEUE", "CHANNEL"],
        "CurrentMetrics": [{"Name": n, "Unit": u} for n, u in METRIC_UNITS.items()],
        "MaxResults": 100,
    }
    if token:
        params["NextToken"] = token
    stubber.add_response("get_current_metric_data", response, params)


@pytest.fixture
def connect() -> Any:
    return boto3.client("connect", region_name="eu-west-2", aws_access_key_id="x", aws_secret_access_key="x")


def test_collects_every_queue_in_pages_and_chunks_of_100(connect: Any) -> None:
    waits: list[float] = []
    with Stubber(connect) as stubber:
        list_params = {"InstanceId": INSTANCE, "QueueTypes": ["STANDARD"], "MaxResults": 1000}
        stubber.add_response("list_queues", {"QueueSummaryList": QUEUES[:70], "NextToken": "t1"}, list_params)
        stubber.add_response("list_queues", {"QueueSummaryList": QUEUES[70:]}, {**list_params, "NextToken": "t1"})
        stubber.add_response(
            "list_routing_profiles",
            {"RoutingProfileSummaryList": [{"Id": "rp1", "Arn": "arn/rp1", "Name": "Basic", "LastModifiedTime": NOW}]},
            {"InstanceId": INSTANCE, "MaxResults": 1000},
        )
        stubber.add_response(
            "list_users",
            {"UserSummaryList": [{"Id": "u1", "Arn": "arn/u1", "Username": "ann"}]},
            {"InstanceId": INSTANCE, "MaxResults": 1000},
        )
        first, second = [q["Id"] for q in QUEUES[:100]], [q["Id"] for q in QUEUES[100:]]
        expect_metrics(stubber, first, metric_page(first[:50], token="m1"))
        stubber.add_client_error("get_current_metric_data", "ThrottlingException", http_status_code=429)
        expect_metrics(stubber, first, metric_page(first[50:]), token="m1")
        expect_metrics(stubber, second, metric_page(second))
        snapshot = collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=waits.append))
        stubber.assert_no_pending_responses()

    assert len(waits) == 1  # backed off once for the throttled call
    assert json.loads(json.dumps(snapshot)) == snapshot  # datetimes became strings
    assert snapshot["collected_at"] == "2024-05-01T12:00:05.000Z"
    assert snapshot["routing_profiles"][0]["LastModifiedTime"] == "2024-05-01T12:00:05.000Z"
    records = snapshot_records(snapshot)
    metrics = [r for r in records if r.table == "queue_metrics"]
    assert len(metrics) == 130 * 2
    assert {(r.dimensions["queue_id"], r.dimensions["channel"]) for r in metrics} == {
        (q["Id"], c) for q in QUEUES for c in ("VOICE", "CHAT")
    }
    assert all(r.measures["oldest_contact_age_seconds"] == 95.0 for r in metrics)
    assert metrics[0].dimensions["queue_name"] == "Queue 0"
    assert metrics[0].time_ms == int(datetime(2024, 5, 1, 12, 0, 4, 250000, tzinfo=UTC).timestamp() * 1000)
    snapshots = [r for r in records if r.table == "resource_snapshot"]
    assert len(snapshots) == 130 + 2
    assert {r.dimensions["resource_type"] for r in snapshots} == {"queue", "routing_profile", "user"}


def test_persistent_throttling_gives_up_with_a_clear_error(connect: Any) -> None:
    with Stubber(connect) as stubber:
        for _ in range(3):
            stubber.add_client_error("list_queues", "ThrottlingException", http_status_code=429)
        with pytest.raises(ConnectUnavailableError, match="list_queues"):
            collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=lambda _: None))


def test_access_denied_is_not_retried(connect: Any) -> None:
    with Stubber(connect) as stubber:
        stubber.add_client_error("list_queues", "AccessDeniedException", http_status_code=403)
        with pytest.raises(Exception, match="AccessDenied"):
            collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=lambda _: pytest.fail("must not back off")))
