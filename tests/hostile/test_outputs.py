"""Outputs: a command replaces only what its own last run wrote (by its manifest), cleans up after a killed run,
writes with the umask's modes, and refuses an --out it cannot create."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashcompiler.output import MANIFEST
from tests.compiler.helpers import copy_project
from tests.hostile.helpers import dash, refused, snapshot

SIM = ("--agents", "3", "--contacts", "5", "--hours", "0.1")
CACHE = "project/.dash-cache"  # the check cache: build's own output beside the bundle


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def _build(root: Path, out: Path) -> None:
    code, text = dash("build", "--root", str(root), "--out", str(out))
    assert code == 0, text


def _simulate(out: Path) -> None:
    code, text = dash("simulate", "--out", str(out), *SIM)
    assert code == 0, text


# --- dash build --out: another team's files -------------------------------------------------------------------


def test_build_refuses_a_folder_of_another_team_shaped_like_a_bundle(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "grafana"
    (out / "datasources").mkdir(parents=True)
    (out / "datasources" / "prometheus.yaml").write_text("apiVersion: 1\n")
    (out / "dashboards" / "other-team").mkdir(parents=True)
    (out / "dashboards" / "other-team" / "important.json").write_text("{}\n")
    refused(
        ("build", "--root", str(root), "--out", str(out)),
        tmp_path,
        f"{out.resolve()}: refusing to replace it",
        "dashboards/other-team/important.json, datasources/prometheus.yaml",
        MANIFEST,
        "pass --out a new or empty directory",
    )


def test_build_refuses_a_file_another_team_added_to_an_earlier_build(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(root, out)
    (out / "dashboards" / "other-team").mkdir()
    (out / "dashboards" / "other-team" / "important.json").write_text("{}\n")
    refused(
        ("build", "--root", str(root), "--out", str(out)),
        tmp_path,
        "refusing to replace it: it holds dashboards/other-team/important.json,",
        "move those files away",
        skip=(CACHE,),
    )


def test_build_rewrites_a_built_file_changed_since_as_its_own(root: Path, tmp_path: Path) -> None:
    """A generated file merged by git or edited by hand is still generated output: the build rewrites it."""
    out = tmp_path / "out"
    _build(root, out)
    original = (out / "datasources" / "connect.yaml").read_bytes()
    (out / "datasources" / "connect.yaml").write_text("apiVersion: 1\n# edited by hand\n")
    _build(root, out)
    assert (out / "datasources" / "connect.yaml").read_bytes() == original


def test_build_refuses_a_symlink_in_its_output(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(root, out)
    (tmp_path / "elsewhere").mkdir()
    (out / "dashboards" / "linked").symlink_to(tmp_path / "elsewhere")
    refused(("build", "--root", str(root), "--out", str(out)), tmp_path, "it holds dashboards/linked,", skip=(CACHE,))
    assert (tmp_path / "elsewhere").is_dir()


def test_build_refuses_a_bundle_without_its_manifest(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(root, out)
    (out / MANIFEST).unlink()
    refused(
        ("build", "--root", str(root), "--out", str(out)),
        tmp_path,
        "dashboards/cc-history/cc-history.json",
        "delete it and build again",
        skip=(CACHE,),
    )


def test_build_refuses_to_replace_the_committed_folder_holding_a_foreign_file(root: Path, tmp_path: Path) -> None:
    code, text = dash("build", "--root", str(root))
    assert code == 0, text
    (root / "provisioning" / "README.md").write_text("ours, not the build's\n")
    refused(("build", "--root", str(root)), tmp_path, "provisioning: refusing", "README.md", skip=(CACHE,))


def test_build_replaces_its_own_earlier_output_and_nothing_else(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(root, out)
    (tmp_path / "neighbour.txt").write_text("keep\n")
    before = snapshot(tmp_path, "out", CACHE)
    _build(root, out)
    assert snapshot(tmp_path, "out", CACHE) == before
    listed = json.loads((out / MANIFEST).read_text())["files"]
    written = {rel for rel, entry in snapshot(out).items() if entry[0] == "file"}
    assert set(listed) == written - {MANIFEST}


def test_build_check_covers_the_manifest(root: Path, tmp_path: Path) -> None:
    out = root / "provisioning"
    assert dash("build", "--root", str(root))[0] == 0
    code, said = dash("build", "--root", str(root), "--check")
    assert code == 0 and said.startswith("up to date: ")
    (out / MANIFEST).write_text("{}\n")
    refused(
        ("build", "--root", str(root), "--check"),
        tmp_path,
        f"{out / MANIFEST}: stale (run dash build and commit it)",
        code=1,
        skip=(CACHE,),
    )


# --- dash simulate --out ------------------------------------------------------------------------------------------


def test_simulate_refuses_a_folder_that_merely_holds_a_manifest_json(tmp_path: Path) -> None:
    out = tmp_path / "release"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "release 4.2"}\n')
    (out / "notes.txt").write_text("someone's notes\n")
    refused(
        ("simulate", "--out", str(out), *SIM),
        tmp_path,
        f"{out}: refusing to replace it: it holds manifest.json, notes.txt",
        "choose a new or empty directory",
    )


def test_simulate_refuses_a_file_added_to_an_earlier_simulation(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    _simulate(out)
    (out / "analysis.ipynb").write_text("{}\n")
    refused(("simulate", "--out", str(out), *SIM), tmp_path, "it holds analysis.ipynb,", "move those files away")


def test_simulate_replaces_its_own_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    _simulate(out)
    first = snapshot(out)
    (tmp_path / "neighbour.txt").write_text("keep\n")
    before = snapshot(tmp_path, "sim")
    _simulate(out)
    assert snapshot(out) == first and snapshot(tmp_path, "sim") == before
    listed = json.loads((out / "manifest.json").read_text())["files"]
    assert set(listed) == {rel for rel, e in first.items() if e[0] == "file"} - {"manifest.json"}


# --- leftovers of a killed run -----------------------------------------------------------------------------------


def test_build_removes_staging_folders_a_killed_build_left_and_keeps_lookalikes(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(root, out)
    half = tmp_path / ".out.new-1a2b3c4d"  # killed while writing: no manifest yet
    shutil.copytree(out / "dashboards", half / "dashboards")
    retired = tmp_path / ".out.old-5e6f7a8b"  # killed between the two renames
    shutil.copytree(out, retired / "out")
    empty = tmp_path / ".out.old-00000000"
    empty.mkdir()
    lookalike = tmp_path / ".out.new-99999999"
    (lookalike / "dashboards").mkdir(parents=True)
    (lookalike / "dashboards" / "notes.txt").write_text("not a build's\n")
    before = snapshot(tmp_path, "out", CACHE, half.name, retired.name, empty.name)
    _build(root, out)
    assert not half.exists() and not retired.exists() and not empty.exists()
    assert snapshot(tmp_path, "out", CACHE) == before


def test_simulate_removes_staging_folders_a_killed_run_left_and_keeps_lookalikes(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    _simulate(out)
    half = tmp_path / ".sim.new-1a2b3c4d"
    shutil.copytree(out, half)
    (half / "manifest.json").unlink()
    retired = tmp_path / ".sim.old-5e6f7a8b"
    shutil.copytree(out, retired / "sim")
    lookalike = tmp_path / ".sim.old-99999999"
    (lookalike / "sim").mkdir(parents=True)
    (lookalike / "sim" / "thesis.tex").write_text("not a simulation's\n")
    before = snapshot(tmp_path, "sim", half.name, retired.name)
    _simulate(out)
    assert not half.exists() and not retired.exists()
    assert snapshot(tmp_path, "sim") == before


# --- modes --------------------------------------------------------------------------------------------------------


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _modes(tree: Path) -> set[tuple[str, int]]:
    return {(kind, stat.S_IMODE(mode)) for kind, mode, _ in snapshot(tree).values()} | {
        ("dir", stat.S_IMODE(tree.stat().st_mode))
    }


def test_build_writes_with_the_umasks_modes(root: Path, tmp_path: Path, umask: int) -> None:
    code, text = dash("build", "--root", str(root))
    assert code == 0, text
    want = {("dir", 0o777 & ~umask), ("file", 0o666 & ~umask)}
    assert _modes(root / "provisioning") == want
    assert stat.S_IMODE((root / "infra" / "generated" / "datamodel.json").stat().st_mode) == 0o666 & ~umask
    assert _modes(root / ".dash-cache") == want


def test_simulate_writes_with_the_umasks_modes(tmp_path: Path, umask: int) -> None:
    _simulate(tmp_path / "sim")
    assert _modes(tmp_path / "sim") == {("dir", 0o777 & ~umask), ("file", 0o666 & ~umask)}


# --- an --out that cannot be created ------------------------------------------------------------------------------


def test_build_out_under_a_file_is_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file\n")
    out = tmp_path / "notes.txt" / "provisioning"
    refused(
        ("build", "--root", str(root), "--out", str(out)),
        tmp_path,
        f"{out}: cannot be created: {tmp_path / 'notes.txt'} is a file, not a directory",
        "pass --out a directory path",
    )


def test_simulate_out_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file\n")
    out = tmp_path / "notes.txt" / "sim"
    refused(
        ("simulate", "--out", str(out), *SIM),
        tmp_path,
        f"{out}: cannot be created: {tmp_path / 'notes.txt'} is a file, not a directory",
        "choose another --out",
    )
