"""`dash diff --git REF --data DIR`'s options: what they take, refuse, and where the Markdown goes."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.valuediff.conftest import WHOLE, git, instance, run


def test_help_names_the_value_options() -> None:
    done = run(Path("."), "diff", "--help")
    assert done.exit_code == 0
    for option in ("--data", "--from", "--to", "--var", "--markdown"):
        assert option in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--git", "HEAD", "--data", "d"], "--data needs --from and --to"),
        (["--git", "HEAD", "--from", WHOLE[0], "--to", WHOLE[1]], "need --data DIR"),
        (["--grafana-url", "http://127.0.0.1:1", "--data", "d"], "go with --git REF"),
    ],
    ids=["no range", "no data", "not git"],
)
def test_value_options_out_of_place_are_usage_errors(repo: Path, args: list[str], said: str) -> None:
    done = run(repo, "diff", *args)
    assert done.exit_code == 2
    assert said in done.stderr


def test_markdown_goes_to_a_file_when_asked(repo: Path, sim: Path, tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    args = ["--data", str(sim), "--from", WHOLE[0], "--to", WHOLE[1], "--var", f"instance={instance(sim)}"]
    done = run(repo, "diff", "--git", "HEAD~1", *args, "--markdown", str(out))
    assert done.exit_code == 1, done.output
    assert done.stdout == ""
    text = out.read_text()
    assert text.startswith("### Dashboard changes since `HEAD~1`") and "### Values before (HEAD\\~1) and after" in text
    missing = run(repo, "diff", "--git", "HEAD~1", "--markdown", str(tmp_path / "no" / "such" / "dir.md"))
    assert missing.exit_code == 2 and "--markdown" in missing.stderr and "cannot be written" in missing.stderr


def test_a_variable_no_dashboard_declares_is_refused(repo: Path, sim: Path) -> None:
    done = run(
        repo, "diff", "--git", "HEAD~1", "--data", str(sim), "--from", WHOLE[0], "--to", WHOLE[1], "--var", "quue=Sales"
    )
    assert done.exit_code == 2
    assert "--var quue: no dashboard declares that variable" in done.stderr


def test_a_ref_without_the_project_says_so(repo: Path, sim: Path) -> None:
    empty_tree = subprocess.run(
        ["git", "-C", str(repo), "mktree"], input="", capture_output=True, text=True, check=True
    ).stdout.strip()
    commit = git(repo, "commit-tree", empty_tree, "-m", "nothing").strip()
    done = run(repo, "diff", "--git", commit, "--data", str(sim), "--from", WHOLE[0], "--to", WHOLE[1])
    assert done.exit_code == 2
    assert f"dash.yaml does not exist at {commit}" in done.stderr


def test_png_draws_each_changed_dashboard_before_and_after(repo: Path, sim: Path, tmp_path: Path) -> None:
    if shutil.which("chromium") is None or importlib.util.find_spec("playwright") is None:
        pytest.skip("--png needs Debian's chromium and the playwright package (.ci/run installs both)")
    out = tmp_path / "images"
    args = ["--data", str(sim), "--from", WHOLE[0], "--to", WHOLE[1], "--var", f"instance={instance(sim)}"]
    done = run(repo, "diff", "--git", "HEAD~1", *args, "--png", str(out))
    assert done.exit_code == 1, done.output
    uid = "connect-history-contacts"
    for side in ("before", "after"):
        assert sorted(p.name for p in (out / side).iterdir()) == [f"{uid}.html", f"{uid}.png"]  # changed ones only
        assert (out / side / f"{uid}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Images: before {out}/before/{uid}.png, after {out}/after/{uid}.png" in done.stdout.replace("\\_", "_")


def test_png_without_data_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    done = run(repo, "diff", "--git", "HEAD~1", "--png", str(tmp_path))
    assert done.exit_code == 2 and "--png needs --data DIR" in done.stderr
