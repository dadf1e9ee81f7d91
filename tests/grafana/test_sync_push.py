"""`dash push` against the emulator: convergence under faults, idempotence, safety, and errors."""

from __future__ import annotations

import io
import json
import logging
import socket
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from grafana_sync.apply import Outcome
from grafana_sync.plan import Scope
from grafana_sync.report import summary_table
from tests.grafana.bundles import dashboard, datasources_yaml, make_bundle, model_of, with_dashboard
from tests.grafana.conftest import ADMIN_TOKEN, BASIC_USER, EDITOR_TOKEN, SECRETS, VIEWER_TOKEN, serving
from tests.grafana.emulator import Faults, GrafanaEmulator
from tests.grafana.helpers import (
    assert_state_equals_bundle,
    counts,
    plan_ops,
    push_engine,
    run_cli,
    summary,
    write_bundle,
)


def test_first_push_creates_folders_before_dashboards_and_matches_the_bundle(emulator: GrafanaEmulator) -> None:
    files = make_bundle(12)
    code, out, _ = push_engine(emulator, files)
    assert code == 0
    assert_state_equals_bundle(emulator, files)
    writes = [(e.method, e.path) for e in emulator.writes()]
    first_dashboard = writes.index(("POST", "/api/dashboards/db"))
    assert {w for w in writes[:first_dashboard] if w[1] == "/api/folders"} == {("POST", "/api/folders")}
    assert sum(w == ("POST", "/api/folders") for w in writes[:first_dashboard]) == 2
    assert {s: v for s, v in emulator.state.datasources["connect-athena"]["_secure"].items()} == {
        "accessKey": SECRETS["CONNECT_ATHENA_ACCESS_KEY"],
        "secretKey": SECRETS["CONNECT_ATHENA_SECRET_KEY"],
    }
    assert set(emulator.org_headers) == {"1"}
    assert summary(out) == {
        "folders": counts(created=2),
        "datasources": counts(created=2),
        "dashboards": counts(created=12),
    }


def test_an_unchanged_repush_makes_no_writes(emulator: GrafanaEmulator) -> None:
    files = make_bundle(10)
    assert push_engine(emulator, files)[0] == 0
    emulator.reset_log()
    code, out, _ = push_engine(emulator, files)
    assert code == 0
    assert emulator.writes() == []
    assert summary(out) == {
        "folders": counts(unchanged=2),
        "datasources": counts(unchanged=2),
        "dashboards": counts(unchanged=10),
    }


def test_datasource_settings_grafana_keeps_make_no_writes_on_a_repush(emulator: GrafanaEmulator) -> None:
    doc = yaml.safe_load(datasources_yaml())
    doc["datasources"][0].update(isDefault=True, url="https://timestream.eu-west-1.amazonaws.com", database="unused")
    doc["datasources"][1].update(basicAuth=False, withCredentials=True, user="grafana")
    files = {**make_bundle(2), "datasources/connect.yaml": yaml.safe_dump(doc).encode()}
    assert push_engine(emulator, files)[0] == 0
    timestream = emulator.state.datasources["connect-timestream"]
    assert (timestream["isDefault"], timestream["database"]) == (True, "unused")
    assert emulator.state.datasources["connect-athena"]["withCredentials"] is True
    emulator.reset_log()
    code, out, _ = push_engine(emulator, files)
    assert code == 0 and emulator.writes() == []
    assert summary(out)["datasources"] == counts(unchanged=2)


def test_push_converges_under_twenty_percent_faults(emulator: GrafanaEmulator) -> None:
    emulator.set_faults(Faults(rate=0.2, slow_seconds=0.6, seed=24))
    files = make_bundle(24)
    code, out, err = push_engine(emulator, files, timeout=0.3)
    assert code == 0, err
    assert summary(out)["dashboards"] == counts(created=24)
    faults = {e.fault for e in emulator.log if e.fault}
    assert faults == {"5xx", "429", "slow", "drop-before", "drop-after"}  # the run met every kind (seeded)
    assert_state_equals_bundle(emulator, files)
    emulator.set_faults(Faults())
    emulator.reset_log()
    assert push_engine(emulator, files)[0] == 0
    assert emulator.writes() == []


