"""Input files: one that is not UTF-8, or a directory where a file belongs, is exit 2 naming the file, the line
and what to do, never a traceback; and `dash env import` rewrites dash.yaml with the umask's modes."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.compiler.helpers import copy_project
from tests.conftest import ROOT
from tests.hostile.helpers import dash, refused

LATIN1 = "-- café: écrit en Latin-1\n".encode("latin-1")
OUTPUTS = {
    "aws_region": "eu-central-1",
    "timestream_region": "eu-central-1",
    "connect_instance_id": "22222222-2222-2222-2222-222222222222",
    "realtime_store": "timestream",
    "influxdb_url": None,
    "influxdb_database": None,
    "influxdb_token_env": None,
    "timestream_database": "connect-analytics-test",
    "athena_catalog": "AwsDataCatalog",
    "athena_database": "connect_analytics_test",
    "athena_workgroup": "connect-analytics-test",
    "athena_output_location": "s3://connect-analytics-test-athena-results-123456789012/grafana/",
    "ctr_table": "contact_records",
    "grafana_provisioning_path": "/var/lib/grafana/provisioning",
    "name_prefix": "connect-analytics",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A folder with the repository's dash.yaml, for `dash env import`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "dash.yaml", repo / "dash.yaml")
    return repo


def _outputs(path: Path) -> Path:
    path.write_text(json.dumps({k: {"sensitive": False, "type": "string", "value": v} for k, v in OUTPUTS.items()}))
    return path


def _append(path: Path, data: bytes) -> int:
    """Append `data`; the 1-based line it starts on."""
    before = path.read_bytes()
    if not before.endswith(b"\n"):
        before += b"\n"
    path.write_bytes(before + data)
    return before.count(b"\n") + 1


@pytest.mark.parametrize("command", ["build", "validate", "list"])
def test_a_dash_yaml_in_latin1_is_named_with_its_line(root: Path, tmp_path: Path, command: str) -> None:
    line = _append(root / "dash.yaml", "# réglages\n".encode("latin-1"))
    refused(
        (command, "--root", str(root)),
        tmp_path,
        f"{root / 'dash.yaml'}: line {line}, column 4: byte 0xE9 is not UTF-8; save it as UTF-8 text",
    )


def test_a_dash_yaml_that_is_a_directory_is_named(root: Path, tmp_path: Path) -> None:
    (root / "dash.yaml").unlink()
    (root / "dash.yaml").mkdir()
    refused(("build", "--root", str(root)), tmp_path, f"{root / 'dash.yaml'}: is a directory, not a file")


def test_a_query_file_in_latin1_is_named_with_its_line(root: Path, tmp_path: Path) -> None:
    query = root / "queries" / "timestream" / "waiting.sql"
    line = _append(query, LATIN1)
    refused(
        ("build", "--root", str(root), "--out", str(tmp_path / "out")),
        tmp_path,
        f"{query}: line {line}, column 7: byte 0xE9 is not UTF-8",
        "save it as UTF-8 text",
    )


def test_a_fragment_in_latin1_is_named_not_the_query_including_it(root: Path, tmp_path: Path) -> None:
    fragment = root / "queries" / "timestream" / "_note.sql"
    fragment.write_bytes(LATIN1)
    query = root / "queries" / "timestream" / "waiting.sql"
    query.write_text('{% include "timestream/_note.sql" %}\n' + query.read_text())
    refused(
        ("validate", "--root", str(root)),
        tmp_path,
        f"{fragment}: line 1, column 7: byte 0xE9 is not UTF-8 (read for dashboards/",
        "save it as UTF-8 text",
    )


def test_a_definition_in_latin1_is_named_with_its_line(root: Path, tmp_path: Path) -> None:
    definition = root / "dashboards" / "live.py"
    line = _append(definition, "# tableau de bord: écrit en Latin-1\n".encode("latin-1"))
    refused(
        ("validate", "--root", str(root)),
        tmp_path,
        f"{definition}: line {line}, column 20: byte 0xE9 is not UTF-8; save the definition as UTF-8 text",
    )


def test_env_import_of_a_directory_is_named(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "outputs").mkdir()
    refused(
        ("env", "import", str(tmp_path / "outputs"), "--env", "staging", "--overwrite", "--root", str(repo)),
        tmp_path,
        f"{tmp_path / 'outputs'}: is a directory, not a file",
        "terraform output -json > outputs.json",
    )


def test_env_import_of_a_latin1_outputs_file_is_named(repo: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_bytes('{"aws_region": {"value": "São Paulo"}}'.encode("latin-1"))
    refused(
        ("env", "import", str(outputs), "--env", "staging", "--overwrite", "--root", str(repo)),
        tmp_path,
        f"{outputs}: line 1, column 28: byte 0xE3 is not UTF-8",
        "expected `terraform output -json`",
    )


def test_env_import_into_a_latin1_dash_yaml_is_refused_and_leaves_it(repo: Path, tmp_path: Path) -> None:
    line = _append(repo / "dash.yaml", "# réglages\n".encode("latin-1"))
    refused(
        (
            "env",
            "import",
            str(_outputs(tmp_path / "outputs.json")),
            "--env",
            "staging",
            "--overwrite",
            "--root",
            str(repo),
        ),
        tmp_path,
        f"{repo / 'dash.yaml'}: line {line}, column 4: byte 0xE9 is not UTF-8",
    )


def test_push_with_a_ca_cert_directory_is_named(root: Path, tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    refused(
        ("push", "--grafana-url", "https://127.0.0.1:9", "--root", str(root), "--ca-cert", str(tmp_path / "certs")),
        tmp_path,
        f"--ca-cert {tmp_path / 'certs'}: is a directory, not a file",
        "pass the PEM file of the CA",
    )


@pytest.mark.parametrize("mask", [0o022, 0o027], ids=["umask022", "umask027"])
def test_env_import_rewrites_dash_yaml_with_the_umasks_mode(repo: Path, tmp_path: Path, mask: int) -> None:
    outputs = _outputs(tmp_path / "outputs.json")
    previous = os.umask(mask)
    try:
        code, text = dash("env", "import", str(outputs), "--env", "staging", "--overwrite", "--root", str(repo))
    finally:
        os.umask(previous)
    assert code == 0, text
    assert stat.S_IMODE((repo / "dash.yaml").stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in repo.iterdir()) == ["dash.yaml"]
