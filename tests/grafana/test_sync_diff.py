"""Normalised comparison and `dash diff` (against Grafana and against a git ref)."""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from grafana_sync.normalize import content_hash, normalise
from grafana_sync.paneldiff import diff_dashboards
from tests.compiler.helpers import copy_shipped, run
from tests.grafana.bundles import dashboard, make_bundle, model_of, with_dashboard
from tests.grafana.conftest import EDITOR_TOKEN
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import plan_ops, push_engine, run_cli, write_bundle

BASE = dashboard("d1", "Queues", realtime=True, panels=4)


@given(
    id_=st.integers(1, 10_000),
    version=st.integers(1, 500),
    schema=st.integers(9, 42),
    plugin=st.text(min_size=1, max_size=8),
    shuffle=st.randoms(),
)
def test_grafana_side_noise_never_changes_the_hash(id_: int, version: int, schema: int, plugin: str, shuffle) -> None:
    live = copy.deepcopy(BASE)
    live.update(id=id_, version=version, schemaVersion=schema, iteration=1700000000000, gnetId=None, liveNow=False)
    for panel in live["panels"]:
        panel["pluginVersion"] = plugin
    shuffle.shuffle(live["panels"])
    live = dict(reversed(list(live.items())))
    assert content_hash(live) == content_hash(BASE)


@given(st.sampled_from(["title", "refresh", "panel-title", "sql", "width"]))
def test_a_real_change_always_changes_the_hash(what: str) -> None:
    changed = copy.deepcopy(BASE)
    panel = changed["panels"][1]
    if what == "title":
        changed["title"] += "!"
    elif what == "refresh":
        changed["refresh"] = "5m"
    elif what == "panel-title":
        panel["title"] += "!"
    elif what == "sql":
        panel["targets"][0]["rawQuery"] += " LIMIT 1"
    else:
        panel["gridPos"]["w"] = 6
    assert content_hash(changed) != content_hash(BASE)
    assert normalise(changed) != normalise(BASE)


def test_panels_are_reported_added_removed_moved_and_changed_with_sql_as_text() -> None:
    new = copy.deepcopy(BASE)
    new["panels"][1]["targets"][0]["rawQuery"] = new["panels"][1]["targets"][0]["rawQuery"].replace("avg(", "max(")
    new["panels"][2]["gridPos"]["x"] = 6
    removed = new["panels"].pop(3)
    new["panels"].append({**removed, "id": 99, "title": "Fresh"})
    diff = diff_dashboards(BASE, new)
    kinds = {(c.kind, c.panel_id) for c in diff.panels}
    assert kinds == {("changed", "2"), ("moved", "3"), ("removed", "4"), ("added", "99")}
    sql = next(c for c in diff.panels if c.kind == "changed").sql[0].unified
    assert "-SELECT BIN(time, $__interval_ms) AS time, avg(measure_value::double) AS v" in sql
    assert "+SELECT BIN(time, $__interval_ms) AS time, max(measure_value::double) AS v" in sql
    assert "\\n" not in sql  # lines of SQL, not an escaped JSON string


