"""Variable validations accept and refuse what they say.

Every rule runs on sample values through tests/infra/hcleval.py, which needs no binary, so CI (which installs no
Terraform) checks them. Where a `terraform` binary is on PATH, `terraform console` (no providers or state needed)
evaluates the same conditions as written, which also checks that the Python evaluator agrees with Terraform.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hclconfig import INFRA, MODULES, Config, all_configs, compact, load
from tests.infra.hcleval import HclError, evaluate

TERRAFORM = shutil.which("terraform")
requires_terraform = pytest.mark.skipif(
    TERRAFORM is None,
    reason="no terraform binary on PATH (CI installs none): the cross-check against Terraform is skipped; "
    "the same conditions ran through tests/infra/hcleval.py (test_rule_without_terraform, test_every_default_passes_its_own_validation)",
)

CIDRS = [
    (["203.0.113.0/24"], True),
    (["10.0.0.0/8", "192.0.2.7/32"], True),
    ([], False),
    (["0.0.0.0/0"], False),
    (["10.0.0.0/0"], False),
    (["::/0"], False),
    (["2001:db8::/32"], False),
    (["10.0.0.1/8"], False),
    (["10.0.0.0/33"], False),
    (["203.0.113.0"], False),
    (["grafana.example.com/24"], False),
    (["203.0.113.0/24", "0.0.0.0/0"], False),
]
RESERVED_CONCURRENCY = [(None, True), (5, True), (0, False), (-1, False)]
VPC_CIDRS = [
    ("10.40.0.0/16", True),
    ("172.16.0.0/16", True),
    ("10.0.0.0/8", False),
    ("10.40.0.0/24", False),
    ("10.40.0.1/16", False),
    ("10.40.0.0", False),
    ("fd00::/16", False),
    ("abc", False),
    ("", False),
]

REALTIME_STORES = [
    ("influxdb", True),
    ("timestream", True),
    ("Timestream", False),
    ("liveanalytics", False),
    ("", False),
]

CASES: dict[tuple[Path, str], list[tuple[Any, bool]]] = {
    (INFRA, "realtime_store"): REALTIME_STORES,
    (MODULES / "ingest", "sink"): REALTIME_STORES,
    (INFRA, "allowed_cidrs"): CIDRS,
    (MODULES / "grafana", "allowed_cidrs"): CIDRS,
    (INFRA, "lambda_reserved_concurrency"): RESERVED_CONCURRENCY,
    (MODULES / "ingest", "reserved_concurrency"): RESERVED_CONCURRENCY,
    (INFRA, "vpc_cidr"): VPC_CIDRS,
    (MODULES / "vpc", "cidr_block"): VPC_CIDRS,
}
CASE_IDS = [f"{d.relative_to(INFRA.parent)}:{v}" for d, v in CASES]


def _hcl(value: Any) -> str:
    """A Python value as an HCL literal (JSON is one, with null for None)."""
    return json.dumps(value)


def conditions(directory: Path) -> dict[str, list[str]]:
    """Each variable's validation conditions as written in variables.tf (the parsers rewrite expressions)."""
    text = (directory / "variables.tf").read_text(encoding="utf-8")
    blocks = re.split(r'^variable "(\w+)" \{$', text, flags=re.M)
    pairs = zip(blocks[1::2], blocks[2::2], strict=True)
    return {name: re.findall(r"^\s+condition\s+=\s+(.+?)\s*$", body, flags=re.M) for name, body in pairs}


def _terraform(expressions: list[str], tmp_path: Path) -> list[str]:
    """Each expression's value as `terraform console` prints it, evaluated as one list in an empty directory."""
    result = subprocess.run(
        [str(TERRAFORM), "console"],
        input="[" + ", ".join(f"({e})" for e in expressions) + "]\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "TF_IN_AUTOMATION": "1",
            "TF_CLI_CONFIG_FILE": "/dev/null",
        },
    )
    values = [line.strip().rstrip(",") for line in result.stdout.splitlines()]
    values = [v for v in values if v in ("true", "false")]
    assert len(values) == len(expressions), f"terraform console answered {result.stdout!r} {result.stderr[-500:]!r}"
    return values


def _substituted(condition: str, variable: str, value: Any) -> str:
    return re.sub(rf"\bvar\.{variable}\b", _hcl(value), condition)


def _only_condition(directory: Path, variable: str) -> str:
    found = conditions(directory)[variable]
    assert len(found) == 1, f"{directory}/variables.tf: variable {variable} has {len(found)} validations, expected 1"
    return found[0]


@pytest.mark.parametrize(("directory", "variable"), list(CASES), ids=CASE_IDS)
def test_rule_without_terraform(directory: Path, variable: str) -> None:
    condition = _only_condition(directory, variable)
    verdicts = {json.dumps(value): evaluate(condition, {variable: value}) for value, _ in CASES[(directory, variable)]}
    assert verdicts == {json.dumps(value): expected for value, expected in CASES[(directory, variable)]}


@requires_terraform
@pytest.mark.parametrize(("directory", "variable"), list(CASES), ids=CASE_IDS)
def test_rule_with_terraform(directory: Path, variable: str, tmp_path: Path) -> None:
    condition = _only_condition(directory, variable)
    cases = CASES[(directory, variable)]
    results = _terraform([_substituted(condition, variable, value) for value, _ in cases], tmp_path)
    assert results == [json.dumps(expected) for _, expected in cases]


