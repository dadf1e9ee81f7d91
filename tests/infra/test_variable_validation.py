"""Variable validations accept and refuse what they say, evaluated by Terraform itself.

`terraform console` evaluates built-in functions without providers or state, so the conditions as written in the
.tf files are run on sample values. Without a terraform binary those tests skip (CI installs none).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hclconfig import INFRA, MODULES, compact, load

TERRAFORM = shutil.which("terraform")
requires_terraform = pytest.mark.skipif(TERRAFORM is None, reason="no terraform binary on PATH to evaluate with")

CIDRS_ACCEPTED = [["203.0.113.0/24"], ["10.0.0.0/8", "192.0.2.7/32"]]
CIDRS_REFUSED = [
    [],
    ["0.0.0.0/0"],
    ["10.0.0.0/0"],
    ["::/0"],
    ["2001:db8::/32"],
    ["10.0.0.1/8"],
    ["10.0.0.0/33"],
    ["203.0.113.0"],
    ["grafana.example.com/24"],
    ["203.0.113.0/24", "0.0.0.0/0"],
]


def _hcl(value: Any) -> str:
    """A Python value as an HCL literal (lists of strings, numbers and null are JSON)."""
    return "null" if value is None else json.dumps(value)


def _evaluate(conditions: list[str], tmp_path: Path) -> list[bool]:
    """Each condition's value, evaluated as one list by `terraform console` in an empty directory."""
    result = subprocess.run(
        [str(TERRAFORM), "console"],
        input="[" + ", ".join(f"({c})" for c in conditions) + "]\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TF_IN_AUTOMATION": "1"},
    )
    values = [line.strip().rstrip(",") for line in result.stdout.splitlines()]
    values = [v for v in values if v in ("true", "false")]
    assert len(values) == len(conditions), f"terraform console answered {result.stdout!r} {result.stderr[-500:]!r}"
    return [v == "true" for v in values]


def _condition(directory: Path, variable: str, value: Any) -> str:
    """The variable's condition as written in variables.tf (the parsers rewrite expressions), applied to `value`."""
    text = (directory / "variables.tf").read_text(encoding="utf-8")
    match = re.search(rf'^variable "{variable}" {{\n.*?^\s+condition\s+=\s+(.+?)$', text, flags=re.M | re.S)
    assert match, f"{directory}/variables.tf: variable {variable} has no one-line validation condition"
    return re.sub(rf"\bvar\.{variable}\b", _hcl(value), match.group(1))


@requires_terraform
@pytest.mark.parametrize(("directory", "variable"), [(INFRA, "allowed_cidrs"), (MODULES / "grafana", "allowed_cidrs")])
def test_allowed_cidrs_are_ipv4_networks_never_the_whole_internet(
    directory: Path, variable: str, tmp_path: Path
) -> None:
    cases = CIDRS_ACCEPTED + CIDRS_REFUSED
    results = _evaluate([_condition(directory, variable, c) for c in cases], tmp_path)
    verdicts = dict(zip(map(json.dumps, cases), results, strict=True))
    assert verdicts == {json.dumps(c): c in CIDRS_ACCEPTED for c in cases}


RESERVED_CONCURRENCY = [(INFRA, "lambda_reserved_concurrency"), (MODULES / "ingest", "reserved_concurrency")]


def test_reserved_concurrency_defaults_to_unreserved_and_reaches_the_functions() -> None:
    for directory, variable in RESERVED_CONCURRENCY:
        default = load(directory).named("variable")[variable]["default"]
        assert default is None, f"{directory}: {variable} reserves {default}; that fails where the quota is 10"
    call = load(INFRA).named("module")["ingest"]
    assert compact(call["reserved_concurrency"]) == "var.lambda_reserved_concurrency"
    function = load(MODULES / "ingest").resources()[("aws_lambda_function", "this")]
    assert compact(function["reserved_concurrent_executions"]) == "var.reserved_concurrency"


@requires_terraform
@pytest.mark.parametrize(("directory", "variable"), RESERVED_CONCURRENCY)
def test_reserved_concurrency_accepts_null_or_a_positive_number(directory: Path, variable: str, tmp_path: Path) -> None:
    cases = {None: True, 5: True, 0: False, -1: False}
    assert _evaluate([_condition(directory, variable, v) for v in cases], tmp_path) == list(cases.values())
