"""Each shipped rule's query returns the number it claims: run through the local engine on simulated data as
Grafana sends it at an evaluation time, against ground truth computed in plain Python from Amazon Connect's
definitions (the simulator's contact truth, the agent event stream and the collector's snapshots; no SQL)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.environment import OpeningHours
from localquery.run import Result
from tests.alerts.conftest import Rules, instance_of, rules_for
from tests.localquery.queue_truth import CHANNELS, Key, Timelines, agent_metrics, queue_contacts, read_agent_events
from tests.localquery.truth import Truth, instant, read_truth

# Minutes with contacts waiting, an agent in error, a queue waiting with nobody available, across midnight.
INSTANTS = [
    "2026-01-31T23:34:00Z",
    "2026-01-31T23:39:00Z",
    "2026-02-01T00:00:00Z",
    "2026-02-01T00:16:00Z",
    "2026-02-01T00:48:00Z",
    "2026-02-01T01:13:00Z",
]
QUEUES = ("Sales", "Support", "Billing")


@pytest.fixture(scope="module")
def truth(sim_dir: Path) -> list[Truth]:
    return read_truth(sim_dir)


@pytest.fixture(scope="module")
def timelines(sim_dir: Path) -> Timelines:
    return read_agent_events(sim_dir)


def every(queue: str) -> set[Key]:
    return {(queue, c) for c in CHANNELS}


def latest(result: Result) -> dict[str, Any]:
    """Each series' last point, as the rule's Reduce(last) reads it: series by the label column, points by time."""
    time = result.columns.index("time")
    value = len(result.columns) - 1
    labels = [i for i in range(len(result.columns)) if i not in (time, value)]
    points: dict[str, tuple[datetime, Any]] = {}
    for row in result.rows:
        label = "/".join(str(row[i]) for i in labels)
        if label not in points or row[time] >= points[label][0]:
            points[label] = (row[time], row[value])
    return {label: v for label, (_, v) in points.items()}


@pytest.mark.parametrize("now", INSTANTS)
def test_queue_snapshots_are_connects_numbers_per_queue(
    rules: Rules, truth: list[Truth], timelines: Timelines, now: str
) -> None:
    """Contacts in queue, oldest contact and agents available per queue: the latest snapshot, all channels."""
    moment = instant(now)
    waiting = latest(rules.run("connect-queue-waiting-no-agent", "A", now))
    available = latest(rules.run("connect-queue-waiting-no-agent", "C", now))
    oldest = latest(rules.run("connect-queue-oldest-contact", "A", now))
    assert waiting.keys() == available.keys() == oldest.keys() == set(QUEUES)
    states = timelines.at(moment)
    for queue in QUEUES:
        contacts = queue_contacts(truth, moment, every(queue))
        assert contacts.ambiguous == 0, f"{now}: a contact's truncated time is this second; pick another instant"
        assert waiting[queue] == contacts.in_queue, queue
        low, high = contacts.oldest_age
        assert low <= oldest[queue] <= high, queue
        assert available[queue] == agent_metrics(states, every(queue))["agents_available"], queue


@pytest.mark.parametrize("now", INSTANTS)
def test_agents_in_error_counts_each_agent_once(rules: Rules, timelines: Timelines, now: str) -> None:
    (value,) = latest(rules.run("connect-agents-error", "A", now)).values()
    every_key = set().union(*(every(q) for q in QUEUES))
    assert value == agent_metrics(timelines.at(instant(now)), every_key)["agents_error"]


def test_the_instants_exercise_the_rules(rules: Rules, timelines: Timelines) -> None:
    """Guard against a vacuous pass: a queue waits with nobody available, and an agent is in error, somewhere."""
    fired = []
    errors = 0
    for now in INSTANTS:
        waiting = latest(rules.run("connect-queue-waiting-no-agent", "A", now))
        available = latest(rules.run("connect-queue-waiting-no-agent", "C", now))
        fired += [(now, q) for q in QUEUES if waiting[q] > 0 and available[q] == 0]
        errors += next(iter(latest(rules.run("connect-agents-error", "A", now)).values()))
    assert fired and errors > 0


def service_levels(
    truth: Iterable[Truth], now: datetime, window: timedelta, seconds: int
) -> tuple[dict[str, tuple[float, float]], int]:
    """Per standard queue id, bounds of: contacts that left the queue in [now - window, now] (answered or not)
    within ``seconds`` of entering it, / all that left it, x 100. The truth's times are whole seconds (truncated),
    so a wait of exactly ``seconds`` may be either side (the bounds hold both); the count of contacts that left on
    a window edge's second, which no bound can place, comes second."""
    left: dict[str, list[tuple[bool, bool]]] = {}
    edges = 0
    for r in truth:
        if r["queue_type"] != "STANDARD" or not r["enqueued_at"] or not r["dequeued_at"]:
            continue
        entered, out = instant(r["enqueued_at"]), instant(r["dequeued_at"])
        edges += out in (now - window, now)
        if not now - window <= out <= now:
            continue
        wait = (out - entered).total_seconds()
        left.setdefault(r["queue_arn"].rsplit("/", 1)[1], []).append((wait < seconds, wait <= seconds))
    bounds = {
        q: (100.0 * sum(low for low, _ in flags) / len(flags), 100.0 * sum(high for _, high in flags) / len(flags))
        for q, flags in left.items()
    }
    return bounds, edges


