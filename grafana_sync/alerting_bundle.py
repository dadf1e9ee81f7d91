"""The bundle's alerting files (`alerting/*.yaml`, Grafana's file provisioning format) read as Grafana reads them,
in the shapes of Grafana's alerting provisioning HTTP API.

Grafana's file provisioner expands `$VAR` in every string value except rule annotations, `relativeTimeRange` and
`data[].model` (grafana-alerting-cloudwatch.md §1); the push does the same with its own environment. A rule names
its folder by title; the push finds the folder's uid among the bundle's dashboard folders, then in Grafana.
Contact-point settings Grafana stores encrypted are kept as references and expanded only when sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from core.errors import BundleError
from grafana_sync.envvars import expand_tree

# Top-level keys of an alerting provisioning file that the push carries to Grafana.
PUSHED_KEYS = ("groups", "contactPoints", "policies")
# Settings Grafana stores encrypted and answers as "[REDACTED]", per contact-point type (dotted paths).
SECURE_SETTINGS: dict[str, tuple[str, ...]] = {
    "webhook": ("password", "authorization_credentials", "hmacConfig.secret"),
    "sns": ("sigv4.access_key", "sigv4.secret_key"),
    "slack": ("token", "url"),
    "pagerduty": ("integrationKey",),
    "opsgenie": ("apiKey",),
    "telegram": ("bottoken",),
    "discord": ("url",),
    "googlechat": ("url",),
    "teams": ("url",),
}
_NOT_EXPANDED = ("annotations",)  # rule keys Grafana's provisioning keeps as written (and data[].model, below)
_DURATION = re.compile(r"(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?")
_UNITS = (365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001)
_MATCHER = re.compile(r"^\s*([^\s=!~]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$")


@dataclass(frozen=True)
class AlertRule:
    uid: str
    title: str
    body: dict[str, Any]  # the API body (ProvisionedAlertRule) without orgID, folderUID and ruleGroup
    source: str


@dataclass(frozen=True)
class RuleGroup:
    name: str
    folder_title: str
    folder_uid: str | None  # None until the push finds the folder in Grafana
    interval: int  # seconds
    rules: tuple[AlertRule, ...]
    source: str


@dataclass(frozen=True)
class ContactPoint:
    uid: str
    name: str
    type: str
    settings: dict[str, Any]  # without the secure settings
    disable_resolve_message: bool
    secure_refs: dict[str, str]  # dotted setting path -> value as written ("$VAR"), expanded when sent
    source: str


@dataclass(frozen=True)
class AlertingBundle:
    groups: tuple[RuleGroup, ...] = ()
    contact_points: tuple[ContactPoint, ...] = ()
    policy: dict[str, Any] | None = None  # the notification policy tree (API Route), or None when not provisioned
    policy_source: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[AlertRule, ...]:
        return tuple(rule for group in self.groups for rule in group.rules)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.contact_points or self.policy is not None)


def is_alerting_file(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) == 2 and parts[0] == "alerting" and parts[1].endswith((".yaml", ".yml", ".json"))


def parse_alerting(
    files: Mapping[str, bytes], environ: Mapping[str, str] | None, folders: Mapping[str, str]
) -> AlertingBundle:
    """Every alerting file of the bundle; `folders` maps the bundle's folder titles to uids.

    Without `environ` (comparing two bundles) values stay as written."""
    groups: list[RuleGroup] = []
    points: list[ContactPoint] = []
    policies: list[tuple[dict[str, Any], str]] = []
    warnings: list[str] = []
    for path in sorted(p for p in files if is_alerting_file(p)):
        doc = _document(path, files[path])
        for index, item in enumerate(doc.get("groups") or []):
            groups.append(_group(f"{path}: groups[{index}]", item, environ, folders, warnings))
        for index, item in enumerate(doc.get("contactPoints") or []):
            points.extend(_contact_points(f"{path}: contactPoints[{index}]", item, environ, warnings))
        for index, item in enumerate(doc.get("policies") or []):
            where = f"{path}: policies[{index}]"
            policies.append((_route(where, _expanded(item, environ, where, warnings), top=True), where))
    _unique([(r.uid, r.source) for g in groups for r in g.rules], "alert rule uid")
    _unique([((g.folder_title, g.name), g.source) for g in groups], "rule group (folder, name)")
    _unique([(p.uid, p.source) for p in points], "contact point uid")
    if len(policies) > 1:
        raise BundleError(f"{policies[1][1]}: a second notification policy tree (one per org; {policies[0][1]})")
    policy, source = policies[0] if policies else (None, "")
    return AlertingBundle(tuple(groups), tuple(points), policy, source, tuple(warnings))


def parse_duration(text: Any, where: str) -> int:
    """A Prometheus duration ("5m", "1h30m", "90s", "0s", or empty) in whole seconds."""
    if text in (None, ""):
        return 0
    match = _DURATION.fullmatch(str(text))
    if not isinstance(text, str) or not match or not any(match.groups()):
        raise BundleError(f"{where}: {text!r} is not a duration (write e.g. 30s, 5m, 1h30m)")
    return int(sum(int(n) * unit for n, unit in zip(match.groups(), _UNITS, strict=True) if n))


def format_duration(seconds: int) -> str:
    """Seconds as Grafana writes a duration ("1h30m", "5m", "0s")."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, name in ((86400 * 365, "y"), (86400 * 7, "w"), (86400, "d"), (3600, "h"), (60, "m"), (1, "s")):
        if seconds >= unit:
            parts.append(f"{seconds // unit}{name}")
            seconds %= unit
    return "".join(parts)


