"""One default simulation shared by the simulator tests (about a second to generate)."""

from __future__ import annotations

import pytest
from sim_outputs import Outputs

from connect_simulator import SimulationConfig, simulate


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    out = tmp_path_factory.mktemp("sim") / "default"
    simulate(out, SimulationConfig())
    return Outputs(out)


@pytest.fixture(scope="session")
def callback_run(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """The default run with callbacks whose customers do not answer (off by default)."""
    out = tmp_path_factory.mktemp("sim") / "callbacks"
    simulate(out, SimulationConfig(unanswered_callbacks=0.3))
    return Outputs(out)
