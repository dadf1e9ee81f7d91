"""Every real-time panel that carries transformations on InfluxDB, end to end: its targets (the panel's query and
its lookup queries) on influxd, the table frames Grafana's InfluxDB datasource builds from them, the panel's own
``transformations`` JSON from the compiled prod model through localquery/transforms.py, and the table
the panel shows (columns as its overrides name them) equal to the same panel's SQL rows on the local engine
(the staging model) over the same data. Tag columns come in a Go map's order, so every order is tried.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from core.model import CompiledDashboard, PanelOwner
from dashcompiler.compile import compile_model
from influxqlcheck import ALL
from localquery import transforms as grafana
from localquery.influx import InfluxTable
from localquery.run import Result, panel_transformations
from tests.influx.harness import ROOT, InfluxStore, as_instant, rfc3339, run_file, variable_values
from tests.localquery import test_realtime_agents as agents
from tests.localquery import test_realtime_contacts as contacts
from tests.localquery import test_realtime_queues as queues
from tests.localquery.conftest import Engine


@dataclass(frozen=True)
class Panel:
    uid: str
    key: str
    json: Mapping[str, Any]
    targets: tuple[tuple[str, Path], ...]  # (refId, query file) of the panel whose queries it shows, in order
    transformations: tuple[Mapping[str, Any], ...]  # as Grafana applies them (the source's first, withTransforms)

    def __str__(self) -> str:
        return f"{self.uid}/{self.key}"


def _panel_json(board: CompiledDashboard, key: str) -> Mapping[str, Any]:
    found = board.panel_json(key)
    assert found is not None, (board.uid, key)
    return found


@cache
def influx_panels() -> tuple[Panel, ...]:
    """The real-time tables, pies and bar charts of the prod (InfluxDB) model that carry transformations, those
    that show another panel's result (the Dashboard datasource) with that panel's targets."""
    found = []
    for board in compile_model(ROOT, "prod").dashboards:
        for key, _title in board.panels:
            source = board.panel_data(key).source
            queries = [q for q in board.queries if q.owner == PanelOwner(source)]
            if not queries or queries[0].kind.name != "influxdb":
                continue
            transformations = tuple(panel_transformations(board, key))
            if not transformations or _panel_json(board, key).get("type") in ("timeseries", "stat"):
                continue  # a time series is compared series by series (tests/influx/test_queues.py), a stat by
                # the one value it picks (tests/influx/test_contacts.py, its transformations applied)
            by_text = {q.text: q.file for q in queries}
            targets = tuple((t["refId"], by_text[t["query"]]) for t in _panel_json(board, source)["targets"])
            found.append(Panel(board.uid, key, _panel_json(board, key), targets, transformations))
    return tuple(found)


def panel_table(uid: str, key: str, results: Mapping[str, Sequence[InfluxTable]]) -> grafana.Table:
    """What the shipped panel shows for its targets' series (by refId), through its own transformations."""
    (panel,) = [p for p in influx_panels() if (p.uid, p.key) == (uid, key)]
    frames = [frame for ref, tables in results.items() for frame in grafana.table_frames(ref, tables)]
    return grafana.shown(grafana.apply(frames, panel.transformations))


# Instants (the local engine's tests') and, where the panel reads a range, the range; else the last hour.
INSTANTS = {agents.UID: agents.INSTANTS, contacts.UID: contacts.INSTANTS, queues.UID: queues.INSTANTS}
RANGES = {(agents.UID, "missed_rejected"): ("2026-01-31T21:00:00Z", "2026-02-01T03:00:00Z")}
CASES = [
    (panel, now)
    for panel in influx_panels()
    for now in ([RANGES[(panel.uid, panel.key)][1]] if (panel.uid, panel.key) in RANGES else INSTANTS[panel.uid])
]


def selections(store: InfluxStore, board: CompiledDashboard, now: str) -> dict[str, str | list[str]]:
    """Every variable as the dashboard opens: All (a query variable without a custom all value: every value its
    InfluxQL lists, as Grafana sends it), a single-value one at its saved or first value."""
    chosen: dict[str, str | list[str]] = {}
    for v in board.variables:
        if v.name == "instance":
            chosen[v.name] = store.instance
        elif v.multi and (v.all_value or v.options):
            chosen[v.name] = ALL
        elif v.multi:
            chosen[v.name] = variable_values(store, v.name, now, chosen)
        else:
            chosen[v.name] = (v.current or v.options)[0]
    return chosen


def _ms(value: datetime) -> int:
    """A naive UTC timestamp as epoch ms, truncated as InfluxDB's epoch=ms truncates the point's time."""
    return calendar.timegm(value.timetuple()) * 1000 + value.microsecond // 1000


