"""Helpers for compiler tests: a throw-away copy of the example project, and the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli import app

PROJECT = Path(__file__).parent / "project"


def copy_project(tmp_path: Path) -> Path:
    """The example project without its check cache, which tests validating PROJECT itself write (on another
    xdist worker, while this copies it)."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".dash-cache"))
    return root


def run(*args: str) -> tuple[int, str]:
    """Run `dash ARGS`; return the exit code and everything printed."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


SHIPPED = Path(__file__).resolve().parents[2]


def copy_shipped(tmp_path: Path) -> Path:
    """A throw-away copy of the shipped sources a build reads: dash.yaml, dashboards/ and queries/."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("dashboards", "queries"):
        shutil.copytree(SHIPPED / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(SHIPPED / "dash.yaml", root / "dash.yaml")
    return root
