"""Hand-written alerting files in Grafana's file provisioning format (as `dash build` writes under alerting/)."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tests.grafana.bundles import FOLDERS, make_bundle

REALTIME_FOLDER = FOLDERS["connect-realtime"]


def rule(uid: str, threshold: float = 300, pending: str = "5m", title: str = "") -> dict[str, Any]:
    """A rule as rules.yaml holds it: a Timestream query, reduce (last, dropNN), threshold (gt)."""
    return {
        "uid": uid,
        "title": title or f"Oldest contact waits ({uid})",
        "condition": "C",
        "data": [
            {
                "refId": "A",
                "relativeTimeRange": {"from": 600, "to": 0},
                "datasourceUid": "connect-timestream",
                "model": {
                    "refId": "A",
                    "rawQuery": "SELECT queue, max(measure_value::double) AS oldest FROM $__database.$__table "
                    "WHERE $__timeFilter GROUP BY queue",
                    "format": 1,
                },
            },
            {
                "refId": "B",
                "relativeTimeRange": {"from": 0, "to": 0},
                "datasourceUid": "__expr__",
                "model": {"type": "reduce", "expression": "A", "reducer": "last", "settings": {"mode": "dropNN"}},
            },
            {
                "refId": "C",
                "relativeTimeRange": {"from": 0, "to": 0},
                "datasourceUid": "__expr__",
                "model": {
                    "type": "threshold",
                    "expression": "B",
                    "conditions": [{"evaluator": {"type": "gt", "params": [threshold]}}],
                },
            },
        ],
        "for": pending,
        "noDataState": "NoData",
        "execErrState": "Error",
        "labels": {"severity": "page", "team": "${ALERT_TEAM}"},
        "annotations": {
            "summary": "Queue {{ $labels.queue }}: oldest contact waits {{ $values.B }}s (${NOT_EXPANDED})",
            "runbook_url": "https://runbooks.example/oldest-contact",
            "__dashboardUid__": "dash-0000",
            "__panelId__": "2",
        },
        "isPaused": False,
    }


def rules_doc(rules: list[dict[str, Any]], interval: str = "1m", group: str = "connect-queues") -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "groups": [{"orgId": 1, "name": group, "folder": REALTIME_FOLDER, "interval": interval, "rules": rules}],
    }


CONTACT_POINTS = {
    "apiVersion": 1,
    "contactPoints": [
        {
            "orgId": 1,
            "name": "contact-centre-ops",
            "receivers": [
                {
                    "uid": "cc-ops-email",
                    "type": "email",
                    "settings": {"addresses": "$ALERT_EMAIL", "singleEmail": True},
                },
                {
                    "uid": "cc-ops-webhook",
                    "type": "webhook",
                    "settings": {"url": "https://hooks.example/alerts", "password": "$ALERT_WEBHOOK_PASSWORD"},
                },
            ],
        }
    ],
}
POLICIES = {
    "apiVersion": 1,
    "policies": [
        {
            "orgId": 1,
            "receiver": "contact-centre-ops",
            "group_by": ["grafana_folder", "alertname"],
            "routes": [{"receiver": "contact-centre-ops", "matchers": ["severity = page"], "group_wait": "10s"}],
        }
    ],
}
ALERT_ENV = {
    "ALERT_TEAM": "contact-centre",
    "ALERT_EMAIL": "ops@example.com",
    "ALERT_WEBHOOK_PASSWORD": "hook-s3cret-pw",
}


def alert_bundle(rules: list[dict[str, Any]] | None = None, dashboards: int = 2, **group: Any) -> dict[str, bytes]:
    """Dashboards (folders come from their providers) plus rules, contact points and the policy tree."""
    files = make_bundle(dashboards)
    chosen = [rule("cc-oldest-contact"), rule("cc-queue-wait", 120)] if rules is None else rules
    files["alerting/rules.yaml"] = _yaml(rules_doc(copy.deepcopy(chosen), **group))
    files["alerting/contact_points.yaml"] = _yaml(CONTACT_POINTS)
    files["alerting/policies.yaml"] = _yaml(POLICIES)
    return files


def _yaml(doc: dict[str, Any]) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False).encode()