@pytest.mark.parametrize("now", INSTANTS)
def test_service_level_per_queue_matches_connects_definition(rules: Rules, truth: list[Truth], now: str) -> None:
    env = rules.model.env
    assert env.alerts is not None
    window = timedelta(minutes=env.alerts.thresholds["service_level_window"])
    expected, edges = service_levels(truth, instant(now), window, env.service_level_seconds)
    assert edges == 0, f"{now}: a contact left the queue on a window edge's second; pick another instant"
    shown = latest(rules.run("connect-queue-service-level", "A", now))
    assert shown.keys() == expected.keys()
    for queue, (low, high) in expected.items():
        assert low - 1e-9 <= shown[queue] <= high + 1e-9, queue


def test_the_service_level_instants_are_mostly_exact_and_one_breaches(truth: list[Truth], rules: Rules) -> None:
    """Guard against a vacuous pass: the bounds are tight at most instants, and some queue is below target."""
    env = rules.model.env
    assert env.alerts is not None
    window = timedelta(minutes=env.alerts.thresholds["service_level_window"])
    found = [service_levels(truth, instant(now), window, env.service_level_seconds)[0] for now in INSTANTS]
    exact = [b for levels in found for b in levels.values() if b[0] == b[1]]
    assert len(exact) > sum(len(levels) for levels in found) / 2
    assert any(high < env.alerts.thresholds["service_level_percent"] for levels in found for _, high in levels.values())


def snapshots(data: Path) -> list[dict[str, Any]]:
    with (data / "collector" / "snapshots.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def instance_metric(snapshot: dict[str, Any], name: str) -> float:
    """A metric of the instance total (the result grouped by nothing) in a collector snapshot."""
    (result,) = [r for part in snapshot["current_metric_data"] for r in part["MetricResults"] if not r["Dimensions"]]
    return next(c["Value"] for c in result["Collections"] if c["Metric"]["Name"] == name)


def agent_event_times(data: Path) -> list[datetime]:
    with (data / "agent_events.jsonl").open(encoding="utf-8") as lines:
        return [instant(json.loads(line)["EventTimestamp"]) for line in lines if line.strip()]


def _cut(data: Path, out: Path, name: str, keep: Any) -> Path:
    """A copy of the simulation whose file ``name`` keeps only the lines ``keep`` accepts: an ingest outage."""
    out.mkdir()
    for item in data.iterdir():
        if item.name != name.split("/")[0]:
            (out / item.name).symlink_to(item)
    target = out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    source = (data / name).read_text(encoding="utf-8").splitlines()
    target.write_text("".join(line + "\n" for line in source if line.strip() and keep(json.loads(line))))
    return out


OUTAGE = "2026-02-01T00:20:00Z"  # the ingest stops here
AFTER = ["2026-02-01T00:22:00Z", "2026-02-01T00:25:00Z", "2026-02-01T00:26:00Z", "2026-02-01T00:40:00Z"]
SILENT = AFTER[1:]  # the last data came before 00:20, so from 00:25 the 5-minute window holds none


def _in_window(times: Iterable[datetime], now: datetime, minutes: int) -> int:
    return sum(now - timedelta(minutes=minutes) <= t <= now for t in times)


@pytest.mark.parametrize("now", ["2026-01-31T23:34:00Z", *AFTER])
def test_collector_freshness_counts_the_snapshots_of_the_window(
    rules: Rules, sim_dir: Path, tmp_path: Path, now: str
) -> None:
    stopped = _cut(
        sim_dir, tmp_path / "data", "collector/snapshots.jsonl", lambda s: instant(s["collected_at"]) < instant(OUTAGE)
    )
    silence = rules.model.env.alerts.thresholds["ingest_silence"]  # type: ignore[union-attr]
    times = [instant(s["collected_at"]) for s in snapshots(stopped)]
    expected = _in_window(times, instant(now), silence)
    (value,) = latest(Rules(rules.model, stopped).run("connect-ingest-collector-silent", "A", now)).values()
    assert value == expected
    assert (value == 0) == (now in SILENT), "no snapshot in the last 5 minutes once the last one is 5 minutes old"


AGENT_INSTANTS = ["2026-01-31T23:34:00Z", *AFTER, "2026-02-01T00:24:30Z", "2026-02-01T01:25:00Z"]
# The last event came before 00:20: from 00:24:30 the current minute and the 4 before it hold none; after 01:20 the
# hour holds none either (no data: the rule keeps its state).
AGENTS_SILENT = ["2026-02-01T00:25:00Z", "2026-02-01T00:26:00Z", "2026-02-01T00:40:00Z", "2026-02-01T00:24:30Z"]


def events_per_minute(times: Iterable[datetime], now: datetime, silence: int) -> float | None:
    """Agent events per minute from the start of the minute ``silence`` - 1 minutes before ``now``'s to ``now``;
    None when no event came in the hour before ``now`` (the query's window)."""
    hour = [t for t in times if now - timedelta(hours=1) <= t <= now]
    if not hour:
        return None
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=silence - 1)
    return sum(start <= t for t in hour) / silence


