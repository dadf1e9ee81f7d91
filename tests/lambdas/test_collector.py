"""The collector's Connect calls, with botocore's Stubber (moto's Connect has no ListQueues or GetCurrentMetricData)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from connect_ingest import collector, config
from connect_ingest.collector import ConnectQuotaError, ConnectUnavailableError, collect, process
from connect_ingest.sinks import Backoff
from connect_ingest.sinks.influx import InfluxSink
from connect_ingest.sinks.timestream import TimestreamSink
from connect_ingest.transform import METRIC_UNITS, SEED_INSTANCE_ID, read_snapshot, snapshot_records
from lambda_factories import FlakySink, MemoryQueue
from test_timestream_sink import ScriptedClient, error

INSTANCE = "11111111-1111-1111-1111-111111111111"
NOW = datetime(2024, 5, 1, 12, 0, 5, tzinfo=UTC)
SNAPSHOT_TIME = datetime(2024, 5, 1, 12, 0, 4, 250000, tzinfo=UTC)
QUEUES = [
    {
        "Id": f"q{i:03d}",
        "Arn": f"arn:aws:connect:eu-west-2:1:instance/{INSTANCE}/queue/q{i:03d}",
        "Name": f"Queue {i}",
        "QueueType": "STANDARD",
    }
    for i in range(130)
]
PROFILES = [{"Id": "rp1", "Arn": "arn/rp1", "Name": "Basic", "LastModifiedTime": NOW}]
USERS = [{"Id": "u1", "Arn": "arn/u1", "Username": "ann"}]


def collection(name: str, value: float) -> dict[str, Any]:
    return {"Metric": {"Name": name, "Unit": METRIC_UNITS[name]}, "Value": value}


def metric_page(dimensions: list[dict[str, Any]], age: float = 95.0, token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "MetricResults": [
            {
                "Dimensions": dims,
                "Collections": [
                    collection("CONTACTS_IN_QUEUE", 2.0),
                    collection("OLDEST_CONTACT_AGE", age),
                    collection("AGENTS_ONLINE", 3.0),
                ],
            }
            for dims in dimensions
        ],
        "DataSnapshotTime": SNAPSHOT_TIME,
    }
    if token:
        page["NextToken"] = token
    return page


def by_queue_and_channel(queue_ids: list[str]) -> list[dict[str, Any]]:
    return [{"Queue": {"Id": q, "Arn": f"arn/{q}"}, "Channel": c} for q in queue_ids for c in ("VOICE", "CHAT")]


def by_queue(queue_ids: list[str]) -> list[dict[str, Any]]:
    return [{"Queue": {"Id": q, "Arn": f"arn/{q}"}} for q in queue_ids]


def expect_metrics(
    stubber: Stubber,
    queue_ids: list[str],
    groupings: list[str],
    response: dict[str, Any],
    token: str | None = None,
) -> None:
    params: dict[str, Any] = {
        "InstanceId": INSTANCE,
        "Filters": {"Queues": queue_ids, "Channels": ["VOICE", "CHAT", "TASK"]},
        "CurrentMetrics": [{"Name": n, "Unit": u} for n, u in METRIC_UNITS.items()],
        "MaxResults": 100,
    }
    if groupings:
        params["Groupings"] = groupings
    if token:
        params["NextToken"] = token
    stubber.add_response("get_current_metric_data", response, params)


def expect_lists(stubber: Stubber, queues: list[dict[str, Any]], page: int = 1000) -> None:
    list_params = {"InstanceId": INSTANCE, "QueueTypes": ["STANDARD"], "MaxResults": 1000}
    if len(queues) > page:
        stubber.add_response("list_queues", {"QueueSummaryList": queues[:page], "NextToken": "t1"}, list_params)
        stubber.add_response("list_queues", {"QueueSummaryList": queues[page:]}, {**list_params, "NextToken": "t1"})
    else:
        stubber.add_response("list_queues", {"QueueSummaryList": queues}, list_params)
    stubber.add_response(
        "list_routing_profiles", {"RoutingProfileSummaryList": PROFILES}, {"InstanceId": INSTANCE, "MaxResults": 1000}
    )
    stubber.add_response("list_users", {"UserSummaryList": USERS}, {"InstanceId": INSTANCE, "MaxResults": 1000})


@pytest.fixture
def connect() -> Any:
    return boto3.client("connect", region_name="eu-west-2", aws_access_key_id="x", aws_secret_access_key="x")


def test_collects_every_queue_in_pages_and_chunks_of_100_by_queue_and_channel_and_by_queue(connect: Any) -> None:
    """130 queues take two calls per grouping; no instance total, since Connect dedupes agents only within a call."""
    waits: list[float] = []
    with Stubber(connect) as stubber:
        expect_lists(stubber, QUEUES, page=70)
        first, second = [q["Id"] for q in QUEUES[:100]], [q["Id"] for q in QUEUES[100:]]
        pair = ["QUEUE", "CHANNEL"]
        expect_metrics(stubber, first, pair, metric_page(by_queue_and_channel(first[:50]), token="m1"))
        stubber.add_client_error("get_current_metric_data", "ThrottlingException", http_status_code=429)
        expect_metrics(stubber, first, pair, metric_page(by_queue_and_channel(first[50:])), token="m1")
        expect_metrics(stubber, second, pair, metric_page(by_queue_and_channel(second)))
        expect_metrics(stubber, first, ["QUEUE"], metric_page(by_queue(first)))
        expect_metrics(stubber, second, ["QUEUE"], metric_page(by_queue(second)))
        snapshot = collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=waits.append))
        stubber.assert_no_pending_responses()

    assert len(waits) == 1  # backed off once for the throttled call
    assert json.loads(json.dumps(snapshot)) == snapshot  # datetimes became strings
    assert snapshot["collected_at"] == "2024-05-01T12:00:05.000Z"
    assert snapshot["routing_profiles"][0]["LastModifiedTime"] == "2024-05-01T12:00:05.000Z"
    records = snapshot_records(snapshot)
    metrics = [r for r in records if r.table == "queue_metrics"]
    assert len(metrics) == 130 * 2 + 130
    assert {(r.dimensions["queue_id"], r.dimensions["channel"]) for r in metrics} == {
        (q["Id"], c) for q in QUEUES for c in ("VOICE", "CHAT", "ALL")
    }
    assert all(r.measures["oldest_contact_age_seconds"] == 95.0 for r in metrics)
    assert metrics[0].dimensions["queue_name"] == "Queue 0"
    assert metrics[0].time_ms == int(SNAPSHOT_TIME.timestamp() * 1000)
    snapshots = [r for r in records if r.table == "resource_snapshot"]
    assert len(snapshots) == 130 + 2
    assert {r.dimensions["resource_type"] for r in snapshots} == {"queue", "routing_profile", "user"}


def test_instance_total_is_asked_ungrouped_and_its_oldest_contact_age_read_as_milliseconds(connect: Any) -> None:
    queues = QUEUES[:3]
    ids = [q["Id"] for q in queues]
    with Stubber(connect) as stubber:
        expect_lists(stubber, queues)
        expect_metrics(stubber, ids, ["QUEUE", "CHANNEL"], metric_page(by_queue_and_channel(ids)))
        expect_metrics(stubber, ids, ["QUEUE"], metric_page(by_queue(ids)))
        later = metric_page([{}], age=95_400.0)
        later["DataSnapshotTime"] = SNAPSHOT_TIME + timedelta(seconds=1)
        expect_metrics(stubber, ids, [], later)
        snapshot = collect(connect, INSTANCE, NOW, Backoff(attempts=1))
        stubber.assert_no_pending_responses()

    metrics = [r for r in snapshot_records(snapshot) if r.table == "queue_metrics"]
    # one time for the whole run (the earliest page's), so its groupings fall in the same minute
    assert {r.time_ms for r in metrics} == {int(SNAPSHOT_TIME.timestamp() * 1000)}
    (total,) = [r for r in metrics if r.dimensions["queue_id"] == "ALL"]
    assert dict(total.dimensions) == {"instance_id": INSTANCE, "queue_id": "ALL", "channel": "ALL"}
    assert total.measures["oldest_contact_age_seconds"] == 95.0  # 95 400 ms
    assert total.measures["agents_online"] == 3
    assert len(metrics) == 3 * 2 + 3 + 1


def test_persistent_throttling_gives_up_with_a_clear_error(connect: Any) -> None:
    with Stubber(connect) as stubber:
        for _ in range(3):
            stubber.add_client_error("list_queues", "ThrottlingException", http_status_code=429)
        with pytest.raises(ConnectUnavailableError, match="list_queues"):
            collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=lambda _: None))


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [("AccessDeniedException", 403, "AccessDenied"), ("LimitExceededException", 429, "service quota")],
)
def test_access_denied_and_quota_errors_are_not_retried(connect: Any, code: str, status: int, error: str) -> None:
    with Stubber(connect) as stubber:
        stubber.add_client_error("list_queues", code, http_status_code=status)
        with pytest.raises(Exception, match=error) as raised:
            collect(connect, INSTANCE, NOW, Backoff(attempts=3, sleep=lambda _: pytest.fail("must not back off")))
        stubber.assert_no_pending_responses()
    assert (raised.type is ConnectQuotaError) == (code == "LimitExceededException")


def broken_snapshot() -> dict[str, Any]:
    """Two good metric rows, one with a fractional count, one without a queue id, and a queue without an Id."""
    good = by_queue_and_channel(["q000"])
    page = metric_page([*good, {"Queue": {"Name": "no id"}, "Channel": "VOICE"}, *by_queue(["q001"])])
    page["MetricResults"][3]["Collections"][2]["Value"] = 2.5
    page["DataSnapshotTime"] = "2024-05-01T12:00:04.250Z"
    return {
        "collected_at": "2024-05-01T12:00:05.000Z",
        "instance_id": INSTANCE,
        "current_metric_data": [page],
        "queues": [QUEUES[0], {"Name": "lost"}, QUEUES[1]],
        "routing_profiles": [],
        "users": [],
    }


def test_a_bad_metric_row_or_resource_is_rejected_alone_saying_where() -> None:
    read = read_snapshot(broken_snapshot())
    assert sorted(r.reason for r in read.rejected) == [
        "current_metric_data[0].MetricResults[2].Dimensions.Queue: no Id or Arn",
        "current_metric_data[0].MetricResults[3].Collections[AGENTS_ONLINE].Value: expected a whole number",
        "queues[1]: no Id or Arn",
    ]
    assert [r.part for r in read.rejected if r.reason.startswith("queues")] == [{"Name": "lost"}]
    metrics = [r for r in read.records if r.table == "queue_metrics"]
    assert [(r.dimensions["queue_id"], r.dimensions["channel"]) for r in metrics] == [
        ("q000", "VOICE"),
        ("q000", "CHAT"),
    ]
    assert len([r for r in read.records if r.table == "resource_snapshot"]) == 2


def test_process_writes_the_rest_and_dead_letters_each_bad_part_with_its_payload() -> None:
    sink, queue = FlakySink(["ok"]), MemoryQueue(capacity=10)
    tally = process(broken_snapshot(), sink, queue, version=7)
    assert (tally.inputs, tally.written, tally.dead_lettered) == (4 + 3, 4, 3)
    assert tally.balanced()
    assert len(sink.written) == 4
    payloads = [json.loads(letter.payload) for letter in queue.letters]
    assert {p["collected_at"] for p in payloads} == {"2024-05-01T12:00:05.000Z"}
    assert {"Name": "lost"} in [p["part"] for p in payloads]
    assert all(letter.source == "collector" for letter in queue.letters)


def test_process_retries_the_run_when_the_dead_letter_queue_is_down() -> None:
    with pytest.raises(collector.SinkUnavailableError, match="dead-letter"):
        process(broken_snapshot(), FlakySink(["ok"]), MemoryQueue(capacity=1), version=7)


def test_handler_collects_and_writes_end_to_end(connect: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    queues = QUEUES[:2]
    ids = [q["Id"] for q in queues]
    sink, queue = FlakySink(["ok", "ok", "reject"]), MemoryQueue(capacity=10)
    monkeypatch.setenv("CONNECT_INSTANCE_ID", INSTANCE)
    monkeypatch.setattr(config, "connect_client", lambda: connect)
    monkeypatch.setattr(config, "sink", lambda: sink)
    monkeypatch.setattr(config, "dead_letters", lambda: queue)
    with Stubber(connect) as stubber:
        expect_lists(stubber, queues)
        expect_metrics(stubber, ids, ["QUEUE", "CHANNEL"], metric_page(by_queue_and_channel(ids)))
        expect_metrics(stubber, ids, ["QUEUE"], metric_page(by_queue(ids)))
        expect_metrics(stubber, ids, [], metric_page([{}], age=4_000.0))
        outcome = collector.handler({}, None)
        stubber.assert_no_pending_responses()

    records = 2 * 2 + 2 + 1 + len(queues) + len(PROFILES) + len(USERS)
    rejected = records // 3  # every third record the sink refuses
    assert outcome == {"written": records - rejected, "dead_lettered": rejected}
    assert len(sink.written) == records - rejected
    assert [letter.reason for letter in queue.letters] == ["refused"] * rejected
    written_tables = {r.table for r in sink.written}
    assert written_tables == {"queue_metrics", "resource_snapshot"}


def test_handler_fails_the_run_on_a_quota_error(connect: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECT_INSTANCE_ID", INSTANCE)
    monkeypatch.setattr(config, "connect_client", lambda: connect)
    monkeypatch.setattr(config, "sink", lambda: FlakySink(["ok"]))
    with Stubber(connect) as stubber:
        stubber.add_client_error("list_queues", "LimitExceededException", http_status_code=429)
        with pytest.raises(ConnectQuotaError, match="list_queues"):
            collector.handler({}, None)


ALL_TABLES = ["agent_state", "agent_contact", "contact_event", "queue_metrics", "resource_snapshot"]


def _is_seed(request: dict[str, Any]) -> bool:
    """A schema-seed WriteRecords request, told by its sentinel instance id."""
    return {"Name": "instance_id", "Value": SEED_INSTANCE_ID} in request["CommonAttributes"].get("Dimensions", [])


def _seeded_tables(client: ScriptedClient) -> list[str]:
    return [request["TableName"] for request in client.requests if _is_seed(request)]


def _run_handler(connect: Any, monkeypatch: pytest.MonkeyPatch, sink: Any, times: int) -> list[dict[str, int]]:
    """``times`` scheduled runs of one warm container (one cached sink), each collecting two queues."""
    ids = [q["Id"] for q in QUEUES[:2]]
    monkeypatch.setenv("CONNECT_INSTANCE_ID", INSTANCE)
    monkeypatch.setattr(config, "connect_client", lambda: connect)
    monkeypatch.setattr(config, "sink", lambda: sink)
    monkeypatch.setattr(config, "dead_letters", lambda: MemoryQueue(capacity=10))
    outcomes = []
    with Stubber(connect) as stubber:
        for _ in range(times):
            expect_lists(stubber, QUEUES[:2])
            expect_metrics(stubber, ids, ["QUEUE", "CHANNEL"], metric_page(by_queue_and_channel(ids)))
            expect_metrics(stubber, ids, ["QUEUE"], metric_page(by_queue(ids)))
            expect_metrics(stubber, ids, [], metric_page([{}]))
            outcomes.append(collector.handler({}, None))
        stubber.assert_no_pending_responses()
    return outcomes


def test_the_collector_seeds_every_timestream_table_once_per_container(
    connect: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event functions seed only their own tables, on their first event; the collector runs from deployment."""
    client = ScriptedClient()
    sink = TimestreamSink(client, "db", Backoff(attempts=2, sleep=lambda _: None), seed_schema=True)
    first, second = _run_handler(connect, monkeypatch, sink, times=2)
    assert _seeded_tables(client) == ALL_TABLES  # once each, over two runs
    assert [r["TableName"] for r in client.requests[:5]] == ALL_TABLES  # before the snapshot's own writes
    assert first == second == {"written": 2 * 2 + 2 + 1 + 2 + len(PROFILES) + len(USERS), "dead_lettered": 0}
    assert sink.seeded == set(ALL_TABLES)


def test_a_failed_seed_fails_nothing_and_is_tried_again_on_the_next_run(
    connect: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = {"contact_event": error("AccessDeniedException", 403), "agent_state": error("ThrottlingException")}

    def refuse_once(request: dict[str, Any]) -> Exception | None:
        return refused.pop(request["TableName"], None) if _is_seed(request) else None

    client = ScriptedClient(*[refuse_once] * 100)
    sink = TimestreamSink(client, "db", Backoff(attempts=2, sleep=lambda _: None), seed_schema=True)
    first, second = _run_handler(connect, monkeypatch, sink, times=2)
    assert refused == {}
    assert first == second and first["dead_lettered"] == 0
    assert _seeded_tables(client) == [*ALL_TABLES, "agent_state", "contact_event"]  # one attempt a run
    assert sink.seeded == set(ALL_TABLES)


def test_only_a_seeding_timestream_sink_is_seeded() -> None:
    """InfluxDB answers an unwritten field or measurement with no rows: it needs no seed."""
    assert collector.seed_every_table(InfluxSink(url="http://127.0.0.1:9", database="db")) == []
    assert collector.seed_every_table(FlakySink(["ok"])) == []
    client = ScriptedClient()
    assert collector.seed_every_table(TimestreamSink(client, "db")) == []
    assert client.requests == []
