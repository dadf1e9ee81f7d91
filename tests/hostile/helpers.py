"""What every hostile-input case asserts: the exit code, a message naming what, where and what to do, no
traceback, and nothing outside the command's own output changed."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from cli import app

Entry = tuple[str, int, bytes]


def snapshot(tree: Path, *skip: str) -> dict[str, Entry]:
    """Every directory, file and symlink under `tree` (not followed): kind, mode and content; `skip` prefixes out."""
    found: dict[str, Entry] = {}
    for parent, dirs, names in os.walk(tree):
        for name in dirs + names:
            path = Path(parent) / name
            rel = path.relative_to(tree).as_posix()
            if any(rel == s or rel.startswith(f"{s}/") for s in skip):
                continue
            info = path.lstat()
            if path.is_symlink():
                found[rel] = ("link", info.st_mode, os.readlink(path).encode())
            elif path.is_dir():
                found[rel] = ("dir", info.st_mode, b"")
            else:
                found[rel] = ("file", info.st_mode, path.read_bytes())
    return found


def dash(*args: str) -> tuple[int, str]:
    """Run `dash ARGS` in-process; the exit code and everything printed, whitespace collapsed."""
    result = CliRunner().invoke(app, list(args))
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"
    return result.exit_code, " ".join(text.split())


def refused(args: tuple[str, ...], tree: Path, *expected: str, code: int = 2, skip: tuple[str, ...] = ()) -> str:
    """Run `dash ARGS`; assert the exit code, each expected part of the message, no traceback, `tree` unchanged."""
    before = snapshot(tree, *skip)
    exit_code, text = dash(*args)
    assert exit_code == code, text
    assert "Traceback" not in text and "Error:" not in text.replace("error ", ""), text
    for part in expected:
        assert part in text, f"{part!r} not in {text!r}"
    assert snapshot(tree, *skip) == before, "a refused command changed files"
    return text
