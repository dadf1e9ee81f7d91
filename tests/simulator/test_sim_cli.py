"""`dash simulate`: arguments reach the engine, bad ones exit 2 with a message, nothing is clobbered."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

import cli


def _dash() -> typer.Typer:
    """The command as a subcommand, as `dash` shows it once it has several commands."""
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("simulate")(cli.simulate)
    return app


def test_simulate_writes_the_layout_with_the_given_arguments(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    args = ["simulate", "--out", str(out), "--seed", "5", "--agents", "6", "--contacts", "40", "--hours", "0.5"]
    result = CliRunner().invoke(_dash(), [*args, "--start", "2026-06-30T23:50:00Z"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["arguments"] == {
        "seed": 5,
        "agents": 6,
        "contacts": 40,
        "start": "2026-06-30T23:50:00Z",
        "hours": 0.5,
    }
    for name in ("agent_events.jsonl", "contact_events.jsonl", "collector/snapshots.jsonl", "ground_truth.jsonl"):
        assert (out / name).stat().st_size > 0
    assert sorted(p.name for p in (out / "ctr").iterdir()) == [
        "initiation_date=2026-06-30",
        "initiation_date=2026-07-01",
    ]
    assert manifest["counts"]["contact_records"] == len((out / "ground_truth.jsonl").read_text().splitlines())


def test_zero_contacts_is_a_valid_quiet_period(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = CliRunner().invoke(_dash(), ["simulate", "--out", str(out), "--contacts", "0", "--hours", "0.5"])
    assert result.exit_code == 0, result.output
    assert (out / "ground_truth.jsonl").read_text() == ""
    assert not list((out / "ctr").iterdir())
    assert (out / "agent_events.jsonl").read_text().count('"LOGIN"') == 20


def test_bad_arguments_exit_2_naming_the_argument(tmp_path: Path) -> None:
    for args, named in (
        (["--agents", "1"], "--agents"),
        (["--start", "soon"], "--start"),
        (["--hours", "0"], "--hours"),
    ):
        result = CliRunner().invoke(_dash(), ["simulate", "--out", str(tmp_path / "x"), *args])
        assert result.exit_code == 2
        assert named in result.output
    assert not (tmp_path / "x").exists()


def test_refuses_to_replace_a_directory_that_is_not_a_simulation(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(_dash(), ["simulate", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "manifest.json" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"
