"""A --grafana-url that is not Grafana's API, a --bundle that is not a bundle, and how push words what happened.

Every endpoint push and diff call answers, in turn, what another server would: a proxy's login page, a web
server's default page, a JSON list, an empty 200, JSON of another shape, a proxy's HTML 401. Each is exit 3
"not a Grafana API at URL" with what came back, never a traceback. A write whose response is lost after it
landed converges on retry, without duplicates or a false conflict."""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from grafana_sync.bundle import parse_bundle, read_bundle_dir
from tests.conftest import ROOT
from tests.grafana.emulator import Faults, GrafanaEmulator, Logged
from tests.grafana.helpers import counts, summary
from tests.hostile.conftest import assert_clean_error, run, tree

TOKEN = "glsa_hostile_answers_token_0123456789"
ENV = {
    "GRAFANA_TOKEN": TOKEN,
    "INFLUX_READ_TOKEN": "influx-read-token-fixed",
    "ALERT_EMAIL_ADDRESSES": "ops@example.com",
}


def _first_rule_group() -> tuple[str, str, str]:
    """The shipped bundle's first rule group (its folder uid and name) and its first rule's uid."""
    files = read_bundle_dir(ROOT / "provisioning")
    group = yaml.safe_load(files["alerting/rules.yaml"])["groups"][0]
    folders = {f.title: f.uid for f in parse_bundle(files).folders}
    return folders[group["folder"]], group["name"], group["rules"][0]["uid"]


FOLDER, GROUP, RULE = _first_rule_group()
LOGIN_PAGE = (
    b"<!doctype html><html><head><title>Sign in - Example SSO</title></head><body><form>...</form></body></html>"
)
ANSWERS = {
    # name: (status, content type, body, what the message quotes)
    "login-page": (
        200,
        "text/html; charset=utf-8",
        LOGIN_PAGE,
        "HTTP 200 (text/html) with an HTML page titled 'Sign in",
    ),
    "default-page": (
        200,
        "text/html",
        b"<html><body><h1>It works!</h1></body></html>",
        "HTTP 200 (text/html) with '<html>",
    ),
    "json-list": (200, "application/json", b"[1, 2, 3]", "HTTP 200 (application/json) with '[1, 2, 3]'"),
    "empty-200": (200, "", b"", "HTTP 200 (no content type) with an empty body"),
    "other-json": (
        200,
        "application/json",
        b'{"status": "UP"}',
        'HTTP 200 (application/json) with \'{"status": "UP"}\'',
    ),
    "proxy-401": (401, "text/html", LOGIN_PAGE, "HTTP 401 (text/html) with an HTML page titled 'Sign in"),
    "plain-ok": (200, "text/plain", b"OK\n", "HTTP 200 (text/plain) with 'OK'"),
}
READS = {
    # endpoint regex: what must exist beforehand for push to call it
    "GET /api/health": "",
    "GET /api/search": "",
    "GET /api/folders/connect-realtime": "",
    "GET /api/datasources/uid/connect-athena": "",
    "GET /api/dashboards/uid/connect-rt-agents": "pushed",
    "GET /api/v1/provisioning/alert-rules": "",
    "GET /api/v1/provisioning/contact-points": "",
    "GET /api/v1/provisioning/policies": "",
    f"GET /api/v1/provisioning/folder/{FOLDER}/rule-groups/{GROUP}": "pushed",
}
WRITES = {
    "POST /api/folders": "",
    "PUT /api/folders/connect-realtime": "folder-renamed",
    "POST /api/datasources": "",
    "PUT /api/datasources/uid/connect-athena": "datasource-changed",
    "POST /api/dashboards/db": "",
    "DELETE /api/dashboards/uid/orphan": "orphan",
    "POST /api/v1/provisioning/contact-points": "",
    "PUT /api/v1/provisioning/contact-points/connect-alerts-email": "contact-point-changed",
    "PUT /api/v1/provisioning/policies": "",
    f"PUT /api/v1/provisioning/folder/{FOLDER}/rule-groups/{GROUP}": "",
    f"PUT /api/v1/provisioning/alert-rules/{RULE}": "rule-changed",
    "POST /api/v1/provisioning/alert-rules": "rule-added",
    "DELETE /api/v1/provisioning/alert-rules/orphan-rule": "orphan",
}
READ_ANSWERS = ["login-page", "json-list", "empty-200", "other-json", "proxy-401"]
WRITE_ANSWERS = ["default-page", "json-list", "empty-200", "plain-ok"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "provisioning", tmp_path / "provisioning")
    return tmp_path


