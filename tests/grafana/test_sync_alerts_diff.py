"""`dash diff` of alerting against Grafana and against a git ref; the alerting files read as Grafana's file
provisioning reads them; the emulator's alerting endpoints held to the OpenAPI extract and to Grafana's rules."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest
import yaml
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaBadInputError, GrafanaServerError

from core.errors import BundleError
from grafana_sync.alerting_bundle import format_duration, parse_alerting, parse_duration
from grafana_sync.alerting_normalize import pushed_unchanged, rule_hash, with_rule_hash
from grafana_sync.alerting_plan import rule_body
from tests.grafana.alert_bundles import ALERT_ENV, CONTACT_POINTS, POLICIES, REALTIME_FOLDER, alert_bundle, rule
from tests.grafana.conftest import ADMIN_TOKEN, ALERTING_SPEC, EDITOR_TOKEN, serving
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import push_engine, run_cli, write_bundle

FOLDERS = {REALTIME_FOLDER: "connect-realtime"}


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def test_diff_against_grafana_names_the_rule_and_the_change_and_exits_1(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    push_engine(emulator, alert_bundle(), environ=ALERT_ENV)
    write_bundle(tmp_path, alert_bundle())
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ALERT_ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 of 2 alert rules differ" in result.stdout and "0 of 2 contact points differ" in result.stdout
    write_bundle(tmp_path, alert_bundle([rule("cc-oldest-contact", pending="10m"), rule("cc-new")]))
    emulator.reset_log()
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env={**ALERT_ENV, "GRAFANA_TOKEN": EDITOR_TOKEN})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "alert rule differs: cc-oldest-contact  'Oldest contact waits (cc-oldest-contact)'" in lines
    assert "    ~ for: 300 -> 600" in lines
    assert "alert rule only in repository: cc-new  'Oldest contact waits (cc-new)'" in lines
    assert "alert rule only in Grafana: cc-queue-wait  'Oldest contact waits (cc-queue-wait)'" in lines
    assert "3 of 3 alert rules differ" in lines
    assert emulator.writes() == []
    assert "hook-s3cret-pw" not in result.stdout + result.stderr


def test_diff_against_grafana_shows_a_contact_point_and_the_policy_changed_there(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    push_engine(emulator, alert_bundle(), environ=ALERT_ENV)
    emulator.alerting.points["cc-ops-email"]["settings"]["addresses"] = "other@example.com"
    emulator.alerting.policy["group_by"] = ["alertname"]
    write_bundle(tmp_path, alert_bundle())
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ALERT_ENV)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "contact point differs: cc-ops-email  'contact-centre-ops'" in lines
    assert "    ~ settings.addresses: other@example.com -> ops@example.com" in lines
    assert "policy tree differs: policies" in lines
    assert "    ~ group_by: ['alertname'] -> ['grafana_folder', 'alertname']" in lines


def test_diff_against_a_git_ref_adds_an_alerting_section(tmp_path: Path) -> None:
    write_bundle(tmp_path, alert_bundle())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "provisioning")
    _git(tmp_path, "commit", "-qm", "base")
    result = run_cli(tmp_path, "diff", "--git", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "No alerting changes." in result.stdout
    changed = alert_bundle([rule("cc-oldest-contact"), rule("cc-queue-wait", 90), rule("cc-agents-error")])
    write_bundle(tmp_path, changed)
    result = run_cli(tmp_path, "diff", "--git", "HEAD")
    assert result.exit_code == 1
    text = result.stdout
    assert "### Alerting changes since `HEAD`" in text
    assert "| alert rule Oldest contact waits (cc-queue-wait) (`cc-queue-wait`) | changed |" in text
    assert "| alert rule Oldest contact waits (cc-agents-error) (`cc-agents-error`) | added |" in text
    assert "- `data.C.model.conditions[0].evaluator.params[0]`: `120` -> `90`" in text
    assert "cc-oldest-contact" not in text  # unchanged rules are not listed
    assert "No dashboard changes." in text


def test_labels_and_contact_points_are_expanded_but_annotations_and_models_are_not() -> None:
    files = alert_bundle()
    alerting = parse_alerting(files, {**ALERT_ENV, "NOT_EXPANDED": "x"}, FOLDERS)
    body = alerting.groups[0].rules[0].body
    assert body["labels"]["team"] == "contact-centre"
    assert "${NOT_EXPANDED}" in body["annotations"]["summary"]
    assert body["data"][0]["model"]["rawQuery"].startswith("SELECT queue")  # `$__database` kept as written
    email = next(p for p in alerting.contact_points if p.type == "email")
    assert email.settings["addresses"] == "ops@example.com"
    webhook = next(p for p in alerting.contact_points if p.type == "webhook")
    assert webhook.secure_refs == {"password": "$ALERT_WEBHOOK_PASSWORD"} and "password" not in webhook.settings
    assert alerting.groups[0].folder_uid == "connect-realtime" and alerting.groups[0].interval == 60


def test_double_dollar_is_a_literal_dollar_in_labels() -> None:
    files = alert_bundle([{**rule("r1"), "labels": {"note": "costs $$5", "team": "$ALERT_TEAM"}}])
    body = parse_alerting(files, ALERT_ENV, FOLDERS).groups[0].rules[0].body
    assert body["labels"] == {"note": "costs $5", "team": "contact-centre"}


def test_file_keys_become_the_api_keys() -> None:
    extra = {**rule("r1"), "keepFiringFor": "2m", "missing_series_evals_to_resolve": 3, "dashboardUid": "d1"}
    extra["panelId"] = 7
    extra["execErrState"] = ""
    body = parse_alerting(alert_bundle([extra]), ALERT_ENV, FOLDERS).groups[0].rules[0].body
    assert body["keep_firing_for"] == "2m" and body["missingSeriesEvalsToResolve"] == 3
    assert body["annotations"]["__dashboardUid__"] == "d1" and body["annotations"]["__panelId__"] == "7"
    assert body["execErrState"] == "Alerting"  # empty -> Alerting, as Grafana reads it
    assert "keepFiringFor" not in body and "dashboardUid" not in body


@pytest.mark.parametrize(
    ("text", "seconds", "written"),
    [("5m", 300, "5m"), ("300s", 300, "5m"), ("1h30m", 5400, "1h30m"), ("", 0, "0s"), ("90s", 90, "1m30s")],
)
def test_durations_read_and_written_as_grafana_does(text: str, seconds: int, written: str) -> None:
    assert parse_duration(text, "x") == seconds
    assert format_duration(seconds) == written


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deleteRules": [{"orgId": 1, "uid": "x"}]}, "deleteRules: not pushed by `dash push`"),
        ({"groups": [{"name": "g", "folder": "F", "interval": "soon", "rules": []}]}, "'soon' is not a duration"),
        ({"groups": [{"name": "g", "folder": "F", "interval": "1m", "rules": [rule("bad uid!")]}]}, "uid 'bad uid!'"),
        ({"groups": [{"name": "g", "interval": "1m", "rules": []}]}, "needs a name and a folder"),
    ],
)
def test_bad_alerting_files_are_errors_naming_file_and_item(change: dict[str, object], message: str) -> None:
    files = {"alerting/rules.yaml": yaml.safe_dump({"apiVersion": 1, **change}).encode()}
    with pytest.raises(BundleError, match=r"alerting/rules\.yaml") as caught:
        parse_alerting(files, ALERT_ENV, {})
    assert message in str(caught.value)


def test_a_rule_uid_in_two_files_is_an_error() -> None:
    files = alert_bundle([rule("r1")])
    files["alerting/more.yaml"] = files["alerting/rules.yaml"].replace(b"connect-queues", b"other")
    with pytest.raises(BundleError, match=r"alert rule uid 'r1' also in"):
        parse_alerting(files, ALERT_ENV, FOLDERS)


def test_policy_matchers_become_object_matchers() -> None:
    route = parse_alerting({"alerting/p.yaml": yaml.safe_dump(POLICIES).encode()}, {}, {}).policy
    assert route is not None and route["routes"][0]["object_matchers"] == [["severity", "=", "page"]]
    assert "orgId" not in route and "matchers" not in route["routes"][0]
    assert parse_alerting({"alerting/c.yaml": yaml.safe_dump(CONTACT_POINTS).encode()}, None, {}).policy is None


def _api(emulator: GrafanaEmulator) -> GrafanaApi:
    return GrafanaApi.from_url(emulator.url, credential=ADMIN_TOKEN)


def test_the_emulator_rejects_alerting_requests_outside_the_openapi_extract(emulator: GrafanaEmulator) -> None:
    if emulator.alerting_validator is None:
        pytest.skip(emulator.validation_note)
    with pytest.raises(GrafanaBadInputError):
        _api(emulator).alertingprovisioning.create_alertrule({"uid": "x", "title": "no group, no data"})
    with pytest.raises(GrafanaBadInputError):
        _api(emulator).alertingprovisioning.set_notification_policy_tree({"receiver": "x", "group_by": "alertname"})
    assert len(emulator.validation_errors) == 2
    assert "POST /api/v1/provisioning/alert-rules" in emulator.validation_errors[0]
    emulator.validation_errors.clear()


def test_the_emulator_keeps_provenance_as_grafana_does(emulator: GrafanaEmulator) -> None:
    """A single-rule write cannot turn provenance api into none (500, grafana/grafana#74558); a group PUT can."""
    push_engine(emulator, alert_bundle(), environ=ALERT_ENV)
    api = _api(emulator).alertingprovisioning
    live = api.get_alertrule("cc-queue-wait")
    body = {k: v for k, v in live.items() if k not in ("id", "updated", "provenance")}
    with pytest.raises(GrafanaServerError, match="cannot change provenance from 'api' to ''"):
        api.update_alertrule("cc-queue-wait", body, disable_provenance=True)
    group = api.get_rule_group("connect-realtime", "connect-queues")
    rules = [{k: v for k, v in r.items() if k not in ("id", "updated", "provenance")} for r in group["rules"]]
    api.update_rule_group(
        "connect-realtime",
        "connect-queues",
        {"title": "connect-queues", "folderUid": "connect-realtime", "interval": 60, "rules": rules},
        disable_provenance=True,
    )
    assert {r["provenance"] for r in emulator.alerting.rules.values()} == {""}


def test_the_emulator_refuses_a_duplicate_uid_with_400_and_a_missing_folder(emulator: GrafanaEmulator) -> None:
    push_engine(emulator, alert_bundle(), environ=ALERT_ENV)
    api = _api(emulator).alertingprovisioning
    live = api.get_alertrule("cc-queue-wait")
    body = {k: v for k, v in live.items() if k not in ("id", "updated", "provenance")}
    with pytest.raises(GrafanaBadInputError, match="already exists"):
        api.create_alertrule(body)
    with pytest.raises(GrafanaBadInputError, match="folder does not exist"):
        api.create_alertrule({**body, "uid": "other", "folderUID": "nowhere"})
    secret = api.get_contactpoints(name="contact-centre-ops")
    assert {p["uid"]: p["settings"].get("password") for p in secret} == {
        "cc-ops-email": None,
        "cc-ops-webhook": "[REDACTED]",
    }


def test_the_emulator_holds_its_own_alerting_answers_to_the_extract() -> None:
    """An answer off the description fails the test that met it, as an off-spec request does."""
    if not ALERTING_SPEC.is_file():
        pytest.skip(f"{ALERTING_SPEC} is absent: alerting answers are not checked without it")
    with (
        pytest.raises(AssertionError, match="GET /api/v1/provisioning/policies answered 200"),
        serving() as server,
    ):
        server.alerting.policy["group_by"] = "alertname"  # a list in Grafana's Route
        _api(server).alertingprovisioning.get_notification_policy_tree()


def _api_rule(threshold: float = 300) -> dict[str, object]:
    alerting = parse_alerting(alert_bundle([rule("r1", threshold)]), ALERT_ENV, FOLDERS)
    return rule_body(alerting.groups[0].rules[0], "connect-realtime", "connect-queues", 1)


def test_grafanas_additions_never_change_a_rules_hash() -> None:
    """What Grafana adds or respells on a stored rule, and key order, are not changes."""
    built = _api_rule()
    live = copy.deepcopy(with_rule_hash(built))
    live.update(id=42, updated="2026-12-01T10:00:00Z", provenance="api", orgID=1, **{"for": "300s"})
    for query in live["data"]:
        query["model"] = {"intervalMs": 1000, "maxDataPoints": 43200, **query["model"]}
        query["queryType"] = ""
    live = dict(reversed(list(live.items())))
    assert rule_hash(live) == rule_hash(built)
    assert pushed_unchanged(live)


@pytest.mark.parametrize("what", ["threshold", "pending", "label", "query", "annotation", "paused", "group"])
def test_a_real_change_always_changes_a_rules_hash(what: str) -> None:
    built = _api_rule()
    changed = copy.deepcopy(built)
    if what == "threshold":
        changed["data"][2]["model"]["conditions"][0]["evaluator"]["params"] = [301]
    elif what == "pending":
        changed["for"] = "6m"
    elif what == "label":
        changed["labels"]["severity"] = "ticket"
    elif what == "query":
        changed["data"][0]["model"]["rawQuery"] += " LIMIT 1"
    elif what == "annotation":
        changed["annotations"]["summary"] += "!"
    elif what == "paused":
        changed["isPaused"] = True
    else:
        changed["ruleGroup"] = "other"
    assert rule_hash(changed) != rule_hash(built)
    live = {**with_rule_hash(built), **{k: v for k, v in changed.items() if k != "annotations"}}
    live["annotations"] = {**changed["annotations"], "__dashPushHash__": rule_hash(built)}
    assert not pushed_unchanged(live)  # edited after the push: its recorded hash no longer matches
