"""One environment of dash.yaml: where its data lives and what its Grafana calls things."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Environment:
    name: str
    aws_region: str
    timestream_region: str
    connect_instance_id: str
    aws_auth: str
    timestream_database: str
    timestream_default_table: str
    athena_catalog: str
    athena_database: str
    athena_workgroup: str
    athena_output_location: str
    ctr_table: str
    folders: dict[str, str]
    datasource_uids: dict[str, str]
    service_level_seconds: int
    grafana_provisioning_path: str

    def template_context(self) -> dict[str, Any]:
        """What a query template may use: ``{{ ctr_table }}``, ``{{ service_level_seconds }}``..."""
        return {
            "env": self.name,
            "aws_region": self.aws_region,
            "timestream_region": self.timestream_region,
            "connect_instance_id": self.connect_instance_id,
            "timestream_database": self.timestream_database,
            "athena_catalog": self.athena_catalog,
            "athena_database": self.athena_database,
            "ctr_table": self.ctr_table,
            "service_level_seconds": self.service_level_seconds,
        }
