"""Incidents change one thing about the run, and only that: checked on the files, against the normal day."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path

import pytest

from connect_simulator import SimulationConfig, SimulationError, simulate
from connect_simulator.incidents import INCIDENTS, MINUTE, incident


@functools.cache
def simulated(name: str, root: str) -> Path:
    out = Path(root) / name
    simulate(out, INCIDENTS[name].config())
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("incidents"))


def ms(text: str) -> int:
    return round(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def lines(folder: Path, name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / name).read_text().splitlines()]


def ctrs(folder: Path) -> dict[str, dict[str, object]]:
    """Contact records, one per ContactId (the last delivery)."""
    out: dict[str, dict[str, object]] = {}
    for path in sorted((folder / "ctr").rglob("*.json")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            out[record["ContactId"]] = record
    return out


def test_the_normal_day_is_the_plain_run_byte_for_byte(tmp_path: Path, root: str) -> None:
    plain = INCIDENTS["normal-day"].config()
    simulate(tmp_path / "plain", SimulationConfig(plain.seed, plain.agents, plain.contacts, plain.start, plain.hours))
    normal = simulated("normal-day", root)
    for path in sorted(p for p in (tmp_path / "plain").rglob("*") if p.is_file()):
        assert path.read_bytes() == (normal / path.relative_to(tmp_path / "plain")).read_bytes(), path


def test_an_ingest_outage_removes_every_real_time_record_of_its_window_and_nothing_else(root: str) -> None:
    spec = incident("ingest-outage")
    outage, normal = simulated("ingest-outage", root), simulated("normal-day", root)
    start = spec.config().start_ms()
    low, high = (start + m * MINUTE for m in spec.outage_min or (0, 0))
    for name, key in (
        ("agent_events.jsonl", "EventTimestamp"),
        ("contact_events.jsonl", "time"),
        ("collector/snapshots.jsonl", "collected_at"),
    ):
        kept = [r for r in lines(outage, name) if low <= ms(str(r[key])) < high]
        before = [r for r in lines(normal, name) if low <= ms(str(r[key])) < high]
        assert kept == [] and before, name  # the normal day has records there; the outage none
        outside = [r for r in lines(normal, name) if not low <= ms(str(r[key])) < high]
        assert [r for r in lines(outage, name) if not low <= ms(str(r[key])) < high] == outside, name
    assert ctrs(outage) == ctrs(normal)  # contact records take Firehose to S3: untouched


def test_a_surge_adds_exactly_its_callers_to_its_queue(root: str) -> None:
    spec = incident("queue-surge")
    burst = spec.bursts[0]
    start = spec.config().start_ms()
    low, high = start + burst.start_min * MINUTE, start + (burst.start_min + burst.minutes) * MINUTE

    def inbound(folder: Path) -> int:
        return sum(
            1
            for r in ctrs(folder).values()
            if r["InitiationMethod"] == "INBOUND"
            and (r.get("Queue") or {}).get("Name") == burst.queue  # type: ignore[union-attr]
            and r.get("PreviousContactId") is None
            and low <= ms(str(r["InitiationTimestamp"])) < high
        )

    assert inbound(simulated("queue-surge", root)) - inbound(simulated("normal-day", root)) == burst.count


def test_a_mass_logout_logs_most_agents_out_and_back_in(root: str) -> None:
    spec = incident("mass-logout")
    start = spec.config().start_ms()
    at = start + (spec.logout_at_min or 0) * MINUTE
    back = at + spec.back_after_min * MINUTE
    events = lines(simulated("mass-logout", root), "agent_events.jsonl")
    out = {e["AgentARN"] for e in events if e["EventType"] == "LOGOUT" and at <= ms(str(e["EventTimestamp"])) < back}
    returned = {e["AgentARN"] for e in events if e["EventType"] == "LOGIN" and back <= ms(str(e["EventTimestamp"]))}
    assert len(out) >= 0.6 * spec.agents  # 80% drawn; those not yet logged in at 09:30 are left alone
    assert out <= returned


def test_an_unknown_incident_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(SimulationError, match="no incident 'fire'; the incidents are: normal-day, queue-surge"):
        simulate(tmp_path / "sim", SimulationConfig(incident="fire"))
    assert not (tmp_path / "sim").exists()
