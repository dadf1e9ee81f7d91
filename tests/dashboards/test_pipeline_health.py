"""The Pipeline health dashboard draws what the alarms watch: each thresholded panel reads the alarm's metric with the
alarm's statistic and period, and its line is the alarm's threshold at the Terraform defaults (read from
infra/modules/alarms/variables.tf here, independently of the definition's copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from connect_ingest import published_metrics

from cloudwatchcheck import read_query
from dashboards import pipeline_health
from dashcompiler.compile import compile_model
from dashcompiler.config import load_config
from tests.infra.hclconfig import MODULES, compact, load

ROOT = Path(__file__).resolve().parents[2]
ALARMS = load(MODULES / "alarms")
DEFAULTS = {name: body.get("default") for name, body in ALARMS.named("variable").items()}
TIMEOUT = load(MODULES / "ingest").named("variable")["timeout_seconds"]["default"]

# panel key -> (alarm resource in modules/alarms, the threshold the alarm compares with, from Terraform's defaults)
ALARMED = {
    "records_rejected": ("store_rejected_records", DEFAULTS["rejected_records"]),
    "dead_letters": ("dead_letters", DEFAULTS["dead_letter_messages"]),
    "collector_runs": ("scheduled_runs", DEFAULTS["collector_min_runs"]),
    "iterator_age": ("stream_iterator_age", DEFAULTS["iterator_age_seconds"] * 1000),
    "firehose_freshness": ("firehose_freshness", DEFAULTS["firehose_freshness_seconds"]),
    "lambda_duration": ("lambda_duration", TIMEOUT * 1000 * DEFAULTS["lambda_duration_timeout_percent"] / 100),
    "lambda_errors": ("lambda_errors", DEFAULTS["lambda_errors"]),
}
# What a red line means: the alarm's comparison.
DIRECTION = {"GreaterThanOrEqualToThreshold": ("green", "red"), "LessThanThreshold": ("red", "green")}


def _board() -> Any:
    model = compile_model(ROOT, load_config(ROOT).default_env)
    return next(b for b in model.dashboards if b.uid == pipeline_health.DASHBOARD.uid)


BOARD = _board()


def _panel(key: str) -> dict[str, Any]:
    (query,) = BOARD.panel_queries(key)
    title = query.title
    return next(p for p in BOARD.json["panels"] if p.get("title") == title)


def test_the_definitions_copy_of_the_defaults_is_terraforms() -> None:
    for name, value in pipeline_health.ALARM_DEFAULTS.items():
        assert DEFAULTS[name] == value, (
            f"dashboards/pipeline_health.py {name} = {value}, Terraform's default {DEFAULTS[name]}"
        )
    assert pipeline_health.FUNCTION_TIMEOUT_SECONDS == TIMEOUT


@pytest.mark.parametrize("key", sorted(ALARMED))
def test_each_line_is_its_alarms_threshold_on_its_alarms_metric(key: str) -> None:
    resource, threshold = ALARMED[key]
    alarm = ALARMS.resources()[("aws_cloudwatch_metric_alarm", resource)]
    panel = _panel(key)
    steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"]["mode"] == "line"
    assert [s["value"] for s in steps] == [None, threshold], f"{key}: line at {steps[1]['value']}, alarm at {threshold}"
    assert tuple(s["color"] for s in steps) == DIRECTION[alarm["comparison_operator"]], key
    (target,) = panel["targets"]
    namespace = alarm["namespace"]
    if compact(namespace) == "var.metrics_namespace":
        namespace = DEFAULTS["metrics_namespace"]
    assert (target["namespace"], target["metricName"], target["statistic"]) == (
        namespace,
        alarm["metric_name"],
        alarm["statistic"],
    ), key
    assert target["period"] == str(DEFAULTS["alarm_period_seconds"]), f"{key}: the alarm's period, not another"


def test_every_panel_names_only_published_metrics_of_this_deployment() -> None:
    """The checker's verdict, seen from the compiled targets: every series a panel asks for exists."""
    prefix = load_config(ROOT).env(None).name_prefix
    queries = [q for q in BOARD.queries if q.kind.name == "cloudwatch"]
    assert len(queries) == len(BOARD.panels)  # one query per panel
    for query in queries:
        metric, findings = read_query(query.text)
        assert not findings, (query.file, findings)
        names = frozenset(name for name, _ in metric.dimensions)
        family = published_metrics.family(metric.namespace, metric.metric, names)
        assert family is not None, query.file
        for name, values in metric.dimensions:
            assert set(values) <= {s[name] for s in family.series(prefix)}, (query.file, name)


def test_panels_without_an_alarm_draw_no_line() -> None:
    plain = [key for key, _ in BOARD.panels if BOARD.panel_queries(key) and key not in ALARMED]
    assert plain == ["events_in", "inputs_received", "records_written"]
    for key in plain:
        assert _panel(key)["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"]["mode"] == "off", key
