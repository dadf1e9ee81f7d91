"""The files agree with each other and with the ground truth, checked from the files alone."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sim_outputs import Outputs, floor_s, ms

from tests.localquery.queue_truth import AGENT_METRICS, CHANNELS, agent_metrics, read_timelines
from tests.localquery.truth import instant

CLEAR_AFTER = {"MISSED", "REJECTED", "ENDED"}


@pytest.fixture(scope="module", params=["default", "unanswered callbacks"])
def default_run(request: pytest.FixtureRequest, default_run: Outputs, callback_run: Outputs) -> Outputs:
    """Every check on the default run and on one whose callbacks sometimes go unanswered."""
    return default_run if request.param == "default" else callback_run


def test_every_record_has_one_truth_line_and_its_deliveries(default_run: Outputs) -> None:
    deliveries = Counter(r["ContactId"] for _p, r in default_run.ctr_lines)
    assert deliveries.keys() == default_run.truth.keys()
    for contact_id, truth in default_run.truth.items():
        assert deliveries[contact_id] == truth["deliveries"], contact_id
        ctr = default_run.ctrs[contact_id]
        assert ctr["LastUpdateTimestamp"] == truth["last_update_at"]
        assert ctr["Attributes"] == truth["attributes"]


def test_redelivered_records_only_differ_by_update_and_attributes(default_run: Outputs) -> None:
    by_id: dict[str, list[dict[str, Any]]] = {}
    for _p, record in default_run.ctr_lines:
        by_id.setdefault(record["ContactId"], []).append(record)
    for records in by_id.values():
        first = {k: v for k, v in records[0].items() if k not in ("LastUpdateTimestamp", "Attributes")}
        for other in records[1:]:
            assert {k: v for k, v in other.items() if k not in ("LastUpdateTimestamp", "Attributes")} == first


def test_ctr_durations_agree_with_timestamps_and_truth(default_run: Outputs) -> None:
    for contact_id, truth in default_run.truth.items():
        ctr = default_run.ctrs[contact_id]
        queue, agent = ctr["Queue"], ctr["Agent"]
        assert truth["queued"] == (queue is not None)
        assert truth["answered"] == (agent is not None)
        assert truth["connection_attempts"] == ctr["AgentConnectionAttempts"]
        assert truth["disconnect_reason"] == ctr["DisconnectReason"]
        assert truth["initiation_date"] == ctr["InitiationTimestamp"][:10]
        if queue:
            assert queue["Duration"] == floor_s(queue["DequeueTimestamp"]) - floor_s(queue["EnqueueTimestamp"])
            assert queue["Duration"] == truth["wait_s"] >= 0
            assert queue["Name"] == truth["queue"]
        else:
            assert truth["wait_s"] is None and truth["queue"] is None
        if agent:
            connected = floor_s(agent["ConnectedToAgentTimestamp"])
            talk_and_hold = floor_s(ctr["DisconnectTimestamp"]) - connected
            assert agent["AgentInteractionDuration"] + agent["CustomerHoldDuration"] == talk_and_hold
            assert agent["AgentInteractionDuration"] == truth["talk_s"] >= 0
            assert agent["CustomerHoldDuration"] == truth["hold_s"]
            assert agent["NumberOfHolds"] == truth["holds"]
            assert agent["LongestHoldDuration"] == truth["longest_hold_s"] <= agent["CustomerHoldDuration"]
            acw = floor_s(agent["AfterContactWorkEndTimestamp"]) - floor_s(agent["AfterContactWorkStartTimestamp"])
            assert agent["AfterContactWorkDuration"] == acw == truth["acw_s"]
            assert agent["AfterContactWorkStartTimestamp"] == ctr["DisconnectTimestamp"]
            assert agent["Username"] == truth["agent"]
            if queue:
                assert queue["DequeueTimestamp"] == agent["ConnectedToAgentTimestamp"]
        left_unanswered = truth["queued"] and not truth["answered"]
        assert truth["abandoned"] == (left_unanswered and ctr["DisconnectReason"] == "CUSTOMER_DISCONNECT")


def test_transfer_and_callback_chains_link_both_ways(default_run: Outputs) -> None:
    ctrs = default_run.ctrs
    for contact_id, ctr in ctrs.items():
        if ctr["NextContactId"]:
            following = ctrs[ctr["NextContactId"]]
            assert following["PreviousContactId"] == contact_id
            assert following["InitialContactId"] == (ctr["InitialContactId"] or contact_id)
            assert following["InitiationMethod"] in ("TRANSFER", "QUEUE_TRANSFER", "CALLBACK")
        if ctr["PreviousContactId"]:
            assert ctrs[ctr["PreviousContactId"]]["NextContactId"] == contact_id
        else:
            assert ctr["InitialContactId"] is None


def test_agent_events_are_ordered_and_heartbeat_while_logged_in(default_run: Outputs) -> None:
    events = default_run.agent_events
    times = [ms(e["EventTimestamp"]) for e in events]
    assert times == sorted(times)
    last: dict[str, tuple[int, str]] = {}
    for event, time in zip(events, times, strict=True):
        previous = last.get(event["AgentARN"])
        if previous and previous[1] != "LOGOUT":
            assert time - previous[0] <= 120_000, f"{event['AgentARN']}: {time - previous[0]} ms without an event"
        if previous is None:
            assert event["EventType"] == "LOGIN"
        last[event["AgentARN"]] = (time, event["EventType"])
    assert all(kind == "LOGOUT" for _t, kind in last.values())


def _agent_timelines(outputs: Outputs) -> dict[str, list[dict[str, Any]]]:
    timelines: dict[str, list[dict[str, Any]]] = {}
    for event in outputs.agent_events:
        timelines.setdefault(event["AgentARN"], []).append(event)
    return timelines


def _previous_state(event: dict[str, Any], contact_id: str) -> str | None:
    previous = event["PreviousAgentSnapshot"] or {"Contacts": []}
    return next((c["State"] for c in previous["Contacts"] if c["ContactId"] == contact_id), None)


def test_answered_contacts_were_offered_to_a_logged_in_available_agent(default_run: Outputs) -> None:
    timelines = _agent_timelines(default_run)
    seen: dict[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for arn, events in timelines.items():
        logged_in = False
        for event in events:
            logged_in = event["EventType"] != "LOGOUT" and (logged_in or event["EventType"] == "LOGIN")
            for contact in event["CurrentAgentSnapshot"]["Contacts"]:
                assert logged_in, f"{arn} has a contact while logged out"
                seen.setdefault((arn, contact["ContactId"]), []).append((event, contact))
    for contact_id, ctr in default_run.ctrs.items():
        agent = ctr["Agent"]
        if agent is None:
            continue
        views = seen[(agent["ARN"], contact_id)]
        first_event, first = views[0]
        assert first["State"] in ("CONNECTING", "INCOMING")
        assert first_event["CurrentAgentSnapshot"]["AgentStatus"]["Type"] == "ROUTABLE"
        connected = [c for _e, c in views if c["State"] == "CONNECTED"]
        assert connected and connected[0]["StateStartTimestamp"][:19] + "Z" == agent["ConnectedToAgentTimestamp"]
        holds = [
            c for e, c in views if c["State"] == "CONNECTED_ONHOLD" and _previous_state(e, contact_id) != c["State"]
        ]
        assert len(holds) == agent["NumberOfHolds"]
        assert all(c["StateStartTimestamp"] == connected[0]["StateStartTimestamp"] for c in holds)
        ended = [c for _e, c in views if c["State"] == "ENDED"]
        assert ended[0]["StateStartTimestamp"][:19] + "Z" == agent["AfterContactWorkStartTimestamp"]


def test_acw_ends_when_the_ended_contact_leaves_the_snapshot(default_run: Outputs) -> None:
    cleared: dict[str, str] = {}
    for event in default_run.agent_events:
        previous = event["PreviousAgentSnapshot"] or {"Contacts": []}
        now = {c["ContactId"] for c in event["CurrentAgentSnapshot"]["Contacts"]}
        for contact in previous["Contacts"]:
            if contact["State"] == "ENDED" and contact["ContactId"] not in now:
                cleared[contact["ContactId"]] = event["EventTimestamp"]
    for contact_id, ctr in default_run.ctrs.items():
        if ctr["Agent"]:
            assert cleared[contact_id][:19] + "Z" == ctr["Agent"]["AfterContactWorkEndTimestamp"]


def test_missed_offers_show_in_agent_events_and_attempts(default_run: Outputs) -> None:
    missed: Counter[str] = Counter()
    for event in default_run.agent_events:
        previous = {
            c["ContactId"]: c["State"] for c in (event["PreviousAgentSnapshot"] or {"Contacts": []})["Contacts"]
        }
        for contact in event["CurrentAgentSnapshot"]["Contacts"]:
            if contact["State"] in ("MISSED", "REJECTED") and previous.get(contact["ContactId"]) != contact["State"]:
                missed[contact["ContactId"]] += 1
    for contact_id, truth in default_run.truth.items():
        if truth["initiation_method"] == "OUTBOUND":
            continue
        accepted = truth["answered"] or truth["callback_unanswered"]  # an agent took the offer either way
        assert truth["connection_attempts"] == missed[contact_id] + (1 if accepted else 0), contact_id
        assert len(truth["missed_by"]) == missed[contact_id]


def test_contact_events_follow_the_lifecycle_and_agree_with_the_ctr(default_run: Outputs) -> None:
    order = ["INITIATED", "CONNECTED_TO_SYSTEM", "QUEUED", "CONNECTED_TO_AGENT", "DISCONNECTED", "COMPLETED"]
    times = [ms(e["time"]) for e in default_run.contact_events]
    assert times == sorted(times)
    by_contact: dict[str, list[dict[str, Any]]] = {}
    for event in default_run.contact_events:
        by_contact.setdefault(event["detail"]["contactId"], []).append(event["detail"])
    assert by_contact.keys() == default_run.ctrs.keys()
    for contact_id, details in by_contact.items():
        ctr = default_run.ctrs[contact_id]
        kinds = [d["eventType"] for d in details]
        assert kinds == sorted(kinds, key=order.index) and len(set(kinds)) == len(kinds)
        assert kinds[0] == "INITIATED" and "DISCONNECTED" in kinds
        assert all(
            d["channel"].upper() == ctr["Channel"] and d["initiationMethod"] == ctr["InitiationMethod"] for d in details
        )
        event = {d["eventType"]: d for d in details}
        assert ("QUEUED" in event) == (ctr["Queue"] is not None)
        if "QUEUED" in event:
            assert floor_s(event["QUEUED"]["queueInfo"]["enqueueTimestamp"]) == floor_s(
                ctr["Queue"]["EnqueueTimestamp"]
            )
            assert event["QUEUED"]["queueInfo"]["queueArn"] == ctr["Queue"]["ARN"]
        assert ("CONNECTED_TO_AGENT" in event) == (ctr["Agent"] is not None)
        if ctr["Agent"]:
            info = event["CONNECTED_TO_AGENT"]["agentInfo"]
            assert info["agentArn"] == ctr["Agent"]["ARN"]
            assert floor_s(info["connectedToAgentTimestamp"]) == floor_s(ctr["Agent"]["ConnectedToAgentTimestamp"])
            assert "COMPLETED" in event or ctr["Channel"] == "CHAT"
        disconnected = event["DISCONNECTED"]
        assert floor_s(disconnected["disconnectTimestamp"]) == floor_s(ctr["DisconnectTimestamp"])
        assert disconnected["disconnectReason"] == ctr["DisconnectReason"]


def _queue_intervals(outputs: Outputs) -> list[tuple[str, str, int, int]]:
    """(queue ARN, channel, enqueued ms, dequeued ms) from contact events alone."""
    intervals = []
    by_contact: dict[str, dict[str, dict[str, Any]]] = {}
    for event in outputs.contact_events:
        by_contact.setdefault(event["detail"]["contactId"], {})[event["detail"]["eventType"]] = event["detail"]
    for events in by_contact.values():
        queued = events.get("QUEUED")
        if not queued or queued["queueInfo"]["queueType"] != "STANDARD":
            continue
        left = events.get("CONNECTED_TO_AGENT") or events["DISCONNECTED"]
        end = left["agentInfo"]["connectedToAgentTimestamp"] if "agentInfo" in left else left["disconnectTimestamp"]
        start = ms(queued["queueInfo"]["enqueueTimestamp"])
        intervals.append((queued["queueInfo"]["queueArn"], queued["channel"].upper(), start, ms(end)))
    return intervals


def _metric(result: dict[str, Any], name: str) -> float:
    return next(c["Value"] for c in result["Collections"] if c["Metric"]["Name"] == name)


def test_snapshot_queue_counts_match_the_contact_events(default_run: Outputs) -> None:
    intervals = _queue_intervals(default_run)
    busy = 0
    for snapshot in default_run.snapshots:
        at = ms(snapshot["collected_at"])
        for result in snapshot["current_metric_data"][0]["MetricResults"]:
            arn, channel = result["Dimensions"]["Queue"]["Arn"], result["Dimensions"]["Channel"]
            waiting = [s for q, c, s, e in intervals if q == arn and c == channel and s <= at < e]
            assert _metric(result, "CONTACTS_IN_QUEUE") == len(waiting), (snapshot["collected_at"], arn, channel)
            expected_age = (at - min(waiting)) // 1000 if waiting else 0
            assert _metric(result, "OLDEST_CONTACT_AGE") == expected_age
            busy += len(waiting)
    assert busy > 0, "no snapshot ever saw a contact in queue"


def test_snapshot_pages_count_each_agent_once_per_result_as_the_agent_events_say(default_run: Outputs) -> None:
    """By QUEUE and CHANNEL, by QUEUE, and ungrouped: every agent metric equals the agents' own states then."""
    timelines = read_timelines(default_run.agent_events)
    busy = 0
    for snapshot in default_run.snapshots:
        states = timelines.at(instant(snapshot["collected_at"]))
        names = {q["Id"]: q["Name"] for q in snapshot["queues"]}
        grouped, by_queue, ungrouped = (page["MetricResults"] for page in snapshot["current_metric_data"])
        (total,) = ungrouped
        assert total["Dimensions"] == {}
        results = [(r, {(names[r["Dimensions"]["Queue"]["Id"]], r["Dimensions"]["Channel"])}) for r in grouped]
        results += [(r, {(names[r["Dimensions"]["Queue"]["Id"]], c) for c in CHANNELS}) for r in by_queue]
        results.append((total, {(name, c) for name in names.values() for c in CHANNELS}))
        for result, keys in results:
            shown = {name: _metric(result, name.upper()) for name in AGENT_METRICS}
            assert shown == agent_metrics(states, keys), (snapshot["collected_at"], sorted(keys))
        for name in ("CONTACTS_IN_QUEUE", "CONTACTS_SCHEDULED"):
            assert (
                _metric(total, name)
                == sum(_metric(r, name) for r in grouped)
                == sum(_metric(r, name) for r in by_queue)
            )
        oldest = max(_metric(r, "OLDEST_CONTACT_AGE") for r in grouped)
        assert _metric(total, "OLDEST_CONTACT_AGE") // 1000 == oldest  # milliseconds without groupings
        busy += _metric(total, "AGENTS_ON_CONTACT") > 0
    assert busy > 0, "no snapshot ever saw an agent on a contact"
