"""What a user reads of the CLI itself: help that shows flags as flags, a version, a summary when all is well."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
import typer.main

from cli import app
from tests.compiler.helpers import SHIPPED, run

COMMANDS = [
    [group.name or "", command.name or ""]
    for group in typer.main.get_group(app).commands.values()
    for command in getattr(group, "commands", {group.name: group}).values()
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(dict.fromkeys(c)) for c in COMMANDS])
def test_help_shows_flags_without_a_value(command: list[str]) -> None:
    words = [w for w in dict.fromkeys(command) if w]
    code, out = run(*words, "--help")
    assert code == 0, out
    assert "<bool>" not in out, f"dash {' '.join(words)} --help shows a flag as taking a value:\n{out}"


def test_a_flag_given_a_value_is_refused_saying_so() -> None:
    code, out = run("build", "--check", "true")
    assert code == 2 and "unexpected extra argument" in out


def test_version_prints_the_projects_version() -> None:
    version = tomllib.loads((SHIPPED / "pyproject.toml").read_text())["project"]["version"]
    done = subprocess.run([sys.executable, "-m", "cli", "--version"], cwd=SHIPPED, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"dash {version}\n")


def test_help_names_the_program_dash() -> None:
    done = subprocess.run([sys.executable, "-m", "cli", "--help"], cwd=SHIPPED, capture_output=True, text=True)
    assert "Usage: dash [OPTIONS] COMMAND" in done.stdout


def test_validate_and_build_check_say_so_in_one_line_when_all_is_well() -> None:
    code, out = run("validate", "--root", str(SHIPPED))
    assert code == 0 and out.startswith("ok: ") and out.count("\n") == 1 and "no findings" in out
    code, out = run("build", "--root", str(SHIPPED), "--check")
    assert code == 0 and out.startswith("up to date: prod (") and "staging (" in out and out.count("\n") == 1
