"""A Grafana HTTP API emulator for tests and the push benchmark: real HTTP on 127.0.0.1.

It implements the endpoints `dash push` and `dash diff` use, with Grafana's documented
semantics (grafana-contracts.md §1): dashboard versions and 412 version-mismatch without
overwrite, 412 name-exists, folders by uid (409 on a duplicate), datasources by uid (409 on a
name/uid conflict or a stale version, 403 when read-only), 404 bodies, search. It validates every
request against Grafana's OpenAPI description and can inject faults (5xx, 429 with Retry-After,
responses slower than the client's timeout, dropped connections).

Grafana publishes its API description twice, as api-merged.json (Swagger 2.0) and as
openapi3.json (the same description in OpenAPI 3), both from Grafana 9.3.2 in the reference
data. Validation uses openapi-core, which reads OpenAPI 3.x but not Swagger 2.0, so it loads
openapi3.json. GET /api/health is not in that description (it is documented in Grafana's HTTP
API docs), so it is the one path exempt (UNSPECIFIED_PATHS).

Run standalone for the benchmark: python -m tests.grafana.emulator --latency 0.02
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.grafana.emulator_alerting import ROUTES as ALERTING_ROUTES
from tests.grafana.emulator_alerting import AlertingEndpoints, AlertingState, ApiFailure, Reply
from tests.servers import POLL_SECONDS

# What this emulated Grafana returns for a saved dashboard where it differs from what was sent, as
# Grafana 12 does: id and version set, schemaVersion migrated to the latest (42, grafana-contracts.md
# §2; 12.0.0 returned the migrated form through /api), pluginVersion on every panel but rows,
# including the panels inside collapsed rows.
GRAFANA_VERSION = "12.0.0"
LATEST_SCHEMA_VERSION = 42
UNSPECIFIED_PATHS = {"/api/health"}  # documented endpoints absent from the 9.3.2 OpenAPI description
ALERTING_PREFIX = "/api/v1/provisioning/"  # held to the alerting provisioning extract of Grafana 12's description
WRITE_METHODS = {"POST", "PUT", "DELETE", "PATCH"}
# The datasource settings Grafana stores from a create or update body, with the value it stores when unsent.
DATASOURCE_FIELDS: dict[str, Any] = {
    "access": "proxy",
    "url": "",
    "user": "",
    "database": "",
    "basicAuth": False,
    "basicAuthUser": "",
    "withCredentials": False,
    "isDefault": False,
    "jsonData": {},
}


@dataclass
class Faults:
    """Share of requests that fail, and how. Seeded so a failing run can be replayed."""

    rate: float = 0.0
    kinds: tuple[str, ...] = ("5xx", "429", "slow", "drop-before", "drop-after")
    retry_after: str = "0"
    slow_seconds: float = 1.0
    seed: int = 7
    only: str = ""  # a regex on "METHOD /path": faults hit only the requests it matches (all when empty)
    once: bool = False  # fault each "METHOD /path" at most once, so that a retry meets the real endpoint
    # Also "echo": a 400 whose message quotes the request body, as some servers and proxies answer; and
    # "answer": what `answer(method, path, headers, body)` returns (status, content type, body), as a server
    # that is not Grafana (a proxy's login page, a default web page, a health check) answers.
    answer: Callable[[str, str, dict[str, str], bytes], tuple[int, str, bytes]] | None = None


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    status: int  # 0 when the connection was dropped
    fault: str = ""


@dataclass
class State:
    folders: dict[str, dict[str, Any]] = field(default_factory=dict)
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> {dashboard, folderUid, provisioned}
    datasources: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> public fields + _secure
    alerting: AlertingState = field(default_factory=AlertingState)
    next_id: int = 1


class ApiError(Exception):
    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.body = {"message": message, **extra}


class SpecValidator:
    """Checks requests against Grafana's openapi3.json (api-merged.json is Swagger 2.0, which openapi-core cannot read)."""

    def __init__(self, spec_path: Path, amend: Callable[[dict[str, Any]], None] = lambda spec: None) -> None:
        from openapi_core import Config, OpenAPI

        spec = json.loads(spec_path.read_text())
        amend(spec)
        # The 9.3.2 description has an unresolvable path parameter elsewhere (reports/render/pdf),
        # so the description itself is not validated on load; requests still are.
        self.api = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))

    def check(self, method: str, url: str, headers: dict[str, str], body: bytes) -> str | None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        parts = urlsplit(url)
        request = _SpecRequest(
            host_url="http://127.0.0.1",
            path=parts.path,
            method=method.lower(),
            body=body or None,
            content_type=headers.get("Content-Type", "application/json").split(";")[0].strip().lower(),
            parameters=RequestParameters(
                query=ImmutableMultiDict(parse_qsl(parts.query, keep_blank_values=True)),
                header=Headers(headers),
                cookie=ImmutableMultiDict(),
            ),
        )
        try:
            self.api.validate_request(request)
        except Exception as exc:
            cause = f" ({exc.__cause__})" if exc.__cause__ else ""
            return f"{method} {parts.path}: {type(exc).__name__}: {exc}{cause}"
        return None

    def check_response(
        self, method: str, url: str, headers: dict[str, str], body: bytes, status: int, data: bytes
    ) -> str | None:
        """The emulator's own answer against the description: a stand-in that answers off-spec proves little."""
        from openapi_core.datatypes import RequestParameters
        from openapi_core.templating.responses.exceptions import ResponseNotFound
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        parts = urlsplit(url)
        request = _SpecRequest(
            host_url="http://127.0.0.1",
            path=parts.path,
            method=method.lower(),
            body=body or None,
            content_type="application/json",
            parameters=RequestParameters(
                query=ImmutableMultiDict(parse_qsl(parts.query, keep_blank_values=True)),
                header=Headers(headers),
                cookie=ImmutableMultiDict(),
            ),
        )
        response = _SpecResponse(data, status, "application/json" if data else "", Headers({}))
        try:
            self.api.validate_response(request, response)
        except ResponseNotFound:
            return None  # a status the description leaves out (Grafana's 500 on a provenance clash): its body unchecked
        except Exception as exc:
            cause = f" ({exc.__cause__})" if exc.__cause__ else ""
            return f"{method} {parts.path} answered {status}: {type(exc).__name__}: {exc}{cause}"
        return None


