"""Definitions -> model: load dash.yaml and dashboards/, render every dashboard, its queries and variables.

No bytes here: the model is what the checks read, what the artifacts stage encodes and what the local
engines run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from core.environment import Environment
from core.model import CompiledAlertGroup, CompiledDashboard
from core.paths import relative_path
from dashcompiler.alerts import compile_alerts
from dashcompiler.alerts_loader import load_rule_groups
from dashcompiler.config import Config, load_config
from dashcompiler.definition_loader import load_definitions
from dashcompiler.queries import QueryTemplates
from dashcompiler.render import render_dashboard

QUERIES_DIR = "queries"
ALERTS_DIR = "alerts"


@dataclass(frozen=True)
class Model:
    """One environment's dashboards and alert rule groups, rendered."""

    env: Environment
    dashboards: tuple[CompiledDashboard, ...]
    alerts: tuple[CompiledAlertGroup, ...] = ()


SQL_TWIN_STORE = "timestream"


def sql_twin(env: Environment) -> Environment:
    """``env`` as if its real-time store were Timestream for LiveAnalytics: every real-time query and variable as its
    Timestream SQL twin (one name, one file per store), which the local engine runs where it cannot run InfluxQL."""
    if env.realtime_store == SQL_TWIN_STORE:
        return env
    return replace(
        env,
        realtime_store=SQL_TWIN_STORE,
        timestream_region=env.timestream_region or env.aws_region,
        timestream_database=env.timestream_database or env.influxdb_database or "connect",
        timestream_default_table=env.timestream_default_table or "agent_state",
        datasource_uids={**env.datasource_uids, SQL_TWIN_STORE: f"{env.name}-sql-twin"},
    )


def compile_model(root: Path, env_name: str | None = None, *, twin: bool = False) -> Model:
    """One environment's dashboards; with ``twin``, its real-time queries in Timestream SQL (``sql_twin``)."""
    config = load_config(root)
    env = sql_twin(config.env(env_name)) if twin else config.env(env_name)
    return compile_environment(root, config, env)


def compile_environment(root: Path, config: Config, env: Environment) -> Model:
    """One environment's dashboards and alert rules; the tests pass a variant of a committed one (another time zone)."""
    definitions = load_definitions(root / "dashboards")
    templates = QueryTemplates(root / QUERIES_DIR, env.template_context(), f"{config.path}, environment {env.name!r}")
    dashboards = tuple(
        render_dashboard(d.dashboard, relative_path(d.source, root), env, config.schema_version, templates)
        for d in definitions
    )
    groups = load_rule_groups(root / ALERTS_DIR)
    sources = {str(g.source): relative_path(g.source, root) for g in groups}
    return Model(env, dashboards, compile_alerts(groups, env, dashboards, templates, sources))
