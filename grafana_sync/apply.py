"""Carry out a plan: folders first, then datasources, then dashboards concurrently, then prunes.

Writes are safe to retry: a create or update whose response was lost comes back as a conflict
(409/412) on the retry, and is then checked against the live object instead of being reported
as a failure. 401/403 stop the push with one message (GrafanaUnavailable), except a 403 on a
datasource that Grafana holds read-only ("Cannot modify read-only data source"): that one is
reported and the push goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import GrafanaUnavailable
from grafana_sync.bundle import Dashboard
from grafana_sync.connection import DATASOURCE, FOLDER, OBJECT, Grafana, describe, refusal, status_of
from grafana_sync.normalize import with_push_hash
from grafana_sync.plan import (
    DashboardStep,
    DashboardUnreadable,
    DatasourceStep,
    FolderStep,
    Plan,
    live_dashboard,
    matches,
)
from grafana_sync.workers import run_all

PUSH_MESSAGE = "dash push"


@dataclass(frozen=True)
class Outcome:
    kind: str  # folder | datasource | dashboard
    uid: str
    title: str
    result: str  # created | updated | unchanged | skipped | failed | deleted | read-only
    detail: str = ""


def apply_plan(
    grafana: Grafana,
    plan: Plan,
    secure: Mapping[str, Mapping[str, str]],
    force: bool,
    concurrency: int,
    on_done: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    outcomes = [write_folder(grafana, step) for step in plan.folders]
    broken = {o.uid for o in outcomes if o.result == "failed"}
    outcomes += [_datasource(grafana, step, secure.get(step.datasource.uid, {})) for step in plan.datasources]
    outcomes += run_all(plan.dashboards, lambda s: _dashboard(grafana, s, force, broken), concurrency, on_done)
    return outcomes


def write_folder(grafana: Grafana, step: FolderStep) -> Outcome:
    folder = step.folder
    if step.op == "unchanged":
        return Outcome("folder", folder.uid, folder.title, "unchanged")
    what = f"{'POST /api/folders' if step.op == 'create' else 'PUT /api/folders/' + folder.uid}"
    try:
        if step.op == "create":
            grafana.call(what, lambda api: api.folder.create_folder(folder.title, uid=folder.uid), OBJECT)
        else:
            grafana.call(
                what,
                lambda api: api.folder.update_folder(folder.uid, title=folder.title, version=step.live_version),
                OBJECT,
            )
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        if status_of(exc) in (409, 412) and _folder_title(grafana, folder.uid) == folder.title:
            pass  # a retried write that had already landed
        else:
            return Outcome("folder", folder.uid, folder.title, "failed", f"{what}: {describe(exc)}{_clash(exc, step)}")
    return Outcome("folder", folder.uid, folder.title, "created" if step.op == "create" else "updated")


def _clash(exc: BaseException, step: FolderStep) -> str:
    """A 409 on a create that is not our own landed retry: Grafana holds the title under another uid."""
    if step.op != "create" or status_of(exc) != 409:
        return ""
    return (
        f"; another folder is titled {step.folder.title!r}: rename or delete it in Grafana, "
        "or give this folder another title in the repository"
    )


def _folder_title(grafana: Grafana, uid: str) -> str | None:
    try:
        return grafana.call(f"GET /api/folders/{uid}", lambda api: api.folder.get_folder(uid), FOLDER).get("title")
    except GrafanaUnavailable:
        raise
    except Exception:
        return None


def _datasource(grafana: Grafana, step: DatasourceStep, secure: Mapping[str, str]) -> Outcome:
    ds = step.datasource
    if step.op in ("unchanged", "read-only"):
        return Outcome("datasource", ds.uid, ds.name, step.op, step.detail)
    body: dict[str, Any] = {**ds.settings, "uid": ds.uid, "name": ds.name, "type": ds.type}
    sent = {k: secure[k] for k in step.missing_secure if k in secure}
    if sent:
        body["secureJsonData"] = sent
    if step.op == "create":
        what = "POST /api/datasources"
        request: Callable[[Any], Any] = lambda api: api.datasource.create_datasource(body)  # noqa: E731
    else:
        what = f"PUT /api/datasources/uid/{ds.uid}"
        body["version"] = step.live_version
        request = lambda api: api.datasource.update_datasource_by_uid(ds.uid, body)  # noqa: E731
    try:
        grafana.call(what, request, OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if (
            status_of(exc) == 403
            and step.op == "update"
            and (_live_datasource(grafana, ds.uid) or {}).get("readOnly") is True
        ):
            detail = f"{what}: {describe(exc)}; provisioned read-only in Grafana, left as is"
            return Outcome("datasource", ds.uid, ds.name, "read-only", detail)
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        if not (status_of(exc) == 409 and _datasource_matches(grafana, step)):
            hint = "; a datasource with this name or uid already exists" if status_of(exc) == 409 else ""
            return Outcome("datasource", ds.uid, ds.name, "failed", f"{what}: {describe(exc)}{hint}")
    return Outcome("datasource", ds.uid, ds.name, "created" if step.op == "create" else "updated", step.detail)


def _live_datasource(grafana: Grafana, uid: str) -> dict[str, Any] | None:
    """Re-read a datasource after a refused write, to tell why it was refused; None when that fails too."""
    try:
        return grafana.call(
            f"GET /api/datasources/uid/{uid}", lambda api: api.datasource.get_datasource_by_uid(uid), DATASOURCE
        )
    except GrafanaUnavailable:
        raise
    except Exception:
        return None


def _datasource_matches(grafana: Grafana, step: DatasourceStep) -> bool:
    """After a 409 on a retried write: did the earlier attempt land?"""
    ds = step.datasource
    live = _live_datasource(grafana, ds.uid)
    if live is None:
        return False
    held = live.get("secureJsonFields")
    held = held if isinstance(held, dict) else {}
    return all(live.get(k) == v for k, v in ds.settings.items()) and all(held.get(k) for k in ds.secure_refs)


def _dashboard(grafana: Grafana, step: DashboardStep, force: bool, broken_folders: set[str]) -> Outcome:
    if step.op == "delete":
        return _delete(grafana, step)
    if step.op == "not-in-repository":
        return Outcome("dashboard", step.uid, step.title, "not-in-repository", step.reason)
    if step.op == "unchanged":
        return Outcome("dashboard", step.uid, step.title, "unchanged")
    if step.op == "changed-in-grafana":
        return Outcome("dashboard", step.uid, step.title, "skipped", step.reason)
    if step.op in ("provisioned", "unreadable"):
        return Outcome("dashboard", step.uid, step.title, "failed", step.reason)
    if step.folder_uid in broken_folders:
        return Outcome("dashboard", step.uid, step.title, "failed", f"folder {step.folder_uid!r} could not be written")
    assert step.dashboard is not None, "create and update steps carry the built dashboard"
    done = "created" if step.op == "create" else "updated"
    overwrite = force and step.op == "update"
    try:
        _save(grafana, step.dashboard, step.live_version if step.op == "update" else None, overwrite)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        status = status_of(exc)
        if status in (401, 403):
            raise refusal(exc, "POST /api/dashboards/db") from None
        if not _is_uid_conflict(exc):
            return Outcome("dashboard", step.uid, step.title, "failed", _save_failure(exc, step))
        try:
            found = live_dashboard(grafana, step.uid)
        except DashboardUnreadable as unreadable:
            detail = f"POST /api/dashboards/db answered a conflict ({describe(exc)}), then {unreadable}"
            return Outcome("dashboard", step.uid, step.title, "failed", detail)
        if found is not None and matches(found, step.dashboard):
            return Outcome("dashboard", step.uid, step.title, done, step.reason)
        if not force:
            return Outcome(
                "dashboard", step.uid, step.title, "skipped", "changed in Grafana during the push; use --force"
            )
        try:
            _save(grafana, step.dashboard, None, True)
        except GrafanaUnavailable:
            raise
        except Exception as again:
            if status_of(again) in (401, 403):
                raise refusal(again, "POST /api/dashboards/db") from None
            return Outcome("dashboard", step.uid, step.title, "failed", _save_failure(again, step))
    return Outcome("dashboard", step.uid, step.title, done, step.reason)


def _save(grafana: Grafana, dashboard: Dashboard, version: int | None, overwrite: bool) -> None:
    model = with_push_hash(dashboard.model)
    if version is not None:
        model["version"] = version
    body = {"dashboard": model, "folderUid": dashboard.folder_uid, "overwrite": overwrite, "message": PUSH_MESSAGE}
    grafana.call("POST /api/dashboards/db", lambda api: api.dashboard.update_dashboard(body), OBJECT)


def _is_uid_conflict(exc: BaseException) -> bool:
    """412 version-mismatch, or 400 "same uid already exists": someone (maybe our lost attempt) wrote first."""
    if status_of(exc) == 412:
        return _conflict_kind(exc) != "name-exists"
    body = getattr(exc, "response", None)
    message = str(body.get("message", "")) if isinstance(body, dict) else ""
    return status_of(exc) == 400 and "already exists" in message


def _conflict_kind(exc: BaseException) -> str:
    body = getattr(exc, "response", None)
    return str(body.get("status", "")) if isinstance(body, dict) else ""


def _save_failure(exc: BaseException, step: DashboardStep) -> str:
    if _conflict_kind(exc) == "name-exists":
        return f"another dashboard titled {step.title!r} exists in folder {step.folder_uid!r}; rename one of them"
    return f"POST /api/dashboards/db: {describe(exc)}"


def _delete(grafana: Grafana, step: DashboardStep) -> Outcome:
    what = f"DELETE /api/dashboards/uid/{step.uid}"
    try:
        grafana.call(what, lambda api: api.dashboard.delete_dashboard(step.uid), OBJECT)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) in (401, 403):
            raise refusal(exc, what) from None
        if status_of(exc) != 404:  # 404: an earlier attempt already deleted it
            return Outcome("dashboard", step.uid, step.title, "failed", f"{what}: {describe(exc)}")
    return Outcome("dashboard", step.uid, step.title, "deleted")
