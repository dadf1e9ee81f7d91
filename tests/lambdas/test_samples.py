"""The documented Connect samples (read from ../shared/reference/data at test time) become the expected records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from connect_ingest.transform import Record, agent_event_records, contact_event_records
from lambda_factories import contact_envelope, repair_jsonc

from tests.conftest import reference_file

INSTANCE = "aaaaaaaa-bbbb-cccc-dddd-111111111111"


def sample(name: str) -> Any:
    return repair_jsonc(reference_file(f"connect-samples/{name}").read_text())


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000 + 0.5)


def by_table(records: list[Record]) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = {}
    for record in records:
        grouped.setdefault(record.table, []).append(record)
    return grouped


def test_heart_beat_gives_agent_state_with_slots_and_next_status() -> None:
    records = agent_event_records(sample("agent_event_HEART_BEAT_awsdocs2023.jsonc"))
    assert [r.table for r in records] == ["agent_state"]
    state = records[0]
    assert state.time_ms == ms("2019-08-13T20:58:44.031+00:00")
    assert dict(state.dimensions) == {
        "instance_id": INSTANCE,
        "agent_id": "agent-ARN",
        "agent_username": "aestest",
        "routing_profile": "AgentEventStreamProfile",
    }
    assert dict(state.measures) == {
        "event_type": "HEART_BEAT",
        "agent_name": "AgentEventStreamTest Agent",
        "status_name": "Available",
        "status_start": ms("2019-08-13T20:52:30.704+00:00"),
        "next_status_name": "Lunch",
        "contact_count": 0,
        "chat_slots_available": 3,
        "chat_slots_max": 3,
        "voice_slots_available": 1,
        "voice_slots_max": 1,
        "contacts_on_contact": 0,
        "contacts_after_contact_work": 0,
        "contacts_error": 0,
        "contacts_blocking": 0,
        # Lunch is pending (and the sample's status has no Type): Connect routes nothing to the agent
        "voice_slots_free": 0,
        "chat_slots_free": 0,
        "task_slots_free": 0,
    }


def test_contact_ended_gives_state_and_one_contact_in_acw() -> None:
    grouped = by_table(agent_event_records(sample("agent_event_STATE_CHANGE_contact_ENDED_awsdocs2023.jsonc")))
    (state,) = grouped["agent_state"]
    (contact,) = grouped["agent_contact"]
    assert state.measures["contact_count"] == 1
    assert state.measures["contact_state"] == "ENDED"
    assert state.measures["contact_queue"] == "BasicQueue"
    assert (state.measures["contacts_on_contact"], state.measures["contacts_after_contact_work"]) == (1, 1)
    assert state.dimensions["routing_profile"] == "Basic Routing Profile"
    assert contact.time_ms == state.time_ms == ms("2019-05-25T18:55:27.017+00:00")
    assert dict(contact.dimensions) == {
        "instance_id": INSTANCE,
        "agent_id": "agent-ARN",
        "agent_username": "(Removed)",
        "contact_id": "ContactId-1",
        "channel": "VOICE",
        "initiation_method": "OUTBOUND",
        "queue_name": "BasicQueue",
        "routing_profile": "Basic Routing Profile",
    }
    assert dict(contact.measures) == {
        "state": "ENDED",
        "state_start": ms("2019-05-25T18:55:27.017+00:00"),
        "connected_to_agent_at": ms("2019-05-25T18:55:21.011+00:00"),
    }


def test_acw_cleared_has_no_contacts_and_keeps_its_own_time() -> None:
    records = agent_event_records(sample("agent_event_STATE_CHANGE_acw_cleared_awsdocs2023.jsonc"))
    assert [r.table for r in records] == ["agent_state"]
    assert records[0].time_ms == ms("2019-05-25T18:55:32.022+00:00")
    assert records[0].measures["contact_count"] == 0
    assert "contact_state" not in records[0].measures


def test_contacts_fragment_without_queue_name_omits_the_dimension() -> None:
    fragment = sample("agent_event_contacts_fragment_CONNECTED_awsdocs2023.jsonc")
    event = sample("agent_event_STATE_CHANGE_acw_cleared_awsdocs2023.jsonc")
    event["CurrentAgentSnapshot"]["Contacts"] = fragment["Contacts"]
    (contact,) = by_table(agent_event_records(event))["agent_contact"]
    assert "queue_name" not in contact.dimensions
    assert contact.measures["state"] == "CONNECTED"
    assert all(value != "" for value in contact.dimensions.values())


def test_disconnected_reads_mixed_case_keys_and_enums() -> None:
    (record,) = contact_event_records(sample("contact_event_DISCONNECTED_awsdocs2023.jsonc"))
    assert record.time_ms == ms("2021-08-04T17:18:37.000+00:00")
    assert dict(record.dimensions) == {
        "instance_id": "12345678-1234-1234-1234-123456789012",
        "contact_id": "11111111-1111-1111-1111-111111111111",
        "event_type": "DISCONNECTED",
        "channel": "VOICE",
        "initiation_method": "OUTBOUND",
        "queue_id": "arn",
        "agent_id": "arn",
    }
    assert dict(record.measures) == {
        "initial_contact_id": "11111111-2222-3333-4444-555555555555",
        "initiated_at": ms("2021-08-04T17:17:53+00:00"),
        "connected_to_system_at": ms("2021-08-04T17:17:55+00:00"),
        "enqueued_at": ms("2021-08-04T17:29:04+00:00"),
        "connected_to_agent_at": ms("2021-08-04T17:29:09+00:00"),
        "disconnected_at": ms("2021-08-04T17:18:37+00:00"),
        "queue_type": "TYPE",
        "event_at": ms("2021-08-04T17:18:37+00:00"),
        "lifecycle_state": "DISCONNECTED",
        "dequeued_at": ms("2021-08-04T17:29:09+00:00"),
        "reached_agent": True,
    }


def test_contact_data_updated_treats_1970_placeholder_as_unset() -> None:
    (record,) = contact_event_records(sample("contact_event_CONTACT_DATA_UPDATED_awsdocs_current.json"))
    envelope_ms = ms("2021-08-04T17:43:48+00:00")
    assert envelope_ms <= record.time_ms < envelope_ms + 1000
    assert "connected_to_agent_at" not in record.measures
    assert "connected_to_system_at" not in record.measures
    assert record.measures["enqueued_at"] == ms("2023-10-24T02:39:15.240+00:00")
    assert record.dimensions["queue_id"] == "`the queue ID`"
    assert record.dimensions["agent_id"] == "`the agent ID`"
    assert record.dimensions["channel"] == "CHAT"


def test_routing_step_expired_update_is_recorded() -> None:
    (record,) = contact_event_records(
        sample("contact_event_CONTACT_DATA_UPDATED_routing_step_expired_awsdocs_current.json")
    )
    assert record.dimensions["event_type"] == "CONTACT_DATA_UPDATED"
    assert record.measures["connected_to_system_at"] == ms("2023-11-01T18:33:01.736+00:00")
    assert record.dimensions["queue_id"] == "12345678-1234-1234-1234-123456789012"
    assert "agent_id" not in record.dimensions


def test_connected_to_agent_is_timed_by_the_connection_not_the_envelope() -> None:
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json")
    (record,) = contact_event_records(contact_envelope(detail, time="2021-08-04T17:29:10Z"))
    assert record.time_ms == ms("2021-08-04T17:29:09.000+00:00")
    assert record.dimensions["agent_id"] == "12345678-1234-1234-1234-123456789012"
    # plus CONNECTED_TO_AGENT's place in the lifecycle (3 us), which orders events of one contact in one ms
    assert record.row()["time"] == datetime(2021, 8, 4, 17, 29, 9, 3, tzinfo=UTC)


def test_caller_phone_number_is_never_stored() -> None:
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json")
    detail["customerEndpoint"] = {"address": "+447700900123", "type": "TELEPHONE_NUMBER"}
    detail["systemEndpoint"] = {"address": "+441632960001", "type": "TELEPHONE_NUMBER"}
    (record,) = contact_event_records(contact_envelope(detail))
    values = [*record.dimensions.values(), *map(str, record.measures.values())]
    assert not any("+44" in value for value in values)


@pytest.mark.parametrize("event_type", ["QUEUED", "PAUSED", "RESUMED", "COMPLETED", "INITIATED", "BRAND_NEW_TYPE"])
def test_every_event_type_becomes_a_record(event_type: str) -> None:
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json") | {"eventType": event_type.lower()}
    (record,) = contact_event_records(contact_envelope(detail))
    assert record.dimensions["event_type"] == event_type


def test_a_data_update_shows_the_latest_stage_its_times_carry() -> None:
    """InfluxQL reads a contact's state off its latest event: an update while queued must read QUEUED."""
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json")
    (connected,) = contact_event_records(contact_envelope(detail))
    queued = {k: v for k, v in detail.items() if k not in ("agentInfo", "AgentInfo")} | {
        "eventType": "CONTACT_DATA_UPDATED"
    }
    (updated,) = contact_event_records(contact_envelope(queued, time="2021-08-04T17:40:00Z"))
    assert connected.measures["lifecycle_state"] == "CONNECTED_TO_AGENT"
    assert updated.measures["lifecycle_state"] == "QUEUED"


def test_queue_exit_and_agent_reach_are_read_off_the_snapshot() -> None:
    """dequeued_at is the connect time once answered, absent while queued; reached_agent is always written."""
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json")
    (connected,) = contact_event_records(contact_envelope(detail))
    assert connected.measures["dequeued_at"] == connected.measures["connected_to_agent_at"]
    assert connected.measures["reached_agent"] is True
    waiting = {k: v for k, v in detail.items() if k not in ("agentInfo", "AgentInfo")} | {"eventType": "QUEUED"}
    (queued,) = contact_event_records(contact_envelope(waiting))
    assert "dequeued_at" not in queued.measures and queued.measures["reached_agent"] is False


def test_event_at_is_every_events_own_time_data_updates_included() -> None:
    """A point's time is no value an InfluxQL outer query can take the max of; event_at is."""
    detail = sample("contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json")
    for event_type in ("CONNECTED_TO_AGENT", "CONTACT_DATA_UPDATED"):
        envelope = contact_envelope(detail | {"eventType": event_type}, time="2021-08-04T17:40:00Z")
        (record,) = contact_event_records(envelope)
        assert record.measures["event_at"] == record.time_ms
