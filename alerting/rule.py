"""A rule group as Grafana's alerting file provisioning writes it (``apiVersion: 1``), read into typed values.

Followed: grafana/grafana pkg/services/provisioning/alerting/rules_types.go (the file keys: ``for``,
``keepFiringFor``, ``missing_series_evals_to_resolve``, ``noDataState``, ``execErrState``, empty states' defaults)
and pkg/services/ngalert/models/alert_rule.go (NoData | Alerting | OK | KeepLast; Error | Alerting | OK | KeepLast).
Every refusal names the rule and the key, as ``dash alerts test`` shows it to the person who wrote the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alerting.expressions import (
    REDUCERS,
    ClassicCondition,
    Evaluator,
    ExpressionError,
    Mode,
    classic_evaluator,
    referenced,
)

EXPRESSION_UIDS = ("__expr__", "-100")
NO_DATA_STATES = ("NoData", "Alerting", "OK", "KeepLast")
EXEC_ERR_STATES = ("Error", "Alerting", "OK", "KeepLast")
DEFAULT_MISSING_SERIES_EVALS = 2
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


class RuleError(ValueError):
    """A rule or group Grafana would refuse, or one this evaluator cannot read; the message names it."""


def duration_s(text: Any, where: str) -> float:
    """A Prometheus duration ("5m", "1h30m", "90s"; empty is 0) in seconds."""
    if text in (None, "", 0):
        return 0.0
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    value = str(text).strip()
    if not re.fullmatch(r"(?:\d+(?:ms|s|m|h|d|w|y))+", value):
        raise RuleError(f"{where}: {value!r} is not a duration; write e.g. 1m, 5m, 1h30m")
    return sum(int(n) * _UNIT_S[unit] for n, unit in _DURATION.findall(value))


@dataclass(frozen=True)
class DataQuery:
    """A datasource query of a rule: what runs at each evaluation over [now - from, now - to]."""

    ref_id: str
    datasource_uid: str
    from_s: int
    to_s: int
    model: Mapping[str, Any]


@dataclass(frozen=True)
class Reduce:
    ref_id: str
    input: str
    reducer: str
    mode: Mode


@dataclass(frozen=True)
class Threshold:
    ref_id: str
    input: str
    evaluator: Evaluator
    unload: Evaluator | None


@dataclass(frozen=True)
class Math:
    ref_id: str
    expression: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Classic:
    ref_id: str
    conditions: tuple[ClassicCondition, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.ref_id for c in self.conditions))


Expression = Reduce | Threshold | Math | Classic


def inputs_of(node: Expression) -> tuple[str, ...]:
    return node.inputs if isinstance(node, Math | Classic) else (node.input,)


@dataclass(frozen=True)
class AlertRule:
    """One Grafana-managed alert rule, as evaluated: its queries and expressions in dependency order."""

    uid: str
    title: str
    condition: str
    queries: tuple[DataQuery, ...]
    expressions: tuple[Expression, ...]  # dependency order: each reads only queries and earlier expressions
    for_s: float
    keep_firing_for_s: float
    no_data_state: str
    exec_err_state: str
    missing_series_evals: int
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    is_paused: bool = False

    def query(self, ref_id: str) -> DataQuery:
        return next(q for q in self.queries if q.ref_id == ref_id)


@dataclass(frozen=True)
class RuleGroup:
    """A group: its rules run together at each interval, with the same evaluation time."""

    name: str
    folder: str
    interval_s: float
    rules: tuple[AlertRule, ...]


def _ref(value: Any, where: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise RuleError(f"{where}: names no input (expression is empty)")
    return text[1:] if text.startswith("$") else text


def _params(raw: Any, where: str) -> tuple[float, ...]:
    if not isinstance(raw, list):
        raise RuleError(f"{where}: params must be a list of numbers, got {raw!r}")
    try:
        return tuple(float(p) for p in raw)
    except (TypeError, ValueError):
        raise RuleError(f"{where}: params must be numbers, got {raw!r}") from None


def _evaluator(raw: Any, where: str) -> Evaluator:
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: must be an object {{type, params}}")
    try:
        return Evaluator(str(raw.get("type", "")), _params(raw.get("params"), f"{where}.params")).check(where)
    except ExpressionError as exc:
        raise RuleError(str(exc)) from None


def _expression(ref_id: str, model: Mapping[str, Any], where: str) -> Expression:
    kind = model.get("type")
    if kind == "reduce":
        reducer = str(model.get("reducer", "")).lower()
        if reducer not in REDUCERS:
            raise RuleError(f"{where}: reducer {model.get('reducer')!r} is not one of {', '.join(REDUCERS)}")
        settings = model.get("settings") or {}
        name = str(settings.get("mode", "") or "")
        if name not in ("", "dropNN", "replaceNN"):
            raise RuleError(f"{where}: settings.mode {name!r} is not dropNN or replaceNN (or absent, strict)")
        replace = settings.get("replaceWithValue", 0) if name == "replaceNN" else 0
        return Reduce(ref_id, _ref(model.get("expression"), where), reducer, Mode(name, float(replace)))
    if kind == "threshold":
        conditions = model.get("conditions")
        if not isinstance(conditions, list) or len(conditions) != 1:
            raise RuleError(f"{where}: a threshold expression needs exactly one condition")
        first = conditions[0]
        unload = first.get("unloadEvaluator")
        return Threshold(
            ref_id,
            _ref(model.get("expression"), where),
            _evaluator(first.get("evaluator"), f"{where}.conditions[0].evaluator"),
            _evaluator(unload, f"{where}.conditions[0].unloadEvaluator") if unload else None,
        )
    if kind == "math":
        expression = str(model.get("expression", ""))
        try:
            inputs = referenced(expression)
        except ExpressionError as exc:
            raise RuleError(f"{where}: {exc}") from None
        return Math(ref_id, expression, inputs)
    if kind == "classic_conditions":
        return Classic(
            ref_id, tuple(_classic(c, f"{where}.conditions[{i}]") for i, c in enumerate(model.get("conditions") or []))
        )
    raise RuleError(
        f"{where}: expression type {kind!r} is not evaluated here (reduce, threshold, math, classic_conditions)"
    )


def _classic(raw: Mapping[str, Any], where: str) -> ClassicCondition:
    query = (raw.get("query") or {}).get("params") or []
    evaluator = raw.get("evaluator") or {}
    try:
        checked = classic_evaluator(str(evaluator.get("type", "")), _params(evaluator.get("params", []), where), where)
    except ExpressionError as exc:
        raise RuleError(str(exc)) from None
    return ClassicCondition(
        _ref(query[0] if query else "", where),
        str((raw.get("reducer") or {}).get("type", "last")),
        checked,
        str((raw.get("operator") or {}).get("type", "and")),
    )


def _ordered(nodes: dict[str, Expression], queries: set[str], where: str) -> tuple[Expression, ...]:
    """Expressions in dependency order; a missing input or a cycle is an error naming it."""
    done: list[Expression] = []
    seen: set[str] = set(queries)
    visiting: set[str] = set()

    def visit(ref_id: str, chain: tuple[str, ...]) -> None:
        if ref_id in seen:
            return
        if ref_id not in nodes:
            raise RuleError(f"{where}: {chain[-1]} reads {ref_id}, which is no query or expression of the rule")
        if ref_id in visiting:
            raise RuleError(f"{where}: expressions read each other in a cycle: {' -> '.join((*chain, ref_id))}")
        visiting.add(ref_id)
        for needed in inputs_of(nodes[ref_id]):
            visit(needed, (*chain, ref_id))
        visiting.discard(ref_id)
        seen.add(ref_id)
        done.append(nodes[ref_id])

    for ref_id in nodes:
        visit(ref_id, (ref_id,))
    return tuple(done)


def parse_rule(raw: Mapping[str, Any], group: str = "") -> AlertRule:
    """One rule from its file-provisioning form."""
    uid = str(raw.get("uid") or "")
    where = f"rule {uid or raw.get('title') or '?'}" + (f" (group {group})" if group else "")
    queries: list[DataQuery] = []
    nodes: dict[str, Expression] = {}
    for index, item in enumerate(raw.get("data") or []):
        ref_id = str(item.get("refId") or "")
        at = f"{where}, data[{index}] {ref_id}"
        if not ref_id:
            raise RuleError(f"{where}, data[{index}]: has no refId")
        if ref_id in nodes or any(q.ref_id == ref_id for q in queries):
            raise RuleError(f"{at}: refId {ref_id} is used twice")
        model = item.get("model") or {}
        if str(item.get("datasourceUid")) in EXPRESSION_UIDS:
            nodes[ref_id] = _expression(ref_id, model, at)
            continue
        span = item.get("relativeTimeRange") or {}
        from_s, to_s = span.get("from", 0), span.get("to", 0)
        if not isinstance(from_s, int) or not isinstance(to_s, int) or from_s <= to_s:
            raise RuleError(f"{at}: relativeTimeRange must be integer seconds with from > to, got {dict(span)}")
        queries.append(DataQuery(ref_id, str(item.get("datasourceUid") or ""), from_s, to_s, model))
    condition = str(raw.get("condition") or "")
    known = {q.ref_id for q in queries} | set(nodes)
    if condition not in known:
        raise RuleError(f"{where}: condition {condition!r} names no refId of the rule ({', '.join(sorted(known))})")
    no_data = str(raw.get("noDataState") or "NoData")
    exec_err = str(raw.get("execErrState") or "Alerting")
    if no_data not in NO_DATA_STATES:
        raise RuleError(f"{where}: noDataState {no_data!r} is not one of {', '.join(NO_DATA_STATES)}")
    if exec_err not in EXEC_ERR_STATES:
        raise RuleError(f"{where}: execErrState {exec_err!r} is not one of {', '.join(EXEC_ERR_STATES)}")
    missing = raw.get("missing_series_evals_to_resolve")
    return AlertRule(
        uid=uid,
        title=str(raw.get("title") or uid),
        condition=condition,
        queries=tuple(queries),
        expressions=_ordered(nodes, {q.ref_id for q in queries}, where),
        for_s=duration_s(raw.get("for"), f"{where}: for"),
        keep_firing_for_s=duration_s(raw.get("keepFiringFor"), f"{where}: keepFiringFor"),
        no_data_state=no_data,
        exec_err_state=exec_err,
        missing_series_evals=int(missing) if missing else DEFAULT_MISSING_SERIES_EVALS,
        labels={str(k): str(v) for k, v in (raw.get("labels") or {}).items()},
        annotations={str(k): str(v) for k, v in (raw.get("annotations") or {}).items()},
        is_paused=bool(raw.get("isPaused", False)),
    )


def parse_groups(document: Mapping[str, Any], where: str = "rules") -> tuple[RuleGroup, ...]:
    """Every group of a provisioning document (``apiVersion: 1``, ``groups: [...]``)."""
    groups = []
    for index, raw in enumerate(document.get("groups") or []):
        name = str(raw.get("name") or "")
        if not name:
            raise RuleError(f"{where}: groups[{index}] has no name")
        interval = duration_s(raw.get("interval"), f"{where}: group {name}: interval")
        if interval <= 0:
            raise RuleError(f"{where}: group {name}: interval must be a positive duration such as 1m")
        rules = tuple(parse_rule(rule, name) for rule in raw.get("rules") or [])
        groups.append(RuleGroup(name, str(raw.get("folder") or ""), interval, rules))
    return tuple(groups)


def select_rules(groups: Sequence[RuleGroup], uids: Sequence[str]) -> tuple[RuleGroup, ...]:
    """Only the rules ``uids`` (all with none); an unknown uid is an error naming the ones there are."""
    if not uids:
        return tuple(groups)
    known = {rule.uid for group in groups for rule in group.rules}
    unknown = [uid for uid in uids if uid not in known]
    if unknown:
        raise RuleError(f"no rule {', '.join(unknown)}; the rules are: {', '.join(sorted(known)) or 'none'}")
    kept = []
    for group in groups:
        rules = tuple(r for r in group.rules if r.uid in uids)
        if rules:
            kept.append(RuleGroup(group.name, group.folder, group.interval_s, rules))
    return tuple(kept)
