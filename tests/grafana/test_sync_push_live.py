"""`dash push` against what a live Grafana does: migrated dashboards, folder clashes, echoed bodies, slow answers."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import pytest

from tests.grafana.bundles import FOLDERS, dashboard, make_bundle, with_dashboard
from tests.grafana.conftest import SECRETS
from tests.grafana.emulator import GRAFANA_VERSION, LATEST_SCHEMA_VERSION, Faults, GrafanaEmulator
from tests.grafana.helpers import assert_state_equals_bundle, counts, push_engine, run_cli, summary, write_bundle


def _with_collapsed_row(uid: str) -> dict:
    """A dashboard at an old schemaVersion whose last row is collapsed, holding its panels inside it."""
    model = dashboard(uid, "Nested", realtime=True)
    model["schemaVersion"] = 27
    inner = copy.deepcopy(model["panels"][1]) | {"id": 51, "gridPos": {"h": 8, "w": 12, "x": 0, "y": 42}}
    row = {"id": 50, "type": "row", "title": "More", "collapsed": True, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 41}}
    model["panels"].append(row | {"panels": [inner]})
    return model


def test_a_grafana_that_returns_the_migrated_form_gets_no_writes_and_keeps_the_push_marker(
    emulator: GrafanaEmulator,
) -> None:
    files = with_dashboard(make_bundle(2), "connect-realtime", _with_collapsed_row("nested"))
    assert push_engine(emulator, files)[0] == 0
    stored = emulator.state.dashboards["nested"]["dashboard"]
    assert (stored["schemaVersion"], stored["version"]) == (LATEST_SCHEMA_VERSION, 1) and stored["id"]
    panels = [*stored["panels"], *stored["panels"][-1]["panels"]]
    assert {p.get("pluginVersion") for p in panels if p["type"] != "row"} == {GRAFANA_VERSION}
    emulator.reset_log()
    code, out, _ = push_engine(emulator, files)
    assert code == 0 and emulator.writes() == []
    assert summary(out)["dashboards"] == counts(unchanged=3)
    changed = _with_collapsed_row("nested")
    changed["panels"][-1]["panels"][0]["targets"][0]["rawQuery"] += "\nLIMIT 5"
    changed_files = with_dashboard(files, "connect-realtime", changed)
    code, out, err = push_engine(emulator, changed_files)
    assert code == 0, err  # the migrated live copy still matches its marker: an update, not "changed in Grafana"
    assert summary(out)["dashboards"] == counts(updated=1, unchanged=2)
    assert_state_equals_bundle(emulator, changed_files)


def _folder_in_grafana(emulator: GrafanaEmulator, uid: str, title: str, version: int) -> None:
    """A folder someone made or renamed in Grafana before the push."""
    emulator.state.folders[uid] = {
        "id": 40,
        "uid": uid,
        "title": title,
        "url": f"/dashboards/f/{uid}/",
        "version": version,
    }


def test_a_folder_grafana_holds_under_another_title_is_renamed_before_any_dashboard(emulator: GrafanaEmulator) -> None:
    _folder_in_grafana(emulator, "connect-history", "Renamed in the UI", version=3)
    files = make_bundle(4)
    code, out, err = push_engine(emulator, files)
    assert code == 0, err
    assert summary(out)["folders"] == counts(created=1, updated=1)
    writes = [(e.method, e.path) for e in emulator.writes()]
    first_dashboard = writes.index(("POST", "/api/dashboards/db"))
    assert ("PUT", "/api/folders/connect-history") in writes[:first_dashboard]
    assert emulator.state.folders["connect-history"]["version"] == 4
    assert_state_equals_bundle(emulator, files)


def test_a_folder_title_taken_by_another_uid_fails_that_folder_and_its_dashboards_only(
    emulator: GrafanaEmulator,
) -> None:
    title = FOLDERS["connect-history"]
    _folder_in_grafana(emulator, "made-by-hand", title, version=1)
    code, out, err = push_engine(emulator, make_bundle(4))
    assert code == 1
    assert (
        f"failed: folder connect-history ({title}): POST /api/folders: HTTP 409: a folder or dashboard in the general "
        f"folder with the same name already exists; another folder is titled {title!r}: rename or delete it in "
        "Grafana, or give this folder another title in the repository"
    ) in err
    assert "failed: dashboard dash-0001 (Dashboard 0001): folder 'connect-history' could not be written" in err
    assert summary(out)["dashboards"] == counts(created=2, failed=2)
    assert {uid for uid, d in emulator.state.dashboards.items() if d["folderUid"] == "connect-realtime"} == {
        "dash-0000",
        "dash-0002",
    }


def test_a_grafana_error_that_echoes_the_request_body_never_prints_a_secret(
    emulator: GrafanaEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    write_bundle(tmp_path, make_bundle(2))
    emulator.set_faults(Faults(rate=1.0, kinds=("echo",), only=r"POST /api/datasources"))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert result.exit_code == 1
    failure = next(line for line in result.stderr.splitlines() if line.startswith("failed: datasource connect-athena"))
    assert "HTTP 400: invalid request body: " in failure and '"secretKey": "***"' in failure  # echoed, masked
    for secret in SECRETS.values():
        assert secret not in result.stdout + result.stderr + caplog.text


def test_timeout_bounds_every_request(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    files = make_bundle(2)
    push_engine(emulator, files)
    write_bundle(tmp_path, files)
    slow = r"GET /api/dashboards/uid/dash-0001"
    emulator.set_faults(Faults(rate=1.0, kinds=("slow",), slow_seconds=1.5, only=slow))
    emulator.reset_log()
    args = ("push", "--dry-run", "--grafana-url", emulator.url, "--retries", "2")
    result = run_cli(tmp_path, *args, "--timeout", "0.2")
    assert result.exit_code == 3
    unreadable = "unreadable: dashboard dash-0001: GET /api/dashboards/uid/dash-0001 kept failing (no answer within"
    assert f"{unreadable} --timeout)" in result.stderr
    assert len([e for e in emulator.log if e.path == "/api/dashboards/uid/dash-0001"]) == 2  # --retries attempts
    emulator.reset_log()
    patient = run_cli(tmp_path, *args, "--timeout", "5")
    assert patient.exit_code == 0, patient.stderr
    assert len([e for e in emulator.log if e.path == "/api/dashboards/uid/dash-0001"]) == 1
