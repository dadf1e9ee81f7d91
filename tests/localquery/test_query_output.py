"""`dash query` as a user reads it: numbers by the panel's unit and decimals (JSON raw), the variables it ran
with, a warning for a --var value the data lacks, and the engines' refusals said as what to change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from core.errors import DefinitionError
from localquery.display import ColumnFormat, cell_text, column_formats
from tests.compiler.helpers import copy_shipped
from tests.localquery.shipped import ROOT, sql_environment

UID = "connect-history-contacts"
SPAN = ["--from", "2026-01-31T22:00:00Z", "--to", "2026-02-01T02:00:00Z"]


def _query(data: Path, panel: str, *extra: str, root: Path = ROOT) -> tuple[int, str, str]:
    args = ["query", UID, panel, "--engine", "local", "--data", str(data), "--root", str(root)]
    result = CliRunner().invoke(cli.app, [*args, "--env", sql_environment(), *SPAN, *extra])
    return result.exit_code, result.stdout, result.stderr


def _hms(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def test_a_stat_reads_as_the_panel_shows_it_and_json_keeps_the_number(sim_dir: Path) -> None:
    code, out, _ = _query(sim_dir, "service_level", "--format", "json")
    assert code == 0, out
    (row,) = json.loads(out)
    raw = row["service_level"]
    assert isinstance(raw, float) and raw != round(raw, 1)  # a number with more digits than the panel shows
    code, out, _ = _query(sim_dir, "service_level")
    assert code == 0, out
    assert f"{raw:.1f}%" in out  # unit percent, one decimal
    assert str(raw) not in out


def test_a_tables_columns_take_their_override_units(sim_dir: Path) -> None:
    code, out, _ = _query(sim_dir, "agents", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    code, table, _ = _query(sim_dir, "agents")
    assert code == 0, table
    first = rows[0]
    line = next(line for line in table.splitlines() if first["agent"] in line)
    cells = [cell.strip() for cell in line.strip("│ ").split("│")]
    # handled is a count ("none", no decimals); the three durations are hh:mm:ss by their columns' override
    assert cells == [
        first["agent"],
        str(first["handled"]),
        _hms(first["avg_handle_time"]),
        _hms(first["avg_acw_time"]),
        "" if first["avg_hold_time"] is None else _hms(first["avg_hold_time"]),
    ]


def test_the_variables_used_are_shown_with_their_defaults(sim_dir: Path) -> None:
    instance = json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"]
    code, out, _ = _query(sim_dir, "service_level")
    assert code == 0, out
    variables = next(line for line in out.splitlines() if line.startswith("variables:"))
    assert f"$instance = {instance} (first value of its query)" in variables
    assert "$queue = All (default)" in variables and "$channel = All (default)" in variables
    assert "$sl_seconds = 20 (default)" in variables  # dash.yaml's service_level_seconds
    assert "$routing_profile" not in variables
    assert "not used by this panel: $routing_profile, $hierarchy_group" in out
    code, out, _ = _query(sim_dir, "service_level", "--var", "sl_seconds=30")
    assert "$sl_seconds = 30 (--var)" in out


def test_a_var_value_the_data_lacks_is_a_warning_naming_the_values_that_exist(sim_dir: Path) -> None:
    code, out, err = _query(sim_dir, "contacts_queued", "--var", "queue=Salse", "--var", "channel=FAX")
    assert code == 0, out + err
    queue = next(line for line in err.splitlines() if "queue=Salse" in line)
    assert re.search(r"matches no value of \$queue; its query \S*queries/timestream/variables/queue\.sql lists", queue)
    assert "Sales" in queue  # the name the user meant is among those listed
    assert "channel=FAX matches no value of $channel; its options are: VOICE, CHAT, TASK, EMAIL" in err
    code, out, err = _query(sim_dir, "contacts_queued", "--var", "queue=Sales", "--var", "channel=VOICE")
    assert code == 0 and "warning" not in err


def test_engine_refusals_say_what_to_change(sim_dir: Path, tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    query = root / "queries" / "athena" / "history" / "callbacks.sql"
    text = query.read_text()
    query.write_text(
        text.replace("count_if(initiationmethod = 'CALLBACK')", "count_if(initiation_method = 'CALLBACK')")
    )
    code, out, err = _query(sim_dir, "callbacks", root=root)
    assert code == 2
    said = out + err
    assert "history/callbacks.sql: column initiation_method is not in the tables" in said
    assert "did you mean" in said and "initiationmethod" in said
    for internal in ("Binder Error", "LINE 1", "Traceback", "Exception", "sqlglot"):
        assert internal not in said, said
    # the newcomer mistake: a CTR time (a string) compared with the dashboard's range
    query.write_text(text.replace("FROM ctr", "FROM ctr WHERE initiationtimestamp > $__timeFrom()"))
    code, out, err = _query(sim_dir, "callbacks", root=root)
    said = out + err
    assert code == 2
    assert "callbacks.sql: compares a VARCHAR with a TIMESTAMP" in said and "from_iso8601_timestamp" in said
    for internal in ("Binder Error", "LINE 1", "Traceback"):
        assert internal not in said, said


def test_a_parse_error_names_the_file_and_no_parser_internals(sim_dir: Path, tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    query = root / "queries" / "athena" / "history" / "callbacks.sql"
    query.write_text(query.read_text().replace("FROM ctr", "FROM ctr WHERE ("))
    code, out, err = _query(sim_dir, "callbacks", root=root)
    said = out + err
    assert code == 2
    assert "callbacks.sql: does not parse as Amazon Athena SQL at `" in said and "an expression is missing" in said
    assert "<class" not in said and "\x1b[" not in said and "Required keyword" not in said


def test_a_unit_dash_cannot_format_is_an_error_naming_it_and_the_panel(sim_dir: Path, tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    common = root / "dashboards" / "_common.py"
    common.write_text(common.read_text().replace('DURATION = "dthms"', 'DURATION = "dthmsx"'))
    code, out, err = _query(sim_dir, "agents", root=root)
    assert code == 2
    assert "dashboards/history_contacts.py: panel 'agents', column 'avg_handle_time': unit 'dthmsx' is not one" in (
        out + err
    )
    code, out, _ = _query(sim_dir, "agents", "--format", "json", root=root)
    assert code == 0  # JSON holds raw numbers: no unit is read


def test_the_default_influxdb_environment_runs_its_real_time_sql_twin_and_says_so(sim_dir: Path) -> None:
    """The README's first `dash query` in the default environment (InfluxDB): the history panel's $instance comes
    from the real-time store's variable query, which DuckDB runs as its Timestream SQL twin."""
    instance = json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"]
    args = ["query", UID, "service_level", "--engine", "local", "--data", str(sim_dir), "--root", str(ROOT), *SPAN]
    result = CliRunner().invoke(cli.app, [*args, "--var", "sl_seconds=30"])
    assert result.exit_code == 0, result.output
    assert "Timestream SQL twins" in result.stderr and "--engine influxdb" in result.stderr
    assert f"$instance = {instance} (first value of its query)" in result.stdout
    twin = _query(sim_dir, "service_level", "--var", "sl_seconds=30")[1]
    assert result.stdout == twin  # the same rows as the committed LiveAnalytics environment's


