"""`dash push` and `dash diff --grafana-url` with Grafana's built-in InfluxDB datasource (InfluxQL), as the
compiler provisions it for an environment whose realtime_store is influxdb: url (and user) top-level, the token
header or 1.x password in secureJsonData as references to Grafana's environment."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from grafana_client.client import GrafanaClientError

from dashcompiler.artifacts import bundle_files
from dashcompiler.compile import compile_model
from grafana_sync.connection import Grafana, RetryPolicy, Settings, describe
from grafana_sync.envvars import secret_values
from tests.conftest import ROOT
from tests.grafana.conftest import ADMIN_TOKEN
from tests.grafana.emulator import Faults, GrafanaEmulator
from tests.grafana.helpers import counts, push_engine, run_cli, summary, write_bundle

TOKEN = "influx-read-T0ken/+never=printed"
PASSWORD = "influx-1x-pa55word/never+printed"
ENVIRON = {"INFLUX_READ_TOKEN": TOKEN, "INFLUX_PASSWORD": PASSWORD}
UID = "connect-influxdb"
INFLUXDB = {"url": "https://influx.example:8086", "database": "connect", "token_env": "INFLUX_READ_TOKEN"}
INFLUXDB_1X = {
    "url": "http://influx1.example:8086",
    "database": "connect",
    "user": "grafana",
    "password_env": "INFLUX_PASSWORD",
}


def _environment(influxdb: dict[str, str]) -> dict[str, Any]:
    return {
        "realtime_store": "influxdb",
        "aws_region": "eu-west-2",
        "connect_instance_id": "00000000-0000-0000-0000-000000000000",
        "influxdb": influxdb,
        "athena": {
            "catalog": "AwsDataCatalog",
            "database": "connect_analytics",
            "workgroup": "connect-analytics",
            "output_location": "s3://connect-analytics-athena-results/grafana/",
            "ctr_table": "contact_records",
        },
        "folders": {"connect-realtime": "Contact centre - real time", "connect-history": "Contact centre - history"},
        "datasources": {"influxdb": UID, "athena": "connect-athena"},
        "service_level_seconds": 20,
    }


def influx_bundle(tmp_path: Path, influxdb: dict[str, str] = INFLUXDB) -> dict[str, bytes]:
    """The shipped dashboards and queries built by the compiler for an environment on InfluxDB."""
    root = tmp_path / "build"
    if root.exists():
        shutil.rmtree(root)
    for folder in ("dashboards", "queries"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    config = {"default_env": "influx", "environments": {"influx": _environment(influxdb)}}
    (root / "dash.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return bundle_files(compile_model(root, "influx"))


def provisioned(files: dict[str, bytes]) -> dict[str, Any]:
    """The InfluxDB datasource item as the bundle provisions it."""
    doc = yaml.safe_load(files["datasources/connect.yaml"])
    return next(item for item in doc["datasources"] if item["uid"] == UID)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return influx_bundle(tmp_path_factory.mktemp("influx"))


def test_the_bundle_provisions_the_influxdb_datasource_with_a_token_reference(bundle: dict[str, bytes]) -> None:
    item = provisioned(bundle)
    assert (item["type"], item["url"]) == ("influxdb", "https://influx.example:8086")
    assert item["jsonData"] == {
        "dbName": "connect",
        "httpHeaderName1": "Authorization",
        "httpMode": "POST",
        "version": "InfluxQL",
    }
    assert item["secureJsonData"] == {"httpHeaderValue1": "Token $INFLUX_READ_TOKEN"}
    assert TOKEN.encode() not in b"".join(bundle.values())


def test_push_sends_the_datasource_as_provisioned_with_the_token_from_the_environment(
    emulator: GrafanaEmulator, bundle: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code, out, err = push_engine(emulator, bundle, environ=ENVIRON)
    assert code == 0, err
    live = emulator.state.datasources[UID]
    item = provisioned(bundle)
    assert (live["type"], live["name"], live["url"], live["access"]) == (
        "influxdb",
        item["name"],
        "https://influx.example:8086",
        "proxy",
    )
    assert live["jsonData"] == item["jsonData"]
    assert live["_secure"] == {"httpHeaderValue1": f"Token {TOKEN}"}
    assert summary(out)["datasources"] == counts(created=2)
    assert TOKEN not in out + err + caplog.text

    emulator.reset_log()
    code, out, err = push_engine(emulator, bundle, environ=ENVIRON)
    assert code == 0, err
    assert emulator.writes() == []  # Grafana answers secureJsonFields, never the values: nothing to resend
    assert summary(out)["datasources"] == counts(unchanged=2)
    assert TOKEN not in out + err + caplog.text


def test_a_1x_datasource_sends_its_user_and_the_password_from_the_environment(
    emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    files = influx_bundle(tmp_path, INFLUXDB_1X)
    assert provisioned(files)["secureJsonData"] == {"password": "$INFLUX_PASSWORD"}
    code, out, err = push_engine(emulator, files, environ=ENVIRON)
    assert code == 0, err
    live = emulator.state.datasources[UID]
    assert (live["url"], live["user"]) == ("http://influx1.example:8086", "grafana")
    assert live["jsonData"] == {"dbName": "connect", "httpMode": "POST", "version": "InfluxQL"}
    assert live["_secure"] == {"password": PASSWORD}
    assert PASSWORD not in out + err
    emulator.reset_log()
    assert push_engine(emulator, files, environ=ENVIRON)[0] == 0
    assert emulator.writes() == []


def test_the_token_is_never_printed_by_dry_run_diff_or_an_echoing_grafana(
    emulator: GrafanaEmulator, bundle: dict[str, bytes], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    write_bundle(tmp_path, bundle)
    dry = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--dry-run", env=ENVIRON)
    assert dry.exit_code == 0, dry.stderr
    assert f"create             {UID}  (influxdb)" in dry.stdout
    assert emulator.writes() == []

    emulator.set_faults(Faults(rate=1.0, kinds=("echo",), only=r"POST /api/datasources"))
    echoed = run_cli(tmp_path, "push", "--grafana-url", emulator.url, env=ENVIRON)
    assert echoed.exit_code == 1
    failure = next(line for line in echoed.stderr.splitlines() if line.startswith(f"failed: datasource {UID}"))
    assert '"httpHeaderValue1": "***"' in failure  # Grafana quoted the body back; the value is masked

    emulator.set_faults(Faults())
    pushed = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--update-secrets", env=ENVIRON)
    assert pushed.exit_code == 0, pushed.stderr
    diff = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ENVIRON)
    assert diff.exit_code == 0, diff.stdout + diff.stderr
    captured = "".join(r.stdout + r.stderr for r in (dry, echoed, pushed, diff)) + caplog.text
    assert TOKEN not in captured and ADMIN_TOKEN not in captured


def test_an_unset_token_variable_stops_the_push_naming_it(
    emulator: GrafanaEmulator, bundle: dict[str, bytes], tmp_path: Path
) -> None:
    write_bundle(tmp_path, bundle)
    for args in (("push",), ("push", "--dry-run")):
        result = run_cli(tmp_path, *args, "--grafana-url", emulator.url, env={"INFLUX_READ_TOKEN": None})
        assert result.exit_code == 2
        assert "INFLUX_READ_TOKEN" in result.stderr and "secureJsonData.httpHeaderValue1" in result.stderr
        assert "datasources/connect.yaml" in result.stderr
    assert emulator.log == []  # checked before any request


def test_diff_shows_a_changed_database_or_url_on_the_influxdb_datasource(
    emulator: GrafanaEmulator, bundle: dict[str, bytes], tmp_path: Path
) -> None:
    push_engine(emulator, bundle, environ=ENVIRON)
    changed = influx_bundle(tmp_path, {**INFLUXDB, "database": "connect_v2", "url": "https://influx2.example:8086"})
    write_bundle(tmp_path, changed)
    emulator.reset_log()
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ENVIRON)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"datasource differs: {UID}  'Amazon Connect real time (InfluxDB)'" in lines
    assert "    ~ url: 'https://influx.example:8086' -> 'https://influx2.example:8086'" in lines
    assert "    ~ jsonData.dbName: 'connect' -> 'connect_v2'" in lines
    shipped = sum(1 for path in changed if path.startswith("dashboards/") and path.endswith(".json"))
    assert f"0 of {shipped} dashboards differ" in lines and shipped >= 4
    assert emulator.writes() == []
    assert TOKEN not in result.stdout + result.stderr

    only_db = influx_bundle(tmp_path, {**INFLUXDB, "database": "connect_v2"})
    write_bundle(tmp_path, only_db)
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ENVIRON)
    assert result.exit_code == 1
    assert "    ~ jsonData.dbName: 'connect' -> 'connect_v2'" in result.stdout.splitlines()
    assert "~ url" not in result.stdout


def _read_only(bundle: dict[str, bytes]) -> dict[str, Any]:
    """The InfluxDB datasource as Grafana holds it when provisioned from other files: read-only, differing."""
    return {
        "id": 99,
        "uid": UID,
        "orgId": 1,
        "name": "Amazon Connect real time (InfluxDB)",
        "type": "influxdb",
        "access": "proxy",
        "url": "https://influx-elsewhere.example:8086",
        "user": "",
        "jsonData": {**provisioned(bundle)["jsonData"], "dbName": "elsewhere"},
        "version": 3,
        "readOnly": True,
        "_secure": {"httpHeaderValue1": "Token provisioned-by-grafana"},
    }


def test_a_read_only_influxdb_datasource_that_differs_is_reported_and_left_alone(
    emulator: GrafanaEmulator, bundle: dict[str, bytes]
) -> None:
    emulator.state.datasources[UID] = _read_only(bundle)
    code, out, err = push_engine(emulator, bundle, environ=ENVIRON)
    assert code == 1, err  # it differs and was not applied
    assert (
        f"read-only: datasource {UID} (Amazon Connect real time (InfluxDB)): provisioned read-only in Grafana; "
        "left as is (differs: jsonData, url)"
    ) in err
    assert summary(out)["datasources"] == counts(created=1, read_only=1)
    assert not [e for e in emulator.writes() if UID in e.path]
    assert emulator.state.datasources[UID]["url"] == "https://influx-elsewhere.example:8086"
    assert emulator.state.datasources[UID]["_secure"] == {"httpHeaderValue1": "Token provisioned-by-grafana"}
    assert TOKEN not in out + err


def test_diff_reports_a_read_only_influxdb_datasource_that_differs(
    emulator: GrafanaEmulator, bundle: dict[str, bytes], tmp_path: Path
) -> None:
    emulator.state.datasources[UID] = _read_only(bundle)
    write_bundle(tmp_path, bundle)
    result = run_cli(tmp_path, "diff", "--grafana-url", emulator.url, env=ENVIRON)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    read_only = "(provisioned read-only in Grafana; `dash push` leaves it as is)"
    assert f"datasource differs: {UID}  'Amazon Connect real time (InfluxDB)'  {read_only}" in lines
    assert "    ~ jsonData.dbName: 'elsewhere' -> 'connect'" in lines
    assert TOKEN not in result.stdout + result.stderr


def test_an_error_quoting_the_bare_token_is_masked_too(bundle: dict[str, bytes]) -> None:
    """The token is sent inside `Token ...`; a Grafana or proxy error may quote either form."""
    refs = provisioned(bundle)["secureJsonData"]
    secrets = secret_values(refs, ENVIRON, "here")
    assert secrets == {f"Token {TOKEN}", TOKEN}
    assert secret_values(refs, {}, "here") == frozenset()  # unset: nothing to mask, and no error here
    grafana = Grafana(Settings("http://127.0.0.1:9", token=ADMIN_TOKEN), RetryPolicy(attempts=1), secrets=secrets)

    def refuse(api: object) -> None:
        raise GrafanaClientError(400, {"message": f"bad header value {TOKEN}"}, f"Client Error 400: {TOKEN}")

    with pytest.raises(GrafanaClientError) as caught:
        grafana.call("POST /api/datasources", refuse)
    assert describe(caught.value) == "HTTP 400: bad header value ***"
    assert TOKEN not in str(caught.value)
