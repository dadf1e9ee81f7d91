"""Shared set-up for the SQL-check tests: an environment, the sample dashboard variables, rendering."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import jinja2

from core.environment import Environment
from core.kinds import CheckRequest
from core.problems import Problem
from core.template_variable import TemplateVariable
from dashcompiler.config import load_config
from kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
QUERIES = Path(__file__).resolve().parent / "queries"


def sample(name: str, *, multi: bool, numeric: bool = False, all_value: str = "") -> TemplateVariable:
    """A query variable as the compiler types it (a custom all value needs All offered)."""
    return TemplateVariable(name, "query", "timestream", multi, bool(all_value), all_value, numeric)


VARIABLES = {
    "queue": sample("queue", multi=True),
    "channel": sample("channel", multi=True),
    "routing_profile": sample("routing_profile", multi=True),
    "channel_single": sample("channel_single", multi=False),
    "agent": sample("agent", multi=False),
    "sl_seconds": sample("sl_seconds", multi=False, numeric=True),
    "hierarchy_group": sample("hierarchy_group", multi=True, all_value="'__all__'"),  # as dashboards/_common.py
}
# Per-file query-target fields, as the dashboard definitions would set them.
TARGETS = {"contact_events_by_type.sql": {"table": "contact_event", "measure": "contact_event"}}


# A LiveAnalytics environment as the SQL-check tests write their expectations: the shipped prod environment
# reads InfluxDB, so the Timestream database of these tests is their own.
PROD_TIMESTREAM = replace(
    load_config(ROOT).env("staging"),
    name="prod",
    connect_instance_id="00000000-0000-0000-0000-000000000000",
    timestream_database="connect-analytics",
    athena_database="connect_analytics",
    athena_workgroup="connect-analytics",
)


def environment(name: str = "prod") -> Environment:
    """A Timestream environment: "prod" (the tests' own) or one of dash.yaml's."""
    return PROD_TIMESTREAM if name == "prod" else load_config(ROOT).env(name)


def render(text: str, env: Environment) -> str:
    """Render as the compiler does: Jinja2 with StrictUndefined over the environment's context."""
    template = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True).from_string(text)
    return template.render(env.template_context())


def check(
    sql: str,
    datasource: str = "timestream",
    env_name: str = "prod",
    target: dict[str, str] | None = None,
    fragments: dict[str, str] | None = None,
) -> list[Problem]:
    """Check ``sql`` as the file queries/q.sql, next to ``fragments`` (name -> text) it may import."""
    env = environment(env_name)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in {**(fragments or {}), "q.sql": sql}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        kind = KINDS[datasource]
        text = (
            jinja2.Environment(loader=jinja2.FileSystemLoader(tmp), undefined=jinja2.StrictUndefined)
            .get_template("q.sql")
            .render(env.template_context())
            .rstrip()
        )
        request = CheckRequest(text, "queries/q.sql", kind.context(env), VARIABLES, target or {}, str(root), "q.sql")
        return kind.check(request)
