"""`dash build`: golden output, schema validity, determinism, stable ids, --check and list."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dashcompiler import definition_loader
from dashcompiler.artifacts import bundle_files
from dashcompiler.compile import compile_model
from dashcompiler.config import load_config
from dashcompiler.definition_loader import panel_id
from tests.compiler.helpers import PROJECT, copy_project, run
from tests.conftest import ROOT, reference_file

GOLDEN = Path(__file__).parent / "golden"


def test_output_matches_the_golden_files(update_golden: bool) -> None:
    files = bundle_files(compile_model(PROJECT))
    if update_golden:
        for rel, content in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(content)
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(golden) == sorted(files)
    for rel, content in files.items():
        assert content.decode() == golden[rel].decode(), f"{rel} differs from its golden file"


def foundation_schema() -> dict:
    """The foundation-sdk dashboard schema, with the two values Grafana's CUE declares as any (`_`) read so.

    kinds/dashboard declares `MatcherConfig.options?: _` and `DynamicConfigValue.value?: _`, and Grafana
    stores strings there (`{"id": "byName", "options": "col"}`, `{"id": "unit", "value": "dthms"}`); the
    foundation-sdk's JSON schema renders `_` as an object, which would refuse every field override.
    Everything else is checked as published.
    """
    schema = json.loads(reference_file("grafana-foundation-sdk/dashboard.jsonschema.json").read_text())
    schema["definitions"]["MatcherConfig"]["properties"]["options"] = {}
    schema["definitions"]["DynamicConfigValue"]["properties"]["value"] = {}
    return schema


def test_the_schema_relaxes_only_the_any_typed_override_values() -> None:
    definitions = foundation_schema()["definitions"]
    validator = jsonschema.Draft7Validator({"$ref": "#/definitions/FieldConfigSource", "definitions": definitions})
    string_override = {"matcher": {"id": "byName", "options": "col"}, "properties": [{"id": "unit", "value": "s"}]}
    assert validator.is_valid({"defaults": {}, "overrides": [string_override]})
    assert not validator.is_valid({"defaults": {}, "overrides": [{"matcher": {"options": "col"}, "properties": []}]})
    assert not validator.is_valid({"defaults": {}, "overrides": [{**string_override, "extra": 1}]})


@pytest.mark.parametrize("root", [PROJECT, ROOT], ids=["example", "shipped"])
def test_every_dashboard_validates_against_the_foundation_sdk_schema(root: Path) -> None:
    validator = jsonschema.Draft7Validator(foundation_schema())
    for board in compile_model(root).dashboards:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(board.json)]
        assert not errors, f"{board.uid}: {errors[:5]}"


def test_output_is_current_grafana_without_legacy_fields() -> None:
    for board in compile_model(PROJECT).dashboards:
        body = board.json
        assert body["schemaVersion"] == 42 and body["id"] is None and "version" not in body
        assert not {"rows", "style", "hideControls", "sharedCrosshair", "__inputs"} & set(body)
        for panel in body["panels"]:
            assert panel["type"] in {
                "row",
                "stat",
                "gauge",
                "bargauge",
                "piechart",
                "timeseries",
                "state-timeline",
                "table",
                "text",
                "barchart",
            }
            for target in panel.get("targets", []):
                assert set(target["datasource"]) == {"type", "uid"}
                assert isinstance(target["format"], int)


def test_table_display_modes_become_the_cell_options_grafana_10_reads(tmp_path: Path) -> None:
    """grafanalib writes `custom.displayMode`; Grafana migrates it only below schemaVersion 38, so a table at
    ours would keep the deprecated key. Mapped as Grafana's V38 migration maps it, defaults and overrides."""
    root = copy_project(tmp_path)
    live = root / "dashboards" / "live.py"
    legacy = (
        'Table(title="Agents", displayMode="color-background-solid", overrides=[{"matcher": {"id": "byName", '
        '"options": "waited"}, "properties": [{"id": "custom.displayMode", "value": "lcd-gauge"}]}])'
    )
    live.write_text(live.read_text().replace('Table(title="Agents")', legacy))
    board = next(b.json for b in compile_model(root).dashboards if b.uid == "cc-live")
    (table,) = [p for p in board["panels"] if p["type"] == "table"]
    assert "displayMode" not in json.dumps(table)
    assert table["fieldConfig"]["defaults"]["custom"]["cellOptions"] == {"type": "color-background", "mode": "basic"}
    (override,) = table["fieldConfig"]["overrides"]
    assert override["properties"] == [{"id": "custom.cellOptions", "value": {"type": "gauge", "mode": "lcd"}}]


