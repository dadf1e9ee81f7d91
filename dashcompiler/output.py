"""Files -> disk: write a bundle whole or not at all, and say which committed files are stale.

A build replaces only what an earlier build wrote: each bundle folder holds `.dash-build.json`, written last,
listing every file of the build and its sha256. A folder is replaced only when it is absent, empty, or every
file in it is listed there with that content; anything else is another's and the build refuses (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from core.errors import OutputError
from core.files import file_above, files_under, make_dir, read_listing, replace_file, shown, unlisted_files

OUTPUT_DIR = "provisioning"
MANIFEST = ".dash-build.json"
# What a build writes: these directories at the top, and only these kinds of file beneath them.
BUNDLE_DIRS = frozenset({"datasources", "dashboards", "alerting"})
BUNDLE_SUFFIXES = frozenset({".json", ".yaml"})


def with_manifest(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle as written: its files and the manifest listing them (part of the output, so `--check` covers it)."""
    listing = {rel: hashlib.sha256(files[rel]).hexdigest() for rel in sorted(files)}
    manifest = json.dumps({"generator": "dash build", "files": listing}, indent=2) + "\n"
    return {**files, MANIFEST: manifest.encode()}


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` with exactly `files` and their manifest: built beside it, then swapped in.

    Only an empty directory or an earlier build's unchanged output is replaced, so a mistaken `--out .` or a
    folder shared with another team refuses instead of deleting their files.
    """
    target = target.resolve()
    check_replaceable(target)
    try:
        remove_leftovers(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = make_dir(target.parent, f".{target.name}.new-")
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        for rel, content in with_manifest(files).items():  # the manifest last: a killed build leaves none
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            retired = make_dir(target.parent, f".{target.name}.old-")
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except OSError as exc:
        raise _write_error(target, exc) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _write_error(target: Path, exc: OSError) -> OutputError:
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(
        f"{target}: cannot write the bundle: {exc.strerror or exc}{where}; pass --out a directory you can write"
    )


def check_replaceable(target: Path) -> None:
    """Refuse a target that cannot be a directory or holds anything the last build did not write there.

    Checked before building too, so a refusal costs no build.
    """
    target = target.resolve()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target}: is a file, not a directory; pass --out a directory")
    blocker = file_above(target)
    if blocker is not None:
        raise OutputError(
            f"{target}: cannot be created: {blocker} is a file, not a directory; pass --out a directory path"
        )
    foreign = foreign_files(target)
    if foreign:
        raise OutputError(
            f"{target}: refusing to replace it: it holds {shown(foreign)}, which the last dash build there did not write "
            f"(files not listed in its {MANIFEST}); pass --out a new or empty directory, or "
            "move those files away (a folder built before dash build wrote a manifest: delete it and build again)"
        )


def foreign_files(target: Path) -> list[str]:
    """Files under the directory `target` that its manifest does not list; [] if absent."""
    if not target.is_dir():
        return []
    return unlisted_files(target, MANIFEST, _manifest_listing(target / MANIFEST))


def _manifest_listing(path: Path) -> dict[str, str]:
    return read_listing(path, "dash build")


def remove_leftovers(target: Path) -> None:
    """Delete staging folders a killed build left beside `target` (`.NAME.new-*`, `.NAME.old-*`), when they hold
    only what a build writes; anything else there is left alone."""
    parent = target.parent
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.is_symlink() or not entry.is_dir():
            continue
        if entry.name.startswith(f".{target.name}.new-") and _only_build_output(entry):
            shutil.rmtree(entry)
        elif entry.name.startswith(f".{target.name}.old-"):
            inside = list(entry.iterdir())
            if not inside or (
                len(inside) == 1
                and inside[0].name == target.name
                and not inside[0].is_symlink()
                and inside[0].is_dir()
                and _only_build_output(inside[0])
            ):
                shutil.rmtree(entry)


def _only_build_output(directory: Path) -> bool:
    """Whether `directory` holds nothing but what a build writes (its folders, .json and .yaml files, manifest)."""
    for rel in files_under(directory):
        path = directory / rel
        parts = rel.split("/")
        if path.is_symlink():
            return False
        if rel == MANIFEST:
            continue
        if len(parts) < 2 or parts[0] not in BUNDLE_DIRS or path.suffix not in BUNDLE_SUFFIXES:
            return False
    return all(entry.name in BUNDLE_DIRS or entry.name == MANIFEST for entry in directory.iterdir())


def write_generated(root: Path, files: dict[str, bytes]) -> None:
    """Write each generated file whole: a temporary file beside it, then renamed over it."""
    for rel, content in files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, content)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot write it: {exc.strerror or exc}; it is generated under the repository "
                "(--root), which must be writable"
            ) from None


def stale_generated(root: Path, files: dict[str, bytes]) -> list[str]:
    return [
        f"{root / rel}: {'stale' if (root / rel).is_file() else 'missing'} (run dash build and commit it)"
        for rel, content in files.items()
        if not (root / rel).is_file() or (root / rel).read_bytes() != content
    ]


def stale_files(target: Path, files: dict[str, bytes]) -> list[str]:
    """Paths under `target` that differ from, are missing from, or are extra to `files` and their manifest."""
    files = with_manifest(files)
    on_disk = set(files_under(target)) if target.is_dir() else set()
    problems = []
    for rel in sorted(on_disk | set(files)):
        if rel not in files:
            problems.append(f"{target / rel}: not produced by the sources (delete it, or run dash build)")
        elif rel not in on_disk:
            problems.append(f"{target / rel}: missing (run dash build and commit it)")
        elif (target / rel).is_symlink() or (target / rel).read_bytes() != files[rel]:
            problems.append(f"{target / rel}: stale (run dash build and commit it)")
    return problems
