"""`dash push` of alert rules, contact points and the policy tree over real HTTP to the emulator: the guarantees
dashboards have (unchanged objects not written, changes made in Grafana kept without --force, --dry-run, --prune,
retries), on hand-written files in Grafana's alerting file provisioning format."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafana_client import GrafanaApi
from typer.testing import CliRunner

from cli import app
from grafana_sync.plan import Scope
from tests.grafana.alert_bundles import ALERT_ENV, REALTIME_FOLDER, alert_bundle, rule
from tests.grafana.conftest import ADMIN_TOKEN
from tests.grafana.emulator import Faults, GrafanaEmulator
from tests.grafana.helpers import push_engine, run_cli, summary, write_bundle

RULE_PATH = "/api/v1/provisioning/alert-rules"


def push(emulator: GrafanaEmulator, files: dict[str, bytes], **options: Any) -> tuple[int, str, str]:
    return push_engine(emulator, files, environ=ALERT_ENV, **options)


def alert_rows(out: str) -> dict[str, dict[str, int]]:
    """The summary's alerting rows (rules, contact-points, policies): result -> count."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["created"])
    columns = lines[header].split()
    rows = {}
    for line in lines[header + 1 :]:
        kind, *counts = line.split()
        if kind in ("rules", "contact-points", "policies"):
            rows[kind] = {c: int(n) for c, n in zip(columns, counts, strict=True) if int(n)}
    return rows


def section(out: str, title: str) -> dict[str, str]:
    """A section of the printed plan: object (last part of its path) -> operation."""
    lines = out.splitlines()
    ops = {}
    for line in lines[lines.index(title) + 1 :]:
        if not line.startswith("  "):
            break
        if not line.startswith("      "):
            op, where = line.split()[:2]
            ops[where.rpartition("/")[2]] = op
    return ops


def writes(emulator: GrafanaEmulator) -> list[tuple[str, str]]:
    return [(e.method, e.path) for e in emulator.writes() if e.path.startswith("/api/v1/provisioning")]


def with_rules(rules: list[dict[str, Any]], **group: Any) -> dict[str, bytes]:
    return alert_bundle(rules, **group)


def test_a_first_push_creates_rules_contact_points_and_policies_as_grafana_provisioning_would(
    emulator: GrafanaEmulator,
) -> None:
    code, out, err = push(emulator, alert_bundle())
    assert code == 0, err
    assert alert_rows(out) == {"rules": {"created": 2}, "contact-points": {"created": 2}, "policies": {"updated": 1}}
    # A new group is written whole with one PUT: its interval can be set no other way (POST ignores it).
    assert writes(emulator) == [
        ("POST", "/api/v1/provisioning/contact-points"),
        ("POST", "/api/v1/provisioning/contact-points"),
        ("PUT", "/api/v1/provisioning/policies"),
        ("PUT", "/api/v1/provisioning/folder/connect-realtime/rule-groups/connect-queues"),
    ]
    stored = emulator.alerting.rules["cc-queue-wait"]
    assert (stored["folderUID"], stored["ruleGroup"], stored["provenance"]) == (
        "connect-realtime",
        "connect-queues",
        "api",
    )
    assert emulator.alerting.intervals[("connect-realtime", "connect-queues")] == 60
    assert stored["for"] == "5m" and stored["condition"] == "C"
    assert stored["data"][2]["model"]["conditions"][0]["evaluator"] == {"type": "gt", "params": [120]}
    assert stored["data"][0]["relativeTimeRange"] == {"from": 600, "to": 0}
    # Labels are expanded from the environment; annotations are not (Grafana 12's file provisioning).
    assert stored["labels"] == {"severity": "page", "team": "contact-centre"}
    assert stored["annotations"]["summary"].endswith("(${NOT_EXPANDED})")
    assert stored["annotations"]["__dashboardUid__"] == "dash-0000"
    points = emulator.alerting.points
    assert points["cc-ops-email"]["settings"]["addresses"] == "ops@example.com"
    assert emulator.alerting.secure["cc-ops-webhook"] == {"password": "hook-s3cret-pw"}
    policy = emulator.alerting.policy
    assert policy["receiver"] == "contact-centre-ops" and policy["provenance"] == "api"
    assert policy["routes"] == [
        {"receiver": "contact-centre-ops", "group_wait": "10s", "object_matchers": [["severity", "=", "page"]]}
    ]
    assert "hook-s3cret-pw" not in out + err


def test_a_second_push_writes_nothing(emulator: GrafanaEmulator) -> None:
    push(emulator, alert_bundle())
    emulator.reset_log()
    code, out, _ = push(emulator, alert_bundle())
    assert code == 0
    assert writes(emulator) == []
    assert alert_rows(out) == {
        "rules": {"unchanged": 2},
        "contact-points": {"unchanged": 2},
        "policies": {"unchanged": 1},
    }


