"""Real-time contact panels on hand-written contact events: long waits the simulator never produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localquery.run import Result
from tests.localquery.shipped import run_shipped

ROOT = Path(__file__).resolve().parents[2]
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
INSTANCE = f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE_ID}"
QUEUE = f"{INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001"
UID = "connect-rt-contacts"
FROM, TO = "2026-02-01T11:00:00Z", "2026-02-01T12:00:00Z"


def event(kind: str, contact: str, at: str, channel: str = "VOICE", **detail: object) -> dict[str, object]:
    """An EventBridge contact event as Connect sends it, queued at ``at`` from QUEUED on."""
    body: dict[str, object] = {
        "eventType": kind,
        "contactId": contact,
        "channel": channel,
        "instanceArn": INSTANCE,
        "initiationMethod": "API" if channel == "TASK" else "INBOUND",
        "initiationTimestamp": at,
    }
    body.update(detail)
    return {
        "version": "0",
        "id": f"{contact}-{kind}",
        "detail-type": "Amazon Connect Contact Event",
        "source": "aws.connect",
        "time": at[:19] + "Z",
        "resources": [f"{INSTANCE}/contact/{contact}", INSTANCE],
        "detail": body,
    }


def queued(contact: str, at: str, channel: str = "VOICE") -> dict[str, object]:
    info = {"queueArn": QUEUE, "queueType": "STANDARD", "enqueueTimestamp": at}
    return event("QUEUED", contact, at, channel, queueInfo=info)


def later(kind: str, contact: str, enqueued: str, at: str, channel: str = "VOICE") -> dict[str, object]:
    """An event after QUEUED: it still carries the queue info, as Connect's do."""
    body = queued(contact, enqueued, channel)
    update = event(kind, contact, at, channel, queueInfo=body["detail"]["queueInfo"])  # type: ignore[index]
    if kind == "DISCONNECTED":
        update["detail"] |= {"disconnectTimestamp": at, "disconnectReason": "CUSTOMER_DISCONNECT"}  # type: ignore[operator]
    update["time"] = at[:19] + "Z"
    return update


EVENTS = [
    # a voice call queued 3 h before the end of the range, nothing since: still waiting
    queued("voice-3h", "2026-02-01T09:00:00.000Z"),
    # a task queued 20 h ago: still waiting
    queued("task-20h", "2026-01-31T16:00:00.000Z", "TASK"),
    # a chat queued 4 h ago whose routing step expired 30 min ago: a data update is no state, still waiting
    queued("chat-4h", "2026-02-01T08:00:00.000Z", "CHAT"),
    later("CONTACT_DATA_UPDATED", "chat-4h", "2026-02-01T08:00:00.000Z", "2026-02-01T11:30:00.000Z", "CHAT"),
    # queued, then the customer hung up: over, neither waiting nor active
    queued("abandoned", "2026-02-01T09:00:00.000Z"),
    later("DISCONNECTED", "abandoned", "2026-02-01T09:00:00.000Z", "2026-02-01T09:10:00.000Z"),
    # queued two days ago: beyond the documented 24-hour bound (the Queues dashboard's collector count has it)
    queued("task-2d", "2026-01-30T12:00:00.000Z", "TASK"),
]
WAITING = {"voice-3h": 3 * 3600, "task-20h": 20 * 3600, "chat-4h": 4 * 3600}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contact-events")
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    return root


def panel(data: Path, key: str, *assignments: str) -> Result:
    (result,) = run_shipped(UID, key, data, FROM, TO, [f"instance={INSTANCE_ID}", *assignments])
    return result


def test_a_contact_queued_hours_or_days_ago_is_still_waiting(data: Path) -> None:
    assert panel(data, "waiting_count").rows == [(len(WAITING),)]
    result = panel(data, "waiting")
    assert {row[0]: row[4] for row in result.rows} == WAITING
    assert [row[0] for row in result.rows] == ["task-20h", "chat-4h", "voice-3h"]  # longest wait first


def test_channel_filter_keeps_the_long_voice_wait(data: Path) -> None:
    assert panel(data, "waiting_count", "channel=VOICE").rows == [(1,)]


def test_long_waits_are_active_and_queued_in_the_state_panels(data: Path) -> None:
    assert panel(data, "by_state").rows == [("QUEUED", len(WAITING))]
    live = panel(data, "live")
    rows = [dict(zip(live.columns, row, strict=True)) for row in live.rows]
    assert {r["contact_id"]: r["state"] for r in rows} == dict.fromkeys(WAITING, "QUEUED")


AGENT_ID = "bbbbbbbb-0000-0000-0000-000000000007"


def test_a_queue_or_agent_with_no_name_row_shows_its_id(tmp_path: Path) -> None:
    """No collector snapshot names the queue and no agent event names the agent (the collector lists standard
    queues only; an agent may not have sent an event in 24 hours): the contact stays in, shown by its ids."""
    answered = later("CONNECTED_TO_AGENT", "answered", "2026-02-01T11:50:00.000Z", "2026-02-01T11:51:00.000Z")
    answered["detail"]["agentInfo"] = {  # type: ignore[index]
        "agentArn": f"{INSTANCE}/agent/{AGENT_ID}",
        "connectedToAgentTimestamp": "2026-02-01T11:51:00.000Z",
    }
    to_agent = queued("to-agent", "2026-02-01T11:55:00.000Z")
    to_agent["detail"]["queueInfo"] |= {"queueArn": f"{INSTANCE}/queue/agent/{AGENT_ID}", "queueType": "AGENT"}  # type: ignore[index,operator]
    events = [queued("answered", "2026-02-01T11:50:00.000Z"), answered, to_agent]
    (tmp_path / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    live = panel(tmp_path, "live")
    rows = {
        r["contact_id"]: (r["queue"], r["agent"]) for r in (dict(zip(live.columns, x, strict=True)) for x in live.rows)
    }
    assert rows == {"answered": (QUEUE.rsplit("/", 1)[1], AGENT_ID), "to-agent": (f"agent/{AGENT_ID}", None)}
    waiting = panel(tmp_path, "waiting")
    assert [(r[0], r[2]) for r in waiting.rows] == [("to-agent", f"agent/{AGENT_ID}")]
