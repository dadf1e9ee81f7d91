"""InfluxDB mode: the Lambdas get a credential InfluxDB 2.x accepts on /write, and Grafana can reach the instance."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from connect_ingest.config import ConfigError, influx_auth

from tests.infra.hclconfig import INFRA, MODULES, ROOT, all_configs, compact, jsonencoded, load, policy_statements
from tests.infra.test_security import _expr

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


def _datasource_setting(output: Any, key: str) -> str:
    """One setting of grafana_datasources.influxdb as written (the two hcl2 parsers quote the object differently)."""
    match = re.search(rf"""['"]?{key}['"]?[:=]['"]?([^,'"}}]+)""", _expr(output))
    assert match, f"grafana_datasources.influxdb lacks {key}"
    return match.group(1).strip()


def test_influxdb_datasource_output_describes_the_provisioned_datasource() -> None:
    output = load(INFRA).named("output")["grafana_datasources"]["value"]["influxdb"]
    assert compact(output).startswith("local.use_ts?null:{"), "grafana_datasources.influxdb only with InfluxDB"
    expected = {
        "provisioned": "true",
        "type": "influxdb",
        "version": "InfluxQL",
        "httpMode": "POST",
        "httpHeaderName1": "Authorization",
        "url": "module.influxdb[0].url",
        "dbName": "module.influxdb[0].database",
        "token_env": "module.grafana.influxdb_token_env",
    }
    found = {key: _datasource_setting(output, key) for key in expected}
    assert {**found, "provisioned": found["provisioned"].lower()} == expected
    assert "added by hand" not in load(INFRA).named("output")["grafana_datasources"]["description"]


def _token_env() -> str:
    return str(load(MODULES / "grafana").locals()["influxdb_token_env"])


def test_bundle_and_dash_yaml_name_the_environment_variable_the_grafana_host_fills() -> None:
    """The host writes INFLUX_READ_TOKEN; an influxdb datasource (bundle) or environment (dash.yaml) naming any other
    variable would send `Token ` with nothing after it."""
    env = _token_env()
    assert env == "INFLUX_READ_TOKEN"
    checked = 0
    for path in (ROOT / "provisioning" / "datasources").glob("*.yaml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["datasources"]:
            if source["type"] != "influxdb":
                continue
            checked += 1
            assert source["jsonData"]["version"] == "InfluxQL"
            assert source["jsonData"]["httpHeaderName1"] == "Authorization"
            value = source["secureJsonData"]["httpHeaderValue1"]
            assert re.fullmatch(rf"Token \$(\{{{env}\}}|{env})", value), f"{path.name}: {value!r} must expand ${env}"
    config = yaml.safe_load((ROOT / "dash.yaml").read_text(encoding="utf-8"))
    for name, environment in config["environments"].items():
        if isinstance(environment.get("influxdb"), dict) and "token_env" in environment["influxdb"]:
            checked += 1
            assert environment["influxdb"]["token_env"] == env, f"dash.yaml {name}.influxdb.token_env"
    if not checked:
        pytest.skip(
            "neither the committed bundle nor dash.yaml has an influxdb datasource yet (the dashboards' influxdb kind "
            f"is not on this branch): nothing to hold to {env}"
        )


def test_grafana_token_secret_is_a_placeholder_terraform_never_overwrites() -> None:
    secret = load(INFLUX).resources()[("aws_secretsmanager_secret", "grafana_token")]
    assert compact(secret["kms_key_id"]) == "var.kms_key_arn"
    version = _secret_versions()["grafana_token"]
    assert compact(version["secret_id"]) == "aws_secretsmanager_secret.grafana_token.id"
    assert "secret_string" in str(version["lifecycle"][0]["ignore_changes"]), "apply must not reset the token"
    assert jsonencoded(version["secret_string"]) == {"token": ""}, "the host reads {'token': ...}; nothing else"
    outputs = load(INFLUX).named("output")
    assert compact(outputs["grafana_token_secret_arn"]["value"]) == "aws_secretsmanager_secret.grafana_token.arn"


def test_grafana_may_read_exactly_the_read_token_secret_and_decrypt_it() -> None:
    root = load(INFRA)
    call = root.named("module")["grafana"]
    assert compact(call["influxdb_token_secret_arn"]) == 'local.use_ts?"":module.influxdb[0].grafana_token_secret_arn'
    assert compact(call["kms_key_arn"]) == compact(root.named("module")["influxdb"]["kms_key_arn"]), (
        "the secret's key must be the one Grafana may decrypt through Secrets Manager"
    )
    grafana = load(MODULES / "grafana")
    document = grafana.resources("data")[("aws_iam_policy_document", "grafana")]
    statements = policy_statements(document)
    reads = {
        s["sid"]: [compact(r) for r in s["resources"]]
        for s in statements
        if "secretsmanager:GetSecretValue" in s["actions"]
    }
    assert reads == {
        "ReadAdminPassword": ["aws_secretsmanager_secret.admin.arn"],
        "ReadInfluxdbToken": ["var.influxdb_token_secret_arn"],
    }
    token = next(s for s in statements if s["sid"] == "ReadInfluxdbToken")
    assert token["actions"] == ["secretsmanager:GetSecretValue"]
    dynamic = next(d["statement"] for d in document["dynamic"] if d["statement"]["content"][0] is token)
    assert _expr(dynamic["for_each"]) == "var.influxdb_token_secret_arn==''?[]:['influxdb']", "none with Timestream"
    decrypt = [
        s
        for s in statements
        if "kms:Decrypt" in s["actions"]
        and [_expr(r) for r in s["resources"]] == ["var.kms_key_arn"]
        and any(v.startswith("secretsmanager.") for c in s.get("condition", []) for v in c["values"])
    ]
    assert decrypt, "Grafana cannot decrypt the token secret through Secrets Manager"
    user_data = compact(grafana.locals()["user_data"])
    assert re.search(r"""influx_secret_arn["']?[:=]["']?(\$\{)?var\.influxdb_token_secret_arn\b""", user_data), (
        user_data
    )
    assert re.search(r"""influx_token_env["']?[:=]["']?(\$\{)?local\.influxdb_token_env\b""", user_data), user_data


def test_no_token_value_in_any_terraform_file_or_template() -> None:
    """Tokens are put in their secrets after apply; none may be written into the configuration (and so the state)."""
    files = sorted(p for p in INFRA.rglob("*") if p.suffix in (".tf", ".tftpl") and "lambdas" not in p.parts)
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(INFRA)
        for literal in re.findall(r'\btoken\s*=\s*"([^"]*)"', text, flags=re.I):
            assert literal == "", f"{where}: a token literal {literal[:4]}..."
        assert not re.search(r"[A-Za-z0-9_-]{40,}==", text), f"{where}: something shaped like an InfluxDB token"
        for header in re.findall(r"Token\s+(\S+)", text):
            assert header.startswith("$"), f"{where}: an Authorization header with a literal token"
        assert 'data "aws_secretsmanager_secret_version"' not in text, f"{where}: reading a secret puts it in the state"
    for config in all_configs():
        for name, output in config.named("output").items():
            assert "secret_string" not in str(output["value"]), f"{config.path.name}: output {name} exposes a secret"
