"""Agents - history: the local engine over simulated data against the plain-Python ground truth, and a
hand-worked day of two agents whose every second is counted below."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from core.errors import DataError
from tests.localquery.agent_history_truth import expected_rows, read_events, tallies
from tests.localquery.conftest import Engine
from tests.localquery.truth import deepest_group, read_truth

UID, PANEL = "connect-history-agents", "agent_performance"
WHOLE = ("2026-01-31T21:00:00Z", "2026-02-01T06:00:00Z")
MIDNIGHT = ("2026-01-31T23:20:00Z", "2026-02-01T00:40:00Z")  # agents mid-status at both ends: clipping
LATE = ("2026-02-01T01:30:00Z", "2026-02-01T03:00:00Z")  # agents log out inside it
EMPTY = ("2026-01-30T00:00:00Z", "2026-01-30T06:00:00Z")
RANGES = pytest.mark.parametrize("span", [WHOLE, MIDNIGHT, LATE, EMPTY], ids=["whole", "midnight", "late", "empty"])


def _deepest(snapshot: dict) -> str | None:
    """The agent's most specific hierarchy group in an agent event snapshot."""
    groups = snapshot["Configuration"]["AgentHierarchyGroups"] or {}
    names = [groups[f"Level{i}"]["Name"] for i in range(1, 6) if groups.get(f"Level{i}")]
    return names[-1] if names else None


def close(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(float(expected), abs=1e-6)  # type: ignore[arg-type]


def assert_rows(rows: list[tuple], expected: dict[str, tuple[object, ...]]) -> None:
    actual = {row[0]: row[1:] for row in rows}
    assert set(actual) == set(expected)
    for name, values in expected.items():
        assert all(close(a, e) for a, e in zip(actual[name], values, strict=True)), (name, actual[name], values)


@RANGES
def test_rows_match_ground_truth(engine: Engine, sim_dir: Path, span: tuple[str, str]) -> None:
    expected = expected_rows(read_truth(sim_dir), read_events(sim_dir), *span)
    assert_rows(engine.panel(UID, PANEL, *span).rows, expected)
    if span != EMPTY:
        assert expected, "the range holds agents"


def test_the_simulation_exercises_every_column(sim_dir: Path) -> None:
    """Not vacuous: the simulated agents miss contacts, take breaks, handle inbound and outbound contacts."""
    rows = expected_rows(read_truth(sim_dir), read_events(sim_dir), *WHOLE)
    assert sum(r[8] for r in rows.values()) > 0  # missed
    assert all(sum(r[i] for r in rows.values()) > 0 for i in (1, 2, 9, 10, 11, 12))  # inbound, outbound, times


def test_missed_contacts_agree_with_the_contact_records(sim_dir: Path) -> None:
    """Over all traffic, the agent-event count of non-responses equals the simulator's own record of who missed
    what (ground_truth.jsonl missed_by), and answered routed contacts equal the handled non-outbound CTRs."""
    truth = read_truth(sim_dir)
    times = tallies(read_events(sim_dir), *WHOLE)
    missed_by = Counter(name for r in truth for name in r["missed_by"])
    assert {n: t.missed for n, t in times.items() if t.missed} == dict(missed_by)
    answered = Counter(r["agent"] for r in truth if r["answered"] and r["initiation_method"] != "OUTBOUND")
    assert {n: len(t.answered) for n, t in times.items() if t.answered} == dict(answered)


@pytest.mark.parametrize(
    ("assignments", "keep", "keep_agent", "keep_contact"),
    [
        (
            ["routing_profile=Sales Voice"],
            lambda r: r["routing_profile"] == "Sales Voice",
            lambda s: s["Configuration"]["RoutingProfile"]["Name"] == "Sales Voice",
            lambda c: True,
        ),
        (
            ["hierarchy_group=London Support Omnichannel"],
            lambda r: deepest_group(r) == "London Support Omnichannel",
            lambda s: _deepest(s) == "London Support Omnichannel",
            lambda c: True,
        ),
        (
            ["queue=Sales"],
            lambda r: r["queue"] == "Sales",
            lambda s: True,
            lambda c: (c.get("Queue") or {}).get("Name") == "Sales",
        ),
        (
            ["channel=CHAT"],
            lambda r: r["channel"] == "CHAT",
            lambda s: True,
            lambda c: c["Channel"] == "CHAT",
        ),
    ],
    ids=["routing-profile", "hierarchy-group", "queue", "chat"],
)
def test_filters(engine: Engine, sim_dir: Path, assignments, keep, keep_agent, keep_contact) -> None:
    """Routing profile narrows every column; queue and channel the contact columns, not the status times."""
    expected = expected_rows(read_truth(sim_dir), read_events(sim_dir), *WHOLE, keep, keep_agent, keep_contact)
    assert_rows(engine.panel(UID, PANEL, *WHOLE, assignments).rows, expected)


# --- a hand-worked hour ---------------------------------------------------------------------------------------

INSTANCE = "aaaaaaaa-0000-4000-8000-000000000001"
INSTANCE_ARN = f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE}"
STATUS = {
    "Available": ("ROUTABLE", "st-available"),
    "Break": ("CUSTOM", "st-break"),
    "Offline": ("OFFLINE", "st-offline"),
}


