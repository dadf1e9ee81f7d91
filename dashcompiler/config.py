"""Named environments from dash.yaml: where each environment's data lives."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from connect_ingest.datamodel import TIMESTREAM_TABLES

from core.environment import Environment
from core.errors import ConfigError
from core.files import not_utf8
from dashcompiler.config_alerts import alert_settings
from dashcompiler.config_schema import check_keys, check_values
from kinds import KINDS, REALTIME_STORES

CONFIG_FILE = "dash.yaml"

# Grafana release -> the dashboard schemaVersion it writes without migrating.
SCHEMA_VERSIONS = {
    "10.4": 39,
    "11.0": 39,
    "11.3": 40,
    "11.6": 41,
    "12.0": 42,
}
# Without `realtime_store`, an environment keeps Timestream for LiveAnalytics, as every dash.yaml before it did.
DEFAULT_STORE = "timestream"
# How Grafana authenticates to AWS: the host's role, or keys from its environment.
AWS_AUTH = ("default", "keys")


@dataclass(frozen=True)
class Config:
    path: Path
    default_env: str
    grafana_version: str
    environments: dict[str, Environment]
    outputs: dict[str, str]  # environment -> the folder its committed bundle is built into, relative to the root

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
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; run dash from the repository root") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a file; dash.yaml must be a YAML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    problem = not_utf8(data)
    if problem is not None:
        raise ConfigError(f"{path}: {problem}; save it as UTF-8 text") from None
    return parse_config(path, data.decode("utf-8"))


def parse_config(path: Path, text: str) -> Config:
    """dash.yaml's text, checked; errors name `path` (also when the text is not yet written there)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("environments"), dict) or not raw["environments"]:
        raise ConfigError(f"{path}: needs an 'environments' mapping of environment name to its settings")
    check_keys(path, raw)
    version = str(raw.get("grafana_version", "12.0"))
    if version not in SCHEMA_VERSIONS:
        raise ConfigError(f"{path}: grafana_version {version!r} unsupported; use one of {', '.join(SCHEMA_VERSIONS)}")
    envs = {str(name): _environment(path, str(name), body) for name, body in raw["environments"].items()}
    default = str(raw.get("default_env", next(iter(envs))))
    if default not in envs:
        raise ConfigError(f"{path}: default_env {default!r} is not an environment")
    return Config(path, default, version, envs, _outputs(path, raw.get("outputs", {default: "provisioning"}), envs))


def _outputs(path: Path, node: Any, envs: dict[str, Environment]) -> dict[str, str]:
    """`outputs`: which environments `dash build` writes (and `--check` checks), each into its own folder."""
    if not isinstance(node, dict) or not node:
        raise ConfigError(f"{path}: outputs must map environment names to folders, not {_kind(node)}")
    outputs: dict[str, str] = {}
    for name, folder in node.items():
        if str(name) not in envs:
            raise ConfigError(f"{path}: outputs.{name} is not an environment; known: {', '.join(sorted(envs))}")
        if not isinstance(folder, str) or not folder or Path(folder).is_absolute() or ".." in Path(folder).parts:
            raise ConfigError(f"{path}: outputs.{name} must be a folder inside the repository, not {_kind(folder)}")
        if folder in outputs.values():
            raise ConfigError(f"{path}: outputs.{name}: folder {folder!r} is already another environment's")
        outputs[str(name)] = folder
    return outputs


