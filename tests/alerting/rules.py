"""Hand-written rule JSON in Grafana's file-provisioning form, for the evaluator's tests."""

from __future__ import annotations

from typing import Any


def rule(
    *,
    uid: str = "r1",
    evaluator: dict[str, Any] | None = None,
    unload: dict[str, Any] | None = None,
    reducer: str = "last",
    mode: dict[str, Any] | None = None,
    pending: str = "0s",
    keep_firing: str | None = None,
    no_data: str = "NoData",
    exec_err: str = "Error",
    extra: list[dict[str, Any]] | None = None,
    condition: str = "C",
) -> dict[str, Any]:
    """A: a datasource query (15 minutes back), B: reduce A, C: threshold B (gt 80 unless given)."""
    condition_item: dict[str, Any] = {"evaluator": evaluator or {"type": "gt", "params": [80]}}
    if unload:
        condition_item["unloadEvaluator"] = unload
    body: dict[str, Any] = {
        "uid": uid,
        "title": f"Rule {uid}",
        "condition": condition,
        "data": [
            {"refId": "A", "relativeTimeRange": {"from": 900, "to": 0}, "datasourceUid": "ds-1", "model": {}},
            {
                "refId": "B",
                "datasourceUid": "__expr__",
                "model": {
                    "type": "reduce",
                    "expression": "A",
                    "reducer": reducer,
                    **({"settings": mode} if mode else {}),
                },
            },
            {
                "refId": "C",
                "datasourceUid": "__expr__",
                "model": {"type": "threshold", "expression": "B", "conditions": [condition_item]},
            },
            *(extra or []),
        ],
        "for": pending,
        "noDataState": no_data,
        "execErrState": exec_err,
        "labels": {"severity": "page"},
        "annotations": {"summary": "hand-written"},
    }
    if keep_firing is not None:
        body["keepFiringFor"] = keep_firing
    return body


def group(*rules: dict[str, Any], interval: str = "1m", name: str = "g") -> dict[str, Any]:
    return {
        "apiVersion": 1,
        "groups": [{"orgId": 1, "name": name, "folder": "F", "interval": interval, "rules": list(rules)}],
    }
