"""The security requirements of infra/, asserted on the parsed configuration rather than on lines of text.

Each test names one requirement of the issue (KMS principals, scan cutoff, TLS-only buckets, ingress sources,
wildcard resources, the InfluxDB network, the CTR format) and fails when the Terraform stops meeting it.
"""

from __future__ import annotations

import re
from typing import Any

from tests.infra.hclconfig import (
    INFRA,
    MODULES,
    all_configs,
    as_list,
    compact,
    jsonencoded,
    load,
    policy_statements,
    resolve_locals,
)

ACCOUNT_ROOT = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
# The Connect instance's service-linked role, read from the instance: the one role a key policy names directly.
CONNECT_ROLE = "${data.aws_connect_instance.this.service_role}"
# Actions that have no resource-level permissions, so "*" is the only resource they accept.
RESOURCELESS_ACTIONS = frozenset(
    {
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarmsForMetric",
        "timestream:DescribeEndpoints",
        "timestream:SelectValues",
        "timestream:CancelQuery",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    }
)
KMS_DATA_ACTIONS = ("kms:*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt")


def _expr(value: Any) -> str:
    """compact(), with nested "${...}" unwrapped and one quote style, since the hcl2 parsers differ."""
    unwrapped = re.sub(r"""["']?\$\{([^{}]*)\}["']?""", r"\1", compact(value))
    return unwrapped.replace('"', "'")


