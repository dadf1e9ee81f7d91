"""bench/mutations.py stays runnable: every bug it plants still finds the one place it edits."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mutations", ROOT / "bench" / "mutations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


MUTATIONS = load().MUTATIONS


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_each_planted_bug_edits_exactly_one_place_per_file(mutation: object) -> None:
    for edit in mutation.edits:  # type: ignore[attr-defined]
        text = (ROOT / edit.path).read_text(encoding="utf-8")
        assert text.count(edit.old) == 1, f"{mutation.name}: {edit.path} no longer has {edit.old!r} once"  # type: ignore[attr-defined]
        assert edit.new != edit.old


def test_mutation_names_are_unique() -> None:
    names = [m.name for m in MUTATIONS]
    assert len(names) == len(set(names))
