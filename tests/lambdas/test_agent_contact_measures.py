"""agent_state's measures derived from the snapshot's contacts: Connect's real-time agent metrics per event.

They let a store without joins (InfluxQL) count On contact, ACW, Error, needing attention and free slots from
the agent's latest agent_state point alone; each case is one of Connect's definitions (real-time-metrics-definitions).
"""

from __future__ import annotations

from typing import Any

import pytest
from connect_ingest.transform import agent_event_records

INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555"
AVAILABLE = {"Name": "Available", "Type": "ROUTABLE"}
BREAK = {"Name": "Break", "Type": "CUSTOM"}
DERIVED = (
    "contacts_on_contact",
    "contacts_after_contact_work",
    "contacts_error",
    "contacts_blocking",
    "voice_slots_free",
    "chat_slots_free",
    "task_slots_free",
)


def contact(
    contact_id: str, channel: str, state: str, method: str = "INBOUND", started: str = "11:54", queue: str = "Sales"
) -> dict[str, Any]:
    return {
        "ContactId": contact_id,
        "Channel": channel,
        "InitiationMethod": method,
        "State": state,
        "StateStartTimestamp": f"2026-02-01T{started}:00.000Z",
        "Queue": {"ARN": f"{INSTANCE}/queue/{queue}", "Name": queue},
    }


def event(status: dict[str, str], *contacts: dict[str, Any], next_status: str | None = None) -> dict[str, Any]:
    """A STATE_CHANGE with one voice, two chat and one task slot configured; available slots as Connect reports
    them (it leaves chat and task slots free while the agent is on a voice call)."""
    on_voice = any(c["Channel"] == "VOICE" for c in contacts)
    chats = sum(1 for c in contacts if c["Channel"] == "CHAT")
    tasks = sum(1 for c in contacts if c["Channel"] == "TASKS")
    return {
        "AgentARN": f"{INSTANCE}/agent/a-1",
        "EventId": "e-1",
        "EventTimestamp": "2026-02-01T11:55:00.000Z",
        "EventType": "STATE_CHANGE",
        "InstanceARN": INSTANCE,
        "CurrentAgentSnapshot": {
            "AgentStatus": {**status, "StartTimestamp": "2026-02-01T11:50:00.000Z"},
            "NextAgentStatus": {"Name": next_status} if next_status else None,
            "Configuration": {
                "Username": "a-1",
                "RoutingProfile": {
                    "Name": "Omnichannel",
                    "Concurrency": [
                        {"Channel": "VOICE", "AvailableSlots": 0 if on_voice else 1, "MaximumSlots": 1},
                        {"Channel": "CHAT", "AvailableSlots": 2 - chats, "MaximumSlots": 2},
                        {"Channel": "TASKS", "AvailableSlots": 1 - tasks, "MaximumSlots": 1},
                    ],
                },
            },
            "Contacts": list(contacts),
        },
    }


