"""Template variables -> Grafana's templating list, and the typed variable every later stage reads.

Query variables list values with their own query (the real-time store's, also on Athena dashboards:
listing queues costs no Athena scan); custom and constant values may use Jinja2 and are rendered with
the environment's settings. Query and custom variables refuse typed-in values (``allowCustomValue: false``);
that binds the picker only, not a value from a dashboard link, so the queries still format every value
(``raw-variable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from core.environment import Environment
from core.errors import DefinitionError
from core.model import RenderedQuery, VariableOwner
from core.template_variable import TemplateVariable
from dashcompiler.api import REALTIME, ConstantVariable, CustomVariable, QueryVariable, Variable
from dashcompiler.queries import QueryTemplates
from kinds import KINDS


@dataclass(frozen=True)
class RenderedVariable:
    json: dict[str, Any]
    variable: TemplateVariable
    query: RenderedQuery | None


def render_variable(
    var: Variable, dashboard_uid: str, where: str, env: Environment, templates: QueryTemplates
) -> RenderedVariable:
    var_where = f"{where}, variable ${var.name}"
    if isinstance(var, QueryVariable):
        return _query_variable(var, dashboard_uid, var_where, env, templates)
    if isinstance(var, CustomVariable):
        return _custom_variable(var, var_where, templates)
    if isinstance(var, ConstantVariable):
        value = templates.render_text(var.value, var_where)
        body = {
            "current": {"text": value, "value": value},
            "hide": 2,
            "name": var.name,
            "options": [{"selected": True, "text": value, "value": value}],
            "query": value,
            "skipUrlSync": True,
            "type": "constant",
        }
        typed = TemplateVariable(var.name, "constant", None, False, False, "", var.numeric, (value,), (value,))
        return RenderedVariable(body, typed, None)
    raise DefinitionError(f"{var_where}: unknown variable kind {type(var).__name__}")


def _query_variable(
    var: QueryVariable, dashboard_uid: str, where: str, env: Environment, templates: QueryTemplates
) -> RenderedVariable:
    kind = KINDS.get(env.realtime_store if var.datasource == REALTIME else var.datasource)
    if kind is None:
        known = ", ".join([REALTIME, *KINDS])
        raise DefinitionError(f"{where}: unknown datasource kind {var.datasource!r}; use one of {known}")
    file = var.file if PurePosixPath(var.file).suffix else var.file + kind.query_suffix
    all_value = var.store_all_values.get(env.realtime_store, var.all_value)
    text = templates.render(kind.name, file, where)
    query = RenderedQuery(
        dashboard_uid, VariableOwner(var.name), var.label, kind, templates.path(kind.name, file), text, {}
    )
    body: dict[str, Any] = {
        "allowCustomValue": False,  # the values are the query's: the picker offers no typed-in value
        "datasource": {"type": kind.plugin_id, "uid": env.datasource_uids[kind.name]},
        "definition": text,
        "hide": var.hide,
        "includeAll": var.include_all,
        "label": var.label,
        "multi": var.multi,
        "name": var.name,
        "options": [],
        "query": text,
        "refresh": 2,
        "regex": "",
        "sort": var.sort,
        "type": "query",
    }
    if all_value:
        body["allValue"] = all_value
    typed = TemplateVariable(
        var.name,
        "query",
        kind.name,
        var.multi,
        var.include_all,
        all_value if var.include_all else "",
        var.numeric,
    )
    return RenderedVariable(body, typed, query)


def _custom_variable(var: CustomVariable, where: str, templates: QueryTemplates) -> RenderedVariable:
    values = [templates.render_text(v, where) for v in var.values]
    default = templates.render_text(var.default, where)
    if default and default not in values:
        raise DefinitionError(
            f"{where}: default {default!r} is not one of its values {values}; {_fix_default(var, default, templates)}"
        )
    current: dict[str, Any] = {"text": "All", "value": "$__all"} if var.include_all else {}
    chosen: tuple[str, ...] = ("$__all",) if var.include_all else ()
    if default or not var.include_all:
        pick = default or values[0]
        current = {"text": [pick], "value": [pick]} if var.multi else {"text": pick, "value": pick}
        chosen = (pick,)
    body = {
        "allowCustomValue": False,  # a fixed list: the picker offers no typed-in value
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
    typed = TemplateVariable(
        var.name, "custom", None, var.multi, var.include_all, "", var.numeric, tuple(values), chosen
    )
    return RenderedVariable(body, typed, None)


def _fix_default(var: CustomVariable, default: str, templates: QueryTemplates) -> str:
    """What to change: the definition's default, or the dash.yaml setting the default is rendered from."""
    settings = templates.settings_in(var.default)
    if not settings:
        return "make the default one of the values"
    named = " and ".join(settings)
    return (
        f"the default {var.default!r} comes from {templates.origin}: {named}; set {named} there to one of the "
        f"values, or add {default!r} to the variable's values"
    )
