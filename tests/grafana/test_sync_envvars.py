"""Datasource values read as Grafana's file provisioning reads them (values.interpolateValue), then pushed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from core.errors import BundleError
from grafana_sync.envvars import Expansion, expand, expand_item
from tests.compiler.helpers import copy_project
from tests.grafana.bundles import datasources_yaml, make_bundle
from tests.grafana.conftest import ADMIN_TOKEN, SECRETS
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import PROJECT_ALERT_ENV, assert_state_equals_bundle, push_engine, summary

ENV = {"A": "x", "NESTED": "$A", "EMPTY": ""}


@pytest.mark.parametrize(
    ("raw", "expected", "unset"),
    [
        ("${A}", "x", ()),
        ("$A/b", "x/b", ()),
        ("$__env{A}", "x", ()),
        ("pre$$A", "pre$A", ()),  # $$ is a literal $
        ("$$$A", "$x", ()),
        ("$$$$", "$$", ()),
        ("cost $", "cost $", ()),  # a $ at the end, or before no name, stays
        ("a $ b", "a $ b", ()),
        ("x${}y${", "xy", ()),  # bad syntax is dropped, as Go's os.Expand drops it
        ("${EMPTY}", "", ()),
        ("${NOPE}-$1", "-", ("NOPE", "1")),  # unset reads as empty; $1 is a one-character name
        ("${NESTED}", "x", ()),  # Grafana's ${} expander output goes through os.ExpandEnv again
        ("$NESTED", "$A", ()),  # os.ExpandEnv alone makes one pass
    ],
)
def test_a_value_expands_as_grafana_provisioning_expands_it(raw: str, expected: str, unset: tuple[str, ...]) -> None:
    assert expand(raw, ENV, "here") == Expansion(expected, unset)


def test_expanders_that_read_grafanas_host_are_refused() -> None:
    with pytest.raises(BundleError, match=r"here: '\$__file\{/etc/secret\}' is read on Grafana's host"):
        expand("$__file{/etc/secret}", ENV, "here")


def test_bool_fields_parse_after_expansion_and_a_non_boolean_is_an_error() -> None:
    item, warnings = expand_item(
        {"isDefault": "${ON}", "jsonData": {"n": 3, "l": ["$A", True]}}, {"ON": "t", "A": "x"}, "f"
    )
    assert item == {"isDefault": True, "jsonData": {"n": 3, "l": ["x", True]}} and warnings == []
    with pytest.raises(BundleError, match=r"f\.basicAuth: '\$\{OFF\}' reads as '', which is not a boolean"):
        expand_item({"basicAuth": "${OFF}"}, {}, "f")


def _bundle_with(**athena: object) -> dict[str, bytes]:
    doc = yaml.safe_load(datasources_yaml())
    doc["datasources"][1]["jsonData"].update(athena.pop("jsonData", {}))
    doc["datasources"][1].update(athena)
    return {**make_bundle(2), "datasources/connect.yaml": yaml.safe_dump(doc).encode()}


def test_every_datasource_value_reaches_grafana_expanded_and_a_repush_makes_no_writes(
    emulator: GrafanaEmulator,
) -> None:
    files = _bundle_with(
        url="https://$ATHENA_HOST/",
        user="${ATHENA_USER}",
        jsonData={"workgroup": "${ATHENA_WORKGROUP}", "outputLocation": "s3://results/$$LATEST/"},
    )
    environ = {"ATHENA_WORKGROUP": "connect-prod", "ATHENA_HOST": "athena.eu-west-2.amazonaws.com", "ATHENA_USER": "u"}
    code, _, err = push_engine(emulator, files, environ=environ)
    assert code == 0 and "warning" not in err
    athena = emulator.state.datasources["connect-athena"]
    assert (athena["url"], athena["user"]) == ("https://athena.eu-west-2.amazonaws.com/", "u")
    assert athena["jsonData"]["workgroup"] == "connect-prod"
    assert athena["jsonData"]["outputLocation"] == "s3://results/$LATEST/"
    assert athena["_secure"]["secretKey"] == SECRETS["CONNECT_ATHENA_SECRET_KEY"]
    emulator.reset_log()
    code, out, _ = push_engine(emulator, files, environ=environ)
    assert code == 0 and emulator.writes() == []
    assert summary(out)["datasources"]["unchanged"] == 2
    code, out, _ = push_engine(emulator, files, environ={**environ, "ATHENA_WORKGROUP": "connect-dr"}, dry_run=True)
    assert code == 0 and "changes: jsonData" in out and emulator.writes() == []


def test_an_unset_variable_outside_secure_json_data_reads_as_empty_with_a_warning_naming_it(
    emulator: GrafanaEmulator,
) -> None:
    files = _bundle_with(jsonData={"workgroup": "wg-${ATHENA_SUFFIX}"})
    code, _, err = push_engine(emulator, files)
    assert code == 0
    assert emulator.state.datasources["connect-athena"]["jsonData"]["workgroup"] == "wg-"
    assert "warning: datasources/connect.yaml: datasources[1].jsonData.workgroup references ${ATHENA_SUFFIX}" in err
    assert_state_equals_bundle(emulator, files)


def test_a_built_literal_dollar_reaches_grafana_as_one_dollar(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    """`dash build` writes a `$` from dash.yaml as `$$`; Grafana's provisioning, and so the push, read one `$`."""
    root = copy_project(tmp_path)
    config = root / "dash.yaml"
    config.write_text(config.read_text().replace("s3://cc-test-results/", "s3://cc-test-results/$run/", 1))
    args = ["push", "--grafana-url", emulator.url, "--root", str(root), "--env", "test"]
    env = {"GRAFANA_TOKEN": ADMIN_TOKEN, **PROJECT_ALERT_ENV}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert emulator.state.datasources["athena-test"]["jsonData"]["outputLocation"] == "s3://cc-test-results/$run/"
    emulator.reset_log()
    assert CliRunner().invoke(app, args, env=env).exit_code == 0
    assert emulator.writes() == []
