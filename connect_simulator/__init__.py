"""Deterministic Amazon Connect traffic in the real formats, with the ground truth it was generated from.

``simulate(out, SimulationConfig(...))`` writes agent events, contact events, collector snapshots, CTRs and
``ground_truth.jsonl`` into ``out``; the same arguments give the same bytes under any PYTHONHASHSEED.
"""

from connect_simulator.config import DEFAULT_START, SimulationConfig, SimulationError
from connect_simulator.output import simulate

__all__ = ["DEFAULT_START", "SimulationConfig", "SimulationError", "simulate"]
