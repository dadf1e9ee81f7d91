"""Rule definitions plus an environment -> the alert rules Grafana provisions, with their queries.

Each rule's datasource queries are rendered from the same query files, by the same templates, as panel queries
(and checked with them); thresholds, pending periods and windows come from the environment's
`alerts.thresholds`. The JSON is Grafana 12's alerting file-provisioning form (apiVersion 1), server-side
expressions as Grafana writes them; the link to the panel showing the watched number is the annotations
__dashboardUid__ and __panelId__ (the form both files and the HTTP API take).
"""

from __future__ import annotations

import re
from typing import Any

from core.encoding import provisioning_literal
from core.environment import Environment
from core.errors import DefinitionError
from core.model import AlertQuery, CompiledAlertGroup, CompiledAlertRule, CompiledDashboard, RenderedQuery, RuleOwner
from core.model import panel_id as make_panel_id
from dashcompiler.alerts_api import AlertRule, Duration, Math, Number, Reduce, RuleGroup, RuleQuery, Setting, Threshold
from dashcompiler.alerts_loader import GroupDefinition
from dashcompiler.api import RealtimeQuery
from dashcompiler.queries import QueryTemplates
from dashcompiler.render import realtime_target
from kinds import kind_of

EXPRESSION_UID = "__expr__"
DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}
SCHEDULER_BASE_SECONDS = 10  # Grafana's default base interval: a group's interval is a multiple of it
# Grafana's defaults for a query's model, written as it writes them.
MAX_DATA_POINTS = 43200
INTERVAL_MS = 1000


def compile_alerts(
    groups: list[GroupDefinition],
    env: Environment,
    dashboards: tuple[CompiledDashboard, ...],
    templates: QueryTemplates,
    source_of: dict[str, str],
) -> tuple[CompiledAlertGroup, ...]:
    """Every group for ``env``; ``source_of`` is each definition file as messages write it."""
    if not groups:
        return ()
    if env.alerts is None:
        raise DefinitionError(
            f"environment {env.name!r} has no alerts block in dash.yaml, but alerts/ defines rules; add one with "
            "the thresholds the rules read (see README, 'Alert rules')"
        )
    boards = {b.uid: b for b in dashboards}
    out = []
    for definition in groups:
        source = source_of[str(definition.source)]
        out.append(_group(definition.group, source, env, boards, templates))
    return tuple(out)


def _group(
    group: RuleGroup, source: str, env: Environment, boards: dict[str, CompiledDashboard], templates: QueryTemplates
) -> CompiledAlertGroup:
    where = f"{source}: rule group {group.name!r}"
    if group.folder not in env.folders:
        raise DefinitionError(
            f"{where}: folder {group.folder!r} is not in environment {env.name!r} (dash.yaml folders: "
            f"{', '.join(sorted(env.folders))})"
        )
    seconds = duration_seconds(group.interval, f"{where}: interval")
    if seconds <= 0 or seconds % SCHEDULER_BASE_SECONDS:
        raise DefinitionError(
            f"{where}: interval {group.interval!r} must be a positive multiple of {SCHEDULER_BASE_SECONDS}s "
            "(Grafana's scheduler base interval)"
        )
    rules = tuple(_rule(r, f"{source}: alert rule {r.uid!r}", source, env, boards, templates) for r in group.rules)
    return CompiledAlertGroup(group.name, group.folder, env.folders[group.folder], group.interval, rules)


def _rule(
    rule: AlertRule,
    where: str,
    source: str,
    env: Environment,
    boards: dict[str, CompiledDashboard],
    templates: QueryTemplates,
) -> CompiledAlertRule:
    board_uid, panel_key = rule.panel
    board = boards.get(board_uid)
    if board is None:
        raise DefinitionError(f"{where}: panel names dashboard {board_uid!r}; known: {', '.join(sorted(boards))}")
    if panel_key not in (key for key, _ in board.panels):
        raise DefinitionError(
            f"{where}: panel names {panel_key!r}, not a panel of dashboard {board_uid!r} "
            f"(keys: {', '.join(sorted(key for key, _ in board.panels))})"
        )
    queries = tuple(_query(q, rule, where, env, templates, board_uid) for q in rule.queries)
    data: list[dict[str, Any]] = [
        {
            "refId": query.ref_id,
            "relativeTimeRange": {"from": query.from_seconds, "to": query.to_seconds},
            "datasourceUid": env.datasource_uids[query.query.kind.name],
            "model": _model(written, env, templates, where),
        }
        for written, query in zip(rule.queries, queries, strict=True)
    ]
    data.extend(_expression(e, where, env) for e in rule.expressions)
    body: dict[str, Any] = {
        "uid": rule.uid,
        "title": provisioning_literal(rule.title),
        "condition": rule.condition,
        "data": data,
        "for": _duration(rule.pending, f"{where}: pending", env),
        "noDataState": rule.no_data,
        "execErrState": rule.exec_err,
        "labels": {provisioning_literal(k): provisioning_literal(v) for k, v in sorted(rule.labels.items())},
        "annotations": _annotations(rule, board_uid, panel_key),
        "isPaused": False,
    }
    if rule.keep_firing:
        body["keepFiringFor"] = _duration(rule.keep_firing, f"{where}: keep_firing", env)
    return CompiledAlertRule(rule.uid, rule.title, source, body, queries, board_uid, panel_key)


