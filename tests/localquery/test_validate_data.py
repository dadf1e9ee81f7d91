"""`dash validate --data DIR`: every panel and variable query run on a `dash simulate` folder, with the default
selection and one value of each variable; a panel with no rows, only nulls or an error is a finding (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from dashcompiler.config import load_config
from tests.compiler.helpers import copy_shipped
from tests.localquery.shipped import ROOT, sql_environment


@pytest.fixture(scope="module")
def default_sim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder exactly as `dash simulate` writes it with no options but --out."""
    out = tmp_path_factory.mktemp("validate") / "sim"
    result = CliRunner().invoke(cli.app, ["simulate", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _validate(root: Path, data: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, ["validate", "--root", str(root), "--data", str(data), *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("env", sorted(load_config(ROOT).outputs))
def test_the_shipped_dashboards_are_clean_on_a_default_simulation(default_sim: Path, env: str) -> None:
    code, out, err = _validate(ROOT, default_sim, "--env", env)
    assert code == 0, out + err
    assert out.startswith("ok: ") and "query runs on" in out and "every panel and variable returned values" in out
    if load_config(ROOT).env(env).realtime_store == "influxdb":  # what is run in InfluxQL's place is said
        assert "InfluxQL queries are not run here" in err and "Timestream SQL twins" in err
    else:
        assert "InfluxQL" not in err
    # CloudWatch reads AWS's own metrics: said, never counted as run or as a finding
    assert "Amazon CloudWatch queries are not run here: no local engine reads them" in err


def _history(root: Path, name: str) -> Path:
    return root / "queries" / "athena" / "history" / f"{name}.sql"


@pytest.fixture(scope="module")
def planted(default_sim: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str]]:
    """One copy with two newcomer mistakes in two files, validated once as text and once as JSON: each run checks
    and queries every shipped panel, so the mistakes share them."""
    root = copy_shipped(tmp_path_factory.mktemp("planted"))
    # The newcomer panel: `queue.name IN ($queue)` without the All sentinel is null under "All"
    _history(root, "callbacks").write_text(
        '{% from "athena/_contacts.sql" import contacts with context %}-- Mean queue seconds of the selected queues.\n'
        "WITH {{ contacts(queue_filter=False) }}\n"
        "SELECT avg(queue.duration) AS callbacks\nFROM ctr\nWHERE queue.name IN ($queue)\n"
    )
    # A CTR time (a string) compared with the range: type-mismatch says so, and the engine refuses it when run
    hold = _history(root, "avg_hold_time")
    hold.write_text(hold.read_text().replace("FROM ctr", "FROM ctr WHERE initiationtimestamp > $__timeFrom()"))
    env = sql_environment()
    return {fmt: _validate(root, default_sim, "--env", env, "--format", fmt) for fmt in ("text", "json")}


def test_a_panel_null_under_all_is_a_finding_naming_dashboard_panel_values_and_file(
    planted: dict[str, tuple[int, str, str]],
) -> None:
    code, out, err = planted["text"]
    assert code == 1, out + err
    findings = [line for line in out.splitlines() if "callbacks.sql" in line]
    # Under "All" (the default, and with one channel) it finds nothing; with one queue's name it does
    assert findings and all("$queue=All" in line for line in findings), out
    line = findings[0]
    assert line.startswith("queries/athena/history/callbacks.sql:1:1: only-nulls: connect-history-contacts, ")
    assert "panel 'callbacks' (Callbacks), with $instance=" in line and "$queue=All, $channel=All" in line
    assert line.endswith("returns only nulls")
    code, out, _ = planted["json"]
    found = [p for p in json.loads(out) if p["file"].endswith("callbacks.sql")]
    assert code == 1 and found and {p["rule"] for p in found} == {"only-nulls"}


def test_a_query_the_engine_refuses_is_a_finding_not_a_crash(planted: dict[str, tuple[int, str, str]]) -> None:
    code, out, err = planted["text"]
    assert code == 1, out + err
    line = next(line for line in out.splitlines() if "avg_hold_time.sql" in line)
    assert ": query-error: connect-history-contacts, panel 'avg_hold_time' (" in line and "with $instance=" in line
    assert "compares a VARCHAR with a TIMESTAMP" in line and "Binder Error" not in line
    found = [p for p in json.loads(planted["json"][1]) if p["file"].endswith("avg_hold_time.sql")]
    assert found and {p["rule"] for p in found} == {"query-error", "type-mismatch"}


def test_options_without_data_or_a_span_are_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["validate", "--root", str(ROOT), "--from", "2026-02-01T00:00:00Z"])
    assert result.exit_code == 2 and "--from and --to go with --data DIR" in result.output
    (tmp_path / "data").mkdir()
    code, out, err = _validate(ROOT, tmp_path / "data")
    assert code == 2 and "no manifest.json with the simulation's span; give --from and --to" in out + err
