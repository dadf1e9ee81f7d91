"""Static checks of infra/: what `terraform validate` would catch, without Terraform."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.hclconfig import INFRA, META_ARGUMENTS, Config, all_configs, compact, load, module_dirs, parse_text

MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")


def _tf_files() -> list[Path]:
    return sorted(p for p in INFRA.rglob("*.tf") if "lambdas" not in p.parts)


@pytest.mark.parametrize("path", _tf_files(), ids=lambda p: str(p.relative_to(INFRA)))
def test_every_tf_file_parses(path: Path) -> None:
    assert parse_text(path.read_text(encoding="utf-8")), f"{path} parsed to nothing"


@pytest.mark.parametrize("module", module_dirs(), ids=lambda p: p.name)
def test_module_has_standard_files_and_no_provider_block(module: Path) -> None:
    missing = [name for name in MODULE_FILES if not (module / name).is_file()]
    assert not missing, f"{module}: missing {missing}"
    config = load(module)
    assert "provider" not in config.blocks, f"{module}: a module must not declare provider blocks"
    required = config.blocks["terraform"][0]["required_providers"][0]
    assert re.fullmatch(r"~> 5\.\d+", required["aws"]["version"]), f"{module}: aws provider 5.x"


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_variables_have_description_type_and_validation(config: Config) -> None:
    for name, body in config.named("variable").items():
        for key in ("description", "type", "validation"):
            assert key in body, f"{config.path}/variables.tf: variable {name} lacks {key}"


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_module_calls_match_declared_variables(config: Config) -> None:
    for call, body in config.named("module").items():
        target = load((config.path / body["source"]).resolve())
        declared = target.named("variable")
        passed = set(body) - META_ARGUMENTS
        unknown = passed - set(declared)
        assert not unknown, f"{config.path}: module {call} passes undeclared {sorted(unknown)}"
        required = {name for name, var in declared.items() if "default" not in var}
        assert required <= passed, f"{config.path}: module {call} omits required {sorted(required - passed)}"


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_referenced_module_outputs_exist(config: Config) -> None:
    calls = config.named("module")
    text = re.sub(r"^moved\s*\{.*?^\}", "", config.text, flags=re.M | re.S)  # addresses there: test_moved.py
    for call, output in re.findall(r"module\.(\w+)(?:\[\d+\]|\[\*\])?\.(\w+)", text):
        assert call in calls, f"{config.path}: module.{call} is referenced but not called"
        target = load((config.path / calls[call]["source"]).resolve())
        assert output in target.named("output"), f"{config.path}: module.{call}.{output} is not an output of it"


@pytest.mark.parametrize("module", module_dirs(), ids=lambda p: p.name)
def test_readme_lists_every_input_and_output(module: Path) -> None:
    readme = (module / "README.md").read_text(encoding="utf-8")
    config = load(module)
    for kind in ("variable", "output"):
        for name in config.named(kind):
            assert f"`{name}`" in readme, f"{module}/README.md does not list {kind} {name}"


def test_root_readme_lists_root_inputs_and_outputs() -> None:
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    config = load(INFRA)
    for kind in ("variable", "output"):
        for name in config.named(kind):
            assert f"`{name}`" in readme, f"infra/README.md does not list {kind} {name}"


def test_providers_only_in_root_and_timestream_gets_the_alias() -> None:
    root = load(INFRA)
    assert root.named("provider")
    timestream = root.named("module")["timestream"]
    assert compact(timestream["providers"]["aws"]) == "aws.timestream"
    aliases = [p for p in root.blocks["provider"] for body in p.values() if body.get("alias") == "timestream"]
    assert aliases, "providers.tf needs an aws provider aliased timestream"
    region = next(body["region"] for p in aliases for body in p.values())
    assert compact(region) == "var.timestream_region"


def test_ingress_never_from_the_whole_internet() -> None:
    for config in all_configs():
        for (rtype, name), body in config.resources().items():
            if rtype == "aws_vpc_security_group_ingress_rule":
                assert compact(body.get("cidr_ipv4", "")) != "0.0.0.0/0", f"{config.path}: {name}"
            assert rtype != "aws_security_group_rule", f"{config.path}: use the per-rule VPC resources"


def test_grafana_instance_is_hardened() -> None:
    body = load(INFRA / "modules" / "grafana").resources()[("aws_instance", "this")]
    assert body["metadata_options"][0]["http_tokens"] == "required"
    assert body["root_block_device"][0]["encrypted"] is True
    assert "key_name" not in body, "no SSH key: use Session Manager"


@pytest.mark.parametrize("config", all_configs(), ids=lambda c: c.path.name)
def test_access_logging_reaches_every_bucket_from_a_root_variable(config: Config) -> None:
    """CKV_AWS_18 is skipped on the promise that var.access_log_bucket switches logging on: keep it reachable."""
    for call, body in config.named("module").items():
        target = load((config.path / body["source"]).resolve())
        if "access_log_bucket" not in target.named("variable"):
            continue
        assert "access_log_bucket" in body, f"{config.path}: module {call} does not pass access_log_bucket"
        source = compact(body["access_log_bucket"])
        assert re.fullmatch(r"var\.\w*access_log_bucket", source), f"{config.path}: module {call} gets {source}"
        assert source.removeprefix("var.") in config.named("variable"), f"{config.path}: {source} is not declared"
    if config.path == INFRA:
        timestream = compact(config.named("module")["timestream"]["access_log_bucket"])
        assert timestream == "var.timestream_access_log_bucket", "S3 logs only to a bucket in the source's region"
