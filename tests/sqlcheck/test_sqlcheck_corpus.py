"""The corpus of correct panel queries passes every check, in every environment."""

from __future__ import annotations

import pytest

from sqlcheck import check_query, format_problems
from tests.sqlcheck.helpers import QUERIES, ROOT, TARGETS, VARIABLES, environment, render

CORPUS = sorted(QUERIES.rglob("*.sql"))


def test_corpus_covers_both_datasources() -> None:
    assert {p.parent.name for p in CORPUS} == {"timestream", "athena"}


@pytest.mark.parametrize("env_name", ["prod", "staging"])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_correct_query_passes(path, env_name: str) -> None:
    env = environment(env_name)
    problems = check_query(
        render(path.read_text(encoding="utf-8"), env),
        file=str(path.relative_to(ROOT)),
        datasource=path.parent.name,
        env=env,
        variables=VARIABLES,
        target=TARGETS.get(path.name),
    )
    assert problems == [], format_problems(problems, "text")
