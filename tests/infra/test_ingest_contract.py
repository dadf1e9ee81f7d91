"""The ingest module honours the Lambda contract: handlers, environment, tables, permissions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from connect_ingest import datamodel

from tests.infra.hclconfig import INFRA, MODULES, compact, expression, load, policy_statements
from tests.infra.hcleval import evaluate

LAMBDAS = INFRA / "lambdas"
CONTRACT_ENV = {
    "SINK",
    "TIMESTREAM_DATABASE",
    "TIMESTREAM_REGION",
    "DLQ_URL",
    "CONNECT_INSTANCE_ID",
    "INFLUX_URL",
    "INFLUX_DATABASE",
    "INFLUX_SECRET_ARN",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
}
CONTRACT_TABLES = {
    "agent_events": ["agent_state", "agent_contact"],
    "contact_events": ["contact_event"],
    # The collector writes queue_metrics and resource_snapshot, and the schema seed of every table
    # (collector.seed_every_table): the event functions seed only their own tables, on their first event, so on
    # a new instance the agent and contact tables would have no columns, and their panels fail, until then.
    "collector": ["queue_metrics", "resource_snapshot", "agent_state", "agent_contact", "contact_event"],
}
CONTRACT_HANDLERS = {
    "agent_events": "connect_ingest.agent_events.handler",
    "contact_events": "connect_ingest.contact_events.handler",
    "collector": "connect_ingest.collector.handler",
}


def _functions() -> dict[str, dict]:
    return load(MODULES / "ingest").locals()["functions"]


def test_handlers_and_tables_are_the_contract() -> None:
    functions = _functions()
    assert {k: f["handler"] for k, f in functions.items()} == CONTRACT_HANDLERS
    assert {k: f["tables"] for k, f in functions.items()} == CONTRACT_TABLES
    declared = {t.name for t in datamodel.TIMESTREAM_TABLES}
    for key, function in functions.items():
        assert set(function["tables"]) <= declared, f"{key} writes undeclared tables"


@pytest.mark.parametrize("key", sorted(CONTRACT_HANDLERS))
def test_handler_names_a_function_in_infra_lambdas(key: str) -> None:
    module_path, _, function = _functions()[key]["handler"].rpartition(".")
    source = LAMBDAS.joinpath(*module_path.split(".")).with_suffix(".py")
    assert source.is_file(), f"handler {key} names module {module_path}, but {source} does not exist"
    assert function in _top_level_names(source), f"{source} has no top-level {function}()"


def _top_level_names(source: Path) -> set[str]:
    """Functions and assigned names at module level: what a Lambda handler string can name."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    return names


def test_top_level_names_sees_handlers_not_nested_or_missing_ones(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "def handler(event, context):\n    def inner():\n        pass\n\nclass C:\n    def method(self):\n        pass\n"
    )
    names = _top_level_names(source)
    assert "handler" in names
    assert "inner" not in names and "method" not in names


def test_environment_variables_are_the_contract() -> None:
    text = (MODULES / "ingest" / "main.tf").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s+([A-Z][A-Z_]+)\s+=", text, flags=re.M))
    assert keys == CONTRACT_ENV


