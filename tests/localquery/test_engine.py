"""The local engine's own rules, on hand-written records: CTR loading, translation, errors, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import cli
from core.errors import DataError, QueryError, UntranslatableError
from core.model import PanelOwner, RenderedQuery
from dashcompiler.compile import compile_model
from kinds import KINDS
from localquery.loader import load
from localquery.run import execute, open_session, time_range
from localquery.translate import install_macros, to_duckdb
from tests.localquery.shipped import run_shipped, sql_environment

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555"
UID = "connect-history-contacts"


def ctr(contact_id: str, initiated: str, **fields: object) -> dict[str, object]:
    """A CTR as Connect sends it: PascalCase keys, and a field Glue does not declare."""
    record: dict[str, object] = {
        "ContactId": contact_id,
        "InstanceARN": INSTANCE,
        "Channel": "VOICE",
        "InitiationMethod": "INBOUND",
        "InitiationTimestamp": initiated,
        "LastUpdateTimestamp": initiated,
        "Queue": None,
        "Agent": None,
        "SomeFieldConnectAddsLater": {"Nested": 1},
    }
    record.update(fields)
    return record


def queued(enqueued: str, duration: int) -> dict[str, object]:
    return {"Name": "Sales", "ARN": "q", "EnqueueTimestamp": enqueued, "Duration": duration}


def agent(connected: str, talk: int) -> dict[str, object]:
    return {
        "Username": "ann",
        "ConnectedToAgentTimestamp": connected,
        "AgentInteractionDuration": talk,
        "CustomerHoldDuration": 0,
        "NumberOfHolds": 0,
        "AfterContactWorkDuration": 10,
        "UnknownAgentField": "x",
    }


RECORDS = {
    "2026-01-31": [
        ctr(
            "answered",
            "2026-01-31T23:59:50Z",
            Queue=queued("2026-01-31T23:59:55Z", 5),
            Agent=agent("2026-02-01T00:00:00Z", 100),
        ),
        # re-sent later with an attribute update: counted once, the later delivery wins
        ctr(
            "answered",
            "2026-01-31T23:59:50Z",
            LastUpdateTimestamp="2026-02-01T00:30:00Z",
            Queue=queued("2026-01-31T23:59:55Z", 5),
            Agent=agent("2026-02-01T00:00:00Z", 100),
            Attributes={"Disposition": "resolved"},
        ),
        ctr("abandoned-at-0s", "2026-01-31T23:00:00Z", Queue=queued("2026-01-31T23:00:00Z", 0)),
    ],
    "2026-02-01": [
        ctr("outbound", "2026-02-01T00:10:00Z", InitiationMethod="OUTBOUND", Agent=agent("2026-02-01T00:10:05Z", 60)),
        ctr("left-for-callback", "2026-02-01T00:20:00Z", Queue=queued("2026-02-01T00:20:05Z", 30), NextContactId="cb"),
        ctr(
            "expired-task",
            "2026-02-01T00:30:00Z",
            Channel="TASK",
            InitiationMethod="API",
            DisconnectReason="EXPIRED",
            Queue=queued("2026-02-01T00:30:00Z", 600),
        ),
    ],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("handwritten")
    for day, records in RECORDS.items():
        folder = root / "ctr" / f"initiation_date={day}"
        folder.mkdir(parents=True)
        (folder / "part-0.json").write_text("".join(json.dumps(r) + "\n" for r in records))
    return root


def query(data: Path, panel: str, *assignments: str) -> object:
    (result,) = run_shipped(
        UID,
        panel,
        data,
        "2026-01-31T22:00:00Z",
        "2026-02-01T02:00:00Z",
        ["instance=" + INSTANCE.split("/")[-1], *assignments],
    )
    return result.rows[0][0] if len(result.rows) == 1 and len(result.columns) == 1 else result


def test_ctr_keys_map_case_insensitively_and_unknown_fields_are_ignored(data: Path) -> None:
    con = duckdb.connect()
    stats = load(data, con, timestream_database="ts", ctr_table="contact_records", as_of_ms=2**62)
    assert stats.ctr_rows == 6
    row = con.execute(
        "SELECT agent.username, agent.agentinteractionduration, queue.duration, initiation_date, attributes['Disposition'] "
        "FROM contact_records WHERE contactid = 'answered' ORDER BY lastupdatetimestamp DESC LIMIT 1"
    ).fetchone()
    assert row == ("ann", 100, 5, datetime(2026, 1, 31).date(), "resolved")


@pytest.mark.parametrize(
    ("panel", "expected"),
    [
        ("contacts_queued", 4),  # answered (once, despite two deliveries), abandoned-at-0s, left-for-callback, expired
        ("contacts_handled", 2),  # answered and the outbound contact with no queue
        ("contacts_abandoned", 1),  # only the one the customer left, at 0 s
        ("abandonment_rate", 25.0),
        ("avg_abandon_time", 0.0),
        ("service_level", 50.0),  # answered in 5 s, abandoned at 0 s; callback request at 30 s and expiry are not
        ("avg_handle_time", (110 + 70) / 2),
    ],
)
def test_handwritten_contacts(data: Path, panel: str, expected: float) -> None:
    assert query(data, panel) == pytest.approx(expected)


def test_queue_filter_drops_contacts_without_a_queue(data: Path) -> None:
    assert query(data, "contacts_handled", "queue=Sales") == 1


def test_untranslatable_function_is_named() -> None:
    with pytest.raises(UntranslatableError, match=r"INTERPOLATE_LINEAR\(\)"):
        to_duckdb(
            "SELECT INTERPOLATE_LINEAR(CREATE_TIME_SERIES(time, v), SEQUENCE(a, b, 1m)) FROM t", KINDS["timestream"]
        )


def test_function_duckdb_lacks_is_an_untranslatable_error(data: Path) -> None:
    build = compile_model(ROOT, sql_environment())
    session = open_session(
        data, build.env, time_range(datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 2, 2, tzinfo=UTC))
    )
    query = RenderedQuery(
        UID, PanelOwner("p"), "P", KINDS["athena"], Path("queries/x.sql"), "SELECT no_such_fn(1) AS x", {}
    )
    with pytest.raises(UntranslatableError, match=r"queries/x.sql: function no_such_fn\(\) has no DuckDB equivalent"):
        execute(session, query, (), {})


def test_now_is_the_end_of_the_range_and_date_diff_counts_whole_units() -> None:
    con = duckdb.connect()
    install_macros(con, datetime(2026, 2, 1, 1, 0))
    sql = to_duckdb(
        "SELECT now(), ago(15m), bin(from_milliseconds(1769907599999), 5m), "
        "date_diff('second', TIMESTAMP '2026-02-01 00:00:00.900', TIMESTAMP '2026-02-01 00:00:01.100')",
        KINDS["timestream"],
    )
    assert con.execute(sql).fetchone() == (
        datetime(2026, 2, 1, 1, 0),
        datetime(2026, 2, 1, 0, 45),
        datetime(2026, 2, 1, 0, 55),
        0,
    )


def test_integer_division_truncates_as_in_trino() -> None:
    """7 / 2 is 3 in Timestream and Athena (DuckDB says 3.5); a decimal or double operand divides exactly."""
    con = duckdb.connect()
    install_macros(con, datetime(2026, 2, 1, 1, 0))
    sql = to_duckdb(
        "SELECT 7 / 2, -7 / 2, sum(x) / count(*), 7 / 2.0, avg(x) / 2 FROM (SELECT 1 AS x UNION ALL SELECT 2) t",
        KINDS["timestream"],
    )
    assert con.execute(sql).fetchone() == (3, -3, 1, 3.5, 0.75)


def test_bad_arguments_are_clear_errors(data: Path) -> None:
    with pytest.raises(QueryError, match="no panel 'nope'"):
        run_shipped(UID, "nope", data, "2026-02-01T00:00:00Z", "2026-02-01T01:00:00Z")
    with pytest.raises(QueryError, match="not after --from"):
        run_shipped(UID, "callbacks", data, "2026-02-01T01:00:00Z", "2026-02-01T00:00:00Z")
    with pytest.raises(QueryError, match="no such variable"):
        run_shipped(UID, "callbacks", data, "2026-02-01T00:00:00Z", "2026-02-01T01:00:00Z", ["colour=red"])


def test_cli_prints_json_rows(data: Path) -> None:
    args = ["query", UID, "volume_by_initiation_method", "--engine", "local", "--data", str(data), "--root", str(ROOT)]
    args += ["--from", "2026-01-31T22:00:00Z", "--to", "2026-02-01T02:00:00Z", "--format", "json"]
    result = CliRunner().invoke(cli.app, [*args, "--var", "instance=" + INSTANCE.split("/")[-1]])
    assert result.exit_code == 0, result.output
    rows = sorted(json.loads(result.stdout), key=lambda r: (r["time"], r["initiation_method"]))
    assert rows == [  # the re-sent "answered" record counts once, in the hour of its initiation
        {"time": "2026-01-31T23:00:00.000Z", "initiation_method": "INBOUND", "contacts": 2},
        {"time": "2026-02-01T00:00:00.000Z", "initiation_method": "API", "contacts": 1},
        {"time": "2026-02-01T00:00:00.000Z", "initiation_method": "INBOUND", "contacts": 1},
        {"time": "2026-02-01T00:00:00.000Z", "initiation_method": "OUTBOUND", "contacts": 1},
    ]


def test_cli_refuses_other_engines(data: Path) -> None:
    args = [
        "query",
        UID,
        "callbacks",
        "--engine",
        "athena",
        "--data",
        str(data),
        "--from",
        "2026-02-01",
        "--to",
        "2026-02-02",
    ]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 2
    assert "--engine local" in result.output


def test_instance_without_a_value_is_an_error_not_an_empty_panel(data: Path) -> None:
    with pytest.raises(QueryError, match=r"\$instance has no value.*--var instance="):
        run_shipped(UID, "callbacks", data, "2026-02-01T00:00:00Z", "2026-02-01T01:00:00Z")


def test_only_the_sources_a_panel_reads_are_loaded(data: Path, tmp_path: Path) -> None:
    """A history panel reads neither contact nor agent events; real-time panels do, and report the bad line.

    (The routing-profile and hierarchy-group variables list agent_state, but with "All" and its allValue
    their queries need not run, so agent events are not loaded for them.)
    """
    for item in data.rglob("*"):
        target = tmp_path / item.relative_to(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.is_file():
            target.write_bytes(item.read_bytes())
    (tmp_path / "contact_events.jsonl").write_text('{"detail-type": "Amazon Connect Contact Event"}\n{not json\n')
    (tmp_path / "agent_events.jsonl").write_text("{not json\n")
    instance = "instance=" + INSTANCE.split("/")[-1]
    span = ("2026-01-31T22:00:00Z", "2026-02-01T02:00:00Z")
    (result,) = run_shipped(UID, "contacts_handled", tmp_path, *span, [instance])
    assert result.rows == [(2,)]
    with pytest.raises(DataError, match=r"agent_events.jsonl:1: "):
        run_shipped("connect-rt-agents", "online", tmp_path, *span, [instance])
    with pytest.raises(DataError, match=r"contact_events.jsonl:1: "):
        run_shipped("connect-rt-contacts", "abandoned_today", tmp_path, *span, [instance])
