"""The grammar against a real InfluxDB 1.x (Debian's influxd): what it accepts, the server runs; what it rejects, the server rejects."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from influxqlcheck.parser import InfluxQLSyntaxError, parse
from influxqlcheck.variables import pin_now, sample_selections, substitute
from tests.influxqlcheck.helpers import variable
from tests.servers import influxd

POINTS = [
    'agent_state,agent_id=a1,instance_id=i1 status_type="ROUTABLE",contact_count=1i 1714560000000',
    'agent_state,agent_id=a2,instance_id=i1 status_type="OFFLINE",contact_count=0i 1714560060000',
    "queue_metrics,queue_id=q1,channel=VOICE contacts_in_queue=3i,oldest_contact_age_seconds=12.5 1714560000000",
]
ACCEPTED = [
    """SELECT last("status_type") FROM "agent_state" WHERE time > now() - 15m AND "instance_id" = '$instance'
       GROUP BY "agent_id\"""",
    """SELECT count("s") FROM (SELECT last("status_type") AS "s" FROM "agent_state" WHERE $timeFilter
       GROUP BY "agent_id") WHERE "s" = 'ROUTABLE'""",
    """SELECT sum("n") FROM (SELECT last("contacts_in_queue") AS "n" FROM "queue_metrics" WHERE $timeFilter
       GROUP BY "queue_id", "channel") GROUP BY "queue_id\"""",
    """SELECT mean("oldest_contact_age_seconds") FROM "queue_metrics" WHERE $timeFilter AND "queue_id" =~ /^$queue$/
       GROUP BY time($__interval), * fill(linear) ORDER BY time DESC LIMIT 10 tz('Europe/London')""",
    """SELECT top("contact_count", "agent_id", 1), "status_type" FROM /agent_.*/ WHERE time >= ${__from}ms""",
    """SHOW TAG VALUES FROM "agent_state" WITH KEY = "agent_id" WHERE "instance_id" =~ /^i/; SHOW MEASUREMENTS""",
    'SHOW FIELD KEYS FROM "agent_state"; SHOW TAG KEYS /* comment */ FROM "queue_metrics"',
]
REJECTED = [
    "SELECT key FROM agent_state",
    'SELECT "a" agent_state',
    'SELECT "a" FROM agent_state GROUP BY time(1m) fill(sometimes)',
    'SELECT "a" FROM agent_state WHERE "b" = \'open',
    'SELECT "a"::text FROM agent_state',
    'SELECT "a" FROM agent_state LIMIT',
]
VARIABLES = {
    "instance": variable("instance", options=("i1",)),
    "queue": variable("queue", multi=True, options=("q1", "q.2")),
}


def _query(url: str, q: str) -> tuple[int, dict[str, object]]:
    body = urllib.parse.urlencode({"db": "connect", "q": q, "epoch": "ms"}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{url}/query", data=body), timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.fixture(scope="module")
def influx() -> Iterator[str]:
    with influxd(auth=False) as url:
        _query(url, "CREATE DATABASE connect")
        write = urllib.request.Request(f"{url}/write?db=connect&precision=ms", data="\n".join(POINTS).encode())
        urllib.request.urlopen(write, timeout=10).close()
        yield url


def _as_sent(query: str) -> str:
    return substitute(query, VARIABLES, sample_selections(VARIABLES)).text


@pytest.mark.parametrize("query", ACCEPTED)
def test_what_the_parser_accepts_influxdb_runs(influx: str, query: str) -> None:
    sent = _as_sent(query)
    parse(sent)
    status, answer = _query(influx, sent)
    assert status == 200, answer
    assert all("error" not in result for result in answer["results"]), answer


@pytest.mark.parametrize("query", REJECTED)
def test_what_the_parser_rejects_influxdb_rejects(influx: str, query: str) -> None:
    with pytest.raises(InfluxQLSyntaxError):
        parse(query)
    status, answer = _query(influx, query)
    assert status == 400 and "error parsing query" in str(answer["error"]), answer


def test_a_query_pinned_to_an_instant_reads_the_window_before_it(influx: str) -> None:
    """a1 wrote at 10:40:00 and a2 at 10:41:00; 15 minutes before 10:55:30 holds only a2."""
    query = 'SELECT last("status_type") FROM "agent_state" WHERE time > now() - 15m GROUP BY "agent_id"'
    pinned, _ = pin_now(query, datetime(2024, 5, 1, 10, 55, 30, tzinfo=UTC))
    status, answer = _query(influx, pinned)
    assert status == 200
    series = answer["results"][0]["series"]
    assert {s["tags"]["agent_id"]: s["values"][0][1] for s in series} == {"a2": "OFFLINE"}
