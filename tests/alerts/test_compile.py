"""Alert rules compiled by `dash build`: Grafana's file-provisioning form, settings from dash.yaml, and every way a
rule can be wrong refused at build time, naming the rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.errors import ConfigError, DefinitionError
from core.model import panel_id
from dashcompiler.artifacts import bundle_files
from dashcompiler.checks import check_model
from dashcompiler.compile import compile_model
from tests.compiler.helpers import copy_project


def _rules(files: dict[str, bytes]) -> list[dict]:
    document = yaml.safe_load(files["alerting/rules.yaml"])
    assert document["apiVersion"] == 1
    return [rule for group in document["groups"] for rule in group["rules"]]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def test_settings_come_from_the_environment(project: Path) -> None:
    """The same definition, two environments: thresholds, pending period and window are each one's dash.yaml."""
    test, keys = (_rules(bundle_files(compile_model(project, env)))[0] for env in ("test", "keys"))
    assert test["for"] == "3m" and keys["for"] == "0m"
    assert test["data"][0]["relativeTimeRange"] == {"from": 600, "to": 0}
    assert keys["data"][0]["relativeTimeRange"] == {"from": 300, "to": 0}
    threshold = {e["refId"]: e["model"] for e in keys["data"]}["C"]["conditions"][0]
    assert threshold["evaluator"] == {"params": [10], "type": "gt"}
    assert threshold["unloadEvaluator"] == {"params": [8], "type": "lt"}
    assert keys["data"][0]["datasourceUid"] == "ts-keys"


def test_the_rule_links_the_panel_showing_its_number(project: Path) -> None:
    model = compile_model(project)
    rule = _rules(bundle_files(model))[0]
    board = next(b for b in model.dashboards if b.uid == rule["annotations"]["__dashboardUid__"])
    body = board.panel_json("waiting")
    assert body is not None and str(body["id"]) == rule["annotations"]["__panelId__"] == str(panel_id("waiting"))


def test_the_model_carries_each_query_as_the_local_engine_runs_it(project: Path) -> None:
    model = compile_model(project)
    rule = model.alerts[0].rules[0]
    query = rule.query("A")
    assert query is not None and query.from_seconds == 600
    assert "contacts_in_queue" in query.query.text and "{{" not in query.query.text
    assert query.time_range(1_000_000_000).from_ms == 1_000_000_000 - 600_000
    assert rule.json["data"][0]["model"]["rawQuery"] == query.query.text


def test_a_project_without_alerts_builds_no_alerting_files(project: Path) -> None:
    for path in sorted((project / "alerts").iterdir(), reverse=True):
        path.unlink()
    (project / "alerts").rmdir()
    assert not [p for p in bundle_files(compile_model(project)) if p.startswith("alerting/")]


def test_no_contact_point_without_a_contact(project: Path) -> None:
    files = bundle_files(compile_model(project, "keys"))
    assert "alerting/rules.yaml" in files
    assert "alerting/contact_points.yaml" not in files and "alerting/policies.yaml" not in files


def test_contact_details_are_references_to_grafanas_environment(project: Path) -> None:
    files = bundle_files(compile_model(project))
    points = yaml.safe_load(files["alerting/contact_points.yaml"])["contactPoints"][0]
    settings = {r["type"]: r["settings"] for r in points["receivers"]}
    assert settings["email"]["addresses"] == "$CC_ALERT_EMAIL"
    assert settings["sns"]["topic_arn"] == "$CC_ALERT_TOPIC"
    policy = yaml.safe_load(files["alerting/policies.yaml"])["policies"][0]
    assert policy["receiver"] == points["name"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("email_env", "ops@example.com"), ("sns_topic_arn_env", "arn:aws:sns:eu-west-1:123456789012:ops")],
)
def test_a_contact_value_in_dash_yaml_is_refused(project: Path, key: str, value: str) -> None:
    _edit(
        project / "dash.yaml",
        {"email_env": "email_env: CC_ALERT_EMAIL", "sns_topic_arn_env": "sns_topic_arn_env: CC_ALERT_TOPIC"}[key],
        f"{key}: {value}",
    )
    with pytest.raises(ConfigError, match=rf"alerts\.contact\.{key} must name a variable") as caught:
        compile_model(project)
    assert value not in str(caught.value)


