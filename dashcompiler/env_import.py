"""`dash env import`: write `terraform output -json` into an environment of dash.yaml.

Terraform knows where the data lives (regions, database, workgroup, result
location); dash.yaml is what `dash build` reads. Importing the outputs keeps the
two in step without copying values by hand. Keys the outputs do not provide
(folders, datasource uids, service level) are kept, except that a change of real-time store names the
new store's datasource (uid `connect-<store>`, and the settings its kind fills in, such as the variable the
Grafana host keeps InfluxDB's read token in) and drops the old store's. The file is edited in place (ruamel.yaml's
round trip), so the user's comments, order and quotes survive.
"""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError, UsageError
from core.files import not_utf8, replace_file
from dashcompiler.config import CONFIG_FILE, load_config, parse_config
from kinds import KINDS, REALTIME_STORES

# dash.yaml key path <- root output of infra/ (infra/outputs.tf).
OUTPUT_MAP: tuple[tuple[tuple[str, ...], str], ...] = (
    (("aws_region",), "aws_region"),
    (("timestream_region",), "timestream_region"),
    (("connect_instance_id",), "connect_instance_id"),
    (("realtime_store",), "realtime_store"),
    (("influxdb", "url"), "influxdb_url"),
    (("influxdb", "database"), "influxdb_database"),
    (("influxdb", "token_env"), "influxdb_token_env"),
    (("timestream", "database"), "timestream_database"),
    (("athena", "catalog"), "athena_catalog"),
    (("athena", "database"), "athena_database"),
    (("athena", "workgroup"), "athena_workgroup"),
    (("athena", "output_location"), "athena_output_location"),
    (("athena", "ctr_table"), "ctr_table"),
    (("grafana_provisioning_path",), "grafana_provisioning_path"),
)


@dataclass(frozen=True)
class Change:
    key: str
    old: Any
    new: Any


