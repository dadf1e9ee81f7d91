"""The environment's time zone across daylight-saving changes (Europe/London), worked out by hand.

Europe/London is GMT (UTC+0) until 01:00 UTC on the last Sunday of March, then BST (UTC+1) until 01:00 UTC on the
last Sunday of October. So Sunday 29 March 2026 lasts 23 hours (00:00Z to 23:00Z) and has no 01:00-02:00, and
Sunday 25 October 2026 lasts 25 hours (2026-10-24T23:00Z to 2026-10-26T00:00Z) and lives 01:00-02:00 twice.
The today panels must count from the local midnight (Grafana's relative time now/d in the dashboard's time zone),
history must bucket hours and weekdays in local time; the same data in a UTC environment gives other numbers.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest

from core.timerange import TODAY, TimeRange, panel_range
from dashcompiler.compile import Model, compile_environment
from dashcompiler.config import load_config
from localquery.run import run_panel
from tests.localquery.shipped import sql_environment
from tests.localquery.test_realtime_contacts_events import INSTANCE, INSTANCE_ID, later, queued
from tests.localquery.truth import instant

ROOT = Path(__file__).resolve().parents[2]
LONDON = "Europe/London"
CONTACTS_UID = "connect-rt-contacts"
HISTORY_UID = "connect-history-contacts"


@cache
def model(timezone: str) -> Model:
    """The committed SQL environment's dashboards, in ``timezone``."""
    config = load_config(ROOT)
    return compile_environment(ROOT, config, replace(config.env(sql_environment()), timezone=timezone))


def ms(moment: str) -> int:
    return round(instant(moment).timestamp() * 1000)


@pytest.mark.parametrize(
    ("now", "timezone", "midnight"),
    [
        ("2026-03-29T22:59:30Z", LONDON, "2026-03-29T00:00:00Z"),  # 23:59:30 BST on the 23-hour Sunday
        ("2026-03-29T23:10:00Z", LONDON, "2026-03-29T23:00:00Z"),  # 00:10 BST Monday
        ("2026-10-25T00:30:00Z", LONDON, "2026-10-24T23:00:00Z"),  # 01:30 BST, the first 01:30
        ("2026-10-25T01:30:00Z", LONDON, "2026-10-24T23:00:00Z"),  # 01:30 GMT, the second 01:30
        ("2026-10-25T23:30:00Z", LONDON, "2026-10-24T23:00:00Z"),  # 23:30 GMT: 24.5 hours into the 25-hour day
        ("2026-10-25T23:30:00Z", "UTC", "2026-10-25T00:00:00Z"),
        ("2026-03-08T12:00:00Z", "America/New_York", "2026-03-08T05:00:00Z"),  # EST midnight, the day EDT starts
    ],
)
def test_today_starts_at_the_local_midnight(now: str, timezone: str, midnight: str) -> None:
    dashboard = TimeRange(ms(now) - 3_600_000, ms(now), 1000)
    today = panel_range(dashboard, TODAY, timezone)
    assert (today.from_ms, today.to_ms) == (ms(midnight), ms(now))
    assert panel_range(dashboard, None, timezone) == dashboard


def answered(contact: str, enqueued: str, at: str) -> list[dict[str, object]]:
    """Queued at ``enqueued``, connected to an agent at ``at``."""
    connected = later("CONNECTED_TO_AGENT", contact, enqueued, at)
    connected["detail"]["agentInfo"] = {  # type: ignore[index]
        "agentArn": f"{INSTANCE}/agent/bbbbbbbb-0000-0000-0000-000000000001",
        "connectedToAgentTimestamp": at,
    }
    return [queued(contact, enqueued), connected]


def abandoned(contact: str, enqueued: str, at: str) -> list[dict[str, object]]:
    """Queued at ``enqueued``, the customer hung up at ``at``."""
    return [queued(contact, enqueued), later("DISCONNECTED", contact, enqueued, at)]


