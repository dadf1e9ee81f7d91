"""The replay's DuckDB session (loaded once, "now" moving, translations reused) answers each rule query exactly as a
session loaded fresh at that instant does (the loader leaves out what had not happened yet)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from alerttest.run import _as_instance
from connect_simulator import simulate
from connect_simulator.incidents import MINUTE, incident
from dashcompiler.compile import compile_model
from localquery.replay import open_moving
from localquery.run import execute, open_session, referenced_tables
from tests.conftest import ROOT


@pytest.mark.parametrize("name", ["ingest-outage"])
def test_moving_now_matches_a_fresh_session_at_each_instant(tmp_path: Path, name: str) -> None:
    spec = incident(name)
    config = spec.config()
    manifest = simulate(tmp_path / "sim", config)
    model = compile_model(ROOT, "staging")
    queries = [
        q for group in model.alerts for rule in group.rules for q in rule.queries if q.query.kind.name == "timestream"
    ]
    tables = referenced_tables([q.query for q in queries], model.env)
    start = config.start_ms()
    moments = [start + m * MINUTE for m in (40, 121, 125, 151, 200)]  # before, in and after the outage
    moving = open_moving(tmp_path / "sim", model.env, moments[0] - 3_600_000, moments[-1], tables)
    try:
        for now in moments:
            fresh = open_session(tmp_path / "sim", model.env, queries[0].time_range(now), tables)  # as of now
            for alert_query in queries:
                query = _as_instance(alert_query.query, model.env, str(manifest["instance"]["id"]))
                tr = alert_query.time_range(now)
                expected = execute(replace(fresh, time_range=tr), query, (), {})
                got = moving.run(query, tr)
                assert (got.columns, sorted(map(repr, got.rows))) == (
                    expected.columns,
                    sorted(map(repr, expected.rows)),
                )
                assert got.types == expected.types
            fresh.con.close()
        assert moving.templates  # the translations were reused, not redone each time
    finally:
        moving.close()