def _annotations(rule: AlertRule, board_uid: str, panel_key: str) -> dict[str, str]:
    """Grafana 12 expands no variable in annotations, so they are written as they are."""
    notes = {
        "summary": rule.summary,
        "runbook": rule.runbook,
        "__dashboardUid__": board_uid,
        "__panelId__": str(make_panel_id(panel_key)),
    }
    if rule.description:
        notes["description"] = rule.description
    return notes


def _query(
    written: RuleQuery, rule: AlertRule, where: str, env: Environment, templates: QueryTemplates, board_uid: str
) -> AlertQuery:
    query = realtime_target(written.query, env, "") if isinstance(written.query, RealtimeQuery) else written.query
    kind = kind_of(query)
    text = templates.render(kind.name, query.file, where)
    rendered = RenderedQuery(
        board_uid,
        RuleOwner(rule.uid),
        rule.title,
        kind,
        templates.path(kind.name, query.file),
        text,
        query.macro_fields(),
        None,
        env.timezone,
    )
    window = duration_seconds(_duration(written.window, f"{where}: window of {query.ref_id}", env), where)
    if window <= 0:
        raise DefinitionError(f"{where}: query {query.ref_id} reads a window of 0s; give it a window such as 5m")
    return AlertQuery(query.ref_id, rendered, window)


def _model(written: RuleQuery, env: Environment, templates: QueryTemplates, where: str) -> dict[str, Any]:
    """The datasource's own target JSON, as a panel carries it, with the defaults Grafana writes for alerting."""
    query = realtime_target(written.query, env, "") if isinstance(written.query, RealtimeQuery) else written.query
    kind = kind_of(query)
    text = templates.render(kind.name, query.file, where)
    target = query.target(text, {"type": kind.plugin_id, "uid": env.datasource_uids[kind.name]})
    return {**target, "intervalMs": INTERVAL_MS, "maxDataPoints": MAX_DATA_POINTS}


def _expression(expression: Reduce | Threshold | Math, where: str, env: Environment) -> dict[str, Any]:
    model: dict[str, Any] = {
        "datasource": {"type": EXPRESSION_UID, "uid": EXPRESSION_UID},
        "refId": expression.ref_id,
    }
    if isinstance(expression, Reduce):
        settings: dict[str, Any] = {"mode": expression.mode}
        if expression.replace_with is not None:
            settings["replaceWithValue"] = expression.replace_with
        model.update(type="reduce", expression=expression.input, reducer=expression.reducer, settings=settings)
    elif isinstance(expression, Threshold):
        at = f"{where}: threshold {expression.ref_id!r}"
        params = [number(expression.value, at, env)]
        if expression.value2 is not None:
            params.append(number(expression.value2, at, env))
        condition: dict[str, Any] = {"evaluator": {"params": params, "type": expression.op}}
        if expression.recover is not None:
            # Grafana's recovery threshold: the instance resolves only once the value is back across it.
            back = {"gt": "lt", "gte": "lt", "lt": "gt", "lte": "gt"}[expression.op]
            condition["unloadEvaluator"] = {"params": [number(expression.recover, at, env)], "type": back}
        model.update(type="threshold", expression=expression.input, conditions=[condition])
    else:
        model.update(type="math", expression=expression.expression)
    return {
        "refId": expression.ref_id,
        "relativeTimeRange": {"from": 0, "to": 0},
        "datasourceUid": EXPRESSION_UID,
        "model": model,
    }


def setting_value(setting: Setting, where: str, env: Environment) -> Any:
    """The raw value of ``setting`` in the environment's alerts.thresholds."""
    assert env.alerts is not None, "compile_alerts requires the block"
    if setting.name not in env.alerts.thresholds:
        known = ", ".join(sorted(env.alerts.thresholds)) or "none"
        raise DefinitionError(
            f"{where}: reads alerts.thresholds.{setting.name}, which environment {env.name!r} does not set in "
            f"dash.yaml (set: {known}); add it"
        )
    return env.alerts.thresholds[setting.name]


def number(value: Number, where: str, env: Environment) -> int | float:
    """A threshold: a number written in the definition or set in dash.yaml; anything else names the rule."""
    shown = f"alerts.thresholds.{value.name} of environment {env.name!r}" if isinstance(value, Setting) else "it"
    raw = setting_value(value, where, env) if isinstance(value, Setting) else value
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
        raise DefinitionError(f"{where}: the threshold must be a number, but {shown} is {raw!r}; write a number")
    return raw


def _duration(value: Duration, where: str, env: Environment) -> str:
    """A duration as Grafana writes it ("5m"): written so, or a whole number of the Setting's unit."""
    if not isinstance(value, Setting):
        duration_seconds(value, where)
        return value
    raw = setting_value(value, where, env)
    if value.unit not in UNIT_SECONDS:
        raise DefinitionError(f"{where}: Setting({value.name!r}) needs a unit (s, m or h) to be a duration")
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise DefinitionError(
            f"{where}: alerts.thresholds.{value.name} of environment {env.name!r} must be a whole number of "
            f"{ {'s': 'seconds', 'm': 'minutes', 'h': 'hours'}[value.unit] }, not {raw!r}"
        )
    return f"{raw}{value.unit}"


def duration_seconds(text: str, where: str) -> int:
    """Seconds of a duration such as 1h30m, 5m, 90s, 0s."""
    match = DURATION.match(text)
    if not text or match is None:
        raise DefinitionError(f"{where}: duration {text!r} must be written like 90s, 5m or 1h30m")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds
