"""End to end against moto in server mode: Kinesis -> agent-event handler -> Timestream, poison records -> SQS.

moto keeps the records each WriteRecords call sent but drops CommonAttributes, so the test records each
call's CommonAttributes from the client and merges them back, call by call, to see the stored rows whole.
"""

from __future__ import annotations

import base64
import json
import random
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from conftest import REGION
from connect_ingest import agent_events, collector, config, contact_events, datamodel
from connect_ingest.sinks.timestream import TimestreamSink
from connect_ingest.transform import SEED_INSTANCE_ID
from connect_ingest.transform.record import sub_ms_offset
from lambda_factories import agent_event, contact_envelope, repair_jsonc

from tests.conftest import reference_file

DATABASE = "connect-analytics"


def _setup(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Tables and a DLQ in moto, and the handlers' settings in the environment: the real sink, built by config.

    botocore turns endpoint discovery off only for an endpoint_url passed in code (not AWS_ENDPOINT_URL), and
    moto's discovery answer is the real AWS host; so the sink gets moto's URL from TIMESTREAM_ENDPOINT_URL.
    """
    ts = boto3.client("timestream-write", region_name=REGION, endpoint_url=moto_url)
    ts.create_database(DatabaseName=DATABASE)
    for table in datamodel.TIMESTREAM_TABLES:
        ts.create_table(DatabaseName=DATABASE, TableName=table.name)
    queue_url = boto3.client("sqs", region_name=REGION).create_queue(QueueName="ingest-dlq")["QueueUrl"]
    for name, value in {
        "SINK": "timestream",
        "TIMESTREAM_DATABASE": DATABASE,
        "TIMESTREAM_REGION": REGION,
        "TIMESTREAM_ENDPOINT_URL": moto_url,
        "DLQ_URL": queue_url,
        "POWERTOOLS_SERVICE_NAME": "connect-ingest-test",
    }.items():
        monkeypatch.setenv(name, value)
    config.reset()
    assert isinstance(config.sink(), TimestreamSink)
    return queue_url


def _capture_common_attributes() -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    client = config.sink().client  # type: ignore[attr-defined]
    client.meta.events.register(
        "provide-client-params.timestream-write.WriteRecords", lambda params, **_: calls.append(params)
    )
    return calls


def _stored_rows(moto_url: str, calls: list[dict[str, Any]], seeds: bool = False) -> dict[str, list[dict[str, Any]]]:
    """moto's stored records per table, each merged with the CommonAttributes of the call that sent it: the
    events' rows, or with ``seeds`` the schema-seed rows the sink wrote before a table's first write."""
    with urllib.request.urlopen(f"{moto_url}/moto-api/data.json", timeout=10) as response:
        tables = json.load(response)["timestreamwrite"]["TimestreamTable"]
    stored = {t["name"]: list(t["records"]) for t in tables if t.get("db_name") == DATABASE}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in stored}
    offsets = dict.fromkeys(stored, 0)
    for call in calls:
        table, common = call["TableName"], call["CommonAttributes"]
        for record in stored[table][offsets[table] : offsets[table] + len(call["Records"])]:
            dims = {d["Name"]: d["Value"] for d in [*common.get("Dimensions", []), *record.get("Dimensions", [])]}
            measures = {m["Name"]: (m["Type"], m["Value"]) for m in record["MeasureValues"]}
            rows[table].append(
                {
                    "dims": dims,
                    "measures": measures,
                    "time": record["Time"],
                    "unit": common["TimeUnit"],
                    "measure_name": common["MeasureName"],
                }
            )
        offsets[table] += len(call["Records"])
    assert offsets == {name: len(records) for name, records in stored.items()}, "moto stored records no call sent"
    return {
        name: [r for r in table if (r["dims"]["instance_id"] == SEED_INSTANCE_ID) == seeds]
        for name, table in rows.items()
    }


def _kinesis_lambda_event(payloads: list[bytes]) -> dict[str, Any]:
    """Put the payloads on a real (moto) stream and read them back into the event Lambda would deliver."""
    kinesis = boto3.client("kinesis", region_name=REGION)
    kinesis.create_stream(StreamName="agent-events", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="agent-events")["StreamDescription"]["StreamARN"]
    for payload in payloads:
        kinesis.put_record(StreamName="agent-events", Data=payload, PartitionKey="agent")
    shard = kinesis.list_shards(StreamName="agent-events")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="agent-events", ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    got = kinesis.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
    return {
        "Records": [
            {
                "kinesis": {
                    "partitionKey": r["PartitionKey"],
                    "sequenceNumber": r["SequenceNumber"],
                    "data": base64.b64encode(r["Data"]).decode(),
                    "approximateArrivalTimestamp": r["ApproximateArrivalTimestamp"].timestamp(),
                },
                "eventSource": "aws:kinesis",
                "eventID": f"{shard}:{r['SequenceNumber']}",
                "eventSourceARN": arn,
            }
            for r in got
        ]
    }


def _dead_letters(queue_url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


def test_agent_events_reach_timestream_and_poison_records_reach_the_dlq(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_url = _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(minutes=5)
    events = [agent_event(rng, start + timedelta(seconds=i), contacts=i % 3) for i in range(150)]
    ended = repair_jsonc(
        reference_file("connect-samples/agent_event_STATE_CHANGE_contact_ENDED_awsdocs2023.jsonc").read_text()
    )
    poison = [b"{not json", json.dumps({"ContactId": "a CTR, not an agent event"}).encode()]
    payloads = [json.dumps(e).encode() for e in events[:75]] + poison + [json.dumps(ended).encode()]
    payloads += [json.dumps(e).encode() for e in events[75:]]

    response = agent_events.handler(_kinesis_lambda_event(payloads), None)

    assert response == {"batchItemFailures": []}
    rows = _stored_rows(aws, calls)
    expected_contacts = sum(i % 3 for i in range(150)) + 1
    assert len(rows["agent_state"]) == 151
    assert len(rows["agent_contact"]) == expected_contacts
    assert [c["TableName"] for c in calls].count("agent_state") == 3  # the seed, then ceil(151 / 100)
    first = rows["agent_state"][0]
    assert first["measure_name"] == "agent_state"
    event_ms = int(datetime.fromisoformat(events[0]["EventTimestamp"]).timestamp() * 1000)
    assert first["unit"] == "NANOSECONDS"
    assert first["time"] == str(event_ms * 1_000_000 + sub_ms_offset(events[0]["EventId"]))
    assert first["dims"]["agent_id"] == events[0]["AgentARN"].rsplit("/", 1)[1]
    assert first["measures"]["event_type"] == ("VARCHAR", events[0]["EventType"])
    sample_contact = [r for r in rows["agent_contact"] if r["dims"]["contact_id"] == "ContactId-1"]
    assert sample_contact[0]["measures"]["state"] == ("VARCHAR", "ENDED")
    assert sample_contact[0]["measures"]["connected_to_agent_at"] == ("TIMESTAMP", "1558810521011000000")

    letters = _dead_letters(queue_url)
    assert sorted(base64.b64decode(letter["payload"]) for letter in letters) == sorted(poison)
    reasons = {base64.b64decode(letter["payload"]): letter["reason"] for letter in letters}
    assert reasons[poison[0]].startswith("kinesis.data: not JSON")
    assert reasons[poison[1]].startswith("EventType: not an agent event")
    assert all(letter["reference"]["sequence_number"] for letter in letters)


def test_over_limit_agent_event_goes_through_the_real_sink_to_the_dlq(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_url = _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    moment = datetime.now(UTC) - timedelta(minutes=1)
    good, huge = (agent_event(random.Random(i), moment + timedelta(seconds=i), contacts=1) for i in range(2))
    huge["CurrentAgentSnapshot"]["Configuration"]["Username"] = "u" * 3000  # a dimension over 2 KB
    payloads = [json.dumps(good).encode(), json.dumps(huge).encode()]

    response = agent_events.handler(_kinesis_lambda_event(payloads), None)

    assert response == {"batchItemFailures": []}
    rows = _stored_rows(aws, calls)
    assert [r["dims"]["agent_id"] for r in rows["agent_state"]] == [good["AgentARN"].rsplit("/", 1)[1]]
    assert all("u" * 3000 not in json.dumps(call) for call in calls)
    (letter,) = _dead_letters(queue_url)
    assert letter["reason"] == "over Timestream limits: dimension agent_username is 3000 bytes (max 2048)"
    assert json.loads(base64.b64decode(letter["payload"])) == huge
    assert letter["source"] == "kinesis:agent-events" and letter["reference"]["sequence_number"]


def test_contact_event_reaches_timestream_and_an_unusable_one_the_dlq(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_url = _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    event = repair_jsonc(reference_file("connect-samples/contact_event_DISCONNECTED_awsdocs2023.jsonc").read_text())
    assert contact_events.handler(event, None) == {"written": 1, "dead_lettered": 0}
    assert contact_events.handler(contact_envelope({"eventType": "QUEUED"}), None) == {"written": 0, "dead_lettered": 1}

    (row,) = _stored_rows(aws, calls)["contact_event"]
    assert row["dims"]["contact_id"] == "11111111-1111-1111-1111-111111111111"
    assert row["dims"]["event_type"] == "DISCONNECTED"
    (letter,) = _dead_letters(queue_url)
    assert letter["reason"] == "detail.contactId: missing"
    assert json.loads(letter["payload"])["detail"] == {"eventType": "QUEUED"}


def test_collector_snapshot_is_written_through_timestream(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    snapshot = {
        "collected_at": (datetime.now(UTC) - timedelta(seconds=30)).isoformat().replace("+00:00", "Z"),
        "instance_id": "inst-1",
        "current_metric_data": [
            {
                "MetricResults": [
                    {
                        "Dimensions": {"Queue": {"Id": "q-1", "Arn": "arn:q-1"}, "Channel": "VOICE"},
                        "Collections": [
                            {"Metric": {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"}, "Value": 4.0},
                            {"Metric": {"Name": "OLDEST_CONTACT_AGE", "Unit": "SECONDS"}, "Value": 73.0},
                        ],
                    }
                ]
            }
        ],
        "queues": [{"Id": "q-1", "Arn": "arn:q-1", "Name": "Sales", "QueueType": "STANDARD"}],
        "routing_profiles": [],
        "users": [{"Id": "u-1", "Arn": "arn:u-1", "Username": "alice"}],
    }
    tally = collector.process(snapshot, config.sink(), config.dead_letters(), version=5)
    assert (tally.inputs, tally.written, tally.dead_lettered) == (3, 3, 0)
    rows = _stored_rows(aws, calls)
    (metrics_row,) = rows["queue_metrics"]
    assert metrics_row["dims"] == {
        "instance_id": "inst-1",
        "queue_id": "q-1",
        "queue_name": "Sales",
        "channel": "VOICE",
    }
    assert metrics_row["measures"]["oldest_contact_age_seconds"] == ("DOUBLE", "73.0")
    assert metrics_row["measures"]["contacts_in_queue"] == ("BIGINT", "4")
    assert len(rows["resource_snapshot"]) == 2


def test_each_table_written_gets_one_schema_seed_with_every_declared_column(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timestream makes a column of every dimension and measure name written; the seed names them all."""
    _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    event = repair_jsonc(reference_file("connect-samples/contact_event_DISCONNECTED_awsdocs2023.jsonc").read_text())
    for _ in range(2):  # a warm container seeds no more
        assert contact_events.handler(event, None) == {"written": 1, "dead_lettered": 0}
    response = agent_events.handler(
        _kinesis_lambda_event([json.dumps(agent_event(random.Random(3), datetime.now(UTC), contacts=1)).encode()]), None
    )
    assert response == {"batchItemFailures": []}

    seeds = _stored_rows(aws, calls, seeds=True)
    assert {name: len(rows) for name, rows in seeds.items() if rows} == {
        "contact_event": 1,
        "agent_state": 1,
        "agent_contact": 1,
    }
    for name in ("contact_event", "agent_state", "agent_contact"):
        (row,) = seeds[name]
        table = datamodel.timestream_table(name)
        assert set(row["dims"]) == set(table.dimensions)
        assert {k: t for k, (t, _value) in row["measures"].items()} == {m.name: m.type for m in table.measures}
        assert row["measure_name"] == table.measure_name


def test_the_collector_seeds_all_five_tables_through_timestream(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a new instance the agent and contact tables get their columns from the collector's first run."""
    _setup(aws, monkeypatch)
    calls = _capture_common_attributes()
    for _ in range(2):  # a warm container seeds no more
        assert collector.seed_every_table(config.sink()) == []
    seeds = _stored_rows(aws, calls, seeds=True)
    assert {name: len(rows) for name, rows in seeds.items()} == {t.name: 1 for t in datamodel.TIMESTREAM_TABLES}
    for table in datamodel.TIMESTREAM_TABLES:
        (row,) = seeds[table.name]
        assert set(row["dims"]) == set(table.dimensions)
        assert {k: t for k, (t, _value) in row["measures"].items()} == {m.name: m.type for m in table.measures}
