"""The README's command table and panel example say what the code does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import typer

from cli import app
from tests.compiler.helpers import run

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


def _panel_example() -> str:
    section = README.split("## Writing a panel", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_writing_a_panel_example_builds(tmp_path: Path) -> None:
    """The snippet, as written, in a dashboard declaring the variables its SQL uses, builds clean."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "dashboards").mkdir()
    for helper in ("__init__.py", "_common.py"):
        shutil.copy(REPO / "dashboards" / helper, root / "dashboards" / helper)
    shutil.copy(REPO / "dash.yaml", root / "dash.yaml")
    panel = _panel_example().strip().replace("\n", "\n                ")
    (root / "dashboards" / "example.py").write_text(
        f"""from grafanalib.core import Stat

from dashboards._common import CHANNEL, INSTANCE, QUEUE
from dashcompiler.api import Dashboard, Panel, RealtimeQuery, Row, thresholds

DASHBOARD = Dashboard(
    uid="readme-example",
    title="README example",
    folder="connect-realtime",
    variables=(INSTANCE, QUEUE, CHANNEL),
    rows=(
        Row(
            "Now",
            (
                {panel},
            ),
        ),
    ),
)
""",
        encoding="utf-8",
    )
    code, output = run("build", "--root", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, output
    written = (tmp_path / "out" / "dashboards" / "connect-realtime" / "readme-example.json").read_text()
    assert '"title": "Contacts in queue"' in written
