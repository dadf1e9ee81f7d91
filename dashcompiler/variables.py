"""Template variables -> Grafana's templating list, and how each one is substituted in SQL.

Query variables list values from Timestream (also on Athena dashboards: listing
queues costs no Athena scan); custom and constant values may use Jinja2 and
are rendered with the environment's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from dashcompiler.config import Environment
from dashcompiler.define import ConstantVariable, CustomVariable, Dashboard, QueryVariable, Variable
from dashcompiler.errors import DefinitionError
from dashcompiler.queries import QueryTemplates, RenderedQuery


@dataclass(frozen=True)
class VariableUse:
    """How a template variable is substituted: several values quoted, or one raw."""

    name: str
    multi: bool
    numeric: bool
    all_value: str = ""  # what an All selection inserts, as written (Grafana does not quote a custom all value)


def variable_uses(board: Dashboard) -> tuple[VariableUse, ...]:
    """What the SQL checks need to substitute each variable with sample values."""
    return tuple(
        VariableUse(
            v.name,
            bool(getattr(v, "multi", False) or getattr(v, "include_all", False)),
            v.numeric,
            getattr(v, "all_value", "") if getattr(v, "include_all", False) else "",
        )
        for v in board.variables
    )


def render_variable(
    var: Variable,
    dashboard_uid: str,
    where: str,
    env: Environment,
    templates: QueryTemplates,
    queries: list[RenderedQuery],
) -> dict[str, Any]:
    var_where = f"{where}, variable ${var.name}"
    if isinstance(var, QueryVariable):
        sql = templates.render("timestream", var.sql, var_where)
        queries.append(
            RenderedQuery(
                dashboard_uid, f"${var.name}", var.label, "timestream", templates.path("timestream", var.sql), sql, {}
            )
        )
        body: dict[str, Any] = {
            "datasource": env.datasource_ref("timestream"),
            "definition": sql,
            "hide": var.hide,
            "includeAll": var.include_all,
            "label": var.label,
            "multi": var.multi,
            "name": var.name,
            "options": [],
            "query": sql,
            "refresh": 2,
            "regex": "",
            "sort": var.sort,
            "type": "query",
        }
        if var.all_value:
            body["allValue"] = var.all_value
        return body
    if isinstance(var, CustomVariable):
        values = [_render_text(v, templates.context, var_where) for v in var.values]
        default = _render_text(var.default, templates.context, var_where)
        if default and default not in values:
            raise DefinitionError(f"{var_where}: default {default!r} is not one of its values {values}")
        current: dict[str, Any] = {"text": "All", "value": "$__all"} if var.include_all else {}
        if default or not var.include_all:
            chosen = default or values[0]
            current = {"text": [chosen], "value": [chosen]} if var.multi else {"text": chosen, "value": chosen}
        return {
            "current": current,
            "hide": var.hide,
            "includeAll": var.include_all,
            "label": var.label,
            "multi": var.multi,
            "name": var.name,
            "options": [{"selected": v == default, "text": v, "value": v} for v in values],
            "skipUrlSync": False,
            "query": ",".join(values),
            "type": "custom",
        }
    if isinstance(var, ConstantVariable):
        value = _render_text(var.value, templates.context, var_where)
        return {
            "current": {"text": value, "value": value},
            "hide": 2,
            "name": var.name,
            "options": [{"selected": True, "text": value, "value": value}],
            "query": value,
            "skipUrlSync": True,
            "type": "constant",
        }
    raise DefinitionError(f"{var_where}: unknown variable kind {type(var).__name__}")


def _render_text(text: str, context: dict[str, Any], where: str) -> str:
    if "{" not in text:
        return text
    try:
        return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text).render(context)
    except jinja2.TemplateError as exc:
        raise DefinitionError(f"{where}: {text!r}: {exc}") from None
    except Exception as exc:
        raise DefinitionError(f"{where}: {text!r}: {type(exc).__name__} while rendering: {exc}") from None
