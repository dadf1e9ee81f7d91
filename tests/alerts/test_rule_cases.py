"""The shipped rules' queries on hand-worked data, on the local engine (Timestream SQL) and on influxd (InfluxQL):
the contact events of tests/handworked/contacts.py and the collector snapshots of tests/handworked/queues.py
(09:50, outside every window, 09:58 and 09:59), evaluated at 10:00 on 2 March with the settings pinned below.
Every expected value is worked out by hand from the events listed there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from connect_ingest.sinks.influx import InfluxAuth

from dashcompiler.compile import Model, compile_environment
from dashcompiler.config import load_config
from influxqlcheck import pin_now, substitute
from localquery.influx import load_simulation, run_influxql
from localquery.run import parse_instant, time_range
from tests.alerts.conftest import ROOT, Rules
from tests.alerts.test_rule_queries import latest
from tests.handworked import contacts, queues
from tests.servers import influxd

NOW = contacts.NOW  # 2026-03-02T10:00:00Z
SETTINGS = {"service_level_window": 30, "ingest_silence": 5}  # and service_level_seconds 20
SALES, SUPPORT, BILLING = (queues.QUEUES[name] for name in ("Sales", "Support", "Billing"))

# Service level, contacts that left the queue 09:30:00-10:00:00 (both ends in), within 20 s of entering it:
#   Sales:   a1 12.5 s yes, a2 30 no, ab0 0 yes, ab1 45 no, ab2 10 yes, cb 30 no (the callback request left the
#            queue), x1 5 yes, fl 50 no = 4 / 8. Not counted: cb-call (waiting), y1 (answered at 00:00:05),
#            out1 (never queued), a1's and x1's DISCONNECTED (they had reached an agent).
#   Support: a3 4 yes, x2 20.000 yes (at most 20), exp 1800 no (left at 09:30:00, the window's first instant)
#            = 2 / 3. Not counted: w1, w2 (waiting).
#   Billing: nobody left it: no series.
SERVICE_LEVEL = {SALES: 100 * 4 / 8, SUPPORT: 100 * 2 / 3}
# The queue rows (all channels) of the latest snapshot in 09:55-10:00, 09:59 (the 09:58 one had Sales at 6 in queue,
# oldest 125 s): queues.LATEST[(queue, None)].
IN_QUEUE = {"Sales": 4, "Support": 6, "Billing": 0}
OLDEST = {"Sales": 95, "Support": 700, "Billing": 0}
AVAILABLE = {"Sales": 2, "Support": 3, "Billing": 1}  # Support's voice row has 0, but its queue row 3: no alert
AGENTS_ERROR = 1  # the instance row
# Agent events 09:56:00-10:00:00: ann's and bob's heartbeats at 09:59 = 2 in 5 minutes.
EVENTS_PER_MINUTE = 2 / 5
AGENTS_ONLINE = 12  # the instance row at 09:59
SNAPSHOTS = 2  # 09:58 and 09:59 (09:50 is before the window)


def write(root: Path) -> Path:
    (root / "collector").mkdir()
    lines = {
        "collector/snapshots.jsonl": queues.SNAPSHOTS,
        "agent_events.jsonl": contacts.AGENT_EVENTS,
        "contact_events.jsonl": contacts.CONTACT_EVENTS,
    }
    for name, items in lines.items():
        (root / name).write_text("".join(json.dumps(item) + "\n" for item in items))
    return root


def model(env_name: str) -> Model:
    config = load_config(ROOT)
    env = config.env(env_name)
    assert env.alerts is not None
    alerts = replace(env.alerts, thresholds={**env.alerts.thresholds, **SETTINGS})
    pinned = replace(env, connect_instance_id=contacts.INSTANCE_ID, service_level_seconds=20, alerts=alerts)
    return compile_environment(ROOT, config, pinned)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("handworked-alerts"))


@pytest.fixture(scope="module")
def sql(data: Path) -> Rules:
    built = model("staging")
    assert built.env.realtime_store == "timestream"
    return Rules(built, data)


@pytest.fixture(scope="module")
def influx(data: Path) -> Iterator[tuple[Model, str]]:
    built = model("prod")
    assert built.env.realtime_store == "influxdb"
    with influxd(auth=False) as url:
        stats = load_simulation(data, url, "handworked", InfluxAuth())
        assert stats.rejected == 0 and stats.unwritten == 0, stats
        yield built, url


def on_influx(influx: tuple[Model, str], uid: str, ref_id: str) -> dict[str, Any]:
    """Each series' last value, by its tags' values, as the rule's Reduce(last) reads it."""
    built, url = influx
    query = next(r for g in built.alerts for r in g.rules if r.uid == uid).query(ref_id)
    assert query is not None
    end = parse_instant(NOW, "--to")
    substituted = substitute(query.query.text, {}, {}, time_range(end - timedelta(seconds=query.from_seconds), end))
    text, _ = pin_now(substituted.text, end)
    tables = run_influxql(url, "handworked", InfluxAuth(), text, what=uid)
    return {"/".join(t.tags.values()): max(t.rows, key=lambda row: row[0])[-1] for t in tables}


CASES = [
    ("connect-queue-service-level", "A", SERVICE_LEVEL),
    ("connect-queue-waiting-no-agent", "A", IN_QUEUE),
    ("connect-queue-waiting-no-agent", "C", AVAILABLE),
    ("connect-queue-oldest-contact", "A", OLDEST),
    ("connect-agents-error", "A", {"": AGENTS_ERROR}),
    ("connect-ingest-collector-silent", "A", {"": SNAPSHOTS}),
    ("connect-ingest-agent-events-silent", "A", {"": EVENTS_PER_MINUTE}),
    ("connect-ingest-agent-events-silent", "C", {"": AGENTS_ONLINE}),
]
IDS = [f"{uid}-{ref}" for uid, ref, _ in CASES]


@pytest.mark.parametrize(("uid", "ref_id", "expected"), CASES, ids=IDS)
def test_on_timestream_sql(sql: Rules, uid: str, ref_id: str, expected: dict[str, float]) -> None:
    shown = latest(sql.run(uid, ref_id, NOW))
    assert shown.keys() == expected.keys()
    assert {k: float(v) for k, v in shown.items()} == pytest.approx(expected)


@pytest.mark.parametrize(("uid", "ref_id", "expected"), CASES, ids=IDS)
def test_on_influxdb(influx: tuple[Model, str], uid: str, ref_id: str, expected: dict[str, float]) -> None:
    shown = on_influx(influx, uid, ref_id)
    assert shown.keys() == expected.keys()
    assert {k: float(v) for k, v in shown.items()} == pytest.approx(expected)


def test_every_shipped_real_time_rule_has_a_hand_worked_case(sql: Rules) -> None:
    realtime = {
        r.uid for g in sql.model.alerts for r in g.rules if all(q.query.kind.name == "timestream" for q in r.queries)
    }
    assert realtime == {uid for uid, _, _ in CASES}
