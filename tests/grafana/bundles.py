"""Synthetic provisioning bundles in the layout `dash build` writes (tests and the push benchmark)."""

from __future__ import annotations

import json
from typing import Any

import yaml

FOLDERS = {"connect-realtime": "Contact centre - real time", "connect-history": "Contact centre - history"}
TIMESTREAM = {"type": "grafana-timestream-datasource", "uid": "connect-timestream"}
ATHENA = {"type": "grafana-athena-datasource", "uid": "connect-athena"}


def datasources_yaml(secret_var: str = "CONNECT_ATHENA_SECRET_KEY") -> bytes:
    doc = {
        "apiVersion": 1,
        "datasources": [
            {
                "name": "Connect Timestream",
                "type": TIMESTREAM["type"],
                "uid": TIMESTREAM["uid"],
                "access": "proxy",
                "orgId": 1,
                "editable": False,
                "jsonData": {
                    "authType": "default",
                    "defaultRegion": "eu-west-1",
                    "defaultDatabase": '"connect-analytics"',
                },
            },
            {
                "name": "Connect Athena",
                "type": ATHENA["type"],
                "uid": ATHENA["uid"],
                "access": "proxy",
                "orgId": 1,
                "editable": False,
                "jsonData": {
                    "authType": "keys",
                    "defaultRegion": "eu-west-2",
                    "catalog": "AwsDataCatalog",
                    "database": "connect_analytics",
                    "workgroup": "connect-analytics",
                },
                "secureJsonData": {"accessKey": "${CONNECT_ATHENA_ACCESS_KEY}", "secretKey": f"${secret_var}"},
            },
        ],
    }
    return yaml.safe_dump(doc, sort_keys=False).encode()


def providers_yaml(folders: dict[str, str] = FOLDERS) -> bytes:
    providers = [
        {
            "name": uid,
            "orgId": 1,
            "type": "file",
            "folder": title,
            "folderUid": uid,
            "disableDeletion": True,
            "allowUiUpdates": False,
            "updateIntervalSeconds": 60,
            "options": {"path": f"/etc/grafana/provisioning/dashboards/{uid}"},
        }
        for uid, title in folders.items()
    ]
    return yaml.safe_dump({"apiVersion": 1, "providers": providers}, sort_keys=False).encode()


def dashboard(uid: str, title: str, realtime: bool, panels: int = 4, sql_suffix: str = "") -> dict[str, Any]:
    """A dashboard with a row, then stat/timeseries panels carrying Timestream or Athena SQL."""
    items: list[dict[str, Any]] = [
        {"id": 1, "type": "row", "title": "Overview", "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0}}
    ]
    for n in range(panels):
        ds = TIMESTREAM if realtime else ATHENA
        if realtime:
            target = {
                "refId": "A",
                "datasource": ds,
                "format": 1,
                "rawQuery": (
                    "SELECT BIN(time, $__interval_ms) AS time, avg(measure_value::double) AS v\n"
                    f"FROM $__database.$__table\nWHERE $__timeFilter AND measure_name = 'queue_{n}'{sql_suffix}\n"
                    "GROUP BY 1\nORDER BY time ASC"
                ),
            }
        else:
            target = {
                "refId": "A",
                "datasource": ds,
                "format": 1,
                "connectionArgs": {"region": "__default", "catalog": "__default", "database": "__default"},
                "rawSQL": (
                    "SELECT queue_name, count(*) AS contacts\nFROM contact_records\n"
                    f"WHERE $__timeFilter(initiation_timestamp) AND channel = 'VOICE_{n}'{sql_suffix}\nGROUP BY 1"
                ),
            }
        items.append(
            {
                "id": n + 2,
                "type": "timeseries" if n % 2 else "stat",
                "title": f"Panel {n}",
                "datasource": ds,
                "gridPos": {"h": 8, "w": 12, "x": 12 * (n % 2), "y": 1 + 8 * (n // 2)},
                "targets": [target],
                "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
                "options": {},
            }
        )
    return {
        "id": None,
        "uid": uid,
        "title": title,
        "tags": ["connect"],
        "timezone": "utc",
        "schemaVersion": 36,
        "refresh": "1m",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": []},
        "annotations": {"list": []},
        "panels": items,
    }


def make_bundle(count: int, panels: int = 4, sql_suffix: str = "") -> dict[str, bytes]:
    """`count` dashboards alternating between the real-time and history folders."""
    files = {"datasources/connect.yaml": datasources_yaml(), "dashboards/connect.yaml": providers_yaml()}
    for index in range(count):
        realtime = index % 2 == 0
        folder = "connect-realtime" if realtime else "connect-history"
        uid = f"dash-{index:04d}"
        model = dashboard(uid, f"Dashboard {index:04d}", realtime, panels, sql_suffix)
        files[f"dashboards/{folder}/{uid}.json"] = json.dumps(model, indent=2).encode()
    return files


def with_dashboard(files: dict[str, bytes], folder: str, model: dict[str, Any]) -> dict[str, bytes]:
    return {**files, f"dashboards/{folder}/{model['uid']}.json": json.dumps(model, indent=2).encode()}


def model_of(files: dict[str, bytes], uid: str) -> dict[str, Any]:
    path = next(p for p in files if p.endswith(f"/{uid}.json"))
    return json.loads(files[path])
