"""Every Queues - history panel, run by the local engine over simulated CTRs, against plain-Python ground truth."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import connect_simulator as simulator
from dashboards.history_queues import PERFORMANCE_COLUMNS, TABLE_THRESHOLDS
from dashcompiler.compile import Model
from localquery.run import Result
from tests.localquery import queue_history_truth as expect
from tests.localquery.conftest import START, Engine
from tests.localquery.truth import Truth, everything, read_truth

UID = "connect-history-queues"
WHOLE = ("2026-01-31T21:00:00Z", "2026-02-01T06:00:00Z")  # all traffic: across midnight and 31 Jan -> 1 Feb
MIDNIGHT = ("2026-01-31T23:20:00Z", "2026-02-01T00:40:00Z")  # part of two days and two months
AFTER_MIDNIGHT = ("2026-02-01T00:00:00Z", "2026-02-01T01:00:00Z")  # holds contacts initiated the day before
EMPTY = ("2026-01-30T00:00:00Z", "2026-01-30T06:00:00Z")
RANGES = pytest.mark.parametrize(
    "span", [WHOLE, MIDNIGHT, AFTER_MIDNIGHT, EMPTY], ids=["whole", "midnight", "after-midnight", "empty"]
)
FILTERS = pytest.mark.parametrize(
    ("assignments", "keep"),
    [
        ([], everything),
        (["queue=Sales"], lambda r: r["queue"] == "Sales"),
        (["queue=Sales", "queue=Billing"], lambda r: r["queue"] in ("Sales", "Billing")),
        (["channel=VOICE"], lambda r: r["channel"] == "VOICE"),
    ],
    ids=["all", "one-queue", "two-queues", "voice"],
)


@pytest.fixture(scope="module")
def sim_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history tests' scenario with callbacks whose customers do not answer, which Connect retries."""
    out = tmp_path_factory.mktemp("sim") / "callbacks"
    config = simulator.SimulationConfig(
        seed=11, agents=14, contacts=500, start=START, hours=4.0, unanswered_callbacks=0.3
    )
    simulator.simulate(out, config)
    return out


@pytest.fixture(scope="module")
def engine(build: Model, sim_dir: Path) -> Iterator[Engine]:
    engine = Engine(build, sim_dir, {})
    yield engine
    for session in engine._sessions.values():
        session.con.close()


