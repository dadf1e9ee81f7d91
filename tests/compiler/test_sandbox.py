"""Query templates are text from a pull request: one reaching for Python internals is a build error, not a shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compiler.helpers import copy_project, run

ESCAPES = [
    '{{ cycler.__init__.__globals__.os.system("touch {marker}") }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{ lipsum.__globals__["os"].system("touch {marker}") }}',
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_query_file_reaching_for_python_internals_fails_the_build_at_its_line(tmp_path: Path, escape: str) -> None:
    root = copy_project(tmp_path / "repo")
    marker = tmp_path / "ran"
    query = root / "queries" / "timestream" / "waiting.sql"
    query.write_text(query.read_text() + "\n-- " + escape.replace("{marker}", str(marker)) + "\n")
    code, text = run("build", "--root", str(root))
    assert code == 2, text
    flat = " ".join(text.split())
    line = len(query.read_text().splitlines())
    assert f"waiting.sql:{line}:" in flat, flat
    assert "reaches for Python internals" in flat
    assert not marker.exists(), "the template ran a shell command"
    assert not (root / "provisioning").exists()


def test_a_value_in_a_definition_is_sandboxed_too(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    marker = tmp_path / "ran"
    live = root / "dashboards" / "live.py"
    live.write_text(
        live.read_text().replace(
            'default="{{ service_level_seconds }}"',
            f"default=\"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\"",
        )
    )
    code, text = run("build", "--root", str(root))
    assert code == 2, text
    assert "variable $sl" in text and "reaches for Python internals" in " ".join(text.split())
    assert not marker.exists()


def test_the_same_template_builds_when_it_uses_only_the_environment(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    query = root / "queries" / "timestream" / "waiting.sql"
    query.write_text(query.read_text() + "\n-- {{ timestream_database }}\n")
    code, text = run("build", "--root", str(root))
    assert code == 0, text
