"""The Grafana host's user data renders small: EC2 rejects more than 16 KB."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.infra.hclconfig import MODULES, compact, load

EC2_USER_DATA_LIMIT = 16 * 1024
TEMPLATE = MODULES / "grafana" / "user_data.sh.tftpl"
_INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Longest plausible values, so the size bound holds for real deployments.
WORST_CASE = {
    "region": "ap-southeast-2",
    "bucket": "b" * 63,
    "prefix": "provisioning",
    "admin_secret_arn": "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:" + "n" * 80 + "-AbCdEf",
    "grafana_version": "12.10.10",
    "plugins": " ".join(["grafana-timestream-datasource", "grafana-athena-datasource"] * 4),
    "port": "65535",
    "root_url": "https://" + "g" * 200 + "/",
    "http_addr": "127.0.0.1",
    "cookie_secure": "false",
    "provisioning_path": "/etc/grafana/" + "p" * 100,
    "sync_minutes": "1440",
    "influx_secret_arn": "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:" + "n" * 80 + "-AbCdEf",
    "influx_token_env": "INFLUX_READ_TOKEN",
}
TOKEN_FILE = "/etc/grafana/influxdb-token.env"


def render_template(text: str, variables: dict[str, str]) -> str:
    """templatefile() for plain ${name} interpolation; $${ is a literal ${; directives are refused."""
    if "%{" in text.replace("%%{", ""):
        raise ValueError("template directives (%{...}) are not supported by this renderer")
    missing = sorted(set(_INTERPOLATION.findall(text)) - set(variables))
    if missing:
        raise KeyError(f"template uses undefined variables {missing}")
    rendered = _INTERPOLATION.sub(lambda m: variables[m.group(1)], text)
    return rendered.replace("$${", "${").replace("%%{", "%{")


def _passed_variables() -> set[str]:
    call = compact(load(MODULES / "grafana").locals()["user_data"])
    assert call.startswith('templatefile("${path.module}/user_data.sh.tftpl",{'), call
    return set(re.findall(r"""[{,]["']?([a-z_]+)["']?[=:]""", call[call.index(",{") :]))


def test_template_variables_are_exactly_those_passed() -> None:
    used = set(_INTERPOLATION.findall(TEMPLATE.read_text(encoding="utf-8")))
    assert used == _passed_variables() == set(WORST_CASE)


def test_rendered_user_data_is_under_the_ec2_limit() -> None:
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), WORST_CASE)
    size = len(rendered.encode("utf-8"))
    assert size < EC2_USER_DATA_LIMIT, f"user data is {size} bytes; EC2 allows {EC2_USER_DATA_LIMIT}"


def test_rendered_script_starts_with_a_shebang_and_keeps_heredocs_at_column_zero() -> None:
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), WORST_CASE)
    lines = rendered.splitlines()
    assert lines[0] == "#!/bin/bash"
    for marker in re.findall(r"<<'(\w+)'", rendered):
        assert marker in lines, f"heredoc terminator {marker} is not alone at column 0"
    assert "${" not in rendered, "an interpolation was left unrendered"
    assert "GF_SECURITY_ADMIN_PASSWORD=" not in rendered, "the password is read from a file, never inlined"


def test_renderer_rejects_unknown_variables_and_unescapes_literals() -> None:
    with pytest.raises(KeyError, match="nope"):
        render_template("${nope}", {})
    assert render_template("a $${HOME} ${x}", {"x": "1"}) == "a ${HOME} 1"


def test_bundle_is_the_provisioning_tree_of_dash_build() -> None:
    root_call = load(MODULES.parent).named("module")["grafana"]
    assert compact(root_call["provisioning_dir"]) == "${path.root}/../provisioning"
    grafana = load(MODULES / "grafana")
    assert compact(grafana.locals()["bundle"]) == 'fileset(var.provisioning_dir,"**")'
    upload = grafana.resources()[("aws_s3_object", "bundle")]
    assert compact(upload["for_each"]) == "local.bundle"
    default_path = grafana.named("variable")["grafana_provisioning_path"]["default"]
    assert default_path == "/etc/grafana/provisioning"
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "s3 sync" in text and "OnUnitActiveSec=${sync_minutes}min" in text


