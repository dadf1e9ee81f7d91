"""The default run contains every case the dashboards' tests need, read from the files."""

from __future__ import annotations

from collections import Counter

from sim_outputs import Outputs, ms


def test_period_crosses_midnight_and_a_month_boundary(default_run: Outputs) -> None:
    partitions = {p for p, _r in default_run.ctr_lines}
    assert {"initiation_date=2026-01-31", "initiation_date=2026-02-01"} <= partitions
    for partition, record in default_run.ctr_lines:
        assert partition == f"initiation_date={record['InitiationTimestamp'][:10]}"
    assert default_run.manifest["time_span"]["start"].startswith("2026-01-31T22:00")


def test_outbound_contacts_have_no_queue(default_run: Outputs) -> None:
    outbound = [r for r in default_run.ctrs.values() if r["InitiationMethod"] == "OUTBOUND"]
    assert outbound and all(r["Queue"] is None and r["Agent"] is not None for r in outbound)
    assert all(not t["queued"] for t in default_run.truth.values() if t["initiation_method"] == "OUTBOUND")


def test_abandons_including_at_zero_seconds(default_run: Outputs) -> None:
    abandoned = [t for t in default_run.truth.values() if t["abandoned"]]
    assert any(t["wait_s"] == 0 for t in abandoned)
    assert any(t["wait_s"] > 30 for t in abandoned)
    zero = [default_run.ctrs[t["contact_id"]] for t in abandoned if t["wait_s"] == 0]
    assert all(r["Queue"]["EnqueueTimestamp"] == r["Queue"]["DequeueTimestamp"] and r["Agent"] is None for r in zero)


def test_duplicate_and_resent_ctrs(default_run: Outputs) -> None:
    lines: dict[str, list[dict]] = {}
    for _p, record in default_run.ctr_lines:
        lines.setdefault(record["ContactId"], []).append(record)
    repeated = [records for records in lines.values() if len(records) > 1]
    assert any(len({r["LastUpdateTimestamp"] for r in records}) > 1 for records in repeated), "no re-sent CTR"
    assert any(records[0] == records[1] for records in repeated), "no identical duplicate delivery"
    assert any(len(records) > 2 for records in repeated)
    for records in repeated:
        latest = max(records, key=lambda r: ms(r["LastUpdateTimestamp"]))
        assert default_run.ctrs[latest["ContactId"]]["Attributes"] == latest["Attributes"]


def test_channels_methods_and_disconnect_reasons(default_run: Outputs) -> None:
    ctrs = default_run.ctrs.values()
    assert {r["Channel"] for r in ctrs} == {"VOICE", "CHAT", "TASK"}
    methods = Counter(r["InitiationMethod"] for r in ctrs)
    assert {"INBOUND", "OUTBOUND", "API", "TRANSFER", "QUEUE_TRANSFER", "CALLBACK"} <= methods.keys()
    reasons = {r["DisconnectReason"] for r in ctrs}
    assert {
        "CUSTOMER_DISCONNECT",
        "AGENT_DISCONNECT",
        "THIRD_PARTY_DISCONNECT",
        "TELECOM_PROBLEM",
        "CONTACT_FLOW_DISCONNECT",
    } <= reasons
    assert any(t["queue"] is None and t["initiation_method"] == "INBOUND" for t in default_run.truth.values())


def test_callbacks_are_scheduled_queued_and_not_abandons(default_run: Outputs) -> None:
    truth = default_run.truth.values()
    callbacks = [t for t in truth if t["callback"]]
    assert callbacks and all(t["scheduled_at"] and t["queued"] for t in callbacks)
    assert any(t["answered"] for t in callbacks)
    originals = [t for t in truth if t["callback_requested"]]
    assert originals and all(t["queued"] and not t["answered"] and not t["abandoned"] for t in originals)
    retries = {t["contact_id"] for t in callbacks if t["previous_contact_id"] in {c["contact_id"] for c in callbacks}}
    assert {t["next_contact_id"] for t in originals} == {t["contact_id"] for t in callbacks} - retries


