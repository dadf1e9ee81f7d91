"""Read Grafana's alerting state (rules, their groups and folders, contact points, the policy tree) and decide, per
object, what a push would do: the same guarantees as dashboards (plan.py).

Reading costs one GET for every rule, one per existing managed group (its interval), one for contact points, one for
the policy tree, and one folder listing when a rule group names a folder the bundle's dashboards do not.
Rules, contact points and the policy tree that `dash push` writes carry provenance `api`: Grafana's UI shows them
read-only, as the Terraform provider's are, so the repository stays their one source.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from typing import Any

from core.errors import GrafanaUnavailable
from grafana_sync.alerting_bundle import SECURE_SETTINGS, AlertingBundle, AlertRule, ContactPoint, RuleGroup
from grafana_sync.alerting_normalize import (
    PUSH_HASH_ANNOTATION,
    REDACTED,
    differences,
    normalise_route,
    normalise_rule,
    pushed_unchanged,
)
from grafana_sync.bundle import Folder
from grafana_sync.connection import Grafana, Shape, refusal, status_of
from grafana_sync.plan import FolderStep, Scope

RULES_PATH = "/v1/provisioning/alert-rules"
CONTACT_POINTS_PATH = "/v1/provisioning/contact-points"
POLICIES_PATH = "/v1/provisioning/policies"
RULE_LIST = Shape(list, (("uid", str),))
POINT_LIST = Shape(list, (("type", str),))
FOLDER_LIST = Shape(list, (("uid", str), ("title", str)))
GROUP = Shape(dict, (("interval", int),))
ROUTE = Shape(dict, (("receiver", str),))  # the root of a policy tree always names its receiver
DEFAULT_RECEIVER = "grafana-default-email"  # the receiver of the tree a new Grafana starts with
PROVISIONED = "provisioned from files in Grafana; the API cannot change it (update the provisioning files instead)"


@dataclass(frozen=True)
class GroupStep:
    group: RuleGroup
    folder_uid: str
    op: str  # create | update (interval) | unchanged
    live_interval: int | None = None


@dataclass(frozen=True)
class RuleStep:
    uid: str
    title: str
    where: str  # folder uid / group name
    op: str  # create | update | unchanged | changed-in-grafana | provisioned | delete | not-in-repository
    rule: AlertRule | None = None
    body: dict[str, Any] | None = None  # the API body with orgID, folderUID and ruleGroup
    changes: tuple[tuple[str, Any, Any], ...] = ()  # (path, live, built)
    reason: str = ""


@dataclass(frozen=True)
class ContactPointStep:
    point: ContactPoint
    op: str  # create | update | unchanged | changed-in-grafana | provisioned
    changes: tuple[tuple[str, Any, Any], ...] = ()
    resend: tuple[str, ...] = ()  # secure settings to send (absent in Grafana, or --update-secrets)
    reason: str = ""


@dataclass(frozen=True)
class PolicyStep:
    op: str  # update | unchanged | changed-in-grafana | provisioned
    route: dict[str, Any]
    changes: tuple[tuple[str, Any, Any], ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class AlertPlan:
    folders: tuple[FolderStep, ...] = ()
    groups: tuple[GroupStep, ...] = ()
    rules: tuple[RuleStep, ...] = ()
    contact_points: tuple[ContactPointStep, ...] = ()
    policy: PolicyStep | None = None

    @property
    def empty(self) -> bool:
        return not (self.folders or self.groups or self.rules or self.contact_points or self.policy)


def make_alert_plan(grafana: Grafana, alerting: AlertingBundle, scope: Scope, org_id: int) -> AlertPlan:
    if alerting.empty:
        return AlertPlan()
    folders, uids = _folders(grafana, alerting)
    live_rules = {r["uid"]: r for r in _rules(grafana)}
    groups = tuple(_group_step(grafana, g, uids[g.folder_title], live_rules) for g in alerting.groups)
    steps = [
        _rule_step(rule, _body(rule, group, uids[group.folder_title], org_id), live_rules.get(rule.uid), scope)
        for group in alerting.groups
        for rule in group.rules
    ]
    steps += _orphans(alerting, groups, live_rules, scope.prune)
    points: tuple[ContactPointStep, ...] = ()
    if alerting.contact_points:
        listed = _read(grafana, f"GET /api{CONTACT_POINTS_PATH}", CONTACT_POINTS_PATH, POINT_LIST)
        live_points = {p.get("uid"): p for p in listed}
        points = tuple(point_step(p, live_points.get(p.uid), scope) for p in alerting.contact_points)
    policy = None
    if alerting.policy is not None:
        policy = _policy_step(_read(grafana, f"GET /api{POLICIES_PATH}", POLICIES_PATH, ROUTE), alerting.policy, scope)
    return AlertPlan(folders, groups, tuple(steps), points, policy)


def rule_body(rule: AlertRule, folder_uid: str, group: str, org_id: int) -> dict[str, Any]:
    """The API body of a rule in its group and folder."""
    return {**rule.body, "orgID": org_id, "folderUID": folder_uid, "ruleGroup": group}


def _body(rule: AlertRule, group: RuleGroup, folder_uid: str, org_id: int) -> dict[str, Any]:
    return rule_body(rule, folder_uid, group.name, org_id)


def _read(grafana: Grafana, what: str, path: str, shape: Shape | None = None) -> Any:
    try:
        return grafana.call(what, lambda api: api.client.GET(path), shape)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        raise refusal(exc, what) from None


def _rules(grafana: Grafana) -> list[dict[str, Any]]:
    """Every alert rule of the org; a 404 means a Grafana older than the list endpoint (10.x)."""
    what = f"GET /api{RULES_PATH}"
    try:
        rules: list[dict[str, Any]] = grafana.call(what, lambda api: api.client.GET(RULES_PATH), RULE_LIST)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) == 404:
            raise GrafanaUnavailable(
                f"Grafana at {grafana.settings.url} has no {what} (404): alert rules need a Grafana with the alerting "
                "provisioning API's rule list (Grafana 10 or later; this project targets 12)"
            ) from None
        raise refusal(exc, what) from None
    return rules


def _folders(grafana: Grafana, alerting: AlertingBundle) -> tuple[tuple[FolderStep, ...], dict[str, str]]:
    """Folder title -> uid for every rule group; folders the bundle's dashboards do not have are found in Grafana
    by title, or created with a uid made from the title (Grafana's own file provisioning would pick a random one)."""
    uids = {g.folder_title: g.folder_uid for g in alerting.groups if g.folder_uid}
    missing = sorted({g.folder_title for g in alerting.groups} - set(uids))
    if not missing:
        return (), uids
    live = _read(grafana, "GET /api/folders", "/folders?limit=1000", FOLDER_LIST)
    by_title = {f["title"]: f for f in live}
    steps = []
    for title in missing:
        found = by_title.get(title)
        uid = str(found["uid"]) if found else _uid_from_title(title)
        uids[title] = uid
        live_id = found.get("id") if found else None
        op = "unchanged" if found else "create"
        steps.append(FolderStep(Folder(uid, title), op, live_id if isinstance(live_id, int) else None))
    return tuple(steps), uids


def _uid_from_title(title: str) -> str:
    return (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "alerts")[:40]


def _group_step(grafana: Grafana, group: RuleGroup, folder_uid: str, live_rules: dict[str, Any]) -> GroupStep:
    if not any(r.get("folderUID") == folder_uid and r.get("ruleGroup") == group.name for r in live_rules.values()):
        return GroupStep(group, folder_uid, "create")
    what = f"GET /api/v1/provisioning/folder/{folder_uid}/rule-groups/{group.name}"
    live = _read(grafana, what, f"/v1/provisioning/folder/{folder_uid}/rule-groups/{group.name}", GROUP)
    op = "unchanged" if live["interval"] == group.interval else "update"
    return GroupStep(group, folder_uid, op, live["interval"])


def _rule_step(rule: AlertRule, body: dict[str, Any], live: dict[str, Any] | None, scope: Scope) -> RuleStep:
    step = RuleStep(rule.uid, rule.title, f"{body['folderUID']}/{body['ruleGroup']}", "create", rule, body)
    if live is None:
        return step
    changes = tuple(differences(normalise_rule(live), normalise_rule(body)))
    if not changes:
        return replace(step, op="unchanged")
    if live.get("provenance") == "file":
        return replace(step, op="provisioned", changes=changes, reason=PROVISIONED)
    if pushed_unchanged(live):
        return replace(step, op="update", changes=changes)
    reason = (
        "changed in Grafana since the last push"
        if (live.get("annotations") or {}).get(PUSH_HASH_ANNOTATION)
        else "in Grafana but never pushed by dash (made in the UI or by another tool)"
    )
    if scope.force:
        return replace(step, op="update", changes=changes, reason=f"{reason}; overwritten (--force)")
    return replace(step, op="changed-in-grafana", changes=changes, reason=f"{reason}; use --force to overwrite")


def _orphans(
    alerting: AlertingBundle, groups: tuple[GroupStep, ...], live_rules: dict[str, Any], prune: bool
) -> list[RuleStep]:
    """Rules in the folders the repository's rule groups use that the repository lacks (as dashboards' prune: a
    folder is managed whole, so another environment's rules in their own folders are never touched)."""
    known = {r.uid for r in alerting.rules}
    managed = {g.folder_uid for g in groups}
    op = "delete" if prune else "not-in-repository"
    reason = "" if prune else "in a managed folder but not in the repository; --prune deletes it"
    return [
        RuleStep(uid, str(live.get("title", "")), f"{live.get('folderUID')}/{live.get('ruleGroup')}", op, reason=reason)
        for uid, live in sorted(live_rules.items())
        if uid not in known and live.get("folderUID") in managed
    ]


def point_step(point: ContactPoint, live: dict[str, Any] | None, scope: Scope) -> ContactPointStep:
    if live is None:
        return ContactPointStep(point, "create", resend=tuple(point.secure_refs))
    settings, mine = copy.deepcopy(live.get("settings") or {}), copy.deepcopy(point.settings)
    secure = SECURE_SETTINGS.get(point.type, ())
    held = {path for path in secure if _get_path(settings, path) == REDACTED}
    for path in secure:
        _drop_path(settings, path)
        _drop_path(mine, path)
    current: dict[str, Any] = {"name": live.get("name"), "type": live.get("type"), "settings": settings}
    current["disableResolveMessage"] = bool(live.get("disableResolveMessage", False))
    built: dict[str, Any] = {"name": point.name, "type": point.type, "settings": mine}
    built["disableResolveMessage"] = point.disable_resolve_message
    changes = tuple(differences(current, built))
    resend = tuple(point.secure_refs) if scope.update_secrets else tuple(p for p in point.secure_refs if p not in held)
    if not changes and not resend:
        return ContactPointStep(point, "unchanged")
    if live.get("provenance") == "file":
        return ContactPointStep(point, "provisioned", changes, reason=PROVISIONED)
    if not live.get("provenance") and not scope.force:
        reason = "made or edited in Grafana's UI (no provenance); use --force to overwrite"
        return ContactPointStep(point, "changed-in-grafana", changes, reason=reason)
    return ContactPointStep(point, "update", changes, resend)


def _policy_step(live: dict[str, Any], route: dict[str, Any], scope: Scope) -> PolicyStep:
    changes = tuple(differences(normalise_route(live), normalise_route(route)))
    if not changes:
        return PolicyStep("unchanged", route)
    provenance = live.get("provenance") or ""
    if provenance == "file":
        return PolicyStep("provisioned", route, changes, PROVISIONED)
    default = live.get("receiver") == DEFAULT_RECEIVER and not live.get("routes")
    if provenance or default:
        return PolicyStep("update", route, changes)
    if scope.force:
        return PolicyStep("update", route, changes, "edited in Grafana's UI; overwritten (--force)")
    return PolicyStep("changed-in-grafana", route, changes, "edited in Grafana's UI; use --force to overwrite")


def _get_path(settings: dict[str, Any], path: str) -> Any:
    node: Any = settings
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _drop_path(settings: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node: Any = settings
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)
        if not node and parents:
            _drop_path(settings, ".".join(parents))
