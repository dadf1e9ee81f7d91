"""Every hop of the pipeline that touches the customer-managed key has the KMS permission it needs when deployed.

Static tests of encryption settings alone would pass a configuration in which Connect cannot write its streams,
Firehose cannot read them or write the lake, the agent-event Lambda cannot read its records, Grafana's Athena
queries cannot read contact records or write results, or EventBridge cannot dead-letter a contact event. Each test
follows one hop from the encrypted resource to the principal that uses it and fails when that permission goes.
"""

from __future__ import annotations

import re
from typing import Any

from tests.infra.hclconfig import INFRA, MODULES, as_list, jsonencoded, load, policy_statements
from tests.infra.test_security import _expr

PIPELINE_KEY = "aws_kms_key.pipeline.arn"


def _document(module: str, name: str) -> list[dict[str, Any]]:
    return policy_statements(load(MODULES / module).resources("data")[("aws_iam_policy_document", name)])


def _via_services(statement: dict[str, Any]) -> list[str] | None:
    """The kms:ViaService values a statement is limited to (service names only), or None when it is not limited."""
    for condition in statement.get("condition", []):
        if condition["variable"] == "kms:ViaService":
            assert condition["test"] == "StringEquals", f"{statement.get('sid')}: kms:ViaService by {condition['test']}"
            return [value.split(".")[0] for value in condition["values"]]
    return None


def _key_use(statements: list[dict[str, Any]], action: str, service: str) -> list[dict[str, Any]]:
    """Allow statements that let `action` on var.kms_key_arn happen through `service` (or through any service)."""
    found = []
    for statement in statements:
        if statement.get("effect", "Allow") != "Allow" or action not in as_list(statement["actions"]):
            continue
        if "var.kms_key_arn" not in [_expr(r) for r in as_list(statement.get("resources", []))]:
            continue
        via = _via_services(statement)
        if via is None or service in via:
            found.append(statement)
    return found


def _condition(statement: dict[str, Any], variable: str) -> dict[str, Any] | None:
    return next((c for c in statement.get("condition", []) if c["variable"] == variable), None)


def _module_key(module: str) -> str:
    return _expr(load(INFRA).named("module")[module]["kms_key_arn"])


def test_connect_service_linked_role_may_generate_data_keys_for_exactly_its_two_streams() -> None:
    """Connect writes as AWSServiceRoleForAmazonConnect_<id>, whose managed policy has no KMS permission."""
    root = load(INFRA)
    instance = root.resources("data")[("aws_connect_instance", "this")]
    assert _expr(instance["instance_id"]) == "var.connect_instance_id"

    policy = jsonencoded(root.resources()[("aws_kms_key", "pipeline")]["policy"])
    connect = [
        s for s in policy["Statement"] if s["Principal"].get("AWS") == "${data.aws_connect_instance.this.service_role}"
    ]
    assert len(connect) == 1, "the pipeline key policy must name the Connect instance's service-linked role"
    statement = connect[0]
    assert statement["Effect"] == "Allow"
    assert "kms:GenerateDataKey" in as_list(statement["Action"]), "a Kinesis producer needs kms:GenerateDataKey"
    equals = statement["Condition"]["StringEquals"]
    assert equals["kms:ViaService"] == "kinesis.${var.aws_region}.amazonaws.com"
    assert equals["kms:EncryptionContext:aws:kinesis:arn"] == "${local.stream_arns}"

    arns = str(root.locals()["stream_arns"])
    assert ":kinesis:${var.aws_region}:${local.account}:stream/${name}" in arns
    named = set(re.findall(r"\$\{var\.name_prefix\}-[\w-]+", arns))
    streams = load(MODULES / "streams")
    assert named == set(streams.locals()["streams"].values()), (
        f"the key policy names streams {sorted(named)}, modules/streams creates {sorted(streams.locals()['streams'].values())}"
    )
    assert _expr(root.named("module")["streams"]["name_prefix"]) == "var.name_prefix"

    stream = streams.resources()[("aws_kinesis_stream", "this")]
    assert stream["encryption_type"] == "KMS" and _expr(stream["kms_key_id"]) == "var.kms_key_arn"
    assert _module_key("streams") == PIPELINE_KEY