def _environment(path: Path, name: str, body: Any) -> Environment:
    """One environment's settings, each checked for presence and type; errors name the key and file."""
    where = f"{path}: environment {name!r}"
    if not isinstance(body, dict):
        raise ConfigError(f"{where} must be a mapping of settings, not {_kind(body)}")

    def text(*keys: str, default: str | None = None) -> str:
        node: Any = body
        for depth, key in enumerate(keys):
            if not isinstance(node, dict):
                raise ConfigError(f"{where}: {'.'.join(keys[:depth])} must be a mapping, not {_kind(node)}")
            if key not in node and default is None:
                raise ConfigError(f"{where} lacks {'.'.join(keys)}")
            node = node.get(key, default)
        if isinstance(node, bool) or not isinstance(node, str | int) or str(node) == "":
            raise ConfigError(f"{where}: {'.'.join(keys)} must be a non-empty string, not {_kind(node)}")
        return str(node)

    def names(key: str, meaning: str) -> dict[str, str]:
        node = body.get(key)
        if not isinstance(node, dict) or not node:
            raise ConfigError(f"{where}: {key} must be a mapping of {meaning}, not {_kind(node)}")
        return {str(k): text(key, k) for k in node}

    if "service_level_seconds" not in body:
        raise ConfigError(f"{where} lacks service_level_seconds")
    sl = body["service_level_seconds"]
    if isinstance(sl, bool) or not isinstance(sl, int) or sl <= 0:
        raise ConfigError(f"{where}: service_level_seconds must be a positive whole number, not {_kind(sl)}")
    aws_auth = text("aws_auth", default="default")
    if aws_auth not in AWS_AUTH:
        raise ConfigError(f"{where}: aws_auth {aws_auth!r} unknown; use one of {', '.join(AWS_AUTH)}")
    store = text("realtime_store", default=DEFAULT_STORE)
    if store not in REALTIME_STORES:
        raise ConfigError(f"{where}: realtime_store {store!r} unknown; use one of {', '.join(REALTIME_STORES)}")
    if store not in body:
        raise ConfigError(f"{where} lacks {store}: the settings of its realtime_store")

    def of_store(block: str, key: str, *, optional: bool = False) -> str:
        """A key of a store's block: required when the environment uses that store (unless optional), else ""."""
        present = isinstance(body.get(block), dict) and key in body[block]
        return text(block, key) if present or (block == store and not optional) else ""

    default_table = of_store("timestream", "default_table")
    tables = [table.name for table in TIMESTREAM_TABLES]
    if default_table and default_table not in tables:
        raise ConfigError(
            f"{where}: timestream.default_table {default_table!r} is not a table the pipeline writes; "
            f"use one of {', '.join(tables)}"
        )
    token_env = of_store("influxdb", "token_env", optional=True)
    password_env = of_store("influxdb", "password_env", optional=True)
    datasources = names("datasources", "datasource kind to Grafana datasource uid")
    needed = [kind for kind, spec in KINDS.items() if kind == store or spec.realtime is None]
    missing = [kind for kind in needed if kind not in datasources]
    unknown = sorted(set(datasources) - set(needed))
    needs = f"datasources needs exactly {', '.join(needed)} (realtime_store {store})"
    if missing:
        raise ConfigError(f"{where} lacks datasources.{missing[0]}; {needs}")
    if unknown:
        raise ConfigError(f"{where}: datasources.{unknown[0]} is not used by this environment; {needs}")
    env = Environment(
        name=name,
        aws_region=text("aws_region"),
        timestream_region=text("timestream_region") if "timestream_region" in body else "",
        connect_instance_id=text("connect_instance_id"),
        aws_auth=aws_auth,
        realtime_store=store,
        timestream_database=of_store("timestream", "database"),
        timestream_default_table=default_table,
        influxdb_url=of_store("influxdb", "url"),
        influxdb_database=of_store("influxdb", "database"),
        influxdb_token_env=token_env,
        influxdb_user=of_store("influxdb", "user", optional=True),
        influxdb_password_env=password_env,
        athena_catalog=text("athena", "catalog"),
        athena_database=text("athena", "database"),
        athena_workgroup=text("athena", "workgroup"),
        athena_output_location=text("athena", "output_location"),
        ctr_table=text("athena", "ctr_table"),
        folders=names("folders", "folder uid to folder title"),
        datasource_uids=datasources,
        service_level_seconds=sl,
        grafana_provisioning_path=text("grafana_provisioning_path", default="/etc/grafana/provisioning"),
        timezone=_timezone(where, text("timezone", default="UTC")),
        name_prefix=text("cloudwatch", "name_prefix"),
        alerts=alert_settings(where, body["alerts"]) if "alerts" in body else None,
    )
    check_values(where, env)
    validate = KINDS[store].validate
    problem = validate(env) if validate else ""
    if problem:
        raise ConfigError(f"{where} {problem}" if problem.startswith("lacks") else f"{where}: {problem}")
    return env


def _timezone(where: str, name: str) -> str:
    """An IANA time zone name (Europe/London), which Grafana, Trino, Timestream and DuckDB all know: not an offset
    or an abbreviation (BST, +01:00), which has no daylight-saving rules."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if "/" in name:
            close = get_close_matches(name, sorted(z for z in available_timezones() if "/" in z), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
        else:
            hint = "an abbreviation or offset (BST, +01:00) has no daylight-saving rules; "
        raise ConfigError(
            f"{where}: timezone {name!r} is not an IANA time zone name; {hint}write the zone whose midnight starts "
            "the contact centre's day, e.g. timezone: Europe/London (or leave it out for UTC)"
        ) from None
    return name


def _kind(value: Any) -> str:
    """How a YAML value reads in an error message."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"