def _document(path: str, data: bytes) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise BundleError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or doc.get("apiVersion") != 1:
        raise BundleError(f"{path}: expected a mapping with apiVersion: 1 (Grafana's alerting file provisioning)")
    unknown = sorted(set(doc) - {"apiVersion", *PUSHED_KEYS})
    if unknown:
        raise BundleError(
            f"{path}: {', '.join(unknown)}: not pushed by `dash push` (it pushes {', '.join(PUSHED_KEYS)}); "
            "remove them, or provision this file through Grafana's own file provisioning"
        )
    return doc


def _expanded(item: Any, environ: Mapping[str, str] | None, where: str, warnings: list[str]) -> Any:
    return item if environ is None else expand_tree(item, environ, where, warnings)


def _group(
    where: str, item: Any, environ: Mapping[str, str] | None, folders: Mapping[str, str], warnings: list[str]
) -> RuleGroup:
    if not isinstance(item, dict):
        raise BundleError(f"{where}: a rule group is a mapping (orgId, name, folder, interval, rules)")
    rules = item.get("rules") or []
    head = _expanded({k: v for k, v in item.items() if k != "rules"}, environ, where, warnings)
    name, folder = head.get("name"), head.get("folder")
    if not isinstance(name, str) or not name or not isinstance(folder, str) or not folder:
        raise BundleError(f"{where}: a rule group needs a name and a folder (the folder's title)")
    interval = parse_duration(head.get("interval"), f"{where} ({name}): interval")
    if interval <= 0:
        raise BundleError(f"{where} ({name}): interval is required and above 0 (e.g. 1m)")
    if not isinstance(rules, list):
        raise BundleError(f"{where} ({name}): rules must be a list")
    parsed = tuple(_rule(f"{where}.rules[{i}]", rule, environ, warnings) for i, rule in enumerate(rules))
    return RuleGroup(name, folder, folders.get(folder), interval, parsed, where)


def _rule(where: str, item: Any, environ: Mapping[str, str] | None, warnings: list[str]) -> AlertRule:
    if not isinstance(item, dict):
        raise BundleError(f"{where}: a rule is a mapping (uid, title, condition, data, ...)")
    data = item.get("data")
    plain = _expanded({k: v for k, v in item.items() if k not in (*_NOT_EXPANDED, "data")}, environ, where, warnings)
    uid, title = plain.get("uid"), plain.get("title")
    if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
        raise BundleError(f"{where}: uid {uid!r}: a rule needs a uid of 1-40 letters, digits, - or _")
    if not isinstance(title, str) or not title:
        raise BundleError(f"{where} ({uid}): a rule needs a title")
    if not isinstance(data, list) or not data:
        raise BundleError(f"{where} ({uid}): a rule needs data (its queries and expressions)")
    annotations = dict(item.get("annotations") or {})
    dashboard = plain.get("dashboardUid") or plain.get("dasboardUid")
    if dashboard:
        annotations["__dashboardUid__"] = str(dashboard)
    if plain.get("panelId") is not None:
        annotations["__panelId__"] = str(plain["panelId"])
    body: dict[str, Any] = {
        "uid": uid,
        "title": title,
        "condition": str(plain.get("condition") or ""),
        "data": [_query(f"{where}.data[{i}]", q, environ, warnings) for i, q in enumerate(data)],
        "noDataState": plain.get("noDataState") or "NoData",
        "execErrState": plain.get("execErrState") or "Alerting",
        "for": format_duration(parse_duration(plain.get("for"), f"{where} ({uid}): for")),
        "labels": {str(k): str(v) for k, v in (plain.get("labels") or {}).items()},
        "annotations": {str(k): str(v) for k, v in annotations.items()},
        "isPaused": bool(plain.get("isPaused", False)),
    }
    keep = parse_duration(plain.get("keepFiringFor"), f"{where} ({uid}): keepFiringFor")
    if keep:
        body["keep_firing_for"] = format_duration(keep)
    if plain.get("missing_series_evals_to_resolve") is not None:
        body["missingSeriesEvalsToResolve"] = int(plain["missing_series_evals_to_resolve"])
    for key in ("notification_settings", "record"):
        if plain.get(key):
            body[key] = plain[key]
    return AlertRule(uid, title, body, where)


