"""Named environments from dash.yaml: where each environment's data lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashcompiler.errors import ConfigError

CONFIG_FILE = "dash.yaml"

# Grafana release -> the dashboard schemaVersion it writes without migrating.
SCHEMA_VERSIONS = {
    "10.4": 39,
    "11.0": 39,
    "11.3": 40,
    "11.6": 41,
    "12.0": 42,
}


@dataclass(frozen=True)
class Environment:
    name: str
    aws_region: str
    timestream_region: str
    connect_instance_id: str
    aws_auth: str
    timestream_database: str
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


@dataclass(frozen=True)
class Config:
    path: Path
    default_env: str
    grafana_version: str
    environments: dict[str, Environment]

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSIONS[self.grafana_version]

    def env(self, name: str | None) -> Environment:
        key = name or self.default_env
        if key not in self.environments:
            known = ", ".join(sorted(self.environments))
            raise ConfigError(f"{self.path}: no environment {key!r}; known: {known}")
        return self.environments[key]


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; run dash from the repository root") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("environments"), dict):
        raise ConfigError(f"{path}: needs an 'environments' mapping")
    version = str(raw.get("grafana_version", "12.0"))
    if version not in SCHEMA_VERSIONS:
        raise ConfigError(f"{path}: grafana_version {version!r} unsupported; use one of {', '.join(SCHEMA_VERSIONS)}")
    envs = {name: _environment(path, name, body) for name, body in raw["environments"].items()}
    default = str(raw.get("default_env", next(iter(envs), "")))
    if default not in envs:
        raise ConfigError(f"{path}: default_env {default!r} is not an environment")
    return Config(path, default, version, envs)


def _environment(path: Path, name: str, body: Any) -> Environment:
    def get(*keys: str) -> Any:
        node = body
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise ConfigError(f"{path}: environment {name!r} lacks {'.'.join(keys)}")
            node = node[key]
        return node

    try:
        sl = int(get("service_level_seconds"))
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: environment {name!r}: service_level_seconds must be a whole number") from None
    return Environment(
        name=name,
        aws_region=str(get("aws_region")),
        timestream_region=str(get("timestream_region")),
        connect_instance_id=str(get("connect_instance_id")),
        aws_auth=str(body.get("aws_auth", "default")),
        timestream_database=str(get("timestream", "database")),
        athena_catalog=str(get("athena", "catalog")),
        athena_database=str(get("athena", "database")),
        athena_workgroup=str(get("athena", "workgroup")),
        athena_output_location=str(get("athena", "output_location")),
        ctr_table=str(get("athena", "ctr_table")),
        folders={str(k): str(v) for k, v in get("folders").items()},
        datasource_uids={str(k): str(v) for k, v in get("datasources").items()},
        service_level_seconds=sl,
        grafana_provisioning_path=str(body.get("grafana_provisioning_path", "/etc/grafana/provisioning")),
    )
