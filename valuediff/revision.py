"""The definitions at a git ref, exported to a temporary folder and compiled there: the user's working tree and
the repository's worktree list are never touched."""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import ToolError, UsageError
from dashcompiler.compile import QUERIES_DIR, Model, compile_model
from dashcompiler.config import CONFIG_FILE
from kinds import KINDS

# What compiling needs: the environments, the definitions and the query files.
SOURCES = (CONFIG_FILE, "dashboards", QUERIES_DIR)


@dataclass(frozen=True)
class Revision:
    """One revision's dashboards as Grafana gets them (what changed is read here) and as the local engine runs
    them: the same, or, where DuckDB cannot run the real-time store's language, with its Timestream SQL twins."""

    model: Model
    local: Model
    note: str | None  # said once in the report when the two differ


def revision(root: Path, env: str | None) -> Revision:
    """The definitions under ``root``, compiled for ``env`` (as `dash query` runs them locally)."""
    model = compile_model(root, env)
    store = KINDS[model.env.realtime_store]
    if store.local_dialect is not None:
        return Revision(model, model, None)
    note = (
        f"{model.env.name} keeps real-time data in {store.display_name}, which the local engine cannot run: its "
        "real-time panels' values are those of their Timestream SQL twins (queries/timestream/, the same names)"
    )
    return Revision(model, compile_model(root, env, twin=True), note)


def export_ref(root: Path, ref: str, dest: Path) -> Path:
    """Write dash.yaml, dashboards/ and queries/ as they are at ``ref`` under ``dest``; returns the project root
    there (``root``'s place in the repository, which may be a subfolder)."""
    top = Path(_git(root, ref, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    _git(root, ref, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    present = _git(top, ref, "ls-tree", "-z", "--name-only", ref, "--", *(prefix + s for s in SOURCES))
    paths = [p for p in present.decode().split("\0") if p]
    if prefix + CONFIG_FILE not in paths:
        raise UsageError(
            f"dash diff --git {ref}: {prefix}{CONFIG_FILE} does not exist at {ref}; nothing to compile there"
        )
    archive = _git(top, ref, "archive", "--format=tar", ref, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest / prefix if prefix else dest


def ref_revision(root: Path, ref: str, env: str | None, dest: Path) -> Revision:
    """The definitions at ``ref``, exported under ``dest``; an error there says it is the ref's."""
    project = export_ref(root, ref, dest)
    try:
        return revision(project, env)
    except ToolError as exc:
        raise type(exc)(f"at {ref}: {exc}") from None


def _git(cwd: Path, ref: str, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise UsageError("git is not installed; dash diff --git needs it") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        raise UsageError(f"dash diff --git {ref}: {detail} (is {ref!r} a commit in {cwd}?)") from None