def test_a_dashboard_edited_in_grafana_is_not_overwritten_without_force(emulator: GrafanaEmulator) -> None:
    files = make_bundle(4)
    push_engine(emulator, files)
    emulator.edit_dashboard("dash-0001", {"title": "Edited in the UI"})
    changed = make_bundle(4, sql_suffix=" AND 1 = 1")
    code, out, err = push_engine(emulator, changed)
    assert code == 1
    assert "skipped: dashboard dash-0001 (Dashboard 0001): changed in Grafana since the last push" in err
    assert "--force" in err
    assert summary(out)["dashboards"] == counts(updated=3, skipped=1)
    assert emulator.state.dashboards["dash-0001"]["dashboard"]["title"] == "Edited in the UI"
    assert "AND 1 = 1" in json.dumps(emulator.state.dashboards["dash-0002"]["dashboard"])  # the others updated
    code, out, _ = push_engine(emulator, changed, Scope(force=True))
    assert code == 0
    assert summary(out)["dashboards"] == counts(updated=1, unchanged=3)
    assert_state_equals_bundle(emulator, changed)


def test_dry_run_prints_the_plan_with_panel_changes_and_writes_nothing(emulator: GrafanaEmulator) -> None:
    files = make_bundle(4)
    push_engine(emulator, files)
    model = model_of(files, "dash-0000")
    model["panels"][1]["targets"][0]["rawQuery"] += "\nLIMIT 10"
    model["panels"][2]["gridPos"]["y"] = 40
    changed = with_dashboard(files, "connect-realtime", model)
    changed = with_dashboard(changed, "connect-history", dashboard("new-one", "New one", realtime=False))
    emulator.reset_log()
    code, out, _ = push_engine(emulator, changed, dry_run=True)
    assert code == 0 and emulator.writes() == []
    assert plan_ops(out) == {
        "dash-0000": "update",
        "dash-0001": "unchanged",
        "dash-0002": "unchanged",
        "dash-0003": "unchanged",
        "new-one": "create",
    }
    assert "~ panel 2 'Panel 0' changed: targets.A.rawQuery" in out
    assert "> panel 3 'Panel 1' moved" in out


def test_dry_run_on_an_empty_grafana_counts_every_object_it_would_create(emulator: GrafanaEmulator) -> None:
    files = make_bundle(3)
    code, out, _ = push_engine(emulator, files, dry_run=True)
    assert code == 0 and emulator.writes() == []
    folders = out.split("Folders:\n")[1].split("Datasources:")[0].count(" create ")
    datasources = out.split("Datasources:\n")[1].split("Dashboards:")[0].count(" create ")
    assert folders and datasources
    expected = f"Plan: {folders} folder{'s' if folders > 1 else ''} to create; {datasources} datasources to create; "
    assert expected + "3 dashboards to create" in out


def test_only_pushes_the_named_dashboards_and_prune_deletes_what_the_repository_dropped(
    emulator: GrafanaEmulator,
) -> None:
    files = make_bundle(4)
    code, _, _ = push_engine(emulator, files, Scope(only=frozenset({"dash-0002"})))
    assert code == 0 and set(emulator.state.dashboards) == {"dash-0002"}
    push_engine(emulator, files)
    fewer = {k: v for k, v in files.items() if not k.endswith("dash-0003.json")}
    code, out, _ = push_engine(emulator, fewer, dry_run=True)
    assert plan_ops(out)["dash-0003"] == "not-in-repository"
    code, out, _ = push_engine(emulator, fewer, Scope(prune=True), dry_run=True)
    assert plan_ops(out)["dash-0003"] == "delete"
    assert "dash-0003" in emulator.state.dashboards
    code, out, _ = push_engine(emulator, fewer, Scope(prune=True))
    assert code == 0 and "dash-0003" not in emulator.state.dashboards
    assert summary(out)["dashboards"] == counts(unchanged=3, deleted=1)
    assert_state_equals_bundle(emulator, fewer)


