"""`dash validate` and the SQL checks inside `dash build`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.compiler.helpers import PROJECT, SHIPPED, copy_project, copy_shipped, run
from tests.conftest import ROOT


def test_every_shipped_query_passes_in_every_environment() -> None:
    for env in ("prod", "staging"):
        code, text = run("validate", "--root", str(ROOT), "--env", env)
        assert code == 0, text


def test_example_project_passes() -> None:
    code, text = run("validate", "--root", str(PROJECT), "--format", "json")
    assert code == 0 and json.loads(text) == []


def test_unknown_column_fails_the_build_at_its_line_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    query = root / "queries" / "athena" / "handled.sql"
    query.write_text(query.read_text().replace("queue.duration", "queue.durations"))
    code, text = run("build", "--root", str(root))
    assert code == 2
    assert "queries/athena/handled.sql:4:13: unknown-column" in text and "did you mean duration" in text
    assert not (root / "provisioning").exists()


def test_validate_prints_findings_as_json_for_annotations(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    query = root / "queries" / "timestream" / "waiting.sql"
    query.write_text(query.read_text().replace("WHERE $__timeFilter\n", "WHERE 1 = 1\n"))
    code, text = run("validate", "--root", str(root), "--format", "json")
    assert code == 1
    [finding] = json.loads(text)
    assert finding["file"] == "queries/timestream/waiting.sql" and finding["rule"] == "unbounded-time"
    assert (finding["line"], finding["column"]) == (2, 6)


def test_unchanged_queries_are_not_parsed_again_and_changed_ones_are(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    assert (root / ".dash-cache" / "validate.json").is_file()
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom cli import app\n"
        f"r = CliRunner().invoke(app, ['build', '--root', {str(root)!r}])\n"
        "assert r.exit_code == 0, r.output\nassert 'sqlglot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT)
    query = root / "queries" / "athena" / "handled.sql"
    query.write_text(query.read_text().replace("queue.duration", "queue.wait"))
    code, text = run("build", "--root", str(root))
    assert code == 2 and "unknown field wait in queue" in text


def test_finding_in_a_shared_fragment_names_it_and_follows_its_edits(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    queries = root / "queries" / "athena"
    fragment = queries / "_ctr.sql"
    fragment.write_text("{% macro handled() -%}\nqueue.durations <= {{ service_level_seconds }}\n{%- endmacro %}\n")
    query = queries / "handled.sql"
    query.write_text(
        '{% from "athena/_ctr.sql" import handled with context %}'
        + query.read_text().replace("queue.duration <= {{ service_level_seconds }}", "{{ handled() }}")
    )
    code, text = run("validate", "--root", str(root))
    assert code == 1
    assert "queries/athena/handled.sql:4:7: unknown-column: unknown field durations in queue" in text
    assert "(in handled() of queries/athena/_ctr.sql:2:7)" in text
    # A comment line changes no rendered SQL, but moves the name: the cached finding must not be reused.
    fragment.write_text("{#- the service-level condition -#}\n" + fragment.read_text())
    code, text = run("validate", "--root", str(root))
    assert code == 1 and "(in handled() of queries/athena/_ctr.sql:3:7)" in text


def test_checks_without_the_cache_neither_read_nor_write_it(tmp_path: Path) -> None:
    from dashcompiler.checks import CACHE_FILE, check_queries
    from dashcompiler.compile import compile_model

    root = copy_project(tmp_path)
    shutil.rmtree(root / CACHE_FILE.parent, ignore_errors=True)  # the example project's own runs leave one
    build = compile_model(root)
    assert check_queries(build.env, build.dashboards, root, cache_results=False) == []
    assert not (root / CACHE_FILE).exists()
    (root / CACHE_FILE).parent.mkdir()
    (root / CACHE_FILE).write_text("not json")  # a cache that would be rewritten if it were used
    check_queries(build.env, build.dashboards, root, cache_results=False)
    assert (root / CACHE_FILE).read_text() == "not json"


def test_a_declaration_timestream_would_refuse_fails_build_and_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The declaration's rules run on every build, not only in tests: Terraform creates the tables by it."""
    from dataclasses import replace

    from connect_ingest import datamodel

    broken = replace(datamodel.AGENT_STATE, dimensions=(*datamodel.AGENT_STATE.dimensions, "event_timestamp"))
    monkeypatch.setattr(datamodel, "TIMESTREAM_TABLES", (broken, *datamodel.TIMESTREAM_TABLES[1:]))
    root = copy_project(tmp_path)
    for command in ("build", "validate"):
        code, text = run(command, "--root", str(root))
        assert code == 2, text
        assert "infra/lambdas/connect_ingest/datamodel.py: agent_state.event_timestamp: unique per event" in text
    assert not (root / "provisioning").exists()
    assert not (root / "infra" / "generated").exists()


def test_a_rebuild_of_every_committed_environment_checks_nothing_again(tmp_path: Path) -> None:
    """The cache keeps each environment's results: building prod and staging in turn must not evict the other."""
    import subprocess
    import sys

    root = copy_shipped(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    probe = (
        "import sys, cli\n"
        f"sys.argv = ['dash', 'build', '--root', {str(root)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlglot', 'lark') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=SHIPPED)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
