"""The README's command table and panel example say what the code does."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import typer

from cli import app
from tests.compiler.helpers import copy_shipped, run

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    """Every `dash` leaf command by its full name ("build", "env import")."""
    found: dict[str, Any] = {}
    for name, command in typer.main.get_command(app).commands.items():
        if hasattr(command, "commands"):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


def _table_rows() -> list[tuple[str, str]]:
    """(command, what) for each row of the Commands table whose first cell is a `dash ...` command."""
    section = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    return [
        (m.group(1), m.group(2)) for m in re.finditer(r"^\| `dash ([^`]*)` \| ([^|]*(?:\\\|[^|]*)*) \|", section, re.M)
    ]


def test_every_subcommand_has_a_row_and_every_option_a_row_names_exists() -> None:
    commands = _commands()
    root_options = {o for param in typer.main.get_command(app).params for o in param.opts}
    rows = [(cell, what) for cell, what in _table_rows() if not cell.startswith("--")]
    assert {cell for cell, _ in _table_rows() if cell.startswith("--")} <= root_options
    named = {next(c for c in sorted(commands, key=len, reverse=True) if cell.startswith(c)) for cell, _ in rows}
    assert named == set(commands), f"README's Commands table lacks {sorted(set(commands) - named)}"
    for cell, what in rows:
        name = next(c for c in sorted(commands, key=len, reverse=True) if cell.startswith(c))
        options = {o for param in commands[name].params for o in param.opts}
        written = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", cell + " " + what))
        assert written <= options, f"README row `dash {cell}` names {sorted(written - options)}, not options of it"


def _example(fence: str) -> str:
    """The Writing a panel section's first block in this language, as written."""
    section = README.split("## Writing a panel", 1)[1].split("\n## ", 1)[0]
    return section.split(f"```{fence}\n", 1)[1].split("```", 1)[0]


def test_the_writing_a_panel_example_builds_as_pasted_and_shows_a_number(tmp_path: Path) -> None:
    """The README's two files, verbatim, in a copy of this repository: they build clean, and the stat answers
    with the number of chats queued on simulated data."""
    root = copy_shipped(tmp_path)
    (root / "dashboards" / "my_chats.py").write_text(_example("python"), encoding="utf-8")
    (root / "queries" / "athena" / "history" / "chats_queued.sql").write_text(_example("sql"), encoding="utf-8")
    code, output = run("build", "--root", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, output
    written = json.loads((tmp_path / "out" / "dashboards" / "connect-history" / "my-chats-history.json").read_text())
    assert [p["title"] for p in written["panels"] if p["type"] == "stat"] == ["Chats queued"]
    sim = tmp_path / "sim"
    assert run("simulate", "--out", str(sim), "--contacts", "200", "--hours", "2")[0] == 0
    start, end = "2026-01-31T22:00:00Z", "2026-02-01T00:30:00Z"
    args = ["--engine", "local", "--data", str(sim), "--from", start, "--to", end, "--format", "json"]
    code, output = run("query", "my-chats-history", "chats_queued", *args, "--root", str(root), "--env", "staging")
    assert code == 0, output
    truth = [json.loads(line) for line in (sim / "ground_truth.jsonl").read_text().splitlines()]
    expected = sum(1 for c in truth if c["channel"] == "CHAT" and c["enqueued_at"] and start <= c["enqueued_at"] <= end)
    assert expected > 0 and json.loads(output) == [{"chats_queued": expected}], output