def _snapshot(user: str, status: str, since: str, contacts: list[dict]) -> dict:
    kind, arn = STATUS[status]
    return {
        "AgentStatus": {
            "ARN": f"{INSTANCE_ARN}/agent-state/{arn}",
            "Name": status,
            "StartTimestamp": since,
            "Type": kind,
        },
        "NextAgentStatus": None,
        "Configuration": {
            "Username": user,
            "FirstName": user,
            "LastName": "Test",
            "AgentHierarchyGroups": None,
            "RoutingProfile": {"ARN": f"{INSTANCE_ARN}/routing-profile/rp", "Name": "Sales Voice", "Concurrency": []},
        },
        "Contacts": contacts,
    }


def _contact(cid: str, state: str, since: str, method: str = "INBOUND", connected: str | None = None) -> dict:
    return {
        "ContactId": cid,
        "InitialContactId": None,
        "Channel": "VOICE",
        "InitiationMethod": method,
        "State": state,
        "StateStartTimestamp": since,
        "ConnectedToAgentTimestamp": connected,
        "QueueTimestamp": None,
        "Queue": {"ARN": f"{INSTANCE_ARN}/queue/sales", "Name": "Sales"},
    }


def _day(user: str, steps: list[tuple[str, str, str, str, list[dict]]]) -> list[dict]:
    """Events of one agent from (event id, type, time, status, contacts) steps; each previous snapshot is the
    step before's current one, as Connect sends them."""
    events, previous, since, last_status = [], None, "", ""
    for event_id, event_type, at, status, contacts in steps:
        if status != last_status:
            since, last_status = at, status
        current = _snapshot(user, status, since, contacts)
        events.append(
            {
                "AWSAccountId": "123456789012",
                "AgentARN": f"{INSTANCE_ARN}/agent/{user}",
                "EventId": event_id,
                "EventTimestamp": at,
                "EventType": event_type,
                "InstanceARN": INSTANCE_ARN,
                "Version": "2019-05-25",
                "CurrentAgentSnapshot": current,
                "PreviousAgentSnapshot": previous,
            }
        )
        previous = current
    return events


def _ctr(
    cid: str, user: str, method: str, connected: str, talk: int, hold: int, holds: int, acw: int, updated: str
) -> dict:
    return {
        "ContactId": cid,
        "InstanceARN": INSTANCE_ARN,
        "Channel": "VOICE",
        "InitiationMethod": method,
        "InitiationTimestamp": "2026-03-02T10:04:00Z",
        "LastUpdateTimestamp": updated,
        "Agent": {
            "ARN": f"{INSTANCE_ARN}/agent/{user}",
            "Username": user,
            "ConnectedToAgentTimestamp": connected,
            "AgentInteractionDuration": talk,
            "CustomerHoldDuration": hold,
            "NumberOfHolds": holds,
            "AfterContactWorkDuration": acw,
            "RoutingProfile": {"ARN": f"{INSTANCE_ARN}/routing-profile/rp", "Name": "Sales Voice"},
        },
        "Queue": {"Name": "Sales"} if method != "OUTBOUND" else None,
    }


