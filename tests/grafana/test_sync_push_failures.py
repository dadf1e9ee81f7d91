"""`dash push`, `--dry-run` and `dash diff` when Grafana fails on one object: that object fails, the rest go on."""

from __future__ import annotations

import json
from pathlib import Path

from grafana_sync.apply import apply_plan
from grafana_sync.bundle import parse_bundle
from grafana_sync.connection import Grafana, Settings
from grafana_sync.plan import Scope, make_plan
from grafana_sync.push import resolve_secrets
from tests.grafana.bundles import make_bundle
from tests.grafana.conftest import ADMIN_TOKEN, SECRETS
from tests.grafana.emulator import Faults, GrafanaEmulator
from tests.grafana.helpers import FAST_RETRIES, counts, plan_ops, push_engine, run_cli, summary, write_bundle

KEEPS_FAILING = Faults(rate=1.0, kinds=("5xx",), only=r"GET /api/dashboards/uid/dash-0001")
UNREADABLE = "GET /api/dashboards/uid/dash-0001 kept failing (HTTP 503: emulated fault)"


def test_a_dashboard_grafana_keeps_failing_to_return_fails_alone(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    push_engine(emulator, make_bundle(3))
    changed = make_bundle(3, sql_suffix=" AND 1 = 1")
    emulator.set_faults(KEEPS_FAILING)
    code, out, err = push_engine(emulator, changed)
    assert code == 1
    assert f"failed: dashboard dash-0001 (Dashboard 0001): {UNREADABLE}" in err
    assert summary(out)["dashboards"] == counts(updated=2, failed=1)
    assert "AND 1 = 1" not in json.dumps(emulator.state.dashboards["dash-0001"])
    write_bundle(tmp_path, changed)
    dry_run = run_cli(tmp_path, "push", "--dry-run", "--grafana-url", emulator.url, "--retries", "2")
    assert dry_run.exit_code == 3 and plan_ops(dry_run.stdout)["dash-0001"] == "unreadable"
    diff = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, "--retries", "2")
    assert diff.exit_code == 3 and "0 of 2 dashboards differ" in diff.stdout  # the two it could read
    for result in (dry_run, diff):
        assert f"unreadable: dashboard dash-0001: {UNREADABLE}" in result.stderr
        assert "Traceback" not in result.stdout + result.stderr


def test_a_conflict_then_an_unreadable_dashboard_fails_that_dashboard(emulator: GrafanaEmulator) -> None:
    push_engine(emulator, make_bundle(2))
    bundle = parse_bundle(make_bundle(2, sql_suffix=" AND 1 = 1"))
    grafana = Grafana(Settings(emulator.url, token=ADMIN_TOKEN), FAST_RETRIES)
    plan = make_plan(grafana, bundle, Scope(), concurrency=2)
    emulator.edit_dashboard("dash-0001", {"title": "Edited between plan and push"})
    emulator.set_faults(KEEPS_FAILING)
    outcomes = apply_plan(grafana, plan, resolve_secrets(bundle, SECRETS), force=False, concurrency=2)
    assert sorted((o.uid, o.result, o.detail) for o in outcomes if o.kind == "dashboard") == [
        ("dash-0000", "updated", ""),
        (
            "dash-0001",
            "failed",
            "POST /api/dashboards/db answered a conflict (HTTP 412: The dashboard has been changed by someone else), "
            f"then {UNREADABLE}; it was left as is, push again when Grafana recovers",
        ),
    ]
    assert emulator.state.dashboards["dash-0001"]["dashboard"]["title"] == "Edited between plan and push"


def test_a_403_on_a_datasource_made_read_only_after_the_plan_is_reported_and_the_push_goes_on(
    emulator: GrafanaEmulator,
) -> None:
    files = make_bundle(2)
    push_engine(emulator, files)
    emulator.state.datasources["connect-athena"]["jsonData"] = {"workgroup": "changed-in-grafana"}
    bundle = parse_bundle(make_bundle(2, sql_suffix=" AND 1 = 1"))
    grafana = Grafana(Settings(emulator.url, token=ADMIN_TOKEN), FAST_RETRIES)
    plan = make_plan(grafana, bundle, Scope(), concurrency=2)
    emulator.state.datasources["connect-athena"]["readOnly"] = True  # provisioned from files meanwhile
    outcomes = apply_plan(grafana, plan, resolve_secrets(bundle, SECRETS), force=False, concurrency=2)
    refused = [e for e in emulator.log if (e.method, e.path) == ("PUT", "/api/datasources/uid/connect-athena")]
    assert [e.status for e in refused] == [403]
    athena = next(o for o in outcomes if o.uid == "connect-athena")
    assert (athena.result, athena.detail) == (
        "read-only",
        "PUT /api/datasources/uid/connect-athena: HTTP 403: Cannot modify read-only data source; "
        "provisioned read-only in Grafana, left as is",
    )
    assert sorted(o.result for o in outcomes if o.kind == "dashboard") == ["updated", "updated"]
    assert emulator.state.datasources["connect-athena"]["jsonData"] == {"workgroup": "changed-in-grafana"}


def test_a_dashboard_grafana_refuses_fails_the_push_with_exit_1(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    files = make_bundle(3)
    push_engine(emulator, make_bundle(1))  # creates the folders and dash-0000
    squatter = {"uid": "someone-elses", "title": "Dashboard 0001", "panels": []}  # dash-0001's title, same folder
    grafana = Grafana(Settings(emulator.url, token=ADMIN_TOKEN), FAST_RETRIES)
    grafana.call(
        "POST /api/dashboards/db",
        lambda api: api.dashboard.update_dashboard({"dashboard": squatter, "folderUid": "connect-history"}),
    )
    write_bundle(tmp_path, files)
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert result.exit_code == 1
    assert (
        "failed: dashboard dash-0001 (Dashboard 0001): another dashboard titled 'Dashboard 0001' exists in folder "
        "'connect-history'; rename one of them"
    ) in result.stderr
    assert summary(result.stdout)["dashboards"] == counts(created=1, unchanged=1, failed=1)
    assert "dash-0001" not in emulator.state.dashboards