def test_a_read_only_datasource_is_reported_not_written(emulator: GrafanaEmulator) -> None:
    emulator.state.datasources["connect-athena"] = {
        "id": 99,
        "uid": "connect-athena",
        "orgId": 1,
        "name": "Connect Athena",
        "type": "grafana-athena-datasource",
        "access": "proxy",
        "url": "",
        "jsonData": {"workgroup": "provisioned-elsewhere"},
        "version": 3,
        "readOnly": True,
        "_secure": {},
    }
    code, out, err = push_engine(emulator, make_bundle(2))
    assert code == 1  # it differs and was not applied
    assert "read-only: datasource connect-athena (Connect Athena): provisioned read-only in Grafana" in err
    assert summary(out)["datasources"] == counts(created=1, read_only=1)
    assert not [e for e in emulator.writes() if "connect-athena" in e.path]
    assert emulator.state.datasources["connect-athena"]["jsonData"] == {"workgroup": "provisioned-elsewhere"}


def test_a_datasource_name_taken_by_another_uid_fails_the_push(emulator: GrafanaEmulator) -> None:
    emulator.state.datasources["someone-else"] = {
        "id": 98,
        "uid": "someone-else",
        "orgId": 1,
        "name": "Connect Timestream",
        "type": "grafana-timestream-datasource",
        "access": "proxy",
        "url": "",
        "jsonData": {},
        "version": 1,
        "readOnly": False,
        "_secure": {},
    }
    code, out, err = push_engine(emulator, make_bundle(2))
    assert code == 1
    assert "failed: datasource connect-timestream (Connect Timestream): POST /api/datasources: HTTP 409" in err
    assert "already exists" in err
    assert summary(out)["datasources"] == counts(created=1, failed=1)


def test_secrets_never_reach_stdout_stderr_or_logs(
    emulator: GrafanaEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    write_bundle(tmp_path, make_bundle(4))
    emulator.set_faults(Faults(rate=0.2, kinds=("5xx", "429"), seed=3))
    results = [
        run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--dry-run"),
        run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--retries", "8"),
        run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--update-secrets", "--retries", "8"),
        run_cli(tmp_path, "diff", "--grafana-url", emulator.url),
        run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--token", "wrong-token", "--retries", "1"),
    ]
    assert [r.exit_code for r in results] == [0, 0, 0, 0, 3]
    assert emulator.state.datasources["connect-athena"]["_secure"]["secretKey"] == SECRETS["CONNECT_ATHENA_SECRET_KEY"]
    captured = "".join(r.stdout + r.stderr for r in results) + caplog.text
    for secret in [*SECRETS.values(), ADMIN_TOKEN, "wrong-token"]:
        assert secret not in captured


def test_an_unset_secret_variable_is_a_usage_error_naming_it(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(2))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, env={"CONNECT_ATHENA_SECRET_KEY": None})
    assert result.exit_code == 2
    assert "CONNECT_ATHENA_SECRET_KEY" in result.stderr and "datasources/connect.yaml" in result.stderr
    assert emulator.log == []  # checked before any request


@pytest.mark.parametrize(
    ("token", "expected"),
    [("not-a-token", "rejected the credentials (401"), (VIEWER_TOKEN, "lack rights (403")],
)
def test_bad_credentials_stop_with_one_message_and_exit_3(
    emulator: GrafanaEmulator, tmp_path: Path, token: str, expected: str
) -> None:
    write_bundle(tmp_path, make_bundle(2))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, env={"GRAFANA_TOKEN": token})
    assert result.exit_code == 3
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) <= 3
    assert emulator.state.dashboards == {}


def test_an_editor_token_stops_at_the_datasources_before_any_dashboard(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    write_bundle(tmp_path, make_bundle(2))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, env={"GRAFANA_TOKEN": EDITOR_TOKEN})
    assert result.exit_code == 3
    assert "403" in result.stderr and "datasources" in result.stderr
    assert emulator.state.dashboards == {}


def test_unreachable_and_unhealthy_grafana_exit_3(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(1))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = run_cli(tmp_path, "push", "--grafana-url", f"http://127.0.0.1:{closed_port}", "--retries", "1")
    assert result.exit_code == 3 and "cannot reach Grafana" in result.stderr
    emulator.healthy = False
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--retries", "1")
    assert result.exit_code == 3 and "unhealthy" in result.stderr


