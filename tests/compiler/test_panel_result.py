"""A panel that shows another panel's result (Grafana's Dashboard datasource): compiled to the source's id, the
fields each panel shows selected as Grafana selects them, and every way to name a source wrongly a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashcompiler.definition_loader import panel_id
from dashcompiler.query_load import queries_per_refresh, refreshes_per_minute
from tests.compiler.helpers import copy_project, run
from tests.compiler.test_errors import _edit, _fails

LIVE = "dashboards/live.py"
OLDEST = """                    (TimestreamQuery("waiting.sql"),),
                ),
                Panel(
                    "by_queue","""


def _reuse(root: Path, source: str, extra: str = "") -> None:
    """The "oldest" gauge re-uses ``source``'s result and shows its column "oldest"."""
    _edit(root, LIVE, "from dashcompiler.api import (", "from dashcompiler.api import (\n    PanelResult,")
    _edit(
        root,
        LIVE,
        OLDEST,
        OLDEST.replace(
            '(TimestreamQuery("waiting.sql"),),', f'(PanelResult("{source}"),),\n{extra}fields=("oldest",),'
        ),
    )


def _board(root: Path, uid: str) -> dict:
    return json.loads((root / "provisioning" / "dashboards" / "cc-live" / f"{uid}.json").read_text())


def _panel(board: dict, key: str) -> dict:
    found = [p for p in board["panels"] for p in (p, *p.get("panels", [])) if p["id"] == panel_id(key)]
    assert len(found) == 1, key
    return found[0]


def test_a_re_used_result_is_a_dashboard_datasource_target_naming_the_source_panels_id(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = run("build", "--root", str(root))
    assert before[0] == 0, before[1]
    queries_before = queries_per_refresh(_board(root, "cc-live"))
    _reuse(root, "waiting")
    code, text = run("build", "--root", str(root))
    assert code == 0, text
    board = _board(root, "cc-live")
    oldest = _panel(board, "oldest")
    dashboard = {"type": "datasource", "uid": "-- Dashboard --"}
    assert oldest["datasource"] == dashboard
    assert oldest["targets"] == [
        {"datasource": dashboard, "panelId": panel_id("waiting"), "refId": "A", "withTransforms": False}
    ]
    assert oldest["options"]["reduceOptions"]["fields"] == "/^(oldest)$/"
    assert oldest["id"] == panel_id("oldest"), "the re-using panel keeps its own id"
    assert queries_per_refresh(board) == queries_before - 1


def test_fields_of_a_visual_without_reduce_options_are_a_filter_by_name_first(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    _edit(
        root,
        LIVE,
        '(TimestreamQuery("waiting.sql", format=TimestreamFormat.TIME_SERIES),),',
        '(TimestreamQuery("waiting.sql", format=TimestreamFormat.TIME_SERIES),),\n fields=("waiting", "oldest"),',
    )
    code, text = run("build", "--root", str(root))
    assert code == 0, text
    series = _panel(_board(root, "cc-live"), "waiting_over_time")
    assert series["transformations"][0] == {
        "id": "filterFieldsByName",
        "options": {"include": {"names": ["waiting", "oldest"]}},
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("nowhere", "PanelResult('nowhere') names no panel of this dashboard; keys here:"),
        ("handled", "PanelResult('handled') names a panel of dashboard 'cc-history'"),
        ("oldest", "names a panel that itself re-uses a result"),
    ],
    ids=["unknown", "other-dashboard", "itself"],
)
def test_a_source_that_grafana_cannot_find_is_a_build_error(tmp_path: Path, source: str, expected: str) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _reuse(root, source)
    _fails(root, "dashboards/live.py", "dashboard 'cc-live', panel 'oldest'", expected)


def test_a_chain_of_re_uses_is_a_build_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _reuse(root, "waiting")
    _edit(
        root,
        LIVE,
        'Panel("share", PieChartv2(title="Share"), (TimestreamQuery("waiting.sql"),), decimals=0)',
        'Panel("share", PieChartv2(title="Share"), (PanelResult("oldest"),), decimals=0)',
    )
    _fails(
        root,
        "panel 'share'",
        "PanelResult('oldest') names a panel that itself re-uses a result; Grafana offers no chains",
    )


def test_a_re_use_claiming_another_range_than_its_sources_is_a_build_error(tmp_path: Path) -> None:
    """The Dashboard datasource hands over the source's result, queried over the source's range: a relative time
    of the re-using panel's own would label a range nothing was queried over."""
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _reuse(root, "waiting", 'time_from="now/d",\n')
    _fails(root, "panel 'oldest'", "time_from='now/d', but it shows panel 'waiting''s result")


def test_a_re_use_is_the_panels_only_query(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _reuse(root, "waiting")
    _edit(
        root,
        LIVE,
        '(PanelResult("waiting"),),',
        '(PanelResult("waiting"), TimestreamQuery("waiting.sql", ref_id="B")),',
    )
    _fails(root, "panel 'oldest'", "a PanelResult is the panel's only query")


def test_queries_per_refresh_counts_what_grafana_sends() -> None:
    """Worked by hand: 2 sent by panel 1 (its hidden third is not), 1 by the collapsed row's panel, none by the
    Dashboard-datasource panel (neither its target's nor the panel's datasource sends)."""
    dashboard_ds = {"type": "datasource", "uid": "-- Dashboard --"}
    board = {
        "panels": [
            {"id": 1, "targets": [{"refId": "A"}, {"refId": "B"}, {"refId": "C", "hide": True}]},
            {"id": 2, "datasource": dashboard_ds, "targets": [{"refId": "A", "panelId": 1}]},
            {"id": 3, "type": "row", "panels": [{"id": 4, "targets": [{"refId": "A"}]}]},
            {"id": 5, "targets": [{"refId": "A", "datasource": dashboard_ds, "panelId": 4}]},
        ]
    }
    assert queries_per_refresh(board) == 3
    assert [refreshes_per_minute(r) for r in ("5s", "10s", "1m", "", "off")] == [12, 6, 1, 0, 0]
