"""Simulated data and the shipped rules compiled for it: the rules' queries run through the local engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import pytest

import connect_simulator as simulator
from core.environment import OpeningHours
from core.model import CompiledAlertRule
from dashcompiler.compile import Model, compile_environment
from dashcompiler.config import load_config
from localquery.run import Result, Session, execute, open_session, parse_instant, referenced_tables, time_range
from tests.localquery.shipped import sql_environment

ROOT = Path(__file__).resolve().parents[2]
# 2026-01-31 22:00 to 2026-02-02 02:00 UTC, Saturday night.
START = "2026-01-31T22:00:00Z"


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("alerts-sim") / "data"
    simulator.simulate(out, simulator.SimulationConfig(seed=11, agents=14, contacts=500, start=START, hours=4.0))
    return out


def instance_of(data: Path) -> str:
    return str(json.loads((data / "manifest.json").read_text())["instance"]["id"])


def rules_for(data: Path, opening: OpeningHours | None = None, env_name: str | None = None) -> Model:
    """The shipped rules for a committed environment (the SQL one by default), watching the simulated instance
    (alert queries name the environment's instance: alerting has no dashboard variable), with ``opening`` hours if
    given."""
    config = load_config(ROOT)
    env = config.env(env_name or sql_environment())
    assert env.alerts is not None
    alerts = replace(env.alerts, opening_hours=opening) if opening else env.alerts
    return compile_environment(ROOT, config, replace(env, connect_instance_id=instance_of(data), alerts=alerts))


@dataclass(frozen=True)
class Rules:
    model: Model
    data: Path
    # Sessions by (end, tables): what one loads depends on those alone (the tables as of "now"); another start
    # of the range reuses it.
    loaded: dict[tuple[int, frozenset[str] | None], Session] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, uid: str) -> CompiledAlertRule:
        return next(r for g in self.model.alerts for r in g.rules if r.uid == uid)

    def run(self, uid: str, ref_id: str, now: str) -> Result:
        """The rule's query ``ref_id`` as Grafana sends it when it evaluates the rule at ``now``: over the query's
        relative range ending then."""
        query = self.rule(uid).query(ref_id)
        assert query is not None, f"{uid} has no query {ref_id}"
        end = parse_instant(now, "--to")
        tr = time_range(end - timedelta(seconds=query.from_seconds), end)
        tables = referenced_tables([query.query], self.model.env)
        key = (tr.to_ms, None if tables is None else frozenset(tables))
        if key not in self.loaded:
            self.loaded[key] = open_session(self.data, self.model.env, tr, tables)
        return execute(replace(self.loaded[key], time_range=tr), query.query, [], {})

    def close(self) -> None:
        for session in self.loaded.values():
            session.con.close()


@pytest.fixture(scope="session")
def rules(sim_dir: Path) -> Iterator[Rules]:
    loaded = Rules(rules_for(sim_dir), sim_dir)
    yield loaded
    loaded.close()