def _c1(state: str, since: str) -> dict:
    return _contact("c1", state, since, connected=None if state == "CONNECTING" else "2026-03-02T10:05:10.000Z")


# Ana, 10:00-11:00: carried in Available from 09:55; C1 rings 10 s, is talked and held twice (60 s, 30 s), 60 s of
# after-contact work; at 10:13:00.000 two events in one millisecond (the ACW clears, then Break), written in the
# wrong order; Break to 10:25; C2 rings 20 s and is missed, sits missed 30 s; LOGOUT at 10:50 without going
# Offline, and a heartbeat after it still says Available. One event delivered twice.
T = "2026-03-02T"
ANA = _day(
    "ana",
    [
        ("a01", "LOGIN", T + "09:50:00.000Z", "Offline", []),
        ("a02", "STATE_CHANGE", T + "09:55:00.000Z", "Available", []),
        ("a03", "STATE_CHANGE", T + "10:05:00.000Z", "Available", [_c1("CONNECTING", T + "10:05:00.000Z")]),
        ("a04", "STATE_CHANGE", T + "10:05:10.000Z", "Available", [_c1("CONNECTED", T + "10:05:10.000Z")]),
        ("a05", "STATE_CHANGE", T + "10:07:00.000Z", "Available", [_c1("CONNECTED_ONHOLD", T + "10:05:10.000Z")]),
        ("a06", "STATE_CHANGE", T + "10:08:00.000Z", "Available", [_c1("CONNECTED", T + "10:05:10.000Z")]),
        ("a07", "STATE_CHANGE", T + "10:10:00.000Z", "Available", [_c1("CONNECTED_ONHOLD", T + "10:05:10.000Z")]),
        ("a08", "STATE_CHANGE", T + "10:10:30.000Z", "Available", [_c1("CONNECTED", T + "10:05:10.000Z")]),
        ("a09", "STATE_CHANGE", T + "10:12:00.000Z", "Available", [_c1("ENDED", T + "10:12:00.000Z")]),
        ("a99", "STATE_CHANGE", T + "10:13:00.000Z", "Available", []),
        ("a00", "STATE_CHANGE", T + "10:13:00.000Z", "Break", []),
        ("a11", "STATE_CHANGE", T + "10:25:00.000Z", "Available", []),
        ("a12", "STATE_CHANGE", T + "10:30:00.000Z", "Available", [_contact("c2", "CONNECTING", T + "10:30:00.000Z")]),
        ("a13", "STATE_CHANGE", T + "10:30:20.000Z", "Available", [_contact("c2", "MISSED", T + "10:30:20.000Z")]),
        ("a14", "STATE_CHANGE", T + "10:30:50.000Z", "Available", []),
        ("a15", "LOGOUT", T + "10:50:00.000Z", "Available", []),
        ("a16", "HEART_BEAT", T + "10:55:00.000Z", "Available", []),
    ],
)
# Ben: Available from 09:01, dials C3 (outbound) at 10:20:00, connected 10:20:15 for 240 s, 60 s of ACW, Offline
# at 10:40:00, LOGOUT 10:40:05.
BEN_C3 = "2026-03-02T10:20:15.000Z"
BEN = _day(
    "ben",
    [
        ("b01", "LOGIN", T + "09:00:00.000Z", "Offline", []),
        ("b02", "STATE_CHANGE", T + "09:01:00.000Z", "Available", []),
        (
            "b03",
            "STATE_CHANGE",
            T + "10:20:00.000Z",
            "Available",
            [_contact("c3", "CONNECTING", T + "10:20:00.000Z", "OUTBOUND")],
        ),
        (
            "b04",
            "STATE_CHANGE",
            T + "10:20:15.000Z",
            "Available",
            [_contact("c3", "CONNECTED", BEN_C3, "OUTBOUND", BEN_C3)],
        ),
        (
            "b05",
            "STATE_CHANGE",
            T + "10:24:15.000Z",
            "Available",
            [_contact("c3", "ENDED", T + "10:24:15.000Z", "OUTBOUND", BEN_C3)],
        ),
        ("b06", "STATE_CHANGE", T + "10:25:15.000Z", "Available", []),
        ("b07", "STATE_CHANGE", T + "10:40:00.000Z", "Offline", []),
        ("b08", "LOGOUT", T + "10:40:05.000Z", "Offline", []),
    ],
)

