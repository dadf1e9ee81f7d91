"""`dash diff --git REF --data DIR` on a real git repository: a copy of the project, committed, then a query's
WHERE, a panel's unit, a table's query and a panel's key changed and committed. The numbers each revision shows are
held to the ground truth computed in plain Python from the simulator's record of every contact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.valueformat import format_value
from tests.localquery.truth import agents, handled, kpis, read_truth
from tests.valuediff.conftest import UID, WHOLE, git, instance, run, voice
from valuediff.compare import PanelDiff
from valuediff.gitvalues import compare_models
from valuediff.revision import ref_revision, revision


@pytest.fixture(scope="module")
def markdown(repo: Path, sim: Path) -> str:
    status = git(repo, "status", "--porcelain"), git(repo, "worktree", "list")
    done = run(
        repo,
        "diff",
        "--git",
        "HEAD~1",
        "--data",
        str(sim),
        "--from",
        WHOLE[0],
        "--to",
        WHOLE[1],
        "--var",
        f"instance={instance(sim)}",
    )
    assert done.exit_code == 1, done.output  # differences
    assert (git(repo, "status", "--porcelain"), git(repo, "worktree", "list")) == status  # nothing touched
    return done.stdout


def values_section(markdown: str) -> str:
    head, _, values = markdown.partition("### Values before (HEAD\\~1) and after")
    assert "```diff" in head and "+WHERE channel = 'VOICE'" in head  # today's JSON and SQL diff stays first
    assert values, markdown
    return values


def test_a_where_clause_moves_the_service_level_as_the_ground_truth_says(markdown: str, sim: Path) -> None:
    truth = read_truth(sim)
    before = kpis(truth, *WHOLE)["service_level"]
    after = kpis(truth, *WHOLE, keep=voice)["service_level"]
    assert before is not None and after is not None
    shown = f"{format_value(before, 'percent', 1)} -> {format_value(after, 'percent', 1)}"
    assert format_value(before, "percent", 1) != format_value(after, "percent", 1)  # the edit moves it
    assert f"**Service level** (`service_level`, definition changed): {shown}" in values_section(markdown)


def test_a_unit_change_shows_the_same_number_in_each_revisions_unit(markdown: str, sim: Path) -> None:
    seconds = kpis(read_truth(sim), *WHOLE)["avg_speed_of_answer"]
    assert seconds is not None
    line = (
        f"**Average speed of answer** (`avg_speed_of_answer`, definition changed): {format_value(seconds, 'dthms', 0)}"
        f" -> {format_value(seconds, 's', 0)} (the same value, shown by another unit or decimals)"
    )
    assert line in values_section(markdown)


def test_a_renamed_panel_is_one_removed_and_one_added_with_its_value(markdown: str, sim: Path) -> None:
    transfers = kpis(read_truth(sim), *WHOLE)["transfers"]
    section = values_section(markdown)
    assert f"**Transfers** (`transfers_out`, added): - -> {transfers}" in section
    assert f"**Transfers** (`transfers`, removed): {transfers} -> -" in section


def test_only_what_changed_is_listed(markdown: str) -> None:
    section = values_section(markdown)
    assert [line for line in section.splitlines() if line.startswith("#### ")] == [f"#### Contacts - history (`{UID}`)"]
    panels = [line.split("`")[1] for line in section.splitlines() if line.startswith("**")]
    assert panels == ["service_level", "avg_speed_of_answer", "transfers_out", "agents", "transfers"]


def test_the_agent_table_rows_move_as_the_ground_truth_says(repo: Path, sim: Path, tmp_path: Path) -> None:
    old, new = ref_revision(repo, "HEAD~1", None, tmp_path), revision(repo, None)
    (board,) = compare_models(old, new, sim, *WHOLE, {"instance": (instance(sim),)})
    diff: PanelDiff = next(p for p in board.panels if p.key == "agents")
    (frame,) = diff.frames
    truth = read_truth(sim)
    before = agents(handled(truth, *WHOLE))
    after = agents(handled(truth, *WHOLE, keep=voice))
    rows = {row.key[0]: row for row in frame.rows}
    assert frame.keys == ("agent",)
    moved = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert set(rows) == moved and moved
    for name, row in rows.items():
        cells = {c.label: c for c in row.cells}
        old_row, new_row = before.get(name), after.get(name)
        assert row.kind == ("removed" if new_row is None else "added" if old_row is None else "changed")
        for index, column in enumerate(("handled", "avg_handle_time", "avg_acw_time", "avg_hold_time")):
            was = old_row[index] if old_row else None
            now = new_row[index] if new_row else None
            if column not in cells:
                assert was == pytest.approx(now), (name, column)  # unchanged cells are not listed
                continue
            assert (cells[column].old.raw if cells[column].old else None) == pytest.approx(was), (name, column)
            assert (cells[column].new.raw if cells[column].new else None) == pytest.approx(now), (name, column)


def edit_all(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: no {old!r}; the shipped file changed"
    path.write_text(text.replace(old, new))


def test_a_panel_whose_values_move_without_its_definition_changing_is_listed(
    repo: Path, sim: Path, tmp_path: Path
) -> None:
    """dash.yaml's service level threshold is the $sl_seconds variable's default: the service level panel keeps
    its definition, and its value moves to the share of contacts that left the queue within 30 s."""
    other = tmp_path / "other"
    shutil.copytree(repo, other, ignore=shutil.ignore_patterns(".git", ".dash-cache"))
    edit_all(other / "dash.yaml", "service_level_seconds: 20", "service_level_seconds: 30")
    (board,) = [
        b
        for b in compare_models(
            revision(repo, None), revision(other, None), sim, *WHOLE, {"instance": (instance(sim),)}
        )
        if b.uid == UID
    ]
    truth = read_truth(sim)
    within = {s: kpis(truth, *WHOLE, keep=voice, sl_seconds=s)["service_level"] for s in (20, 30)}
    service = next(p for p in board.panels if p.key == "service_level")
    assert service.status == "values"
    (value,) = service.frames[0].values
    assert value.old is not None and value.new is not None
    assert (value.old.raw, value.new.raw) == (pytest.approx(within[20]), pytest.approx(within[30]))
    assert within[20] != within[30]
    assert [p.key for p in board.panels] == ["service_level"]  # no other panel reads $sl_seconds
