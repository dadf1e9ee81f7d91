"""`dash diff --grafana-url` for datasources: the bundle's settings against what Grafana holds.

Settings are compared as Grafana's provisioning reads them (environment references expanded), key by
key down nested maps, so a changed `jsonData.dbName` or `url` shows as itself. Secure values are never
read (Grafana answers only which secure keys it holds): a secure key Grafana lacks shows by name.
Reading datasources needs Admin rights; without them the diff says so and compares dashboards only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from core.errors import GrafanaUnavailable
from grafana_sync.bundle import Bundle, Datasource
from grafana_sync.connection import DATASOURCE, Grafana, refusal, status_of

ABSENT = "(absent)"


@dataclass(frozen=True)
class DatasourceDiff:
    uid: str
    name: str
    status: str  # same | changed | added (not in Grafana)
    changes: tuple[tuple[str, str, str], ...] = ()  # (path, live, built), values as printed
    missing_secure: tuple[str, ...] = ()  # secureJsonData keys Grafana holds no value for
    read_only: bool = False  # provisioned in Grafana: `dash push` leaves it as is

    @property
    def changed(self) -> bool:
        return self.status != "same"


@dataclass(frozen=True)
class DatasourceDiffs:
    diffs: tuple[DatasourceDiff, ...]
    note: str = ""  # why datasources were not compared, when they were not


def read_datasource_diffs(grafana: Grafana, bundle: Bundle) -> DatasourceDiffs:
    """One GET per datasource; a 403 (no Admin rights) stops reading them and says so."""
    diffs = []
    for ds in bundle.datasources:
        what = f"GET /api/datasources/uid/{ds.uid}"
        try:
            live = grafana.call(what, partial(_get, uid=ds.uid), DATASOURCE)
        except GrafanaUnavailable:
            raise
        except Exception as exc:
            if status_of(exc) == 404:
                diffs.append(DatasourceDiff(ds.uid, ds.name, "added"))
                continue
            if status_of(exc) == 403:
                note = f"datasources not compared: the credentials lack Admin rights (403 on {what})"
                return DatasourceDiffs((), note)
            raise refusal(exc, what) from None
        diffs.append(diff_datasource(live, ds))
    return DatasourceDiffs(tuple(diffs))


def _get(api: Any, uid: str) -> Any:
    return api.datasource.get_datasource_by_uid(uid)


def diff_datasource(live: Mapping[str, Any], ds: Datasource) -> DatasourceDiff:
    changes: list[tuple[str, str, str]] = []
    for key, value in ds.settings.items():
        _compare(key, live.get(key, _ABSENT), value, changes)
    held = live.get("secureJsonFields")
    held = held if isinstance(held, dict) else {}
    missing = tuple(key for key in ds.secure_refs if not held.get(key))
    status = "changed" if changes or missing else "same"
    return DatasourceDiff(ds.uid, ds.name, status, tuple(changes), missing, live.get("readOnly") is True)


class _Absent:
    """Sentinel: the key is not there on that side."""


_ABSENT = _Absent()


def _compare(path: str, live: Any, built: Any, out: list[tuple[str, str, str]]) -> None:
    """Down nested maps key by key (the push replaces a whole map, so a key only in Grafana differs too)."""
    if isinstance(live, dict) and isinstance(built, dict):
        for key in sorted(set(live) | set(built)):
            _compare(f"{path}.{key}", live.get(key, _ABSENT), built.get(key, _ABSENT), out)
    elif live != built:
        out.append((path, _show(live), _show(built)))


def _show(value: Any) -> str:
    return ABSENT if isinstance(value, _Absent) else repr(value)
