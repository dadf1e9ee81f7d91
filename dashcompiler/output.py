"""Files -> disk: write a bundle whole or not at all, and say which committed files are stale."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from core.errors import OutputError

OUTPUT_DIR = "provisioning"
# What a build writes: these directories at the top, and only these kinds of file beneath them.
BUNDLE_DIRS = frozenset({"datasources", "dashboards"})
BUNDLE_SUFFIXES = frozenset({".json", ".yaml"})


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` with exactly `files`: built beside it, then swapped in.

    Only an empty directory or a previous build's output is replaced, so a
    mistaken `--out .` refuses instead of deleting the repository.
    """
    target = target.resolve()
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for rel, content in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def check_replaceable(target: Path) -> None:
    """Refuse a target that is a file or holds anything a build does not write; checked before building, too."""
    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file, not a directory; pass --out a directory")
    foreign = _foreign_entries(target)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise OutputError(
            f"{target}: refusing to replace it: it holds {shown}, which dash build does not write; "
            "pass --out a new or empty directory, or one a previous dash build wrote"
        )


def _foreign_entries(target: Path) -> list[str]:
    """Paths under the directory `target` (relative, sorted) that no build writes; [] if it is absent."""
    if not target.is_dir():
        return []
    foreign = []
    for entry in target.iterdir():
        if entry.name not in BUNDLE_DIRS or entry.is_symlink() or not entry.is_dir():
            foreign.append(entry.name)
            continue
        for path in entry.rglob("*"):
            if path.is_symlink() or not (path.is_dir() or (path.is_file() and path.suffix in BUNDLE_SUFFIXES)):
                foreign.append(path.relative_to(target).as_posix())
    return sorted(foreign)


def write_generated(root: Path, files: dict[str, bytes]) -> None:
    """Write each generated file whole: a temporary file beside it, then renamed over it."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)


def stale_generated(root: Path, files: dict[str, bytes]) -> list[str]:
    return [
        f"{root / rel}: {'stale' if (root / rel).is_file() else 'missing'} (run dash build and commit it)"
        for rel, content in files.items()
        if not (root / rel).is_file() or (root / rel).read_bytes() != content
    ]


def stale_files(target: Path, files: dict[str, bytes]) -> list[str]:
    """Paths under `target` that differ from, are missing from, or are extra to `files`."""
    on_disk = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()} if target.is_dir() else set()
    problems = []
    for rel in sorted(on_disk | set(files)):
        if rel not in files:
            problems.append(f"{target / rel}: not produced by the sources (delete it, or run dash build)")
        elif rel not in on_disk:
            problems.append(f"{target / rel}: missing (run dash build and commit it)")
        elif (target / rel).read_bytes() != files[rel]:
            problems.append(f"{target / rel}: stale (run dash build and commit it)")
    return problems
