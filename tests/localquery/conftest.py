"""Simulated data for the local engine's tests: one small deterministic scenario, generated once."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import connect_simulator as simulator
from core.model import CompiledDashboard
from dashcompiler.compile import Model, compile_model
from localquery.run import (
    Result,
    Session,
    choose,
    execute,
    find_board,
    open_session,
    panel_queries,
    parse_instant,
    shown,
    time_range,
)
from localquery.selection import Selection, Variable, parse_assignments
from tests.localquery.shipped import sql_environment

ROOT = Path(__file__).resolve().parents[2]
# 2026-01-31 22:00 to 2026-02-01 02:00 UTC: crosses midnight and a month boundary.
START = "2026-01-31T22:00:00Z"


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "data"
    simulator.simulate(out, simulator.SimulationConfig(seed=11, agents=14, contacts=500, start=START, hours=4.0))
    return out


@pytest.fixture(scope="session")
def build() -> Model:
    return compile_model(ROOT, sql_environment())


@dataclass
class Engine:
    """Load once per time range; run any panel of any dashboard against it."""

    build: Model
    data: Path
    _sessions: dict[tuple[str, str], Session]

    def panel(self, uid: str, panel: str, start: str, end: str, assignments: Sequence[str] = ()) -> Result:
        """One panel's query, or a variable's (``panel`` written ``$name``), when the dashboard shows [start, end]
        (a today panel's query runs from midnight, as Grafana computes its relative time): the one frame it
        shows."""
        if panel.startswith("$"):
            return self._variable(uid, panel, start, end, assignments)
        (result,) = self.results(uid, panel, start, end, assignments)
        return result

    def results(self, uid: str, panel: str, start: str, end: str, assignments: Sequence[str] = ()) -> list[Result]:
        """Every frame a panel shows (a time series panel may show a frame per series), as `dash query` shows it."""
        session, board, variables, chosen = self._open(uid, start, end, assignments)
        (query,) = panel_queries(board, panel)
        return shown(board, panel, [execute(session, query, variables, chosen)])

    def _variable(self, uid: str, panel: str, start: str, end: str, assignments: Sequence[str]) -> Result:
        session, board, variables, chosen = self._open(uid, start, end, assignments)
        query = board.variable_query(panel[1:])
        assert query is not None, f"{uid} has no variable {panel}"
        return execute(session, query, variables, chosen)

    def _open(
        self, uid: str, start: str, end: str, assignments: Sequence[str]
    ) -> tuple[Session, CompiledDashboard, tuple[Variable, ...], dict[str, Selection]]:
        key = (start, end)
        if key not in self._sessions:
            tr = time_range(parse_instant(start, "--from"), parse_instant(end, "--to"))
            # What a session loads depends on its end alone (the tables as of "now"): another start reuses it.
            loaded = next((s for (_, e), s in self._sessions.items() if e == end), None)
            self._sessions[key] = (
                replace(loaded, time_range=tr) if loaded else open_session(self.data, self.build.env, tr)
            )
        session = self._sessions[key]
        board = find_board(self.build.dashboards, uid)
        instance = json.loads((self.data / "manifest.json").read_text())["instance"]["id"]
        variables, chosen = choose(session, board, parse_assignments([f"instance={instance}", *assignments]))
        return session, board, variables, chosen

    def value(self, uid: str, panel: str, start: str, end: str, assignments: Sequence[str] = ()) -> object:
        result = self.panel(uid, panel, start, end, assignments)
        assert len(result.rows) == 1 and len(result.columns) == 1, result
        return result.rows[0][0]


@pytest.fixture(scope="session")
def engine(build: Model, sim_dir: Path) -> Iterator[Engine]:
    engine = Engine(build, sim_dir, {})
    yield engine
    for session in engine._sessions.values():
        session.con.close()
