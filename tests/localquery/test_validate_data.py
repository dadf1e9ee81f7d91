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
        assert "not run" not in err


def _callbacks(root: Path) -> Path:
    return root / "queries" / "athena" / "history" / "callbacks.sql"


def test_a_panel_null_under_all_is_a_finding_naming_dashboard_panel_values_and_file(
    default_sim: Path, tmp_path: Path
) -> None:
    """The issue's newcomer panel: `queue.name IN ($queue)` without the All sentinel is null under "All"."""
    root = copy_shipped(tmp_path)
    _callbacks(root).write_text(
        '{% from "athena/_contacts.sql" import contacts with context %}-- Mean queue seconds of the selected queues.\n'
        "WITH {{ contacts(queue_filter=False) }}\n"
        "SELECT avg(queue.duration) AS callbacks\nFROM ctr\nWHERE queue.name IN ($queue)\n"
    )
    code, out, err = _validate(root, default_sim, "--env", sql_environment())
    assert code == 1, out + err
    findings = [line for line in out.splitlines() if "callbacks.sql" in line]
    # Under "All" (the default, and with one channel) it finds nothing; with one queue's name it does
    assert findings and all("$queue=All" in line for line in findings), out
    line = findings[0]
    assert line.startswith("queries/athena/history/callbacks.sql:1:1: only-nulls: connect-history-contacts, ")
    assert "panel 'callbacks' (Callbacks), with $instance=" in line and "$queue=All, $channel=All" in line
    assert line.endswith("returns only nulls")
    code, out, _ = _validate(root, default_sim, "--env", sql_environment(), "--format", "json")
    found = [p for p in json.loads(out) if p["file"].endswith("callbacks.sql")]
    assert code == 1 and found and {p["rule"] for p in found} == {"only-nulls"}


def test_a_query_the_engine_refuses_is_a_finding_not_a_crash(default_sim: Path, tmp_path: Path) -> None:
    """A CTR time (a string) compared with the range passes the static checks and fails on the engine."""
    root = copy_shipped(tmp_path)
    text = _callbacks(root).read_text()
    _callbacks(root).write_text(text.replace("FROM ctr", "FROM ctr WHERE initiationtimestamp > $__timeFrom()"))
    code, out, err = _validate(root, default_sim, "--env", sql_environment())
    assert code == 1, out + err
    line = next(line for line in out.splitlines() if "callbacks.sql" in line)
    assert ": query-error: connect-history-contacts, panel 'callbacks' (Callbacks), with $instance=" in line
    assert "compares a VARCHAR with a TIMESTAMP" in line and "Binder Error" not in line


def test_options_without_data_or_a_span_are_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["validate", "--root", str(ROOT), "--from", "2026-02-01T00:00:00Z"])
    assert result.exit_code == 2 and "--from and --to go with --data DIR" in result.output
    (tmp_path / "data").mkdir()
    code, out, err = _validate(ROOT, tmp_path / "data")
    assert code == 2 and "no manifest.json with the simulation's span; give --from and --to" in out + err
