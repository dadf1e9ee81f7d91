"""Shared test fixtures: the repository root and the reference data beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DATA = ROOT.parent / "shared" / "reference" / "data"


def reference_file(relative: str) -> Path:
    """A file from ../shared/reference/data, or a skip saying it is absent."""
    path = REFERENCE_DATA / relative
    if not path.is_file():
        pytest.skip(f"reference file {path} is absent; this test reads it at run time and is skipped without it")
    return path


@pytest.fixture
def repo_root() -> Path:
    return ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
