"""The shipped dashboards compiled once, and one panel run on local data as `dash query` runs it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from dashcompiler.compile import Model, compile_model
from dashcompiler.config import load_config
from localquery.run import Result, run_panel

ROOT = Path(__file__).resolve().parents[2]


@cache
def sql_environment() -> str:
    """The committed environment whose real-time store speaks SQL (LiveAnalytics), which the local engine runs."""
    config = load_config(ROOT)
    return next(name for name in config.outputs if config.env(name).realtime_store == "timestream")


@cache
def shipped_model() -> Model:
    return compile_model(ROOT, sql_environment())


def run_shipped(
    uid: str, panel: str, data: Path, start: str, end: str, assignments: Sequence[str] = ()
) -> list[Result]:
    model = shipped_model()
    return run_panel(model.env, model.dashboards, uid, panel, data, start, end, assignments)