def args(url: str, *command: str) -> list[str]:
    return [*command, "--grafana-url", url, "--bundle", "provisioning", "--retries", "2", "--timeout", "5"]


def prepare(emulator: GrafanaEmulator, root: Path, setup: str) -> None:
    """Put Grafana in the state where push calls the endpoint under test."""
    emulator.tokens[TOKEN] = "Admin"
    if not setup:
        return
    assert run(root, *args(emulator.url, "push"), env=ENV).exit_code == 0
    state = emulator.state
    if setup == "folder-renamed":
        state.folders["connect-realtime"]["title"] = "Renamed in Grafana"
    elif setup == "datasource-changed":
        state.datasources["connect-athena"]["jsonData"] = {"workgroup": "changed-in-grafana"}
    elif setup == "orphan":
        orphan = copy.deepcopy(state.dashboards["connect-rt-agents"])
        orphan["dashboard"].update(uid="orphan", title="Not in the repository", id=9999)
        state.dashboards["orphan"] = orphan
        emulator.alerting.rules["orphan-rule"] = {**copy.deepcopy(emulator.alerting.rules[RULE]), "uid": "orphan-rule"}
    elif setup == "contact-point-changed":
        emulator.alerting.points["connect-alerts-email"]["settings"]["addresses"] = "someone@example.com"
    elif setup in ("rule-changed", "rule-added"):
        path = root / "provisioning" / "alerting" / "rules.yaml"
        doc = yaml.safe_load(path.read_text())
        rules = doc["groups"][0]["rules"]
        if setup == "rule-changed":
            rules[0]["title"] += " (edited)"
        else:
            rules.append({**copy.deepcopy(rules[0]), "uid": "added-rule"})
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    emulator.reset_log()


def answering(endpoint: str, answer: str) -> Faults:
    status, kind, body, _ = ANSWERS[answer]
    return Faults(rate=1.0, kinds=("answer",), only=endpoint, answer=lambda *_: (status, kind, body))


@pytest.mark.parametrize("answer", READ_ANSWERS)
@pytest.mark.parametrize("endpoint", sorted(READS))
def test_a_read_answered_by_something_other_than_grafana_is_exit_3_naming_url_endpoint_and_answer(
    emulator: GrafanaEmulator, root: Path, endpoint: str, answer: str
) -> None:
    prepare(emulator, root, READS[endpoint])
    emulator.set_faults(answering(endpoint, answer))
    before = tree(root)
    for command in (("push",), ("push", "--dry-run"), ("diff",)):
        result = run(root, *args(emulator.url, *command), env=ENV)
        assert_clean_error(
            result,
            3,
            f"not a Grafana API at {emulator.url}: {endpoint} answered {ANSWERS[answer][3]}",
            "check that --grafana-url is Grafana's base URL",
        )
    assert emulator.writes() == [] and tree(root) == before