def grafana_12_enums(spec: dict[str, Any]) -> None:
    """Values Grafana 12 takes that the extract's enums (generated from older annotations) still lack: KeepLast for
    both state fields (a 12 addition, grafana-alerting-cloudwatch.md §1) and the SNS receiver (the same section's
    contact points). Nothing else of the description is changed."""
    schemas = spec["components"]["schemas"]
    rule = schemas["ProvisionedAlertRule"]["properties"]
    for key in ("noDataState", "execErrState"):
        rule[key]["enum"] = [*rule[key]["enum"], "KeepLast"]
    point = schemas["EmbeddedContactPoint"]["properties"]["type"]
    point["enum"] = sorted([*point["enum"], "sns"])


@dataclass
class _SpecResponse:
    data: bytes
    status_code: int
    content_type: str
    headers: Any


@dataclass
class _SpecRequest:
    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: Any


class GrafanaEmulator(AlertingEndpoints):
    def __init__(
        self,
        spec_path: Path | None,
        tokens: dict[str, str] | None = None,
        users: dict[tuple[str, str], str] | None = None,
        latency: float = 0.0,
        faults: Faults | None = None,
        alerting_spec_path: Path | None = None,
    ) -> None:
        self.validator = SpecValidator(spec_path) if spec_path and spec_path.is_file() else None
        self.validation_note = (
            ""
            if self.validator
            else f"request validation skipped: {spec_path} is absent (Grafana's OpenAPI 3 description, the form of "
            "api-merged.json that openapi-core can read)"
        )
        present = alerting_spec_path is not None and alerting_spec_path.is_file()
        self.alerting_validator = (
            SpecValidator(alerting_spec_path, grafana_12_enums) if alerting_spec_path and present else None
        )
        if alerting_spec_path is not None and not present:
            self.validation_note += f"; alerting requests unchecked: {alerting_spec_path} is absent"
        self.tokens = tokens or {}  # bearer token -> role (Admin, Editor, Viewer)
        self.users = users or {}  # (user, password) -> role
        self.latency = latency
        self.faults = faults or Faults()
        self.healthy = True
        self.state = State()
        self.log: list[Logged] = []
        self.validation_errors: list[str] = []
        self.server_errors: list[str] = []
        self.org_headers: list[str | None] = []
        self.authorizations: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests being answered at once, to see client concurrency
        self._lock = threading.RLock()
        self._random = random.Random(self.faults.seed)
        self._faulted: set[str] = set()  # "METHOD /path" already faulted (Faults.once)
        self._server: ThreadingHTTPServer | None = None
        self._scheme = "http"
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, port: int = 0, tls: ssl.SSLContext | None = None) -> str:
        """Serve on 127.0.0.1 (port 0: any free one); over HTTPS when given a server TLS context."""
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_SECONDS,), name="grafana-emulator", daemon=True
        )
        self._thread.start()
        return self.url

    @property
    def alerting(self) -> AlertingState:  # type: ignore[override]
        """Rules, contact points and the policy tree: part of the state, so a new State() empties them too."""
        return self.state.alerting

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the emulator first"
        return f"{self._scheme}://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- inspection helpers for tests ------------------------------------------------------

    def writes(self) -> list[Logged]:
        return [entry for entry in self.log if entry.method in WRITE_METHODS]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.max_in_flight = 0

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._random = random.Random(faults.seed)
            self._faulted.clear()

    def edit_dashboard(self, uid: str, change: dict[str, Any]) -> None:
        """What a user saving in Grafana's UI does: new content, version + 1, unknown fields dropped."""
        with self._lock:
            stored = self.state.dashboards[uid]
            model = {k: v for k, v in stored["dashboard"].items() if k != "dashPushHash"}
            model.update(change)
            model["version"] += 1
            stored["dashboard"] = model

    # --- request handling ------------------------------------------------------------------

    def pick_fault(self, method: str, path: str) -> str:
        with self._lock:
            if self.faults.only and not re.fullmatch(self.faults.only, f"{method} {path}"):
                return ""
            if self.faults.once and f"{method} {path}" in self._faulted:
                return ""
            if self.faults.rate and self._random.random() < self.faults.rate:
                self._faulted.add(f"{method} {path}")
                return self._random.choice(self.faults.kinds)
        return ""

    def record(self, entry: Logged) -> None:
        with self._lock:
            self.log.append(entry)

    def authorise(self, method: str, path: str, headers: dict[str, str]) -> None:
        header = headers.get("Authorization", "")
        self.authorizations.append(header)
        role = None
        if header.startswith("Bearer "):
            role = self.tokens.get(header[len("Bearer ") :])
        elif header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                user, password = "", ""
            role = self.users.get((user, password))
        if role is None:
            raise ApiError(401, "Unauthorized")
        if method in WRITE_METHODS and role == "Viewer":
            raise ApiError(403, "You'll need additional permissions to perform this action.")
        if path.startswith("/api/datasources") and role != "Admin":
            raise ApiError(403, "You'll need additional permissions to perform this action.")

    def validate(self, method: str, url: str, headers: dict[str, str], body: bytes) -> str | None:
        """Every request is checked, whatever fault it then meets: a malformed retry is still a bug."""
        validator = self._validator_for(url)
        if validator is None or urlsplit(url).path in UNSPECIFIED_PATHS:
            return None
        problem = validator.check(method, url, headers, body)
        if problem:
            with self._lock:
                self.validation_errors.append(problem)
        return problem

    def _validator_for(self, url: str) -> SpecValidator | None:
        return self.alerting_validator if urlsplit(url).path.startswith(ALERTING_PREFIX) else self.validator

    def validate_answer(
        self, method: str, url: str, headers: dict[str, str], body: bytes, status: int, data: bytes
    ) -> None:
        """Alerting answers are checked against the description too (the 9.3.2 one lacks many of Grafana 12's)."""
        validator = self.alerting_validator if urlsplit(url).path.startswith(ALERTING_PREFIX) else None
        if validator is None:
            return
        problem = validator.check_response(method, url, headers, body, status, data)
        if problem:
            with self._lock:
                self.validation_errors.append(problem)

    def entered(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def left(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(url)
        path = parts.path
        if path == "/api/health":
            if not self.healthy:
                return 503, {"database": "failing", "version": GRAFANA_VERSION}, {}
            return 200, {"database": "ok", "version": GRAFANA_VERSION, "commit": "emulator"}, {}
        self.org_headers.append(headers.get("X-Grafana-Org-Id"))
        query = parse_qsl(parts.query)
        payload = json.loads(body) if body else None
        try:
            self.authorise(method, path, headers)
            with self._lock:
                answer = self.route(method, path, query, payload, headers)
            if isinstance(answer, Reply):
                return answer.status, answer.body, {}
            return 200, answer, {}
        except (ApiError, ApiFailure) as exc:
            return exc.code, exc.body, {}
        except Exception as exc:  # an emulator bug: answer 500 and make the fixture fail
            with self._lock:
                self.server_errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return 500, {"message": "emulator error"}, {}

    def route(self, method: str, path: str, query: list[tuple[str, str]], payload: Any, headers: dict[str, str]) -> Any:
        for pattern, verb, action in [*_ROUTES, *ALERTING_ROUTES]:
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                return action(self, *match.groups(), query=query, payload=payload, headers=headers)
        raise ApiError(404, "Not found")

    # --- endpoints -------------------------------------------------------------------------

    def _new_id(self) -> int:
        self.state.next_id += 1
        return self.state.next_id

    def get_folder(self, uid: str, **_: Any) -> Any:
        if uid not in self.state.folders:
            raise ApiError(404, "folder not found", status="not-found")
        return self.state.folders[uid]

    def list_folders(self, **_: Any) -> Any:
        return [{"id": f["id"], "uid": f["uid"], "title": f["title"]} for f in self.state.folders.values()]

    def create_folder(self, payload: Any, **_: Any) -> Any:
        uid, title = payload.get("uid") or f"f{self.state.next_id}", payload.get("title", "")
        if not title:
            raise ApiError(400, "folder title cannot be empty")
        if uid in self.state.folders:
            raise ApiError(409, "a folder with the same uid already exists")
        if any(f["title"] == title for f in self.state.folders.values()):
            raise ApiError(409, "a folder or dashboard in the general folder with the same name already exists")
        folder = {"id": self._new_id(), "uid": uid, "title": title, "url": f"/dashboards/f/{uid}/", "version": 1}
        self.state.folders[uid] = folder
        return folder

    def update_folder(self, uid: str, payload: Any, **_: Any) -> Any:
        folder = self.get_folder(uid)
        if not payload.get("overwrite") and payload.get("version") != folder["version"]:
            raise ApiError(412, "the folder has been changed by someone else", status="version-mismatch")
        folder.update(title=payload.get("title", folder["title"]), version=folder["version"] + 1)
        return folder

    def get_dashboard(self, uid: str, **_: Any) -> Any:
        stored = self.state.dashboards.get(uid)
        if stored is None:
            raise ApiError(404, "Dashboard not found")
        folder = self.state.folders.get(stored["folderUid"], {})
        meta = {
            "type": "db",
            "slug": _slug(stored["dashboard"]["title"]),
            "url": f"/d/{uid}/{_slug(stored['dashboard']['title'])}",
            "version": stored["dashboard"]["version"],
            "folderUid": stored["folderUid"],
            "folderId": folder.get("id", 0),
            "folderTitle": folder.get("title", "General"),
            "provisioned": stored["provisioned"],
            "canSave": True,
        }
        return {"dashboard": copy.deepcopy(stored["dashboard"]), "meta": meta}

    def save_dashboard(self, payload: Any, **_: Any) -> Any:
        model = copy.deepcopy(payload.get("dashboard") or {})
        folder_uid = payload.get("folderUid") or ""
        overwrite = bool(payload.get("overwrite"))
        if not str(model.get("title", "")).strip():
            raise ApiError(400, "Dashboard title cannot be empty", status="empty-name")
        uid = model.get("uid") or f"d{self.state.next_id}"
        if len(uid) > 40:
            raise ApiError(400, "uid too long, max 40 characters", status="uid-too-long")
        if folder_uid and folder_uid not in self.state.folders:
            raise ApiError(400, "folder not found", status="folder-not-found")
        existing = self.state.dashboards.get(uid)
        if existing and existing["provisioned"]:
            raise ApiError(400, "Cannot save provisioned dashboard", status="provisioned-dashboard")
        if existing and not overwrite and model.get("version") != existing["dashboard"]["version"]:
            raise ApiError(412, "The dashboard has been changed by someone else", status="version-mismatch")
        for other_uid, other in self.state.dashboards.items():
            same_place = other["folderUid"] == folder_uid and other["dashboard"]["title"] == model["title"]
            if other_uid != uid and same_place and not overwrite:
                raise ApiError(412, "A dashboard with the same name in the folder already exists", status="name-exists")
        version = existing["dashboard"]["version"] + 1 if existing else 1
        model.update(uid=uid, version=version, id=existing["dashboard"]["id"] if existing else self._new_id())
        model["schemaVersion"] = max(int(model.get("schemaVersion") or 0), LATEST_SCHEMA_VERSION)
        _add_plugin_versions(model.get("panels") or [])
        self.state.dashboards[uid] = {"dashboard": model, "folderUid": folder_uid, "provisioned": False}
        return {"id": model["id"], "uid": uid, "url": f"/d/{uid}", "status": "success", "version": version}

    def delete_dashboard(self, uid: str, **_: Any) -> Any:
        stored = self.state.dashboards.get(uid)
        if stored is None:
            raise ApiError(404, "Dashboard not found")
        if stored["provisioned"]:
            raise ApiError(400, "provisioned dashboard cannot be deleted")
        del self.state.dashboards[uid]
        title = stored["dashboard"]["title"]
        return {"title": title, "message": f"Dashboard {title} deleted", "id": stored["dashboard"]["id"]}

    def search(self, query: list[tuple[str, str]], **_: Any) -> Any:
        uids = {v for k, v in query if k == "dashboardUIDs"}
        folder_ids = {int(v) for k, v in query if k == "folderIds"}
        kind = dict(query).get("type")
        limit, page = int(dict(query).get("limit", 1000)), int(dict(query).get("page", 1))
        if limit > 5000:
            raise ApiError(422, "Limit is above maximum allowed (5000), use page parameter to access hits beyond limit")
        hits = []
        if kind in (None, "dash-folder") and not uids:
            hits += [
                {"id": f["id"], "uid": f["uid"], "title": f["title"], "type": "dash-folder", "tags": []}
                for f in self.state.folders.values()
                if not folder_ids
            ]
        if kind in (None, "dash-db"):
            for uid, stored in self.state.dashboards.items():
                folder = self.state.folders.get(stored["folderUid"], {})
                if (uids and uid not in uids) or (folder_ids and folder.get("id", 0) not in folder_ids):
                    continue
                hits.append(
                    {
                        "id": stored["dashboard"]["id"],
                        "uid": uid,
                        "title": stored["dashboard"]["title"],
                        "type": "dash-db",
                        "tags": stored["dashboard"].get("tags", []),
                        "folderUid": stored["folderUid"],
                        "folderId": folder.get("id", 0),
                    }
                )
        hits.sort(key=lambda h: h["title"])
        return hits[(page - 1) * limit : page * limit]

    def get_datasource(self, uid: str, **_: Any) -> Any:
        stored = self.state.datasources.get(uid)
        if stored is None:
            raise ApiError(404, "Data source not found")
        public = {k: copy.deepcopy(v) for k, v in stored.items() if k != "_secure"}
        public["secureJsonFields"] = {k: True for k in stored["_secure"]}
        return public

    def create_datasource(self, payload: Any, **_: Any) -> Any:
        uid = payload.get("uid") or f"ds{self.state.next_id}"
        if uid in self.state.datasources or any(
            d["name"] == payload.get("name") for d in self.state.datasources.values()
        ):
            raise ApiError(409, "data source with the same name or uid already exists")
        stored = {
            "id": self._new_id(),
            "uid": uid,
            "orgId": 1,
            "name": payload["name"],
            "type": payload["type"],
            "typeLogoUrl": "",
            **{key: copy.deepcopy(payload.get(key, default)) for key, default in DATASOURCE_FIELDS.items()},
            "version": 1,
            "readOnly": False,
            "_secure": dict(payload.get("secureJsonData") or {}),
        }
        self.state.datasources[uid] = stored
        return {"id": stored["id"], "name": stored["name"], "message": "Datasource added"}

    def update_datasource(self, uid: str, payload: Any, **_: Any) -> Any:
        """Grafana replaces every field with what the PUT sends (unsent: zero values); secure keys merge."""
        stored = self.state.datasources.get(uid)
        if stored is None:
            raise ApiError(404, "Data source not found")
        if stored["readOnly"]:
            raise ApiError(403, "Cannot modify read-only data source")
        if any(d["name"] == payload.get("name") and d["uid"] != uid for d in self.state.datasources.values()):
            raise ApiError(409, "data source with the same name already exists")
        if payload.get("version") and payload["version"] < stored["version"]:
            raise ApiError(409, "Datasource has already been updated by someone else. Please reload and try again")
        stored.update(name=payload["name"], type=payload["type"])
        stored.update({key: copy.deepcopy(payload.get(key, default)) for key, default in DATASOURCE_FIELDS.items()})
        stored["_secure"].update(payload.get("secureJsonData") or {})
        stored["version"] = max(stored["version"], payload.get("version") or 0) + 1
        return {"id": stored["id"], "name": stored["name"], "message": "Datasource updated"}


_ROUTES = [
    (r"/api/folders", "GET", GrafanaEmulator.list_folders),
    (r"/api/folders", "POST", GrafanaEmulator.create_folder),
    (r"/api/folders/([^/]+)", "GET", GrafanaEmulator.get_folder),
    (r"/api/folders/([^/]+)", "PUT", GrafanaEmulator.update_folder),
    (r"/api/dashboards/db", "POST", GrafanaEmulator.save_dashboard),
    (r"/api/dashboards/uid/([^/]+)", "GET", GrafanaEmulator.get_dashboard),
    (r"/api/dashboards/uid/([^/]+)", "DELETE", GrafanaEmulator.delete_dashboard),
    (r"/api/search", "GET", GrafanaEmulator.search),
    (r"/api/datasources", "POST", GrafanaEmulator.create_datasource),
    (r"/api/datasources/uid/([^/]+)", "GET", GrafanaEmulator.get_datasource),
    (r"/api/datasources/uid/([^/]+)", "PUT", GrafanaEmulator.update_datasource),
]


def _add_plugin_versions(panels: list[Any]) -> None:
    """Grafana stamps each panel, including those inside collapsed rows, with the version that saved it."""
    for panel in panels:
        if not isinstance(panel, dict):
            continue
        if panel.get("type") == "row":
            _add_plugin_versions(panel.get("panels") or [])
        else:
            panel.setdefault("pluginVersion", GRAFANA_VERSION)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    emulator: GrafanaEmulator

    def setup(self) -> None:
        """No Nagle delay: headers and body go out as separate writes, which would add ~40 ms per response."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator keeps its own log."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.emulator.entered()
        try:
            self._respond(body)
        finally:
            self.emulator.left()

    def _respond(self, body: bytes) -> None:
        emulator = self.emulator
        path = urlsplit(self.path).path
        if emulator.latency:
            time.sleep(emulator.latency)
        problem = emulator.validate(self.command, self.path, dict(self.headers.items()), body)
        if problem:
            emulator.record(Logged(self.command, path, 400))
            message = f"emulator: request does not match Grafana's OpenAPI description: {problem}"
            return self._send(400, {"message": message}, {})
        fault = emulator.pick_fault(self.command, path)
        if fault == "drop-before":
            return self._drop(path, fault)
        if fault == "answer" and emulator.faults.answer is not None:
            status, kind, data = emulator.faults.answer(self.command, self.path, dict(self.headers.items()), body)
            emulator.record(Logged(self.command, path, status, fault))
            return self._send_raw(status, kind, data)
        if fault == "echo":
            emulator.record(Logged(self.command, path, 400, fault))
            return self._send(400, {"message": f"invalid request body: {body.decode()}"}, {})
        if fault in ("5xx", "429"):
            status = 503 if fault == "5xx" else 429
            headers = {"Retry-After": emulator.faults.retry_after} if fault == "429" else {}
            emulator.record(Logged(self.command, path, status, fault))
            return self._send(status, {"message": "emulated fault"}, headers)
        status, payload, headers = emulator.handle(self.command, self.path, dict(self.headers.items()), body)
        data = b"" if status == 204 else json.dumps(payload).encode()
        emulator.validate_answer(self.command, self.path, dict(self.headers.items()), body, status, data)
        emulator.record(Logged(self.command, path, status, fault))
        if fault == "drop-after":
            return self._drop(path, fault)
        if fault == "slow":
            time.sleep(emulator.faults.slow_seconds)
        self._send_raw(status, "application/json" if data else "", data, headers)

    def _drop(self, path: str, fault: str) -> None:
        if fault == "drop-before":
            self.emulator.record(Logged(self.command, path, 0, fault))
        self.close_connection = True

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        self._send_raw(status, "application/json", json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, kind: str, data: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve


def main() -> None:
    """Serve an emulator until interrupted; prints its URL (used by bench/bench_push.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--token", default="bench-token", help="the accepted Admin bearer token")
    parser.add_argument("--spec", type=Path, default=None, help="openapi3.json to validate requests against")
    args = parser.parse_args()
    emulator = GrafanaEmulator(args.spec, tokens={args.token: "Admin"}, latency=args.latency)
    print(emulator.start(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