# Cy: on Break from 09:58, dials C4 (outbound) at 10:10:00 while still on Break, connected 10:10:05 for 120 s, 60 s
# of ACW; Available from 10:20 to the end of the range, no event after it.
CY_C4 = "2026-03-02T10:10:05.000Z"
CY = _day(
    "cy",
    [
        ("c01", "LOGIN", T + "09:57:00.000Z", "Offline", []),
        ("c02", "STATE_CHANGE", T + "09:58:00.000Z", "Break", []),
        (
            "c03",
            "STATE_CHANGE",
            T + "10:10:00.000Z",
            "Break",
            [_contact("c4", "CONNECTING", T + "10:10:00.000Z", "OUTBOUND")],
        ),
        ("c04", "STATE_CHANGE", T + "10:10:05.000Z", "Break", [_contact("c4", "CONNECTED", CY_C4, "OUTBOUND", CY_C4)]),
        (
            "c05",
            "STATE_CHANGE",
            T + "10:12:05.000Z",
            "Break",
            [_contact("c4", "ENDED", T + "10:12:05.000Z", "OUTBOUND", CY_C4)],
        ),
        ("c06", "STATE_CHANGE", T + "10:13:05.000Z", "Break", []),
        ("c07", "STATE_CHANGE", T + "10:20:00.000Z", "Available", []),
    ],
)


