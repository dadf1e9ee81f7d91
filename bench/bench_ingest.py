"""Agent-event ingest benchmark, run by hand: ``python bench/bench_ingest.py [events]``.

Events come from ``connect_simulator`` (the agent event stream as Connect writes it), wrapped as the
records of a Lambda Kinesis event. Measures events and records per second through the handler's own parse
step (``agent_events.parse``: base64 decode, JSON parse, build records) against a floor of base64 decode +
json.loads alone on the same events, and the WriteRecords calls and request bytes per 1,000 events per
table. Aims: transform rate >= half the floor's rate; calls = ceil(records / 100) per table and batch.
"""

from __future__ import annotations

import base64
import gc
import json
import math
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "lambdas")]

from connect_ingest import agent_events  # noqa: E402
from connect_ingest.sinks import Backoff  # noqa: E402
from connect_ingest.sinks.timestream import TimestreamSink  # noqa: E402

import connect_simulator as simulator  # noqa: E402


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
    """Fastest of ``runs``, with the cyclic GC off: its pauses grow with whatever the stage keeps alive."""
    timings = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(timings)


def simulated_events(count: int) -> list[bytes]:
    """The first ``count`` agent events of a simulation big enough to hold them (about 3 per contact)."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as out:
        config = simulator.SimulationConfig(seed=2024, agents=max(20, count // 300), contacts=count // 2, hours=8)
        simulator.simulate(Path(out), config)
        with (Path(out) / "agent_events.jsonl").open("rb") as lines:
            events = [line.rstrip(b"\n") for line, _ in zip(lines, range(count), strict=False)]
    if len(events) < count:
        raise SystemExit(f"the simulation gave {len(events)} agent events, fewer than {count}")
    return events


def kinesis_records(events: list[bytes]) -> list[dict[str, Any]]:
    return [
        {
            "kinesis": {"sequenceNumber": str(49_000_000 + i), "data": base64.b64encode(e).decode()},
            "eventID": f"shardId-000000000000:{i}",
        }
        for i, e in enumerate(events)
    ]


def main(count: int) -> None:
    raws = kinesis_records(simulated_events(count))
    data = [raw["kinesis"]["data"] for raw in raws]

    floor = best_of(3, lambda: [json.loads(base64.b64decode(d)) for d in data])
    items: list[agent_events.Item] = []
    transform = best_of(3, lambda: items.__setitem__(slice(None), [agent_events.parse(r, 1) for r in raws]))
    problems = Counter(item.problem for item in items if item.problem)
    if problems:
        raise SystemExit(f"simulated events the transform refused: {dict(problems)}")
    record_count = sum(len(item.records) for item in items)

    per_batch = 1000
    client = CountingClient()
    sink = TimestreamSink(client, "bench", Backoff(attempts=1))
    records_per_table: Counter[str] = Counter()
    expected_calls = 0
    batches = 0
    for offset in range(0, count, per_batch):
        records = [r for item in items[offset : offset + per_batch] for r in item.records]
        batch_tables = Counter(r.table for r in records)
        expected_calls += sum(math.ceil(n / 100) for n in batch_tables.values())
        records_per_table.update(batch_tables)
        result = sink.write(records)
        if result.rejected or result.unwritten:
            raise SystemExit(f"the sink refused {len(result.rejected)} and left {len(result.unwritten)} unwritten")
        batches += 1

    floor_rate, transform_rate = count / floor, count / transform
    ratio = transform_rate / floor_rate
    print(
        f"agent-event ingest benchmark: {count:,} simulated events ({record_count:,} records), "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print()
    print(f"| {'stage':<48} | {'events/s':>10} | {'records/s':>10} | {'us/event':>8} |")
    print(f"|{'-' * 50}|{'-' * 12}|{'-' * 12}|{'-' * 10}|")
    print(f"| {'floor: b64decode + json.loads':<48} | {floor_rate:>10,.0f} | {'-':>10} | {1e6 / floor_rate:>8.2f} |")
    print(
        f"| {'transform: agent_events.parse (decode+records)':<48} | {transform_rate:>10,.0f} | "
        f"{record_count / transform:>10,.0f} | {1e6 / transform_rate:>8.2f} |"
    )
    verdict = "meets the aim" if ratio >= 0.5 else "MISSES the aim"
    print(f"\ntransform rate / floor rate = {ratio:.2f} (aim >= 0.50: {verdict})")
    print()
    print(
        f"| {'table (per 1,000 events)':<24} | {'records':>8} | {'calls':>6} | {'ceil(rec/100)':>13} | "
        f"{'bytes':>9} | {'bytes/record':>12} |"
    )
    print(f"|{'-' * 26}|{'-' * 10}|{'-' * 8}|{'-' * 15}|{'-' * 11}|{'-' * 14}|")
    per_k = 1000 / count
    for table, table_records in sorted(records_per_table.items()):
        print(
            f"| {table:<24} | {table_records * per_k:>8.0f} | {client.calls[table] * per_k:>6.1f} | "
            f"{math.ceil(table_records * per_k / 100):>13} | {client.bytes[table] * per_k:>9,.0f} | "
            f"{client.bytes[table] / table_records:>12.0f} |"
        )
    total_calls = sum(client.calls.values())
    verdict = "ok" if total_calls == expected_calls else "MISMATCH"
    print(
        f"\nWriteRecords calls: {total_calls} over {batches} batches of {per_batch}; "
        f"sum of ceil(records/100) per table per batch = {expected_calls} ({verdict})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
