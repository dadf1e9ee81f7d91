"""One definition, two real-time stores: the committed environments build the same dashboards (uids, panel ids,
layout) over Timestream SQL and over InfluxQL, each with its own datasource provisioned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from core.errors import ConfigError
from dashcompiler.artifacts import bundle_files
from dashcompiler.compile import Model, compile_model
from dashcompiler.config import load_config
from tests.compiler.helpers import copy_shipped, run

ROOT = Path(__file__).resolve().parents[2]
REALTIME = ("connect-rt-agents", "connect-rt-contacts", "connect-rt-queues")
HISTORY_KINDS = {"connect-pipeline-health": "cloudwatch"}  # the pipeline's own metrics, in either store


def _stores() -> dict[str, Model]:
    config = load_config(ROOT)
    by_store = {}
    for name in config.outputs:
        env = config.env(name)
        by_store.setdefault(env.realtime_store, compile_model(ROOT, name))
    return by_store


STORES = _stores()


def _panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for panel in board["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found


def test_the_committed_outputs_cover_both_stores() -> None:
    assert set(STORES) == {"influxdb", "timestream"}


def test_same_dashboards_panels_and_layout_in_either_store() -> None:
    influx, timestream = STORES["influxdb"], STORES["timestream"]
    assert [b.uid for b in influx.dashboards] == [b.uid for b in timestream.dashboards]
    for a, b in zip(influx.dashboards, timestream.dashboards, strict=True):
        shape = [[(p["id"], p["type"], p["gridPos"], p["title"]) for p in _panels(board.json)] for board in (a, b)]
        assert shape[0] == shape[1], a.uid


def test_real_time_panels_and_variables_read_the_store_and_history_stays_on_athena() -> None:
    for store, model in STORES.items():
        for board in model.dashboards:
            kinds = {q.kind.name for q in board.queries if not str(q.owner).startswith("$")}
            expected = {store} if board.uid in REALTIME else {HISTORY_KINDS.get(board.uid, "athena")}
            assert kinds == expected, (store, board.uid)
            variables = {q.kind.name for q in board.queries if str(q.owner).startswith("$")}
            assert variables <= {store}, (store, board.uid)


def test_influxql_targets_are_raw_queries_in_grafanas_influxdb_model() -> None:
    board = next(b for b in STORES["influxdb"].dashboards if b.uid == "connect-rt-agents")
    targets = [t for p in _panels(board.json) for t in p.get("targets", [])]
    targets = [t for t in targets if t["datasource"]["uid"] != "-- Dashboard --"]  # re-uses send no query
    assert targets
    for target in targets:
        assert target["datasource"]["type"] == "influxdb"
        assert target["rawQuery"] is True
        assert target["resultFormat"] in ("table", "time_series")
        statement = [line for line in target["query"].splitlines() if not line.startswith("--")]
        assert statement and statement[0].upper().startswith(("SELECT", "SHOW")), target["query"]
        assert "rawSQL" not in target and "rawQuery" in target


def test_the_influxdb_datasource_is_provisioned_with_a_token_reference_never_a_token() -> None:
    model = STORES["influxdb"]
    text = bundle_files(model)["datasources/connect.yaml"].decode()
    (influx,) = [d for d in yaml.safe_load(text)["datasources"] if d["type"] == "influxdb"]
    env = model.env
    assert influx["url"] == env.influxdb_url
    assert influx["uid"] == env.datasource_uids["influxdb"]
    assert influx["jsonData"] == {
        "dbName": env.influxdb_database,
        "httpHeaderName1": "Authorization",
        "httpMode": "POST",
        "version": "InfluxQL",
    }
    assert influx["secureJsonData"] == {"httpHeaderValue1": f"Token ${env.influxdb_token_env}"}
    assert {d["type"] for d in yaml.safe_load(text)["datasources"]} == {
        "influxdb",
        "grafana-athena-datasource",
        "cloudwatch",
    }


def _dash_yaml(tmp_path: Path, edit: Any) -> Path:
    root = copy_shipped(tmp_path)
    document = yaml.safe_load((ROOT / "dash.yaml").read_text())
    edit(document["environments"][document["default_env"]])
    (root / "dash.yaml").write_text(yaml.safe_dump(document))
    return root


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda e: e.update(realtime_store="mongodb"), "realtime_store 'mongodb' unknown; use one of influxdb"),
        (lambda e: e.pop("influxdb"), "lacks influxdb: the settings of its realtime_store"),
        (lambda e: e["influxdb"].pop("url"), "lacks influxdb.url"),
        (lambda e: e["influxdb"].update(password_env="P"), "exactly one of token_env"),
        (lambda e: e["influxdb"].pop("token_env"), "exactly one of token_env"),
        (lambda e: e["datasources"].pop("influxdb"), "lacks datasources.influxdb"),
        (lambda e: e["datasources"].update(timestream="ts"), "datasources.timestream is not used by this environment"),
    ],
)
def test_a_wrong_store_setting_names_the_key_and_dash_yaml(tmp_path: Path, edit: Any, message: str) -> None:
    root = _dash_yaml(tmp_path, edit)
    with pytest.raises(ConfigError, match=r"dash\.yaml: environment") as caught:
        load_config(root)
    assert message in str(caught.value)
    code, text = run("build", "--root", str(root))
    assert code == 2 and message in " ".join(text.split())


def test_an_environment_without_a_committed_folder_needs_out(tmp_path: Path) -> None:
    root = _dash_yaml(tmp_path, lambda e: None)
    document = yaml.safe_load((root / "dash.yaml").read_text())
    document["environments"]["scratch"] = document["environments"][document["default_env"]]
    (root / "dash.yaml").write_text(yaml.safe_dump(document))
    code, text = run("build", "--root", str(root), "--env", "scratch")
    assert code == 2 and "has no folder under outputs" in text and "--out" in text
    assert not (root / "provisioning").exists()
    code, text = run("build", "--root", str(root), "--env", "scratch", "--out", str(tmp_path / "out"))
    assert code == 0, text
    assert (tmp_path / "out" / "datasources" / "connect.yaml").is_file()


def test_every_value_written_into_provisioning_keeps_a_literal_dollar(tmp_path: Path) -> None:
    """Grafana expands $VAR in every provisioning value: folder titles, URLs and names reach it as written."""
    from grafana_sync.bundle import parse_bundle

    def edit(env: dict[str, Any]) -> None:
        env["folders"]["connect-realtime"] = "Ops $team (real time)"
        env["influxdb"].update(url="https://influx.example:8086/$prefix", database="db$1")

    root = _dash_yaml(tmp_path, edit)
    bundle = parse_bundle(bundle_files(compile_model(root, "prod")), environ={"team": "X", "prefix": "Y", "1": "Z"})
    assert "Ops $team (real time)" in {f.title for f in bundle.folders}
    (influx,) = [d for d in bundle.datasources if d.type == "influxdb"]
    assert influx.settings["url"] == "https://influx.example:8086/$prefix"
    assert influx.settings["jsonData"]["dbName"] == "db$1"