def test_rendered_script_and_embedded_sync_script_are_valid_bash(tmp_path: Path) -> None:
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), WORST_CASE)
    sync = rendered.split("<<'SYNC'\n", 1)[1].split("\nSYNC\n", 1)[0]
    for name, script in (("user_data.sh", rendered), ("sync.sh", sync)):
        path = tmp_path / name
        path.write_text(script, encoding="utf-8")
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{name}: {result.stderr}"


def _fake_tools(bin_dir: Path, source: Path, log: Path, secret: Path | None = None) -> None:
    """aws (s3 sync copies `source`; secretsmanager prints `secret` or fails without it), systemctl and chown
    stand-ins that log their calls."""
    secret = secret or bin_dir / "no-secret"
    tools = {
        "aws": (
            f'#!/bin/bash\nif [ "$1" = secretsmanager ]; then echo "aws $*" >> {log}; cat {secret} || exit 254; exit 0; fi\n'
            f'rm -rf "${{@: -1}}"; mkdir -p "${{@: -1}}"; cp -r {source}/. "${{@: -1}}"\n'
        ),
        "systemctl": f'#!/bin/bash\necho "systemctl $*" >> {log}\n',
        "chown": "#!/bin/bash\nexit 0\n",
    }
    for name, body in tools.items():
        (bin_dir / name).write_text(body, encoding="utf-8")
        (bin_dir / name).chmod(0o755)


def test_sync_restarts_grafana_only_when_datasources_change(tmp_path: Path) -> None:
    source, dest, bin_dir, log = tmp_path / "s3", tmp_path / "provisioning", tmp_path / "bin", tmp_path / "log"
    for directory in (source / "datasources", source / "dashboards", bin_dir):
        directory.mkdir(parents=True)
    _fake_tools(bin_dir, source, log)
    variables = {**WORST_CASE, "provisioning_path": str(dest), "influx_secret_arn": ""}  # Timestream: no token
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), variables)
    script = tmp_path / "sync.sh"
    script.write_text(rendered.split("<<'SYNC'\n", 1)[1].split("\nSYNC\n", 1)[0], encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}

    def sync() -> list[str]:
        log.write_text("", encoding="utf-8")
        subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True)
        return [line for line in log.read_text(encoding="utf-8").splitlines() if "restart" in line]

    (source / "datasources" / "connect.yaml").write_text("apiVersion: 1\n", encoding="utf-8")
    assert sync() == ["systemctl restart grafana-server"]
    assert (dest / "datasources" / "connect.yaml").is_file()
    (source / "dashboards" / "a.json").write_text("{}", encoding="utf-8")
    assert sync() == [], "dashboards alone are re-read by Grafana; no restart"
    (source / "datasources" / "connect.yaml").write_text("apiVersion: 1\nprune: true\n", encoding="utf-8")
    assert sync() == ["systemctl restart grafana-server"]
    assert "secretsmanager" not in log.read_text(encoding="utf-8"), "without InfluxDB there is no token to read"


