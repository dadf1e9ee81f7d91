"""Hostile or careless definitions: each error names the file and line where the fix is, and what to do.

Every case runs the CLI as a user would and asserts exit code 2, the message (what, file:line, what to do),
no traceback, and that nothing outside the command's own output changed (the project tree, and the temporary
directory, which is redirected into the test's own folder).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from dashcompiler.definition_loader import load_definitions
from tests.compiler.helpers import copy_project

HELPER = "dashboards/_common.py"
HELPER_TEXT = '''"""Shared by the test dashboards."""


def service_level(seconds):
    return 100 // seconds


LEVEL = service_level(0)
'''


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return copy_project(tmp_path)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder but Python's bytecode cache."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _prepend(root: Path, rel: str, *lines: str) -> int:
    """Put lines at the top of a file; returns the line number of the last one."""
    path = root / rel
    path.write_text("\n".join(lines) + "\n" + (path.read_text() if path.exists() else ""))
    return len(lines)


def _fails(root: Path, args: list[str], *expected: str) -> str:
    """Run dash ARGS; exit 2, every expected part in the message, no traceback, nothing changed."""
    before = _snapshot(root.parent)
    result = CliRunner().invoke(app, args)
    text = " ".join(result.output.split())
    assert result.exit_code == 2, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, text
    assert text.startswith("error "), text
    for part in expected:
        assert part in text, f"{part!r} not in {text!r}"
    assert "/tmp" not in text.replace(str(root.parent), "<test>"), f"a temporary path leaks: {text}"
    assert _snapshot(root.parent) == before, "a failed command changed files"
    return text


def _helper(root: Path) -> None:
    (root / HELPER).write_text(HELPER_TEXT)
    _prepend(root, "dashboards/history.py", "from dashboards._common import LEVEL  # noqa: F401")


# --- errors in shared definition modules name the module and line, not the importing dashboard ---------


def test_error_in_a_shared_helper_names_the_helper_and_its_line(root: Path) -> None:
    _helper(root)
    text = _fails(
        root,
        ["build", "--root", str(root)],
        f"{root / HELPER}:5: ZeroDivisionError in definition: integer division or modulo by zero",
        "fix the code at that line",
    )
    assert "history.py" not in text


def test_error_in_a_helper_of_a_helper_names_the_innermost_one(root: Path) -> None:
    (root / "dashboards/_influxdb.py").write_text("def tag(name):\n    return {}[name]\n")
    (root / HELPER).write_text("from dashboards._influxdb import tag\n\nQUEUE = tag('queue')\n")
    _prepend(root, "dashboards/live.py", "from dashboards._common import QUEUE  # noqa: F401")
    _fails(root, ["validate", "--root", str(root)], f"{root / 'dashboards/_influxdb.py'}:2: KeyError in definition")


def test_helper_error_with_root_dot_keeps_file_and_line(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _helper(root)
    monkeypatch.chdir(root)
    _fails(root, ["build", "--root", "."], "error dashboards/_common.py:5: ZeroDivisionError in definition")


def test_helper_error_with_root_dot_dot_keeps_file_and_line(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _helper(root)
    monkeypatch.chdir(root / "dashboards")
    _fails(root, ["validate", "--root", ".."], "error ../dashboards/_common.py:5: ZeroDivisionError in definition")


def test_dashboard_error_with_a_sibling_relative_root_keeps_its_line(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = _prepend(root, "dashboards/history.py", "", "", "WIDTH = int('wide')")
    (root.parent / "elsewhere").mkdir()
    monkeypatch.chdir(root.parent / "elsewhere")
    _fails(
        root,
        ["build", "--check", "--root", "../project"],
        f"error ../project/dashboards/history.py:{line}: ValueError in definition: invalid literal for int()",
    )


def test_syntax_error_in_a_helper_with_relative_root(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / HELPER).write_text("X = 1\n\ndef broken(:\n    pass\n")
    _prepend(root, "dashboards/live.py", "import dashboards._common  # noqa: F401")
    monkeypatch.chdir(root)
    _fails(
        root, ["build", "--root", "."], "error dashboards/_common.py:3: syntax error in definition", "fix the Python"
    )


# --- sys.exit() in a definition is a definition error, never a silent success ------------------------


def test_sys_exit_in_a_definition_fails_build_check(root: Path) -> None:
    line = _prepend(root, "dashboards/history.py", "import sys", "sys.exit()")
    _fails(
        root,
        ["build", "--check", "--root", str(root)],
        f"{root / 'dashboards/history.py'}:{line}: the definition exits (SystemExit)",
        "raise an exception with a message instead",
    )


def test_sys_exit_zero_in_a_definition_fails_validate(root: Path) -> None:
    line = _prepend(root, "dashboards/live.py", "import sys", "", "sys.exit(0)")
    _fails(
        root,
        ["validate", "--root", str(root)],
        f"{root / 'dashboards/live.py'}:{line}: the definition exits (SystemExit: 0)",
    )


def test_system_exit_raised_in_a_helper_names_the_helper(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / HELPER).write_text('"""Helper."""\n\nraise SystemExit("not today")\n')
    _prepend(root, "dashboards/history.py", "import dashboards._common  # noqa: F401")
    monkeypatch.chdir(root)
    _fails(
        root, ["validate", "--root", "."], "error dashboards/_common.py:3: the definition exits (SystemExit: not today)"
    )


def test_keyboard_interrupt_in_a_definition_is_not_swallowed(root: Path) -> None:
    _prepend(root, "dashboards/history.py", "raise KeyboardInterrupt")
    with pytest.raises(KeyboardInterrupt):
        load_definitions(root / "dashboards")


# --- an import of a missing module names the module and the line -------------------------------------


def test_missing_module_names_the_module_and_the_line(root: Path) -> None:
    line = _prepend(root, "dashboards/history.py", "", "import grafanalib_extras")
    _fails(
        root,
        ["build", "--root", str(root)],
        f"{root / 'dashboards/history.py'}:{line}: imports module 'grafanalib_extras', which is not installed",
        "fix the name, or add the package",
    )


def test_missing_shared_helper_names_the_file_to_create(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = _prepend(root, "dashboards/live.py", "from dashboards._colours import RED  # noqa: F401")
    monkeypatch.chdir(root)
    _fails(
        root,
        ["validate", "--root", "."],
        f"error dashboards/live.py:{line}: imports 'dashboards._colours', but there is no dashboards/_colours.py",
        "create it or fix the import",
    )


def test_missing_module_in_a_helper_names_the_helper_line(root: Path) -> None:
    (root / HELPER).write_text('"""Helper."""\n\nfrom shiny.colours import RED  # noqa: F401\n')
    _prepend(root, "dashboards/history.py", "import dashboards._common  # noqa: F401")
    _fails(root, ["build", "--root", str(root)], f"{root / HELPER}:3: imports module 'shiny', which is not installed")


# --- values from dash.yaml that fail in rendering name dash.yaml -------------------------------------


def test_service_level_not_among_the_variable_values_names_dash_yaml(root: Path) -> None:
    path = root / "dash.yaml"
    path.write_text(path.read_text().replace("service_level_seconds: 30", "service_level_seconds: 25"))
    _fails(
        root,
        ["build", "--root", str(root)],
        "dashboards/live.py: dashboard 'cc-live', variable $sl: default '25' is not one of its values",
        f"comes from {path}, environment 'test': service_level_seconds",
        "set service_level_seconds there to one of the values, or add '25' to the variable's values",
    )


def test_literal_default_not_among_the_values_does_not_blame_dash_yaml(root: Path) -> None:
    path = root / "dashboards/live.py"
    path.write_text(path.read_text().replace('default="{{ service_level_seconds }}"', 'default="40"'))
    text = _fails(
        root,
        ["validate", "--root", str(root)],
        "variable $sl: default '40' is not one of its values",
        "make the default",
    )
    assert "dash.yaml" not in text


# --- errors never name a temporary file ---------------------------------------------------------------


def test_env_import_of_a_bad_value_names_dash_yaml_not_a_scratch_copy(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = root.parent / "outputs.json"
    values = {
        "aws_region": "eu-central-1",
        "timestream_region": "eu-central-1",
        "connect_instance_id": "not-an-instance",
        "realtime_store": "timestream",
        "influxdb_url": None,
        "influxdb_database": None,
        "influxdb_token_env": None,
        "timestream_database": "cc-test",
        "athena_catalog": "AwsDataCatalog",
        "athena_database": "cc_test",
        "athena_workgroup": "cc-test",
        "athena_output_location": "s3://cc-test-results/",
        "ctr_table": "contact_records",
        "grafana_provisioning_path": "/var/lib/grafana/provisioning",
    }
    outputs.write_text(json.dumps({k: {"value": v} for k, v in values.items()}))
    monkeypatch.chdir(root)
    _fails(
        root,
        ["env", "import", "../outputs.json", "--env", "test", "--overwrite", "--root", "."],
        "error dash.yaml: environment 'test': connect_instance_id 'not-an-instance' is not an Amazon Connect",
        "(from ../outputs.json; dash.yaml is unchanged)",
    )
    assert list(Path(tempfile.gettempdir()).iterdir()) == []