def _names_the_lambdas_read() -> tuple[set[str], set[str]]:
    """(required, optional) environment variable names, as the code under infra/lambdas reads them."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (LAMBDAS / "connect_ingest").rglob("*.py"))
    required = set(re.findall(r'\brequired\("([A-Z_]+)"', code))
    optional = set(re.findall(r'(?:env|environ)(?:\.get\(|\[)"([A-Z_]+)"', code))
    return required, optional


def test_terraform_sets_every_variable_the_lambdas_require_and_only_ones_they_read() -> None:
    required, optional = _names_the_lambdas_read()
    assert {"DLQ_URL", "TIMESTREAM_DATABASE", "INFLUX_URL", "CONNECT_INSTANCE_ID"} <= required, "reader is broken"
    text = (MODULES / "ingest" / "main.tf").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s+([A-Z][A-Z_]+)\s+=", text, flags=re.M))
    assert required - keys == set(), "the Lambdas require variables Terraform never sets"
    read_by_powertools = {"POWERTOOLS_SERVICE_NAME"}
    assert keys - required - optional - read_by_powertools == set(), "Terraform sets variables nothing reads"
    secrets = keys & {"INFLUX_TOKEN", "INFLUX_PASSWORD"}
    assert not secrets, f"{secrets}: lambda:GetFunctionConfiguration shows them; the Lambdas read INFLUX_SECRET_ARN"


def test_event_source_mapping_reports_partial_failures() -> None:
    mapping = load(MODULES / "ingest").resources()[("aws_lambda_event_source_mapping", "agent_events")]
    assert compact(mapping["event_source_arn"]) == "var.agent_stream_arn"
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert mapping["bisect_batch_on_function_error"] is True
    assert "aws_sqs_queue.dlq" in compact(mapping["destination_config"][0]["on_failure"][0]["destination_arn"])
    for key in ("batch_size", "maximum_batching_window_in_seconds"):
        assert compact(mapping[key]).startswith("var.")


def test_contact_rule_has_retry_policy_and_dead_letter_queue() -> None:
    resources = load(MODULES / "ingest").resources()
    rule = resources[("aws_cloudwatch_event_rule", "contact_events")]
    assert "Amazon Connect Contact Event" in str(rule["event_pattern"])
    target = resources[("aws_cloudwatch_event_target", "contact_events")]
    assert target["retry_policy"] and target["dead_letter_config"]
    schedule = resources[("aws_scheduler_schedule", "collector")]
    assert schedule["target"][0]["dead_letter_config"] and schedule["target"][0]["retry_policy"]


def test_each_function_role_is_scoped() -> None:
    ingest = load(MODULES / "ingest")
    text = (MODULES / "ingest" / "main.tf").read_text(encoding="utf-8")
    assert "timestream:*" not in text and '"*:*"' not in text
    data = ingest.resources("data")
    common = data[("aws_iam_policy_document", "common")]
    writes = next(s for s in common["dynamic"] if "statement" in s)["statement"]
    assert "each.value.tables" in compact(writes["content"][0]["resources"])
    collector = data[("aws_iam_policy_document", "collector")]["statement"][0]
    assert sorted(collector["actions"]) == [
        "connect:GetCurrentMetricData",
        "connect:ListQueues",
        "connect:ListRoutingProfiles",
        "connect:ListUsers",
    ]
    assert compact(collector["resources"]) != "*"


def _timestream_writes(key: str, sink: str) -> list[str]:
    """The table ARNs function ``key``'s role may write with ``sink``, its WriteRecords statement evaluated."""
    common = load(MODULES / "ingest").resources("data")[("aws_iam_policy_document", "common")]
    (dynamic,) = [
        d["statement"] for d in common["dynamic"] if d["statement"]["content"][0].get("sid") == "WriteOwnTables"
    ]
    # python-hcl2 renders the list literal ["write"] as a Python repr.
    if not evaluate(expression(dynamic["for_each"]).replace("'", '"'), {"sink": sink}):
        return []
    (statement,) = dynamic["content"]
    assert statement["actions"] == ["timestream:WriteRecords"]
    # `each.value` is the function's entry in local.functions; hcleval binds `var.` only.
    resources = expression(statement["resources"]).replace("each.value.", "var.function.")
    arns = {t.name: f"arn:aws:timestream:eu-west-1:1:database/db/table/{t.name}" for t in datamodel.TIMESTREAM_TABLES}
    return evaluate(resources, {"function": _functions()[key], "timestream_table_arns": arns})


def test_the_collector_may_write_exactly_the_five_tables_and_the_event_functions_only_their_own() -> None:
    every = sorted(t.name for t in datamodel.TIMESTREAM_TABLES)
    assert len(every) == 5
    granted = {
        key: sorted(arn.rpartition("/")[2] for arn in _timestream_writes(key, "timestream")) for key in CONTRACT_TABLES
    }
    assert granted == {
        "agent_events": ["agent_contact", "agent_state"],
        "contact_events": ["contact_event"],
        "collector": every,
    }
    assert all(_timestream_writes(key, "influxdb") == [] for key in CONTRACT_TABLES)
    collector = load(MODULES / "ingest").resources("data")[("aws_iam_policy_document", "collector")]
    assert not any("timestream" in str(s.get("actions")) for s in policy_statements(collector)), (
        "the collector's own statements grant no Timestream access beyond WriteOwnTables"
    )