def test_column_formats_follow_grafanas_override_rules() -> None:
    """Defaults, then each matching override in order; InfluxQL's time column is a time, not a number."""
    panel = {
        "fieldConfig": {
            "defaults": {"unit": "none", "decimals": 0},
            "overrides": [
                {"matcher": {"id": "byName", "options": "wait"}, "properties": [{"id": "unit", "value": "dthms"}]},
                {"matcher": {"id": "byRegexp", "options": "rate$"}, "properties": [{"id": "unit", "value": "percent"}]},
                {"matcher": {"id": "byName", "options": "rate"}, "properties": [{"id": "decimals", "value": 1}]},
                {"matcher": {"id": "byName", "options": "wait"}, "properties": [{"id": "displayName", "value": "W"}]},
            ],
        }
    }
    formats = column_formats(panel, ("time", "count", "wait", "rate"), "p")
    assert formats == {
        "count": ColumnFormat("none", 0),
        "wait": ColumnFormat("dthms", 0),
        "rate": ColumnFormat("percent", 1),
    }
    assert [cell_text(v, formats.get(c)) for c, v in (("time", 1769904000000), ("rate", 81.25), ("wait", 61))] == [
        "1769904000000",
        "81.3%",
        "00:01:01",
    ]
    odd = {
        "fieldConfig": {
            "overrides": [
                {"matcher": {"id": "byType", "options": "number"}, "properties": [{"id": "unit", "value": "s"}]}
            ]
        }
    }
    with pytest.raises(DefinitionError, match=r"p: an override matches fields 'byType'"):
        column_formats(odd, ("count",), "p")
