"""The pipeline alarms (infra/modules/alarms) watch metrics that exist, on every resource that can lose or delay data.

Every alarm must name a metric its resource really publishes: namespace, metric name and dimension names as
connect_ingest.published_metrics declares them, each dimension fed from the root by the resource it names. Every
Lambda function, SQS queue, Kinesis stream and Firehose delivery stream anywhere under infra/ must reach the alarms
module through the root's module call: a resource added without an alarm fails here, naming the line to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from connect_ingest import published_metrics
from connect_ingest.published_metrics import FAMILIES, MetricFamily

from tests.infra.hclconfig import INFRA, MODULES, Config, as_list, compact, jsonencoded, load, policy_statements

ALARMS = MODULES / "alarms"
PREFIX = "connect-analytics"  # the root's name_prefix default

# Each resource type that can lose or delay data -> the alarms module inputs that must carry every one of them.
COVERED = {
    "aws_lambda_function": ("function_names",),
    "aws_sqs_queue": ("dead_letter_queue_names",),
    "aws_kinesis_stream": ("stream_names",),
    "aws_kinesis_firehose_delivery_stream": ("delivery_stream_names",),
}
# Alarms module input -> the resource type whose names it carries (what the root must wire into it).
INPUT_RESOURCE = {
    "function_names": "aws_lambda_function",
    "stream_consumers": "aws_lambda_function",
    "scheduled_functions": "aws_lambda_function",
    "dead_letter_queue_names": "aws_sqs_queue",
    "stream_names": "aws_kinesis_stream",
    "delivery_stream_names": "aws_kinesis_firehose_delivery_stream",
    "event_rule_names": "aws_cloudwatch_event_rule",
    "athena_workgroup_name": "aws_athena_workgroup",
}
# Dimension naming a resource -> the alarms module inputs its value may come from.
DIMENSION_INPUTS = {
    "FunctionName": {"function_names", "stream_consumers", "scheduled_functions"},
    "QueueName": {"dead_letter_queue_names"},
    "StreamName": {"stream_names"},
    "DeliveryStreamName": {"delivery_stream_names"},
    "RuleName": {"event_rule_names"},
    "WorkGroup": {"athena_workgroup_name"},
}
# Resource type -> the declaration's names for a deployment, to hold to the Terraform names.
DECLARED_NAMES = {
    "aws_lambda_function": published_metrics.function_names,
    "aws_sqs_queue": published_metrics.dead_letter_queue_names,
    "aws_kinesis_stream": published_metrics.stream_names,
    "aws_kinesis_firehose_delivery_stream": published_metrics.delivery_stream_names,
    "aws_cloudwatch_event_rule": published_metrics.event_rule_names,
    "aws_athena_workgroup": published_metrics.workgroup_names,
}
NAME_ATTRIBUTE = {"aws_lambda_function": "function_name"}


def _alarms() -> dict[str, dict[str, Any]]:
    found = {
        name: body for (rtype, name), body in load(ALARMS).resources().items() if rtype == "aws_cloudwatch_metric_alarm"
    }
    assert len(found) >= 15, "too few alarms found: did the parser change shape?"
    return found


def _module_default(name: str) -> Any:
    return load(ALARMS).named("variable")[name]["default"]


def _family(body: dict[str, Any]) -> tuple[str, str, dict[str, str], MetricFamily | None]:
    namespace = body["namespace"]
    if compact(namespace) == "var.metrics_namespace":
        namespace = _module_default("metrics_namespace")
    metric = body["metric_name"]
    dimensions = body["dimensions"]
    if compact(dimensions) == "each.value" and compact(body["for_each"]) == "var.ingest_metric_dimensions":
        dimensions = {"service": "each.value.service", "source": "each.value.source"}
    assert isinstance(dimensions, dict), f"dimensions must be a literal map, not {dimensions!r}"
    return namespace, metric, dimensions, published_metrics.family(namespace, metric, frozenset(dimensions))


@pytest.mark.parametrize("name", sorted(_alarms()))
def test_every_alarm_names_a_metric_its_resource_publishes(name: str) -> None:
    body = _alarms()[name]
    namespace, metric, dimensions, family = _family(body)
    assert family is not None, (
        f"modules/alarms: alarm {name} watches {namespace} {metric} by {sorted(dimensions)}, which nothing in the "
        "pipeline publishes (connect_ingest/published_metrics.py declares what does)"
    )
    source = compact(body.get("for_each", ""))
    published = family.series(PREFIX)
    for dimension, value in dimensions.items():
        inputs = DIMENSION_INPUTS.get(dimension)
        if inputs is not None:
            fed_by = {m for m in re.findall(r"var\.(\w+)", f"{source} {compact(value)}") if m in INPUT_RESOURCE}
            assert compact(value) in ("each.value", *(f"var.{i}" for i in inputs)), f"{name}: {dimension} = {value}"
            assert fed_by and fed_by <= inputs, f"{name}: {dimension} must come from {sorted(inputs)}, not {fed_by}"
        elif dimension in ("service", "source"):
            assert source == "var.ingest_metric_dimensions", f"{name}: {dimension} must come from the functions' own"
        else:
            assert any(series[dimension] == value for series in published), (
                f"{name}: {dimension} = {value!r} is not a value {namespace} publishes"
            )
    assert body.get("actions_enabled") is True and compact(body["alarm_actions"]) == "local.actions"


def test_every_alarm_notifies_the_one_encrypted_topic() -> None:
    config = load(ALARMS)
    topic = config.resources()[("aws_sns_topic", "alarms")]
    assert compact(topic["kms_master_key_id"]) == "var.kms_key_arn"
    assert re.fullmatch(r"\[\W*aws_sns_topic\.alarms\.arn\W*\]", compact(config.locals()["actions"]))
    assert [t for t, _ in config.resources() if t == "aws_sns_topic"] == ["aws_sns_topic"]
    subscriptions = {n: b for (t, n), b in config.resources().items() if t == "aws_sns_topic_subscription"}
    assert {n: (b["protocol"], compact(b["for_each"])) for n, b in subscriptions.items()} == {
        "email": ("email", "toset(var.email_addresses)"),
        "https": ("https", "toset(var.https_endpoints)"),
    }
    root = load(INFRA).named("module")["alarms"]
    assert compact(root["email_addresses"]) == "var.alarm_email_addresses"
    assert compact(root["https_endpoints"]) == "var.alarm_https_endpoints"


def test_the_custom_metrics_are_what_the_handlers_emit() -> None:
    """ingest's metric dimensions and POWERTOOLS_SERVICE_NAME agree with the declaration the Lambdas report by."""
    ingest = load(MODULES / "ingest")
    dimensions = ingest.locals()["metric_dimensions"]
    assert {key: dict(value) for key, value in dimensions.items()} == {
        key: {"service": published_metrics.service(key), "source": source}
        for key, source in published_metrics.SOURCES.items()
    }
    function = ingest.resources()[("aws_lambda_function", "this")]
    environment = compact(function["environment"][0]["variables"])
    assert re.search(r"POWERTOOLS_SERVICE_NAME\W+local\.metric_dimensions\[each\.key\]\.service", environment)
    assert ingest.named("variable")["metrics_namespace"]["default"] == published_metrics.CUSTOM_NAMESPACE
    assert _module_default("metrics_namespace") == published_metrics.CUSTOM_NAMESPACE
    from connect_ingest import agent_events, collector, contact_events

    assert {m.__name__.rsplit(".", 1)[1]: m.SOURCE for m in (agent_events, collector, contact_events)} == dict(
        published_metrics.SOURCES
    )