def test_one_changed_threshold_writes_that_rule_only_and_the_dry_run_shows_the_change(
    emulator: GrafanaEmulator,
) -> None:
    push(emulator, alert_bundle())
    changed = with_rules([rule("cc-oldest-contact"), rule("cc-queue-wait", 150)])
    emulator.reset_log()
    code, out, _ = push(emulator, changed, dry_run=True)
    assert code == 0 and writes(emulator) == []
    assert section(out, "Alert rules:") == {"cc-oldest-contact": "unchanged", "cc-queue-wait": "update"}
    assert "      ~ data.C.model.conditions[0].evaluator.params[0]: 120 -> 150" in out.splitlines()
    assert "1 alert rule unchanged; 1 alert rule to update" in out
    code, out, _ = push(emulator, changed)
    assert code == 0
    assert writes(emulator) == [("PUT", f"{RULE_PATH}/cc-queue-wait")]
    assert emulator.alerting.rules["cc-queue-wait"]["data"][2]["model"]["conditions"][0]["evaluator"]["params"] == [150]


def test_a_rule_added_to_an_existing_group_is_posted_and_a_changed_interval_leaves_rules_unwritten(
    emulator: GrafanaEmulator,
) -> None:
    push(emulator, alert_bundle())
    emulator.reset_log()
    three = [rule("cc-oldest-contact"), rule("cc-queue-wait", 120), rule("cc-agents-error", 1, "2m")]
    code, out, _ = push(emulator, with_rules(three, interval="2m"))
    assert code == 0
    assert writes(emulator) == [
        ("PUT", "/api/v1/provisioning/folder/connect-realtime/rule-groups/connect-queues"),
        ("POST", RULE_PATH),
    ]
    assert emulator.alerting.intervals[("connect-realtime", "connect-queues")] == 120
    assert set(emulator.alerting.rules) == {"cc-oldest-contact", "cc-queue-wait", "cc-agents-error"}
    assert alert_rows(out)["rules"] == {"created": 1, "unchanged": 2}


def _edit_through_the_api(emulator: GrafanaEmulator, uid: str, change: dict[str, Any]) -> None:
    """What another tool does: a PUT of the rule with a change (the push marker left as it was)."""
    api = GrafanaApi.from_url(emulator.url, credential=ADMIN_TOKEN)
    live = api.alertingprovisioning.get_alertrule(uid)
    live.update(change)
    api.alertingprovisioning.update_alertrule(uid, {k: v for k, v in live.items() if k not in ("id", "updated")})


