"""Which variable queries a local run must execute, and so which tables it must load."""

from __future__ import annotations

from localquery.selection import Variable, queried_variables, select


def var(name: str, *, include_all: bool = True, all_value: str = "", current: tuple[str, ...] = ()) -> Variable:
    return Variable(name, "query", "timestream", True, include_all, all_value, False, (), current)


INSTANCE = var("instance", include_all=False)
QUEUE = var("queue", all_value="'__all__'")
CHANNEL = var("channel")
VARIABLES = (INSTANCE, QUEUE, CHANNEL)
QUERIES = {"instance": "SELECT 1", "queue": "SELECT q WHERE i = '$instance'", "channel": "SELECT c"}


def test_all_with_an_all_value_needs_no_query_but_a_format_or_a_default_first_value_does() -> None:
    assert queried_variables(VARIABLES, {}, ["WHERE q IN ($queue)"], QUERIES) == set()
    assert queried_variables(VARIABLES, {}, ["WHERE q IN (${queue:csv})"], QUERIES) == {"queue", "instance"}
    assert queried_variables(VARIABLES, {}, ["WHERE c IN ($channel)"], QUERIES) == {"channel"}
    assert queried_variables(VARIABLES, {}, ["WHERE i = '$instance'"], QUERIES) == {"instance"}


def test_given_values_and_unreferenced_variables_need_no_query() -> None:
    given = {"instance": ("i-1",), "channel": ("VOICE",)}
    assert queried_variables(VARIABLES, given, ["WHERE i = '$instance' AND c IN ($channel)"], QUERIES) == set()
    assert queried_variables(VARIABLES, {}, ["SELECT 1"], QUERIES) == set()


def test_select_runs_only_the_queried_variables() -> None:
    asked: list[str] = []

    def options_of(variable: Variable, _so_far: object) -> list[str]:
        asked.append(variable.name)
        return ["x"]

    chosen = select(VARIABLES, {}, options_of, queried={"instance"})
    assert asked == ["instance"]
    assert chosen["instance"].values == ("x",) and chosen["queue"].all and chosen["queue"].values == ()
