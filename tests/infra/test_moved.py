"""`moved` blocks carry a deployment's state to new addresses, so a refactor never destroys a stream or a table.

Terraform is not installed here, so what `terraform plan` would check is checked statically: every `from` is an
address the module had before the move and no longer has, every address it no longer has is moved, and every `to`
is a managed resource of the same type that exists now (through the module calls it names).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.infra.hclconfig import MODULES, ROOT, Config, all_configs, expression, load, parse_text

# Each module's resources and module calls before its moves, at the commit named (read below to prove the list).
BEFORE: dict[Path, tuple[str, frozenset[str]]] = {
    MODULES / "ctr_lake": (
        "2d0781c6c605545a459a63f9458f8eb37538b214",  # before both feeds moved into modules/lake_feed
        frozenset(
            {
                "module.bucket",
                "aws_glue_catalog_database.this",
                "aws_glue_catalog_table.this",
                "aws_cloudwatch_log_group.firehose",
                "aws_cloudwatch_log_stream.firehose",
                "aws_iam_role.firehose",
                "aws_iam_role_policy.firehose",
                "aws_kinesis_firehose_delivery_stream.this",
                "aws_glue_catalog_table.agent_events",
                "aws_cloudwatch_log_group.agent_events_firehose",
                "aws_cloudwatch_log_stream.agent_events_firehose",
                "aws_iam_role.agent_events_firehose",
                "aws_iam_role_policy.agent_events_firehose",
                "aws_kinesis_firehose_delivery_stream.agent_events",
            }
        ),
    ),
}
_ADDRESS = re.compile(r"((?:module\.\w+\.)*)(\w+)\.(\w+)")


def _addresses(config: Config) -> set[str]:
    """The module's own managed resources and module calls, as a moved block names them."""
    return {f"{rtype}.{name}" for rtype, name in config.resources()} | {f"module.{n}" for n in config.named("module")}


def _moves(config: Config) -> list[tuple[str, str]]:
    return [(expression(block["from"]), expression(block["to"])) for block in config.blocks.get("moved", [])]


def _resolve(config: Config, address: str) -> tuple[Config, str, str]:
    """The module holding a resource address (following its `module.<name>.` calls), its type and its name."""
    match = _ADDRESS.fullmatch(address)
    assert match, f"{config.path}: moved address {address!r} is not [module.<name>.]...<type>.<name>"
    for call in re.findall(r"module\.(\w+)\.", match.group(1)):
        calls = config.named("module")
        assert call in calls, f"{config.path}: moved address {address} names module.{call}, which is not called"
        config = load((config.path / calls[call]["source"]).resolve())
    return config, match.group(2), match.group(3)


def _with_moves() -> list[Config]:
    return [c for c in all_configs() if _moves(c)]


def test_the_moves_are_checked_somewhere() -> None:
    assert {c.path for c in _with_moves()} == set(BEFORE), (
        "every module with moved blocks needs its addresses before the move in BEFORE (and only those)"
    )


@pytest.mark.parametrize("module", sorted(BEFORE), ids=lambda p: p.name)
def test_every_from_existed_before_and_every_gone_address_is_moved(module: Path) -> None:
    config = load(module)
    before = BEFORE[module][1]
    sources = [source for source, _ in _moves(config)]
    assert len(sources) == len(set(sources)), f"{module}: an address is moved twice"
    unknown = set(sources) - before
    assert not unknown, f"{module}: moved from {sorted(unknown)}, which the module never had"
    still = set(sources) & _addresses(config)
    assert not still, f"{module}: {sorted(still)} still exist, so Terraform refuses to move them"
    gone = before - _addresses(config)
    assert gone <= set(sources), (
        f"{module}: {sorted(gone - set(sources))} are gone without a moved block: an existing deployment would "
        "destroy them; add `moved { from = <old> to = <new> }`"
    )


@pytest.mark.parametrize("config", _with_moves(), ids=lambda c: c.path.name)
def test_every_to_is_a_resource_of_the_same_type_that_exists_now(config: Config) -> None:
    targets = [target for _, target in _moves(config)]
    assert len(targets) == len(set(targets)), f"{config.path}: two moved blocks share a `to`"
    for source, target in _moves(config):
        _, source_type, _ = _resolve(config, source)
        holder, rtype, name = _resolve(config, target)
        assert (rtype, name) in holder.resources(), f"{config.path}: moved to {target}, which does not exist"
        assert rtype == source_type, f"{config.path}: {source} cannot move to a {rtype}"


@pytest.mark.parametrize("module", sorted(BEFORE), ids=lambda p: p.name)
def test_before_is_what_the_commit_held(module: Path) -> None:
    commit, before = BEFORE[module]
    relative = module.relative_to(ROOT).as_posix()
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{commit}:{relative}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        pytest.skip(f"commit {commit[:7]} is not in this clone's history: BEFORE for {relative} stands unchecked")
    blocks: dict[str, list] = {}
    for name in listing.stdout.split():
        if name.endswith(".tf"):
            text = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{commit}:{relative}/{name}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for kind, items in parse_text(text).items():
                blocks.setdefault(kind, []).extend(items)
    assert _addresses(Config(module, blocks, "")) == before