def test_diff_against_grafana_exits_1_on_differences_and_0_after_a_push(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    files = make_bundle(4)
    push_engine(emulator, files)
    model = model_of(files, "dash-0001")
    model["panels"][1]["targets"][0]["rawSQL"] += "\nHAVING count(*) > 1"
    changed = with_dashboard(files, "connect-history", model)
    write_bundle(tmp_path, changed)
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url)
    assert result.exit_code == 1
    assert "differs: dash-0001" in result.stdout
    assert "+HAVING count(*) > 1" in result.stdout
    assert "1 of 4 dashboards differ" in result.stdout
    assert emulator.writes() and all(e.method == "POST" for e in emulator.writes())  # only the first push wrote
    run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert run_cli(tmp_path, "diff", "--grafana-url", emulator.url).exit_code == 0


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def _committed(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle written under root/provisioning and committed in a new repository there."""
    write_bundle(root, files)
    _git(root, "init", "-q")
    _git(root, "add", "provisioning")
    _git(root, "commit", "-qm", "base")
    return files


def test_diff_against_a_git_ref_prints_pull_request_markdown(tmp_path: Path) -> None:
    files = _committed(tmp_path, make_bundle(3))
    assert run_cli(tmp_path, "diff", "--git", "HEAD").exit_code == 0
    model = model_of(files, "dash-0000")
    model["panels"][2]["targets"][0]["rawQuery"] = model["panels"][2]["targets"][0]["rawQuery"].replace(
        "GROUP BY 1", "GROUP BY 1, 2"
    )
    changed = with_dashboard(files, "connect-realtime", model)
    changed = {k: v for k, v in changed.items() if not k.endswith("dash-0001.json")}
    write_bundle(tmp_path, changed)
    result = run_cli(tmp_path, "diff", "--git", "HEAD")
    assert result.exit_code == 1, result.stderr
    md = result.stdout
    assert "| Dashboard | Change | Panels |" in md
    assert "| Dashboard 0000 (`dash-0000`) | changed | 1 changed |" in md
    assert "| Dashboard 0001 (`dash-0001`) | removed | 5 removed |" in md
    assert "```diff" in md and "-GROUP BY 1\n+GROUP BY 1, 2" in md


def test_diff_against_a_git_ref_lists_added_moved_and_renamed_dashboards(tmp_path: Path) -> None:
    files = _committed(tmp_path, make_bundle(3))
    kept = {k: v for k, v in files.items() if not k.endswith(("dash-0001.json", "dash-0002.json"))}
    moved = with_dashboard(kept, "connect-history", model_of(files, "dash-0002"))  # the file went to another folder
    renamed = model_of(files, "dash-0001") | {"uid": "queues-history"}  # the file renamed with its uid
    changed = with_dashboard(with_dashboard(moved, "connect-history", renamed), "connect-history", BASE)
    write_bundle(tmp_path, changed)
    result = run_cli(tmp_path, "diff", "--git", "HEAD")
    assert result.exit_code == 1, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "`" in line]
    assert rows == [
        "| Queues (`d1`) | added | 5 added |",
        "| Dashboard 0002 (`dash-0002`) | changed | - |",
        "| Dashboard 0001 (`queues-history`) | renamed from `dash-0001` | - |",
    ]
    sections = result.stdout.split("#### ")
    added = next(s for s in sections if s.startswith("Queues"))
    assert "- **added** panel 2 'Panel 0'" in added and "- **added** panel 5 'Panel 3'" in added
    assert "- moved from folder `connect-realtime` to `connect-history`" in result.stdout
    rename = next(s for s in sections if s.startswith("Dashboard 0001"))
    assert "- uid changed from `dash-0001`: Grafana takes it for a new dashboard" in rename
    assert "setting changed" not in rename  # the content is the same


def test_diff_with_an_unknown_git_ref_is_a_usage_error(tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(1))
    _git(tmp_path, "init", "-q")
    result = run_cli(tmp_path, "diff", "--git", "no-such-ref")
    assert result.exit_code == 2
    assert "no-such-ref" in result.stderr


def test_diff_without_datasource_rights_compares_dashboards_and_says_so(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    files = make_bundle(2)
    push_engine(emulator, files)
    write_bundle(tmp_path, files)
    emulator.reset_log()
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env={"GRAFANA_TOKEN": EDITOR_TOKEN})
    assert result.exit_code == 0, result.stderr
    assert (
        "note: datasources not compared: the credentials lack Admin rights "
        "(403 on GET /api/datasources/uid/connect-timestream)"
    ) in result.stderr
    assert [(e.path, e.status) for e in emulator.log if e.path.startswith("/api/datasources")] == [
        ("/api/datasources/uid/connect-timestream", 403)  # the first refusal stops the reading
    ]
    assert "0 of 2 dashboards differ" in result.stdout and "datasources differ" not in result.stdout


def test_diff_shows_datasource_settings_that_differ(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    files = make_bundle(2)
    push_engine(emulator, files)
    emulator.state.datasources["connect-athena"]["jsonData"]["workgroup"] = "primary"
    del emulator.state.datasources["connect-timestream"]
    write_bundle(tmp_path, files)
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [
        "datasource only in repository: connect-timestream  'Connect Timestream'",
        "datasource differs: connect-athena  'Connect Athena'",
        "    ~ jsonData.workgroup: 'primary' -> 'connect-analytics'",
    ]
    assert "2 of 2 datasources differ" in result.stdout and "0 of 2 dashboards differ" in result.stdout


def test_a_dashboard_moved_into_the_general_folder_is_a_difference(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    files = make_bundle(2)
    push_engine(emulator, files)
    emulator.state.dashboards["dash-0000"]["folderUid"] = ""  # moved to General in Grafana
    assert diff_dashboards(BASE, BASE, "", "connect-realtime").folder == ("", "connect-realtime")
    write_bundle(tmp_path, files)
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url)
    assert result.exit_code == 1
    assert "differs: dash-0000" in result.stdout and "folder (General) -> connect-realtime" in result.stdout
    assert "1 of 2 dashboards differ" in result.stdout
    code, out, _ = push_engine(emulator, files, dry_run=True)
    assert code == 0 and plan_ops(out) == {"dash-0000": "update", "dash-0001": "unchanged"}
    assert "      folder (General) -> connect-realtime" in out.splitlines()
    push_engine(emulator, files)
    assert emulator.state.dashboards["dash-0000"]["folderUid"] == "connect-realtime"


def test_diff_against_a_git_ref_names_panels_by_key_groups_a_fragment_edit_and_sums_up_moves(tmp_path: Path) -> None:
    """The shipped project at a commit, then one panel added, one removed and a shared SQL fragment edited in
    one long generated line: the review reads the keys, one word-level edit and the real changes first."""
    root = copy_shipped(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "base")
    queues = root / "dashboards" / "realtime_queues.py"
    text = queues.read_text()
    text = text.replace(
        '    ("agents_online", "Agents online", "none", None),\n',
        '    ("agents_online", "Agents online", "none", None),\n    ("agents_idle", "Agents idle", "none", None),\n',
    )
    text = text.replace('    ("slots_available", "Slots available", "none", None),\n', "")
    text = text.replace('    "agents_online": ', '    "agents_idle": "Agents idle.",\n    "agents_online": ')
    queues.write_text(text)  # the new stat re-uses queues/now's result, as every stat there: no query file
    fragment = root / "queries" / "athena" / "_contacts.sql"
    fragment.write_text(
        fragment.read_text().replace("AND channel IN ($channel)", "AND channel IN ($channel) AND 1 = 1")
    )

    code, md = run("diff", "--git", "HEAD", "--root", str(root))

    assert code == 1, md
    [row] = [line for line in md.splitlines() if line.startswith("| Queues - real time")]
    assert re.fullmatch(
        r"\| Queues - real time \(`connect-rt-queues`\) \| changed \| 1 added, 1 removed, \d+ moved only \|", row
    )
    assert "- **added** `agents_idle` 'Agents idle'" in md
    assert "- **removed** `slots_available` 'Slots available'" in md  # named from the definitions at HEAD
    assert re.search(r"- \*\*moved only\*\* \(position, no other change\): \d+ panels: `", md)
    history = md.split("#### Contacts - history")[1].split("#### ")[0]
    assert "- **changed** `avg_handle_time` 'Average handle time'" in history
    # 20 panels, two distinct edits: the fragment ends with or without its queue filter
    assert history.count("```diff") == 2, "one edit of a shared fragment is shown once"
    assert "`avg_handle_time` 'Average handle time': `targets.A.rawSQL`" in history
    assert "~ ... channel IN ($channel) AND {+1 = 1 AND+} ('__all__' IN ($queue) OR ..." in history
    assert "panel " not in md.replace("panels", ""), "a panel named by its numeric id"


def test_diff_against_a_git_ref_compares_the_environments_own_committed_folder(tmp_path: Path) -> None:
    """--env staging compares provisioning-staging/ at the ref (Timestream), never prod's provisioning/."""
    root = copy_shipped(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "base")
    for env in ("prod", "staging"):
        code, md = run("diff", "--git", "HEAD", "--root", str(root), "--env", env)
        assert code == 0, f"{env}: {md}"
    live = root / "queries" / "timestream" / "contacts" / "live.sql"
    live.write_text(live.read_text().replace("SELECT", "SELECT /* reviewed */", 1))
    assert run("diff", "--git", "HEAD", "--root", str(root), "--env", "prod")[0] == 0, "prod runs InfluxQL"
    code, md = run("diff", "--git", "HEAD", "--root", str(root), "--env", "staging")
    assert code == 1 and "Contacts - real time" in md, md