def _query(where: str, item: Any, environ: Mapping[str, str] | None, warnings: list[str]) -> dict[str, Any]:
    """One data item: refId and datasourceUid expanded; relativeTimeRange and model kept as written."""
    if not isinstance(item, dict) or not isinstance(item.get("model"), dict):
        raise BundleError(f"{where}: needs refId, datasourceUid and a model mapping")
    head = _expanded({k: item.get(k) for k in ("refId", "datasourceUid", "queryType")}, environ, where, warnings)
    if not head["refId"] or not head["datasourceUid"]:
        raise BundleError(f"{where}: needs refId and datasourceUid")
    span = item.get("relativeTimeRange") or {}
    if not all(isinstance(span.get(k, 0), int) and not isinstance(span.get(k, 0), bool) for k in ("from", "to")):
        raise BundleError(f"{where}: relativeTimeRange from/to are whole seconds (YAML integers)")
    query = {
        "refId": str(head["refId"]),
        "relativeTimeRange": {"from": int(span.get("from", 0)), "to": int(span.get("to", 0))},
        "datasourceUid": str(head["datasourceUid"]),
        "model": item["model"],
    }
    if head.get("queryType"):
        query["queryType"] = str(head["queryType"])
    return query


def _contact_points(
    where: str, item: Any, environ: Mapping[str, str] | None, warnings: list[str]
) -> list[ContactPoint]:
    if not isinstance(item, dict) or not item.get("name") or not isinstance(item.get("receivers"), list):
        raise BundleError(f"{where}: a contact point needs a name and a list of receivers")
    name = str(_expanded(item["name"], environ, where, warnings))
    result = []
    for index, receiver in enumerate(item["receivers"]):
        at = f"{where}.receivers[{index}]"
        if not isinstance(receiver, dict) or not isinstance(receiver.get("settings"), dict) or not receiver["settings"]:
            raise BundleError(f"{at}: a receiver needs uid, type and non-empty settings")
        uid, kind = receiver.get("uid"), receiver.get("type")
        if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid) or not kind:
            raise BundleError(f"{at}: uid {uid!r}, type {kind!r}: a receiver needs a uid (1-40 of A-Z a-z 0-9 - _)")
        secure_paths = SECURE_SETTINGS.get(str(kind), ())
        settings = dict(receiver["settings"])
        secure = {p: str(v) for p in secure_paths if (v := _pop_path(settings, p)) is not None}
        result.append(
            ContactPoint(
                uid,
                name,
                str(kind),
                _expanded(settings, environ, f"{at}.settings", warnings),
                bool(receiver.get("disableResolveMessage", False)),
                secure,
                at,
            )
        )
    return result


def _pop_path(settings: dict[str, Any], path: str) -> Any:
    """Remove a dotted key from nested settings and return its value (None when absent)."""
    *parents, last = path.split(".")
    node: Any = settings
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return None
    value = node.pop(last, None)
    return value


def set_path(settings: dict[str, Any], path: str, value: Any) -> None:
    """Put a value at a dotted key, creating the maps on the way."""
    *parents, last = path.split(".")
    node = settings
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _route(where: str, item: Any, top: bool) -> dict[str, Any]:
    """A policy from the file form to the API's Route: `matchers` strings become `object_matchers` triples."""
    if not isinstance(item, dict):
        raise BundleError(f"{where}: a notification policy is a mapping (receiver, group_by, routes, ...)")
    if top and not item.get("receiver"):
        raise BundleError(f"{where}: the policy tree's root needs a receiver (a contact point name)")
    route = {k: v for k, v in item.items() if k not in ("orgId", "matchers", "routes")}
    matchers = [*(route.pop("object_matchers", None) or [])]
    for text in item.get("matchers") or []:
        match = _MATCHER.match(str(text))
        if not match:
            raise BundleError(f"{where}: matcher {text!r}: write NAME OP VALUE with OP one of = != =~ !~")
        matchers.append([match.group(1), match.group(2), match.group(3).strip('"')])
    if matchers:
        route["object_matchers"] = [[str(part) for part in m] for m in matchers]
    if item.get("routes"):
        route["routes"] = [_route(f"{where}.routes[{i}]", r, False) for i, r in enumerate(item["routes"])]
    return route


def _unique(items: list[tuple[Any, str]], what: str) -> None:
    seen: dict[Any, str] = {}
    for key, source in items:
        if key in seen:
            raise BundleError(f"{source}: {what} {key!r} also in {seen[key]}")
        seen[key] = source
