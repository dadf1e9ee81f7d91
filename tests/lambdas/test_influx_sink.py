"""The InfluxDB sink against a real InfluxDB 1.x server: write line protocol, read back with InfluxQL."""

from __future__ import annotations

import http.client
import json
import random
import secrets
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from conftest import SecuredInflux
from connect_ingest.config import ConfigError, influx_auth, sink_from_env
from connect_ingest.sinks import Backoff, WriteResult
from connect_ingest.sinks.influx import InfluxAuth, InfluxSink, to_line
from connect_ingest.transform import Record, agent_event_records
from lambda_factories import agent_event

NO_WAIT = Backoff(attempts=2, sleep=lambda _: None)


def influxql(
    url: str, query: str, database: str = "", method: str = "GET", login: tuple[str, str] | None = None
) -> dict[str, Any]:
    credentials = {"u": login[0], "p": login[1]} if login else {}
    params = urllib.parse.urlencode({"q": query, "db": database, "epoch": "ms", **credentials})
    request = urllib.request.Request(f"{url}/query?{params}", method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def fresh_database(url: str, name: str) -> str:
    influxql(url, f'DROP DATABASE "{name}"', method="POST")
    influxql(url, f'CREATE DATABASE "{name}"', method="POST")
    return name


def series(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in result["results"][0].get("series", []):
        rows.extend(dict(zip(item["columns"], values, strict=True)) for values in item["values"])
    return rows


def test_agent_records_round_trip_through_influxdb(influx_url: str) -> None:
    database = fresh_database(influx_url, "connect_roundtrip")
    rng = random.Random(3)
    moment = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    records = [
        r for i in range(40) for r in agent_event_records(agent_event(rng, moment + timedelta(seconds=i), contacts=1))
    ]
    result = InfluxSink(url=influx_url, database=database, backoff=NO_WAIT).write(records)
    assert result.rejected == {} and result.unwritten == frozenset()

    states = series(influxql(influx_url, "SELECT * FROM agent_state", database))
    assert len(states) == 40
    first = next(r for r in records if r.table == "agent_state")
    row = next(s for s in states if s["time"] == first.time_ms)
    assert row["agent_id"] == first.dimensions["agent_id"]
    assert row["event_type"] == first.measures["event_type"]
    assert row["voice_slots_max"] == first.measures["voice_slots_max"]
    assert row["status_start"] == first.measures["status_start"]
    contacts = series(influxql(influx_url, "SELECT count(state) FROM agent_contact", database))
    assert contacts[0]["count"] == 40


def test_tricky_strings_survive_and_a_type_conflict_is_rejected_alone(influx_url: str) -> None:
    database = fresh_database(influx_url, "connect_conflict")
    base = {"instance_id": "i-1", "agent_id": "a b,c=d"}
    good = Record("agent_state", 1_700_000_000_000, 1, base, {"event_type": 'say "hi" \\ ok', "contact_count": 2})
    # agent_name first written as a number: the sink's later string value conflicts and InfluxDB refuses it.
    seed = "agent_state,agent_id=other,instance_id=i-1 agent_name=5i 1700000000000"
    request = urllib.request.Request(
        f"{influx_url}/write?db={database}&precision=ms", data=seed.encode(), method="POST"
    )
    urllib.request.urlopen(request, timeout=10).close()
    conflicting = Record("agent_state", 1_700_000_000_001, 1, base, {"event_type": "LOGIN", "agent_name": "Ann"})
    later = Record("agent_state", 1_700_000_000_002, 1, base, {"event_type": "LOGOUT"})

    result = InfluxSink(url=influx_url, database=database, backoff=NO_WAIT).write([good, conflicting, later])

    assert set(result.rejected) == {1} and result.unwritten == frozenset()
    rows = series(
        influxql(influx_url, "SELECT event_type, agent_id FROM agent_state WHERE instance_id = 'i-1'", database)
    )
    by_time = {r["time"]: r for r in rows}
    assert by_time[good.time_ms]["event_type"] == 'say "hi" \\ ok'
    assert by_time[good.time_ms]["agent_id"] == "a b,c=d"
    assert by_time[later.time_ms]["event_type"] == "LOGOUT"
    assert good.time_ms + 1 not in by_time


def test_one_agents_two_events_in_one_millisecond_are_two_influx_points(influx_url: str) -> None:
    database = fresh_database(influx_url, "connect_same_ms")
    first = agent_event(random.Random(5), datetime(2024, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC), contacts=0)
    second = first | {"EventId": "another-event", "EventType": "LOGOUT"}
    records = agent_event_records(first) + agent_event_records(second)

    result = InfluxSink(url=influx_url, database=database, backoff=NO_WAIT).write(records)

    assert result.rejected == {} and result.unwritten == frozenset()
    params = urllib.parse.urlencode({"q": "SELECT event_type FROM agent_state", "db": database, "epoch": "ns"})
    with urllib.request.urlopen(f"{influx_url}/query?{params}", timeout=10) as response:
        rows = series(json.load(response))
    assert sorted((r["time"], r["event_type"]) for r in rows) == sorted(
        (r.time_ns, r.measures["event_type"]) for r in records
    )


def test_the_status_name_is_also_a_tag_so_influxql_can_group_by_it(influx_url: str) -> None:
    """agent_state declares status_name as InfluxDB tag ``status``: GROUP BY "status" reads it, the field stays."""
    database = fresh_database(influx_url, "connect_status_tag")
    base = {"instance_id": "i-1", "agent_id": "a1"}
    records = [
        Record("agent_state", 1_700_000_000_000, 1, base, {"event_type": "LOGIN", "status_name": "Available"}),
        Record("agent_state", 1_700_000_001_000, 1, base, {"event_type": "STATE_CHANGE", "status_name": "Lunch, x=1"}),
        Record("agent_state", 1_700_000_002_000, 1, base, {"event_type": "HEART_BEAT", "status_name": "Lunch, x=1"}),
        Record("agent_state", 1_700_000_003_000, 1, base, {"event_type": "HEART_BEAT"}),  # no status known
    ]

    result = InfluxSink(url=influx_url, database=database, backoff=NO_WAIT).write(records)

    assert result.rejected == {} and result.unwritten == frozenset()
    grouped = influxql(influx_url, 'SELECT count("event_type") FROM agent_state GROUP BY "status"', database)
    counts = {s["tags"]["status"]: s["values"][0][1] for s in grouped["results"][0]["series"]}
    assert counts == {"": 1, "Available": 1, "Lunch, x=1": 2}
    fields = series(influxql(influx_url, 'SELECT "status_name", "event_type" FROM agent_state', database))
    assert [r["status_name"] for r in fields] == ["Available", "Lunch, x=1", "Lunch, x=1", None]


def test_a_declared_tag_copies_its_measure_and_is_left_out_when_the_measure_is() -> None:
    base = {"instance_id": "i-1", "agent_id": "a1"}
    with_status = Record("agent_state", 1, 1, base, {"event_type": "LOGIN", "status_name": "On break"})
    assert to_line(with_status) == (
        'agent_state,agent_id=a1,instance_id=i-1,status=On\\ break event_type="LOGIN",status_name="On break" 1000000'
    )
    assert ",status=" not in to_line(Record("agent_state", 1, 1, base, {"event_type": "LOGIN", "status_name": ""}))
    contact = Record("agent_contact", 1, 1, base, {"state": "CONNECTED"})
    assert to_line(contact) == 'agent_contact,agent_id=a1,instance_id=i-1 state="CONNECTED" 1000000'


def test_credentials_from_secrets_manager_or_the_environment_open_an_auth_enabled_influxdb(
    secured_influx: SecuredInflux, aws: str
) -> None:
    """Only a user with the right password writes; a wrong or missing one leaves the records for a retry."""
    admin = (secured_influx.admin, secured_influx.password)
    database = "connect_auth"
    influxql(secured_influx.url, f'CREATE DATABASE "{database}"', method="POST", login=admin)
    password = secrets.token_urlsafe(12)
    influxql(secured_influx.url, f"CREATE USER ingest WITH PASSWORD '{password}'", method="POST", login=admin)
    influxql(secured_influx.url, f'GRANT WRITE ON "{database}" TO ingest', method="POST", login=admin)
    secret = json.dumps({"username": "ingest", "password": password})
    arn = boto3.client("secretsmanager").create_secret(Name="influx-ingest", SecretString=secret)["ARN"]
    env = {"SINK": "influxdb", "INFLUX_URL": secured_influx.url, "INFLUX_DATABASE": database}
    points = [
        Record("agent_state", 1_700_000_000_000 + i, 1, {"agent_id": "a"}, {"event_type": "LOGIN"}) for i in range(4)
    ]

    from_secret = sink_from_env(env | {"INFLUX_SECRET_ARN": arn})
    from_environment = sink_from_env(env | {"INFLUX_USERNAME": "ingest", "INFLUX_PASSWORD": password})
    wrong_password = sink_from_env(env | {"INFLUX_USERNAME": "ingest", "INFLUX_PASSWORD": password + "x"})
    anonymous = sink_from_env(env)

    assert from_secret.write(points[:1]) == WriteResult({}, frozenset())
    assert from_environment.write(points[1:2]) == WriteResult({}, frozenset())
    refused = "InfluxDB HTTP 401: credentials refused; check INFLUX_SECRET_ARN, INFLUX_TOKEN or INFLUX_USERNAME"
    assert wrong_password.write(points[2:3]) == WriteResult({}, frozenset({0}), refused + " and INFLUX_PASSWORD")
    assert anonymous.write(points[3:]) == WriteResult({}, frozenset({0}), refused + " and INFLUX_PASSWORD")
    rows = series(influxql(secured_influx.url, "SELECT event_type FROM agent_state", database, login=admin))
    assert sorted(r["time"] for r in rows) == [points[0].time_ms, points[1].time_ms]
    with pytest.raises(urllib.error.HTTPError, match="401"):
        influxql(secured_influx.url, "SELECT event_type FROM agent_state", database)


def test_unreachable_server_leaves_records_unwritten_for_retry() -> None:
    record = Record("agent_state", 1, 1, {"agent_id": "a"}, {"event_type": "LOGIN"})
    sink = InfluxSink(url="http://127.0.0.1:9", database="x", backoff=NO_WAIT, timeout_seconds=1)
    assert sink.write([record]) == WriteResult({}, frozenset({0}), "InfluxDB unreachable (URLError) after 2 attempts")


def test_a_response_cut_short_is_retried_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    class Written:
        status = 204

        def __enter__(self) -> Written:
            return self

        def __exit__(self, *_: object) -> None:
            return None

    answers: list[object] = [http.client.IncompleteRead(b"par"), http.client.RemoteDisconnected("gone"), Written()]

    def urlopen(request: object, timeout: float) -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    record = Record("agent_state", 1, 1, {"agent_id": "a"}, {"event_type": "LOGIN"})
    sink = InfluxSink(url="http://influx.invalid", database="x", backoff=Backoff(attempts=3, sleep=lambda _: None))
    assert sink.write([record]) == WriteResult({}, frozenset())
    assert answers == []

    answers[:] = [http.client.IncompleteRead(b"")] * 3
    result = sink.write([record])
    assert (
        result.unwritten == frozenset({0}) and result.outage == "InfluxDB unreachable (IncompleteRead) after 3 attempts"
    )


def test_newline_in_a_value_is_rejected_not_mangled() -> None:
    record = Record("agent_state", 1, 1, {"agent_id": "a\nb"}, {"event_type": "LOGIN"})
    with pytest.raises(ValueError, match="tag agent_id"):
        to_line(record)


class FakeSecrets:
    def __init__(self, secret: str) -> None:
        self.secret = secret

    def get_secret_value(self, SecretId: str) -> dict[str, str]:
        return {"SecretString": self.secret}


def test_credentials_prefer_environment_then_secret() -> None:
    secret = FakeSecrets(json.dumps({"username": "u", "password": "p"}))
    assert influx_auth({"INFLUX_TOKEN": "t", "INFLUX_SECRET_ARN": "arn"}, secret).header() == "Token t"
    assert influx_auth({"INFLUX_SECRET_ARN": "arn"}, secret).header() == "Basic dTpw"
    assert influx_auth({"INFLUX_SECRET_ARN": "arn"}, FakeSecrets('{"token": "s"}')) == InfluxAuth(token="s")
    assert influx_auth({}, secret).header() is None
    with pytest.raises(ConfigError, match="neither"):
        influx_auth({"INFLUX_SECRET_ARN": "arn"}, FakeSecrets('{"user": "x"}'))
    assert "p" not in repr(influx_auth({"INFLUX_SECRET_ARN": "arn"}, secret))


def test_influxql_answers_no_rows_for_a_field_or_tag_never_written_so_influx_needs_no_schema_seed(
    influx_url: str,
) -> None:
    """Unlike Timestream ("Column does not exist"), InfluxQL names no error for an unwritten field or tag, nor for
    a measurement never written: the InfluxDB sink writes no schema-seed record."""
    database = fresh_database(influx_url, "connect_unwritten")
    state = Record("agent_state", 1_714_564_800_000, 1, {"instance_id": "i", "agent_id": "a"}, {"event_type": "LOGIN"})
    assert InfluxSink(url=influx_url, database=database, backoff=NO_WAIT).write([state]) == WriteResult()
    for query in (
        "SELECT next_status_name FROM agent_state",
        "SELECT max(voice_slots_max) FROM agent_state WHERE hierarchy_group = 'g'",
        "SELECT disconnect_reason FROM contact_event",
    ):
        result = influxql(influx_url, query, database)
        assert "error" not in result["results"][0], (query, result)
        assert series(result) == [], query
    assert series(influxql(influx_url, "SELECT event_type FROM agent_state", database)) == [
        {"time": state.time_ms, "event_type": "LOGIN"}
    ]