@pytest.mark.parametrize("answer", WRITE_ANSWERS)
@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_a_write_answered_by_something_other_than_grafana_is_exit_3_naming_url_endpoint_and_answer(
    emulator: GrafanaEmulator, root: Path, endpoint: str, answer: str
) -> None:
    prepare(emulator, root, WRITES[endpoint])
    emulator.set_faults(answering(endpoint, answer))
    before = tree(root)
    prune = ["--prune"] if WRITES[endpoint] == "orphan" else []
    result = run(root, *args(emulator.url, "push", *prune), env=ENV)
    assert_clean_error(
        result, 3, f"not a Grafana API at {emulator.url}: {endpoint} answered {ANSWERS[answer][3]}", "--grafana-url"
    )
    assert {e.fault for e in emulator.log if f"{e.method} {e.path}" == endpoint} == {"answer"}
    assert tree(root) == before


@pytest.mark.parametrize("answer", ["default-page", "json-list", "empty-200", "proxy-401"])
def test_a_server_that_is_not_grafana_anywhere_stops_push_and_diff_before_anything_is_read(
    emulator: GrafanaEmulator, root: Path, answer: str
) -> None:
    emulator.tokens[TOKEN] = "Admin"
    emulator.set_faults(answering("", answer))
    for command in (("push",), ("diff",)):
        result = run(root, *args(emulator.url, *command), env=ENV)
        assert_clean_error(result, 3, f"not a Grafana API at {emulator.url}: GET /api/health answered")
    assert [e.path for e in emulator.log] == ["/api/health", "/api/health"]


@pytest.mark.parametrize("command", ["push", "diff"])
@pytest.mark.parametrize("contents", ["empty", "foreign"])
def test_an_empty_or_foreign_bundle_folder_is_a_usage_error(
    emulator: GrafanaEmulator, tmp_path: Path, command: str, contents: str
) -> None:
    folder = tmp_path / "provisioning"
    folder.mkdir()
    if contents == "foreign":
        (folder / "README.md").write_text("# not a bundle\n")
        (folder / "src").mkdir()
        (folder / "src" / "app.json").write_text("{}")
    before = tree(tmp_path)
    result = run(tmp_path, *args(emulator.url, command), env=ENV)
    found = "found nothing" if contents == "empty" else "found 2 other file(s)"
    assert_clean_error(result, 2, f"{folder}: not a provisioning bundle", found, "--bundle provisioning")
    assert emulator.log == [] and tree(tmp_path) == before


def state_counts(emulator: GrafanaEmulator) -> tuple[int, int, int]:
    state = emulator.state
    return len(state.folders), len(state.datasources), len(state.dashboards)


def assert_as_built(emulator: GrafanaEmulator, root: Path) -> None:
    bundle = parse_bundle(read_bundle_dir(root / "provisioning"), ENV)
    state = emulator.state
    assert {uid: f["title"] for uid, f in state.folders.items()} == {f.uid: f.title for f in bundle.folders}
    assert sorted(state.datasources) == sorted(d.uid for d in bundle.datasources)
    for ds in bundle.datasources:
        assert {key: state.datasources[ds.uid].get(key) for key in ds.settings} == ds.settings
    assert sorted(state.dashboards) == sorted(d.uid for d in bundle.dashboards)
    titles = Counter(d["dashboard"]["title"] for d in state.dashboards.values())
    assert max(titles.values()) == 1  # no duplicate dashboard
    rules = yaml.safe_load((root / "provisioning" / "alerting" / "rules.yaml").read_text())
    assert sorted(emulator.alerting.rules) == sorted(r["uid"] for g in rules["groups"] for r in g["rules"])
    assert "connect-alerts-email" in emulator.alerting.points
    assert emulator.alerting.policy["receiver"] == "connect-alerts"


