"""`dash push` without --bundle: the repository is built and checked in memory for --env, then pushed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from dashcompiler.compile import compile_model
from tests.compiler.helpers import PROJECT, copy_project
from tests.grafana.conftest import ADMIN_TOKEN
from tests.grafana.emulator import GrafanaEmulator


def _push(root: Path, url: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["push", "--grafana-url", url, "--root", str(root), *extra], env={"GRAFANA_TOKEN": ADMIN_TOKEN}
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