def test_targets_carry_exactly_what_the_plugins_read() -> None:
    boards = {b.uid: b.json for b in compile_model(PROJECT).dashboards}
    live = {p["title"]: p for p in boards["cc-live"]["panels"]}
    ts = live["Waiting over time"]["targets"][0]
    assert ts["format"] == 1 and ts["datasource"] == {"type": "grafana-timestream-datasource", "uid": "ts-test"}
    assert '"cc-test".queue_metrics' in ts["rawQuery"] and "$__timeFilter" in ts["rawQuery"]
    assert set(ts) == {
        "database",
        "datasource",
        "format",
        "hide",
        "measure",
        "rawQuery",
        "refId",
        "table",
        "waitForResult",
    }
    history = {p["title"]: p for p in boards["cc-history"]["panels"]}
    athena = history["Handled"]["targets"][0]
    assert athena["format"] == 1 and "queue.duration <= 30" in athena["rawSQL"]
    assert athena["connectionArgs"] == {
        "catalog": "__default",
        "database": "__default",
        "region": "__default",
        "resultReuseEnabled": True,
        "resultReuseMaxAgeInMinutes": 15,
    }
    assert history["By hour"]["targets"][0]["format"] == 0


def test_a_collapsed_row_carries_its_panels_and_the_next_row_follows_its_header() -> None:
    board = next(b.json for b in compile_model(PROJECT).dashboards if b.uid == "cc-history")
    top = [(p["title"], p["gridPos"]["y"], [c["title"] for c in p.get("panels", [])]) for p in board["panels"]]
    assert top == [
        ("Handled", 0, []),
        ("By hour", 0, []),
        ("Details", 4, ["Abandoned", "Transferred"]),
        ("Footer", 5, []),
        ("Footer", 6, []),
    ]
    details = board["panels"][2]
    assert details["collapsed"] is True and details["id"] == panel_id("row_details")
    assert [(c["id"], c["gridPos"]) for c in details["panels"]] == [
        (panel_id("abandoned"), {"h": 4, "w": 6, "x": 0, "y": 5}),
        (panel_id("transferred"), {"h": 4, "w": 6, "x": 6, "y": 5}),
    ]


@pytest.mark.parametrize("seed", ["0", "1", "2", "3", "17", "4242", "65535", "4294967295"])
def test_every_committed_environment_builds_byte_identical_under_any_hash_seed(seed: str) -> None:
    """Set and dict iteration order change with the hash seed; `build --check` compares every committed
    environment's bundle (and infra/generated/) byte for byte with what a build under this seed makes."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "build", "--root", str(ROOT), "--check"], env=env, cwd=ROOT, capture_output=True
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


@pytest.mark.parametrize("shuffle", range(5))
def test_the_order_definition_modules_load_in_changes_no_byte(monkeypatch: pytest.MonkeyPatch, shuffle: int) -> None:
    """Definition modules imported in a shuffled order (as another file system might list them) build the
    same bundle for every committed environment."""
    environments = sorted(load_config(ROOT).outputs)
    expected = {name: bundle_files(compile_model(ROOT, name)) for name in environments}

    def shuffled(items: Iterable[Any], **kwargs: Any) -> list[Any]:
        listed = sorted(items, **kwargs)
        random.Random(shuffle).shuffle(listed)
        return listed

    monkeypatch.setattr(definition_loader, "sorted", shuffled, raising=False)
    for name in environments:
        assert bundle_files(compile_model(ROOT, name)) == expected[name], name


def test_every_json_file_is_sorted_2_space_indented_and_free_of_volatile_fields() -> None:
    """A reviewer's diff shows only real changes: one canonical encoding, nothing that changes per build."""

    def in_order(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys), f"keys out of order: {keys}"
        return dict(pairs)

    files = {rel: content for rel, content in bundle_files(compile_model(ROOT)).items() if rel.endswith(".json")}
    assert any(rel.startswith("dashboards/") for rel in files)
    for rel, content in files.items():
        text = content.decode()
        body = json.loads(text, object_pairs_hook=in_order)
        assert text == json.dumps(body, indent=2, ensure_ascii=False) + "\n", rel
        if rel.startswith("dashboards/"):
            assert body["id"] is None, rel
            assert not {"version", "iteration", "created", "updated", "gnetId"} & set(body), rel