@pytest.mark.parametrize("now", AGENT_INSTANTS)
def test_agent_event_freshness_flags_silence_while_agents_are_online(
    rules: Rules, sim_dir: Path, tmp_path: Path, now: str
) -> None:
    stop = instant(OUTAGE)
    stopped = _cut(sim_dir, tmp_path / "data", "agent_events.jsonl", lambda e: instant(e["EventTimestamp"]) < stop)
    silence = rules.model.env.alerts.thresholds["ingest_silence"]  # type: ignore[union-attr]
    moment = instant(now)
    expected = events_per_minute(agent_event_times(stopped), moment, silence)
    result = Rules(rules.model, stopped).run("connect-ingest-agent-events-silent", "A", now)
    if expected is None:
        assert result.rows == [] and rules.rule("connect-ingest-agent-events-silent").json["noDataState"] == "KeepLast"
        return
    (value,) = latest(result).values()
    assert value == pytest.approx(expected)
    since = moment - timedelta(minutes=silence)
    in_window = [s for s in snapshots(sim_dir) if since <= instant(s["collected_at"]) <= moment]
    online = instance_metric(max(in_window, key=lambda s: s["collected_at"]), "AGENTS_ONLINE")
    (shown_online,) = latest(Rules(rules.model, stopped).run("connect-ingest-agent-events-silent", "C", now)).values()
    assert shown_online == online > 0
    assert (value == 0) == (now in AGENTS_SILENT)


def test_agent_event_freshness_reads_events_on_a_normal_evening(rules: Rules, sim_dir: Path) -> None:
    times = agent_event_times(sim_dir)
    silence = rules.model.env.alerts.thresholds["ingest_silence"]  # type: ignore[union-attr]
    for now in INSTANTS:
        (value,) = latest(rules.run("connect-ingest-agent-events-silent", "A", now)).values()
        assert value == pytest.approx(events_per_minute(times, instant(now), silence)) and value > 0, now


def contact_records(data: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every delivered CTR (duplicates included, as Athena reads the files) with its partition's date."""
    found = []
    for path in sorted((data / "ctr").rglob("*.json")):
        day = path.parent.name.removeprefix("initiation_date=")
        found += [(day, json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


@pytest.mark.parametrize("now", ["2026-01-31T23:34:00Z", "2026-02-01T00:30:00Z", "2026-02-01T01:55:00Z"])
def test_ctr_freshness_counts_the_records_of_the_window_while_open(sim_dir: Path, now: str) -> None:
    """Open all weekend (the simulation is a Saturday night): the rows last updated in the window, of contacts
    initiated on the window's dates, for the instance."""
    open_rules = Rules(rules_for(sim_dir, OpeningHours((6, 7), 0, 24 * 60)), sim_dir)
    assert open_rules.model.env.alerts is not None
    hours = open_rules.model.env.alerts.thresholds["ctr_silence"]
    moment = instant(now)
    start = moment - timedelta(hours=hours)
    days = {start.date().isoformat(), moment.date().isoformat()}
    expected = sum(
        1
        for day, record in contact_records(sim_dir)
        if day in days
        and start <= instant(record["LastUpdateTimestamp"]) <= moment
        and record["InstanceARN"].endswith("/" + instance_of(sim_dir))
    )
    assert expected > 0
    (row,) = open_rules.run("connect-lake-ctr-silent", "A", now).rows
    assert row == (expected,)


@pytest.mark.parametrize(
    ("hours", "now"),
    [
        (OpeningHours((1, 2, 3, 4, 5), 0, 24 * 60), "2026-01-31T23:34:00Z"),  # Saturday: closed all day
        (OpeningHours((6,), 8 * 60, 18 * 60), "2026-01-31T23:34:00Z"),  # Saturday, after closing
        (OpeningHours((6,), 8 * 60, 23 * 60 + 34), "2026-01-31T23:34:00Z"),  # the closing minute itself
    ],
)
def test_ctr_freshness_has_no_value_while_closed(sim_dir: Path, hours: OpeningHours, now: str) -> None:
    (row,) = Rules(rules_for(sim_dir, hours), sim_dir).run("connect-lake-ctr-silent", "A", now).rows
    assert row == (None,)


def test_ctr_freshness_opens_on_the_opening_minute(sim_dir: Path) -> None:
    (row,) = (
        Rules(rules_for(sim_dir, OpeningHours((6,), 23 * 60 + 34, 24 * 60)), sim_dir)
        .run("connect-lake-ctr-silent", "A", "2026-01-31T23:34:00Z")
        .rows
    )
    assert row[0] is not None and row[0] > 0
