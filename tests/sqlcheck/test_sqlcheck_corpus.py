"""The corpus of correct panel queries passes every check, in every environment."""

from __future__ import annotations

import pytest

from core.kinds import CheckRequest
from core.problems import format_problems
from kinds import KINDS
from tests.sqlcheck.helpers import QUERIES, ROOT, TARGETS, VARIABLES, environment, render

CORPUS = sorted(QUERIES.rglob("*.sql"))


def test_corpus_covers_both_datasources() -> None:
    assert {p.parent.name for p in CORPUS} == {"timestream", "athena"}


@pytest.mark.parametrize("env_name", ["prod", "staging"])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_correct_query_passes(path, env_name: str) -> None:
    env = environment(env_name)
    kind = KINDS[path.parent.name]
    text = render(path.read_text(encoding="utf-8"), env)
    file = str(path.relative_to(ROOT))
    problems = kind.check(
        CheckRequest(text, file, kind.context(env), VARIABLES, TARGETS.get(path.name, {}), None, None)
    )
    assert problems == [], format_problems(problems, "text")
