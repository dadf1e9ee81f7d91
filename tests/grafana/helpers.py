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
from grafana_sync.push import GrafanaOptions, push
from tests.grafana.conftest import ADMIN_TOKEN, SECRETS
from tests.grafana.emulator import GrafanaEmulator

FAST_RETRIES = RetryPolicy(attempts=8, base=0.01, cap=0.05)
# What the example project's contact points read (its dash.yaml alerts.contact), as Grafana's provisioning would.
PROJECT_ALERT_ENV = {
    "CC_ALERT_EMAIL": "ops@example.com",
    "CC_ALERT_TOPIC": "arn:aws:sns:eu-west-1:123456789012:cc-alerts",
}
RESULTS = ("created", "updated", "unchanged", "skipped", "failed", "deleted", "read-only")


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
    terminal: bool = False,
    environ: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """Push through the engine with fast retries; returns (exit code, stdout, stderr).

    terminal=True makes stderr a terminal (where the progress bar is drawn); environ adds variables to
    SECRETS for the push to read."""
    out, err = io.StringIO(), io.StringIO()
    code = push(
        files,
        GrafanaOptions(emulator.url, token=ADMIN_TOKEN, timeout=timeout, concurrency=concurrency),
        scope or Scope(),
        dry_run,
        {**SECRETS, **(environ or {})},
        Console(file=out, width=200),
        Console(file=err, width=200, force_terminal=terminal),
        FAST_RETRIES,
    )
    return code, out.getvalue(), err.getvalue()


def assert_state_equals_bundle(emulator: GrafanaEmulator, files: dict[str, bytes]) -> None:
    """Every folder, datasource and dashboard of the bundle is in the emulator as built (datasource values
    read as Grafana's provisioning would, in the environment push_engine pushes with)."""
    bundle = parse_bundle(files, SECRETS)
    state = emulator.state
    assert {uid: f["title"] for uid, f in state.folders.items()} == {f.uid: f.title for f in bundle.folders}
    for ds in bundle.datasources:
        live = state.datasources[ds.uid]
        assert (live["name"], live["type"]) == (ds.name, ds.type)
        assert {key: live.get(key) for key in ds.settings} == ds.settings
        assert set(live["_secure"]) == set(ds.secure_refs)
    assert set(state.dashboards) == {d.uid for d in bundle.dashboards}
    for d in bundle.dashboards:
        stored = state.dashboards[d.uid]
        assert stored["folderUid"] == d.folder_uid
        assert normalise(stored["dashboard"]) == normalise(d.model), d.uid


def summary(out: str) -> dict[str, dict[str, int]]:
    """The push summary as printed off a terminal: kind (folders, ...) -> result -> count."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == list(RESULTS))
    rows = {}
    for line in lines[header + 1 : header + 4]:
        kind, *counts = line.split()
        rows[kind] = dict(zip(RESULTS, map(int, counts), strict=True))
    return rows


def counts(**results: int) -> dict[str, int]:
    """A summary row: the given results, zero for the rest."""
    return {result: results.get(result.replace("-", "_"), 0) for result in RESULTS}


def plan_ops(out: str) -> dict[str, str]:
    """The dashboards section of a printed plan: dashboard uid -> planned operation."""
    lines = out.splitlines()
    ops = {}
    for line in lines[lines.index("Dashboards:") + 1 :]:
        if not line.startswith("  ") or line.startswith("      "):
            if line.startswith("Plan:"):
                break
            continue
        op, where = line.split()[:2]
        ops[where.rpartition("/")[2]] = op
    return ops
