"""The InfluxDB schema the ingest pipeline writes, derived from the one data-model declaration.

``connect_ingest.sinks.influx`` writes each Timestream table as a measurement of the same name: its
dimensions become tags (always strings), as do the measures it declares as ``influx_tags`` (under the tag's
own name), and its measures fields, typed by the measure's SQL type.
TIMESTAMP measures go out as integer epoch milliseconds, so they are integer fields here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from connect_ingest.datamodel import TIMESTREAM_TABLES, TimestreamTable

# Measure type -> InfluxDB field type, as the sink's line protocol encodes the value.
FIELD_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "integer",
    "TIMESTAMP": "integer",
    "DOUBLE": "float",
    "BOOLEAN": "boolean",
}


@dataclass(frozen=True)
class Measurement:
    name: str
    tags: tuple[str, ...]
    fields: Mapping[str, str]  # field name -> InfluxDB type: string, integer, float or boolean

    def kind(self, name: str) -> str | None:
        """``tag``, ``field`` or None: what ``name`` is in this measurement."""
        if name in self.tags:
            return "tag"
        if name in self.fields:
            return "field"
        return None


def measurement_of(table: TimestreamTable) -> Measurement:
    return Measurement(
        name=table.name,
        tags=(*table.dimensions, *(tag.name for tag in table.influx_tags)),
        fields={m.name: FIELD_TYPES[m.type] for m in table.measures},
    )


def schema_of(tables: Iterable[TimestreamTable]) -> dict[str, Measurement]:
    return {t.name: measurement_of(t) for t in tables}


SCHEMA: Mapping[str, Measurement] = schema_of(TIMESTREAM_TABLES)
