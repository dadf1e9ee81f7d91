"""`dash diff --git REF`: the provisioning bundle at a git ref against the working tree, as Markdown."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from grafana_sync.bundle import parse_bundle
from grafana_sync.errors import UsageError
from grafana_sync.paneldiff import DashboardDiff, diff_dashboards
from grafana_sync.report import render_markdown


def files_at_ref(root: Path, ref: str, bundle_dir: Path) -> dict[str, bytes]:
    """The files under bundle_dir at ref, keyed relative to bundle_dir (empty when it did not exist)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    try:
        prefix = bundle_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"--bundle {bundle_dir} is outside the git repository at {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", ref, "--", prefix + "/")
    paths = [p for p in listing.decode().split("\0") if p]
    if not paths:
        return {}
    batch = subprocess.run(
        ["git", "-C", str(top), "cat-file", "--batch"],
        input="".join(f"{ref}:{p}\n" for p in paths).encode(),
        capture_output=True,
        check=True,
    ).stdout
    files: dict[str, bytes] = {}
    offset = 0
    for path in paths:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        files[path[len(prefix) + 1 :]] = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def bundle_diffs(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]) -> list[DashboardDiff]:
    old, new = parse_bundle(old_files), parse_bundle(new_files)
    before = {d.uid: d for d in old.dashboards}
    after = {d.uid: d for d in new.dashboards}
    diffs = []
    for uid in sorted(before.keys() | after.keys()):
        a, b = before.get(uid), after.get(uid)
        diffs.append(
            diff_dashboards(
                a.model if a else None, b.model if b else None, a.folder_uid if a else None, b.folder_uid if b else None
            )
        )
    return diffs


def diff_git(root: Path, ref: str, bundle_dir: Path, new_files: Mapping[str, bytes]) -> tuple[str, int]:
    """Markdown for a pull request and the exit code (1 when any dashboard changed)."""
    diffs = bundle_diffs(files_at_ref(root, ref, bundle_dir), new_files)
    return render_markdown(diffs, ref), 1 if any(d.changed for d in diffs) else 0


def _git(cwd: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise UsageError("git is not installed; dash diff --git needs it") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        raise UsageError(f"dash diff --git: {detail} (is {args[-1]!r} a commit in {cwd}?)") from None
