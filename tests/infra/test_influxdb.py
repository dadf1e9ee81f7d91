"""InfluxDB mode: the Lambdas get a credential InfluxDB 2.x accepts on /write, and Grafana can reach the instance."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from connect_ingest.config import ConfigError, influx_auth

from tests.infra.hclconfig import INFRA, MODULES, ROOT, compact, jsonencoded, load, policy_statements

INFLUX = MODULES / "influxdb"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:connect-analytics/influxdb-ingest-token-AbCdEf"


class _Secrets:
    """A Secrets Manager client that returns one secret string."""

    def __init__(self, secret_string: str) -> None:
        self.secret_string = secret_string

    def get_secret_value(self, SecretId: str) -> dict[str, Any]:
        assert SecretId == SECRET_ARN
        return {"SecretString": self.secret_string}


def _secret_versions() -> dict[str, dict[str, Any]]:
    return {name: body for (rtype, name), body in load(INFLUX).resources().items() if rtype.endswith("_secret_version")}


def test_lambdas_are_given_the_token_secret_and_can_read_nothing_else() -> None:
    call = load(INFRA).named("module")["ingest"]
    assert compact(call["influx_secret_arn"]).endswith("module.influxdb[0].ingest_token_secret_arn")
    root_text = (INFRA / "main.tf").read_text(encoding="utf-8")
    assert "admin_secret_arn" not in root_text, "the InfluxDB admin secret must not be wired into any module"
    outputs = load(INFLUX).named("output")
    assert compact(outputs["ingest_token_secret_arn"]["value"]) == "aws_secretsmanager_secret.ingest_token.arn"

    ingest = load(MODULES / "ingest")
    assert compact(ingest.locals()["common_environment"]["INFLUX_SECRET_ARN"]) == "var.influx_secret_arn"
    common = ingest.resources("data")[("aws_iam_policy_document", "common")]
    reads = [s for s in policy_statements(common) if "secretsmanager:GetSecretValue" in s["actions"]]
    assert len(reads) == 1
    assert [compact(r) for r in reads[0]["resources"]] == ["var.influx_secret_arn"]


def test_token_secret_holds_what_the_sink_reads_and_terraform_never_overwrites_it() -> None:
    version = _secret_versions()["ingest_token"]
    assert compact(version["secret_id"]) == "aws_secretsmanager_secret.ingest_token.id"
    assert "secret_string" in str(version["lifecycle"][0]["ignore_changes"]), "apply must not reset the token"
    placeholder = jsonencoded(version["secret_string"])
    assert placeholder == {"token": ""}, "the Lambdas read {'token': ...}; nothing else belongs in this secret"

    env = {"INFLUX_SECRET_ARN": SECRET_ARN}
    with pytest.raises(ConfigError, match="neither 'token'"):
        influx_auth(env, _Secrets(json.dumps(placeholder)))
    filled = json.dumps({**placeholder, "token": "t0ken"})
    assert influx_auth(env, _Secrets(filled)).header() == "Token t0ken"


def test_admin_password_stays_in_the_admin_secret() -> None:
    versions = _secret_versions()
    admin = jsonencoded(versions["admin"]["secret_string"])
    assert compact(admin["password"]) == "random_password.influx.result"
    assert compact(versions["admin"]["secret_id"]) == "aws_secretsmanager_secret.admin.id"
    for name, version in versions.items():
        if name != "admin":
            assert "random_password" not in str(version["secret_string"]), f"{name} must not carry the password"


def test_grafana_security_group_can_reach_influxdb() -> None:
    resources = load(INFLUX).resources()
    ingress = resources[("aws_vpc_security_group_ingress_rule", "influx_from_grafana")]
    assert compact(ingress["security_group_id"]) == "aws_security_group.influx.id"
    assert compact(ingress["referenced_security_group_id"]) == "var.grafana_security_group_id"
    egress = resources[("aws_vpc_security_group_egress_rule", "grafana_influx")]
    assert compact(egress["security_group_id"]) == "var.grafana_security_group_id"
    assert compact(egress["referenced_security_group_id"]) == "aws_security_group.influx.id"
    for rule in (ingress, egress):
        assert (compact(rule["from_port"]), compact(rule["to_port"])) == ("local.port", "local.port")
    call = load(INFRA).named("module")["influxdb"]
    assert compact(call["grafana_security_group_id"]) == "module.grafana.security_group_id"


def test_influxdb_datasource_output_says_whether_the_bundle_provisions_one() -> None:
    bundled = set()
    for path in (ROOT / "provisioning" / "datasources").glob("*.yaml"):
        bundled |= {d["type"] for d in yaml.safe_load(path.read_text(encoding="utf-8"))["datasources"]}
    output = load(INFRA).named("output")["grafana_datasources"]["value"]
    match = re.search(r"""provisioned['"]?\s*[:=]\s*(\w+)""", str(output["influxdb"]))
    assert match, "grafana_datasources.influxdb must say whether the bundle provisions it (provisioned)"
    assert match.group(1).lower() == str("influxdb" in bundled).lower(), (
        f"grafana_datasources.influxdb says provisioned = {match.group(1)}, but the bundle has {sorted(bundled)}"
    )
