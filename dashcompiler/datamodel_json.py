"""The data-model declaration as the JSON Terraform reads (infra/generated/datamodel.json).

Terraform cannot import Python, so `dash build` renders the declaration in
infra/lambdas/connect_ingest/datamodel.py to JSON and Terraform creates its
Timestream tables and Glue table from that file with jsondecode(file(...)).
"""

from __future__ import annotations

from typing import Any

from connect_ingest import datamodel

from core.encoding import dumps

GENERATED_PATH = "infra/generated/datamodel.json"

# Partition projection starts here: the earliest initiation date Athena enumerates.
PROJECTION_START = "2020-01-01"

# Firehose dynamic partitioning derives each partition value from the record itself
# (JQ over the record's JSON), so a contact lands under its own initiation date, an agent event its own date.
_PARTITION_SOURCES = {"initiation_date": ".InitiationTimestamp[0:10]", "event_date": ".EventTimestamp[0:10]"}


def _timestream_table(table: datamodel.TimestreamTable) -> dict[str, Any]:
    return {
        "name": table.name,
        "description": table.description,
        "dimensions": list(table.dimensions),
        "measure_name": table.measure_name,
        "measures": [{"name": m.name, "type": m.type} for m in table.measures],
    }


def _projection(partition_keys: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Glue table parameters for partition projection, so no crawler is needed."""
    params = {"projection.enabled": "true"}
    for name, hive_type in partition_keys:
        if hive_type != "date":
            raise ValueError(f"partition key {name}: only date partitions are projected, not {hive_type}")
        params |= {
            f"projection.{name}.type": "date",
            f"projection.{name}.format": datamodel.CTR_PARTITION_FORMAT,
            f"projection.{name}.range": f"{PROJECTION_START},NOW",
            f"projection.{name}.interval": "1",
            f"projection.{name}.interval.unit": "DAYS",
        }
    return params


def _glue_table(table: datamodel.GlueTable) -> dict[str, Any]:
    missing = [name for name, _ in table.partition_keys if name not in _PARTITION_SOURCES]
    if missing:
        raise ValueError(f"glue table {table.name}: no Firehose source for partition keys {missing}")
    return {
        "name": table.name,
        "description": table.description,
        "columns": [{"name": name, "type": hive_type} for name, hive_type in table.columns],
        "partition_keys": [{"name": name, "type": hive_type} for name, hive_type in table.partition_keys],
        "partition_format": datamodel.CTR_PARTITION_FORMAT,
        "projection_parameters": _projection(table.partition_keys),
        "firehose_partition_queries": {name: _PARTITION_SOURCES[name] for name, _ in table.partition_keys},
    }


def render_datamodel_json() -> str:
    """The project's one JSON encoding, for a stable diff."""
    document = {
        "timestream_tables": {t.name: _timestream_table(t) for t in datamodel.TIMESTREAM_TABLES},
        "glue_tables": {t.name: _glue_table(t) for t in datamodel.GLUE_TABLES},
    }
    return dumps(document)
