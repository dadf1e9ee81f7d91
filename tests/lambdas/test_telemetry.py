"""What a handler run logs and the metrics it emits: the counts of each outcome, and never a payload's contents."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from connect_ingest import agent_events, collector, config, contact_events
from connect_ingest.sinks import Backoff
from connect_ingest.sinks.influx import InfluxSink
from connect_ingest.telemetry import logger
from lambda_factories import agent_event, contact_envelope, kinesis_event
from test_accounting_properties import FlakySink, MemoryQueue
from test_collector import broken_snapshot

USERNAME = "ann.other@example.com"
PHONE = "+447700900123"


def emitted(out: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The handler's 'batch processed' log line and its EMF metrics blob, from captured stdout."""
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    (log,) = [line for line in lines if line.get("message") == "batch processed"]
    (emf,) = [line for line in lines if "_aws" in line]
    names = [m["Name"] for m in emf["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
    return log, {name: emf[name] for name in names} | {"source": emf["source"]}


def use(monkeypatch: pytest.MonkeyPatch, sink: FlakySink, queue: MemoryQueue) -> None:
    monkeypatch.setattr(config, "sink", lambda: sink)
    monkeypatch.setattr(config, "dead_letters", lambda: queue)


@pytest.fixture
def stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[[], str]:
    """Everything the handler printed: EMF metrics go to sys.stdout, the JSON logs to the logger's stream."""
    logs = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", logs)
    return lambda: logs.getvalue() + capsys.readouterr().out


def test_agent_handler_counts_every_outcome_and_logs_no_payload(
    monkeypatch: pytest.MonkeyPatch, stdout: Callable[[], str]
) -> None:
    moment = datetime(2024, 5, 1, 9, tzinfo=UTC)
    events = [agent_event(random.Random(i), moment, contacts=n) for i, n in enumerate((1, 0, 1))]
    for event in events:
        event["CurrentAgentSnapshot"]["Configuration"]["Username"] = USERNAME
    payloads = [json.dumps(events[0]).encode(), json.dumps(events[1]).encode(), b"{not json"]
    payloads.append(json.dumps(events[2]).encode())
    # records in order: event 0 (2), event 1 (1), event 2 (2, its first refused)
    sink, queue = FlakySink(["ok", "ok", "ok", "reject", "ok"]), MemoryQueue(10)
    use(monkeypatch, sink, queue)

    assert agent_events.handler(kinesis_event(payloads), None) == {"batchItemFailures": []}

    out = stdout()
    log, metrics = emitted(out)
    assert metrics == {
        "source": "kinesis:agent-events",
        "InputsReceived": [4.0],
        "InputsWritten": [2.0],
        "InputsRetried": [0.0],
        "InputsDeadLettered": [2.0],
        "RecordsWritten": [4.0],  # event 2's accepted record counts although event 2 was dead-lettered
        "RecordsRejected": [1.0],
    }
    assert (log["inputs"], log["written"], log["retried"], log["dead_lettered"]) == (4, 2, 0, 2)
    assert (log["records_written"], log["records_rejected"]) == (4, 1)
    assert log["level"] == "WARNING" and sum(log["reasons"].values()) == 2
    assert len(queue.letters) == 2
    for secret in (USERNAME, events[0]["AgentARN"], payloads[0].decode()[:40], "not json"):
        assert secret not in out


def test_agent_handler_counts_retries_when_the_store_is_down(
    monkeypatch: pytest.MonkeyPatch, stdout: Callable[[], str]
) -> None:
    events = [agent_event(random.Random(i), datetime(2024, 5, 1, tzinfo=UTC), contacts=0) for i in range(3)]
    use(monkeypatch, FlakySink(["ok", "down", "ok"]), MemoryQueue(10))

    response = agent_events.handler(kinesis_event([json.dumps(e).encode() for e in events]), None)

    assert len(response["batchItemFailures"]) == 2
    _, metrics = emitted(stdout())
    assert (metrics["InputsWritten"], metrics["InputsRetried"], metrics["InputsDeadLettered"]) == ([1.0], [2.0], [0.0])
    assert metrics["RecordsWritten"] == [2.0]  # the third event's record reached the store before the retry


def test_agent_handler_warns_why_it_retries(monkeypatch: pytest.MonkeyPatch, stdout: Callable[[], str]) -> None:
    events = [agent_event(random.Random(i), datetime(2024, 5, 1, tzinfo=UTC), contacts=0) for i in range(2)]
    unreachable = InfluxSink("http://127.0.0.1:9", "x", backoff=Backoff(attempts=1, sleep=lambda _: None))
    use(monkeypatch, unreachable, MemoryQueue(10))  # type: ignore[arg-type]

    response = agent_events.handler(kinesis_event([json.dumps(e).encode() for e in events]), None)

    assert len(response["batchItemFailures"]) == 2
    log, _ = emitted(stdout())
    assert log["level"] == "WARNING"
    assert log["reasons"] == {"retrying: InfluxDB unreachable (URLError) after 1 attempts": 2}


def test_contact_handler_counts_and_never_logs_the_callers_number(
    monkeypatch: pytest.MonkeyPatch, stdout: Callable[[], str]
) -> None:
    detail = {
        "eventType": "QUEUED",
        "contactId": "c-1",
        "instanceArn": "arn:aws:connect:eu-west-2:1:instance/i-1",
        "customerEndpoint": {"address": PHONE, "type": "TELEPHONE_NUMBER"},
    }
    detail["segmentAttributes"] = [{"CustomerEndpoint": {"Address": PHONE}}]
    queue = MemoryQueue(10)
    use(monkeypatch, FlakySink(["reject"]), queue)

    assert contact_events.handler(contact_envelope(detail), None) == {"written": 0, "dead_lettered": 1}

    out = stdout()
    log, metrics = emitted(out)
    assert metrics["InputsDeadLettered"] == [1.0] and metrics["RecordsRejected"] == [1.0]
    assert metrics["RecordsWritten"] == [0.0] and metrics["source"] == "eventbridge:contact-events"
    assert log["reasons"] == {"refused": 1}
    assert PHONE not in out and "c-1" not in out
    (letter,) = queue.letters
    assert PHONE not in letter.body()  # nor in the dead letter, which still replays: the rest is kept
    assert json.loads(letter.payload)["detail"] == {k: v for k, v in detail.items() if k != "customerEndpoint"} | {
        "segmentAttributes": [{}]
    }


@pytest.mark.parametrize(
    ("fates", "capacity", "records_written", "why"),
    [(["ok", "down"], 10, 2, "store down"), (["ok"], 1, 4, "the dead-letter queue is unavailable")],
)
def test_collector_counts_a_retried_run_when_the_store_or_the_queue_is_down(
    monkeypatch: pytest.MonkeyPatch,
    stdout: Callable[[], str],
    fates: list[str],
    capacity: int,
    records_written: int,
    why: str,
) -> None:
    """The run raises for Lambda to retry it, and its metrics still say so (4 records and 3 bad parts)."""
    use(monkeypatch, FlakySink(fates), MemoryQueue(capacity))
    monkeypatch.setenv("CONNECT_INSTANCE_ID", "i-1")
    monkeypatch.setattr(config, "connect_client", lambda: None)
    monkeypatch.setattr(collector, "collect", lambda *_: broken_snapshot())

    with pytest.raises(collector.SinkUnavailableError, match="the run will be retried"):
        collector.handler({}, None)

    log, metrics = emitted(stdout())
    assert metrics["source"] == "collector"
    assert (metrics["InputsReceived"], metrics["InputsRetried"], metrics["InputsWritten"]) == ([7.0], [7.0], [0.0])
    assert metrics["RecordsWritten"] == [float(records_written)]
    assert log["level"] == "WARNING" and log["reasons"] == {f"retrying: {why}": 7}


def test_emitted_metrics_are_the_declared_ones(monkeypatch: pytest.MonkeyPatch, stdout: Callable[[], str]) -> None:
    """What alarms and the Pipeline health dashboard are checked against (published_metrics) is what EMF carries."""
    from connect_ingest.published_metrics import CUSTOM_NAMESPACE, TALLY_METRICS, family, service
    from connect_ingest.telemetry import Tally, metrics, report

    monkeypatch.setattr(metrics.provider, "service", service("collector"))  # POWERTOOLS_SERVICE_NAME in Lambda
    report("collector", Tally(inputs=1, written=1, records_written=3))
    metrics.flush_metrics()
    emf = next(json.loads(line) for line in stdout().splitlines() if line.startswith("{") and "_aws" in line)
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == CUSTOM_NAMESPACE
    assert tuple(m["Name"] for m in directive["Metrics"]) == TALLY_METRICS
    (dimensions,) = directive["Dimensions"]
    assert all(family(CUSTOM_NAMESPACE, name, frozenset(dimensions)) for name in TALLY_METRICS)
    assert emf["RecordsWritten"] == [3.0] and (emf["source"], emf["service"]) == ("collector", "collector")