def _ids(root: Path, uid: str) -> dict[str, tuple[int, dict[str, int]]]:
    board = next(b for b in compile_model(root).dashboards if b.uid == uid)
    return {p["title"]: (p["id"], p["gridPos"]) for p in board.json["panels"]}


def test_inserting_a_panel_at_the_top_changes_no_other_panel_id(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = _ids(root, "cc-live")
    path = root / "dashboards" / "live.py"
    source = path.read_text()
    path.write_text(
        source.replace(
            '            (\n                Panel(\n                    "waiting",',
            '            (\n                Panel("inserted", Stat(title="Inserted"), (TimestreamQuery("waiting.sql"),)),\n'
            '                Panel(\n                    "waiting",',
            1,
        )
    )
    after = _ids(root, "cc-live")
    assert set(after) == set(before) | {"Inserted"}
    assert {t: after[t][0] for t in before} == {t: v[0] for t, v in before.items()}
    assert after["Inserted"][0] == panel_id("inserted")
    # The full "Now" row gained a 4-high line; the rows below move down by exactly that, nothing else changes.
    for title in ("Trends", "Waiting over time", "States", "Agents", "About"):
        old, new = before[title][1], after[title][1]
        assert new == {**old, "y": old["y"] + 4}, title


def test_removing_and_reordering_panels_keeps_ids_and_untouched_rows_positions(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = _ids(root, "cc-live")
    path = root / "dashboards" / "live.py"
    source = path.read_text()
    note = '                Panel("note", Text(title="About", content="Counts come from the collector."), (), width=24, height=3),\n'
    agents = (
        "                Panel(\n"
        '                    "agents", Table(title="Agents"), (TimestreamQuery("waiting.sql"),), width=24, height=8, decimals=0\n'
        "                ),\n"
    )
    assert note in source and agents in source
    path.write_text(source.replace(note, "").replace(agents, note + agents))
    after = _ids(root, "cc-live")
    assert {t: v[0] for t, v in after.items()} == {t: v[0] for t, v in before.items()}
    for title in ("Now", "Waiting", "Oldest", "By queue", "Share", "Trends", "Waiting over time", "States"):
        assert after[title] == before[title], title


def test_check_passes_on_fresh_output_and_names_every_stale_missing_or_extra_file(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    assert run("build", "--root", str(root), "--check")[0] == 0
    out = root / "provisioning"
    (out / "dashboards/cc-live/cc-live.json").write_text("{}\n")
    (out / "dashboards/cc-history/cc-history.json").unlink()
    (out / "dashboards/cc-live/old.json").write_text("{}\n")
    code, text = run("build", "--root", str(root), "--check")
    assert code == 1
    assert "cc-live.json: stale" in text and "cc-history.json: missing" in text and "old.json: not produced" in text


def test_committed_provisioning_is_up_to_date() -> None:
    code, text = run("build", "--root", str(ROOT), "--check")
    assert code == 0, text


def test_build_replaces_the_output_directory_whole(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run("build", "--root", str(root))[0] == 0
    stray = root / "provisioning" / "dashboards" / "gone" / "old.json"  # a dashboard an earlier build wrote
    stray.parent.mkdir(parents=True)
    stray.write_text("{}")
    manifest = json.loads((root / "provisioning" / ".dash-build.json").read_text())
    manifest["files"]["dashboards/gone/old.json"] = hashlib.sha256(b"{}").hexdigest()
    (root / "provisioning" / ".dash-build.json").write_text(json.dumps(manifest))
    assert run("build", "--root", str(root))[0] == 0
    assert not stray.exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".provisioning")]


def test_environments_select_names_and_keep_credentials_as_env_references(tmp_path: Path) -> None:
    files = bundle_files(compile_model(PROJECT, "keys"))
    datasources = files["datasources/connect.yaml"].decode()
    assert "secretKey: $AWS_SECRET_ACCESS_KEY" in datasources and "authType: keys" in datasources
    assert "defaultDatabase: '\"cc$$keys\"'" in datasources
    assert "defaultTable: '\"queue_metrics\"'" in datasources
    board = json.loads(files["dashboards/cc-live/cc-live.json"])
    assert board["panels"][1]["datasource"]["uid"] == "ts-keys"
    assert '"cc$keys".queue_metrics' in board["panels"][1]["targets"][0]["rawQuery"]
    providers = files["dashboards/connect.yaml"].decode()
    assert "folder: Live (keys)" in providers and "path: /etc/grafana/provisioning/dashboards/cc-live" in providers


def _list_rows(board: str, title: str, datasource: str, file: str, *panels: tuple[str, str]) -> list[str]:
    return ["\t".join((board, title, key, name, datasource, file, "")) for key, name in panels]


def test_list_prints_every_panel_with_dashboard_title_datasource_and_query_file() -> None:
    code, text = run("list", "--root", str(PROJECT))
    assert code == 0, text
    assert text.splitlines() == [
        "dashboard\tdashboard title\tpanel\ttitle\tdatasource\tquery file\tdefault",
        *_list_rows(
            "cc-history",
            "History",
            "athena",
            "queries/athena/handled.sql",
            ("handled", "Handled"),
            ("by_hour", "By hour"),
            ("abandoned", "Abandoned"),
            ("transferred", "Transferred"),
            ("footer", "Footer"),
        ),
        *_list_rows(
            "cc-live",
            "Live",
            "timestream",
            "queries/timestream/waiting.sql",
            ("waiting", "Waiting"),
            ("oldest", "Oldest"),
            ("by_queue", "By queue"),
            ("share", "Share"),
            ("waiting_over_time", "Waiting over time"),
            ("states", "States"),
            ("agents", "Agents"),
        ),
        "cc-live\tLive\tnote\tAbout\t-\t-\t",
        "cc-live\tLive\t$instance\tinstance\tconstant\t-\t12345678-aaaa-bbbb-cccc-123456789012",
        "cc-live\tLive\t$queue\tQueue\ttimestream\tqueries/timestream/queue_names.sql\tAll",
        "cc-live\tLive\t$sl\tService level (s)\tcustom\t-\t30",
    ]


def test_list_on_an_80_column_terminal_never_cuts_a_uid_key_or_variable_name() -> None:
    env = {**os.environ, "FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm"}
    done = subprocess.run(
        [sys.executable, "-m", "cli", "list", "--root", str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in done.stdout.splitlines()]
    assert lines and max(len(line) for line in lines) <= 80
    first_words = {line.split(" ", 1)[0] for line in lines if line.strip()}
    for board in compile_model(ROOT).dashboards:
        assert board.uid in first_words, f"uid {board.uid} cut or missing"
        keys = {key for key, _ in board.panels} | {f"${v.name}" for v in board.variables}
        assert keys <= first_words, f"{board.uid}: cut or missing: {sorted(keys - first_words)}"


def test_build_does_not_import_aws_or_http_clients(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom cli import app\n"
        f"r = CliRunner().invoke(app, ['build', '--root', {str(ROOT)!r}, '--out', {str(tmp_path / 'o')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('boto3', 'botocore', 'niquests', 'requests', 'grafana_client', 'duckdb') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
