"""`dash influx load` and `dash query --engine influxdb`: a user without AWS points them at a local InfluxDB and
gets the numbers the LiveAnalytics panels give; a bad URL, database or credential is one line and exit 3, and
a credential is never printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from tests.localquery.shipped import ROOT, sql_environment
from tests.servers import free_port, influxd

INSTANT = "2026-02-01T00:16:00Z"
SECRET = "s3cret-token-Zq9"


def dash(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, [*args], env={"INFLUX_TOKEN": "", **(env or {})})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def loaded(influx_server: str, sim_dir: Path) -> str:
    code, text = dash("influx", "load", str(sim_dir), "--influx-url", influx_server, "--database", "cli")
    assert code == 0, text
    assert "wrote " in text and "0 rejected, 0 unwritten" in text
    return influx_server


def instance(sim_dir: Path) -> str:
    return str(json.loads((sim_dir / "manifest.json").read_text())["instance"]["id"])


def query_args(panel: str, sim_dir: Path, *more: str) -> list[str]:
    return [
        "query", "connect-rt-agents", panel, "--root", str(ROOT), "--from", "2026-01-31T23:16:00Z", "--to", INSTANT,
        "--var", f"instance={instance(sim_dir)}", "--format", "json", *more,
    ]  # fmt: skip


@pytest.mark.parametrize("panel", ["online", "available", "on_contact", "non_productive"])
def test_a_panel_on_influxdb_gives_the_number_the_sql_gives_on_the_same_data(
    loaded: str, sim_dir: Path, panel: str
) -> None:
    code, influx = dash(
        *query_args(panel, sim_dir, "--engine", "influxdb", "--influx-url", loaded, "--influx-database", "cli")
    )
    assert code == 0, influx
    code, local = dash(
        *query_args(panel, sim_dir, "--engine", "local", "--data", str(sim_dir), "--env", sql_environment())
    )
    assert code == 0, local
    (influx_row,) = json.loads(influx)
    (local_row,) = json.loads(local)
    assert influx_row == local_row and list(local_row) == ["agents"], (influx_row, local_row)
    assert local_row["agents"] > 0


@pytest.mark.parametrize(("uid", "panel"), [("connect-rt-agents", "online"), ("connect-rt-contacts", "waiting_count")])
def test_with_no_var_influxdb_picks_grafanas_defaults_as_the_local_engine_does(
    loaded: str, sim_dir: Path, uid: str, panel: str
) -> None:
    """No --var: the instance is the first value its variable query lists (InfluxQL's second column, the
    instance id, not the count beside it), queues and channels All; the same number as the SQL twin's."""
    common = ["query", uid, panel, "--root", str(ROOT), "--from", "2026-01-31T23:16:00Z", "--to", INSTANT]
    code, influx = dash(
        *common, "--format", "json", "--engine", "influxdb", "--influx-url", loaded, "--influx-database", "cli"
    )
    assert code == 0, influx
    code, local = dash(*common, "--format", "json", "--data", str(sim_dir), "--env", sql_environment())
    assert code == 0, local
    (influx_row,) = json.loads(influx)
    (local_row,) = json.loads(local)
    assert influx_row == local_row and all(value for value in local_row.values()), (influx_row, local_row)


def _one_line_exit(code: int, text: str, expected_code: int, *words: str) -> None:
    assert code == expected_code, text
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
    for word in words:
        assert word in text, text
    assert SECRET not in text


def test_an_unreachable_influxdb_is_exit_3_in_one_line(sim_dir: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, text = dash(
        *query_args("online", sim_dir, "--engine", "influxdb", "--influx-url", url), env={"INFLUX_TOKEN": SECRET}
    )
    _one_line_exit(code, text, 3, "unreachable", "127.0.0.1")
    code, text = dash("influx", "load", str(sim_dir), "--influx-url", url, env={"INFLUX_TOKEN": SECRET})
    _one_line_exit(code, text, 3, "unreachable")


def test_an_unknown_database_is_exit_3_naming_it(loaded: str, sim_dir: Path) -> None:
    args = query_args("online", sim_dir, "--engine", "influxdb", "--influx-url", loaded, "--influx-database", "nope")
    code, text = dash(*args)
    _one_line_exit(code, text, 3, "no database 'nope'")


@pytest.fixture(scope="module")
def secured() -> Iterator[str]:
    with influxd(auth=True) as url:
        yield url


def test_refused_credentials_are_exit_3_and_never_printed(secured: str, sim_dir: Path) -> None:
    code, text = dash(
        *query_args("online", sim_dir, "--engine", "influxdb", "--influx-url", secured), env={"INFLUX_TOKEN": SECRET}
    )
    _one_line_exit(code, text, 3, "refused the credentials")
    code, text = dash("influx", "load", str(sim_dir), "--influx-url", secured, env={"INFLUX_TOKEN": SECRET})
    _one_line_exit(code, text, 3, "refused the credentials")


@pytest.mark.parametrize("token", [SECRET + "\n", "Tok\ren " + SECRET, SECRET + " ", "tök" + SECRET])
def test_a_token_that_cannot_be_sent_is_a_usage_error_that_does_not_echo_it(
    loaded: str, sim_dir: Path, token: str
) -> None:
    code, text = dash(
        *query_args("online", sim_dir, "--engine", "influxdb", "--influx-url", loaded), env={"INFLUX_TOKEN": token}
    )
    _one_line_exit(code, text, 2, "$INFLUX_TOKEN")


def test_a_history_panel_or_a_missing_url_is_a_usage_error(loaded: str, sim_dir: Path) -> None:
    args = [*query_args("online", sim_dir), "--engine", "influxdb"]
    code, text = dash(*args)
    assert code == 2 and "--influx-url URL" in text
    history = ["query", "connect-history-contacts", "contacts_handled", "--root", str(ROOT), "--engine", "influxdb"]
    history += ["--influx-url", loaded, "--from", "2026-01-31T22:00:00Z", "--to", INSTANT]
    code, text = dash(*history)
    assert code == 2 and "reads Amazon Athena" in text, text


@pytest.mark.parametrize(
    ("panel", "column"),
    [
        ("waiting_count", "waiting"),
        ("service_level_today", "service_level"),
        ("abandoned_today", "abandoned"),
        ("asa_today", "avg_speed_of_answer"),
    ],
)
def test_a_contacts_stat_on_influxdb_gives_the_number_the_sql_gives(
    loaded: str, sim_dir: Path, panel: str, column: str
) -> None:
    """The Contacts stats' query returns its parts as rows, which the source panel's transformations (passed on
    through the Dashboard datasource) make the SQL's one row: `dash query` applies them."""
    base = [
        "query", "connect-rt-contacts", panel, "--root", str(ROOT), "--from", "2026-01-31T23:16:00Z", "--to", INSTANT,
        "--var", f"instance={instance(sim_dir)}", "--format", "json",
    ]  # fmt: skip
    code, influx = dash(*base, "--engine", "influxdb", "--influx-url", loaded, "--influx-database", "cli")
    assert code == 0, influx
    code, local = dash(*base, "--engine", "local", "--data", str(sim_dir), "--env", sql_environment())
    assert code == 0, local
    (influx_row,) = json.loads(influx)
    (local_row,) = json.loads(local)
    assert local_row[column] is not None
    assert influx_row[column] == pytest.approx(local_row[column], abs=1e-9), (influx_row, local_row)
