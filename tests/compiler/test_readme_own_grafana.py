"""The README's "Using your own Grafana" stays true to what the build generates and what Terraform grants."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import typer
import typer.core
import yaml

from cli import app
from dashcompiler.config import SCHEMA_VERSIONS, load_config
from tests.conftest import reference_file
from tests.infra.hclconfig import MODULES, as_list, load, policy_statements

REPO = Path(__file__).resolve().parents[2]
SECTION = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Using your own Grafana\n", 1)[1]
SECTION = SECTION.split("\n## ", 1)[0]
VERSION = r"\d+\.\d+(?:\.\d+)?"
# Statements of the module's policy for the host itself (its bundle, its admin password, the InfluxDB token it
# copies into Grafana's environment), not for a datasource: a Grafana of one's own needs none of them.
HOST_ONLY = frozenset({"ReadProvisioningBundle", "ReadAdminPassword", "ReadInfluxdbToken"})


def _rows() -> list[list[str]]:
    """The cells of every table row in the section."""
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in SECTION.splitlines() if line[:1] == "|"]


def _minimums() -> dict[str, str]:
    """Datasource type -> the minimum version its row states (the datasources table: type, use, minimum, how)."""
    found: dict[str, str] = {}
    for cells in _rows():
        named = re.match(r"`([a-z0-9-]+)`", cells[0])
        if named and len(cells) == 4 and re.search(VERSION, cells[2]):
            found[named.group(1)] = cells[2]
    return found


def _committed_types() -> dict[str, set[str]]:
    """Datasource type -> the committed bundles whose datasource files provision it."""
    outputs = load_config(REPO).outputs
    assert {"provisioning", "provisioning-staging"} <= set(outputs.values()), outputs
    types: dict[str, set[str]] = {}
    for folder in outputs.values():
        files = sorted((REPO / folder / "datasources").glob("*.yaml"))
        assert files, f"{folder}/datasources holds no datasource file"
        for path in files:
            for datasource in yaml.safe_load(path.read_text(encoding="utf-8"))["datasources"]:
                types.setdefault(datasource["type"], set()).add(folder)
    return types


def test_every_provisioned_datasource_type_is_named_with_a_minimum_version() -> None:
    types, minimums = _committed_types(), _minimums()
    assert {"grafana-athena-datasource", "grafana-timestream-datasource", "influxdb"} <= set(types), types
    missing = {t: sorted(folders) for t, folders in types.items() if t not in minimums}
    assert not missing, f"README's Using your own Grafana has no minimum version for {missing}"


def test_the_grafana_version_stated_is_the_one_the_committed_dashboards_are_written_for() -> None:
    stated = re.search(rf"\*\*Grafana ({VERSION}) or later\.\*\*", SECTION)
    assert stated, "the section does not state the Grafana version the dashboards need"
    config = load_config(REPO)
    assert config.grafana_version == stated.group(1)
    assert _minimums()["influxdb"] == f"Grafana {stated.group(1)}"
    schemas = {
        json.loads(path.read_text(encoding="utf-8"))["schemaVersion"]
        for folder in config.outputs.values()
        for path in (REPO / folder / "dashboards").rglob("*.json")
    }
    assert schemas == {SCHEMA_VERSIONS[stated.group(1)]}, schemas
    assert f"`schemaVersion` {SCHEMA_VERSIONS[stated.group(1)]}" in SECTION


def test_the_plugins_own_grafana_floor_is_as_stated_and_below_what_the_dashboards_need() -> None:
    stated = re.search(r"current `plugin\.json` ask for Grafana (\d+)\.(\d+) or later", SECTION)
    assert stated, "the section does not state the plugins' own Grafana requirement"
    floor = (int(stated.group(1)), int(stated.group(2)))
    for plugin in ("athena-datasource", "timestream-datasource"):
        manifest = json.loads(reference_file(f"{plugin}/src_plugin.json").read_text(encoding="utf-8"))
        dependency = manifest["dependencies"]["grafanaDependency"]
        found = re.match(r">=\s*(\d+)\.(\d+)", dependency)
        assert found and (int(found.group(1)), int(found.group(2))) == floor, f"{plugin}: {dependency}"
    needed = re.search(r"\*\*Grafana (\d+)\.(\d+) or later\.\*\*", SECTION)
    assert needed and floor <= (int(needed.group(1)), int(needed.group(2)))


def _policy() -> list[dict[str, Any]]:
    documents = load(MODULES / "grafana").resources("data")
    return policy_statements(documents[("aws_iam_policy_document", "grafana")])


def test_every_iam_action_listed_is_granted_and_every_datasource_action_is_listed() -> None:
    statements = _policy()
    # A condition key (kms:ViaService) is written like an action; the ones the policy uses are not actions.
    conditions = {c["variable"] for s in statements for c in s.get("condition", [])}
    listed = set(re.findall(r"`([a-z0-9-]+:[A-Z][A-Za-z]+)`", SECTION)) - conditions
    granted = {action for s in statements for action in as_list(s["actions"])}
    for_datasources = {a for s in statements if s["sid"] not in HOST_ONLY for a in as_list(s["actions"])}
    assert {s["sid"] for s in statements} >= HOST_ONLY
    assert listed, "the section lists no IAM action"
    assert not listed - granted, f"README lists actions infra/modules/grafana does not grant: {listed - granted}"
    assert not for_datasources - listed, f"README omits granted actions: {sorted(for_datasources - listed)}"


def test_the_token_variable_named_is_each_influxdb_environments() -> None:
    variables = {e.influxdb_token_env for e in load_config(REPO).environments.values() if e.influxdb_token_env}
    assert variables, "no environment reads an InfluxDB token"
    for name in variables:
        assert f"`{name}`" in SECTION and f"Token ${name}`" in " ".join(SECTION.split())


def _commands() -> dict[str, Any]:
    """Every `dash` leaf command by its full name ("build", "env import")."""
    found: dict[str, Any] = {}
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.update({f"{name} {sub}": c for sub, c in subcommands.items()})
        else:
            found[name] = command
    return found


def test_every_dash_command_in_the_section_exists_with_the_options_it_names() -> None:
    commands = _commands()
    written = [" ".join(m.split()) for m in re.findall(r"`dash ([^`]+)`", SECTION)]
    assert any(w.startswith("query ") for w in written), written
    for text in written:
        name = next((c for c in sorted(commands, key=len, reverse=True) if text.startswith(c)), None)
        assert name, f"README's `dash {text}` is no dash command"
        options = {o for param in commands[name].params for o in param.opts}
        unknown = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text)) - options
        assert not unknown, f"README's `dash {text}` names {sorted(unknown)}, not options of dash {name}"
