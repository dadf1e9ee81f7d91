"""Shared set-up for the SQL-check tests: an environment, the sample dashboard variables, rendering."""

from __future__ import annotations

import tempfile
from pathlib import Path

import jinja2

from dashcompiler.config import Environment, load_config
from sqlcheck import Problem, QueryTemplate, VariableSample, check_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = Path(__file__).resolve().parent / "queries"

VARIABLES = {
    "queue": VariableSample(multi=True, numeric=False),
    "channel": VariableSample(multi=True, numeric=False),
    "routing_profile": VariableSample(multi=True, numeric=False),
    "channel_single": VariableSample(multi=False, numeric=False),
    "agent": VariableSample(multi=False, numeric=False),
    "sl_seconds": VariableSample(multi=False, numeric=True),
    "hierarchy_group": VariableSample(multi=True, numeric=False, all_value="'__all__'"),  # as dashboards/_common.py
}
# Per-file query-target fields, as the dashboard definitions would set them.
TARGETS = {"contact_events_by_type.sql": {"table": "contact_event", "measure": "contact_event"}}


def environment(name: str = "prod") -> Environment:
    return load_config(ROOT).env(name)


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
        return check_query(
            jinja2.Environment(loader=jinja2.FileSystemLoader(tmp), undefined=jinja2.StrictUndefined)
            .get_template("q.sql")
            .render(env.template_context())
            .rstrip(),
            file="queries/q.sql",
            datasource=datasource,
            env=env,
            variables=VARIABLES,
            target=target,  # type: ignore[arg-type]
            template=QueryTemplate(root, "q.sql"),
        )