# Clocks go back: Sunday 25 October 2026 runs from 2026-10-24T23:00Z for 25 hours.
AUTUMN = [
    *answered("late-saturday", "2026-10-24T22:59:00.000Z", "2026-10-24T22:59:10.000Z"),  # 23:59 BST Saturday
    *answered("first-minute", "2026-10-24T23:00:30.000Z", "2026-10-24T23:00:40.000Z"),  # 00:00:30 BST, 10 s
    *abandoned("repeat-bst", "2026-10-25T00:30:00.000Z", "2026-10-25T00:31:00.000Z"),  # 01:30 BST, left after 60 s
    *answered("repeat-gmt", "2026-10-25T01:30:00.000Z", "2026-10-25T01:30:30.000Z"),  # 01:30 GMT, 30 s
    *answered("evening", "2026-10-25T23:20:00.000Z", "2026-10-25T23:20:05.000Z"),  # 23:20 GMT, 5 s
]
# Clocks go forward: Sunday 29 March 2026 runs from 2026-03-29T00:00Z for 23 hours.
SPRING = [
    *answered("late-saturday-march", "2026-03-28T23:59:00.000Z", "2026-03-28T23:59:10.000Z"),  # 23:59 GMT Saturday
    *answered("early", "2026-03-29T00:30:00.000Z", "2026-03-29T00:30:30.000Z"),  # 00:30 GMT, 30 s
    *abandoned("after-the-jump", "2026-03-29T01:30:00.000Z", "2026-03-29T01:30:15.000Z"),  # 02:30 BST, left at 15 s
    *answered("last-minute", "2026-03-29T22:59:00.000Z", "2026-03-29T22:59:12.000Z"),  # 23:59 BST, 12 s
    *answered("monday", "2026-03-29T23:00:30.000Z", "2026-03-29T23:00:50.000Z"),  # 00:00:30 BST Monday, 20 s
]
# (now, time zone) -> abandoned today, service level at 20 s (left the queue within 20 s,
# answered or not, / enqueued), average speed of answer (s), each counted by hand from the lists above.
TODAY_FIGURES = {
    # Enqueued today: first-minute, repeat-bst, repeat-gmt, evening (the one 24.5 hours ago too, and both 01:30s).
    ("2026-10-25T23:30:00Z", LONDON): (1, 100 * 2 / 4, (10 + 30 + 5) / 3),
    # The UTC day: repeat-bst, repeat-gmt, evening.
    ("2026-10-25T23:30:00Z", "UTC"): (1, 100 * 1 / 3, (30 + 5) / 2),
    # 01:30:10 GMT, in the second 01:30: first-minute, repeat-bst, repeat-gmt (still waiting: not within).
    ("2026-10-25T01:30:10Z", LONDON): (1, 100 * 1 / 3, 10.0),
    # 23:59:30 BST on the 23-hour day: early, after-the-jump, last-minute.
    ("2026-03-29T22:59:30Z", LONDON): (1, 100 * 2 / 3, (30 + 12) / 2),
    # 00:10 BST Monday: monday alone (20 s is within 20 s).
    ("2026-03-29T23:10:00Z", LONDON): (0, 100.0, 20.0),
    # The UTC day of 29 March still runs: early, after-the-jump, last-minute, monday.
    ("2026-03-29T23:10:00Z", "UTC"): (1, 100 * 3 / 4, (30 + 12 + 20) / 3),
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dst-events")
    (root / "contact_events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in [*AUTUMN, *SPRING]))
    return root


def today_panel(data: Path, key: str, now: str, timezone: str) -> object:
    """The panel's one value at ``now``, the dashboard on its default range (the last hour): the panel's own
    relative time, not that range, decides which contacts count."""
    built = model(timezone)
    (result,) = run_panel(
        built.env,
        built.dashboards,
        CONTACTS_UID,
        key,
        data,
        (instant(now) - timedelta(hours=1)).isoformat(),
        now,
        [f"instance={INSTANCE_ID}", "sl_seconds=20"],
    )
    ((value,),) = result.rows
    return value


@pytest.mark.parametrize(("now", "timezone"), list(TODAY_FIGURES), ids=[f"{n}-{z}" for n, z in TODAY_FIGURES])
def test_today_panels_count_from_the_local_midnight(events: Path, now: str, timezone: str) -> None:
    abandoned_today, service_level, asa = TODAY_FIGURES[now, timezone]
    assert today_panel(events, "abandoned_today", now, timezone) == abandoned_today
    assert today_panel(events, "service_level_today", now, timezone) == pytest.approx(service_level)
    assert today_panel(events, "asa_today", now, timezone) == pytest.approx(asa)


def test_the_dashboards_take_the_environments_time_zone() -> None:
    """Grafana computes now/d and shows times in the dashboard's time zone: the environment's, on every dashboard."""
    london, utc = model(LONDON), model("UTC")
    assert {board.json["timezone"] for board in london.dashboards} == {LONDON}
    assert {board.json["timezone"] for board in utc.dashboards} == {"utc"}
    (board,) = [b for b in london.dashboards if b.uid == CONTACTS_UID]
    today = {p["title"]: p.get("timeFrom") for p in board.json["panels"]}
    assert [t for t, relative in today.items() if relative == TODAY] == [
        "Service level today",
        "Abandoned today",
        "Average speed of answer today",
    ]


# CTRs initiated across both changes (each in its UTC date's partition, as the pipeline writes them).
INITIATED = {
    "c1": "2026-10-25T00:30:00Z",  # 01:30 BST Sunday
    "c2": "2026-10-25T01:30:00Z",  # 01:30 GMT Sunday
    "c3": "2026-10-24T23:30:00Z",  # 00:30 BST Sunday (23:30 Saturday in UTC)
    "c4": "2026-03-29T00:30:00Z",  # 00:30 GMT Sunday
    "c5": "2026-03-29T01:30:00Z",  # 02:30 BST Sunday (01:30 does not exist in London that night)
    "c6": "2026-03-29T23:30:00Z",  # 00:30 BST Monday (23:30 Sunday in UTC)
}
HOURS = {
    LONDON: {"00": 3, "01": 2, "02": 1},  # c3 c4 c6; c1 c2 (the repeated hour); c5
    "UTC": {"00": 2, "01": 2, "23": 2},  # c1 c4; c2 c5; c3 c6
}
WEEKDAYS = {
    LONDON: {"1 Mon": 1, "7 Sun": 5},  # c6; the rest
    "UTC": {"6 Sat": 1, "7 Sun": 5},  # c3; the rest
}


@pytest.fixture(scope="module")
def ctrs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dst-ctrs")
    for contact, initiated in INITIATED.items():
        folder = root / "ctr" / f"initiation_date={initiated[:10]}"
        folder.mkdir(parents=True, exist_ok=True)
        record = {
            "contactid": contact,
            "instancearn": INSTANCE,
            "channel": "VOICE",
            "initiationmethod": "INBOUND",
            "initiationtimestamp": initiated,
            "lastupdatetimestamp": initiated,
        }
        with (folder / "ctr.json").open("a") as out:
            out.write(json.dumps(record) + "\n")
    return root


@pytest.mark.parametrize("timezone", [LONDON, "UTC"])
@pytest.mark.parametrize(("panel", "expected"), [("by_hour_of_day", HOURS), ("by_weekday", WEEKDAYS)])
def test_history_counts_local_hours_and_weekdays(
    ctrs: Path, timezone: str, panel: str, expected: dict[str, dict[str, int]]
) -> None:
    built = model(timezone)
    (result,) = run_panel(
        built.env,
        built.dashboards,
        HISTORY_UID,
        panel,
        ctrs,
        "2026-03-28T00:00:00Z",
        "2026-10-26T00:00:00Z",
        [f"instance={INSTANCE_ID}"],
    )
    assert dict(result.rows) == expected[timezone]
