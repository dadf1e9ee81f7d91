"""docs/panels.md, the panel catalogue: every shipped panel, generated from the definitions and kept current."""

from __future__ import annotations

from pathlib import Path

from dashcompiler.catalogue import CATALOGUE_PATH, connect_metrics, render_catalogue
from dashcompiler.compile import compile_model
from tests.compiler.helpers import SHIPPED, copy_shipped, run


def test_the_committed_catalogue_lists_every_panel_by_key_title_unit_and_metric() -> None:
    text = (SHIPPED / CATALOGUE_PATH).read_text(encoding="utf-8")
    model = compile_model(SHIPPED)
    assert text == render_catalogue(model), "docs/panels.md is stale: run dash build"
    rows = {
        line.split(" | ")[1].strip("`"): line for line in text.splitlines() if line.startswith("| ") and "`" in line
    }
    for board in model.dashboards:
        assert f"## {board.title} (`{board.uid}`)" in text
        for key, title in board.panels:
            if key in rows:
                assert rows[key].startswith(f"| {title} | `{key}` | ")
    assert "| `CONTACTS_IN_QUEUE` |" in text and "| `dthms` |" in text


def test_a_metric_is_the_identifier_in_parentheses_after_what_it_names() -> None:
    assert connect_metrics("Waiting (CONTACTS_IN_QUEUE), latest; again (CONTACTS_IN_QUEUE).") == ["CONTACTS_IN_QUEUE"]
    assert connect_metrics("ACW (AGENTS_AFTER_CONTACT_WORK counts contacts) and (OLDEST_CONTACT_AGE)") == [
        "AGENTS_AFTER_CONTACT_WORK",
        "OLDEST_CONTACT_AGE",
    ]
    assert connect_metrics("by reason (UNKNOWN where none), CONTACT_FLOW_DISCONNECT excluded") == []


def test_a_changed_description_makes_the_catalogue_stale_until_built(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    queues = root / "dashboards" / "realtime_queues.py"
    queues.write_text(queues.read_text().replace("(CONTACTS_SCHEDULED)", "(CONTACTS_SCHEDULED_LATER)", 1))
    code, out = run("build", "--root", str(root), "--check")
    assert code == 1 and "docs/panels.md: stale" in out
    assert run("build", "--root", str(root))[0] == 0
    assert "`CONTACTS_SCHEDULED_LATER`" in (root / CATALOGUE_PATH).read_text(encoding="utf-8")
