"""What dash.yaml may hold, key by key and value by value: a misspelt key (aws_regoin, grafana_verison) is an error
with "did you mean", never a silent default, and a value of the wrong form is named before anything is built."""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from core.environment import Environment
from core.errors import ConfigError

TOP_KEYS = frozenset({"default_env", "grafana_version", "environments", "outputs"})
# An environment's keys; a block's own keys, or None for a value or a free mapping (folders, datasources).
ENVIRONMENT_KEYS: Mapping[str, frozenset[str] | None] = {
    "aws_region": None,
    "timestream_region": None,
    "connect_instance_id": None,
    "aws_auth": None,
    "realtime_store": None,
    "service_level_seconds": None,
    "grafana_provisioning_path": None,
    "timezone": None,
    "folders": None,
    "datasources": None,
    "timestream": frozenset({"database", "default_table"}),
    "influxdb": frozenset({"url", "database", "token_env", "user", "password_env"}),
    "athena": frozenset({"catalog", "database", "workgroup", "output_location", "ctr_table"}),
    "cloudwatch": frozenset({"name_prefix"}),
    "alerts": frozenset({"thresholds", "contact", "opening_hours"}),
}
ENVIRONMENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NAME_PREFIX = re.compile(r"^[a-z][a-z0-9-]{1,30}$")  # infra/variables.tf name_prefix's validation
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_VALUE = 512  # characters: an AWS name or URL is far shorter; anything longer is a paste gone wrong


def check_keys(path: Path, raw: Mapping[str, Any]) -> None:
    """Every key of dash.yaml is one it knows."""
    _known(f"{path}", raw, TOP_KEYS)
    for name, body in (raw.get("environments") or {}).items():
        where = f"{path}: environment {name!r}"
        if not ENVIRONMENT_NAME.match(str(name)):
            raise ConfigError(
                f"{where}: an environment name is a letter, then letters, digits, - or _ (at most 63); rename it"
            )
        if not isinstance(body, dict):
            continue
        _known(where, body, frozenset(ENVIRONMENT_KEYS))
        for block, keys in ENVIRONMENT_KEYS.items():
            if keys is not None and isinstance(body.get(block), dict):
                _known(f"{where}: {block}", body[block], keys)


def check_values(where: str, env: Environment) -> None:
    """Values of the right form: ids, URLs and variable names that Grafana and AWS would accept."""
    for field, value in vars(env).items():
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise ConfigError(f"{where}: {field} is {len(value)} characters long; at most {MAX_VALUE}")
    if not UUID.match(env.connect_instance_id):
        raise ConfigError(
            f"{where}: connect_instance_id {env.connect_instance_id!r} is not an Amazon Connect instance id "
            "(a lower-case UUID, the last part of the instance ARN)"
        )
    if not env.athena_output_location.startswith("s3://"):
        raise ConfigError(
            f"{where}: athena.output_location {env.athena_output_location!r} must be an s3:// URL (the query results' bucket)"
        )
    for key, value in (("token_env", env.influxdb_token_env), ("password_env", env.influxdb_password_env)):
        if value and not VARIABLE_NAME.match(value):
            raise ConfigError(
                f"{where}: influxdb.{key} must name an environment variable (letters, digits, _), not hold the "
                "secret itself (its value is not shown); put the secret in Grafana's environment under that name"
            )
    if not NAME_PREFIX.match(env.name_prefix):
        raise ConfigError(
            f"{where}: cloudwatch.name_prefix {env.name_prefix!r} must be infra/'s name_prefix (2-31 lower-case letters, "
            "digits or hyphens, starting with a letter): the pipeline's resources are named after it"
        )
    if env.influxdb_url and not env.influxdb_url.startswith(("https://", "http://")):
        raise ConfigError(f"{where}: influxdb.url {env.influxdb_url!r} must be an http(s):// URL")


def _known(where: str, node: Mapping[str, Any], allowed: frozenset[str]) -> None:
    for key in node:
        if str(key) not in allowed:
            close = get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(sorted(allowed))}"
            raise ConfigError(f"{where}: unknown key {key!r}; {hint}")