# --- coverage: every resource that can lose or delay data reaches the alarms -------------------------------------


def _module_calls() -> dict[str, Path]:
    return {name: (INFRA / body["source"]).resolve() for name, body in load(INFRA).named("module").items()}


@dataclass(frozen=True)
class Scope:
    """A module instance the root reaches: its configuration, what its caller passes it, and that caller
    (None for a module the root calls), so a nested module's resources are reached and named."""

    config: Config
    passed: dict[str, Any]
    path: tuple[str, ...]
    parent: Scope | None


def _scopes(call: str) -> list[Scope]:
    """The module the root calls as `call` and every module nested in it."""
    top = Scope(load(_module_calls()[call]), load(INFRA).named("module")[call], (), None)
    found: list[Scope] = []
    pending = [top]
    while pending:
        scope = pending.pop()
        found.append(scope)
        for name, body in scope.config.named("module").items():
            child = load((scope.config.path / body["source"]).resolve())
            pending.append(Scope(child, body, (*scope.path, name), scope))
    return found


def _keys(config: Config, body: dict[str, Any]) -> list[str | None]:
    """A resource's instances: its for_each keys when they are a local map, else one unkeyed instance."""
    for_each = compact(body.get("for_each", ""))
    match = re.fullmatch(r"local\.(\w+)", for_each)
    if match:
        return sorted(config.locals()[match.group(1)])
    return [None]