@pytest.mark.parametrize("scenario", ["create", "update", "prune"])
def test_a_write_that_landed_but_whose_answer_was_lost_converges_on_retry(
    emulator: GrafanaEmulator, root: Path, scenario: str
) -> None:
    """The connection drops after Grafana applied the write (once per endpoint): the retry meets a conflict
    (409/412) or a 404, finds the object as built, and counts it done, not failed, skipped or duplicated."""
    emulator.tokens[TOKEN] = "Admin"
    extra: list[str] = []
    if scenario != "create":
        assert run(root, *args(emulator.url, "push"), env=ENV).exit_code == 0
        emulator.state.folders["connect-realtime"]["title"] = "Renamed in Grafana"
        emulator.state.datasources["connect-athena"]["jsonData"] = {"workgroup": "changed-in-grafana"}
        if scenario == "update":
            path = root / "provisioning" / "dashboards" / "connect-realtime" / "connect-rt-agents.json"
            model = json.loads(path.read_text())
            path.write_text(json.dumps({**model, "description": "changed in the repository"}))
        else:
            orphan = copy.deepcopy(emulator.state.dashboards["connect-rt-agents"])
            orphan["dashboard"].update(uid="orphan", title="Not in the repository", id=9999)
            emulator.state.dashboards["orphan"] = orphan
            extra = ["--prune"]
    emulator.reset_log()
    emulator.set_faults(Faults(rate=1.0, kinds=("drop-after",), once=True, only=r"(POST|PUT|DELETE) /api/.*"))
    result = run(root, *args(emulator.url, "push", *extra), env=ENV)
    text = result.stdout + result.stderr
    assert result.exit_code == 0, text
    assert "Traceback" not in text and "conflict" not in text and result.stderr == ""
    assert all(row["failed"] == row["skipped"] == 0 for row in summary(result.stdout).values())
    dropped = [e for e in emulator.log if e.fault == "drop-after"]
    assert dropped, "the scenario wrote nothing"
    for lost in dropped:  # each lost answer was retried
        assert any(e.fault == "" and (e.method, e.path) == (lost.method, lost.path) for e in emulator.log), lost
    assert_as_built(emulator, root)
    emulator.set_faults(Faults())
    emulator.reset_log()
    again = run(root, *args(emulator.url, "push"), env=ENV)
    assert again.exit_code == 0 and emulator.writes() == []  # converged: nothing left to write


def log_paths(log: list[Logged]) -> list[str]:
    return [f"{e.method} {e.path}" for e in log]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("drop-before", "the connection was dropped"),
        ("slow", "no answer within --timeout"),
    ],
)
def test_an_unreachable_grafana_is_one_line_saying_why_without_http_library_internals(
    emulator: GrafanaEmulator, root: Path, fault: str, reason: str
) -> None:
    emulator.tokens[TOKEN] = "Admin"
    emulator.set_faults(Faults(rate=1.0, kinds=(fault,), slow_seconds=1.0, only=r"GET /api/health"))
    command = [*args(emulator.url, "push"), "--timeout", "0.3"]
    result = run(root, *command, env=ENV)
    line = assert_clean_error(result, 3, f"cannot reach Grafana at {emulator.url}: {reason}", "check --grafana-url")
    for internal in ("HTTPConnectionPool", "urllib3", "Max retries", "object at 0x", "Errno", "RemoteDisconnected"):
        assert internal not in line
    assert log_paths(emulator.log) == ["GET /api/health"] * 2  # --retries 2


def read_only(emulator: GrafanaEmulator, root: Path, differs: bool) -> None:
    """connect-athena as Grafana holds it when provisioned from files: read-only; as built, or differing."""
    doc = yaml.safe_load((root / "provisioning" / "datasources" / "connect.yaml").read_text())
    built = next(d for d in doc["datasources"] if d["uid"] == "connect-athena")
    emulator.state.datasources["connect-athena"] = {
        "id": 99,
        "uid": "connect-athena",
        "orgId": 1,
        "name": built["name"],
        "type": built["type"],
        "access": "proxy",
        "url": "",
        "user": "",
        "database": "",
        "basicAuth": False,
        "basicAuthUser": "",
        "withCredentials": False,
        "isDefault": False,
        "jsonData": {"workgroup": "provisioned-elsewhere"} if differs else built["jsonData"],
        "version": 3,
        "readOnly": True,
        "_secure": {},
    }


