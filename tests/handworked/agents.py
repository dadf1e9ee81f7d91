"""Hand-worked cases for the Agents - real time dashboard (dashboards/realtime_agents.py).

A table of agent events (the agent event stream's JSON, built by ``event``), one row per event: time, event
type, agent, status (name, type, since), next status, contacts (id, channel, state, state since, method).
The expected values are worked out by hand from Connect's real-time definitions (real-time-metrics-definitions:
Online = not Offline; Staffed = online and not in a custom status (NPT); On contact = a contact connected, on
hold, in ACW, paused, or an outbound call ringing; Error = a missed or failed contact not cleared; Available =
a contact could be routed now), over each agent's latest event of the last 15 minutes; an agent whose latest
event is LOGOUT has left, whatever its snapshot still shows (closing the contact control panel logs the
agent out without going Offline).

Profiles: Sales Voice (no hierarchy group) and Support Omni (London > London Support), each with 1 voice,
3 chat and 2 task slots. AvailableSlots per channel is what Connect reports: maximum minus that channel's
contacts occupying a slot (CONNECTING, CONNECTED, on hold, ENDED, PAUSED).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tests.handworked.ctrs import INSTANCE, INSTANCE_ID

__all__ = ["INSTANCE_ID"]
DAY = "2026-03-02"
NOW = f"{DAY}T10:00:00Z"
FROM = f"{DAY}T09:00:00Z"
MAXIMUM = {"VOICE": 1, "CHAT": 3, "TASKS": 2}
NEVER_CONNECTED = {"CONNECTING", "INCOMING", "MISSED", "REJECTED", "ERROR"}
OCCUPYING = {"CONNECTING", "INCOMING", "CONNECTED", "CONNECTED_ONHOLD", "ENDED", "PAUSED"}
SALES, SUPPORT = "Sales Voice", "Support Omni"
PROFILE = {"Sales Voice": "Sales", "Support Omni": "Support"}  # each profile's queue
GROUPS = {"Sales Voice": None, "Support Omni": ("London", "London Support")}


class Contact(NamedTuple):
    contact_id: str
    channel: str  # as agent events spell it: VOICE, CHAT, TASKS
    state: str
    since: str  # hh:mm:ss, StateStartTimestamp
    method: str = "INBOUND"


def t(clock: str) -> str:
    return f"{DAY}T{clock}.000Z"


def status_type(name: str) -> str:
    return {"Available": "ROUTABLE", "Offline": "OFFLINE"}.get(name, "CUSTOM")


def event(clock: str, kind: str, agent: str, profile: str, status: str, contacts: str = "") -> dict[str, Any]:
    """One agent event at ``clock`` (hh:mm:ss). ``status``: "<name> <since hh:mm:ss>[ -> <next status>]";
    ``contacts``: "; "-separated "<id> <channel> <state> <since>[ <initiation method>]"."""
    name, since, *pending = status.replace(" -> ", " ").split()
    listed = [Contact(*c.split()) for c in contacts.split(";") if c.strip()]
    queue = PROFILE[profile]
    queue_json = {"ARN": f"{INSTANCE}/queue/{queue.lower()}", "Name": queue}
    groups = GROUPS[profile]
    concurrency = [
        {
            "Channel": channel,
            "MaximumSlots": maximum,
            "AvailableSlots": maximum - sum(1 for c in listed if c.channel == channel and c.state in OCCUPYING),
        }
        for channel, maximum in MAXIMUM.items()
    ]
    hierarchy = {f"Level{i}": {"ARN": f"{INSTANCE}/g/{g}", "Name": g} for i, g in enumerate(groups or (), 1)}
    return {
        "AWSAccountId": "123456789012",
        "AgentARN": f"{INSTANCE}/agent/{agent}",
        "EventId": f"{agent}-{clock.replace(':', '')}-0000-0000-000000000000",
        "EventTimestamp": t(clock),
        "EventType": kind,
        "InstanceARN": INSTANCE,
        "Version": "2019-05-25",
        "CurrentAgentSnapshot": {
            "AgentStatus": {
                "ARN": f"{INSTANCE}/agent-state/{name}",
                "Name": name,
                "Type": status_type(name),
                "StartTimestamp": t(since),
            },
            "NextAgentStatus": {"Name": pending[0], "ARN": f"{INSTANCE}/agent-state/{pending[0]}"} if pending else None,
            "Configuration": {
                "Username": agent,
                "FirstName": agent,
                "LastName": "Test",
                "AgentHierarchyGroups": hierarchy or None,
                "RoutingProfile": {
                    "ARN": f"{INSTANCE}/routing-profile/{profile}",
                    "Name": profile,
                    "Concurrency": concurrency,
                },
            },
            "Contacts": [
                {
                    "ContactId": c.contact_id,
                    "InitialContactId": None,
                    "Channel": c.channel,
                    "InitiationMethod": c.method,
                    "State": c.state,
                    "StateStartTimestamp": t(c.since),
                    "ConnectedToAgentTimestamp": None if c.state in NEVER_CONNECTED else t(c.since),
                    "QueueTimestamp": None if c.method == "OUTBOUND" else t(c.since),
                    "Queue": queue_json,
                }
                for c in listed
            ],
        },
        "PreviousAgentSnapshot": None,
    }


SC, LOGIN, LOGOUT, HB = "STATE_CHANGE", "LOGIN", "LOGOUT", "HEART_BEAT"
S, U = SALES, SUPPORT  # Sales Voice, Support Omni
EVENTS = [
    # at        type    agent         profile status                   contacts: id channel state since [method]
    event("09:40:00", LOGOUT, "relogged", S, "Available 09:00:00"),  # closed the CCP; logs in again at 09:50
    event("09:44:00", SC, "stale", U, "Available 09:44:00"),  # nothing since: not online at 10:00
    event("09:44:30", SC, "offline", U, "Break 09:44:30"),
    event("09:48:00", SC, "chat1", U, "Available 09:30:00", "c-rej2 CHAT REJECTED 09:48:00"),
    event("09:50:00", LOGIN, "relogged", S, "Offline 09:40:00"),
    event("09:50:05", SC, "relogged", S, "Available 09:50:05"),
    event("09:52:00", LOGOUT, "closed_ccp", S, "Available 09:10:00"),  # closed the CCP while Available
    event("09:52:05", HB, "relogged", S, "Available 09:50:05"),
    event("09:53:00", SC, "offline", U, "Offline 09:53:00"),
    event("09:56:00", SC, "idle", S, "Available 09:50:00"),
    event("09:56:10", SC, "chat1", U, "Available 09:30:00", "c-chat1 CHAT CONNECTED 09:56:10"),
    event("09:56:20", SC, "acw", S, "Available 09:20:00", "c-acw VOICE ENDED 09:56:20"),
    event(
        "09:56:30", SC, "acw_chat", U, "Available 09:45:00", "c-a2 CHAT ENDED 09:55:00; c-c2 CHAT CONNECTED 09:50:00"
    ),
    event("09:56:40", SC, "break_next", S, "Available 09:00:00 -> Break", "c-hold VOICE CONNECTED_ONHOLD 09:51:00"),
    event("09:57:00", SC, "lunch", U, "Lunch 09:30:00"),
    # chose Break during after-contact work: pending until the contact is cleared, still Available (staffed)
    event("09:58:30", SC, "acw_break", S, "Available 09:10:00 -> Break", "c-ab VOICE ENDED 09:58:30"),
    event("09:57:10", SC, "missed", S, "Available 09:40:00", "c-miss VOICE MISSED 09:57:10"),
    event("09:57:20", SC, "failed", U, "Available 09:40:00", "c-err CHAT ERROR 09:57:20"),
    event("09:57:30", SC, "rejected", U, "Available 09:40:00", "c-rej TASKS REJECTED 09:57:30"),
    event("09:57:40", SC, "ringing_in", S, "Available 09:50:00", "c-in VOICE CONNECTING 09:57:40"),
    event("09:57:50", SC, "ringing_out", S, "Available 09:50:00", "c-out VOICE CONNECTING 09:57:50 OUTBOUND"),
    event("09:58:00", SC, "paused", U, "Available 09:50:00", "c-pause TASKS PAUSED 09:58:00"),
    # the missed call still listed two minutes on: one contact missed, not two
    event("09:59:10", HB, "missed", S, "Available 09:40:00", "c-miss VOICE MISSED 09:57:10"),
]

# Online at 10:00: latest event of 09:45-10:00 neither LOGOUT nor Offline. Out: closed_ccp (LOGOUT while Available),
# offline, stale (09:44). In: idle, chat1, acw, acw_chat, acw_break, break_next, lunch, missed, failed, rejected,
# ringing_in, ringing_out, paused, relogged (its 09:40 LOGOUT is followed by a LOGIN) = 14.
COUNTS = {
    "online": 14,
    "non_productive": 1,  # lunch
    "staffed": 13,  # 14 online - 1 in NPT (acw_break's Break is only pending)
    # chat1, acw (ENDED), acw_chat, acw_break (ENDED), break_next (on hold), ringing_out (outbound), paused
    "on_contact": 7,
    "after_contact_work": 3,  # acw, acw_chat, acw_break
    "error": 2,  # missed (MISSED), failed (ERROR); not rejected
    "error_alert": 3,  # missed, failed, rejected
    # idle, chat1 (1 of 3 chats), acw_chat (2 of 3 chats), relogged, paused (a paused task, voice-free agent).
    # Not: acw (a voice contact in ACW takes the agent), break_next (Break pending), ringing_in (a voice offer),
    # missed/failed/rejected (to clear), lunch, ringing_out, acw_break (in ACW on voice, and Break pending).
    "available": 5,
}
SLOTS = {
    "VOICE": 2,  # idle 1 + relogged 1 (any contact takes the voice slot)
    "CHAT": 12,  # idle 3 + chat1 2 + acw_chat 1 + relogged 3 + paused 3
    "TASK": 9,  # idle 2 + chat1 2 + acw_chat 2 + relogged 2 + paused 1 (the paused task holds one)
}
STATUS_SUMMARY = {"Available": 13, "Lunch": 1}
# agent -> (status, seconds in status at 10:00, state and queue of the contact whose state started last)
AGENT_TABLE = {
    "idle": ("Available", 600, None, None),
    "chat1": ("Available", 1800, "CONNECTED", "Support"),
    "acw": ("Available", 2400, "ENDED", "Sales"),
    "acw_chat": ("Available", 900, "ENDED", "Support"),
    "acw_break": ("Available", 3000, "ENDED", "Sales"),  # ENDED since 09:55 is later than CONNECTED since 09:50
    "break_next": ("Available", 3600, "CONNECTED_ONHOLD", "Sales"),
    "lunch": ("Lunch", 1800, None, None),
    "missed": ("Available", 1200, "MISSED", "Sales"),
    "failed": ("Available", 1200, "ERROR", "Support"),
    "rejected": ("Available", 1200, "REJECTED", "Support"),
    "ringing_in": ("Available", 600, "CONNECTING", "Sales"),
    "ringing_out": ("Available", 600, "CONNECTING", "Sales"),
    "paused": ("Available", 600, "PAUSED", "Support"),
    "relogged": ("Available", 595, None, None),  # Available since 09:50:05
}
# Distinct contacts missed or rejected per agent, 09:00-10:00; the ERROR contact is neither.
MISSED_REJECTED = {"missed": (1, 0), "rejected": (0, 1), "chat1": (0, 1)}
# Distinct agents per (status, 5-minute bin) over non-Offline events, 09:00-10:00:
BY_STATUS = {
    ("Available", "09:40"): 2,  # relogged (its LOGOUT's snapshot, 09:40:00), stale (09:44)
    ("Break", "09:40"): 1,  # offline (09:44:30)
    ("Available", "09:45"): 1,  # chat1 (09:48)
    ("Available", "09:50"): 2,  # relogged (09:50:05, 09:52:05; the LOGIN is Offline), closed_ccp (09:52)
    # idle, chat1, acw, acw_chat, acw_break, break_next, missed (twice), failed, rejected, ringing_in, ringing_out,
    # paused
    ("Available", "09:55"): 12,
    ("Lunch", "09:55"): 1,
}
# Support Omni only (hierarchy group London Support is the same agents): chat1, acw_chat, lunch, failed, rejected,
# paused online; offline and stale are not.
SUPPORT_COUNTS = {
    "online": 6,
    "non_productive": 1,  # lunch
    "staffed": 5,
    "on_contact": 3,  # chat1, acw_chat, paused
    "after_contact_work": 1,  # acw_chat
    "error": 1,  # failed
    "error_alert": 2,  # failed, rejected
    "available": 3,  # chat1, acw_chat, paused
}
SUPPORT_SLOTS = {"VOICE": 0, "CHAT": 6, "TASK": 5}  # chat 2 + 1 + 3 (paused), task 2 + 2 + 1