def test_influxdb_token_reaches_grafanas_environment_from_its_secret_and_nowhere_else(tmp_path: Path) -> None:
    """The sync writes INFLUX_READ_TOKEN=<token> to a root-only file Grafana's unit reads, restarts Grafana when the
    token changes, keeps the last token when the secret is unreadable or malformed, and never prints it."""
    source, dest, bin_dir, log = tmp_path / "s3", tmp_path / "provisioning", tmp_path / "bin", tmp_path / "log"
    secret, token_file = tmp_path / "secret.json", tmp_path / "influxdb-token.env"
    for directory in (source / "datasources", bin_dir):
        directory.mkdir(parents=True)
    (source / "datasources" / "connect.yaml").write_text("apiVersion: 1\n", encoding="utf-8")
    _fake_tools(bin_dir, source, log, secret)
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), {**WORST_CASE, "provisioning_path": str(dest)})
    assert f"EnvironmentFile=-{TOKEN_FILE}\n" in rendered, "Grafana's unit must read the token file"
    sync_script = rendered.split("<<'SYNC'\n", 1)[1].split("\nSYNC\n", 1)[0]
    assert f"token_file={TOKEN_FILE}\n" in sync_script
    script = tmp_path / "sync.sh"
    script.write_text(sync_script.replace(TOKEN_FILE, str(token_file)), encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}

    def sync(secret_string: str | None) -> tuple[list[str], str]:
        if secret_string is None:
            secret.unlink(missing_ok=True)
        else:
            secret.write_text(secret_string, encoding="utf-8")
        log.write_text("", encoding="utf-8")
        done = subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True, text=True)
        assert "s3cr3t" not in done.stdout + done.stderr, "the token must never be printed"
        calls = log.read_text(encoding="utf-8").splitlines()
        assert any(f"--secret-id {WORST_CASE['influx_secret_arn']}" in c for c in calls), calls
        return [c for c in calls if "restart" in c], done.stderr

    assert sync('{"token": ""}')[0] == ["systemctl restart grafana-server"]  # the bundle's datasources arrive
    assert token_file.read_text(encoding="utf-8") == "INFLUX_READ_TOKEN=\n", "placeholder: an empty token, no error"
    assert sync('{"token": ""}')[0] == []
    token = "s3cr3t_Tok-en/+AAAA=="
    assert sync(json.dumps({"token": token}))[0] == ["systemctl restart grafana-server"], "the token takes effect"
    assert token_file.read_text(encoding="utf-8") == f"INFLUX_READ_TOKEN={token}\n"
    assert token_file.stat().st_mode & 0o777 == 0o600, "only root (systemd) reads the token file"
    assert sync(json.dumps({"token": token}))[0] == []

    for bad, message in (
        (None, "unreadable"),
        ("not json", "is not"),
        ('{"token": "s3cr3t\\nGF_SECURITY_ADMIN_PASSWORD=x"}', "characters"),
        ('{"token": "s3cr3t; rm -rf /"}', "characters"),
    ):
        restarts, stderr = sync(bad)
        assert restarts == [] and message in stderr, (bad, stderr)
        assert token_file.read_text(encoding="utf-8") == f"INFLUX_READ_TOKEN={token}\n", "the last token stays"


def _grafana_env(**variables: str) -> dict[str, str]:
    """The GF_* settings the rendered user data writes to grafana-server's environment."""
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), {**WORST_CASE, **variables})
    body = rendered[rendered.index("cat >> /etc/sysconfig/grafana-server <<'ENV'\n") :]
    body = body[body.index("\n") + 1 : body.index("\nENV\n")]
    return dict(line.split("=", 1) for line in body.splitlines())


def test_grafana_behind_https_has_secure_cookies_and_an_https_root_url() -> None:
    """cookie_secure and root_url follow the certificate; without one Grafana listens only on loopback."""
    grafana = load(MODULES / "grafana")
    locals_ = grafana.locals()
    assert compact(locals_["https"]) == 'var.certificate_arn!=""'
    assert (
        compact(locals_["root_url"])
        == 'local.https?"https://${var.domain_name}/":"http://localhost:${var.grafana_port}/"'
    )
    assert compact(locals_["http_addr"]) == 'local.https?"":"127.0.0.1"'
    passed = dict(re.findall(r"""["']?(\w+)["']?[=:]["']?\$\{([^{}]*)\}""", compact(locals_["user_data"])))
    assert passed["cookie_secure"] == "local.https", "Secure cookies exactly when Grafana is behind HTTPS"
    assert passed["root_url"] == "local.root_url" and passed["http_addr"] == "local.http_addr"

    https = _grafana_env(cookie_secure="true", root_url="https://grafana.example.net/", http_addr="")
    assert https["GF_SECURITY_COOKIE_SECURE"] == "true"
    assert https["GF_SERVER_ROOT_URL"] == "https://grafana.example.net/"
    assert https["GF_SERVER_HTTP_ADDR"] == "", "behind the load balancer Grafana listens on the VPC address"

    tunnel = _grafana_env(cookie_secure="false", root_url="http://localhost:3000/", http_addr="127.0.0.1")
    assert tunnel["GF_SERVER_ROOT_URL"] == "http://localhost:3000/"
    assert tunnel["GF_SERVER_HTTP_ADDR"] == "127.0.0.1", "only the port forward, on loopback, reaches it"
    rendered = render_template(TEMPLATE.read_text(encoding="utf-8"), WORST_CASE)
    assert "public-ipv4" not in rendered, "Grafana's URL is never the host's public address"
