"""dash.yaml's grafana_version decides the schemaVersion every dashboard is written with."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashcompiler.compile import compile_model
from dashcompiler.config import SCHEMA_VERSIONS
from tests.compiler.helpers import copy_project, run

VERSION_LINE = 'grafana_version: "12.0"\n'


def _with_version(tmp_path: Path, line: str) -> Path:
    root = copy_project(tmp_path)
    config = root / "dash.yaml"
    text = config.read_text()
    assert VERSION_LINE in text
    config.write_text(text.replace(VERSION_LINE, line))
    return root


@pytest.mark.parametrize(
    ("line", "schema_version"),
    [
        ('grafana_version: "11.6"\n', 41),
        ('grafana_version: "10.4"\n', 39),
        ("grafana_version: 11.3\n", 40),
        ("", 42),
    ],
    ids=["11.6", "10.4", "unquoted-11.3", "absent-is-12"],
)
def test_grafana_version_sets_every_dashboards_schema_version(tmp_path: Path, line: str, schema_version: int) -> None:
    boards = compile_model(_with_version(tmp_path, line)).dashboards
    assert boards and {b.json["schemaVersion"] for b in boards} == {schema_version}


def test_an_unsupported_grafana_version_is_an_error_listing_the_supported_ones(tmp_path: Path) -> None:
    root = _with_version(tmp_path, 'grafana_version: "13.1"\n')
    code, text = run("build", "--root", str(root))
    flat = " ".join(text.split())
    assert code == 2, text
    assert f"{root / 'dash.yaml'}: grafana_version '13.1' unsupported; use one of {', '.join(SCHEMA_VERSIONS)}" in flat
    assert not (root / "provisioning").exists()


def test_the_environments_time_zone_is_every_dashboards_default_utc(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert {b.json["timezone"] for b in compile_model(root).dashboards} == {"utc"}
    config = root / "dash.yaml"
    config.write_text(
        config.read_text().replace(
            "    service_level_seconds: 30\n", "    service_level_seconds: 30\n    timezone: Europe/London\n", 1
        )
    )
    model = compile_model(root)
    assert model.env.timezone == "Europe/London"
    assert {b.json["timezone"] for b in model.dashboards} == {"Europe/London"}
