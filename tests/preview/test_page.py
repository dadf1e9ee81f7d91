"""The page as HTML: hostile titles, descriptions, names and cells stay text; panels sit where gridPos puts them."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from preview.frames import Categories, PanelView, Series, StatValue, Table
from preview.page import PageInfo, PanelItem, render_page, script_json

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


class _Scan(HTMLParser):
    """The page's elements, attributes and text, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _page(items: list[PanelItem], panels: dict[str, dict[str, object]] | None = None) -> _Scan:
    html = render_page(PageInfo(HOSTILE, "data", "a", "b", HOSTILE), items, panels or {})
    scan = _Scan()
    scan.feed(html)
    return scan


def _item(key: str, kind: str, view: PanelView | None = None, **extra: object) -> PanelItem:
    return PanelItem(key, kind, HOSTILE, HOSTILE, 2, 3, 10, 5, view=view, **extra)  # type: ignore[arg-type]


def test_hostile_text_everywhere_stays_text() -> None:
    series = (Series(HOSTILE, ("2026-02-01T00:00:00.000Z",), (1.0,)),)
    items = [
        _item("s", "stat", PanelView("stat", stats=(StatValue(HOSTILE, HOSTILE, "red;background:url(x)", 1.0),))),
        _item("t", "table", PanelView("table", tables=(Table((HOSTILE,), ((HOSTILE,),), (False,)),))),
        _item("g", "timeseries", PanelView("timeseries", unit="none", series=series)),
        _item("p", "piechart", PanelView("piechart", categories=Categories((HOSTILE,), series))),
        _item("e", "stat", error=HOSTILE),
    ]
    panels = {"g": {"type": "timeseries"}, "p": {"type": "piechart"}}
    scan = _page(items, panels)
    assert not any(tag == "img" for tag, _ in scan.tags)
    assert not any(name.startswith("on") for _, attrs in scan.tags for name in attrs)
    # our scripts only: plotly.js, the drawing loop, and one JSON figure per chart
    kinds = [attrs.get("type") for tag, attrs in scan.tags if tag == "script"]
    assert kinds.count(None) == 2 and kinds.count("application/json") == 2 and len(kinds) == 4
    figures = [json.loads(s) for s in scan.scripts if s.lstrip().startswith("{")]
    assert figures[0]["data"][0]["name"] == HOSTILE and figures[1]["data"][0]["labels"] == [HOSTILE]
    assert "".join(scan.text).count(HOSTILE) >= 6  # page title, heading, 5 panel titles... shown as typed
    styles = [attrs.get("style") or "" for _, attrs in scan.tags]
    assert not any("url(" in style for style in styles)  # a colour that is not a colour is not written


def test_script_json_cannot_end_its_script_element() -> None:
    text = str(script_json({"name": "</script><!--", "t": "a&b", "sep": "\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": "</script><!--", "t": "a&b", "sep": "\u2028"}


def test_panels_and_rows_sit_on_the_24_column_grid() -> None:
    items = [
        PanelItem("", "row", "Now", "", 0, 0, 24, 1, row=True),
        PanelItem("a", "stat", "A", "", 6, 1, 4, 5, view=PanelView("stat", stats=(StatValue("", "1", "#fff", 1.0),))),
    ]
    scan = _page(items)
    section = next(attrs for tag, attrs in scan.tags if tag == "section")
    assert section["style"] == "grid-column: 7 / span 4; grid-row: 2 / span 5"
    row = next(attrs for tag, attrs in scan.tags if tag == "div" and attrs.get("class") == "row")
    assert row["style"] == "grid-column: 1 / span 24; grid-row: 1 / span 1"


def test_the_page_forbids_every_request_and_inlines_plotly() -> None:
    scan = _page([])
    policy = next(
        a["content"] for t, a in scan.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None and "default-src 'none'" in policy
    assert not any(attrs.get("src") or attrs.get("href") for _, attrs in scan.tags)
    assert any("Plotly" in s and len(s) > 1_000_000 for s in scan.scripts)


def test_a_whole_number_axis_never_shows_two_ticks_alike() -> None:
    from preview.page import _ticks

    flat = _ticks([0.0, 0.0], "none", 0)
    assert len(set(flat["ticktext"])) == len(flat["ticktext"])
    durations = _ticks([0.0, 200.0], "dthms", None)
    assert durations["ticktext"][:3] == ["00:00:00", "00:00:50", "00:01:40"]


def test_a_collapsed_rows_panels_follow_it_in_grid_order() -> None:
    from preview.page import layout

    board = {
        "panels": [
            {"type": "stat", "title": "a"},
            {"type": "row", "title": "r", "collapsed": True, "panels": [{"type": "table", "title": "b"}]},
            {"type": "timeseries", "title": "c"},
        ]
    }
    assert [(kind, p["title"]) for kind, p in layout(board)] == [
        ("panel", "a"),
        ("row", "r"),
        ("panel", "b"),
        ("panel", "c"),
    ]


def test_an_empty_panel_says_no_data_or_its_no_value_text() -> None:
    empty_series = PanelView("timeseries", unit="none")
    empty_table = PanelView("table", tables=(Table(("Agent",), (), (False,)),))
    items = [_item("g", "timeseries", empty_series), _item("t", "table", empty_table)]
    panels: dict[str, dict[str, object]] = {
        "g": {"type": "timeseries"},
        "t": {"type": "table", "fieldConfig": {"defaults": {"noValue": "No contact waiting"}}},
    }
    scan = _page(items, panels)
    assert "No data" in scan.text and "No contact waiting" in scan.text
    assert not any(attrs.get("type") == "application/json" for _, attrs in scan.tags)  # nothing to draw
    assert "Agent" in scan.text  # an empty table keeps its headers


def test_a_background_stat_colours_its_box_not_its_text() -> None:
    view = PanelView("stat", stats=(StatValue("", "97%", "#F2495C", 97.0),))
    scan = _page([_item("s", "stat", view)], {"s": {"type": "stat", "options": {"colorMode": "background"}}})
    stat = next(attrs for tag, attrs in scan.tags if attrs.get("class") == "stat")
    value = next(attrs for tag, attrs in scan.tags if attrs.get("class") == "stat-value")
    assert stat.get("style") == "background: #F2495C" and value.get("style") is None


def test_times_are_drawn_in_the_dashboards_zone() -> None:
    from preview.page import local_times

    instants = ("2026-03-29T00:30:00.000Z", "2026-03-29T01:30:00.000Z")  # London's clocks go forward at 01:00 UTC
    assert local_times(instants, "Europe/London") == ["2026-03-29 00:30:00", "2026-03-29 02:30:00"]
    assert local_times(instants, "utc") == ["2026-03-29 00:30:00", "2026-03-29 01:30:00"]


def test_a_hidden_legend_stays_hidden() -> None:
    from preview.page import figure

    view = PanelView("timeseries", unit="none", series=(Series("a", ("2026-02-01T00:00:00.000Z",), (1.0,)),))
    shown = {"type": "timeseries", "options": {"legend": {"showLegend": True}}}
    hidden = {"type": "timeseries", "options": {"legend": {"showLegend": False}}}
    assert figure(shown, view)["layout"]["showlegend"] is True
    assert figure(hidden, view)["layout"]["showlegend"] is False
