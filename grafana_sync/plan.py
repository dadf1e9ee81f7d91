"""Read the live state of what the bundle manages and decide, per object, what a push would do.

The same plan serves `push --dry-run` (printed), `push` (applied) and `diff` (its dashboard
diffs). Reading costs one search per 100 dashboards (and per 1000 hits) plus one GET per dashboard
that exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import GrafanaUnavailable
from grafana_sync.bundle import Bundle, Dashboard, Datasource, Folder
from grafana_sync.connection import DASHBOARD, DATASOURCE, FOLDER, HITS, Grafana, describe, refusal, status_of
from grafana_sync.normalize import PUSH_HASH_FIELD, content_hash, normalise
from grafana_sync.paneldiff import DashboardDiff, diff_dashboards
from grafana_sync.workers import run_all

SEARCH_CHUNK = 100  # dashboard uids per search request (they go in the query string)
SEARCH_PAGE = 1000  # hits per search page: Grafana's default limit (it refuses more than 5000)


@dataclass(frozen=True)
class FolderStep:
    folder: Folder
    op: str  # create | update | unchanged
    live_id: int | None = None
    live_version: int | None = None


@dataclass(frozen=True)
class DatasourceStep:
    datasource: Datasource
    op: str  # create | update | unchanged | read-only (differs, but Grafana holds it read-only: not applied)
    detail: str = ""
    live_version: int | None = None
    missing_secure: tuple[str, ...] = ()  # secure keys Grafana does not hold yet


@dataclass(frozen=True)
class DashboardStep:
    uid: str
    title: str
    folder_uid: str
    op: str  # create | update | unchanged | changed-in-grafana | provisioned | unreadable | delete | not-in-repository
    dashboard: Dashboard | None = None
    live: dict[str, Any] | None = None
    live_folder: str | None = None
    live_version: int | None = None
    diff: DashboardDiff | None = None
    reason: str = ""


@dataclass(frozen=True)
class Plan:
    folders: tuple[FolderStep, ...]
    datasources: tuple[DatasourceStep, ...]
    dashboards: tuple[DashboardStep, ...]


@dataclass(frozen=True)
class Scope:
    only: frozenset[str] = frozenset()
    prune: bool = False
    force: bool = False
    update_secrets: bool = False


def make_plan(
    grafana: Grafana,
    bundle: Bundle,
    scope: Scope,
    concurrency: int,
    on_done: Callable[[], None] = lambda: None,
    with_datasources: bool = True,
) -> Plan:
    """with_datasources=False for `dash diff`, so that reading dashboards needs no Admin rights."""
    dashboards = [d for d in bundle.dashboards if not scope.only or d.uid in scope.only]
    wanted_folders = {d.folder_uid for d in dashboards} if scope.only else {f.uid for f in bundle.folders}
    folders = tuple(_folder_step(grafana, f) for f in bundle.folders if f.uid in wanted_folders)
    datasources = tuple(_datasource_step(grafana, d, scope) for d in bundle.datasources if with_datasources)
    existing = _existing_uids(grafana, [d.uid for d in dashboards])
    steps = run_all(
        dashboards,
        lambda d: _dashboard_step(grafana, d, scope) if d.uid in existing else _create(d),
        concurrency,
        on_done,
    )
    if not scope.only:
        steps += _orphans(grafana, bundle, folders, scope.prune)
    return Plan(folders, datasources, tuple(steps))


class DashboardUnreadable(Exception):
    """Grafana kept failing to return one dashboard (5xx, timeouts past the retries): that dashboard fails."""


def live_dashboard(grafana: Grafana, uid: str) -> dict[str, Any] | None:
    """GET /api/dashboards/uid/{uid}: {dashboard, meta}, or None when Grafana has no such dashboard."""
    what = f"GET /api/dashboards/uid/{uid}"
    try:
        return grafana.call(what, lambda api: api.dashboard.get_dashboard(uid), DASHBOARD)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) == 404:
            return None
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        raise DashboardUnreadable(
            f"{what} kept failing ({describe(exc)}); it was left as is, push again when Grafana recovers"
        ) from None


def matches(live: Mapping[str, Any], dashboard: Dashboard) -> bool:
    """Live equals built after normalising both, and sits in the dashboard's folder."""
    meta = live.get("meta") or {}
    return (meta.get("folderUid") or "") == dashboard.folder_uid and normalise(live["dashboard"]) == normalise(
        dashboard.model
    )


def _create(dashboard: Dashboard) -> DashboardStep:
    return DashboardStep(dashboard.uid, dashboard.title, dashboard.folder_uid, "create", dashboard)


