"""Every definition error: exit code 2, a message naming dashboard, panel and file, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashcompiler.definition_loader import panel_id
from tests.compiler.helpers import copy_project, run


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def _fails(root: Path, *expected: str) -> str:
    before = {p: p.read_bytes() for p in (root / "provisioning").rglob("*") if p.is_file()}
    code, text = run("build", "--root", str(root))
    assert code == 2, text
    flat = " ".join(text.split())
    for part in expected:
        assert part in flat, f"{part!r} not in {flat!r}"
    after = {p: p.read_bytes() for p in (root / "provisioning").rglob("*") if p.is_file()}
    assert after == before, "a failed build changed the output"
    return flat


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    return root


def test_duplicate_dashboard_uid(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'uid="cc-history"', 'uid="cc-live"')
    _fails(root, "dashboards/live.py", "'cc-live'", "uid already used by", "live.py")


NOTE_END = "width=24, height=3),\n            ),\n"


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([('"oldest",', '"waiting",')], "panel 'waiting' and panel 'waiting': key 'waiting' is used twice"),
        (
            [('"Trends",', '"Now",')],
            "row 'Now' (key 'row_now', from its title) and row 'Now' (key 'row_now', from its title): "
            "key 'row_now' is used twice",
        ),
        (
            [('"oldest",', '"row_trends",')],
            "panel 'row_trends' and row 'Trends' (key 'row_trends', from its title): key 'row_trends' is used twice",
        ),
        (
            [(NOTE_END, NOTE_END + '            key="oldest",\n')],
            "panel 'oldest' and row 'Trends' (key 'oldest'): key 'oldest' is used twice",
        ),
        (
            [('"oldest",', '"k3985819",'), ('"by_queue",', '"k4420602",')],
            "panel 'k3985819' and panel 'k4420602': keys hash to the same panel id",
        ),
    ],
    ids=["panel-keys", "row-titles", "panel-key-and-row-title", "row-key-and-panel-key", "hash-collision"],
)
def test_panel_id_collisions_name_the_dashboard_and_both_keys(
    root: Path, edits: list[tuple[str, str]], expected: str
) -> None:
    assert panel_id("k3985819") == panel_id("k4420602")
    for old, new in edits:
        _edit(root, "dashboards/live.py", old, new)
    _fails(root, "dashboards/live.py: dashboard 'cc-live':", expected, "keys identify panels and must be unique")


def test_slug_too_long(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'uid="cc-history"', f'uid="{"h" * 41}"')
    _fails(root, "dashboards/history.py", "at most 40 characters (this one has 41)")


def test_slug_with_bad_characters(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'uid="cc-history"', 'uid="CC History"')
    _fails(root, "dashboard 'CC History'", "uid must be a slug")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("      athena: athena-test\n", "", "environment 'test' lacks datasources.athena"),
        (
            "      athena: athena-test\n",
            "      athena: athena-test\n      influx: x\n",
            "datasources.influx is not used by this environment",
        ),
        (
            "    folders:\n      cc-live: Live\n      cc-history: History\n",
            "    folders:\n      - cc-live\n      - cc-history\n",
            "environment 'test': folders must be a mapping of folder uid to folder title, not a list",
        ),
        (
            "    timestream:\n      database: cc-test\n      default_table: agent_state\n",
            "    timestream: cc-test\n",
            "timestream must be a mapping",
        ),
        ("      default_table: agent_state\n", "", "environment 'test' lacks timestream.default_table"),
        (
            "      default_table: agent_state\n",
            "      default_table: agent_states\n",
            "timestream.default_table 'agent_states' is not a table the pipeline writes; use one of agent_state,",
        ),
        ("      workgroup: cc-test\n", "", "environment 'test' lacks athena.workgroup"),
        ("      workgroup: cc-test\n", "      workgroup: [a]\n", "athena.workgroup must be a non-empty string"),
        ("    service_level_seconds: 30\n", "    service_level_seconds: soon\n", "positive whole number, not 'soon'"),
        ("  test:\n    aws_region", "  test:\n    aws_auth: key\n    aws_region", "aws_auth 'key' unknown"),
        ('grafana_version: "12.0"\n', 'grafana_version: "9.0"\n', "grafana_version '9.0' unsupported"),
        (
            "    service_level_seconds: 30\n",
            "    service_level_seconds: 30\n    timezone: Europe/Londn\n",
            "environment 'test': timezone 'Europe/Londn' is not an IANA time zone name; did you mean Europe/London? "
            "write the zone whose midnight starts the contact centre's day, e.g. timezone: Europe/London",
        ),
        (
            "    service_level_seconds: 30\n",
            "    service_level_seconds: 30\n    timezone: BST\n",
            "timezone 'BST' is not an IANA time zone name; an abbreviation or offset (BST, +01:00) has no daylight-saving rules; write",
        ),
        (
            "    service_level_seconds: 30\n",
            "    service_level_seconds: 30\n    time_zone: Europe/London\n",
            "environment 'test': unknown key 'time_zone'; did you mean timezone?",
        ),
    ],
    ids=[
        "datasource-missing",
        "datasource-unknown",
        "folders-list",
        "section-not-mapping",
        "default-table-missing",
        "default-table-unknown",
        "key-missing",
        "value-not-string",
        "not-a-number",
        "unknown-auth",
        "grafana-version",
        "timezone-misspelt",
        "timezone-abbreviation",
        "timezone-key-misspelt",
    ],
)
def test_config_errors_name_the_key_and_file(root: Path, old: str, new: str, expected: str) -> None:
    _edit(root, "dash.yaml", old, new)
    _fails(root, f"{root / 'dash.yaml'}:", expected)


def test_unknown_query_type(root: Path) -> None:
    _edit(root, "dashboards/history.py", '(AthenaQuery("handled.sql", result_reuse_minutes=15),)', '("handled.sql",)')
    _fails(
        root,
        "panel 'handled'",
        "unknown datasource query str; use one of InfluxQLQuery, TimestreamQuery, AthenaQuery, or RealtimeQuery",
    )


def test_missing_query_file(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'AthenaQuery("handled.sql", result', 'AthenaQuery("nope.sql", result')
    _fails(root, "dashboard 'cc-history', panel 'handled'", "queries/athena/nope.sql does not exist")


def test_missing_imported_template_names_it_and_the_importing_line(root: Path) -> None:
    _edit(root, "queries/athena/handled.sql", "WHERE", '{% from "athena/_nope.sql" import x %}WHERE')
    flat = _fails(
        root,
        "queries/athena/handled.sql:3: ",
        "panel 'handled'",
        "imports or includes 'athena/_nope.sql', which does not exist",
    )
    assert "handled.sql does not exist" not in flat


def test_python_error_in_a_query_template_names_file_and_line(root: Path) -> None:
    _edit(root, "queries/athena/handled.sql", "{{ service_level_seconds }}", "{{ 1 // 0 }}")
    _fails(root, "queries/athena/handled.sql:4: ", "panel 'handled'", "ZeroDivisionError while rendering")


def test_error_in_an_imported_template_names_that_file_and_line(root: Path) -> None:
    (root / "queries/athena/_frag.sql").write_text("{% macro limit() -%}\n{{ 1 // 0 }}\n{%- endmacro %}\n")
    _edit(root, "queries/athena/handled.sql", "WHERE", '{% from "athena/_frag.sql" import limit %}{{ limit() }}WHERE')
    _fails(root, "queries/athena/_frag.sql:2: ", "panel 'handled'", "ZeroDivisionError")


def test_python_error_in_a_variable_value(root: Path) -> None:
    _edit(
        root,
        "dashboards/live.py",
        'default="{{ service_level_seconds }}"',
        'default="{{ service_level_seconds // 0 }}"',
    )
    _fails(root, "dashboard 'cc-live', variable $sl", "ZeroDivisionError while rendering")


def test_jinja_syntax_error(root: Path) -> None:
    _edit(root, "queries/athena/handled.sql", "{{ ctr_table }}", "{{ ctr_table ")
    _fails(root, "queries/athena/handled.sql:3", "panel 'handled'", "Jinja2 syntax error")


def test_undefined_template_variable(root: Path) -> None:
    _edit(root, "queries/athena/handled.sql", "{{ service_level_seconds }}", "{{ sla_seconds }}")
    _fails(root, "queries/athena/handled.sql:4", "panel 'handled'", "'sla_seconds' is undefined")


def test_a_collapsed_row_without_a_title(root: Path) -> None:
    _edit(root, "dashboards/history.py", '"Details",', '"",')
    _fails(root, "dashboards/history.py: dashboard 'cc-history'", "a row without a title has no header to collapse")


def test_overlapping_panels(root: Path) -> None:
    _edit(root, "dashboards/live.py", "width=8,", "width=8, x=10, y=0,")
    _fails(root, "dashboard 'cc-live'", "panel 'states' overlaps panel 'waiting_over_time'")


def test_panel_wider_than_the_grid(root: Path) -> None:
    _edit(root, "dashboards/live.py", "width=16,", "width=25,")
    _fails(root, "dashboard 'cc-live'", "panel 'waiting_over_time' is 25 wide")


def test_python_error_in_a_definition_names_its_file_and_line(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'title="History",', 'title="History" + 1,')
    _fails(root, "dashboards/history.py:7", "TypeError in definition")


def test_syntax_error_in_a_definition(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'title="History",', 'title="History"),')
    _fails(root, "dashboards/history.py:8", "syntax error in definition")


def test_unknown_folder(root: Path) -> None:
    _edit(root, "dashboards/history.py", 'folder="cc-history"', 'folder="elsewhere"')
    _fails(root, "dashboard 'cc-history'", "folder 'elsewhere' is not in environment 'test'")


def test_unknown_environment(root: Path) -> None:
    code, text = run("build", "--root", str(root), "--env", "nowhere")
    assert code == 2 and "no environment 'nowhere'; known: keys, test" in " ".join(text.split())


def test_legacy_panel_type(root: Path) -> None:
    _edit(
        root,
        "dashboards/history.py",
        "from grafanalib.core import BarChart, Stat",
        "from grafanalib.core import BarChart, Graph, Stat",
    )
    _edit(root, "dashboards/history.py", 'BarChart(title="By hour")', 'Graph(title="By hour")')
    _fails(root, "panel 'by_hour'", "panel type 'graph' is not current Grafana")
