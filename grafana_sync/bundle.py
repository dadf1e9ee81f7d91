"""The provisioning bundle (`dash build` output) parsed into what a push needs.

The bundle is a mapping of paths relative to provisioning/ to bytes: built in memory by the compiler's
stages (the CLI composes them), or read from a directory given with --bundle. This package never builds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from core.errors import BundleError
from grafana_sync.envvars import expand_item

# Provisioning-only keys: Grafana's file provisioning reads them, the HTTP API does not take them.
_PROVISIONING_ONLY = {"orgId", "editable", "version", "secureJsonData", "deleteDatasources", "correlations"}


@dataclass(frozen=True)
class Folder:
    uid: str
    title: str


@dataclass(frozen=True)
class Datasource:
    uid: str
    name: str
    type: str
    settings: dict[str, Any]  # the API body without secure values
    secure_refs: dict[str, str]  # secureJsonData key -> value as written ("$VAR"), expanded at push time
    source: str  # bundle path, for messages


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    folder_uid: str
    model: dict[str, Any]
    source: str


@dataclass(frozen=True)
class Bundle:
    folders: tuple[Folder, ...]
    datasources: tuple[Datasource, ...]
    dashboards: tuple[Dashboard, ...]
    warnings: tuple[str, ...] = ()  # unset variables the datasource values reference (read as empty)

    def dashboard(self, uid: str) -> Dashboard | None:
        return next((d for d in self.dashboards if d.uid == uid), None)


def read_bundle_dir(bundle_dir: Path) -> dict[str, bytes]:
    """A bundle folder that `dash build` wrote, as {relative path: bytes}."""
    if not bundle_dir.is_dir():
        raise BundleError(f"{bundle_dir}: no provisioning bundle here; run `dash build` or pass --bundle DIR")
    files = {
        path.relative_to(bundle_dir).as_posix(): path.read_bytes()
        for path in sorted(bundle_dir.rglob("*"))
        if path.is_file()
    }
    if not any(_in_layout(path) for path in files):
        found = f"{len(files)} other file(s)" if files else "nothing"
        raise BundleError(
            f"{bundle_dir}: not a provisioning bundle (no datasources/*.yaml, dashboards/*.yaml or "
            f"dashboards/<folder>/*.json; found {found}); pass the folder `dash build` wrote, e.g. --bundle provisioning"
        )
    return files


def _in_layout(path: str) -> bool:
    """A file `dash build` writes: datasources/*.yaml, dashboards/*.yaml or dashboards/<folder>/*.json."""
    parts = PurePosixPath(path).parts
    if len(parts) == 2 and parts[0] in ("datasources", "dashboards"):
        return parts[1].endswith((".yaml", ".yml"))
    return len(parts) == 3 and parts[0] == "dashboards" and parts[1] != "" and parts[2].endswith(".json")


def parse_bundle(files: Mapping[str, bytes], environ: Mapping[str, str] | None = None) -> Bundle:
    """Validate the layout and return folders, datasources and dashboards in a stable order.

    With `environ`, datasource values are read as Grafana's provisioning reads them (`$VAR`
    expanded, `$$` a literal `$`), so what is pushed and compared is what provisioning would store;
    without it (comparing two bundles' dashboards) they stay as written.
    """
    folders: dict[str, Folder] = {}
    datasources: list[Datasource] = []
    warnings: list[str] = []
    dashboards: list[Dashboard] = []
    for path in sorted(files):
        parts = PurePosixPath(path).parts
        if len(parts) == 2 and parts[0] == "datasources" and parts[1].endswith((".yaml", ".yml")):
            datasources.extend(_datasources(path, _yaml(path, files[path]), environ, warnings))
        elif len(parts) == 2 and parts[0] == "dashboards" and parts[1].endswith((".yaml", ".yml")):
            for folder in _providers(path, _yaml(path, files[path]), environ, warnings):
                if folder.uid in folders and folders[folder.uid] != folder:
                    raise BundleError(f"{path}: folder uid {folder.uid!r} has two titles")
                folders[folder.uid] = folder
    for path in sorted(files):
        parts = PurePosixPath(path).parts
        if len(parts) == 3 and parts[0] == "dashboards" and parts[2].endswith(".json"):
            dashboards.append(_dashboard(path, files[path], folders))
    _unique(datasources, "datasource uid", lambda d: d.uid)
    _unique(datasources, "datasource name", lambda d: d.name)
    _unique(dashboards, "dashboard uid", lambda d: d.uid)
    return Bundle(tuple(folders.values()), tuple(datasources), tuple(dashboards), tuple(warnings))


def _yaml(path: str, data: bytes) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise BundleError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or doc.get("apiVersion") != 1:
        raise BundleError(f"{path}: expected a mapping with apiVersion: 1")
    return doc


def _datasources(
    path: str, doc: dict[str, Any], environ: Mapping[str, str] | None, warnings: list[str]
) -> list[Datasource]:
    result = []
    for index, item in enumerate(doc.get("datasources") or []):
        where = f"{path}: datasources[{index}]"
        if isinstance(item, dict) and environ is not None:
            item, unset = expand_item(item, environ, where)
            warnings.extend(unset)
        if not isinstance(item, dict) or not all(
            item.get(k) and isinstance(item[k], str) for k in ("name", "type", "uid")
        ):
            raise BundleError(f"{where}: needs non-empty string name, type and uid (pin the uid)")
        secure = item.get("secureJsonData") or {}
        if not isinstance(secure, dict) or not all(isinstance(v, str) for v in secure.values()):
            raise BundleError(f"{where}: secureJsonData must map keys to $VAR references")
        settings = {k: v for k, v in item.items() if k not in _PROVISIONING_ONLY}
        settings.setdefault("access", "proxy")
        settings.setdefault("jsonData", {})
        result.append(Datasource(item["uid"], item["name"], item["type"], settings, dict(secure), path))
    return result


def _providers(path: str, doc: dict[str, Any], environ: Mapping[str, str] | None, warnings: list[str]) -> list[Folder]:
    """The folders the dashboard providers name, their values expanded as Grafana's provisioning expands them."""
    result = []
    for index, item in enumerate(doc.get("providers") or []):
        if isinstance(item, dict) and environ is not None:
            item, unset = expand_item(item, environ, f"{path}: providers[{index}]")
            warnings.extend(unset)
        if not isinstance(item, dict) or not item.get("folderUid") or not item.get("folder"):
            raise BundleError(
                f"{path}: providers[{index}] needs folder and folderUid (dashboards go into folders by uid)"
            )
        result.append(Folder(str(item["folderUid"]), str(item["folder"])))
    return result


def _dashboard(path: str, data: bytes, folders: Mapping[str, Folder]) -> Dashboard:
    _, folder_uid, name = PurePosixPath(path).parts
    try:
        model = json.loads(data)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(model, dict) or not isinstance(model.get("uid"), str) or not model.get("title"):
        raise BundleError(f"{path}: a dashboard needs a string uid and a title")
    if model["uid"] != name.removesuffix(".json"):
        raise BundleError(f"{path}: uid {model['uid']!r} does not match the file name")
    if folder_uid not in folders:
        raise BundleError(f"{path}: folder {folder_uid!r} has no provider in dashboards/*.yaml")
    return Dashboard(model["uid"], str(model["title"]), folder_uid, model, path)


def _unique(items: list[Any], what: str, key: Any) -> None:
    seen: dict[str, str] = {}
    for item in items:
        if key(item) in seen:
            raise BundleError(f"{item.source}: {what} {key(item)!r} also in {seen[key(item)]}")
        seen[key(item)] = item.source