def _defaults(config: Config) -> list[tuple[str, Any, str]]:
    """(variable, default, condition) for every validation of every variable with a default."""
    found = conditions(config.path)
    return [
        (name, body["default"], condition)
        for name, body in config.named("variable").items()
        if "default" in body
        for condition in found[name]
    ]


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_every_default_passes_its_own_validation(config: Config) -> None:
    """A default its own rule refuses breaks every plan that does not set the variable."""
    failing = []
    for name, default, condition in _defaults(config):
        try:
            ok = evaluate(condition, {name: default})
        except HclError as exc:
            ok = f"error: {exc}"
        if ok is not True:
            failing.append(f"{name} = {default!r}: {condition} -> {ok}")
    assert not failing, f"{config.path}/variables.tf:\n" + "\n".join(failing)


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_every_validation_is_one_readable_condition_per_block(config: Config) -> None:
    """Multi-line or unsupported conditions would escape the checks above; refuse them here."""
    text = (config.path / "variables.tf").read_text(encoding="utf-8")
    found = conditions(config.path)
    assert sum(map(len, found.values())) == text.count("validation {"), f"{config.path}: a condition spans lines"
    for name in config.named("variable"):
        assert found.get(name), f"{config.path}/variables.tf: variable {name} has no validation condition"


@requires_terraform
def test_python_evaluator_agrees_with_terraform_on_every_default(tmp_path: Path) -> None:
    rows = [(config, *row) for config in all_configs() for row in _defaults(config)]
    results = _terraform([_substituted(condition, name, default) for _, name, default, condition in rows], tmp_path)
    for (config, name, default, condition), result in zip(rows, results, strict=True):
        assert result == "true", f"{config.path}: {name} = {default!r} fails its rule under Terraform: {condition}"


def test_evaluator_follows_terraform_where_the_rules_depend_on_it() -> None:
    """Terraform 1.5-1.11 evaluates both sides of && and ||, and only the chosen branch of ? :."""
    with pytest.raises(HclError, match="invalid index"):
        evaluate('true || split("/", var.c)[1] == ""', {"c": "abc"})
    assert evaluate("var.n == null ? true : var.n >= 1", {"n": None}) is True
    assert evaluate("can(cidrhost(var.c, 0))", {"c": "10.0.0.1"}) is False
    assert evaluate("cidrsubnet(var.c, 0, 0)", {"c": "10.0.0.1/8"}) == "10.0.0.0/8"
    assert evaluate('var.a == "1"', {"a": 1}) is False
    with pytest.raises(HclError, match="not supported"):
        evaluate("lower(var.a)", {"a": "A"})


def test_reserved_concurrency_defaults_to_unreserved_and_reaches_the_functions() -> None:
    for directory, variable in [(INFRA, "lambda_reserved_concurrency"), (MODULES / "ingest", "reserved_concurrency")]:
        default = load(directory).named("variable")[variable]["default"]
        assert default is None, f"{directory}: {variable} reserves {default}; that fails where the quota is 10"
    call = load(INFRA).named("module")["ingest"]
    assert compact(call["reserved_concurrency"]) == "var.lambda_reserved_concurrency"
    function = load(MODULES / "ingest").resources()[("aws_lambda_function", "this")]
    assert compact(function["reserved_concurrent_executions"]) == "var.reserved_concurrency"


def test_lake_feed_accepts_what_ctr_lake_passes_for_any_name_prefix() -> None:
    """lake_feed's rules (name length, statement ids, key prefixes) must not refuse what ctr_lake passes it."""
    lake = load(MODULES / "ctr_lake")
    rules = conditions(MODULES / "lake_feed")
    defaults = {name: body["default"] for name, body in lake.named("variable").items() if "default" in body}
    (prefix_rule,) = conditions(MODULES / "ctr_lake")["name_prefix"]
    for name_prefix in ("cx", "c" + "x" * 30):  # the shortest and the longest name_prefix its rule accepts
        assert evaluate(prefix_rule, {"name_prefix": name_prefix}) is True
        known = {**defaults, "name_prefix": name_prefix}
        for call in ("ctr", "agent_events"):
            checked = set()
            for variable, passed in lake.named("module")[call].items():
                text = str(passed)
                whole = re.fullmatch(r"\$\{var\.(\w+)\}", text)
                refs = re.findall(r"\$\{var\.(\w+)\}", text)
                if variable == "source" or any(r not in known for r in refs):
                    continue
                if whole:
                    value = known[whole.group(1)]
                elif "${" in re.sub(r"\$\{var\.\w+\}", "", text):
                    continue
                else:
                    value = text
                    for ref in refs:
                        value = value.replace(f"${{var.{ref}}}", str(known[ref]))
                for condition in rules[variable]:
                    assert evaluate(condition, {variable: value}) is True, (
                        f"ctr_lake: module {call} passes {variable} = {value!r} (name_prefix {name_prefix!r}), "
                        f"which lake_feed's rule refuses: {condition}"
                    )
                checked.add(variable)
            assert {"name", "policy_name", "stream_sid", "data_prefix", "error_prefix", "output_format"} <= checked
