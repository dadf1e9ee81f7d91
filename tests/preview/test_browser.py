"""The shipped dashboards' previews in a real headless Chromium: what a reviewer reads is what `dash query` computes.

Each expected text comes from `dash query`'s own path (localquery.run.run_panel, then localquery.display, which
formats a table cell as `dash query` prints it) and the panel's JSON, never from preview.frames: a stat that
reduced, formatted or picked a column wrongly in the preview reads differently here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dashcompiler.compile import Model, compile_model
from localquery.display import cell_text, column_formats
from localquery.run import Result, run_panel
from preview.png import PageLog, open_page
from tests.preview.conftest import END, ROOT, START

_TEMPLATE = re.compile(r"^\$\{__field\.labels\.(\w+)\}$")


@cache
def _model() -> Model:
    """What `dash preview` and `dash query` run without --env on the default environment: its SQL twins."""
    return compile_model(ROOT, None, twin=True)


def _boards() -> list[str]:
    return [board.uid for board in _model().dashboards]


def _local(uid: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each panel of ``uid`` whose queries the local engine runs, with its JSON."""
    board = next(b for b in _model().dashboards if b.uid == uid)
    for key, _title in board.panels:
        queries = board.panel_queries(board.panel_data(key).source)
        panel = board.panel_json(key)
        if queries and panel is not None and all(q.kind.local_dialect is not None for q in queries):
            yield key, panel


def _query(uid: str, key: str, data: Path) -> list[Result]:
    model = _model()
    return run_panel(model.env, model.dashboards, uid, key, data, START, END)


@pytest.fixture(scope="module")
def opened(chromium: Any, shipped_previews: Path) -> Iterator[dict[str, tuple[Any, PageLog]]]:
    pages = {}
    for uid in _boards():
        log = PageLog()
        pages[uid] = (open_page(chromium, shipped_previews / f"{uid}.html", log), log)
    yield pages
    for page, _log in pages.values():
        page.context.close()


@pytest.mark.parametrize("uid", _boards())
def test_the_page_draws_with_no_console_error_and_no_request(opened: dict[str, tuple[Any, PageLog]], uid: str) -> None:
    page, log = opened[uid]
    assert log.errors == [] and log.refused == []
    assert page.locator(".panel .error").count() == 0


@pytest.mark.parametrize("uid", _boards())
def test_every_stat_reads_as_dash_query_formats_it(
    opened: dict[str, tuple[Any, PageLog]], preview_data: Path, uid: str
) -> None:
    page, _log = opened[uid]
    checked = 0
    for key, panel in _local(uid):
        if panel["type"] != "stat":
            continue
        (result,) = _query(uid, key, preview_data)
        assert len(result.columns) == 1 and len(result.rows) <= 1, f"{key}: a stat of one value: {result}"
        formats = column_formats(panel, result.columns, key)
        expected = (
            cell_text(result.rows[0][0], formats[result.columns[0]])
            if result.rows and result.rows[0][0] is not None
            else panel["fieldConfig"]["defaults"].get("noValue", "No data")
        )
        shown = page.locator(f"#panel-{key} .stat-value").all_inner_texts()
        assert shown == [expected], f"{uid} panel {key}"
        checked += 1
    assert checked or uid in ("connect-history-agents", "connect-pipeline-health")


@pytest.mark.parametrize("uid", _boards())
def test_every_table_shows_its_headers_and_every_row(
    opened: dict[str, tuple[Any, PageLog]], preview_data: Path, uid: str
) -> None:
    page, _log = opened[uid]
    for key, panel in _local(uid):
        if panel["type"] != "table":
            continue
        (result,) = _query(uid, key, preview_data)
        names = {
            o["matcher"]["options"]: p["value"]
            for o in panel["fieldConfig"]["overrides"]
            for p in o["properties"]
            if o["matcher"]["id"] == "byName" and p["id"] == "displayName"
        }
        headers = page.locator(f"#panel-{key} th").all_inner_texts()
        assert headers == [names.get(c, c) for c in result.columns], f"{uid} panel {key}"
        assert page.locator(f"#panel-{key} tbody tr").count() == len(result.rows), f"{uid} panel {key}"
        if result.rows:  # the first row as it arrived: a cell is found in the rendered table, formatted
            formats = column_formats(panel, result.columns, key)
            cells = page.locator(f"#panel-{key} tbody td").all_inner_texts()
            for column, value in zip(result.columns, result.rows[0], strict=True):
                if isinstance(value, int | float) and value is not None:
                    assert cell_text(value, formats[column]) in cells, f"{uid} panel {key} column {column}"


@pytest.mark.parametrize("uid", _boards())
def test_every_time_series_is_named_by_its_label_as_grafana_names_it(
    opened: dict[str, tuple[Any, PageLog]], preview_data: Path, uid: str
) -> None:
    page, _log = opened[uid]
    for key, panel in _local(uid):
        if panel["type"] != "timeseries":
            continue
        template = _TEMPLATE.match(panel["fieldConfig"]["defaults"].get("displayName", ""))
        assert template or panel.get("transformations"), f"{uid} panel {key}: expected a ${{__field.labels.X}} name"
        results = _query(uid, key, preview_data)
        label = template.group(1) if template else ""
        expected = {name for r in results for name in _series_names(r, label)}
        if not expected:
            assert page.locator(f"#panel-{key} .no-data").all_inner_texts() == ["No data"], f"{uid} panel {key}"
            continue
        drawn = page.evaluate(f"document.getElementById('figure-{key}').data.map(t => t.name)")
        assert sorted(drawn) == sorted(expected) and len(drawn) == len(set(drawn)), f"{uid} panel {key}"


def _series_names(result: Result, label: str) -> set[str]:
    """The series `dash query` shows: a query's rows name one per value of the label's column; after the panel's
    transformations each number field is one, already named (by the label after partitionByValues, by organize's
    renames); none without rows."""
    if label and label in result.columns:
        return {str(row[result.columns.index(label)]) for row in result.rows}
    assert result.field_types, f"{result.file}: neither a {label!r} column nor a transformed frame: {result.columns}"
    kept = [c for c, kind in zip(result.columns, result.field_types, strict=True) if kind == "number"]
    return set(kept) if result.rows else set()


def test_a_page_that_reaches_for_the_network_is_caught(chromium: Any, tmp_path: Path) -> None:
    """The no-request assertion above can fail: a page asking for an image off the machine is logged refused."""
    page_file = tmp_path / "reach.html"
    page_file.write_text(
        '<html><body data-ready="1"><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>'
        "</body></html>"
    )
    log = PageLog()
    page = open_page(chromium, page_file, log)
    page.wait_for_timeout(200)
    page.context.close()
    assert log.refused == ["http://127.0.0.1:9/x.png"] and any("boom" in e for e in log.errors)
