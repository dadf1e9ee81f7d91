"""Every history panel, run by the local engine over simulated CTRs, against the ground truth in plain Python."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from dashcompiler.compile import Model
from tests.localquery.conftest import Engine
from tests.localquery.truth import agents, charts, deepest_group, handled, in_range, instant, kpis, read_truth

UID = "connect-history-contacts"
WHOLE = ("2026-01-31T21:00:00Z", "2026-02-01T06:00:00Z")  # all traffic: across midnight and 31 Jan -> 1 Feb
MIDNIGHT = ("2026-01-31T23:20:00Z", "2026-02-01T00:40:00Z")  # part of two days and two months
AFTER_MIDNIGHT = ("2026-02-01T00:00:00Z", "2026-02-01T01:00:00Z")  # holds contacts initiated the day before
EMPTY = ("2026-01-30T00:00:00Z", "2026-01-30T06:00:00Z")  # before the traffic: zero contacts
RANGES = pytest.mark.parametrize(
    "span", [WHOLE, MIDNIGHT, AFTER_MIDNIGHT, EMPTY], ids=["whole", "midnight", "after-midnight", "empty"]
)
KPIS = list(kpis([], *EMPTY))


def assert_agent_rows(rows: list[tuple], expected: dict[str, tuple]) -> None:
    """The agent table holds exactly the expected agents, each with the expected values."""
    actual = {row[0]: row[1:] for row in rows}
    assert set(actual) == set(expected)
    for name, values in expected.items():
        assert all(close(a, e) for a, e in zip(actual[name], values, strict=True)), (name, actual[name], values)


def close(actual: object, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


@RANGES
@pytest.mark.parametrize("panel", KPIS)
def test_kpi_matches_ground_truth(engine: Engine, sim_dir: Path, span: tuple[str, str], panel: str) -> None:
    expected = kpis(read_truth(sim_dir), *span)[panel]
    actual = engine.value(UID, panel, *span)
    assert close(actual, expected), f"{panel} over {span}: engine {actual}, ground truth {expected}"


@pytest.mark.parametrize("sl_seconds", [0, 10, 60])
def test_service_level_threshold_variable(engine: Engine, sim_dir: Path, sl_seconds: int) -> None:
    expected = kpis(read_truth(sim_dir), *WHOLE, sl_seconds=sl_seconds)["service_level"]
    assert close(engine.value(UID, "service_level", *WHOLE, [f"sl_seconds={sl_seconds}"]), expected)


@pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        (["queue=Sales"], lambda r: r["queue"] == "Sales"),
        (["queue=Sales", "queue=Billing"], lambda r: r["queue"] in ("Sales", "Billing")),
        (["channel=VOICE"], lambda r: r["channel"] == "VOICE"),
    ],
    ids=["one-queue", "two-queues", "voice"],
)
@pytest.mark.parametrize("panel", ["contacts_queued", "contacts_handled", "contacts_abandoned", "avg_handle_time"])
def test_filters(engine: Engine, sim_dir: Path, assignments: list[str], keep, panel: str) -> None:
    expected = kpis(read_truth(sim_dir), *WHOLE, keep)[panel]
    assert close(engine.value(UID, panel, *WHOLE, assignments), expected)


AGENT_FILTERS = pytest.mark.parametrize(
    ("assignments", "agent_keep"),
    [
        (["routing_profile=Sales Voice"], lambda r: r["routing_profile"] == "Sales Voice"),
        (
            ["routing_profile=Sales Voice", "routing_profile=Billing Specialist"],
            lambda r: r["routing_profile"] in ("Sales Voice", "Billing Specialist"),
        ),
        (["hierarchy_group=London Support Omnichannel"], lambda r: deepest_group(r) == "London Support Omnichannel"),
        (
            ["routing_profile=Sales Voice", "hierarchy_group=Leeds Sales Voice", "queue=Sales"],
            lambda r: r["routing_profile"] == "Sales Voice" and deepest_group(r) == "Leeds Sales Voice",
        ),
    ],
    ids=["one-profile", "two-profiles", "one-group", "profile-group-and-queue"],
)


@AGENT_FILTERS
@pytest.mark.parametrize("panel", KPIS)
def test_agent_filters(engine: Engine, sim_dir: Path, assignments: list[str], agent_keep, panel: str) -> None:
    """Routing profile and hierarchy group narrow the agent metrics; queue metrics stay per queue."""
    queue = [a.partition("=")[2] for a in assignments if a.startswith("queue=")]
    keep = (lambda r: r["queue"] in queue) if queue else (lambda r: True)
    truth = read_truth(sim_dir)
    expected = kpis(truth, *WHOLE, keep, agent_keep=agent_keep)[panel]
    assert close(engine.value(UID, panel, *WHOLE, assignments), expected), (panel, assignments)


@AGENT_FILTERS
def test_agents_table_with_agent_filters(engine: Engine, sim_dir: Path, assignments: list[str], agent_keep) -> None:
    queue = [a.partition("=")[2] for a in assignments if a.startswith("queue=")]
    records = [r for r in handled(read_truth(sim_dir), *WHOLE) if agent_keep(r) and (not queue or r["queue"] in queue)]
    expected = agents(records)
    assert expected
    assert_agent_rows(engine.panel(UID, "agents", *WHOLE, assignments).rows, expected)


def test_agent_filters_narrow_agent_metrics_only(engine: Engine, sim_dir: Path) -> None:
    """The filter must change handled and leave abandoned alone, or the tests above prove nothing."""
    chosen = ["routing_profile=Sales Voice"]
    assert engine.value(UID, "contacts_handled", *WHOLE, chosen) < engine.value(UID, "contacts_handled", *WHOLE)
    assert engine.value(UID, "contacts_abandoned", *WHOLE, chosen) == engine.value(UID, "contacts_abandoned", *WHOLE)
    assert engine.value(UID, "contacts_abandoned", *WHOLE) > 0


def test_one_abandon_rule_for_real_time_and_history(engine: Engine, sim_dir: Path) -> None:
    """A call the queue flow hung up on (no callback) is abandoned in neither panel, as in Connect."""
    now = "2026-01-31T23:59:59.999Z"
    truth = read_truth(sim_dir)
    today = in_range(truth, "2026-01-31T00:00:00Z", now, at="enqueued_at")
    gone = [r for r in today if instant(r["disconnected_at"]) <= instant(now)]
    assert any(r["flow_disconnected"] for r in gone), "no contact the flow removed from the queue"
    history = engine.value(UID, "contacts_abandoned", "2026-01-31T00:00:00Z", now)
    real_time = engine.value("connect-rt-contacts", "abandoned_today", "2026-01-31T21:00:00Z", now)
    assert history == sum(1 for r in today if r["abandoned"])
    assert real_time == sum(1 for r in gone if r["abandoned"])


def test_scenario_has_the_edge_cases(sim_dir: Path) -> None:
    """The comparisons above prove something only if the data holds the hard cases."""
    records = in_range(read_truth(sim_dir), *WHOLE)
    lines = [json.loads(line) for path in sim_dir.glob("ctr/*/*.json") for line in path.read_text().splitlines()]
    assert len(lines) > len({line["ContactId"] for line in lines}), "no duplicate CTR deliveries"
    assert any(r["queue"] is None and r["initiation_method"] == "OUTBOUND" for r in records), "no outbound contact"
    assert any(r["abandoned"] and r["wait_s"] == 0 for r in records), "no contact abandoned at 0 s"
    assert any(r["callback_requested"] for r in records), "no callback request"
    assert any(r["flow_disconnected"] for r in records), "no contact the queue flow hung up on"
    assert any(r["answered"] and not r["hierarchy"] for r in records), "no contact handled by an agent without a group"
    dates = {r["initiated_at"][:10] for r in in_range(records, *MIDNIGHT)}
    assert dates == {"2026-01-31", "2026-02-01"}
    initiated = {r["contact_id"] for r in in_range(records, *MIDNIGHT)}
    queued = {r["contact_id"] for r in in_range(records, *MIDNIGHT, at="enqueued_at")}
    assert queued - initiated, "no contact initiated before the range and queued in it"
    late = in_range(records, *AFTER_MIDNIGHT, at="enqueued_at")
    assert any(r["initiated_at"][:10] == "2026-01-31" for r in late), "no contact queued after midnight from 31 Jan"
    answered = {r["contact_id"] for r in handled(records, *MIDNIGHT)}
    assert answered - initiated, "no contact initiated before the range and answered in it"
    assert any(r["queue_type"] == "AGENT" for r in in_range(records, *WHOLE, at="enqueued_at")), "no agent queue"


@RANGES
@pytest.mark.parametrize("panel", list(charts([], *EMPTY)))
def test_chart_matches_ground_truth(engine: Engine, sim_dir: Path, span: tuple[str, str], panel: str) -> None:
    expected = charts(read_truth(sim_dir), *span)[panel]
    result = engine.panel(UID, panel, *span)
    if panel.startswith("volume_by_"):
        actual = Counter({(row[0], row[1]): row[2] for row in result.rows})
    else:
        actual = Counter(dict(result.rows))
    assert actual == expected


@RANGES
def test_agents_table_matches_ground_truth(engine: Engine, sim_dir: Path, span: tuple[str, str]) -> None:
    assert_agent_rows(engine.panel(UID, "agents", *span).rows, agents(handled(read_truth(sim_dir), *span)))


def test_latest_delivery_wins_whatever_the_order_it_arrives_in(build: Model, sim_dir: Path, tmp_path: Path) -> None:
    """A stale copy of a CTR (an earlier LastUpdateTimestamp, other durations) delivered last must lose."""
    data = tmp_path / "data"
    shutil.copytree(sim_dir, data)
    truth = read_truth(data)
    target = next(r for r in handled(truth, *WHOLE) if r["acw_s"])
    files = sorted(data.glob(f"ctr/initiation_date={target['initiation_date']}/*.json"))
    lines = [json.loads(line) for path in files for line in path.read_text().splitlines()]
    stale = next(line for line in lines if line["ContactId"] == target["contact_id"])
    first_sent = min(
        instant(line["LastUpdateTimestamp"]) for line in lines if line["ContactId"] == target["contact_id"]
    )
    stale["LastUpdateTimestamp"] = (first_sent - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    stale["Agent"]["AfterContactWorkDuration"] += 1000
    with files[-1].open("a", encoding="utf-8") as out:
        out.write(json.dumps(stale) + "\n")
    engine = Engine(build, data, {})
    try:
        expected = kpis(truth, *WHOLE)
        for panel in ("avg_acw_time", "avg_handle_time", "contacts_handled"):
            assert close(engine.value(UID, panel, *WHOLE), expected[panel]), panel
    finally:
        for session in engine._sessions.values():
            session.con.close()
