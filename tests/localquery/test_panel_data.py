"""What `dash query` prints for a panel that re-uses another's result or shows some columns of it: the source's
rows cut to the panel's fields, as Grafana's reduceOptions.fields and filterFieldsByName select them."""

from __future__ import annotations

import pytest

from core.errors import QueryError
from core.model import CompiledDashboard, PanelData
from localquery.run import Result, shown


def board(*data: PanelData) -> CompiledDashboard:
    return CompiledDashboard("d", "D", "f", "dashboards/d.py", {}, (), (), (), data)


COUNTS = Result("online", "queries/counts.sql", ("online", "available", "error"), [(5, 1, 2)])


def test_a_re_using_panel_shows_its_fields_of_the_sources_rows_under_its_own_key() -> None:
    (result,) = shown(board(PanelData("error", "online", ("error",))), "error", [COUNTS])
    assert result == Result("error", "queries/counts.sql", ("error",), [(2,)])


def test_fields_keep_the_results_column_order_and_a_panel_without_fields_shows_everything() -> None:
    (picked,) = shown(board(PanelData("both", "online", ("error", "online"))), "both", [COUNTS])
    assert picked.columns == ("online", "error") and picked.rows == [(5, 2)]
    (everything,) = shown(board(), "online", [COUNTS])
    assert everything.columns == COUNTS.columns and everything.rows == COUNTS.rows


def test_a_result_with_none_of_the_fields_is_no_frame_and_an_empty_result_stays_empty() -> None:
    lookup = Result("online", "queries/names.sql", ("queue_id", "queue_name"), [("q1", "Sales")])
    empty = Result("online", "queries/counts.sql", (), [])
    data = board(PanelData("error", "online", ("error",)))
    assert [r.columns for r in shown(data, "error", [COUNTS, lookup, empty])] == [("error",), ()]


def test_a_field_the_query_does_not_return_is_an_error_naming_panel_source_and_columns() -> None:
    data = board(PanelData("late", "online", ("late", "online")))
    with pytest.raises(QueryError, match=r"panel 'late' shows \['late'\], which queries/counts.sql \(panel 'online'\)"):
        shown(data, "late", [COUNTS])
    with pytest.raises(
        QueryError, match=r"panel 'late' shows \['late'\], which no query of queries/counts.sql returns"
    ):
        shown(board(PanelData("late", "online", ("late",))), "late", [COUNTS])