def sql_table(result: Result, panel: Mapping[str, Any]) -> grafana.Table:
    """The SQL panel's rows (the local engine's, its transformations applied as `dash query` applies them) as its
    table shows them (its overrides applied)."""
    fields = []
    for index, column in enumerate(result.columns):
        values = [row[index] for row in result.rows]
        if any(isinstance(v, datetime) for v in values):
            fields.append(grafana.Field(column, "time", tuple(None if v is None else _ms(v) for v in values)))
        else:
            fields.append(grafana.Field(column, grafana._type_of(values), tuple(values)))
    return grafana.shown([grafana.Frame("A", tuple(fields))], panel.get("fieldConfig", {}).get("overrides", ()))


# The SQL orders status_summary by count alone, ties in no order; InfluxDB's table breaks them by status.
ORDER = {(agents.UID, "status_summary"): lambda row: (-row[1], row[0])}


def agent_queues(table: grafana.Table, lookups: Sequence[grafana.Frame]) -> grafana.Table:
    """The one documented difference (README, "Where InfluxDB shows something other than the SQL"): a contact
    in an agent's own queue shows ``agent/<id>`` where the SQL shows "<username> (agent queue)"."""
    if "Queue" not in table.columns:
        return table
    names = {}
    for frame in lookups:
        ids, usernames = frame.by_name("id"), frame.by_name("label")
        if ids and usernames:
            names = dict(zip(ids.values, usernames.values, strict=True))
    at = table.columns.index("Queue")

    def label(value: Any) -> Any:
        owner = str(value).removeprefix("agent/")
        return f"{names[owner]} (agent queue)" if str(value).startswith("agent/") and owner in names else value

    return grafana.Table(table.columns, [(*r[:at], label(r[at]), *r[at + 1 :]) for r in table.rows])


def approx(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row whose floats compare equal to the SQL's to 1e-12 (a mean of seconds and the SQL's mean of ms / 1000
    differ in the last digit)."""
    return tuple(pytest.approx(v, rel=1e-12) if isinstance(v, float) else v for v in row)


@pytest.mark.parametrize(("panel", "now"), CASES, ids=[f"{p}-{now}" for p, now in CASES])
def test_the_panel_shows_the_sql_rows(engine: Engine, influx_store: InfluxStore, panel: Panel, now: str) -> None:
    (board,) = [b for b in compile_model(ROOT, "prod").dashboards if b.uid == panel.uid]
    start = RANGES.get((panel.uid, panel.key), (rfc3339(as_instant(now) - timedelta(hours=1)), now))[0]
    chosen = selections(influx_store, board, now)
    results = {ref: run_file(influx_store, path, now, chosen, start) for ref, path in panel.targets}
    sql = engine.panel(panel.uid, panel.key, start, now)
    (sql_board,) = [b for b in engine.build.dashboards if b.uid == panel.uid]
    expected = sql_table(sql, _panel_json(sql_board, panel.key))
    overrides = panel.json.get("fieldConfig", {}).get("overrides", ())
    (main, *_lookups) = panel.targets
    order_of = ORDER.get((panel.uid, panel.key))
    expected_rows = sorted(expected.rows, key=order_of) if order_of else expected.rows
    for order in grafana.tag_orders(results[main[0]]):
        frames = [
            frame
            for ref, tables in results.items()
            for frame in grafana.table_frames(ref, tables, order if ref == main[0] else None)
        ]
        lookups = [f for f in frames if f.ref_id != main[0]]
        shown = agent_queues(grafana.shown(grafana.apply(frames, panel.transformations), overrides), lookups)
        if (panel.uid, panel.key) == (queues.UID, "today_per_queue") and shown.columns != expected.columns:
            shown = without_contacts_frame(shown, expected)
        assert [approx(row) for row in shown.rows] == expected_rows, f"tag order {order}"
        if expected.rows:
            assert shown.columns == expected.columns, f"tag order {order}"


def without_contacts_frame(shown: grafana.Table, expected: grafana.Table) -> grafana.Table:
    """Queues today so far before the selection's first contact of the day (README, "Where InfluxDB shows something
    other than the SQL"): no contacts' frame, so no rate or average columns; the SQL's are empty. The columns the
    table has are compared, and the ones it lacks must be empty in the SQL's rows."""
    missing = [i for i, column in enumerate(expected.columns) if column not in shown.columns]
    assert missing and all(row[i] is None for row in expected.rows for i in missing), (shown.columns, expected.rows)
    at = {column: i for i, column in enumerate(shown.columns)}
    rows = [tuple(None if c not in at else row[at[c]] for c in expected.columns) for row in shown.rows]
    return grafana.Table(expected.columns, rows)
