"""Dead letters: inputs that can never be written, kept in SQS with the reason and the original payload.

A message holds the payload as received (the Kinesis record's base64 data, or the EventBridge event as JSON)
so that it can be replayed after a fix. SQS takes at most 256 KiB per message; a larger payload is cut and
marked ``payload_truncated``, with its SHA-256 and the source reference (stream and sequence number) to
fetch the whole record while the stream retains it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

MAX_BODY_CHARS = 250_000  # ASCII JSON, so characters = bytes: under SQS's 256 KiB


@dataclass(frozen=True)
class DeadLetter:
    source: str  # "kinesis:agent-events", "eventbridge:contact-events", "collector"
    reason: str
    payload: str
    reference: Mapping[str, str] = field(default_factory=dict)

    def body(self) -> str:
        payload = self.payload
        while True:
            text = json.dumps(
                {
                    "source": self.source,
                    "reason": self.reason,
                    "reference": dict(self.reference),
                    "payload": payload,
                    "payload_truncated": len(payload) < len(self.payload),
                    "payload_sha256": hashlib.sha256(self.payload.encode()).hexdigest(),
                }
            )
            if len(text) <= MAX_BODY_CHARS:
                return text
            payload = payload[: min(len(payload) // 2, MAX_BODY_CHARS)]


@dataclass(frozen=True)
class DeadLetters:
    client: Any
    queue_url: str

    def send(self, letters: Sequence[DeadLetter]) -> int:
        """Send in order; returns how many were sent before the first failure (the rest must be retried)."""
        for sent, letter in enumerate(letters):
            try:
                self.client.send_message(QueueUrl=self.queue_url, MessageBody=letter.body())
            except (ClientError, BotoCoreError):
                return sent
        return len(letters)
