"""Carry out an alerting plan: folders, contact points, the policy tree (it names contact points), rule groups, then
rules one by one (so unchanged rules are not written), then prunes.

A new group is written with one group PUT (the only write that sets a new group's interval; POST ignores it), an
existing group's changed interval with a group PUT without rules (which leaves its rules as they are). Writes are
safe to retry as in apply.py: a create whose answer was lost comes back as a 400 "already exists" on the retry, and
is then checked against the live object instead of being reported as a failure.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from core.errors import GrafanaUnavailable
from grafana_sync.alerting_bundle import set_path
from grafana_sync.alerting_normalize import REDACTED, normalise_rule, with_rule_hash
from grafana_sync.alerting_plan import (
    CONTACT_POINTS_PATH,
    POINT_LIST,
    POLICIES_PATH,
    RULES_PATH,
    AlertPlan,
    ContactPointStep,
    GroupStep,
    RuleStep,
    point_step,
)
from grafana_sync.apply import Outcome, write_folder
from grafana_sync.connection import OBJECT, Grafana, describe, refusal, status_of
from grafana_sync.plan import Scope

NOT_WRITTEN = {"changed-in-grafana": "skipped", "provisioned": "failed", "not-in-repository": "not-in-repository"}


def apply_alert_plan(grafana: Grafana, plan: AlertPlan, secure: Mapping[str, Mapping[str, str]]) -> list[Outcome]:
    """secure: contact point uid -> dotted setting path -> value, for the settings the plan sends."""
    outcomes = [write_folder(grafana, step) for step in plan.folders]
    broken = {o.uid for o in outcomes if o.result == "failed"}
    outcomes += [_contact_point(grafana, step, secure.get(step.point.uid, {})) for step in plan.contact_points]
    if plan.policy is not None:
        outcomes.append(_policy(grafana, plan))
    new_groups = {(g.folder_uid, g.group.name) for g in plan.groups if g.op == "create"}
    rules = {step.uid: step for step in plan.rules}
    for group in plan.groups:
        if group.folder_uid in broken:
            outcomes += [
                _outcome(s, "failed", f"folder {group.folder_uid!r} could not be written")
                for s in plan.rules
                if s.where == f"{group.folder_uid}/{group.group.name}" and s.op in ("create", "update")
            ]
        elif group.op != "unchanged":
            outcomes += _group(grafana, group, [rules[r.uid] for r in group.group.rules])
    for step in plan.rules:
        folder, _, name = step.where.partition("/")
        if folder in broken or (step.op == "create" and (folder, name) in new_groups):
            continue  # written with its group above
        outcomes.append(_rule(grafana, step))
    return outcomes


def _outcome(step: RuleStep, result: str, detail: str = "") -> Outcome:
    return Outcome("alert rule", step.uid, step.title, result, detail or step.reason)


def _group(grafana: Grafana, group: GroupStep, steps: list[RuleStep]) -> list[Outcome]:
    """A new group with its new rules, or an existing group's interval alone."""
    path = f"/v1/provisioning/folder/{group.folder_uid}/rule-groups/{group.group.name}"
    what = f"PUT /api{path}"
    body: dict[str, Any] = {"title": group.group.name, "folderUid": group.folder_uid, "interval": group.group.interval}
    written = [s for s in steps if s.op == "create"] if group.op == "create" else []
    if group.op == "create":
        body["rules"] = [with_rule_hash(s.body or {}) for s in written]
    try:
        grafana.call(what, lambda api: api.client.PUT(path, json=body), OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        return [_outcome(s, "failed", f"{what}: {describe(exc)}") for s in written] or [
            Outcome("rule group", group.group.name, group.group.name, "failed", f"{what}: {describe(exc)}")
        ]
    return [_outcome(s, "created") for s in written]


def _rule(grafana: Grafana, step: RuleStep) -> Outcome:
    if step.op in NOT_WRITTEN:
        return _outcome(step, NOT_WRITTEN[step.op])
    if step.op == "unchanged":
        return _outcome(step, "unchanged")
    if step.op == "delete":
        return _delete(
            grafana, f"{RULES_PATH}/{step.uid}", lambda d: _outcome(step, "deleted" if not d else "failed", d)
        )
    assert step.body is not None, "create and update steps carry the rule's body"
    body = with_rule_hash(step.body)
    failure = _write(grafana, step.op, RULES_PATH, step.uid, body, lambda: _rule_landed(grafana, step))
    if failure:
        return _outcome(step, "failed", failure)
    return _outcome(step, "created" if step.op == "create" else "updated")


def _write(
    grafana: Grafana, op: str, collection: str, uid: str, body: Mapping[str, Any], landed: Callable[[], bool]
) -> str:
    """POST a new object or PUT an existing one: what failed, or "" when written (a refused create counts as
    written when ``landed`` finds an earlier attempt's, whose answer was lost)."""
    if op == "create":
        what, call = f"POST /api{collection}", lambda api: api.client.POST(collection, json=body)
    else:
        path = f"{collection}/{uid}"
        what, call = f"PUT /api{path}", lambda api: api.client.PUT(path, json=body)
    try:
        grafana.call(what, call, OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        if not (op == "create" and status_of(exc) in (400, 409) and landed()):
            return f"{what}: {describe(exc)}"
    return ""


def _rule_landed(grafana: Grafana, step: RuleStep) -> bool:
    """After a refused create: did an earlier attempt (whose answer was lost) write this very rule?"""
    path = f"{RULES_PATH}/{step.uid}"
    try:
        live = grafana.call(f"GET /api{path}", lambda api: api.client.GET(path), OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception:
        return False
    return normalise_rule(live) == normalise_rule(step.body or {})


def _delete(grafana: Grafana, path: str, outcome: Callable[[str], Outcome]) -> Outcome:
    """DELETE without X-Disable-Provenance (a rule `dash push` wrote has provenance api); 404: already gone."""
    what = f"DELETE /api{path}"
    try:
        answer = grafana.call(what, lambda api: api.client.DELETE(path))
        if answer is not None and not isinstance(answer, dict):  # Grafana answers 204 without a body
            raise grafana.not_grafana(what)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        if status_of(exc) != 404:
            return outcome(f"{what}: {describe(exc)}")
    return outcome("")


def _contact_point(grafana: Grafana, step: ContactPointStep, secure: Mapping[str, str]) -> Outcome:
    point = step.point
    if step.op in NOT_WRITTEN:
        return Outcome("contact point", point.uid, point.name, NOT_WRITTEN[step.op], step.reason)
    if step.op == "unchanged":
        return Outcome("contact point", point.uid, point.name, "unchanged")
    settings = copy.deepcopy(point.settings)
    for path in point.secure_refs:  # a secret Grafana holds and the push does not resend is kept as stored
        set_path(settings, path, secure[path] if path in step.resend else REDACTED)
    body = {
        "uid": point.uid,
        "name": point.name,
        "type": point.type,
        "settings": settings,
        "disableResolveMessage": point.disable_resolve_message,
    }
    failure = _write(grafana, step.op, CONTACT_POINTS_PATH, point.uid, body, lambda: _point_landed(grafana, step))
    if failure:
        return Outcome("contact point", point.uid, point.name, "failed", failure)
    return Outcome("contact point", point.uid, point.name, "created" if step.op == "create" else "updated")


def _point_landed(grafana: Grafana, step: ContactPointStep) -> bool:
    """After a refused create: is this contact point in Grafana as built (a lost answer's retry)?"""
    try:
        listed = grafana.call(
            f"GET /api{CONTACT_POINTS_PATH}", lambda api: api.client.GET(CONTACT_POINTS_PATH), POINT_LIST
        )
    except GrafanaUnavailable:
        raise
    except Exception:
        return False
    live = next((p for p in listed if p.get("uid") == step.point.uid), None)
    return live is not None and point_step(step.point, live, Scope()).op == "unchanged"


def _policy(grafana: Grafana, plan: AlertPlan) -> Outcome:
    step = plan.policy
    assert step is not None, "called only when the bundle provisions the tree"
    receiver = str(step.route.get("receiver", ""))
    if step.op in NOT_WRITTEN:
        return Outcome("policy tree", "policies", receiver, NOT_WRITTEN[step.op], step.reason)
    if step.op == "unchanged":
        return Outcome("policy tree", "policies", receiver, "unchanged")
    what = f"PUT /api{POLICIES_PATH}"
    try:
        grafana.call(what, lambda api: api.client.PUT(POLICIES_PATH, json=step.route), OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        return Outcome("policy tree", "policies", receiver, "failed", f"{what}: {describe(exc)}")
    return Outcome("policy tree", "policies", receiver, "updated", step.reason)