def _kms_key_policies() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(where, decoded policy, locals of its configuration) for every aws_kms_key."""
    found = []
    for config in all_configs():
        for (rtype, name), body in config.resources().items():
            if rtype == "aws_kms_key":
                found.append((f"{config.path.name}/{name}", jsonencoded(body["policy"]), config.locals()))
    return found


def test_every_kms_key_rotates_and_names_only_the_account_or_a_conditioned_service() -> None:
    policies = _kms_key_policies()
    assert len(policies) >= 2, "expected the pipeline key and the Timestream key"
    for config in all_configs():
        for (rtype, name), body in config.resources().items():
            if rtype == "aws_kms_key":
                assert body.get("enable_key_rotation") is True, f"{config.path}: {name} needs rotation"
    for where, policy, locals_ in policies:
        for statement in policy["Statement"]:
            sid = f"{where} statement {statement.get('Sid')}"
            principal = statement["Principal"]
            assert isinstance(principal, dict), (
                f"{sid}: Principal must name the account or a service, not {principal!r}"
            )
            assert set(principal) <= {"AWS", "Service"}, f"{sid}: unexpected principal kinds {sorted(principal)}"
            for arn in as_list(principal.get("AWS", [])):
                if arn == CONNECT_ROLE:
                    assert "kms:ViaService" in statement.get("Condition", {}).get("StringEquals", {}), (
                        f"{sid}: Connect's service-linked role may use the key only through Kinesis"
                    )
                    continue
                assert resolve_locals(arn, locals_) == ACCOUNT_ROOT, f"{sid}: principal {arn!r} is not the account root"
            for service in as_list(principal.get("Service", [])):
                assert re.fullmatch(r"[a-z0-9.${}_-]+\.amazonaws\.com", service), f"{sid}: service {service!r}"
                assert statement.get("Condition"), f"{sid}: a service principal needs a condition naming this account"


def test_timestream_key_is_used_only_by_the_named_roles_through_timestream_and_s3() -> None:
    policy = next(p for where, p, _ in _kms_key_policies() if where.startswith("timestream/"))
    users = [s for s in policy["Statement"] if any(a.startswith(KMS_DATA_ACTIONS) for a in as_list(s["Action"]))]
    assert users, "the Timestream key policy grants no use of the key"
    for statement in users:
        condition = statement.get("Condition", {})
        assert condition.get("ArnEquals", {}).get("aws:PrincipalArn") == "${var.key_user_role_arns}", (
            f"statement {statement.get('Sid')} grants key use without ArnEquals aws:PrincipalArn = var.key_user_role_arns"
        )
        assert "kms:ViaService" in condition.get("StringEquals", {}), f"{statement.get('Sid')}: needs kms:ViaService"
    root = load(INFRA)
    assert _expr(root.named("module")["timestream"]["key_user_role_arns"]) == "local.key_user_role_arns"
    arns = _expr(root.locals()["key_user_role_arns"])
    assert (
        ":iam::local.account:role/name" in arns
        and "values(local.ingest_role_names)" in arns
        and "local.grafana_role_name" in arns
    )
    assert _expr(root.named("module")["ingest"]["role_names"]) == "local.ingest_role_names"
    assert _expr(root.named("module")["grafana"]["role_name"]) == "local.grafana_role_name"


def test_athena_workgroup_enforces_a_per_query_scan_cutoff() -> None:
    workgroup = load(MODULES / "analytics").resources()[("aws_athena_workgroup", "this")]
    configuration = workgroup["configuration"][0]
    assert configuration["enforce_workgroup_configuration"] is True
    assert _expr(configuration["bytes_scanned_cutoff_per_query"]) == "var.bytes_scanned_cutoff_per_query"
    encryption = configuration["result_configuration"][0]["encryption_configuration"][0]
    assert encryption["encryption_option"] == "SSE_KMS"
    call = load(INFRA).named("module")["analytics"]
    assert _expr(call["bytes_scanned_cutoff_per_query"]) == "var.athena_bytes_scanned_cutoff"


def test_every_bucket_is_the_hardened_module_and_denies_plain_http() -> None:
    for config in all_configs():
        if config.path.name != "s3_bucket":
            assert not any(r == "aws_s3_bucket" for r, _ in config.resources()), f"{config.path}: use modules/s3_bucket"
    bucket = load(MODULES / "s3_bucket")
    assert (
        _expr(bucket.resources()[("aws_s3_bucket_policy", "this")]["policy"])
        == "data.aws_iam_policy_document.this.json"
    )
    statements = policy_statements(bucket.resources("data")[("aws_iam_policy_document", "this")])
    tls = [s for s in statements if s.get("sid") == "DenyInsecureTransport"]
    assert len(tls) == 1, "the bucket policy needs its DenyInsecureTransport statement"
    statement = tls[0]
    assert statement["effect"] == "Deny" and statement["actions"] == ["s3:*"]
    assert statement["principals"] == [{"type": "*", "identifiers": ["*"]}]
    assert statement["condition"] == [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]
    assert {_expr(r) for r in statement["resources"]} == {"aws_s3_bucket.this.arn", "aws_s3_bucket.this.arn/*"}


def _ingress_rules() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{config.path.name}/{name}", body)
        for config in all_configs()
        for (rtype, name), body in config.resources().items()
        if rtype == "aws_vpc_security_group_ingress_rule"
    ]


def test_ingress_comes_only_from_allowed_cidrs_or_a_security_group() -> None:
    rules = _ingress_rules()
    assert rules
    for where, rule in rules:
        assert "cidr_ipv6" not in rule and "prefix_list_id" not in rule, f"{where}: only IPv4 CIDRs or groups"
        if "referenced_security_group_id" in rule:
            assert "cidr_ipv4" not in rule, f"{where}: a rule names a group or a CIDR, not both"
            continue
        assert _expr(rule.get("cidr_ipv4", "")) in ("each.value", "each.value[0]"), (
            f"{where}: cidr_ipv4 {rule.get('cidr_ipv4')!r} must come from var.allowed_cidrs"
        )
        assert "var.allowed_cidrs" in _expr(rule["for_each"]), f"{where}: must iterate over var.allowed_cidrs"
    call = load(INFRA).named("module")["grafana"]
    assert _expr(call["allowed_cidrs"]) == "var.allowed_cidrs"


def test_iam_wildcard_resources_only_for_actions_without_resource_permissions() -> None:
    checked = 0
    for config in all_configs():
        for (rtype, name), document in config.resources("data").items():
            if rtype != "aws_iam_policy_document":
                continue
            for statement in policy_statements(document):
                checked += 1
                where = f"{config.path.name}/{name} statement {statement.get('sid')}"
                if statement.get("effect", "Allow") != "Allow":
                    continue
                actions = set(as_list(statement["actions"]))
                assert not any(a == "*" or a.endswith(":*") for a in actions), f"{where}: wildcard action"
                resources = [_expr(r) for r in as_list(statement.get("resources", []))]
                if "*" in resources:
                    assert actions <= RESOURCELESS_ACTIONS, f"{where}: {sorted(actions - RESOURCELESS_ACTIONS)} on *"
    assert checked > 20, "too few statements found: did the parser change shape?"


def test_grafana_reads_exactly_the_timestream_tables_of_the_dashboards() -> None:
    document = load(MODULES / "grafana").resources("data")[("aws_iam_policy_document", "grafana")]
    select = [s for s in policy_statements(document) if "timestream:Select" in s["actions"]]
    assert len(select) == 1
    assert _expr(select[0]["resources"]) == "var.timestream_table_arns"
    call = load(INFRA).named("module")["grafana"]
    assert _expr(call["timestream_table_arns"]) == "values(local.timestream_tables)"


def test_grafana_can_test_the_timestream_datasource_and_cancel_its_queries() -> None:
    """The plugin's health check runs `SELECT 1` (timestream:SelectValues); leaving a dashboard cancels queries."""
    document = load(MODULES / "grafana").resources("data")[("aws_iam_policy_document", "grafana")]
    granted = {a for s in policy_statements(document) for a in as_list(s["actions"])}
    assert {"timestream:DescribeEndpoints", "timestream:SelectValues", "timestream:CancelQuery"} <= granted


