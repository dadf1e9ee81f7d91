"""Simulated data and the shipped dashboards' previews, written once through `dash preview` as a user runs it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
import connect_simulator as simulator

ROOT = Path(__file__).resolve().parents[2]
START, END = "2026-01-31T22:00:00Z", "2026-02-01T02:00:00Z"
SPAN = ["--from", START, "--to", END]


@pytest.fixture(scope="session")
def preview_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview-sim") / "data"
    simulator.simulate(out, simulator.SimulationConfig(seed=5, agents=12, contacts=300, start=START, hours=4.0))
    return out


@pytest.fixture(scope="session")
def shipped_previews(preview_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped dashboard of the default environment, as `dash preview` draws it (exit 0: no panel failed)."""
    out = tmp_path_factory.mktemp("previews")
    result = CliRunner().invoke(
        cli.app, ["preview", "--data", str(preview_data), *SPAN, "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    return out


def chromium_or_skip() -> str:
    """The system Chromium and Playwright, or a skip saying which is missing (.ci/run installs both)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is absent: pip install playwright (the browser tests use it)")
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("chromium is absent: apt-get install chromium (.ci/run installs it); browser tests skipped")
    return found


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One browser per test module: Playwright's sync driver allows one at a time per thread, and `dash preview
    --png` in another module starts its own."""
    chromium_or_skip()
    from preview.png import browser

    with browser() as launched:
        yield launched
