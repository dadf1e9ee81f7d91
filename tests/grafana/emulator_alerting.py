"""The Grafana emulator's alerting provisioning endpoints (/api/v1/provisioning/...), with Grafana 12's semantics
as grafana-alerting-cloudwatch.md §2 describes them: rules by uid in groups with one interval, 400 on a duplicate
uid or a missing folder, provenance `api` on every write unless X-Disable-Provenance is sent (its presence alone
counts), 500 when a single-rule write would change a stored provenance, `file` never writable; contact points whose
secure settings answer "[REDACTED]" (a PUT sending it keeps the stored value); one policy tree whose receivers must
exist. Requests and responses are checked against the alerting OpenAPI extract in the reference data.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_INTERVAL = 60
REDACTED = "[REDACTED]"
# Secure settings per contact-point type, as Grafana's receiver schemas mark them (the emulator's own list).
SECURE = {
    "webhook": ("password", "authorization_credentials"),
    "slack": ("token", "url"),
    "pagerduty": ("integrationKey",),
}
DEFAULT_POLICY = {"receiver": "grafana-default-email", "group_by": ["grafana_folder", "alertname"]}
DEFAULT_POINT = {
    "uid": "default-email-uid",
    "name": "grafana-default-email",
    "type": "email",
    "settings": {"addresses": "<example@email.com>"},
    "disableResolveMessage": False,
    "provenance": "",
}
_PROVENANCE_HEADER = "x-disable-provenance"


class ApiFailure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.body = {"message": message}


@dataclass(frozen=True)
class Reply:
    """An answer whose status is not 200."""

    status: int
    body: Any


@dataclass
class AlertingState:
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> rule as stored (API form)
    intervals: dict[tuple[str, str], int] = field(default_factory=dict)  # (folder uid, group) -> seconds
    points: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {DEFAULT_POINT["uid"]: copy.deepcopy(DEFAULT_POINT)}
    )
    secure: dict[str, dict[str, str]] = field(default_factory=dict)  # contact point uid -> secure setting -> value
    policy: dict[str, Any] = field(default_factory=lambda: {**copy.deepcopy(DEFAULT_POLICY), "provenance": ""})
    next_id: int = 1


def provenance_of(headers: dict[str, str]) -> str:
    """What a write stores: none when X-Disable-Provenance is present, whatever its value; else api."""
    return "" if any(k.lower() == _PROVENANCE_HEADER for k in headers) else "api"


class AlertingEndpoints:
    """Mixed into GrafanaEmulator: `self.alerting` is the state, `self.state.folders` the folders."""

    alerting: AlertingState
    state: Any

    # --- rules -----------------------------------------------------------------------------

    def list_rules(self, **_: Any) -> Any:
        return [copy.deepcopy(r) for r in self.alerting.rules.values()]

    def get_rule(self, uid: str, **_: Any) -> Any:
        if uid not in self.alerting.rules:
            raise ApiFailure(404, "rule not found")
        return copy.deepcopy(self.alerting.rules[uid])

    def create_rule(self, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        rule = self._checked_rule(payload, payload.get("folderUID"), payload.get("ruleGroup"))
        if rule["uid"] in self.alerting.rules:
            raise ApiFailure(400, f"failed to insert alert rule: a rule with uid {rule['uid']!r} already exists")
        self._store(rule, provenance_of(headers))
        return Reply(201, copy.deepcopy(self.alerting.rules[rule["uid"]]))

    def update_rule(self, uid: str, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        stored = self.alerting.rules.get(uid)
        if stored is None:
            raise ApiFailure(404, "rule not found")
        provenance = provenance_of(headers)
        _single_write_allowed(stored["provenance"], provenance, "change")
        rule = self._checked_rule({**payload, "uid": uid}, payload.get("folderUID"), payload.get("ruleGroup"))
        self._store(rule, provenance, stored["id"])
        return copy.deepcopy(self.alerting.rules[uid])

    def delete_rule(self, uid: str, headers: dict[str, str], **_: Any) -> Any:
        stored = self.alerting.rules.get(uid)
        if stored is not None:
            _single_write_allowed(stored["provenance"], provenance_of(headers), "delete")
            del self.alerting.rules[uid]
        return Reply(204, None)

    def get_group(self, folder_uid: str, group: str, **_: Any) -> Any:
        rules = [r for r in self.alerting.rules.values() if (r["folderUID"], r["ruleGroup"]) == (folder_uid, group)]
        if not rules:
            raise ApiFailure(404, "rule group not found")
        interval = self.alerting.intervals.get((folder_uid, group), DEFAULT_INTERVAL)
        return {"title": group, "folderUid": folder_uid, "interval": interval, "rules": copy.deepcopy(rules)}

    def put_group(self, folder_uid: str, group: str, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        """Creates or replaces the whole group; without rules (null) only the interval changes."""
        interval = payload.get("interval")
        if not isinstance(interval, int) or interval <= 0 or interval % 10:
            raise ApiFailure(400, f"invalid interval {interval!r}: must be a positive multiple of 10s")
        if folder_uid not in self.state.folders:
            raise ApiFailure(400, "folder does not exist")
        provenance = provenance_of(headers)
        current = {u for u, r in self.alerting.rules.items() if (r["folderUID"], r["ruleGroup"]) == (folder_uid, group)}
        if payload.get("rules") is not None:
            rules = [self._checked_rule(r, folder_uid, group) for r in payload["rules"]]
            uids = [r["uid"] for r in rules]
            if len(set(uids)) != len(uids):
                raise ApiFailure(400, "rule group has two rules with the same uid")
            touched = current | {u for u in uids if u in self.alerting.rules}
            if any(self.alerting.rules[u]["provenance"] == "file" for u in touched):
                raise ApiFailure(500, "cannot change provenance from 'file'")
            for uid in current - set(uids):
                del self.alerting.rules[uid]
            for rule in rules:
                stored = self.alerting.rules.get(rule["uid"])
                self._store(rule, provenance, stored["id"] if stored else None)
        self.alerting.intervals[(folder_uid, group)] = interval
        return (
            self.get_group(folder_uid, group)
            if payload.get("rules")
            else {
                "title": group,
                "folderUid": folder_uid,
                "interval": interval,
            }
        )

    def delete_group(self, folder_uid: str, group: str, **_: Any) -> Any:
        for uid in [
            u for u, r in self.alerting.rules.items() if (r["folderUID"], r["ruleGroup"]) == (folder_uid, group)
        ]:
            del self.alerting.rules[uid]
        return Reply(204, None)

    def _checked_rule(self, payload: Any, folder_uid: Any, group: Any) -> dict[str, Any]:
        """Grafana's validation of a rule body: folder, group, uid, condition naming a query, time ranges."""
        if not folder_uid or folder_uid not in self.state.folders:
            raise ApiFailure(400, "invalid alert rule: folder does not exist")
        if not group:
            raise ApiFailure(400, "invalid alert rule: rule group name is required")
        uid = payload.get("uid") or f"r{self.alerting.next_id}"
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
            raise ApiFailure(400, f"invalid alert rule: uid {uid!r}")
        data = payload.get("data") or []
        refs = [q.get("refId") for q in data]
        if payload.get("condition") not in refs:
            raise ApiFailure(400, f"invalid alert rule: condition {payload.get('condition')!r} is not a refId of data")
        queries = []
        for query in data:
            span = query.get("relativeTimeRange") or {}
            if query.get("datasourceUid") != "__expr__" and not span.get("from", 0) > span.get("to", 0):
                raise ApiFailure(400, f"invalid relative time range [From: {span.get('from')}s, To: {span.get('to')}s]")
            model = {"intervalMs": 1000, "maxDataPoints": 43200, **copy.deepcopy(query.get("model") or {})}
            queries.append({**copy.deepcopy(query), "model": model, "queryType": query.get("queryType", "")})
        rule = {k: copy.deepcopy(v) for k, v in payload.items() if k not in ("id", "updated", "provenance")}
        rule.update(uid=uid, data=queries, folderUID=folder_uid, ruleGroup=group, orgID=1)
        for key in ("for", "keep_firing_for"):
            if key in rule:
                rule[key] = _duration(rule[key])
        rule.setdefault("labels", {})
        rule.setdefault("annotations", {})
        rule.setdefault("isPaused", False)
        return rule

    def _store(self, rule: dict[str, Any], provenance: str, rule_id: int | None = None) -> None:
        if rule_id is None:
            self.alerting.next_id += 1
            rule_id = self.alerting.next_id
        key = (rule["folderUID"], rule["ruleGroup"])
        self.alerting.intervals.setdefault(key, DEFAULT_INTERVAL)
        self.alerting.rules[rule["uid"]] = {
            **rule,
            "id": rule_id,
            "updated": "2026-12-01T00:00:00Z",
            "provenance": provenance,
        }

    # --- contact points --------------------------------------------------------------------

    def list_points(self, query: list[tuple[str, str]], **_: Any) -> Any:
        name = dict(query).get("name")
        return [self._shown(p) for p in self.alerting.points.values() if name is None or p["name"] == name]

    def create_point(self, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        uid = payload.get("uid") or f"cp{self.alerting.next_id}"
        if uid in self.alerting.points:
            raise ApiFailure(400, f"contact point with uid {uid!r} already exists")
        self._store_point(uid, payload, provenance_of(headers), {})
        return Reply(202, self._shown(self.alerting.points[uid]))

    def update_point(self, uid: str, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        stored = self.alerting.points.get(uid)
        if stored is None:
            raise ApiFailure(404, "contact point not found")
        provenance = provenance_of(headers)
        _single_write_allowed(stored["provenance"], provenance, "change")
        self._store_point(uid, payload, provenance, self.alerting.secure.get(uid, {}))
        return Reply(202, {})

    def delete_point(self, uid: str, **_: Any) -> Any:
        stored = self.alerting.points.get(uid)
        if stored is not None:
            if _receivers(self.alerting.policy) & {stored["name"]}:
                raise ApiFailure(400, f"contact point {stored['name']!r} is used by the notification policy tree")
            del self.alerting.points[uid]
        return Reply(202, {})

    def _store_point(self, uid: str, payload: Any, provenance: str, held: dict[str, str]) -> None:
        kind, settings = payload.get("type"), copy.deepcopy(payload.get("settings") or {})
        if not settings:
            raise ApiFailure(400, "contact point settings cannot be empty")
        if kind == "email" and not settings.get("addresses"):
            raise ApiFailure(400, "could not find addresses in settings")
        if kind == "webhook" and not settings.get("url"):
            raise ApiFailure(400, "could not find url property in settings")
        secure = {}
        for key in SECURE.get(str(kind), ()):
            value = settings.pop(key, None)
            if value == REDACTED and key in held:
                secure[key] = held[key]  # "[REDACTED]" keeps the stored value
            elif value is not None and value != REDACTED:
                secure[key] = value
        self.alerting.points[uid] = {
            "uid": uid,
            "name": payload.get("name") or uid,
            "type": kind,
            "settings": settings,
            "disableResolveMessage": bool(payload.get("disableResolveMessage", False)),
            "provenance": provenance,
        }
        self.alerting.secure[uid] = secure

    def _shown(self, point: dict[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(point)
        for key in self.alerting.secure.get(point["uid"], {}):
            shown["settings"][key] = REDACTED
        return shown

    # --- policies --------------------------------------------------------------------------

    def get_policy(self, **_: Any) -> Any:
        return copy.deepcopy(self.alerting.policy)

    def put_policy(self, payload: Any, headers: dict[str, str], **_: Any) -> Any:
        if self.alerting.policy.get("provenance") == "file":
            raise ApiFailure(403, "cannot change provenance from 'file'")
        names = {p["name"] for p in self.alerting.points.values()}
        missing = sorted(_receivers(payload) - names)
        if missing:
            raise ApiFailure(400, f"invalid object specification: receiver '{missing[0]}' does not exist")
        if not payload.get("receiver"):
            raise ApiFailure(400, "invalid object specification: root route must specify a default receiver")
        tree = {k: copy.deepcopy(v) for k, v in payload.items() if k != "provenance"}
        self.alerting.policy = {**tree, "provenance": provenance_of(headers)}
        return Reply(202, {})

    def reset_policy(self, **_: Any) -> Any:
        self.alerting.policy = {**copy.deepcopy(DEFAULT_POLICY), "provenance": ""}
        return Reply(202, {})


def _single_write_allowed(stored: str, new: str, verb: str) -> None:
    """Single-rule and contact-point writes keep provenance, or set it from none (grafana/grafana#74558)."""
    if stored == new or stored == "":
        return
    if verb == "delete":
        raise ApiFailure(500, f"cannot delete with provided provenance '{new}', needs '{stored}'")
    raise ApiFailure(500, f"cannot change provenance from '{stored}' to '{new}'")


def _duration(text: Any) -> str:
    """A duration as Grafana answers it (Prometheus' model.Duration): "300s" and "5m" both read back "5m"."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", str(text or "0s"))
    if not match:
        raise ApiFailure(400, f"invalid duration {text!r}")
    seconds = sum(int(n or 0) * unit for n, unit in zip(match.groups(), (3600, 60, 1), strict=True))
    parts = [
        f"{seconds // 3600}h" if seconds >= 3600 else "",
        f"{seconds % 3600 // 60}m" if seconds % 3600 >= 60 else "",
    ]
    parts.append(f"{seconds % 60}s" if seconds % 60 else "")
    return "".join(parts) or "0s"


def _receivers(route: Any) -> set[str]:
    if not isinstance(route, dict):
        return set()
    found = {route["receiver"]} if route.get("receiver") else set()
    for child in route.get("routes") or []:
        found |= _receivers(child)
    return found


ROUTES: list[tuple[str, str, Any]] = [
    (r"/api/v1/provisioning/alert-rules", "GET", AlertingEndpoints.list_rules),
    (r"/api/v1/provisioning/alert-rules", "POST", AlertingEndpoints.create_rule),
    (r"/api/v1/provisioning/alert-rules/([^/]+)", "GET", AlertingEndpoints.get_rule),
    (r"/api/v1/provisioning/alert-rules/([^/]+)", "PUT", AlertingEndpoints.update_rule),
    (r"/api/v1/provisioning/alert-rules/([^/]+)", "DELETE", AlertingEndpoints.delete_rule),
    (r"/api/v1/provisioning/folder/([^/]+)/rule-groups/([^/]+)", "GET", AlertingEndpoints.get_group),
    (r"/api/v1/provisioning/folder/([^/]+)/rule-groups/([^/]+)", "PUT", AlertingEndpoints.put_group),
    (r"/api/v1/provisioning/folder/([^/]+)/rule-groups/([^/]+)", "DELETE", AlertingEndpoints.delete_group),
    (r"/api/v1/provisioning/contact-points", "GET", AlertingEndpoints.list_points),
    (r"/api/v1/provisioning/contact-points", "POST", AlertingEndpoints.create_point),
    (r"/api/v1/provisioning/contact-points/([^/]+)", "PUT", AlertingEndpoints.update_point),
    (r"/api/v1/provisioning/contact-points/([^/]+)", "DELETE", AlertingEndpoints.delete_point),
    (r"/api/v1/provisioning/policies", "GET", AlertingEndpoints.get_policy),
    (r"/api/v1/provisioning/policies", "PUT", AlertingEndpoints.put_policy),
    (r"/api/v1/provisioning/policies", "DELETE", AlertingEndpoints.reset_policy),
]
