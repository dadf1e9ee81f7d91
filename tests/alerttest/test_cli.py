"""`dash alerts test` on the command line: help, exit codes, table and JSON output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cli
from alerting.replay import Replay
from alerting.rule import parse_rule
from alerting.state import Transition
from alerttest import run as alerttest_run
from connect_simulator.incidents import INCIDENTS
from tests.alerting.rules import rule
from tests.conftest import ROOT

RUNNER = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(cli.app, ["alerts", "test", "--root", str(ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def test_help_names_the_incidents_and_the_exit_codes() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for word in ("normal-day", "queue-surge", "mass-logout", "ingest-outage", "flapping-queue", "Exit codes", "--rule"):
        assert word in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--incident", "fire"), "no incident 'fire'; the incidents are: normal-day"),
        (("--env", "staging", "--incident", "normal-day", "--rule", "nope"), "no rule nope; the rules are: connect-"),
        (("--format", "csv"), "--format csv: use table or json"),
    ],
)
def test_bad_arguments_exit_2_saying_what_to_use(args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2 and message in " ".join(err.split())


def test_json_timeline_of_one_rule_over_the_outage() -> None:
    rule_only = ("--rule", "connect-ingest-collector-silent")
    code, out, _ = invoke("--env", "staging", "--incident", "ingest-outage", *rule_only, "--format", "json")
    assert code == 0
    (incident,) = json.loads(out)
    assert incident["incident"] == "ingest-outage"
    assert [(t["at"][11:16], t["to"], t["notifies"]) for t in incident["transitions"]] == [
        ("10:05", "Alerting", "firing"),
        ("10:30", "Normal", "resolved"),
    ]


def test_a_rule_paging_on_the_normal_day_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    page = Transition(1_770_019_200_000, "r1", (), "Normal", "Alerting")
    fake = alerttest_run.IncidentReplay(
        INCIDENTS["normal-day"],
        Replay(0, 1, (page,), 1, (parse_rule(rule()),)),
        INCIDENTS["normal-day"].config(),
    )
    monkeypatch.setattr(alerttest_run, "run_incidents", lambda *args, **kwargs: [fake])
    code, out, err = invoke("--env", "staging", "--incident", "normal-day")
    assert code == 1
    assert "r1 pages 1 time(s) on the normal day (first at 08:00 UTC)" in " ".join(err.split())
    assert "firing" in out
