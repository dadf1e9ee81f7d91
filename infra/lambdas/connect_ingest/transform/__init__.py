"""Pure transforms from Amazon Connect inputs to the data model's records.

No boto3, no Powertools, no I/O: the Lambdas, the benchmark and the local query engine all use these.
"""

from connect_ingest.transform.agent import AGENT_EVENT_TYPES, agent_event_records
from connect_ingest.transform.contact import contact_event_records
from connect_ingest.transform.record import Record, TransformError, Value
from connect_ingest.transform.seed import SEED_INSTANCE_ID, schema_seed_record, schema_seed_records
from connect_ingest.transform.snapshot import (
    METRIC_MEASURES,
    METRIC_UNITS,
    Rejected,
    SnapshotRead,
    read_snapshot,
    snapshot_records,
)

__all__ = [
    "AGENT_EVENT_TYPES",
    "METRIC_MEASURES",
    "METRIC_UNITS",
    "SEED_INSTANCE_ID",
    "Record",
    "Rejected",
    "SnapshotRead",
    "TransformError",
    "Value",
    "agent_event_records",
    "contact_event_records",
    "read_snapshot",
    "schema_seed_record",
    "schema_seed_records",
    "snapshot_records",
]
