"""Load alerts/*.py and check the rule definitions before anything is rendered.

Each module defines GROUPS (a sequence of dashcompiler.alerts_api.RuleGroup); modules whose names start with "_"
are shared helpers. Everything wrong with a rule that needs no environment is found here, naming the rule: a uid
Grafana refuses or two rules sharing one, refIds used twice, an expression or the condition naming a refId that
no query or expression has, an expression that depends on itself, an unknown reducer, mode, comparison or state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import DefinitionError
from dashcompiler.alerts_api import AlertRule, Math, Reduce, RuleGroup, Threshold
from dashcompiler.definition_loader import import_definition, isolate

RULE_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")  # Grafana's rule uid
REF_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MATH_REF = re.compile(r"\$\{?([A-Za-z][A-Za-z0-9_]*)\}?")
REDUCERS = ("sum", "mean", "min", "max", "count", "last", "median")
MODES = ("", "dropNN", "replaceNN")
ONE_PARAMETER = ("gt", "lt", "eq", "ne", "gte", "lte")
TWO_PARAMETERS = ("within_range", "outside_range", "within_range_included", "outside_range_included")
NO_DATA_STATES = ("NoData", "Alerting", "OK", "KeepLast")
ERROR_STATES = ("Error", "Alerting", "OK", "KeepLast")


@dataclass(frozen=True)
class GroupDefinition:
    group: RuleGroup
    source: Path


def load_rule_groups(alerts_dir: Path) -> list[GroupDefinition]:
    """Every rule group of alerts/*.py in file-name order, checked; none when the project has no alerts/."""
    if not alerts_dir.is_dir():
        return []
    isolate(alerts_dir)
    found: list[GroupDefinition] = []
    for path in sorted(alerts_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        groups = getattr(import_definition(path), "GROUPS", None)
        if not isinstance(groups, list | tuple) or not all(isinstance(g, RuleGroup) for g in groups):
            raise DefinitionError(f"{path}: define GROUPS = (RuleGroup(...), ...)")
        found.extend(GroupDefinition(g, path) for g in groups)
    check_rule_groups(found)
    return found


def check_rule_groups(groups: list[GroupDefinition]) -> None:
    """Uids unique across all groups, names unique per folder, and each rule well formed."""
    uids: dict[str, str] = {}
    names: set[tuple[str, str]] = set()
    for definition in groups:
        group = definition.group
        where = f"{definition.source}: rule group {group.name!r}"
        if not group.name.strip() or len(group.name) > 190:
            raise DefinitionError(f"{where}: a group name is 1 to 190 characters")
        if (group.folder, group.name) in names:
            raise DefinitionError(f"{where}: another group of folder {group.folder!r} has this name")
        names.add((group.folder, group.name))
        if not group.rules:
            raise DefinitionError(f"{where}: has no rules")
        for rule in group.rules:
            rule_where = f"{definition.source}: alert rule {rule.uid!r}"
            if not RULE_UID.match(rule.uid):
                raise DefinitionError(
                    f"{rule_where}: uid must be 1 to 40 letters, digits, _ or - (Grafana refuses others)"
                )
            if rule.uid in uids:
                raise DefinitionError(f"{rule_where}: uid already used by {uids[rule.uid]}; rule uids must be unique")
            uids[rule.uid] = str(definition.source)
            check_rule(rule, rule_where)


def check_rule(rule: AlertRule, where: str) -> None:
    """One rule's refIds, expressions, condition and states."""
    if not rule.title.strip() or len(rule.title) > 190:
        raise DefinitionError(f"{where}: a title is 1 to 190 characters")
    if not rule.queries:
        raise DefinitionError(f"{where}: has no query; a rule needs at least one datasource query")
    refs = [q.query.ref_id for q in rule.queries] + [e.ref_id for e in rule.expressions]
    for ref in refs:
        if not REF_ID.match(ref):
            raise DefinitionError(f"{where}: refId {ref!r} must be a letter, then letters, digits or _")
        if refs.count(ref) > 1:
            raise DefinitionError(f"{where}: refId {ref!r} is used twice; give each query and expression its own")
    known = set(refs)
    for expression in rule.expressions:
        inputs = _inputs(expression)
        if not inputs:
            raise DefinitionError(f"{where}: math expression {expression.ref_id!r} names no refId ($A)")
        for name in inputs:
            if name not in known:
                raise DefinitionError(
                    f"{where}: expression {expression.ref_id!r} reads {name!r}, which is not a refId of this rule "
                    f"(refIds: {', '.join(refs)})"
                )
        _check_expression(expression, where)
    if rule.condition not in known:
        raise DefinitionError(
            f"{where}: condition {rule.condition!r} is not a refId of this rule (refIds: {', '.join(refs)}); "
            "name the expression whose result decides the state"
        )
    _check_acyclic(rule, where)
    if rule.no_data not in NO_DATA_STATES:
        raise DefinitionError(f"{where}: no_data {rule.no_data!r}; use one of {', '.join(NO_DATA_STATES)}")
    if rule.exec_err not in ERROR_STATES:
        raise DefinitionError(f"{where}: exec_err {rule.exec_err!r}; use one of {', '.join(ERROR_STATES)}")
    if not rule.summary.strip() or not rule.runbook.strip():
        raise DefinitionError(f"{where}: give it a summary and a runbook note (what to check first)")


def _inputs(expression: Reduce | Threshold | Math) -> list[str]:
    if isinstance(expression, Math):
        return MATH_REF.findall(expression.expression)
    return [expression.input.removeprefix("$")]


def _check_expression(expression: Reduce | Threshold | Math, where: str) -> None:
    at = f"{where}: expression {expression.ref_id!r}"
    if isinstance(expression, Reduce):
        if expression.reducer not in REDUCERS:
            raise DefinitionError(f"{at}: reducer {expression.reducer!r}; use one of {', '.join(REDUCERS)}")
        if expression.mode not in MODES:
            raise DefinitionError(f"{at}: mode {expression.mode!r}; use '' (strict), dropNN or replaceNN")
        if (expression.mode == "replaceNN") != (expression.replace_with is not None):
            raise DefinitionError(f"{at}: replace_with goes with mode replaceNN, and only with it")
    elif isinstance(expression, Threshold):
        if expression.op not in ONE_PARAMETER + TWO_PARAMETERS:
            raise DefinitionError(
                f"{at}: comparison {expression.op!r}; use one of {', '.join(ONE_PARAMETER + TWO_PARAMETERS)}"
            )
        if (expression.op in TWO_PARAMETERS) != (expression.value2 is not None):
            raise DefinitionError(f"{at}: {expression.op} takes {2 if expression.op in TWO_PARAMETERS else 1} value(s)")
        if expression.recover is not None and expression.op not in ("gt", "lt", "gte", "lte"):
            raise DefinitionError(f"{at}: a recovery threshold applies to gt, lt, gte and lte only")


def _check_acyclic(rule: AlertRule, where: str) -> None:
    """Grafana runs expressions in dependency order; a cycle has none."""
    edges = {e.ref_id: set(_inputs(e)) for e in rule.expressions}
    done: set[str] = set()

    def visit(ref: str, path: tuple[str, ...]) -> None:
        if ref in path:
            raise DefinitionError(f"{where}: expressions depend on themselves: {' -> '.join((*path, ref))}")
        if ref in done:
            return
        for name in edges.get(ref, ()):
            visit(name, (*path, ref))
        done.add(ref)

    for ref in edges:
        visit(ref, ())