def test_each_firehose_decrypts_its_stream_through_kinesis_and_encrypts_the_lake_through_s3() -> None:
    statements = _document("lake_feed", "firehose")
    decrypt = _key_use(statements, "kms:Decrypt", "kinesis")
    assert decrypt, "Firehose's role cannot decrypt the KMS-encrypted stream it reads"
    for statement in decrypt:
        context = _condition(statement, "kms:EncryptionContext:aws:kinesis:arn")
        assert context is None or [_expr(v) for v in context["values"]] == ["var.stream_arn"]

    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        through_s3 = _key_use(statements, action, "s3")
        assert through_s3, f"Firehose's role lacks {action} through S3 for the SSE-KMS lake objects"
        for statement in through_s3:
            context = _condition(statement, "kms:EncryptionContext:aws:s3:arn")
            assert context is None or {_expr(v) for v in context["values"]} == {
                "var.bucket_arn",
                "var.bucket_arn/*",
            }, "with S3 Bucket Keys the encryption context is the bucket ARN, so both forms must match"
    assert all(_via_services(s) for s in statements if any(a.startswith("kms:") for a in as_list(s["actions"]))), (
        "Firehose's key use must be limited by kms:ViaService"
    )

    feed = load(MODULES / "lake_feed")
    s3 = feed.resources()[("aws_kinesis_firehose_delivery_stream", "this")]["extended_s3_configuration"][0]
    assert _expr(s3["kms_key_arn"]) == "var.kms_key_arn"
    assert _expr(s3["bucket_arn"]) == "var.bucket_arn"
    source = feed.resources()[("aws_kinesis_firehose_delivery_stream", "this")]["kinesis_source_configuration"][0]
    assert _expr(source["kinesis_stream_arn"]) == "var.stream_arn"

    lake = load(MODULES / "ctr_lake")
    streams = {"ctr": "var.ctr_stream_arn", "agent_events": "var.agent_event_stream_arn"}
    for call, stream in streams.items():
        passed = lake.named("module")[call]
        assert _expr(passed["stream_arn"]) == stream, f"ctr_lake: module {call} must read {stream}"
        assert _expr(passed["kms_key_arn"]) == "var.kms_key_arn", f"ctr_lake: module {call} must use the lake's key"
        assert _expr(passed["bucket_arn"]) == "module.bucket.bucket_arn", f"ctr_lake: module {call} writes elsewhere"
    assert _expr(lake.named("module")["bucket"]["kms_key_arn"]) == "var.kms_key_arn"
    assert _module_key("ctr_lake") == PIPELINE_KEY
    root = load(INFRA).named("module")["ctr_lake"]
    assert _expr(root["ctr_stream_arn"]) == "module.streams.ctr_stream_arn"
    assert _expr(root["agent_event_stream_arn"]) == "module.streams.agent_stream_arn"


def test_agent_event_function_decrypts_the_stream_its_mapping_reads() -> None:
    ingest = load(MODULES / "ingest")
    data = ingest.resources("data")
    agent = data[("aws_iam_policy_document", "agent_events")]
    assert [_expr(d) for d in agent["source_policy_documents"]] == [
        "data.aws_iam_policy_document.common['agent_events'].json"
    ]
    assert _expr(ingest.locals()["policies"]["agent_events"]) == "data.aws_iam_policy_document.agent_events.json"
    statements = policy_statements(data[("aws_iam_policy_document", "common")]) + policy_statements(agent)
    assert _key_use(statements, "kms:Decrypt", "kinesis"), "the agent-event role cannot decrypt its stream's records"
    reads = [s for s in statements if "kinesis:GetRecords" in as_list(s["actions"])]
    assert reads and all(_expr(r) == "var.agent_stream_arn" for s in reads for r in as_list(s["resources"]))

    mapping = ingest.resources()[("aws_lambda_event_source_mapping", "agent_events")]
    assert _expr(mapping["event_source_arn"]) == "var.agent_stream_arn"
    call = load(INFRA).named("module")["ingest"]
    assert _expr(call["agent_stream_arn"]) == "module.streams.agent_stream_arn"
    assert _module_key("ingest") == PIPELINE_KEY


def test_grafana_reads_sse_kms_contact_records_and_writes_encrypted_athena_results() -> None:
    statements = _document("grafana", "grafana")
    assert _key_use(statements, "kms:Decrypt", "s3"), "Athena cannot read the SSE-KMS CTR objects as Grafana's role"
    assert _key_use(statements, "kms:GenerateDataKey", "s3"), "Athena cannot write SSE-KMS results as Grafana's role"
    assert _key_use(statements, "kms:Decrypt", "secretsmanager"), "the host cannot read its admin password"

    workgroup = load(MODULES / "analytics").resources()[("aws_athena_workgroup", "this")]
    encryption = workgroup["configuration"][0]["result_configuration"][0]["encryption_configuration"][0]
    assert _expr(encryption["kms_key_arn"]) == "var.kms_key_arn"
    for module in ("grafana", "analytics", "ctr_lake"):
        assert _module_key(module) == PIPELINE_KEY, f"module.{module} must use the key Grafana's role may use"


def test_eventbridge_can_dead_letter_contact_events_into_its_queue() -> None:
    """EventBridge sends as events.amazonaws.com: a KMS-encrypted queue would need a key policy naming it."""
    ingest = load(MODULES / "ingest")
    resources = ingest.resources()
    target = resources[("aws_cloudwatch_event_target", "contact_events")]
    assert _expr(target["dead_letter_config"][0]["arn"]) == "aws_sqs_queue.dlq['contact_events'].arn"
    queue = resources[("aws_sqs_queue", "dlq")]
    assert queue.get("sqs_managed_sse_enabled") is True and "kms_master_key_id" not in queue, (
        "the dead-letter queues use SQS-managed SSE; with a customer-managed key, that key's policy must allow "
        "events.amazonaws.com kms:GenerateDataKey and kms:Decrypt"
    )

    assert _expr(resources[("aws_sqs_queue_policy", "contact_dlq")]["policy"]) == (
        "data.aws_iam_policy_document.contact_dlq.json"
    )
    (statement,) = _document("ingest", "contact_dlq")
    assert statement["actions"] == ["sqs:SendMessage"]
    assert [_expr(r) for r in statement["resources"]] == ["aws_sqs_queue.dlq['contact_events'].arn"]
    assert statement["principals"] == [{"type": "Service", "identifiers": ["events.amazonaws.com"]}]
    source = _condition(statement, "aws:SourceArn")
    assert source and [_expr(v) for v in source["values"]] == ["aws_cloudwatch_event_rule.contact_events.arn"]

    permission = resources[("aws_lambda_permission", "contact_events")]
    assert permission["principal"] == "events.amazonaws.com"
    assert _expr(permission["source_arn"]) == "aws_cloudwatch_event_rule.contact_events.arn"