@pytest.fixture(scope="module")
def hand_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hand-agents")
    # The 10:13 pair in reverse emission order (Break before the ACW clearing that preceded it), and a05 twice.
    ana = [e for e in ANA if e["EventId"] not in ("a99", "a00")]
    pair = [e for e in ANA if e["EventId"] == "a00"] + [e for e in ANA if e["EventId"] == "a99"]
    ana = ana[:9] + pair + ana[9:]
    ana.insert(5, ANA[4])
    lines = [json.dumps(e) for e in sorted(ana + BEN + CY, key=lambda e: e["EventTimestamp"])]
    (data / "agent_events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ctr = data / "ctr" / "initiation_date=2026-03-02"
    ctr.mkdir(parents=True)
    records = [
        _ctr("c1", "ana", "INBOUND", "2026-03-02T10:05:10Z", 0, 0, 0, 0, "2026-03-02T10:06:00Z"),  # superseded
        _ctr("c1", "ana", "INBOUND", "2026-03-02T10:05:10Z", 320, 90, 2, 60, "2026-03-02T10:13:00Z"),
        _ctr("c3", "ben", "OUTBOUND", "2026-03-02T10:20:15Z", 240, 0, 0, 60, "2026-03-02T10:25:15Z"),
        _ctr("c4", "cy", "OUTBOUND", "2026-03-02T10:10:05Z", 120, 0, 0, 60, "2026-03-02T10:13:05Z"),
    ]
    (ctr / "part-0.json").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (data / "manifest.json").write_text(json.dumps({"instance": {"id": INSTANCE}}), encoding="utf-8")
    return data


# Worked by hand, 10:00:00-11:00:00 (seconds):
# Ana  idle 300 (10:00-10:05) + 300 (10:25-10:30) + 30 (C2 missed, 10:30:20-10:30:50) + 1150 (10:30:50-10:50) = 1780;
#      ringing 10 + 20 (neither idle nor on contact); on contact 410 (10:05:10-10:12, holds included) + 60 ACW = 470;
#      Break 10:13-10:25 = 720; online 10:00-10:50 = 3000 (= 1780 + 30 + 470 + 720); nothing after the LOGOUT.
#      Occupancy 470 / 2250 = 20.888..%; C1 answered, C2 missed: answer rate 50 %.
#      CTR C1 (latest delivery): handle 320 + 90 + 60 = 470, ACW 60, hold 90 (held twice).
# Ben  idle 1200 (10:00-10:20) + 885 (10:25:15-10:40) = 2085; ringing 15; on contact 240 + 60 = 300; Offline from
#      10:40: online 2400 (= 2085 + 15 + 300). Occupancy 300 / 2385 = 12.578..%; only an outbound call: no answer rate.
#      CTR C3: outbound, handle 240 + 0 + 60 = 300, ACW 60, never held.
# Cy   Break 10:00-10:20 = 1200 non-productive, the outbound call in it included (10:10:05-10:13:05): on contact in a
#      custom status is not on contact time; idle 10:20-11:00 = 2400 (the last event holds to the range's end);
#      online 3600 (= 1200 + 2400). Occupancy 0 / 2400 = 0 %; no routed contact: no answer rate.
#      CTR C4: outbound, handle 120 + 0 + 60 = 180, ACW 60, never held.
HAND = {
    "ana": (1, 1, 0, 470.0, 60.0, 90.0, 100.0 * 470 / 2250, 50.0, 1, 720.0, 1780.0, 470.0, 3000.0),
    "ben": (1, 0, 1, 300.0, 60.0, None, 100.0 * 300 / 2385, None, 0, 0.0, 2085.0, 300.0, 2400.0),
    "cy": (1, 0, 1, 180.0, 60.0, None, 0.0, None, 0, 1200.0, 2400.0, 0.0, 3600.0),
}
HOUR = ("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z")


def test_hand_worked_hour(build, hand_dir: Path) -> None:
    engine = Engine(build, hand_dir, {})
    assert_rows(engine.panel(UID, PANEL, *HOUR).rows, HAND)


def test_hand_worked_hour_ground_truth_agrees(hand_dir: Path) -> None:
    """The plain-Python ground truth, fed the events in emission order, reaches the hand-worked seconds too."""
    truth = [
        {
            "agent": "ana",
            "answered": True,
            "connected_to_agent_at": "2026-03-02T10:05:10Z",
            "initiation_method": "INBOUND",
            "handle_s": 470,
            "acw_s": 60,
            "hold_s": 90,
            "holds": 2,
        },
        {
            "agent": "ben",
            "answered": True,
            "connected_to_agent_at": "2026-03-02T10:20:15Z",
            "initiation_method": "OUTBOUND",
            "handle_s": 300,
            "acw_s": 60,
            "hold_s": 0,
            "holds": 0,
        },
        {
            "agent": "cy",
            "answered": True,
            "connected_to_agent_at": "2026-03-02T10:10:05Z",
            "initiation_method": "OUTBOUND",
            "handle_s": 180,
            "acw_s": 60,
            "hold_s": 0,
            "holds": 0,
        },
    ]
    assert_rows([(name, *values) for name, values in expected_rows(truth, ANA + BEN + CY, *HOUR).items()], HAND)


def test_a_range_inside_one_status_is_clipped(build, hand_dir: Path) -> None:
    """10:14-10:20: Ana and Cy on Break throughout (360 s non-productive), Ben idle throughout (360 s)."""
    engine = Engine(build, hand_dir, {})
    rows = {r[0]: r[1:] for r in engine.panel(UID, PANEL, "2026-03-02T10:14:00Z", "2026-03-02T10:20:00Z").rows}
    assert rows["ana"][9:] == pytest.approx((360.0, 0.0, 0.0, 360.0))
    assert rows["ben"][9:] == pytest.approx((0.0, 360.0, 0.0, 360.0))
    assert rows["cy"][9:] == pytest.approx((360.0, 0.0, 0.0, 360.0))
    assert rows["ana"][6] is None and rows["ben"][6] == pytest.approx(0.0)  # occupancy: none without idle or contact


def test_an_agent_event_without_its_timestamp_is_refused(build, tmp_path: Path) -> None:
    """Firehose partitions by EventTimestamp: an event without one is an error naming the file and line."""
    (tmp_path / "agent_events.jsonl").write_text(json.dumps({**ANA[0], "EventTimestamp": None}) + "\n")
    (tmp_path / "manifest.json").write_text(json.dumps({"instance": {"id": INSTANCE}}), encoding="utf-8")
    with pytest.raises(DataError, match=r"agent_events.jsonl:1: an agent event needs an EventTimestamp"):
        Engine(build, tmp_path, {}).panel(UID, PANEL, *HOUR)
