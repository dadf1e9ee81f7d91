"""Options out of range or of the wrong form: exit 2, the option named with what it accepts, no traceback, and
nothing written (the repository and the --out folder stay as they were)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from tests.compiler.helpers import copy_shipped

ROOT = Path(__file__).resolve().parents[2]
RANGE = ("--from", "2026-02-01T00:00:00Z", "--to", "2026-02-01T01:00:00Z")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path)


def _tree(base: Path) -> list[tuple[str, bytes]]:
    return sorted((p.relative_to(base).as_posix(), p.read_bytes()) for p in base.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["push", "--grafana-url", "http://127.0.0.1:9", "--concurrency", "0"], "--concurrency, --retries and --org-id must be at least 1"),
        (["push", "--grafana-url", "http://127.0.0.1:9", "--timeout", "-1"], "--timeout above 0"),
        (["push", "--grafana-url", "http://127.0.0.1:9", "--retries", "0"], "must be at least 1"),
        (["simulate", "--out", "{tmp}/sim", "--agents", "2"], "--agents 2: use 3 to 5000"),
        (["simulate", "--out", "{tmp}/sim", "--contacts", "-5"], "--contacts -5: use 0 to 2,000,000"),
        (["simulate", "--out", "{tmp}/sim", "--hours", "0"], "--hours 0.0: use 0.1 to 744"),
        (["simulate", "--out", "{tmp}/sim", "--start", "yesterday"], "--start 'yesterday': not an ISO-8601 time"),
        (["query", "connect-rt-agents", "online", "--engine", "local", "--data", "{tmp}/nodata", *RANGE], "not a directory; generate one with `dash simulate"),
        (["query", "connect-rt-agents", "online", "--engine", "duck", "--data", "{tmp}", *RANGE], "--engine duck: use --engine local --data DIR, or --engine influxdb"),
        (["query", "connect-rt-agents", "online", "--engine", "local", "--data", "{tmp}", "--format", "xml", *RANGE], "--format xml: use table or json"),
        (["query", "connect-rt-agents", "online", "--engine", "local", "--data", "{tmp}", "--from", "nope", "--to", "2026-02-01T00:00:00Z"], "--from 'nope': not an ISO-8601 time"),
        (["diff"], "pass exactly one of --grafana-url URL and --git REF"),
        (["build", "--env", "nowhere"], "no environment 'nowhere'; known: prod, staging"),
    ],
    ids=["concurrency", "timeout", "retries", "agents", "contacts", "hours", "start", "data", "engine", "format", "from", "diff", "env"],
)  # fmt: skip
def test_a_bad_option_is_named_with_what_it_accepts(repo: Path, tmp_path: Path, args: list[str], message: str) -> None:
    resolved = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if resolved[0] not in ("simulate",):
        resolved += ["--root", str(repo)]
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli.app, resolved, env={"GRAFANA_TOKEN": "t"})
    flat = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert message in flat, flat
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert _tree(tmp_path) == before, "a refused command changed files"
