"""One normalised form of an alert rule, a contact point and a policy tree, so live and built copies compare
without Grafana-side noise, and the paths where two of them differ.

Grafana answers a rule with fields it fills in (id, updated, provenance, orgID), durations in its own spelling
("5m" for 300s), and each query's model with intervalMs and maxDataPoints set when they were absent; none is a change.
The push records the hash of the normalised rule it wrote in the annotation PUSH_HASH_ANNOTATION (a `__`-wrapped
key like Grafana's own `__dashboardUid__`; annotations can change without resetting a rule's alert state), which is
how a later push tells "changed in Grafana since the last push" from "only the repository changed".
"""

from __future__ import annotations

import hashlib
from typing import Any

from grafana_sync.alerting_bundle import parse_duration
from grafana_sync.normalize import canonical

PUSH_HASH_ANNOTATION = "__dashPushHash__"
REDACTED = "[REDACTED]"  # what Grafana answers for a secure contact-point setting it holds
_MODEL_DEFAULTS: dict[str, Any] = {"intervalMs": 1000, "maxDataPoints": 43200}
_ROUTE_NOISE = {"provenance"}


def normalise_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """The fields a user sets, in one spelling; absent and default values dropped."""
    annotations = {k: v for k, v in (rule.get("annotations") or {}).items() if k != PUSH_HASH_ANNOTATION}
    result: dict[str, Any] = {
        "uid": rule.get("uid"),
        "title": rule.get("title"),
        "folderUID": rule.get("folderUID"),
        "ruleGroup": rule.get("ruleGroup"),
        "condition": rule.get("condition") or "",
        "data": {str(q.get("refId")): _query(q) for q in rule.get("data") or [] if isinstance(q, dict)},
        "noDataState": rule.get("noDataState") or "NoData",
        "execErrState": rule.get("execErrState") or "Alerting",
        "for": parse_duration(rule.get("for") or "0s", "for"),
        "keep_firing_for": parse_duration(rule.get("keep_firing_for") or "0s", "keep_firing_for"),
        "labels": dict(rule.get("labels") or {}),
        "annotations": annotations,
        "isPaused": bool(rule.get("isPaused", False)),
    }
    for key in ("notification_settings", "record", "missingSeriesEvalsToResolve"):
        if rule.get(key) not in (None, {}, ""):
            result[key] = _strip_nulls(rule[key])
    return result


def rule_hash(rule: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical(normalise_rule(rule)).encode()).hexdigest()


def with_rule_hash(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule as pushed: its content hash recorded in an annotation."""
    return {**rule, "annotations": {**(rule.get("annotations") or {}), PUSH_HASH_ANNOTATION: rule_hash(rule)}}


def pushed_unchanged(live: dict[str, Any]) -> bool:
    """A live rule still as `dash push` wrote it: its recorded hash matches its content."""
    marker = (live.get("annotations") or {}).get(PUSH_HASH_ANNOTATION)
    return bool(marker) and marker == rule_hash(live)


def normalise_route(route: dict[str, Any]) -> dict[str, Any]:
    """A policy tree without provenance, empty values and nulls."""
    result = {k: _strip_nulls(v) for k, v in route.items() if k not in _ROUTE_NOISE and v not in (None, [], {}, "")}
    if result.get("continue") is False:
        del result["continue"]
    if isinstance(result.get("routes"), list):
        result["routes"] = [normalise_route(r) for r in result["routes"] if isinstance(r, dict)]
    return result


def differences(live: Any, built: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(path, live value, built value) for every leaf that differs; maps by key, lists by position."""
    if isinstance(live, dict) and isinstance(built, dict):
        found = []
        for key in sorted(set(live) | set(built), key=str):
            found += differences(live.get(key), built.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(live, list) and isinstance(built, list) and len(live) == len(built):
        return [d for i, (a, b) in enumerate(zip(live, built, strict=True)) for d in differences(a, b, f"{path}[{i}]")]
    return [] if live == built else [(path, live, built)]


def _query(query: dict[str, Any]) -> dict[str, Any]:
    model: dict[str, Any] = query["model"] if isinstance(query.get("model"), dict) else {}
    span = query.get("relativeTimeRange") or {}
    return {
        "relativeTimeRange": {"from": int(span.get("from") or 0), "to": int(span.get("to") or 0)},
        "datasourceUid": query.get("datasourceUid"),
        "queryType": query.get("queryType") or "",
        "model": {k: _strip_nulls(v) for k, v in model.items() if v is not None and _MODEL_DEFAULTS.get(k) != v},
    }


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value