def read_outputs(path: Path) -> dict[str, Any]:
    """Output name -> value from a `terraform output -json` file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found; write it with `terraform output -json > {path.name}`") from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path}: is a directory, not a file; pass the file written by `terraform output -json > outputs.json`"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    problem = not_utf8(data)
    if problem is not None:
        raise ConfigError(f"{path}: {problem}; expected `terraform output -json` (UTF-8 JSON)")
    try:
        raw = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not JSON ({exc}); expected `terraform output -json`") from None
    if not isinstance(raw, dict) or not all(isinstance(v, dict) and "value" in v for v in raw.values()):
        raise ConfigError(f"{path}: expected `terraform output -json` (each output an object with a 'value')")
    return {name: body["value"] for name, body in raw.items()}


def apply_outputs(environment: dict[str, Any], outputs: dict[str, Any], source: str) -> list[Change]:
    """Set each mapped key from its output, in place; a null output (e.g. no Timestream) keeps the key."""
    missing = [output for _, output in OUTPUT_MAP if output not in outputs]
    if missing:
        raise ConfigError(
            f"{source}: lacks the output(s) {', '.join(missing)}; is it `terraform output -json` of infra/?"
        )
    changes = []
    for path, output in OUTPUT_MAP:
        value = outputs[output]
        if value is None:
            continue
        if not isinstance(value, str | int | float):
            raise ConfigError(f"{source}: output {output} should be a string, not {type(value).__name__}")
        node = environment
        for key in path[:-1]:
            node = node.setdefault(key, {})
        old = node.get(path[-1])
        if old != value:
            changes.append(Change(".".join(path), old, value))
        node[path[-1]] = value
    return changes + _follow_store(environment)


def _follow_store(environment: dict[str, Any]) -> list[Change]:
    """The datasources and credentials the environment's real-time store needs, and none of another store's."""
    store = environment.get("realtime_store")
    datasources = environment.setdefault("datasources", {})
    if store not in REALTIME_STORES or not isinstance(datasources, dict):
        return []
    changes = []
    for other in REALTIME_STORES:
        if other != store and other in datasources:
            changes.append(Change(f"datasources.{other}", datasources.pop(other), None))
    if store not in datasources:
        datasources[store] = f"connect-{store}"
        changes.append(Change(f"datasources.{store}", None, datasources[store]))
    block = environment.setdefault(store, {})
    defaults = KINDS[store].import_defaults
    if isinstance(block, dict) and defaults is not None:
        for key, value in defaults(block).items():
            block[key] = value
            changes.append(Change(f"{store}.{key}", None, value))
    return changes


@dataclass(frozen=True)
class Imported:
    """What `dash env import` did: the values it changed, and for a new environment what it took from another."""

    changes: list[Change]
    copied_from: str = ""  # the environment a new one started from ("" when it existed)
    copied: tuple[str, ...] = ()  # its keys kept as they were there (say so: they may not fit the new one)


def import_environment(root: Path, outputs_path: Path, env_name: str, overwrite: bool = False) -> Imported:
    """Rewrite environment `env_name` of dash.yaml from Terraform outputs, editing only the values that change (the
    user's comments, order and quoting stay); a new one starts from default_env with its own datasource uids and
    folder titles. An environment whose bundle is committed (dash.yaml `outputs`) is rewritten only with
    `overwrite`: its next build changes committed files."""
    config = load_config(root)
    path = root / CONFIG_FILE
    if env_name in config.environments and env_name in config.outputs and not overwrite:
        raise UsageError(
            f"environment {env_name!r} is committed ({path}: outputs.{env_name}: {config.outputs[env_name]}): "
            f"importing rewrites its settings, and the next `dash build` its committed bundle. Pass --overwrite to "
            f"do so (one repository per deployment), or import into a new environment (--env NAME) and give it its "
            f"own folder under outputs (several environments in one repository)"
        )
    yaml = _round_trip()
    document = yaml.load(path.read_text(encoding="utf-8"))
    environments = document["environments"]
    new = env_name not in environments
    base = copy.deepcopy(environments[config.default_env]) if new else environments[env_name]
    outputs = read_outputs(outputs_path)
    changes = apply_outputs(base, outputs, str(outputs_path))
    copied: tuple[str, ...] = ()
    if new:
        changes += _own_names(base, env_name)
        imported = {".".join(key) for key, output in OUTPUT_MAP if outputs.get(output) is not None}
        touched = imported | {c.key for c in changes}
        copied = tuple(key for key in _leaf_keys(base) if key not in touched)
        environments[env_name] = base
    stream = io.StringIO()
    yaml.dump(document, stream)
    text = stream.getvalue()
    try:
        parse_config(path, text).env(env_name)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (from {outputs_path}; {path} is unchanged)") from None
    try:
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot rewrite it ({exc.strerror or exc}); is the repository writable?") from None
    return Imported(changes, config.default_env if new else "", copied)


def _round_trip() -> Any:
    """ruamel.yaml in round-trip mode: comments, key order and the quotes the user wrote survive a rewrite."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _own_names(environment: dict[str, Any], env_name: str) -> list[Change]:
    """A new environment's datasource uids and folder titles, so that it never shares another's in one Grafana:
    `<uid>-<env>` and `<title> (<env>)`."""
    changes = []
    datasources = environment.get("datasources")
    if isinstance(datasources, dict):
        for kind, uid in list(datasources.items()):
            datasources[kind] = f"{uid}-{env_name}"
            changes.append(Change(f"datasources.{kind}", uid, datasources[kind]))
    folders = environment.get("folders")
    if isinstance(folders, dict):
        for uid, title in list(folders.items()):
            folders[uid] = f"{title} ({env_name})"
            changes.append(Change(f"folders.{uid}", title, folders[uid]))
    return changes


def _leaf_keys(node: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every value in a mapping, nested mappings walked."""
    if not isinstance(node, dict):
        return [prefix]
    return [key for name, value in node.items() for key in _leaf_keys(value, f"{prefix}.{name}" if prefix else name)]