def test_influxdb_admits_only_its_clients_and_the_lambdas_join_the_vpc() -> None:
    influx = load(MODULES / "influxdb")
    resources = influx.resources()
    instance = resources[("aws_timestreaminfluxdb_db_instance", "this")]
    assert instance["publicly_accessible"] is False
    assert [_expr(g) for g in instance["vpc_security_group_ids"]] == ["aws_security_group.influx.id"]
    into_influx = [
        (where, rule)
        for where, rule in _ingress_rules()
        if where.startswith("influxdb/") and _expr(rule["security_group_id"]) == "aws_security_group.influx.id"
    ]
    assert into_influx, "InfluxDB's security group has no ingress rule for the Lambdas"
    sources = {_expr(rule.get("referenced_security_group_id", "")) for _, rule in into_influx}
    assert "aws_security_group.lambda.id" in sources
    assert sources <= {"aws_security_group.lambda.id", "var.grafana_security_group_id"}, sources
    assert all("cidr_ipv4" not in rule for _, rule in into_influx), "InfluxDB is never open to a CIDR"
    description = resources[("aws_security_group", "influx")]["description"]
    clients = {"aws_security_group.lambda.id": "Lambdas", "var.grafana_security_group_id": "Grafana"}
    assert all(clients[source] in description for source in sources), (
        f"the security group's description {description!r} must name every client it admits"
    )

    function = load(MODULES / "ingest").resources()[("aws_lambda_function", "this")]
    vpc = next(d["vpc_config"] for d in function["dynamic"] if "vpc_config" in d)
    assert _expr(vpc["for_each"]) == "local.in_vpc?['vpc']:[]"
    assert _expr(load(MODULES / "ingest").locals()["in_vpc"]) == "var.sink=='influxdb'"
    content = vpc["content"][0]
    assert _expr(content["subnet_ids"]) == "var.subnet_ids"
    assert _expr(content["security_group_ids"]) == "var.security_group_ids"
    call = load(INFRA).named("module")["ingest"]
    assert _expr(call["subnet_ids"]) == "local.use_ts?[]:module.vpc.private_subnet_ids"
    assert _expr(call["security_group_ids"]) == "local.use_ts?[]:[module.influxdb[0].lambda_security_group_id]"
    assert _expr(call["sink"]) == "var.realtime_store"


def test_ctr_lake_converts_to_parquet_or_writes_newline_delimited_json() -> None:
    feed = load(MODULES / "lake_feed")
    assert _expr(feed.locals()["parquet"]) == "var.output_format=='parquet'"
    assert _expr(load(INFRA).named("module")["ctr_lake"]["output_format"]) == "var.ctr_output_format"
    for call in ("ctr", "agent_events"):
        passed = load(MODULES / "ctr_lake").named("module")[call]
        assert _expr(passed["output_format"]) == "var.output_format", f"ctr_lake: module {call}"
        assert _expr(passed["glue_database_name"]) == "aws_glue_catalog_database.this.name", f"ctr_lake: {call}"
    s3 = feed.resources()[("aws_kinesis_firehose_delivery_stream", "this")]["extended_s3_configuration"][0]

    conversion = next(
        d["data_format_conversion_configuration"] for d in s3["dynamic"] if "data_format_conversion_configuration" in d
    )
    assert _expr(conversion["for_each"]) == "local.parquet?['parquet']:[]"
    body = conversion["content"][0]
    assert body["enabled"] is True
    assert body["output_format_configuration"][0]["serializer"][0]["parquet_ser_de"]
    assert body["input_format_configuration"][0]["deserializer"][0]["open_x_json_ser_de"]
    schema = body["schema_configuration"][0]
    assert _expr(schema["database_name"]) == "var.glue_database_name"
    assert _expr(schema["table_name"]) == "aws_glue_catalog_table.this.name"

    processing = s3["processing_configuration"][0]
    delimiter = next(d["processors"] for d in processing.get("dynamic", []) if "processors" in d)
    assert _expr(delimiter["for_each"]) == "local.parquet?[]:['newline']"
    processor = delimiter["content"][0]
    assert processor["type"] == "AppendDelimiterToRecord"
    parameter = processor["parameters"][0]
    assert parameter["parameter_name"] == "Delimiter"
    assert parameter["parameter_value"] in ("\\n", "\\\n"), 'python-hcl2 7 reads HCL\'s "\\\\n" as backslash-newline'