def _instances(rtype: str) -> list[tuple[str, tuple[str, ...], str, str | None]]:
    """(module call, nested module path, resource name, key) of every resource of the type the root reaches."""
    found: list[tuple[str, tuple[str, ...], str, str | None]] = []
    for call in _module_calls():
        for scope in _scopes(call):
            for (kind, name), body in scope.config.resources().items():
                if kind == rtype:
                    found.extend((call, scope.path, name, key) for key in _keys(scope.config, body))
    return found


def _inlined(config: Config, expression: str) -> str:
    """An output's expression with each `module.<m>.<output>` replaced by that output's own expression, its
    references prefixed `module.<m>.`, so a nested module's resource appears by its address from `config`."""
    calls = config.named("module")

    def inline(match: re.Match[str]) -> str:
        child = load((config.path / calls[match.group(1)]["source"]).resolve())
        value = _inlined(child, compact(child.named("output")[match.group(2)]["value"]))
        return re.sub(r"(?<!\.)(?=module\.|aws_)", f"module.{match.group(1)}.", value)

    return re.sub(r"(?<!\.)module\.(\w+)\.(\w+)", inline, expression)


def _covers(reference: str, rtype: str, path: tuple[str, ...], name: str, key: str | None) -> bool:
    """Does an expression (an output's value) reach this instance: the whole resource, or it by its key?"""
    address = re.escape("".join(f"module.{m}." for m in path) + f"{rtype}.{name}")
    for match in re.finditer(rf"(?<!\.){address}(\[\"(\w+)\"\])?", reference):
        if match.group(2) is None or match.group(2) == key:
            return True
    return False


def _wired(call: str, inputs: tuple[str, ...]) -> list[str]:
    """The module outputs (module.<call>.<output>) the root passes into the alarms' inputs."""
    alarms = load(INFRA).named("module")["alarms"]
    text = " ".join(compact(alarms.get(i, "")) for i in inputs)
    return re.findall(rf"module\.{call}(?:\[\d+\])?\.(\w+)", text)


@pytest.mark.parametrize("rtype", sorted(COVERED))
def test_every_resource_that_can_lose_or_delay_data_has_an_alarm(rtype: str) -> None:
    instances = _instances(rtype)
    assert instances, f"no {rtype} found: did the parser change?"
    missing = []
    for call, path, name, key in instances:
        config = load(_module_calls()[call])
        outputs = config.named("output")
        wired = [_inlined(config, compact(outputs[o]["value"])) for o in _wired(call, COVERED[rtype]) if o in outputs]
        if not any(_covers(value, rtype, path, name, key) for value in wired):
            nested = "".join(f"module.{m}." for m in path)
            missing.append(f"module.{call}.{nested}{rtype}.{name}" + (f'["{key}"]' if key else ""))
    assert not missing, (
        f"no alarm watches {', '.join(missing)}: add an output naming it to its module and one line passing that "
        f'output into module "alarms" {" or ".join(COVERED[rtype])} in infra/main.tf'
    )
    root_resources = [n for (t, n) in load(INFRA).resources() if t == rtype]
    assert not root_resources, f"infra/main.tf: {rtype} {root_resources} must live in a module whose output is wired"


@pytest.mark.parametrize("name", sorted(INPUT_RESOURCE))
def test_alarm_inputs_carry_names_of_the_right_resources(name: str) -> None:
    """What the root passes into each input names resources of the type its alarms' dimension means."""
    alarms = load(INFRA).named("module")["alarms"]
    if name not in alarms:
        return
    rtype = INPUT_RESOURCE[name]
    references = re.findall(r"module\.(\w+)(?:\[\d+\])?\.(\w+)", compact(alarms[name]))
    assert references, f"module alarms {name} = {alarms[name]} names no module output"
    for call, output in references:
        config = load(_module_calls()[call])
        value = _inlined(config, compact(config.named("output")[output]["value"]))
        assert rtype in value, f"module.{call}.{output} (passed as {name}) is not a {rtype}'s name: {value}"


def _terraform_names(rtype: str) -> set[str]:
    """Every name the resources of a type get for name_prefix PREFIX, evaluating infra/'s name templates."""
    names = set()
    for call in _module_calls():
        for scope in _scopes(call):
            for (kind, _), body in scope.config.resources().items():
                if kind != rtype:
                    continue
                template = str(body[NAME_ATTRIBUTE.get(rtype, "name")])
                for key in _keys(scope.config, body):
                    names.add(_evaluate(template, scope, key))
    return names


