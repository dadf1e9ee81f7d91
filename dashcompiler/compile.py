"""Definitions -> model: load dash.yaml and dashboards/, render every dashboard, its queries and variables.

No bytes here: the model is what the checks read, what the artifacts stage encodes and what the local
engines run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.environment import Environment
from core.model import CompiledDashboard
from core.paths import relative_path
from dashcompiler.config import Config, load_config
from dashcompiler.definition_loader import load_definitions
from dashcompiler.queries import QueryTemplates
from dashcompiler.render import render_dashboard

QUERIES_DIR = "queries"


@dataclass(frozen=True)
class Model:
    """One environment's dashboards, rendered."""

    env: Environment
    dashboards: tuple[CompiledDashboard, ...]


def compile_model(root: Path, env_name: str | None = None) -> Model:
    config = load_config(root)
    return compile_environment(root, config, config.env(env_name))


def compile_environment(root: Path, config: Config, env: Environment) -> Model:
    """One environment's dashboards; the tests pass a variant of a committed one (another time zone)."""
    definitions = load_definitions(root / "dashboards")
    templates = QueryTemplates(root / QUERIES_DIR, env.template_context(), f"{config.path}, environment {env.name!r}")
    dashboards = tuple(
        render_dashboard(d.dashboard, relative_path(d.source, root), env, config.schema_version, templates)
        for d in definitions
    )
    return Model(env, dashboards)