def test_no_plain_http_listener_reaches_grafana_only_a_redirect_to_https() -> None:
    """Port 80 may only answer with a redirect to HTTPS; Grafana is forwarded to only by the TLS listener."""
    listeners = [
        (f"{config.path.name}/{name}", body)
        for config in all_configs()
        for (rtype, name), body in config.resources().items()
        if rtype.startswith("aws_lb_listener") or rtype.startswith("aws_alb_listener")
    ]
    assert {where for where, _ in listeners} == {"grafana/https", "grafana/http_redirect"}, "review new listeners here"
    for where, body in listeners:
        actions = body["default_action"]
        if body["protocol"] == "HTTPS":
            assert body["port"] == 443 and _expr(body["certificate_arn"]) == "var.certificate_arn", where
            assert body["ssl_policy"].startswith("ELBSecurityPolicy-TLS13-"), f"{where}: TLS 1.2 or later only"
            continue
        assert body["protocol"] == "HTTP", f"{where}: {body['protocol']}"
        assert [a["type"] for a in actions] == ["redirect"], f"{where}: plain HTTP must only redirect"
        (redirect,) = actions[0]["redirect"]
        assert redirect["protocol"] == "HTTPS" and str(redirect["port"]) == "443", f"{where}: redirect to HTTPS"
        assert "target_group_arn" not in actions[0] and "forward" not in actions[0], where


def test_without_a_certificate_nothing_is_admitted_from_outside() -> None:
    """allowed_cidrs reach only the load balancer, which exists only with a certificate; the host is private."""
    grafana = load(MODULES / "grafana")
    resources = grafana.resources()
    assert compact(grafana.locals()["https"]) == 'var.certificate_arn!=""'
    assert _expr(resources[("aws_security_group", "lb")]["count"]) == "local.https?1:0"
    assert _expr(resources[("aws_lb", "this")]["count"]) == "local.https?1:0"
    for (rtype, name), body in resources.items():
        if rtype != "aws_vpc_security_group_ingress_rule":
            continue
        if "cidr_ipv4" in body:
            assert "iflocal.https" in _expr(body["for_each"]), f"grafana/{name}: CIDR ingress only with a certificate"
            assert _expr(body["security_group_id"]) == "aws_security_group.lb[0].id", f"grafana/{name}: only the LB"
        else:
            assert _expr(body["referenced_security_group_id"]) == "aws_security_group.lb[0].id", f"grafana/{name}"
            assert _expr(body["count"]) == "local.https?1:0", f"grafana/{name}: only with a load balancer"
    instance = resources[("aws_instance", "this")]
    assert str(instance["associate_public_ip_address"]).lower() == "false", "the host never has a public address"
    assert _expr(instance["subnet_id"]) == "var.private_subnet_ids[0]"
    assert str(load(INFRA).named("module")["vpc"]["enable_nat_gateway"]).lower() == "true", "the private host needs NAT"


def test_grafana_admin_password_never_enters_terraform_state() -> None:
    """An ephemeral password into a write-only argument; the pins are the versions that introduced them."""
    grafana = load(MODULES / "grafana")
    assert ("random_password", "admin") not in grafana.resources(), "a random_password resource is kept in state"
    assert ("random_password", "admin") in grafana.resources("ephemeral")
    version = grafana.resources()[("aws_secretsmanager_secret_version", "admin")]
    assert "secret_string" not in version and "secret_binary" not in version
    assert _expr(version["secret_string_wo"]) == "ephemeral.random_password.admin.result"
    assert str(version["secret_string_wo_version"]) == "1"
    for config in (load(INFRA), grafana):
        block = config.blocks["terraform"][0]
        assert block["required_version"] == ">= 1.11", f"{config.path}: write-only arguments need Terraform 1.11"
        providers = block["required_providers"][0]
        assert providers["aws"]["version"] == "~> 5.88", f"{config.path}: secret_string_wo came in aws 5.88"
        assert providers["random"]["version"] == ">= 3.7.1, < 4.0.0", f"{config.path}: ephemeral random_password"
    # The one generated password still in state: aws_timestreaminfluxdb_db_instance takes it as a plain argument.
    in_state = {
        (config.path.name, name)
        for config in all_configs()
        for (rtype, name) in config.resources()
        if rtype == "random_password"
    }
    assert in_state == {("influxdb", "influx")}, in_state
