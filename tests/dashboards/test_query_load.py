"""Issue 14, item 5: each real-time dashboard sends at most a third of the queries per refresh it sent before, on
each real-time store, with every panel still there and showing data. Counted on the compiled dashboards as Grafana
sends them (dashcompiler.query_load: non-hidden targets; a Dashboard-datasource target sends none)."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import PanelOwner
from dashcompiler.definition_loader import panel_id
from dashcompiler.query_load import queries_per_refresh
from tests.dashboards.test_realtime_stores import STORES, _panels

# Queries per refresh of main at 88ee62c, counted the same way (bench/bench_query_load.py prints it again).
BEFORE = {
    ("influxdb", "connect-rt-agents"): 13,
    ("influxdb", "connect-rt-contacts"): 11,
    ("influxdb", "connect-rt-queues"): 18,
    ("timestream", "connect-rt-agents"): 13,
    ("timestream", "connect-rt-contacts"): 7,
    ("timestream", "connect-rt-queues"): 18,
}
# The panels they showed then, by key (ids derive from keys).
PANELS = {
    "connect-rt-agents": "online available on_contact after_contact_work non_productive error staffed error_alert "
    "status_summary slots missed_rejected agent_table by_status_over_time",
    "connect-rt-contacts": "waiting_count service_level_today abandoned_today asa_today by_state waiting live",
    "connect-rt-queues": "contacts_in_queue oldest_contact_age agents_online agents_available agents_on_contact "
    "agents_after_contact_work agents_staffed agents_non_productive agents_error contacts_scheduled slots_active "
    "slots_available per_queue contacts_in_queue_over_time oldest_contact_age_over_time "
    "contacts_scheduled_over_time agents_over_time slots_over_time",
}


def _board(store: str, uid: str) -> Any:
    (board,) = [b for b in STORES[store].dashboards if b.uid == uid]
    return board


@pytest.mark.parametrize(("store", "uid"), sorted(BEFORE))
def test_a_refresh_sends_at_most_a_third_of_the_queries_it_sent(store: str, uid: str) -> None:
    sent = queries_per_refresh(_board(store, uid).json)
    assert sent <= BEFORE[store, uid] // 3, (
        f"{store} {uid}: {sent} queries per refresh, budget {BEFORE[store, uid] // 3}"
    )


@pytest.mark.parametrize(("store", "uid"), sorted(BEFORE))
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
