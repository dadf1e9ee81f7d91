"""Paths as messages and listings write them."""

from __future__ import annotations

from pathlib import Path


def relative_path(path: Path, root: Path) -> str:
    """`path` relative to the repository when inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
