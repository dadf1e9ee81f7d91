"""Shared steps for the push and diff tests: write a bundle, run the CLI, read the emulator's state."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner, Result

from cli import app
from grafana_sync.bundle import parse_bundle
from grafana_sync.connection import RetryPolicy
from grafana_sync.normalize import normalise
from grafana_sync.plan import Scope
from grafana_sync.push import Connect, push
from tests.grafana.conftest import ADMIN_TOKEN, SECRETS
from tests.grafana.emulator import GrafanaEmulator

FAST_RETRIES = RetryPolicy(attempts=8, base=0.01, cap=0.05)


def write_bundle(root: Path, files: dict[str, bytes]) -> Path:
    """Write the bundle under root/provisioning, replacing what was there."""
    target = root / "provisioning"
    for old in sorted(target.rglob("*"), reverse=True) if target.exists() else []:
        old.unlink() if old.is_file() else old.rmdir()
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run `dash ARGS` on the bundle written under root/provisioning (not an in-memory build)."""
    environment = {"GRAFANA_TOKEN": ADMIN_TOKEN, **SECRETS, **(env or {})}
    bundle = [] if "--bundle" in args else ["--bundle", "provisioning"]
    return CliRunner().invoke(app, [*args, *bundle, "--root", str(root)], env=environment)


def push_engine(
    emulator: GrafanaEmulator,
    files: dict[str, bytes],
    scope: Scope | None = None,
    timeout: float = 2.0,
    concurrency: int = 8,
    dry_run: bool = False,
) -> tuple[int, str, str]:
    """Push through the engine with fast retries; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = push(
        files,
        Connect(emulator.url, token=ADMIN_TOKEN, timeout=timeout, concurrency=concurrency),
        scope or Scope(),
        dry_run,
        SECRETS,
        Console(file=out, width=200),
        Console(file=err, width=200),
        FAST_RETRIES,
    )
    return code, out.getvalue(), err.getvalue()


def assert_state_equals_bundle(emulator: GrafanaEmulator, files: dict[str, bytes]) -> None:
    """Every folder, datasource and dashboard of the bundle is in the emulator as built."""
    bundle = parse_bundle(files)
    state = emulator.state
    assert {uid: f["title"] for uid, f in state.folders.items()} == {f.uid: f.title for f in bundle.folders}
    for ds in bundle.datasources:
        live = state.datasources[ds.uid]
        assert (live["name"], live["type"], live["jsonData"]) == (ds.name, ds.type, ds.settings["jsonData"])
        assert set(live["_secure"]) == set(ds.secure_refs)
    assert set(state.dashboards) == {d.uid for d in bundle.dashboards}
    for d in bundle.dashboards:
        stored = state.dashboards[d.uid]
        assert stored["folderUid"] == d.folder_uid
        assert normalise(stored["dashboard"]) == normalise(d.model), d.uid