def test_unanswered_callbacks_are_retried_as_new_callback_contacts(callback_run: Outputs) -> None:
    """A callback whose customer does not pick up ends unanswered; the next attempt is a new CALLBACK contact."""
    truth = callback_run.truth
    unanswered = [t for t in truth.values() if t["callback_unanswered"]]
    assert unanswered, "no unanswered callback attempt"
    for t in unanswered:
        ctr = callback_run.ctrs[t["contact_id"]]
        assert ctr["InitiationMethod"] == "CALLBACK" and ctr["Agent"] is None
        assert ctr["DisconnectReason"] == "TELECOM_UNANSWERED" and not t["abandoned"]
        assert ctr["Queue"]["DequeueTimestamp"] == ctr["DisconnectTimestamp"]
        if t["next_contact_id"]:
            assert truth[t["next_contact_id"]]["initiation_method"] == "CALLBACK"
    assert any(t["next_contact_id"] for t in unanswered), "no retry"
    chains: dict[str, int] = {}
    for t in truth.values():
        if t["callback"]:
            chains[t["chain_id"]] = chains.get(t["chain_id"], 0) + 1
    assert max(chains.values()) <= 3, "more attempts than the first and two retries"


def test_queue_flow_hangs_up_without_a_callback_and_it_is_no_abandon(default_run: Outputs) -> None:
    """The customer queue flow ends some queued calls itself, offering no callback: not the customer leaving."""
    ended = [t for t in default_run.truth.values() if t["flow_disconnected"]]
    assert ended
    for t in ended:
        ctr = default_run.ctrs[t["contact_id"]]
        assert ctr["DisconnectReason"] == "CONTACT_FLOW_DISCONNECT" and ctr["NextContactId"] is None
        assert ctr["Queue"] is not None and ctr["Agent"] is None and ctr["InitiationMethod"] == "INBOUND"
        assert not t["abandoned"] and not t["callback_requested"]


def test_holds_acw_transfers_and_missed_offers(default_run: Outputs) -> None:
    truth = list(default_run.truth.values())
    assert any(t["holds"] and t["holds"] > 1 for t in truth)
    assert all(t["acw_s"] is not None for t in truth if t["answered"])
    assert any(t["transferred"] for t in truth) and any(t["queue_type"] == "AGENT" for t in truth)
    assert any(t["connection_attempts"] > 1 and t["answered"] for t in truth)
    states = {c["State"] for e in default_run.agent_events for c in e["CurrentAgentSnapshot"]["Contacts"]}
    assert {"INCOMING", "CONNECTING", "CONNECTED", "CONNECTED_ONHOLD", "MISSED", "REJECTED", "ENDED"} <= states


def test_agent_statuses_and_event_types(default_run: Outputs) -> None:
    events = default_run.agent_events
    assert {e["EventType"] for e in events} == {"LOGIN", "LOGOUT", "STATE_CHANGE", "HEART_BEAT"}
    statuses = {
        (e["CurrentAgentSnapshot"]["AgentStatus"]["Name"], e["CurrentAgentSnapshot"]["AgentStatus"]["Type"])
        for e in events
    }
    assert {("Available", "ROUTABLE"), ("Offline", "OFFLINE"), ("Break", "CUSTOM")} <= statuses
    assert any(e["CurrentAgentSnapshot"]["NextAgentStatus"] for e in events)
    assert any(e["CurrentAgentSnapshot"]["Configuration"]["AgentHierarchyGroups"] is None for e in events)
    multi_chat = any(
        sum(1 for c in e["CurrentAgentSnapshot"]["Contacts"] if c["Channel"] == "CHAT") > 1 for e in events
    )
    assert multi_chat, "no agent ever handled two chats at once"


def test_unanswered_callbacks_are_off_by_default(default_run: Outputs) -> None:
    assert not any(t["callback_unanswered"] for t in default_run.truth.values())