def derived(document: dict[str, Any]) -> tuple[int, ...]:
    state = agent_event_records(document)[0]
    return tuple(int(state.measures[name]) for name in DERIVED)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # on contact, ACW, error, blocking, free voice, chat, task
        (event(AVAILABLE), (0, 0, 0, 0, 1, 2, 1)),
        # a chat of two taken: the other chat and the task are free, voice is not (the agent has a contact)
        (event(AVAILABLE, contact("c", "CHAT", "CONNECTED")), (1, 0, 0, 0, 0, 1, 1)),
        # a voice call takes the agent: the chat and task slots Connect reports free are not routable
        (event(AVAILABLE, contact("c", "VOICE", "CONNECTED")), (1, 0, 0, 0, 0, 0, 0)),
        # after-contact work on a voice call still takes the agent, and is on contact
        (event(AVAILABLE, contact("c", "VOICE", "ENDED")), (1, 1, 0, 0, 0, 0, 0)),
        # an inbound offer ringing is not on contact; an outbound call ringing is
        (event(AVAILABLE, contact("c", "CHAT", "CONNECTING")), (0, 0, 0, 0, 0, 1, 1)),
        (event(AVAILABLE, contact("c", "VOICE", "CONNECTING", "OUTBOUND")), (1, 0, 0, 0, 0, 0, 0)),
        (event(AVAILABLE, contact("c", "CHAT", "PAUSED")), (1, 0, 0, 0, 0, 1, 1)),
        # a missed call is an error and blocks routing until cleared; a rejected chat blocks but is no error
        (event(AVAILABLE, contact("c", "VOICE", "MISSED")), (0, 0, 1, 1, 0, 0, 0)),
        (event(AVAILABLE, contact("c", "CHAT", "REJECTED")), (0, 0, 0, 1, 0, 0, 0)),
        (event(AVAILABLE, contact("c", "TASKS", "ERROR")), (0, 0, 1, 1, 0, 0, 0)),
        # a custom status (Break) on a call: on contact, and nothing free whatever the slots say
        (event(BREAK, contact("c", "VOICE", "CONNECTED")), (1, 0, 0, 0, 0, 0, 0)),
        (event(BREAK), (0, 0, 0, 0, 0, 0, 0)),
        # a next status pending (Lunch after this contact): nothing is routed
        (event(AVAILABLE, contact("c", "CHAT", "CONNECTED"), next_status="Lunch"), (1, 0, 0, 0, 0, 0, 0)),
        # several contacts at once, each counted: one in ACW, one connected
        (event(AVAILABLE, contact("c1", "CHAT", "ENDED"), contact("c2", "CHAT", "CONNECTED")), (2, 1, 0, 0, 0, 0, 1)),
    ],
)
def test_connects_definitions(document: dict[str, Any], expected: tuple[int, ...]) -> None:
    assert derived(document) == expected


def test_a_contact_listed_twice_counts_once_as_its_last_listing() -> None:
    """A rejected chat re-offered in the same snapshot is one contact, ringing again: it no longer blocks, and the
    task slot is free (the chat slots are as reported, both taken here)."""
    twice = event(AVAILABLE, contact("c", "CHAT", "REJECTED"), contact("c", "CHAT", "CONNECTING"))
    assert derived(twice) == (0, 0, 0, 0, 0, 0, 1)


def test_contact_queue_is_that_of_the_contact_contact_state_shows() -> None:
    """The latest contact by state start (the later listed on a tie): the agent table's state and queue agree."""
    both = event(
        AVAILABLE,
        contact("c1", "CHAT", "CONNECTED", started="11:54", queue="Support"),
        contact("c2", "CHAT", "ENDED", started="11:53", queue="Sales"),
    )
    state = agent_event_records(both)[0]
    assert (state.measures["contact_state"], state.measures["contact_queue"]) == ("CONNECTED", "Support")
    tie = event(AVAILABLE, contact("c1", "CHAT", "ENDED", queue="Support"), contact("c2", "CHAT", "CONNECTED"))
    state = agent_event_records(tie)[0]
    assert (state.measures["contact_state"], state.measures["contact_queue"]) == ("CONNECTED", "Sales")
    assert "contact_queue" not in agent_event_records(event(AVAILABLE))[0].measures


def test_contacts_carry_the_agents_routing_profile_and_hierarchy_group() -> None:
    """So that a contact is filtered by the agent's profile and group without joining its agent_state record."""
    document = event(AVAILABLE, contact("c", "CHAT", "MISSED"))
    document["CurrentAgentSnapshot"]["Configuration"]["AgentHierarchyGroups"] = {"Level1": {"Name": "London"}}
    state, missed = agent_event_records(document)
    assert missed.dimensions["routing_profile"] == state.dimensions["routing_profile"] == "Omnichannel"
    assert missed.dimensions["hierarchy_group"] == state.dimensions["hierarchy_group"] == "London"
    (alone,) = agent_event_records(event(AVAILABLE, contact("c", "CHAT", "MISSED")))[1:]
    assert "hierarchy_group" not in alone.dimensions