def close(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return float(actual) == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


def keyed(result: Result) -> dict[str, dict[str, Any]]:
    """Rows keyed by their first column, each as {column: value}."""
    return {row[0]: dict(zip(result.columns[1:], row[1:], strict=True)) for row in result.rows}


def assert_rows(result: Result, expected: dict[str, dict[str, Any]]) -> None:
    actual = keyed(result)
    assert set(actual) == set(expected), (sorted(actual), sorted(expected))
    for name, values in expected.items():
        assert set(actual[name]) == set(values), name
        wrong = {c: (actual[name][c], v) for c, v in values.items() if not close(actual[name][c], v)}
        assert not wrong, (name, wrong)


@RANGES
@FILTERS
def test_queue_performance(
    engine: Engine, sim_dir: Path, span: tuple[str, str], assignments: list[str], keep: Callable[[Truth], bool]
) -> None:
    expected = expect.queue_performance(read_truth(sim_dir), *span, keep)
    assert_rows(engine.panel(UID, "queue_performance", *span, assignments), expected)


@pytest.mark.parametrize("interval", ["15m", "1h", "1d"])
@pytest.mark.parametrize("sl_seconds", [20, 60])
@pytest.mark.parametrize("span", [WHOLE, MIDNIGHT], ids=["whole", "midnight"])
def test_service_level_by_interval(
    engine: Engine, sim_dir: Path, span: tuple[str, str], interval: str, sl_seconds: int
) -> None:
    result = engine.panel(UID, "service_level_by_interval", *span, [f"interval={interval}", f"sl_seconds={sl_seconds}"])
    actual = {(row[0], row[1]): row[2] for row in result.rows}
    expected = expect.service_level_by_interval(read_truth(sim_dir), *span, interval, sl_seconds)
    assert actual.keys() == expected.keys()
    assert all(close(actual[k], v) for k, v in expected.items())


@RANGES
@pytest.mark.parametrize("x", [0, 10, 60])
def test_within_x(engine: Engine, sim_dir: Path, span: tuple[str, str], x: int) -> None:
    expected = expect.within_x(read_truth(sim_dir), *span, x)
    assert_rows(engine.panel(UID, "within_x", *span, [f"x_seconds={x}"]), expected)


@FILTERS
def test_within_x_filters(engine: Engine, sim_dir: Path, assignments: list[str], keep) -> None:
    expected = expect.within_x(read_truth(sim_dir), *WHOLE, 10, keep)
    assert_rows(engine.panel(UID, "within_x", *WHOLE, ["x_seconds=10", *assignments]), expected)


@RANGES
@FILTERS
def test_flow_time(engine: Engine, sim_dir: Path, span: tuple[str, str], assignments: list[str], keep) -> None:
    expected = expect.flow_time(read_truth(sim_dir), *span, keep)
    assert_rows(engine.panel(UID, "flow_time", *span, assignments), expected)


@RANGES
@FILTERS
def test_callbacks(engine: Engine, sim_dir: Path, span: tuple[str, str], assignments: list[str], keep) -> None:
    expected = expect.callbacks(read_truth(sim_dir), *span, keep)
    assert_rows(engine.panel(UID, "callbacks", *span, assignments), expected)


@RANGES
@FILTERS
def test_handled_by_initiation_method(
    engine: Engine, sim_dir: Path, span: tuple[str, str], assignments: list[str], keep
) -> None:
    truth = read_truth(sim_dir)
    result = engine.panel(UID, "handled_by_initiation_method", *span, assignments)
    assert dict(result.rows) == dict(expect.handled_by_method(truth, *span, keep))
    incoming = engine.value(UID, "handled_incoming", *span, assignments)
    outbound = engine.value(UID, "handled_outbound", *span, assignments)
    assert (incoming, outbound) == (
        expect.handled_incoming(truth, *span, keep),
        expect.handled_outbound(truth, *span, keep),
    )


def test_scenario_has_what_the_queue_panels_depend_on(sim_dir: Path) -> None:
    """The comparisons above prove something only if the data holds these cases."""
    truth = read_truth(sim_dir)
    rows = expect.queue_performance(truth, *WHOLE)
    assert "Agent queues" in rows and len(rows) >= 4
    assert any(0 < row["service_level_20"] < row["service_level_120"] < 100 for row in rows.values())
    callbacks = expect.callbacks(truth, *WHOLE)
    assert sum(row["callback_attempts"] for row in callbacks.values()) > 0, "no unanswered callback attempt"
    assert sum(row["callback_retries"] for row in callbacks.values()) > 0, "no retried callback"
    assert any(r["callback"] and r["answered"] for r in truth), "no callback answered"
    methods = expect.handled_by_method(truth, *WHOLE)
    assert methods["OUTBOUND"] and all(methods[m] for m in expect.INCOMING), methods
    within = expect.within_x(truth, *WHOLE, 10)
    assert any(row["abandoned_in_x"] and row["abandoned_after_x"] for row in within.values())
    queued = expect.queued(truth, *MIDNIGHT)
    assert any(r["initiated_at"] < MIDNIGHT[0] for r in queued), "no contact initiated before the range, queued in it"


def test_queue_table_headers_match_the_query(engine: Engine) -> None:
    """Every column the queue table's query returns has a readable header, and every threshold its own column."""
    result = engine.panel(UID, "queue_performance", *EMPTY)
    named = {o["matcher"]["options"] for o in PERFORMANCE_COLUMNS}
    assert set(result.columns) == named
    assert {f"service_level_{s}" for s in TABLE_THRESHOLDS} <= named
