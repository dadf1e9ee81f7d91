"""An InfluxQL query file is checked at build time as the SQL ones are: its finding names the file, line and
column, says what it should be, and comes in the same text and JSON forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.compiler.helpers import copy_shipped, run

ROOT = Path(__file__).resolve().parents[2]
ONLINE = Path("queries/influxdb/variables/instance.influxql")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path)


def _break(root: Path, old: str, new: str) -> tuple[int, int]:
    """Replace the first `old` in the file; the 1-based line and column where `new` starts."""
    path = root / ONLINE
    text = path.read_text()
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :])
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.mark.parametrize(
    ("old", "new", "rule", "words"),
    [
        ("FROM queue_metrics", "FROM queue_metric", "unknown-measurement", "did you mean queue_metrics"),
        ("GROUP BY instance_id", "GROUP BY instance", "unknown-tag", "instance_id"),
        ("time > now() - 1d AND ", "", "time-bound", "now()"),
    ],
)
def test_a_wrong_influxql_file_fails_validate_at_its_place(
    repo: Path, old: str, new: str, rule: str, words: str
) -> None:
    line, column = _break(repo, old, new)
    code, text = run("validate", "--root", str(repo), "--env", "prod", "--format", "json")
    assert code == 1, text
    findings = [f for f in json.loads(text) if f["file"] == ONLINE.as_posix()]
    assert any(f["rule"] == rule and words in f["message"] for f in findings), findings
    assert all(f["line"] == line for f in findings), findings
    if new:
        assert any(f["column"] >= column for f in findings), (column, findings)
    code, text = run("build", "--root", str(repo))
    assert code == 2 and f"{ONLINE.as_posix()}:" in text and f": {rule}: " in text, text
    assert not (repo / "provisioning").exists()


def test_the_finding_in_a_shared_fragment_names_the_fragment(repo: Path) -> None:
    fragment = repo / "queries/influxdb/_agents.influxql"
    fragment.write_text(fragment.read_text().replace('"routing_profile" =~', '"routing_profil" =~', 1))
    code, text = run("validate", "--root", str(repo), "--env", "prod")
    assert code == 1
    assert "unknown-" in text and "routing_profil" in text and "_agents.influxql" in text, text
