"""`dash build --out`: only an empty directory or a previous build's output is ever replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashcompiler.output import MANIFEST
from tests.compiler.helpers import copy_project, run


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def _refuses(root: Path, out: Path, *expected: str) -> None:
    before = _snapshot(out.parent)
    code, text = run("build", "--root", str(root), "--out", str(out))
    assert code == 2, text
    flat = " ".join(text.split())
    for part in expected:
        assert part in flat, f"{part!r} not in {flat!r}"
    assert _snapshot(out.parent) == before, "a refused build changed or lost files"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")], "staging left behind"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


def test_out_at_the_repository_root_is_refused_and_nothing_is_lost(root: Path) -> None:
    _refuses(root, root, "refusing to replace it", ".git", "dash.yaml", "pass --out a new or empty directory")
    assert (root / "dashboards" / "live.py").is_file() and (root / ".git" / "HEAD").is_file()


def test_a_directory_with_other_files_is_refused(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "dashboards").mkdir(parents=True)
    (out / "dashboards" / "keep.py").write_text("x = 1\n")
    (out / "notes.txt").write_text("mine\n")
    _refuses(root, out, f"{out.resolve()}: refusing", "dashboards/keep.py, notes.txt")


def test_a_file_is_refused(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("{}\n")
    _refuses(root, out, "is a file, not a directory")


@pytest.mark.parametrize("prepare", ["absent", "empty", "previous"])
def test_an_absent_empty_or_previously_built_directory_is_replaced_whole(
    root: Path, tmp_path: Path, prepare: str
) -> None:
    out = tmp_path / "out"
    if prepare != "absent":
        out.mkdir()
    if prepare == "previous":  # an earlier build wrote a dashboard whose definition is gone since
        assert run("build", "--root", str(root), "--out", str(out))[0] == 0
        retired = out / "dashboards" / "cc-live" / "cc-live.json"
        (out / "dashboards" / "gone").mkdir()
        retired.rename(out / "dashboards" / "gone" / "old.json")
        manifest = json.loads((out / MANIFEST).read_text())
        manifest["files"]["dashboards/gone/old.json"] = manifest["files"].pop("dashboards/cc-live/cc-live.json")
        (out / MANIFEST).write_text(json.dumps(manifest))
    code, text = run("build", "--root", str(root), "--out", str(out))
    assert code == 0, text
    written = _snapshot(out)
    assert "dashboards/cc-live/cc-live.json" in written and "dashboards/gone/old.json" not in written
    assert {rel.split("/")[0] for rel in written} == {"alerting", "dashboards", "datasources", MANIFEST}
    listed = json.loads(written[MANIFEST])["files"]
    assert sorted(listed) == sorted(rel for rel in written if rel != MANIFEST)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
