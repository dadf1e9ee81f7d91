"""A real git repository for `dash diff --git`: a copy of the project committed, then edited and committed again,
and simulated data both revisions run on."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import connect_simulator as simulator
from cli import app
from tests.localquery.truth import Truth

ROOT = Path(__file__).resolve().parents[2]
WHOLE = ("2026-01-31T21:00:00Z", "2026-02-01T06:00:00Z")  # all the simulated traffic
UID = "connect-history-contacts"


def voice(record: Truth) -> bool:
    return bool(record["channel"] == "VOICE")


@pytest.fixture(scope="session")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "data"
    config = simulator.SimulationConfig(seed=11, agents=14, contacts=500, start="2026-01-31T22:00:00Z", hours=4.0)
    simulator.simulate(out, config)
    return out


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: {old!r} is not there once; the shipped file changed"
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="session")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's definitions, queries and committed bundle at HEAD~1; at HEAD four edits."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("dashboards", "queries", "provisioning"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("dash.yaml", ".gitignore"):
        shutil.copy(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    history = root / "queries" / "athena" / "history"
    edit(history / "service_level.sql", "\nFROM ctr", "\nFROM ctr\nWHERE channel = 'VOICE'")
    edit(history / "agents.sql", "IS NOT NULL\n", "IS NOT NULL AND channel = 'VOICE'\n")
    definition = root / "dashboards" / "history_contacts.py"
    edit(
        definition,
        '+ QUEUE_SCOPE,\n                    DURATION,\n                    0,\n                    thresholds(("green", None), ("orange", 30)',
        '+ QUEUE_SCOPE,\n                    "s",\n                    0,\n                    thresholds(("green", None), ("orange", 30)',
    )
    edit(definition, '"transfers",\n', '"transfers_out",\n')
    git(root, "mv", "queries/athena/history/transfers.sql", "queries/athena/history/transfers_out.sql")
    git(root, "commit", "-qam", "voice only, ASA in seconds, transfers renamed")
    return root


def instance(sim: Path) -> str:
    return str(json.loads((sim / "manifest.json").read_text())["instance"]["id"])


def run(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--root", str(repo)])
