"""Real-time agent panels on hand-written agent events: cases the simulator never produces.

Each expectation is what the panel's description says it counts (dashboards/realtime_agents.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.localquery.shipped import run_shipped

ROOT = Path(__file__).resolve().parents[2]
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
INSTANCE = f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE_ID}"
QUEUE = {"ARN": f"{INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001", "Name": "Sales"}
UID = "connect-rt-agents"
FROM, TO = "2026-02-01T11:00:00Z", "2026-02-01T12:00:00Z"
AT = "2026-02-01T11:55:00.000Z"
BREAK = {"Name": "Break", "Type": "CUSTOM"}
AVAILABLE = {"Name": "Available", "Type": "ROUTABLE"}


def contact(contact_id: str, channel: str, state: str) -> dict[str, object]:
    connected = state in ("CONNECTED", "CONNECTED_ONHOLD", "ENDED")
    return {
        "ContactId": contact_id,
        "InitialContactId": None,
        "Channel": channel,
        "InitiationMethod": "INBOUND",
        "State": state,
        "StateStartTimestamp": "2026-02-01T11:54:00.000Z",
        "ConnectedToAgentTimestamp": "2026-02-01T11:54:00.000Z" if connected else None,
        "QueueTimestamp": "2026-02-01T11:53:00.000Z",
        "Queue": QUEUE,
    }


def agent_event(name: str, status: dict[str, str], *contacts: dict[str, object]) -> dict[str, object]:
    """A STATE_CHANGE as the agent event stream sends it; the slots are what Connect reports, one voice and two
    chats with the voice slot taken by a voice contact (Connect leaves the chat slots as configured)."""
    on_voice = any(c["Channel"] == "VOICE" for c in contacts)
    chats = sum(1 for c in contacts if c["Channel"] == "CHAT")
    agent_arn = f"{INSTANCE}/agent/{name}"
    return {
        "AWSAccountId": "123456789012",
        "AgentARN": agent_arn,
        "EventId": f"{name}-0000-0000-0000-000000000000",
        "EventTimestamp": AT,
        "EventType": "STATE_CHANGE",
        "InstanceARN": INSTANCE,
        "Version": "2019-05-25",
        "CurrentAgentSnapshot": {
            "AgentStatus": {"ARN": f"{INSTANCE}/agent-state/{status['Name']}", **status, "StartTimestamp": AT},
            "NextAgentStatus": None,
            "Configuration": {
                "Username": name,
                "FirstName": name,
                "LastName": "Test",
                "AgentHierarchyGroups": None,
                "RoutingProfile": {
                    "ARN": f"{INSTANCE}/routing-profile/omni",
                    "Name": "Omnichannel",
                    "Concurrency": [
                        {"Channel": "VOICE", "AvailableSlots": 0 if on_voice else 1, "MaximumSlots": 1},
                        {"Channel": "CHAT", "AvailableSlots": 2 - chats, "MaximumSlots": 2},
                    ],
                },
            },
            "Contacts": list(contacts),
        },
        "PreviousAgentSnapshot": None,
    }


EVENTS = [
    # (a) in a custom status (Break) while still on a call
    agent_event("npt-on-call", BREAK, contact("c-npt", "VOICE", "CONNECTED")),
    # (b) a chat offer rejected, still in the snapshot
    agent_event("rejected-chat", AVAILABLE, contact("c-rej", "CHAT", "REJECTED")),
    # (c) a voice call missed
    agent_event("missed-voice", AVAILABLE, contact("c-miss", "VOICE", "MISSED")),
    # (d) on a voice call in a routable status, chat slots reported free
    agent_event("on-voice", AVAILABLE, contact("c-voice", "VOICE", "CONNECTED")),
    # nothing on: every slot free
    agent_event("idle", AVAILABLE),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("agent-events")
    (root / "agent_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    return root


def rows(data: Path, panel: str) -> list[tuple[object, ...]]:
    (result,) = run_shipped(UID, panel, data, FROM, TO, [f"instance={INSTANCE_ID}"])
    return result.rows


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        ("online", 5),
        # "in a custom status ... on a contact or not"
        ("non_productive", 1),
        # "online and not in a custom status": the agent on Break while on a call is not staffed
        ("staffed", 4),
        # "at least one contact connected ...": the agent on Break is on contact, as is the one on a voice call
        ("on_contact", 2),
        # "a missed or failed contact not yet cleared": the missed call, not the rejected chat
        ("error", 1),
        # "clear a missed, rejected or failed contact": both the rejected chat and the missed call
        ("error_alert", 2),
        # "a routable status, ... nothing to clear, and a free slot": only the idle agent (the one on a voice
        # call has chat slots reported but no cross-channel concurrency)
        ("available", 1),
    ],
)
def test_agent_counts(data: Path, panel: str, expected: int) -> None:
    assert rows(data, panel) == [(expected,)]


def test_a_voice_contact_leaves_no_chat_slot(data: Path) -> None:
    """Only the idle agent's slots: the agent on a voice call is reported with two chat slots free, but
    under Connect's default (no cross-channel concurrency) routes nothing while on voice."""
    assert rows(data, "slots") == [("CHAT", 2), ("TASK", 0), ("VOICE", 1)]


def test_missed_and_rejected_per_agent(data: Path) -> None:
    """Distinct contacts each agent missed or rejected: a missed voice call and a rejected chat, apart."""
    assert rows(data, "missed_rejected") == [("missed-voice", 1, 0), ("rejected-chat", 0, 1)]
