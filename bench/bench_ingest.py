"""Agent-event ingest benchmark, run by hand: ``python bench/bench_ingest.py [events]``.

Measures records per second through the agent-event transform (base64 decode, JSON parse, build records)
against a floor of base64 decode + json.loads alone on the same events, and the WriteRecords calls and
request bytes per 1,000 events. Aim: transform rate >= half the floor's rate; calls = ceil(records/100)
per table.
"""

from __future__ import annotations

import base64
import json
import math
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas"), str(ROOT / "tests" / "lambdas")]

from connect_ingest.sinks import Backoff  # noqa: E402
from connect_ingest.sinks.timestream import TimestreamSink  # noqa: E402
from connect_ingest.transform import agent_event_records  # noqa: E402
from lambda_factories import agent_event  # noqa: E402


class CountingClient:
    """Stands in for timestream-write: counts calls and request bytes per table."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.bytes: Counter[str] = Counter()

    def write_records(self, **request: Any) -> dict[str, Any]:
        self.calls[request["TableName"]] += 1
        self.bytes[request["TableName"]] += len(json.dumps(request, separators=(",", ":")))
        return {}


def best_of(runs: int, work: Any) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(count: int) -> None:
    rng = random.Random(2024)
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    data = [
        base64.b64encode(json.dumps(agent_event(rng, start + timedelta(milliseconds=37 * i))).encode()).decode()
        for i in range(count)
    ]

    floor = best_of(3, lambda: [json.loads(base64.b64decode(d)) for d in data])
    transform = best_of(3, lambda: [agent_event_records(json.loads(base64.b64decode(d))) for d in data])

    per_batch = 1000
    client = CountingClient()
    sink = TimestreamSink(client, "bench", Backoff(attempts=1))
    records_per_table: Counter[str] = Counter()
    expected_calls = 0
    batches = 0
    for offset in range(0, count, per_batch):
        records = [
            r for d in data[offset : offset + per_batch] for r in agent_event_records(json.loads(base64.b64decode(d)))
        ]
        batch_tables = Counter(r.table for r in records)
        expected_calls += sum(math.ceil(n / 100) for n in batch_tables.values())
        records_per_table.update(batch_tables)
        sink.write(records)
        batches += 1

    floor_rate, transform_rate = count / floor, count / transform
    print(f"agent-event ingest benchmark: {count:,} events, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print()
    print(f"| {'stage':<40} | {'events/s':>12} | {'us/event':>9} |")
    print(f"|{'-' * 42}|{'-' * 14}|{'-' * 11}|")
    print(f"| {'floor: b64decode + json.loads':<40} | {floor_rate:>12,.0f} | {1e6 / floor_rate:>9.2f} |")
    print(f"| {'transform: decode + parse + records':<40} | {transform_rate:>12,.0f} | {1e6 / transform_rate:>9.2f} |")
    print(f"| {'transform rate / floor rate (aim >= 0.5)':<40} | {transform_rate / floor_rate:>12.2f} | {'':>9} |")
    print()
    print(
        f"| {'table (per 1,000 events)':<24} | {'records':>8} | {'calls':>6} | {'ceil(rec/100)':>13} | {'bytes':>9} | {'bytes/record':>12} |"
    )
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 8}|{'-' * 15}|{'-' * 11}|{'-' * 14}|")
    for table, records in sorted(records_per_table.items()):
        per_k = 1000 / count
        print(
            f"| {table:<24} | {records * per_k:>8.0f} | {client.calls[table] * per_k:>6.1f} | {math.ceil(records * per_k / 100):>13} | "
            f"{client.bytes[table] * per_k:>9,.0f} | {client.bytes[table] / records:>12.0f} |"
        )
    total_calls = sum(client.calls.values())
    verdict = "ok" if total_calls == expected_calls else "MISMATCH"
    print(
        f"\nWriteRecords calls: {total_calls} over {batches} batches of {per_batch}; sum of ceil(records/100) per table per batch = {expected_calls} ({verdict})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