def test_a_rule_changed_in_grafana_is_kept_without_force_and_overwritten_with_it(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    push(emulator, files)
    _edit_through_the_api(emulator, "cc-queue-wait", {"title": "Renamed in Grafana"})
    emulator.reset_log()
    code, out, err = push(emulator, files)
    assert code == 1
    assert writes(emulator) == []
    assert alert_rows(out)["rules"] == {"skipped": 1, "unchanged": 1}
    assert (
        "skipped: alert rule cc-queue-wait (Oldest contact waits (cc-queue-wait)): changed in Grafana since the last "
        "push; use --force to overwrite"
    ) in err
    _, dry, _ = push(emulator, files, dry_run=True)
    assert section(dry, "Alert rules:")["cc-queue-wait"] == "changed-in-grafana"
    assert "      ~ title: Renamed in Grafana -> Oldest contact waits (cc-queue-wait)" in dry.splitlines()
    code, out, _ = push(emulator, files, scope=Scope(force=True))
    assert code == 0 and alert_rows(out)["rules"] == {"updated": 1, "unchanged": 1}
    assert emulator.alerting.rules["cc-queue-wait"]["title"] == "Oldest contact waits (cc-queue-wait)"


def test_a_rule_made_in_grafana_with_the_same_uid_is_not_overwritten(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    push(emulator, files)
    api = GrafanaApi.from_url(emulator.url, credential=ADMIN_TOKEN)
    mine = api.alertingprovisioning.get_alertrule("cc-oldest-contact")
    api.alertingprovisioning.delete_alertrule("cc-oldest-contact")
    del mine["annotations"]["__dashPushHash__"]
    mine["for"] = "1m"
    body = {k: v for k, v in mine.items() if k not in ("id", "updated", "provenance")}
    api.alertingprovisioning.create_alertrule(body, disable_provenance=True)  # as the UI saves: no provenance
    assert emulator.alerting.rules["cc-oldest-contact"]["provenance"] == ""
    code, _, err = push(emulator, files)
    assert code == 1 and "in Grafana but never pushed by dash" in err
    assert emulator.alerting.rules["cc-oldest-contact"]["for"] == "1m"


def test_a_rule_provisioned_from_files_in_grafana_fails_and_says_why(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    push(emulator, files)
    emulator.alerting.rules["cc-queue-wait"]["provenance"] = "file"
    emulator.alerting.rules["cc-queue-wait"]["for"] = "9m"
    code, _, err = push(emulator, files)
    assert code == 1
    assert "failed: alert rule cc-queue-wait" in err and "provisioned from files in Grafana" in err


def test_rules_removed_from_the_repository_are_listed_and_deleted_only_with_prune(emulator: GrafanaEmulator) -> None:
    push(emulator, alert_bundle())
    other = copy.deepcopy(emulator.alerting.rules["cc-queue-wait"])  # another environment's, pushed by dash too
    emulator.alerting.rules["staging-rule"] = {**other, "uid": "staging-rule", "folderUID": "connect-history"}
    fewer = with_rules([rule("cc-oldest-contact")])
    code, out, _ = push(emulator, fewer, dry_run=True)
    assert section(out, "Alert rules:") == {"cc-oldest-contact": "unchanged", "cc-queue-wait": "not-in-repository"}
    code, out, _ = push(emulator, fewer)
    assert code == 0 and "cc-queue-wait" in emulator.alerting.rules
    emulator.reset_log()
    code, out, _ = push(emulator, fewer, scope=Scope(prune=True))
    assert code == 0 and writes(emulator) == [("DELETE", f"{RULE_PATH}/cc-queue-wait")]
    assert set(emulator.alerting.rules) == {"cc-oldest-contact", "staging-rule"}  # its folder has no rule group here
    assert alert_rows(out)["rules"] == {"unchanged": 1, "deleted": 1}


def test_a_contact_point_made_in_the_ui_is_kept_without_force(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    push(emulator, files)
    point = emulator.alerting.points["cc-ops-email"]
    point.update(provenance="", settings={"addresses": "someone-else@example.com"})
    code, out, err = push(emulator, files)
    assert code == 1 and alert_rows(out)["contact-points"] == {"skipped": 1, "unchanged": 1}
    assert "made or edited in Grafana's UI" in err
    push(emulator, files, scope=Scope(force=True))
    assert emulator.alerting.points["cc-ops-email"]["settings"]["addresses"] == "ops@example.com"


def test_contact_point_secrets_are_kept_in_grafana_and_resent_only_with_update_secrets(
    emulator: GrafanaEmulator,
) -> None:
    files = alert_bundle()
    push(emulator, files)
    emulator.reset_log()
    env = {**ALERT_ENV, "ALERT_WEBHOOK_PASSWORD": "rotated-pw"}
    code, _, _ = push_engine(emulator, files, environ=env)
    assert code == 0 and writes(emulator) == []  # a secret's value cannot be read back, so it is not compared
    code, out, err = push_engine(emulator, files, environ=env, scope=Scope(update_secrets=True))
    assert code == 0 and ("PUT", "/api/v1/provisioning/contact-points/cc-ops-webhook") in writes(emulator)
    assert emulator.alerting.secure["cc-ops-webhook"] == {"password": "rotated-pw"}
    assert "rotated-pw" not in out + err


def test_an_unset_secret_variable_fails_before_anything_is_sent(emulator: GrafanaEmulator) -> None:
    env = {k: v for k, v in ALERT_ENV.items() if k != "ALERT_WEBHOOK_PASSWORD"}
    with pytest.raises(Exception, match=r"settings.password references \$\{ALERT_WEBHOOK_PASSWORD\}"):
        push_engine(emulator, alert_bundle(), environ=env)
    assert emulator.log == []


def test_a_policy_tree_edited_in_the_ui_is_kept_without_force(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    push(emulator, files)
    emulator.alerting.policy = {"receiver": "contact-centre-ops", "group_by": ["alertname"], "provenance": ""}
    code, out, err = push(emulator, files)
    assert code == 1 and alert_rows(out)["policies"] == {"skipped": 1}
    assert "policy tree" in err and "edited in Grafana's UI; use --force" in err


def test_a_create_whose_answer_was_lost_is_retried_and_not_reported_failed(emulator: GrafanaEmulator) -> None:
    push(emulator, alert_bundle())
    emulator.set_faults(Faults(rate=1.0, kinds=("drop-after",), only=f"POST {RULE_PATH}", once=True))
    three = [rule("cc-oldest-contact"), rule("cc-queue-wait", 120), rule("cc-agents-error", 1, "2m")]
    code, out, err = push(emulator, with_rules(three))
    assert code == 0, err
    posts = [(e.status, e.fault) for e in emulator.log if e.method == "POST" and e.path == RULE_PATH]
    assert posts == [(201, "drop-after"), (400, "")]  # landed, answer lost; the retry meets the duplicate uid
    assert alert_rows(out)["rules"] == {"created": 1, "unchanged": 2}


def test_transient_failures_on_alerting_reads_and_writes_are_retried(emulator: GrafanaEmulator) -> None:
    emulator.set_faults(
        Faults(rate=0.5, kinds=("5xx", "429", "drop-before"), only=r"\w+ /api/v1/provisioning/.*", seed=3)
    )
    code, _, err = push(emulator, alert_bundle())
    assert code == 0, err
    assert any(e.fault for e in emulator.log)
    assert set(emulator.alerting.rules) == {"cc-oldest-contact", "cc-queue-wait"}


def test_a_rule_folder_the_dashboards_lack_is_found_in_grafana_by_title_or_created(emulator: GrafanaEmulator) -> None:
    files = alert_bundle()
    doc = yaml.safe_load(files["alerting/rules.yaml"])
    doc["groups"][0]["folder"] = "Contact centre - alerts"
    files["alerting/rules.yaml"] = yaml.safe_dump(doc).encode()
    code, out, _ = push(emulator, files, dry_run=True)
    assert "  create             contact-centre-alerts  'Contact centre - alerts'" in out.splitlines()
    assert "Plan: 3 folders to create;" in out
    code, _, err = push(emulator, files)
    assert code == 0, err
    assert emulator.state.folders["contact-centre-alerts"]["title"] == "Contact centre - alerts"
    assert emulator.alerting.rules["cc-queue-wait"]["folderUID"] == "contact-centre-alerts"


def test_only_pushes_dashboards_and_leaves_alerting_alone(emulator: GrafanaEmulator) -> None:
    code, _, _ = push(emulator, alert_bundle(), scope=Scope(only=frozenset({"dash-0000"})))
    assert code == 0 and emulator.alerting.rules == {} and writes(emulator) == []


def test_the_cli_pushes_alerting_from_a_bundle_directory(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, alert_bundle())
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, env=ALERT_ENV)
    assert result.exit_code == 0, result.stderr
    assert summary(result.stdout)["dashboards"]["created"] == 2
    assert alert_rows(result.stdout)["rules"] == {"created": 2}
    assert emulator.state.folders["connect-realtime"]["title"] == REALTIME_FOLDER


def test_the_stored_rule_matches_the_file_after_normalising_grafanas_additions(emulator: GrafanaEmulator) -> None:
    """Grafana adds intervalMs/maxDataPoints to each model and answers durations its way: still unchanged."""
    files = with_rules([rule("cc-oldest-contact", pending="300s")])
    push(emulator, files)
    stored = emulator.alerting.rules["cc-oldest-contact"]
    assert stored["for"] == "5m" and stored["data"][1]["model"]["maxDataPoints"] == 43200
    emulator.reset_log()
    assert push(emulator, copy.deepcopy(files))[0] == 0 and writes(emulator) == []


def test_a_grafana_without_the_rule_list_is_exit_3_saying_which_grafana_is_needed(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    emulator.set_faults(
        Faults(
            rate=1.0,
            kinds=("answer",),
            only=f"GET {RULE_PATH}",
            answer=lambda *_: (404, "application/json", b'{"message": "Not found"}'),
        )
    )
    write_bundle(tmp_path, alert_bundle())
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--dry-run", env=ALERT_ENV)
    assert result.exit_code == 3
    assert (
        f"has no GET {RULE_PATH} (404): alert rules need a Grafana with the alerting provisioning API" in result.stderr
    )
    assert writes(emulator) == []


def test_push_and_diff_help_say_that_alerting_is_carried() -> None:
    runner = CliRunner()
    push_help = " ".join(runner.invoke(app, ["push", "--help"], env={"COLUMNS": "200"}).output.split())
    assert "contact points, the policy tree and alert rules" in push_help
    assert "dashboards and alert rules in managed folders" in push_help and "contact-point secrets" in push_help
    assert "alerting is left out" in push_help
    diff_help = " ".join(runner.invoke(app, ["diff", "--help"], env={"COLUMNS": "200"}).output.split())
    assert "per-alert-rule differences" in diff_help


def test_a_contact_point_secret_the_server_echoes_back_is_masked(emulator: GrafanaEmulator) -> None:
    """A 400 quoting the request body (as some servers and proxies answer) names the failure, never the password."""
    emulator.set_faults(Faults(rate=1.0, kinds=("echo",), only=r"POST /api/v1/provisioning/contact-points"))
    code, out, err = push(emulator, alert_bundle())
    assert code == 1
    assert "failed: contact point cc-ops-webhook" in err and "invalid request body" in err
    assert "hook-s3cret-pw" not in out + err and "***" in err