def test_basic_auth_with_the_password_from_the_environment(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(2))
    user, password = BASIC_USER
    result = run_cli(
        tmp_path, "push", "--grafana-url", emulator.url, "--user", user, env={"GRAFANA_PASSWORD": password}
    )
    assert result.exit_code == 0, result.stderr
    assert all(a.startswith("Basic ") for a in emulator.authorizations)
    assert password not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--insecure", "--ca-cert", "ca.pem"],
        ["--only", "no-such-dashboard"],
        ["--only", "dash-0000", "--prune"],
        ["--concurrency", "0"],
        ["--org-id", "0"],  # grafana-client would send no X-Grafana-Org-Id, so the token's default org
        ["--timeout", "0"],
    ],
)
def test_contradictory_or_unknown_options_exit_2(emulator: GrafanaEmulator, tmp_path: Path, args: list[str]) -> None:
    write_bundle(tmp_path, make_bundle(1))
    (tmp_path / "ca.pem").write_text("not used")
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, *args)
    assert result.exit_code == 2, result.stderr
    assert emulator.writes() == []


@pytest.mark.filterwarnings("ignore:Unverified HTTPS request")  # urllib3's own, after ours
def test_https_verifies_against_the_ca_cert_and_insecure_warns(
    https_emulator: tuple[GrafanaEmulator, Path], tmp_path: Path
) -> None:
    emulator, ca_file = https_emulator
    assert emulator.url.startswith("https://")
    write_bundle(tmp_path, make_bundle(2))
    untrusted = run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert untrusted.exit_code == 3
    [message] = untrusted.stderr.strip().splitlines()
    assert f"TLS verification of Grafana at {emulator.url} failed (certificate verify failed" in message
    assert message.endswith(
        "pass --ca-cert FILE with the CA that signed Grafana's certificate (--insecure skips the check)"
    )
    assert emulator.log == []  # no request got past the handshake, and none was retried
    trusted = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--ca-cert", str(ca_file))
    assert trusted.exit_code == 0, trusted.stderr
    assert "TLS certificate verification is off" not in trusted.stderr
    assert_state_equals_bundle(emulator, make_bundle(2))
    insecure = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--insecure")
    assert insecure.exit_code == 0, insecure.stderr
    assert "warning: TLS certificate verification is off (--insecure)" in insecure.stderr
    assert summary(insecure.stdout)["dashboards"] == counts(unchanged=2)


def test_requests_per_dashboard_stay_near_one(emulator: GrafanaEmulator) -> None:
    """A first push is one write per dashboard; an unchanged re-push one read per dashboard."""
    files = make_bundle(40)
    push_engine(emulator, files)
    dashboards_written = [e for e in emulator.log if e.path == "/api/dashboards/db"]
    assert len(dashboards_written) == 40
    assert not [e for e in emulator.log if e.path.startswith("/api/dashboards/uid/")]
    emulator.reset_log()
    push_engine(emulator, files)
    assert len([e for e in emulator.log if e.path.startswith("/api/dashboards/uid/")]) == 40
    assert len(emulator.log) <= 40 + 8


def test_a_second_grafana_server_never_sees_another_org(tmp_path: Path) -> None:
    """--org-id travels as X-Grafana-Org-Id on every request but the unauthenticated health check."""
    with serving() as server:  # validated against Grafana's OpenAPI description, like every emulator
        write_bundle(tmp_path, make_bundle(1))
        result = run_cli(tmp_path, "push", "--grafana-url", server.url, "--org-id", "4")
        assert result.exit_code == 0, result.stderr
        assert set(server.org_headers) == {"4"}


def test_the_summary_reads_in_full_words_within_80_columns_on_and_off_a_terminal(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    write_bundle(tmp_path, make_bundle(3))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url)  # stdout is a pipe here, 80 columns
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout and max(len(line) for line in result.stdout.splitlines()) <= 80
    assert summary(result.stdout)["dashboards"] == counts(created=3)
    terminal = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    terminal.print(summary_table([Outcome("dashboard", "d", "D", "created")]))
    rendered = terminal.file.getvalue()
    assert "…" not in rendered
    assert all(word in rendered.split() for word in ("datasources", "dashboards", "unchanged", "read-only"))
