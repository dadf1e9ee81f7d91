"""A misspelt dash.yaml key or a value of the wrong form stops the build (exit 2) naming the key, dash.yaml and
what to write instead; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compiler.helpers import copy_project, run


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('grafana_version: "12.0"\n', 'grafana_verison: "12.0"\n', "unknown key 'grafana_verison'; did you mean grafana_version?"),
        ("    aws_region: eu-west-2\n", "    aws_regoin: eu-west-2\n", "environment 'test': unknown key 'aws_regoin'; did you mean aws_region?"),
        ("      workgroup: cc-test\n", "      work_group: cc-test\n", "environment 'test': athena: unknown key 'work_group'; did you mean workgroup?"),
        ("      default_table: agent_state\n", "      default_table: agent_state\n      retention: 7d\n", "timestream: unknown key 'retention'; known: database, default_table"),
        ("  test:\n", "  test env:\n", "an environment name is a letter, then letters, digits, - or _"),
        ("12345678-aaaa-bbbb-cccc-123456789012", "arn:aws:connect:eu-west-2:1:instance/x", "is not an Amazon Connect instance id"),
        ("output_location: s3://cc-test-results/", "output_location: cc-test-results/", "athena.output_location 'cc-test-results/' must be an s3:// URL"),
        ("    workgroup: cc-test\n", "    workgroup: " + "w" * 600 + "\n", "athena_workgroup is 600 characters long; at most 512"),
    ],
    ids=["top-level typo", "environment typo", "block typo", "unknown block key", "environment name", "instance id", "s3 url", "length"],
)  # fmt: skip
def test_a_wrong_key_or_value_names_it_and_what_to_write(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = copy_project(tmp_path)
    config = root / "dash.yaml"
    text = config.read_text()
    assert old in text, old
    config.write_text(text.replace(old, new, 1))
    before = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file())
    code, output = run("build", "--root", str(root))
    flat = " ".join(output.split())
    after = sorted((p.relative_to(tmp_path), p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file())
    assert after == before, "a refused build changed files"
    assert code == 2, output
    assert "dash.yaml" in flat and message in flat, flat
    assert "Traceback" not in output
    assert not (root / "provisioning").exists()


def test_a_token_written_where_its_variable_name_belongs_is_refused_without_echoing_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    config = root / "dash.yaml"
    secret = "apiv3_Zm9vYmFyLXNlY3JldA=="
    config.write_text(
        config.read_text()
        .replace("  test:\n    aws_region", "  test:\n    realtime_store: influxdb\n    aws_region", 1)
        .replace("    timestream:\n      database: cc-test\n      default_table: agent_state\n", f"    influxdb:\n      url: https://influx.example:8086\n      database: connect\n      token_env: {secret}\n", 1)
        .replace("      timestream: ts-test\n", "      influxdb: influx-test\n", 1)
    )  # fmt: skip
    code, output = run("build", "--root", str(root))
    assert code == 2, output
    assert "influxdb.token_env" in output and "must name an environment variable" in " ".join(output.split())
    assert secret not in output
