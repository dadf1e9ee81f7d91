"""The cloudwatch kind end to end: provisioned from dash.yaml with the host's role, a typo in a query file is a build
error at its line (nothing written), its settings are checked by name, and `dash query` says no local engine runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from core.errors import ConfigError
from dashcompiler.config import load_config
from kinds import KINDS
from tests.compiler.helpers import copy_shipped, run

ROOT = Path(__file__).resolve().parents[2]


def _edited(tmp_path: Path, edit: Any) -> Path:
    root = copy_shipped(tmp_path)
    document = yaml.safe_load((ROOT / "dash.yaml").read_text())
    edit(document["environments"][document["default_env"]])
    (root / "dash.yaml").write_text(yaml.safe_dump(document))
    return root


def test_the_kind_is_grafanas_builtin_cloudwatch_and_not_a_realtime_store() -> None:
    kind = KINDS["cloudwatch"]
    assert kind.plugin_id == "cloudwatch" and kind.realtime is None and kind.local_dialect is None


@pytest.mark.parametrize("env_name", ["prod", "staging"])
def test_provisioned_with_the_instance_role_and_no_secret(env_name: str) -> None:
    folder = load_config(ROOT).outputs[env_name]
    document = yaml.safe_load((ROOT / folder / "datasources" / "connect.yaml").read_text())
    (cloudwatch,) = [d for d in document["datasources"] if d["type"] == "cloudwatch"]
    env = load_config(ROOT).env(env_name)
    assert cloudwatch["uid"] == env.datasource_uids["cloudwatch"]
    assert cloudwatch["jsonData"] == {"authType": "default", "defaultRegion": env.aws_region}
    assert "secureJsonData" not in cloudwatch


def test_keys_auth_references_grafanas_environment_never_a_key(tmp_path: Path) -> None:
    root = _edited(tmp_path, lambda e: e.update(aws_auth="keys"))
    code, text = run("build", "--root", str(root), "--env", "prod", "--out", str(tmp_path / "out"))
    assert code == 0, text
    document = yaml.safe_load((tmp_path / "out" / "datasources" / "connect.yaml").read_text())
    (cloudwatch,) = [d for d in document["datasources"] if d["type"] == "cloudwatch"]
    assert cloudwatch["secureJsonData"] == {"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}


def test_a_typo_in_a_panel_is_a_build_error_at_its_line(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    query = root / "queries" / "cloudwatch" / "pipeline" / "dead_letters.yaml"
    query.write_text(query.read_text().replace("-collector-dlq", "-colector-dlq"))
    code, text = run("build", "--root", str(root))
    assert code == 2, text
    flat = " ".join(text.split())
    assert "queries/cloudwatch/pipeline/dead_letters.yaml:7:1: unknown-dimension-value" in flat
    assert "did you mean 'connect-analytics-collector-dlq'?" in flat
    assert not (root / "provisioning").exists()


def test_another_deployments_prefix_names_its_own_resources(tmp_path: Path) -> None:
    """The query files name resources through {{ name_prefix }}, so an environment's own prefix checks clean."""
    root = _edited(tmp_path, lambda e: e["cloudwatch"].update(name_prefix="cc-eu"))
    code, text = run("build", "--root", str(root), "--env", "prod", "--out", str(tmp_path / "out"))
    assert code == 0, text
    board = (tmp_path / "out" / "dashboards" / "connect-pipeline" / "connect-pipeline-health.json").read_text()
    assert '"cc-eu-collector"' in board and "connect-analytics-" not in board


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda e: e.pop("cloudwatch"), "lacks cloudwatch.name_prefix"),
        (
            lambda e: e["cloudwatch"].update(name_prefix="Connect_Analytics"),
            "cloudwatch.name_prefix 'Connect_Analytics'",
        ),
        (lambda e: e["cloudwatch"].update(name_prefx="x"), "unknown key 'name_prefx'; did you mean name_prefix?"),
        (lambda e: e["datasources"].pop("cloudwatch"), "lacks datasources.cloudwatch"),
    ],
)
def test_a_wrong_cloudwatch_setting_names_the_key(tmp_path: Path, edit: Any, message: str) -> None:
    root = _edited(tmp_path, edit)
    with pytest.raises(ConfigError, match=r"dash\.yaml: environment") as caught:
        load_config(root)
    assert message in str(caught.value)


def test_dash_query_says_no_local_engine_runs_a_cloudwatch_panel(tmp_path: Path) -> None:
    data = tmp_path / "sim"
    code, text = run("simulate", "--out", str(data), "--contacts", "5", "--agents", "3", "--hours", "1")
    assert code == 0, text
    code, text = run(
        "query", "connect-pipeline-health", "dead_letters", "--root", str(ROOT), "--engine", "local",
        "--data", str(data), "--from", "2026-02-01T00:00:00Z", "--to", "2026-02-01T01:00:00Z",
    )  # fmt: skip
    flat = " ".join(text.split())
    assert code == 2 and "reads Amazon CloudWatch" in flat and "no local engine exists" in flat, flat
