"""`dash push` without --bundle: the repository is built and checked in memory for --env, then pushed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from dashcompiler.compile import compile_model
from grafana_sync.bundle import read_bundle_dir
from tests.compiler.helpers import PROJECT, copy_project
from tests.conftest import ROOT
from tests.grafana.conftest import ADMIN_TOKEN
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import PROJECT_ALERT_ENV


def _push(root: Path, url: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["push", "--grafana-url", url, "--root", str(root), *extra],
        env={"GRAFANA_TOKEN": ADMIN_TOKEN, **PROJECT_ALERT_ENV},
    )
    return result.exit_code, result.output


def test_push_builds_the_environment_in_memory_and_a_repush_writes_nothing(emulator: GrafanaEmulator) -> None:
    code, text = _push(PROJECT, emulator.url, "--env", "test")
    assert code == 0, text
    built = {b.uid: b for b in compile_model(PROJECT, "test").dashboards}
    assert set(emulator.state.dashboards) == set(built)
    for uid, board in built.items():
        stored = emulator.state.dashboards[uid]
        assert stored["folderUid"] == board.folder_uid
        assert [p["id"] for p in stored["dashboard"]["panels"]] == [p["id"] for p in board.json["panels"]]
    assert set(emulator.state.folders) == {"cc-live", "cc-history"}
    assert set(emulator.state.datasources) == {"ts-test", "athena-test", "cloudwatch-test"}
    rules = {r.uid: r for g in compile_model(PROJECT, "test").alerts for r in g.rules}
    assert set(emulator.alerting.rules) == set(rules) and rules
    assert (
        emulator.alerting.points["connect-alerts-sns"]["settings"]["topic_arn"] == PROJECT_ALERT_ENV["CC_ALERT_TOPIC"]
    )
    assert emulator.alerting.policy["receiver"] == "connect-alerts"
    emulator.reset_log()
    code, text = _push(PROJECT, emulator.url, "--env", "test")
    assert code == 0, text
    assert emulator.writes() == []


def test_push_refuses_a_repository_whose_queries_fail_the_checks(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    query = root / "queries" / "athena" / "handled.sql"
    query.write_text(query.read_text().replace("queue.duration", "queue.dur"))
    code, text = _push(root, emulator.url)
    assert code == 2 and "unknown field dur in queue" in text
    assert emulator.writes() == [] and json.dumps(emulator.state.dashboards) == "{}"


@pytest.mark.parametrize(
    ("bundle", "environ"),
    [
        ("provisioning", {"ALERT_EMAIL_ADDRESSES": "ops@example.com"}),
        ("provisioning-staging", {"ALERT_SNS_TOPIC_ARN": "arn:aws:sns:eu-west-2:123456789012:connect-alerts"}),
    ],
)
def test_the_shipped_alerting_files_push_whole_and_then_compare_equal(
    emulator: GrafanaEmulator, bundle: str, environ: dict[str, str]
) -> None:
    """Each committed environment's rules, contact point and policy tree as `dash build` wrote them."""
    files = read_bundle_dir(ROOT / bundle)
    expected = {r["uid"] for g in yaml.safe_load(files["alerting/rules.yaml"])["groups"] for r in g["rules"]}
    env = {"GRAFANA_TOKEN": ADMIN_TOKEN, "INFLUX_READ_TOKEN": "influx-read-token-0123", **environ}
    result = CliRunner().invoke(
        app, ["push", "--grafana-url", emulator.url, "--bundle", bundle, "--root", str(ROOT)], env=env
    )
    assert result.exit_code == 0, result.output
    assert set(emulator.alerting.rules) == expected
    assert {r["provenance"] for r in emulator.alerting.rules.values()} == {"api"}
    assert emulator.alerting.policy["receiver"] == "connect-alerts"
    emulator.reset_log()
    diff = CliRunner().invoke(
        app, ["diff", "--grafana-url", emulator.url, "--bundle", bundle, "--root", str(ROOT)], env=env
    )
    assert diff.exit_code == 0, diff.output
    assert f"0 of {len(expected)} alert rules differ" in diff.output
    assert emulator.writes() == []
