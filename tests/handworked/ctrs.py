"""Contact records in a compact literal form, written where the local engine reads CTRs.

``ctr("h1", "09:00:00", queue=("Sales", "09:00:10", 20), agent=("ann", "09:00:30", 300, 45), holds=(2, 60))``
is a voice contact initiated at 09:00:00 on the cases' day, enqueued on Sales at 09:00:10 and waiting 20 s,
connected to ann at 09:00:30, 300 s of interaction, 45 s of after-contact work, put on hold twice for 60 s
in all. Everything else is as Connect sends it (PascalCase keys, whole-second ISO-8601 times).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

DAY = "2026-03-02"  # a Monday
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
INSTANCE = f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE_ID}"
QUEUE_IDS = {"Sales": "aaaaaaaa-0000-0000-0000-000000000001", "Support": "aaaaaaaa-0000-0000-0000-000000000002"}
AGENT_IDS = {"ann": "bbbbbbbb-0000-0000-0000-00000000000a", "bob": "bbbbbbbb-0000-0000-0000-00000000000b"}
# Each agent's routing profile and hierarchy groups (level 1 first), as the CTR's Agent carries them.
PROFILES = {"ann": "Sales Voice", "bob": "Support Omni"}
GROUPS: dict[str, tuple[str, ...]] = {"ann": ("London", "London Sales"), "bob": ()}


def at(clock: str, day: str = DAY) -> str:
    """``hh:mm:ss`` on ``day`` (or a whole ``YYYY-MM-DDThh:mm:ss`` for another day) as a CTR timestamp."""
    return f"{clock}Z" if "T" in clock else f"{day}T{clock}Z"


def queue_arn(name: str) -> str:
    return f"{INSTANCE}/queue/{QUEUE_IDS[name]}"


def agent_queue_arn(username: str) -> str:
    """An agent's own queue (a transfer to the agent): Connect names it nowhere in the CTR."""
    return f"{INSTANCE}/queue/agent/{AGENT_IDS[username]}"


def _agent(username: str, connected: str, talk: int, acw: int, holds: tuple[int, int], day: str) -> dict[str, Any]:
    count, held = holds
    groups = {
        f"Level{i}": {"ARN": f"{INSTANCE}/agent-group/{name}", "GroupName": name}
        for i, name in enumerate(GROUPS[username], start=1)
    }
    return {
        "ARN": f"{INSTANCE}/agent/{AGENT_IDS[username]}",
        "Username": username,
        "ConnectedToAgentTimestamp": at(connected, day),
        "AgentInteractionDuration": talk,
        "CustomerHoldDuration": held,
        "NumberOfHolds": count,
        "AfterContactWorkDuration": acw,
        "RoutingProfile": {"ARN": f"{INSTANCE}/routing-profile/{PROFILES[username]}", "Name": PROFILES[username]},
        "HierarchyGroups": groups or None,
    }


def ctr(
    contact_id: str,
    initiated: str,
    *,
    channel: str = "VOICE",
    method: str = "INBOUND",
    queue: tuple[str, str, int] | None = None,
    agent_queue: tuple[str, str, int] | None = None,
    agent: tuple[str, str, int, int] | None = None,
    holds: tuple[int, int] = (0, 0),
    reason: str | None = None,
    next_contact: str | None = None,
    previous_contact: str | None = None,
    transferred: str | None = None,
    updated: str | None = None,
    day: str = DAY,
    **extra: Any,
) -> dict[str, Any]:
    """One CTR. ``queue``: (name, enqueued, seconds in queue); ``agent_queue``: (username, enqueued, seconds),
    a transfer to that agent's own queue; ``agent``: (username, connected, interaction s, ACW s); ``holds``:
    (number of holds, customer hold s); ``transferred``: when the transfer out completed; ``updated``: the
    LastUpdateTimestamp (default: the initiation); times ``hh:mm:ss`` on ``day``."""
    record: dict[str, Any] = {
        "AWSAccountId": "123456789012",
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "ContactId": contact_id,
        "InstanceARN": INSTANCE,
        "Channel": channel,
        "InitiationMethod": method,
        "InitiationTimestamp": at(initiated, day),
        "LastUpdateTimestamp": at(updated or initiated, day),
        "DisconnectReason": reason,
        "NextContactId": next_contact,
        "PreviousContactId": previous_contact,
        "TransferCompletedTimestamp": at(transferred, day) if transferred else None,
        "Queue": None,
        "Agent": None,
    }
    if queue is not None:
        name, enqueued, wait = queue
        record["Queue"] = {
            "ARN": queue_arn(name),
            "Name": name,
            "EnqueueTimestamp": at(enqueued, day),
            "Duration": wait,
        }
    if agent_queue is not None:
        username, enqueued, wait = agent_queue
        arn = agent_queue_arn(username)
        record["Queue"] = {"ARN": arn, "Name": None, "EnqueueTimestamp": at(enqueued, day), "Duration": wait}
    if agent is not None:
        username, connected, talk, acw = agent
        record["Agent"] = _agent(username, connected, talk, acw, holds, day)
    record.update(extra)
    return record


def write_ctrs(root: Path, records: Iterable[Mapping[str, Any]]) -> Path:
    """The records as the CTR firehose lays them out, one folder per initiation date, in the order given."""
    by_day: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        by_day[str(record["InitiationTimestamp"])[:10]].append(record)
    for day, lines in by_day.items():
        folder = root / "ctr" / f"initiation_date={day}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "part-0.json").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return root
