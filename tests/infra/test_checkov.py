"""checkov, offline, finds nothing to fail in infra/; every skip is justified and listed in the README."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from tests.infra.hclconfig import INFRA, ROOT

_SKIP = re.compile(r"#checkov:skip=(CKV2?_AWS_\d+):(.*)")
_CLASH = (
    "checkov could not start. python-hcl2 and checkov's bc-python-hcl2 both install the module `hcl2`, and "
    "whichever was installed last wins; checkov needs bc-python-hcl2's. Install checkov in a venv of its own: "
    "python3 -m venv ~/.cache/dash-checkov && ~/.cache/dash-checkov/bin/pip install checkov "
    "(or set CHECKOV to a working checkov binary). tests/infra parse HCL with either hcl2."
)


CHECKOV_VENV = Path.home() / ".cache" / "dash-checkov"


def _checkov() -> str:
    """CHECKOV if set, else checkov's own venv (CHECKOV_VENV), else the one beside this interpreter, else PATH."""
    candidates = [
        os.environ.get("CHECKOV", ""),
        str(CHECKOV_VENV / "bin" / "checkov"),
        str(Path(sys.executable).with_name("checkov")),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("checkov")
    assert found, "checkov is not installed: pip install checkov (see infra/README.md)"
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


def _skips_in_code() -> set[tuple[str, str]]:
    found = set()
    for tf in INFRA.rglob("*.tf"):
        for check, reason in _SKIP.findall(tf.read_text(encoding="utf-8")):
            assert len(reason.strip()) > 20, f"{tf}: skip of {check} needs a reason"
            found.add((check, str(tf.relative_to(INFRA))))
    return found


def test_checkov_reports_no_failed_check() -> None:
    report = _report()
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for c in report.get("results", {}).get("failed_checks", [])
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    assert report["summary"]["passed"] > 100, "checkov ran too few checks: did it parse infra/?"


def test_every_skip_in_the_code_is_listed_in_the_readme() -> None:
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    for check, path in sorted(_skips_in_code()):
        assert re.search(rf"\| `{check}` \| `{re.escape(path)}` \|", readme), f"infra/README.md omits {check} in {path}"
