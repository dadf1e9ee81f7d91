"""`dash env import` writes Terraform's outputs into dash.yaml and keeps everything else."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from core.errors import ConfigError
from dashcompiler.config import load_config
from dashcompiler.env_import import import_environment
from tests.infra.hclconfig import INFRA, MODULES, ROOT, compact, load

VALUES = {
    "aws_region": "eu-central-1",
    "timestream_region": "eu-central-1",
    "connect_instance_id": "22222222-2222-2222-2222-222222222222",
    "realtime_store": "timestream",
    "influxdb_url": None,
    "influxdb_database": None,
    "influxdb_token_env": None,
    "timestream_database": "connect-analytics-test",
    "athena_catalog": "AwsDataCatalog",
    "athena_database": "connect_analytics_test",
    "athena_workgroup": "connect-analytics-test",
    "athena_output_location": "s3://connect-analytics-test-athena-results-123456789012/grafana/",
    "ctr_table": "contact_records",
    "grafana_provisioning_path": "/var/lib/grafana/provisioning",
}


def _outputs(tmp_path: Path, **overrides: Any) -> Path:
    """A `terraform output -json` file: {name: {sensitive, type, value}}, plus outputs dash does not use."""
    values = {**VALUES, "grafana_url": "http://203.0.113.10:3000/", **overrides}
    body = {k: {"sensitive": False, "type": "string", "value": v} for k, v in values.items() if v is not ...}
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "dash.yaml", repo / "dash.yaml")
    return repo


def test_import_updates_mapped_keys_and_keeps_the_rest(root: Path, tmp_path: Path) -> None:
    before = load_config(root)
    changes = import_environment(root, _outputs(tmp_path), "staging", overwrite=True).changes
    after = load_config(root)
    env = after.env("staging")
    assert (env.aws_region, env.timestream_database, env.athena_workgroup) == (
        "eu-central-1",
        "connect-analytics-test",
        "connect-analytics-test",
    )
    assert env.athena_output_location == VALUES["athena_output_location"]
    assert env.folders == before.env("staging").folders
    assert env.datasource_uids == before.env("staging").datasource_uids
    assert after.env("prod") == before.env("prod")
    assert {c.key for c in changes} >= {"aws_region", "timestream.database", "athena.output_location"}
    assert (root / "dash.yaml").read_text(encoding="utf-8").startswith("# Environments for `dash build --env NAME`")


def test_import_is_idempotent(root: Path, tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    import_environment(root, outputs, "staging", overwrite=True)
    assert import_environment(root, outputs, "staging", overwrite=True).changes == []


def test_new_environment_starts_from_the_default(root: Path, tmp_path: Path) -> None:
    import_environment(root, _outputs(tmp_path), "test")
    config = load_config(root)
    assert config.env("test").connect_instance_id == VALUES["connect_instance_id"]
    assert config.env("test").service_level_seconds == config.env("prod").service_level_seconds


def test_missing_output_is_named_and_nothing_is_written(root: Path, tmp_path: Path) -> None:
    before = (root / "dash.yaml").read_bytes()
    with pytest.raises(ConfigError, match="athena_workgroup"):
        import_environment(root, _outputs(tmp_path, athena_workgroup=...), "staging", overwrite=True)
    assert (root / "dash.yaml").read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == ["dash.yaml"], "no temporary file may be left behind"


def test_null_output_keeps_the_existing_value(root: Path, tmp_path: Path) -> None:
    import_environment(root, _outputs(tmp_path, timestream_database=None), "staging", overwrite=True)
    assert load_config(root).env("staging").timestream_database == "connect-analytics-staging"


def test_not_terraform_output_is_refused(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(VALUES), encoding="utf-8")
    with pytest.raises(ConfigError, match="terraform output -json"):
        import_environment(root, path, "staging", overwrite=True)


def test_every_mapped_output_is_a_root_output() -> None:
    from dashcompiler.env_import import OUTPUT_MAP

    declared = load(INFRA).named("output")
    assert {output for _, output in OUTPUT_MAP} <= set(declared)


def test_provisioning_path_follows_terraform_so_the_bundle_points_where_grafana_reads(
    root: Path, tmp_path: Path
) -> None:
    import_environment(root, _outputs(tmp_path), "staging", overwrite=True)
    assert load_config(root).env("staging").grafana_provisioning_path == "/var/lib/grafana/provisioning"
    with pytest.raises(ConfigError, match="grafana_provisioning_path"):
        import_environment(root, _outputs(tmp_path, grafana_provisioning_path=...), "staging", overwrite=True)
    infra = load(INFRA)
    output = infra.named("output")["grafana_provisioning_path"]
    assert compact(output["value"]) == "var.grafana_provisioning_path"
    assert compact(infra.named("module")["grafana"]["grafana_provisioning_path"]) == "var.grafana_provisioning_path"
    user_data = compact(load(MODULES / "grafana").locals()["user_data"])
    assert re.search(r"""["']?provisioning_path["']?[:=]["']?(\$\{)?var\.grafana_provisioning_path\b""", user_data), (
        user_data
    )


def test_cli_command(root: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["env", "import", str(_outputs(tmp_path)), "--env", "staging", "--overwrite", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert "staging.aws_region: eu-west-2 -> eu-central-1" in result.output
    missing = runner.invoke(
        app, ["env", "import", str(tmp_path / "nope.json"), "--env", "staging", "--root", str(root)]
    )
    assert missing.exit_code == 2
    assert yaml.safe_load((root / "dash.yaml").read_text(encoding="utf-8"))["environments"]["staging"]


def test_a_switch_to_influxdb_names_its_datasource_and_token_variable_and_drops_timestream(
    root: Path, tmp_path: Path
) -> None:
    outputs = _outputs(
        tmp_path, realtime_store="influxdb", influxdb_url="https://influx.example:8086", influxdb_database="connect"
    )
    changes = {c.key: (c.old, c.new) for c in import_environment(root, outputs, "staging", overwrite=True).changes}
    env = load_config(root).env("staging")
    assert (env.realtime_store, env.influxdb_url, env.influxdb_database) == (
        "influxdb",
        "https://influx.example:8086",
        "connect",
    )
    assert env.influxdb_token_env == "INFLUX_READ_TOKEN"
    assert set(env.datasource_uids) == {"influxdb", "athena"}
    assert changes["datasources.influxdb"] == (None, "connect-influxdb")
    assert changes["datasources.timestream"][1] is None


def test_a_committed_environment_is_rewritten_only_when_asked(root: Path, tmp_path: Path) -> None:
    before = (root / "dash.yaml").read_bytes()
    result = CliRunner().invoke(app, ["env", "import", str(_outputs(tmp_path)), "--env", "prod", "--root", str(root)])
    assert result.exit_code == 2
    assert "environment 'prod' is committed" in result.output and "--overwrite" in result.output
    assert (root / "dash.yaml").read_bytes() == before


def test_a_new_environment_gets_its_own_uids_and_titles_and_is_told_what_it_copied(root: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["env", "import", str(_outputs(tmp_path)), "--env", "eu", "--root", str(root)])
    assert result.exit_code == 0, result.output
    config = load_config(root)
    eu, prod = config.env("eu"), config.env("prod")
    assert set(eu.datasource_uids.values()).isdisjoint(prod.datasource_uids.values())
    assert set(eu.folders.values()).isdisjoint(prod.folders.values())
    assert eu.folders == {uid: f"{title} (eu)" for uid, title in prod.folders.items()}
    [told] = [line for line in result.output.splitlines() if line.startswith("eu is new")]
    assert "starts from prod" in told and "service_level_seconds" in told and "aws_auth" in told
    assert "connect_instance_id" not in told  # imported, not copied


def test_import_keeps_the_users_comments_order_and_quotes(root: Path, tmp_path: Path) -> None:
    path = root / "dash.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  staging:\n", "  # the pre-production account\n  staging:\n", 1)
    text = text.replace(
        "      connect-realtime: Contact centre - real time (staging)\n",
        "      connect-realtime: 'Contact centre - real time (staging)'  # as the wallboard says\n",
    )
    text = text.replace("      database: connect-analytics-staging\n", '      database: "connect-analytics-staging"\n')
    path.write_text(text, encoding="utf-8")
    import_environment(root, _outputs(tmp_path), "staging", overwrite=True)
    after = path.read_text(encoding="utf-8")
    changed = {f"{key.rsplit('.', 1)[-1]}:" for key in ("aws_region", "connect_instance_id", "timestream.database")}
    changed |= {"database:", "workgroup:", "output_location:", "grafana_provisioning_path:", "timestream_region:"}
    kept = [line for line in text.splitlines() if not any(line.strip().startswith(c) for c in changed)]
    assert [line for line in after.splitlines() if line in kept] == kept, "a line the import had no reason to touch"
    assert "  # the pre-production account\n" in after
    assert "      connect-realtime: 'Contact centre - real time (staging)'  # as the wallboard says\n" in after
    assert '      database: "connect-analytics-test"\n' in after  # a changed value keeps its quotes


def test_building_one_environment_into_anothers_committed_folder_is_refused(root: Path, tmp_path: Path) -> None:
    (root / "provisioning").mkdir()
    (root / "provisioning" / "kept.json").write_text("{}")
    result = CliRunner().invoke(
        app, ["build", "--env", "staging", "--out", str(root / "provisioning"), "--root", str(root)]
    )
    assert result.exit_code == 2
    assert "is environment 'prod''s committed folder" in result.output
    assert [p.name for p in (root / "provisioning").iterdir()] == ["kept.json"]