def test_building_twice_gives_the_same_bytes(project: Path) -> None:
    first = bundle_files(compile_model(project))
    assert first == bundle_files(compile_model(project))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('condition="D"', 'condition="E"', r"alert rule 'cc-waiting': condition 'E' is not a refId of this rule"),
        ('Math("D", "$C * 1")', 'Math("D", "$X * 1")', r"expression 'D' reads 'X', which is not a refId"),
        ('Reduce("B", "A"', 'Reduce("B", "Z"', r"expression 'B' reads 'Z'"),
        ('Math("D", "$C * 1")', 'Math("C", "$B")', r"refId 'C' is used twice"),
        ('Reduce("B", "A", "max"', 'Reduce("B", "D", "max"', r"depend on themselves: .*D"),
        ('"max", mode', '"avg", mode', r"reducer 'avg'"),
        ('"gt", Setting("waiting")', '"above", Setting("waiting")', r"comparison 'above'"),
        ('uid="cc-waiting"', 'uid="cc waiting"', r"uid must be 1 to 40"),
        ('no_data="KeepLast"', 'no_data="Pending"', r"no_data 'Pending'"),
        ('Setting("waiting")', '"five"', r"alert rule 'cc-waiting'.*threshold must be a number, but it is 'five'"),
        ('Setting("waiting")', 'Setting("waiting_max")', r"alert rule 'cc-waiting'.*alerts\.thresholds\.waiting_max"),
        ('"cc-live", (WAITING', '"cc-nowhere", (WAITING', r"rule group 'cc-queues': folder 'cc-nowhere' is not in"),
        ('("cc-live", "waiting")', '("cc-live", "waited")', r"alert rule 'cc-waiting': panel names 'waited'"),
        ('interval="30s"', 'interval="45s"', r"interval '45s' must be a positive multiple of 10s"),
        ('Setting("pending", "m")', 'Setting("pending")', r"Setting\('pending'\) needs a unit"),
    ],
)
def test_a_wrong_rule_is_a_build_error_naming_it(project: Path, old: str, new: str, message: str) -> None:
    _edit(project / "alerts" / "live.py", old, new)
    with pytest.raises(DefinitionError, match=message):
        compile_model(project)


@pytest.mark.parametrize("value", ["'high'", "true", "[5]"])
def test_a_non_numeric_threshold_in_dash_yaml_names_the_rule_and_the_key(project: Path, value: str) -> None:
    _edit(project / "dash.yaml", "waiting: 5\n", f"waiting: {value}\n")
    with pytest.raises(
        DefinitionError, match=r"alert rule 'cc-waiting'.*alerts\.thresholds\.waiting of environment 'test'"
    ):
        compile_model(project)


def test_rules_without_an_alerts_block_are_an_error(project: Path) -> None:
    text = (project / "dash.yaml").read_text()
    (project / "dash.yaml").write_text(re.sub(r"    alerts:\n(      .*\n)+", "", text, count=1))
    with pytest.raises(DefinitionError, match=r"environment 'test' has no alerts block"):
        compile_model(project)


def _shape_problems(project: Path) -> list[str]:
    return [
        p.message for p in check_model(compile_model(project), project, cache_results=False) if p.rule == "alert-shape"
    ]


def test_the_shipped_example_reads_as_alerting_reads_it(project: Path) -> None:
    assert _shape_problems(project) == []


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        (
            'SELECT time, queue_name, contacts_in_queue, agents_available FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter',
            "TIME_SERIES",
            r"returns 2 value columns \(contacts_in_queue, agents_available\)",
        ),
        (
            'SELECT contacts_in_queue FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter',
            "TABLE",
            r"several rows without a label column",
        ),
        (
            'SELECT queue_id, max(contacts_in_queue) AS waiting FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter GROUP BY queue_id',
            "TABLE",
            None,
        ),
        (
            'SELECT max(contacts_in_queue) AS waiting FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter',
            "TABLE",
            None,
        ),
    ],
)
def test_a_result_alerting_cannot_read_is_a_build_problem_naming_the_rule(
    project: Path, query: str, fmt: str, message: str | None
) -> None:
    (project / "queries" / "timestream" / "alert_waiting.sql").write_text(query + "\n")
    _edit(project / "alerts" / "live.py", "TimestreamFormat.TIME_SERIES", f"TimestreamFormat.{fmt}")
    problems = _shape_problems(project)
    if message is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith("alert rule 'cc-waiting', query A: ")
        assert re.search(message, problems[0])


def test_a_time_series_the_condition_reads_unreduced_is_a_build_problem(project: Path) -> None:
    _edit(project / "alerts" / "live.py", 'Threshold("C", "B"', 'Threshold("C", "A"')
    problems = _shape_problems(project)
    assert len(problems) == 1 and "returns a time series, but the condition reads it unreduced" in problems[0]


def test_opening_hours_are_read_as_weekdays_and_minutes(project: Path) -> None:
    hours = compile_model(project).env.alerts.opening_hours  # type: ignore[union-attr]
    assert (hours.days, hours.start, hours.end) == ((1, 2, 3, 4, 5, 7), 8 * 60 + 30, 17 * 60)


@pytest.mark.parametrize("value", ["weekdays 9-5", "Mon-Fri 18:00-08:00", "Fri-Mon 08:00-18:00", "Mon-Fri 08:00-25:00"])
def test_bad_opening_hours_are_a_config_error(project: Path, value: str) -> None:
    _edit(project / "dash.yaml", "opening_hours: Mon-Fri,Sun 08:30-17:00", f"opening_hours: {value}")
    with pytest.raises(ConfigError, match=r"alerts\.opening_hours"):
        compile_model(project)


def test_an_unknown_key_of_the_alerts_block_is_named(project: Path) -> None:
    _edit(project / "dash.yaml", "      opening_hours:", "      opening_hour: x\n      opening_hours:")
    with pytest.raises(ConfigError, match=r"unknown key 'opening_hour'; did you mean opening_hours"):
        compile_model(project)