def _evaluate(template: str, scope: Scope, key: str | None) -> str:
    """The few forms infra/ names resources with: a variable (the root's var.name_prefix, or a template its
    caller passes), each.key, each.value, replace()."""
    config = scope.config

    def value(expression: str) -> str:
        expression = expression.strip()
        if expression == "each.key":
            return str(key)
        if expression == "each.value":
            for body in config.locals().values():
                if isinstance(body, dict) and key in body:
                    return _evaluate(str(body[key]), scope, key)
        match = re.fullmatch(r'replace\((.+),"(.*)","(.*)"\)', expression.replace(" ", ""))
        if match:
            return value(match.group(1)).replace(match.group(2), match.group(3))
        match = re.fullmatch(r"var\.(\w+)", expression)
        if match and match.group(1) in scope.passed:
            passed = scope.passed[match.group(1)]
            if scope.parent is not None:
                return _evaluate(str(passed), scope.parent, None)
            if compact(passed) == "var.name_prefix":
                return PREFIX
        raise AssertionError(f"{config.path}: cannot evaluate {expression!r} in a resource name")

    return re.sub(r"\$\{([^}]*)\}", lambda m: value(m.group(1)), template)


@pytest.mark.parametrize("rtype", sorted(DECLARED_NAMES))
def test_the_declaration_names_exactly_the_resources_terraform_creates(rtype: str) -> None:
    """published_metrics' names (what panels may name) are infra/'s, so a panel cannot name a missing resource."""
    declared = set(DECLARED_NAMES[rtype](PREFIX).values())
    created = _terraform_names(rtype)
    assert declared == created, (
        f"connect_ingest/published_metrics.py names {sorted(declared)} for {rtype}, infra/ creates {sorted(created)}: "
        "declare the new resource there too (its key in the tuple or mapping of its kind)"
    )


def test_every_family_has_series_for_the_default_deployment() -> None:
    for family in FAMILIES:
        series = family.series(PREFIX)
        assert series, f"{family.namespace}: no series"
        assert all(set(s) == set(family.dimensions) for s in series), f"{family.namespace}: dimension names"


def test_threshold_defaults_are_listed_in_the_readme_and_overridable_from_the_root() -> None:
    config = load(ALARMS)
    thresholds = {n: b["default"] for n, b in config.named("variable").items() if b.get("nullable") is False}
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for name, default in thresholds.items():
        assert re.search(rf"^\| `{name}` \| {re.escape(str(default))} \|", readme, re.M), (
            f"infra/README.md: the thresholds table must list `{name}` with its default {default}"
        )
    call = load(INFRA).named("module")["alarms"]
    for name in thresholds:
        assert compact(call.get(name, "")) == f'lookup(var.alarm_thresholds,"{name}",null)', f"root: {name}"
    validation = compact(load(INFRA).named("variable")["alarm_thresholds"]["validation"][0]["condition"])
    listed = set(re.findall(r"\w+", validation.split("contains([", 1)[1].split("]", 1)[0]))
    assert listed == set(thresholds), f"alarm_thresholds' validation lists {sorted(listed ^ set(thresholds))} wrongly"


def test_cloudwatch_may_use_the_key_that_encrypts_the_topic() -> None:
    """An alarm cannot publish to a KMS-encrypted topic unless the key lets CloudWatch encrypt with it."""
    root = load(INFRA)
    assert compact(root.named("module")["alarms"]["kms_key_arn"]) == "aws_kms_key.pipeline.arn"
    policy = jsonencoded(root.resources()[("aws_kms_key", "pipeline")]["policy"])
    (statement,) = [s for s in policy["Statement"] if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"]
    assert set(as_list(statement["Action"])) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "${local.account}"


def test_grafana_may_read_cloudwatch_and_change_nothing() -> None:
    document = load(MODULES / "grafana").resources("data")[("aws_iam_policy_document", "grafana")]
    actions = {a for s in policy_statements(document) for a in as_list(s["actions"]) if a.startswith("cloudwatch:")}
    assert {"cloudwatch:GetMetricData", "cloudwatch:ListMetrics"} <= actions  # what the datasource's queries need
    assert all(re.fullmatch(r"cloudwatch:(Get|List|Describe)\w+", a) for a in actions), sorted(actions)
