"""Deterministic Amazon Connect traffic in the real formats, with the ground truth it was generated from.

``simulate(out, SimulationConfig(...))`` (or ``dash simulate --out DIR``) writes, in ``out``:

- ``agent_events.jsonl``: agent event stream records (Kinesis JSON), EventTimestamp order, HEART_BEATs.
- ``contact_events.jsonl``: EventBridge "Amazon Connect Contact Event" envelopes, time order.
- ``collector/snapshots.jsonl``: one collector snapshot per minute (GetCurrentMetricData by QUEUE and
  CHANNEL, by QUEUE and ungrouped, plus ListQueues/ListRoutingProfiles/ListUsers), as
  ``connect_ingest.transform.snapshot_records`` reads.
- ``ctr/initiation_date=YYYY-MM-DD/ctr-<delivery window>.json``: contact records as Firehose delivers them,
  re-sent and duplicated records included (deduplicate by ContactId, greatest LastUpdateTimestamp).
- ``ground_truth.jsonl``: one line per contact record with what happened (see ``truth``).
- ``manifest.json``: arguments, counts per file, time span, instance, and every other file with its sha256
  (a later run replaces the folder only while it holds just those).

The same arguments give the same bytes under any PYTHONHASHSEED: all randomness comes from
``random.Random`` streams derived from the seed, and every ordering is by time and creation sequence.
"""

from connect_simulator.config import DEFAULT_START, SimulationConfig, SimulationError
from connect_simulator.output import simulate

__all__ = ["DEFAULT_START", "SimulationConfig", "SimulationError", "simulate"]
