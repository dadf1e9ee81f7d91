"""Findings point at the query file's own line and column, through Jinja2 and shared fragments."""

from __future__ import annotations

from core.problems import Problem
from tests.sqlcheck.helpers import check

TS = '"{{ timestream_database }}"'


def where(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def test_name_after_a_jinja_expression_is_at_its_column_in_the_file() -> None:
    sql = f"SELECT * FROM {TS}.queue_metric WHERE $__timeFilter"
    assert sql.index("queue_metric") + 1 == 43  # "connect-analytics" is shorter than the expression
    assert where(check(sql)) == [(1, 43, "unknown table queue_metric; did you mean queue_metrics?")]


def test_several_expressions_on_a_line_and_later_lines() -> None:
    sql = (
        f"SELECT agent_id, {{{{ service_level_seconds }}}} AS sl FROM {TS}.agent_state s\n"
        f"WHERE $__timeFilter AND s.agent_id IN (SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND stat = 'x')"
    )
    line2 = sql.splitlines()[1]
    assert where(check(sql)) == [
        (2, line2.index("stat =") + 1, "unknown column stat in agent_contact; did you mean state?")
    ]


def test_lines_removed_by_a_jinja_comment_still_count() -> None:
    sql = "{# two lines\n   of comment #}SELECT agent_idd FROM " + TS + ".agent_state WHERE $__timeFilter"
    assert where(check(sql)) == [(2, 24, "unknown column agent_idd in agent_state; did you mean agent_id?")]


def test_text_of_a_branch_not_taken_is_skipped() -> None:
    sql = "SELECT {% if false %}queue_name, {% endif %}agent_idd FROM " + TS + ".agent_state WHERE $__timeFilter"
    assert where(check(sql)) == [(1, 45, "unknown column agent_idd in agent_state; did you mean agent_id?")]


def test_name_inside_a_fragment_is_reported_at_the_call_and_names_the_fragment() -> None:
    fragment = (
        "{#- latest agent rows -#}\n"
        "{% macro latest() -%}\n"
        f"SELECT agent_id, statusname FROM {TS}.agent_state WHERE $__timeFilter\n"
        "{%- endmacro %}\n"
    )
    sql = '{% from "_latest.sql" import latest with context %}-- agents\nWITH a AS ({{ latest() }})\nSELECT * FROM a'
    assert where(check(sql, fragments={"_latest.sql": fragment})) == [
        (
            2,
            12,
            "unknown column statusname in agent_state; did you mean status_name? "
            "(in latest() of queries/_latest.sql:3:18)",
        )
    ]


def test_variable_inside_a_fragment_names_the_fragment() -> None:
    fragment = "{% macro f() %}queue_name IN ($queues){% endmacro %}"
    sql = (
        '{% from "parts/_f.sql" import f with context %}'
        f"SELECT agent_id FROM {TS}.agent_contact WHERE $__timeFilter AND {{{{ f() }}}}"
    )
    [problem] = check(sql, fragments={"parts/_f.sql": fragment})
    assert (problem.line, problem.column, problem.rule) == (1, sql.index("{{ f()") + 1, "unknown-variable")
    assert problem.message.endswith("did you mean $queue? (in f() of queries/parts/_f.sql:1:31)")


def test_a_template_whose_marked_rendering_differs_falls_back_to_the_rendered_text() -> None:
    # `length` counts characters, so the second rendering cannot match; offsets are the rendering's.
    sql = "{% set s %}abc{% endset %}SELECT {{ s | length }}, agent_idd FROM " + TS + ".agent_state WHERE $__timeFilter"
    assert where(check(sql)) == [(1, 11, "unknown column agent_idd in agent_state; did you mean agent_id?")]