def test_a_read_only_datasource_that_needs_an_update_is_not_applied_exit_1(
    emulator: GrafanaEmulator, root: Path
) -> None:
    emulator.tokens[TOKEN] = "Admin"
    read_only(emulator, root, differs=True)
    result = run(root, *args(emulator.url, "push"), env=ENV)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert (
        "read-only: datasource connect-athena (Amazon Connect history (Athena)): provisioned read-only in Grafana; "
        "left as is (differs: jsonData)"
    ) in result.stderr
    assert "read-only: a datasource that differs, provisioned read-only in Grafana" in result.stdout
    assert "skipped:" not in result.stdout  # a footnote only for what happened
    assert emulator.state.datasources["connect-athena"]["jsonData"] == {"workgroup": "provisioned-elsewhere"}
    assert "Traceback" not in result.stdout + result.stderr


def test_a_read_only_datasource_as_built_is_unchanged_and_the_push_exit_0_without_footnotes(
    emulator: GrafanaEmulator, root: Path
) -> None:
    emulator.tokens[TOKEN] = "Admin"
    read_only(emulator, root, differs=False)
    result = run(root, *args(emulator.url, "push"), env=ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr == "" and "read-only:" not in result.stdout and "skipped:" not in result.stdout
    assert summary(result.stdout)["datasources"] == counts(created=2, unchanged=1)
    assert not [e for e in emulator.writes() if "connect-athena" in e.path]


def test_the_skipped_footnote_appears_when_a_dashboard_was_skipped(emulator: GrafanaEmulator, root: Path) -> None:
    emulator.tokens[TOKEN] = "Admin"
    assert run(root, *args(emulator.url, "push"), env=ENV).exit_code == 0
    emulator.edit_dashboard("connect-rt-agents", {"title": "Edited in the UI"})
    result = run(root, *args(emulator.url, "push"), env=ENV)
    assert result.exit_code == 1
    assert "skipped: changed in Grafana since the last push (--force overwrites)" in result.stdout
    assert "read-only:" not in result.stdout


ODD = {
    # Grafana-shaped JSON with values of the wrong type: data to compare, or not Grafana; never a traceback
    "search-uid-list": ("GET /api/search", [{"uid": ["x"], "title": "t"}], 3),
    "dashboard-panels-text": (
        "GET /api/dashboards/uid/connect-rt-agents",
        {"dashboard": {"panels": "x"}, "meta": {}},
        1,
    ),
    "dashboard-odd-values": (
        "GET /api/dashboards/uid/connect-rt-agents",
        {"dashboard": {"version": "x", "dashPushHash": 3, "panels": [1, None]}, "meta": {"folderUid": 5}},
        1,
    ),
    "datasource-odd-values": (
        "GET /api/datasources/uid/connect-athena",
        {
            "uid": "connect-athena",
            "type": "x",
            "jsonData": [],
            "readOnly": "no",
            "secureJsonFields": [],
            "version": "v",
        },
        1,
    ),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_grafana_json_with_values_of_the_wrong_type_never_gives_a_traceback(
    emulator: GrafanaEmulator, root: Path, case: str
) -> None:
    endpoint, body, code = ODD[case]
    prepare(emulator, root, "pushed")
    emulator.set_faults(
        Faults(
            rate=1.0,
            kinds=("answer",),
            only=endpoint,
            answer=lambda *_: (200, "application/json", json.dumps(body).encode()),
        )
    )
    before = tree(root)
    for command in (("push", "--dry-run"), ("diff",)):
        result = run(root, *args(emulator.url, *command), env=ENV)
        text = result.stdout + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in text
        if code == 3:
            assert_clean_error(result, 3, f"not a Grafana API at {emulator.url}: {endpoint} answered HTTP 200")
        else:
            assert result.exit_code in (0, 1), text
    assert emulator.writes() == [] and tree(root) == before