def _dashboard_step(grafana: Grafana, dashboard: Dashboard, scope: Scope) -> DashboardStep:
    try:
        found = live_dashboard(grafana, dashboard.uid)
    except DashboardUnreadable as exc:
        return DashboardStep(
            dashboard.uid, dashboard.title, dashboard.folder_uid, "unreadable", dashboard, reason=str(exc)
        )
    if found is None:
        return _create(dashboard)
    live, meta = found["dashboard"], found.get("meta") or {}
    live_folder = meta.get("folderUid") or ""
    base = {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "folder_uid": dashboard.folder_uid,
        "dashboard": dashboard,
        "live": live,
        "live_folder": live_folder,
        "live_version": live.get("version", meta.get("version")),
    }
    if matches(found, dashboard):
        return DashboardStep(op="unchanged", **base)
    diff = diff_dashboards(live, dashboard.model, live_folder, dashboard.folder_uid)
    if meta.get("provisioned"):
        reason = "provisioned from files in Grafana; the API cannot change it (update the provisioning files instead)"
        return DashboardStep(op="provisioned", diff=diff, reason=reason, **base)
    marker = live.get(PUSH_HASH_FIELD)
    if marker == content_hash(live):
        return DashboardStep(op="update", diff=diff, **base)
    reason = (
        "changed in Grafana since the last push"
        if marker
        else "changed in Grafana since the last push (no push marker: saved from the UI, or never pushed by dash)"
    )
    if scope.force:
        return DashboardStep(op="update", diff=diff, reason=f"{reason}; overwritten (--force)", **base)
    return DashboardStep(op="changed-in-grafana", diff=diff, reason=f"{reason}; use --force to overwrite", **base)


def _existing_uids(grafana: Grafana, uids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(uids), SEARCH_CHUNK):
        chunk = uids[start : start + SEARCH_CHUNK]
        hits = _search(grafana, dashboard_uids=chunk, type_="dash-db")
        found.update(hit["uid"] for hit in hits if isinstance(hit, dict) and "uid" in hit)
    return found


def _search(grafana: Grafana, **params: Any) -> list[dict[str, Any]]:
    """Every hit, page by page (pages count from 1) until a short page: one page holds at most SEARCH_PAGE."""
    hits: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = _search_page(grafana, params, page)
        hits += batch
        if len(batch) < SEARCH_PAGE:
            return hits
        page += 1


def _search_page(grafana: Grafana, params: Mapping[str, Any], page: int) -> list[dict[str, Any]]:
    try:
        return grafana.call(
            "GET /api/search", lambda api: api.search.search_dashboards(**params, limit=SEARCH_PAGE, page=page), HITS
        )
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        raise refusal(exc, "GET /api/search") from None


def _orphans(grafana: Grafana, bundle: Bundle, folders: tuple[FolderStep, ...], prune: bool) -> list[DashboardStep]:
    """Dashboards in the managed folders that the bundle no longer has."""
    ids = {f.live_id: f.folder.uid for f in folders if f.live_id is not None}
    if not ids:
        return []
    known = {d.uid for d in bundle.dashboards}
    hits = _search(grafana, folder_ids=sorted(ids), type_="dash-db")
    op = "delete" if prune else "not-in-repository"
    reason = "" if prune else "in a managed folder but not in the repository; --prune deletes it"
    return [
        DashboardStep(hit["uid"], str(hit.get("title", "")), str(hit.get("folderUid", "")), op, reason=reason)
        for hit in sorted(hits, key=lambda h: str(h.get("uid")))
        if hit.get("folderUid") in ids.values() and hit.get("uid") not in known
    ]


def _folder_step(grafana: Grafana, folder: Folder) -> FolderStep:
    try:
        live = grafana.call(f"GET /api/folders/{folder.uid}", lambda api: api.folder.get_folder(folder.uid), FOLDER)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) == 404:
            return FolderStep(folder, "create")
        raise refusal(exc, f"GET /api/folders/{folder.uid}") from None
    op = "unchanged" if live.get("title") == folder.title else "update"
    live_id = live.get("id")
    return FolderStep(folder, op, live_id if isinstance(live_id, int) else None, live.get("version"))


def _datasource_step(grafana: Grafana, ds: Datasource, scope: Scope) -> DatasourceStep:
    try:
        live = grafana.call(
            f"GET /api/datasources/uid/{ds.uid}", lambda api: api.datasource.get_datasource_by_uid(ds.uid), DATASOURCE
        )
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) == 404:
            return DatasourceStep(ds, "create", missing_secure=tuple(ds.secure_refs))
        raise refusal(exc, f"GET /api/datasources/uid/{ds.uid}") from None
    differs = [key for key, value in ds.settings.items() if live.get(key) != value]
    held = live.get("secureJsonFields")
    missing = tuple(k for k in ds.secure_refs if not (isinstance(held, dict) and held.get(k)))
    if live.get("readOnly") is True:
        if not differs and not missing:
            return DatasourceStep(ds, "unchanged", live_version=live.get("version"))
        detail = "provisioned read-only in Grafana; left as is"
        detail += f" (differs: {', '.join(differs + [f'secureJsonData.{k}' for k in missing])})"
        return DatasourceStep(ds, "read-only", detail, live.get("version"))
    resend = tuple(ds.secure_refs) if scope.update_secrets else missing
    if not differs and not resend:
        return DatasourceStep(ds, "unchanged", live_version=live.get("version"))
    detail = ", ".join(differs + [f"secureJsonData.{k}" for k in resend])
    return DatasourceStep(ds, "update", f"changes: {detail}", live.get("version"), resend)
