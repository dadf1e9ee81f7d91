"""checkov, offline, finds nothing to fail in infra/; every skip is justified and listed in the README."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hclconfig import INFRA, ROOT

_SKIP = re.compile(r"#checkov:skip=(CKV2?_AWS_\d+):(.*)")
_INSTALL = (
    "python3 -m venv .venv-checkov && .venv-checkov/bin/pip install 'checkov>=3.2,<4' in the repository root "
    "(what .ci/run does), or set CHECKOV to a working checkov binary"
)
_CLASH = (
    "checkov could not start. python-hcl2 and checkov's bc-python-hcl2 both install the module `hcl2`, and "
    "whichever was installed last wins; checkov needs bc-python-hcl2's. Install checkov in a venv of its own: "
    f"{_INSTALL}. tests/infra parse HCL with either hcl2."
)

# Where .ci/run installs checkov.
CHECKOV_VENV = ROOT / ".venv-checkov"


def _checkov(environ: Mapping[str, str] = os.environ, venv: Path = CHECKOV_VENV) -> str:
    """CHECKOV if set, else checkov's own venv (.venv-checkov), else the one beside this interpreter, else PATH."""
    candidates = [
        environ.get("CHECKOV", ""),
        str(venv / "bin" / "checkov"),
        str(Path(sys.executable).with_name("checkov")),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("checkov", path=environ.get("PATH"))
    assert found, f"checkov is not installed: {_INSTALL}"
    return found


@cache
def _report() -> dict[str, Any]:
    command = [_checkov(), "-d", str(INFRA), "--framework", "terraform", "--skip-download", "--compact", "-o", "json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # checkov may live in a venv of its own
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env, check=False)
    start = result.stdout.find("{")
    assert start >= 0, f"{_CLASH}\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout[start:])
    return report[0] if isinstance(report, list) else report


def _skips_in_code() -> set[tuple[str, str, str]]:
    found = set()
    for tf in INFRA.rglob("*.tf"):
        for check, reason in _SKIP.findall(tf.read_text(encoding="utf-8")):
            assert len(reason.strip()) > 20, f"{tf}: skip of {check} needs a reason"
            found.add((check, str(tf.relative_to(INFRA)), reason.strip()))
    return found


def test_checkov_reports_no_failed_check() -> None:
    report = _report()
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for c in report.get("results", {}).get("failed_checks", [])
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    assert report["summary"]["passed"] > 100, "checkov ran too few checks: did it parse infra/?"


def test_every_skip_in_the_code_is_listed_in_the_readmes_with_its_reason() -> None:
    """Both READMEs give the code's reason word for word, so a reason corrected in the code cannot stay stale."""
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for check, path, reason in sorted(_skips_in_code()):
        assert f"| `{check}` | `{path}` | {reason} |" in readme, (
            f"infra/README.md: {check} in {path} must read: {reason}"
        )
        module_readme = (INFRA / path).parent / "README.md"
        assert f"| `{check}` | {reason} |" in module_readme.read_text(encoding="utf-8"), (
            f"{module_readme.relative_to(INFRA)}: {check} must read: {reason}"
        )


def test_checkov_is_found_in_the_venv_ci_installs(tmp_path: Path) -> None:
    venv = tmp_path / ".venv-checkov"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "checkov").write_text("#!/bin/sh\n", encoding="utf-8")
    assert _checkov({"PATH": ""}, venv) == str(venv / "bin" / "checkov")
    assert _checkov({"CHECKOV": str(venv / "bin" / "checkov"), "PATH": ""}, tmp_path / "absent") == str(
        venv / "bin" / "checkov"
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"python3 -m venv {CHECKOV_VENV.relative_to(ROOT)}\n" in ci, ".ci/run must install checkov in CHECKOV_VENV"


def test_missing_checkov_says_how_ci_installs_it(tmp_path: Path) -> None:
    if Path(sys.executable).with_name("checkov").is_file():
        pytest.skip(f"checkov is installed beside {sys.executable}, so it is never missing here")
    with pytest.raises(AssertionError, match=r"\.venv-checkov/bin/pip install"):
        _checkov({"PATH": str(tmp_path)}, tmp_path / "absent")
