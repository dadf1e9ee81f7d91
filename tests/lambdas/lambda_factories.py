"""Inputs for the ingest tests and benchmark (documented samples repaired at read time, generated events).

Also the in-memory sink and dead-letter queue the handler tests write to.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connect_ingest.deadletter import DeadLetter
from connect_ingest.sinks import WriteResult
from connect_ingest.transform import Record

INSTANCE = "aaaaaaaa-bbbb-cccc-dddd-111111111111"
INSTANCE_ARN = f"arn:aws:connect:eu-west-2:012345678901:instance/{INSTANCE}"
_COMMENT = re.compile(r'("(?:[^"\\]|\\.)*")|//[^\n]*')
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_JSON_LINE_START = ('"', "{", "}", "[", "]")


def repair_jsonc(text: str) -> Any:
    """Parse an AWS doc block: drop // comments (and their wrapped continuation lines), trailing commas, a stray brace.

    The docs wrap long comments onto lines without ``//``; a line that cannot start JSON is such a line.
    """
    stripped = _COMMENT.sub(lambda m: m.group(1) or "", text)
    lines = [line for line in stripped.splitlines() if not line.strip() or line.strip().startswith(_JSON_LINE_START)]
    body = "\n".join(lines).strip()
    if body.startswith('"'):
        body = "{" + body + "}"  # a fragment such as "Contacts": [...]
    body = _TRAILING_COMMA.sub(r"\1", body)
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        pass
    candidates = [i for i, line in enumerate(body.splitlines()) if re.fullmatch(r"\s*}\s*,?\s*", line)]
    for index in candidates:
        attempt = body.splitlines()
        del attempt[index]
        try:
            return json.loads("\n".join(attempt))
        except json.JSONDecodeError:
            continue
    raise ValueError("sample could not be repaired into JSON")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def agent_event(rng: random.Random, moment: datetime, contacts: int | None = None) -> dict[str, Any]:
    """A realistic agent event (shape of the documented samples) with random agent, status and contacts."""
    agent = f"agent-{rng.randrange(500):04d}"
    event_type = rng.choice(["LOGIN", "LOGOUT", "STATE_CHANGE", "STATE_CHANGE", "HEART_BEAT"])
    n_contacts = rng.choice([0, 0, 1, 1, 2]) if contacts is None else contacts
    started = moment - timedelta(seconds=rng.randrange(1, 600))
    status = rng.choice([("Available", "ROUTABLE"), ("Lunch", "CUSTOM"), ("Offline", "OFFLINE")])
    queue = rng.choice(["Sales", "Support", "Billing", None])
    return {
        "AWSAccountId": "012345678901",
        "AgentARN": f"{INSTANCE_ARN}/agent/{agent}",
        "CurrentAgentSnapshot": {
            "AgentStatus": {
                "ARN": f"{INSTANCE_ARN}/agent-state/{status[0]}",
                "Name": status[0],
                "StartTimestamp": iso(started),
                "Type": status[1],
            },
            "NextAgentStatus": {"Name": "Lunch", "ARN": "x", "EnqueuedTimestamp": iso(started)}
            if rng.random() < 0.1
            else None,
            "Configuration": {
                "AgentHierarchyGroups": {
                    "Level1": {"ARN": "arn:g1", "Name": "Europe"},
                    "Level2": {"ARN": "arn:g2", "Name": "Team " + agent[-1]},
                }
                if rng.random() < 0.5
                else None,
                "FirstName": "First" + agent[-2:],
                "LastName": "Last",
                "RoutingProfile": {
                    "ARN": f"{INSTANCE_ARN}/routing-profile/rp-1",
                    "Name": rng.choice(["Basic Routing Profile", "Sales Profile"]),
                    "Concurrency": [
                        {"AvailableSlots": rng.randrange(0, 4), "Channel": "CHAT", "MaximumSlots": 3},
                        {"AvailableSlots": rng.randrange(0, 2), "Channel": "VOICE", "MaximumSlots": 1},
                        {"AvailableSlots": rng.randrange(0, 2), "Channel": "TASK", "MaximumSlots": 1},
                    ],
                    "InboundQueues": [
                        {"ARN": f"{INSTANCE_ARN}/queue/q-1", "Name": "Sales", "Channels": ["VOICE", "CHAT"]}
                    ],
                },
                "Username": agent,
            },
            "Contacts": [
                {
                    "Channel": rng.choice(["VOICE", "CHAT", "TASKS"]),
                    "ConnectedToAgentTimestamp": iso(started + timedelta(seconds=5)),
                    "ContactId": f"contact-{rng.randrange(10**9)}",
                    "InitialContactId": None,
                    "InitiationMethod": rng.choice(["INBOUND", "OUTBOUND", "TRANSFER"]),
                    "Queue": {"ARN": f"{INSTANCE_ARN}/queue/q-1", "Name": queue},
                    "QueueTimestamp": iso(started) if queue else None,
                    "State": rng.choice(["CONNECTING", "CONNECTED", "CONNECTED_ONHOLD", "ENDED", "MISSED"]),
                    "StateStartTimestamp": iso(started + timedelta(seconds=i)),
                }
                for i in range(n_contacts)
            ],
        },
        "EventId": f"event-{rng.randrange(10**12)}",
        "EventTimestamp": iso(moment),
        "EventType": event_type,
        "InstanceARN": INSTANCE_ARN,
        "PreviousAgentSnapshot": None,
        "Version": "2019-05-25",
    }


def kinesis_event(payloads: list[bytes]) -> dict[str, Any]:
    """A Lambda Kinesis event carrying these payloads, in order."""
    return {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": "agent",
                    "sequenceNumber": f"{49590338271490256608559692538361571095921575989136588898 + i}",
                    "data": base64.b64encode(payload).decode(),
                    "approximateArrivalTimestamp": 1545084650.987,
                },
                "eventSource": "aws:kinesis",
                "eventID": f"shardId-000000000000:{i}",
                "eventSourceARN": "arn:aws:kinesis:eu-west-2:012345678901:stream/agent-events",
            }
            for i, payload in enumerate(payloads)
        ]
    }


def contact_envelope(detail: dict[str, Any], time: str = "2021-08-04T17:43:48Z") -> dict[str, Any]:
    return {
        "version": "0",
        "id": "abcabcab-abca-abca-abca-abcabcabcabc",
        "detail-type": "Amazon Connect Contact Event",
        "source": "aws.connect",
        "account": "111122223333",
        "time": time,
        "region": "eu-west-2",
        "resources": [],
        "detail": detail,
    }


@dataclass
class FlakySink:
    """Writes, rejects or cannot write each record as hypothesis decides; keeps every record it was given, with its fate."""

    fates: Sequence[str]
    received: list[tuple[Record, str]] = field(default_factory=list)

    def write(self, records: Sequence[Record]) -> WriteResult:
        rejected: dict[int, str] = {}
        unwritten: set[int] = set()
        for i, record in enumerate(records):
            fate = self.fates[len(self.received) % len(self.fates)] if self.fates else "ok"
            self.received.append((record, fate))
            if fate == "reject":
                rejected[i] = "refused"
            elif fate == "down":
                unwritten.add(i)
        return WriteResult(rejected, frozenset(unwritten), "store down" if unwritten else "")

    @property
    def written(self) -> list[Record]:
        return [record for record, fate in self.received if fate == "ok"]


@dataclass
class MemoryQueue:
    capacity: int
    letters: list[DeadLetter] = field(default_factory=list)

    def send(self, letters: Sequence[DeadLetter]) -> int:
        room = max(0, self.capacity - len(self.letters))
        self.letters.extend(letters[:room])
        return min(room, len(letters))
