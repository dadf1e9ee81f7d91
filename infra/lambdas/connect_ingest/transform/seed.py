"""The schema-seed record: one per Timestream table, carrying every declared dimension and measure.

Timestream for LiveAnalytics derives a table's columns from the dimension names and measure names of the
records written to it (WriteRecords: "a flexible schema that auto detects the column names"), and a query
naming a column no record has ever carried fails ("Column 'x' does not exist", ValidationException) instead
of finding no rows. A new instance has no hierarchy group, no next status and no disconnect reason yet, so
the writers seed every table with one record that has them all, under an instance id no Connect instance
has: every shipped query filters on the selected instance (``instance_id = ${instance:sqlstring}``), and the
instance list excludes it, so no panel ever reads it. A fixed version and an hour-aligned time make every seed
of one hour the same point, written idempotently, and keep it inside the memory store's retention (at least
one hour).
"""

from __future__ import annotations

from connect_ingest import datamodel
from connect_ingest.transform.record import Record, Value

# Never a Connect instance id (those are UUIDs); queries/timestream/variables/instance.sql excludes it.
SEED_INSTANCE_ID = "schema-seed"
SEED_EVENT_ID = "schema-seed"
SEED_VERSION = 1
_HOUR_MS = 3_600_000


def schema_seed_record(table: datamodel.TimestreamTable, now_ms: int) -> Record:
    """Every dimension and measure of ``table`` with a placeholder value, at the hour ``now_ms`` falls in."""
    time_ms = now_ms - now_ms % _HOUR_MS
    dimensions = {name: SEED_INSTANCE_ID for name in table.dimensions}
    measures: dict[str, Value] = {}
    for measure in table.measures:
        if measure.type == "VARCHAR":
            measures[measure.name] = SEED_INSTANCE_ID
        elif measure.type in ("BIGINT", "TIMESTAMP"):
            measures[measure.name] = time_ms if measure.type == "TIMESTAMP" else 0
        elif measure.type == "DOUBLE":
            measures[measure.name] = 0.0
        else:
            measures[measure.name] = False
    return Record(table.name, time_ms, SEED_VERSION, dimensions, measures, event_id=SEED_EVENT_ID)


def schema_seed_records(tables: tuple[str, ...], now_ms: int) -> list[Record]:
    return [schema_seed_record(datamodel.timestream_table(name), now_ms) for name in tables]
