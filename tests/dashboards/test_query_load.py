"""Issue 14, item 5: a regression guard on each real-time dashboard's queries per refresh, on each real-time store,
with every panel still there and showing data. Counted on the compiled dashboards as Grafana sends them
(dashcompiler.query_load: non-hidden targets; a Dashboard-datasource target sends none). The issue's third of the
queries at 88ee62c (13, 11 and 18 on InfluxDB; 13, 7 and 18 on Timestream) is met on every dashboard and store."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import PanelOwner
from dashcompiler.definition_loader import panel_id
from dashcompiler.query_load import queries_per_refresh
from tests.dashboards.test_realtime_stores import STORES, _panels

# Queries per refresh at most; beside each, 88ee62c's (bench/bench_query_load.py --before 88ee62c prints both).
MOST = {
    ("influxdb", "connect-rt-agents"): 4,  # before: 13
    ("influxdb", "connect-rt-contacts"): 3,  # before: 11
    ("influxdb", "connect-rt-queues"): 6,  # before: 18
    ("timestream", "connect-rt-agents"): 4,  # before: 13
    ("timestream", "connect-rt-contacts"): 2,  # before: 7
    ("timestream", "connect-rt-queues"): 4,  # before: 18
}
# Every panel main shows, by key (ids derive from keys).
PANELS = {
    "connect-rt-agents": "online available on_contact after_contact_work non_productive error staffed error_alert "
    "status_summary slots missed_rejected agent_table by_status_over_time occupancy_today",
    "connect-rt-contacts": "waiting_count service_level_today abandoned_today asa_today by_state waiting live",
    "connect-rt-queues": "contacts_in_queue oldest_contact_age agents_online agents_available agents_on_contact "
    "agents_after_contact_work agents_staffed agents_non_productive agents_error contacts_scheduled slots_active "
    "slots_available per_queue contacts_in_queue_over_time oldest_contact_age_over_time "
    "contacts_scheduled_over_time agents_over_time slots_over_time today_per_queue",
}


def _board(store: str, uid: str) -> Any:
    (board,) = [b for b in STORES[store].dashboards if b.uid == uid]
    return board


@pytest.mark.parametrize(("store", "uid"), sorted(MOST))
def test_a_refresh_sends_no_more_queries_than_it_did(store: str, uid: str) -> None:
    sent = queries_per_refresh(_board(store, uid).json)
    assert sent <= MOST[store, uid], f"{store} {uid}: {sent} queries per refresh, at most {MOST[store, uid]}"


@pytest.mark.parametrize(("store", "uid"), sorted(MOST))
def test_no_panel_is_lost_and_each_shows_its_own_or_another_panels_queries(store: str, uid: str) -> None:
    board = _board(store, uid)
    ids = {p["id"] for p in _panels(board.json)}
    owners = {q.owner.key for q in board.queries if isinstance(q.owner, PanelOwner)}
    for key in PANELS[uid].split():
        assert panel_id(key) in ids, f"{uid}: panel {key!r} is gone"
        assert board.panel_data(key).source in owners, f"{uid}: panel {key!r} shows no query's result"


@pytest.mark.parametrize("store", sorted(STORES))
def test_every_re_use_targets_a_panel_of_the_same_dashboard_that_queries(store: str) -> None:
    for board in STORES[store].dashboards:
        by_id = {p["id"]: p for p in _panels(board.json)}
        for panel in by_id.values():
            for target in panel.get("targets", []):
                if target.get("datasource", {}).get("uid") == "-- Dashboard --":
                    source = by_id[target["panelId"]]
                    assert source["targets"] and all(
                        t["datasource"]["uid"] != "-- Dashboard --" for t in source["targets"]
                    ), (board.uid, panel["title"])


@pytest.mark.parametrize("store", sorted(STORES))
def test_the_today_stats_show_one_query_run_over_today(store: str) -> None:
    """Main's time-zone semantics kept through the re-use: the contacts stats' one query runs on a panel whose
    relative time is today (now/d), and the today stats that re-use it say so."""
    board = _board(store, "connect-rt-contacts")
    by_id = {p["id"]: p for p in _panels(board.json)}
    for key in ("service_level_today", "abandoned_today", "asa_today"):
        source = board.panel_data(key).source
        assert source == "service_level_today"
        assert by_id[panel_id(key)]["timeFrom"] == by_id[panel_id(source)]["timeFrom"] == "now/d"
    (query,) = board.panel_queries("service_level_today")
    assert query.file.stem == "stats" and query.relative_time == "now/d"
    assert ("$__timeFrom" if store == "timestream" else "${__from}") in query.text
