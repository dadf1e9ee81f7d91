"""The Queues - history panels on a dozen hand-written CTRs, every expected value worked out by hand below.

Range 2026-01-31 22:00 to 2026-02-01 02:00 UTC. Seconds in queue (Queue.Duration) and handle time
(talk + hold + ACW) per contact:

| contact | queue | method | queued at | in queue | outcome | handle | flow before queue |
|---|---|---|---|---|---|---|---|
| held | Sales | INBOUND | 22:00:30 | 12 | answered 22:00:42, held twice | 100+20+30=150 | 30 |
| abandon-0s | Sales | INBOUND | 22:10:20 | 0 | customer left at once | | 20 |
| abandon-95s | Sales | INBOUND | 22:20:10 | 95 | customer left (sent twice) | | 10 |
| wants-callback | Sales | INBOUND | 22:30:40 | 50 | flow queued a callback | | 40 |
| callback-1 | Sales | CALLBACK | 22:33:00 | 25 | customer did not answer | | |
| callback-2 | Sales | CALLBACK | 22:36:00 | 5 | answered 22:36:10 (the retry) | 60+0+10=70 | |
| transfers | Sales | INBOUND | 23:00:15 | 40 | answered, transferred to Billing | 200 | 15 |
| transferred | Billing | QUEUE_TRANSFER | 23:04:17 | 130 | answered 23:06:27 | 50+0+5=55 | |
| outbound | none | OUTBOUND | | | answered 23:30:10 | 90+0+20=110 | |
| midnight | Billing | INBOUND | 00:00:05 | 20 | answered 00:00:25 (initiated 31 Jan) | 110 | 15 |
| early | Sales | INBOUND | 21:58:30 | 100 | answered 22:00:10, queued before the range | 40 | |
| task | Support | API (TASK) | 01:00:01 | 600 | expired | | 1 |
| callback-expired | Support | CALLBACK | 23:42:00 | 7200 | no agent took it: expired | | |
| callback-last | Support | CALLBACK | 00:22:00 | 30 | customer did not answer, no retry left | | |

"held" is also delivered as a stale copy (earlier LastUpdateTimestamp, 1000 s more ACW) and a duplicate.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.localquery.shipped import run_shipped

INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555"
UID = "connect-history-queues"
RANGE = ("2026-01-31T22:00:00Z", "2026-02-01T02:00:00Z")
DAY1, DAY2 = "2026-01-31", "2026-02-01"


def at(day: str, clock: str) -> str:
    return f"{day}T{clock}Z"


def plus(stamp: str, seconds: int) -> str:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ctr(contact_id: str, initiated: str, method: str = "INBOUND", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ContactId": contact_id,
        "InstanceARN": INSTANCE,
        "Channel": "VOICE",
        "InitiationMethod": method,
        "InitiationTimestamp": initiated,
        "ConnectedToSystemTimestamp": initiated if method in ("INBOUND", "API") else None,
        "LastUpdateTimestamp": plus(initiated, 3600),
        "Queue": None,
        "Agent": None,
        "DisconnectReason": None,
    }
    record.update(fields)
    return record


def queue(name: str, enqueued: str, seconds: int) -> dict[str, Any]:
    return {
        "Name": name,
        "ARN": f"arn:aws:connect:eu-west-2:123456789012:instance/x/queue/{name.lower()}",
        "EnqueueTimestamp": enqueued,
        "DequeueTimestamp": plus(enqueued, seconds),
        "Duration": seconds,
    }


def agent(connected: str, talk: int, hold: int = 0, holds: int = 0, acw: int = 0) -> dict[str, Any]:
    return {
        "Username": "ann",
        "ConnectedToAgentTimestamp": connected,
        "AgentInteractionDuration": talk,
        "CustomerHoldDuration": hold,
        "NumberOfHolds": holds,
        "AfterContactWorkDuration": acw,
    }


HELD = ctr(
    "held",
    at(DAY1, "22:00:00"),
    Queue=queue("Sales", at(DAY1, "22:00:30"), 12),
    Agent=agent(at(DAY1, "22:00:42"), 100, hold=20, holds=2, acw=30),
    DisconnectReason="CUSTOMER_DISCONNECT",
)
STALE_HELD = {
    **HELD,
    "LastUpdateTimestamp": at(DAY1, "22:05:00"),
    "Agent": {**HELD["Agent"], "AfterContactWorkDuration": 1030},
}
ABANDON_95 = ctr(
    "abandon-95s",
    at(DAY1, "22:20:00"),
    Queue=queue("Sales", at(DAY1, "22:20:10"), 95),
    DisconnectReason="CUSTOMER_DISCONNECT",
)
RECORDS = {
    DAY1: [
        STALE_HELD,
        HELD,
        HELD,
        ctr(
            "abandon-0s",
            at(DAY1, "22:10:00"),
            Queue=queue("Sales", at(DAY1, "22:10:20"), 0),
            DisconnectReason="CUSTOMER_DISCONNECT",
        ),
        ABANDON_95,
        ABANDON_95,
        ctr(
            "wants-callback",
            at(DAY1, "22:30:00"),
            Queue=queue("Sales", at(DAY1, "22:30:40"), 50),
            DisconnectReason="CONTACT_FLOW_DISCONNECT",
            NextContactId="callback-1",
        ),
        ctr(
            "callback-1",
            at(DAY1, "22:31:30"),
            "CALLBACK",
            Queue=queue("Sales", at(DAY1, "22:33:00"), 25),
            DisconnectReason="TELECOM_UNANSWERED",
            PreviousContactId="wants-callback",
            NextContactId="callback-2",
        ),
        ctr(
            "callback-2",
            at(DAY1, "22:33:25"),
            "CALLBACK",
            ConnectedToSystemTimestamp=at(DAY1, "22:36:08"),
            Queue=queue("Sales", at(DAY1, "22:36:00"), 5),
            Agent=agent(at(DAY1, "22:36:10"), 60, acw=10),
            PreviousContactId="callback-1",
        ),
        ctr(
            "transfers",
            at(DAY1, "23:00:00"),
            Queue=queue("Sales", at(DAY1, "23:00:15"), 40),
            Agent=agent(at(DAY1, "23:00:55"), 200),
            TransferCompletedTimestamp=at(DAY1, "23:04:15"),
            NextContactId="transferred",
            DisconnectReason="AGENT_DISCONNECT",
        ),
        ctr(
            "transferred",
            at(DAY1, "23:04:15"),
            "QUEUE_TRANSFER",
            Queue=queue("Billing", at(DAY1, "23:04:17"), 130),
            Agent=agent(at(DAY1, "23:06:27"), 50, acw=5),
            PreviousContactId="transfers",
        ),
        ctr("outbound", at(DAY1, "23:30:00"), "OUTBOUND", Agent=agent(at(DAY1, "23:30:10"), 90, acw=20)),
        ctr(
            "midnight",
            at(DAY1, "23:59:50"),
            Queue=queue("Billing", at(DAY2, "00:00:05"), 20),
            Agent=agent(at(DAY2, "00:00:25"), 100, acw=10),
        ),
        ctr(
            "callback-expired",
            at(DAY1, "23:40:00"),
            "CALLBACK",
            Queue=queue("Support", at(DAY1, "23:42:00"), 7200),
            DisconnectReason="EXPIRED",
        ),
        ctr(
            "early",
            at(DAY1, "21:58:00"),
            Queue=queue("Sales", at(DAY1, "21:58:30"), 100),
            Agent=agent(at(DAY1, "22:00:10"), 40),
        ),
    ],
    DAY2: [
        ctr(
            "callback-last",
            at(DAY2, "00:20:00"),
            "CALLBACK",
            Queue=queue("Support", at(DAY2, "00:22:00"), 30),
            DisconnectReason="TELECOM_UNANSWERED",
        ),
        ctr(
            "task",
            at(DAY2, "01:00:00"),
            "API",
            Channel="TASK",
            Queue=queue("Support", at(DAY2, "01:00:01"), 600),
            DisconnectReason="EXPIRED",
        ),
    ],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("queue-cases")
    for day, records in RECORDS.items():
        folder = root / "ctr" / f"initiation_date={day}"
        folder.mkdir(parents=True)
        (folder / "part-0.json").write_text("".join(json.dumps(r) + "\n" for r in records))
    return root


def rows(data: Path, panel: str, *assignments: str) -> dict[str, dict[str, Any]]:
    (result,) = run_shipped(UID, panel, data, *RANGE, ["instance=" + INSTANCE.split("/")[-1], *assignments])
    return {row[0]: dict(zip(result.columns[1:], row[1:], strict=True)) for row in result.rows}


def value(data: Path, panel: str) -> object:
    (result,) = run_shipped(UID, panel, data, *RANGE, ["instance=" + INSTANCE.split("/")[-1]])
    ((only,),) = result.rows
    return only


def assert_rows(actual: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]) -> None:
    assert set(actual) == set(expected)
    for name, values in expected.items():
        for column, wanted in values.items():
            got = actual[name][column]
            assert (got is None and wanted is None) or got == pytest.approx(wanted), (name, column, got, wanted)


def test_queue_performance(data: Path) -> None:
    assert_rows(
        rows(data, "queue_performance"),
        {
            # queued: held, abandon-0s, abandon-95s, wants-callback, callback-1, callback-2, transfers (not early)
            # handled (connected in range): held, callback-2, transfers, early
            "Sales": {
                "contacts_queued": 7,
                "contacts_handled": 4,
                "contacts_abandoned": 2,  # abandon-0s, abandon-95s: not the callback request nor callback-1
                "abandonment_rate": 100 * 2 / 7,
                "service_level_15": 100 * 3 / 7,  # 12, 0, 5
                "service_level_20": 100 * 3 / 7,
                "service_level_30": 100 * 4 / 7,  # + 25
                "service_level_60": 100 * 6 / 7,  # + 50, 40
                "service_level_90": 100 * 6 / 7,
                "service_level_120": 100.0,  # + 95
                "avg_speed_of_answer": (12 + 5 + 40) / 3,
                "avg_handle_time": (150 + 70 + 200 + 40) / 4,  # the latest delivery of "held" (ACW 30, not 1030)
                "avg_queued_time": (12 + 0 + 95 + 50 + 25 + 5 + 40) / 7,
                "max_queued_time": 95,
            },
            "Billing": {
                "contacts_queued": 2,
                "contacts_handled": 2,
                "contacts_abandoned": 0,
                "abandonment_rate": 0.0,
                "service_level_15": 0.0,
                "service_level_20": 50.0,
                "service_level_30": 50.0,
                "service_level_60": 50.0,
                "service_level_90": 50.0,
                "service_level_120": 50.0,  # 130 s is over
                "avg_speed_of_answer": (130 + 20) / 2,
                "avg_handle_time": (55 + 110) / 2,
                "avg_queued_time": 75.0,
                "max_queued_time": 130,
            },
            "Support": {
                "contacts_queued": 3,  # the task, the expired callback and the last unanswered one
                "contacts_handled": 0,
                "contacts_abandoned": 0,  # expired or a callback: not abandoned
                "abandonment_rate": 0.0,
                "service_level_20": 0.0,
                "service_level_30": 100 / 3,  # the unanswered callback left the queue at 30 s
                "service_level_120": 100 / 3,
                "avg_speed_of_answer": None,
                "avg_handle_time": None,
                "avg_queued_time": (600 + 7200 + 30) / 3,
                "max_queued_time": 7200,
            },
        },
    )


def test_queue_performance_voice_only_drops_the_task(data: Path) -> None:
    voice = rows(data, "queue_performance", "channel=VOICE")
    assert set(voice) == {"Sales", "Billing", "Support"}
    assert voice["Support"]["contacts_queued"] == 2 and voice["Support"]["max_queued_time"] == 7200


def test_within_x(data: Path) -> None:
    assert_rows(
        rows(data, "within_x", "x_seconds=10"),
        {
            "Sales": {
                "contacts_queued": 7,
                "answered_in_x": 1,  # callback-2 at 5 s; held waited 12 s
                "abandoned_in_x": 1,  # abandon-0s
                "abandoned_after_x": 1,  # abandon-95s
                "abandonment_rate_after_x": 100 * 1 / 6,  # the short abandon left out of both sides
            },
            "Billing": {
                "answered_in_x": 0,
                "abandoned_in_x": 0,
                "abandoned_after_x": 0,
                "abandonment_rate_after_x": 0.0,
            },
            "Support": {"contacts_queued": 3, "abandonment_rate_after_x": 0.0},
        },
    )
    assert rows(data, "within_x", "x_seconds=120")["Sales"]["answered_in_x"] == 3


def test_flow_time_before_the_queue(data: Path) -> None:
    assert_rows(
        rows(data, "flow_time"),
        {
            "Sales": {"contacts": 5, "avg_flow_time": (30 + 20 + 10 + 40 + 15) / 5, "max_flow_time": 40},
            "Billing": {"contacts": 1, "avg_flow_time": 15.0, "max_flow_time": 15},  # not the queue transfer
            "Support": {"contacts": 1, "avg_flow_time": 1.0, "max_flow_time": 1},
        },
    )


def test_callbacks(data: Path) -> None:
    assert_rows(
        rows(data, "callbacks"),
        {
            # callback-1 unanswered and retried (callback-2 answered it)
            "Sales": {
                "callback_contacts": 2,
                "callback_contacts_handled": 1,
                "callback_attempts": 1,
                "callback_retries": 1,
            },
            # callback-expired is no attempt; callback-last was not answered and not retried
            "Support": {
                "callback_contacts": 2,
                "callback_contacts_handled": 0,
                "callback_attempts": 1,
                "callback_retries": 0,
            },
        },
    )


def test_handled_inbound_and_outbound(data: Path) -> None:
    by_method = rows(data, "handled_by_initiation_method")
    assert {m: r["contacts_handled"] for m, r in by_method.items()} == {
        "INBOUND": 4,  # held, transfers, midnight, early
        "CALLBACK": 1,
        "QUEUE_TRANSFER": 1,
        "OUTBOUND": 1,
    }
    assert value(data, "handled_incoming") == 6
    assert value(data, "handled_outbound") == 1


def test_service_level_per_hour(data: Path) -> None:
    (result,) = run_shipped(
        UID,
        "service_level_by_interval",
        data,
        *RANGE,
        ["instance=" + INSTANCE.split("/")[-1], "interval=1h", "sl_seconds=20"],
    )
    actual = {(row[0].strftime("%d %H:%M"), row[1]): row[2] for row in result.rows}
    assert actual == {
        ("31 22:00", "Sales"): pytest.approx(50.0),  # 12, 0, 5 of 12, 0, 95, 50, 25, 5
        ("31 23:00", "Sales"): 0.0,  # 40
        ("31 23:00", "Billing"): 0.0,  # 130
        ("31 23:00", "Support"): 0.0,  # the expired callback, 7200
        ("01 00:00", "Billing"): 100.0,  # 20
        ("01 00:00", "Support"): 0.0,  # callback-last, 30
        ("01 01:00", "Support"): 0.0,  # 600
    }
