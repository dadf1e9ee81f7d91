"""InfluxDB for the real-time panels: load a simulation through the ingest Lambda's own sink, run InfluxQL.

Records come from the same transforms the local engine loads (``localquery.loader``) and are written by
``InfluxSink``, so InfluxDB holds exactly the points the Lambda would write. Queries go to the v1 ``/query``
API with ``epoch=ms``, as Grafana's InfluxDB datasource sends them. Errors say what failed, where and what
to do, and never carry the token or password.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from connect_ingest.sinks.influx import InfluxAuth, InfluxSink
from connect_ingest.transform import Record

from core.errors import DataError, QueryError, ServiceError
from core.secrets import check_sendable, mask, masker
from localquery.loader import SOURCES, latest_versions, source_records

REAL_TIME_TABLES = ("agent_state", "agent_contact", "contact_event", "queue_metrics", "resource_snapshot")
BATCH = 50_000  # records per InfluxSink.write call; the sink posts them 5,000 lines at a time


@dataclass(frozen=True)
class InfluxStats:
    """What a load wrote: points written, rejected (dead-lettered by the Lambda) and unwritten (outage)."""

    written: int
    rejected: int
    unwritten: int
    by_table: dict[str, int]
    outage: str = ""


@dataclass(frozen=True)
class InfluxTable:
    """One series of a statement's result: measurement name, its GROUP BY tags, columns and rows."""

    name: str
    tags: dict[str, str]
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def auth_from_environ(environ: Mapping[str, str]) -> InfluxAuth:
    """INFLUX_TOKEN, or INFLUX_USERNAME and INFLUX_PASSWORD, as the ingest Lambdas read them; none for an
    InfluxDB without authentication. A value that cannot travel in an HTTP header is named, never shown."""
    token, username, password = (environ.get(k) for k in ("INFLUX_TOKEN", "INFLUX_USERNAME", "INFLUX_PASSWORD"))
    if token:
        check_sendable("$INFLUX_TOKEN", token, header=True)
        return InfluxAuth(token=token)
    if username and password is not None:
        check_sendable("$INFLUX_USERNAME", username, header=False)
        check_sendable("$INFLUX_PASSWORD", password, header=False)
        return InfluxAuth(username=username, password=password)
    return InfluxAuth()


def _secret_forms(auth: InfluxAuth) -> tuple[str, ...]:
    """What to mask in text InfluxDB sent back: the token, the password and the Basic credential."""
    basic = f"{auth.username}:{auth.password}" if auth.username is not None and auth.password else None
    return masker(v for v in (auth.token, auth.password, basic) if v)


def _where(url: str) -> str:
    """The server as errors name it: scheme, host and port only, never userinfo or a query string."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "?"
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}"


def _request(url: str, auth: InfluxAuth, params: dict[str, str], timeout: float) -> dict[str, Any]:
    """POST /query; the decoded JSON body of a 200 or 400 answer, or an ServiceError."""
    request = urllib.request.Request(
        f"{url.rstrip('/')}/query", data=urllib.parse.urlencode(params).encode(), method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    header = auth.header()
    if header:
        request.add_header("Authorization", header)
    where = _where(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _object(json.loads(response.read() or b"{}"), where)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise ServiceError(
                f"InfluxDB at {where} refused the credentials (HTTP {exc.code}); check the token, or the "
                "username and password, and that the user may read the database"
            ) from None
        if exc.code == 400:
            return _object(json.loads(exc.read() or b"{}"), where)
        raise ServiceError(
            f"InfluxDB at {where} answered HTTP {exc.code}; check the URL points at InfluxDB's HTTP API"
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceError(
            f"InfluxDB at {where} is unreachable ({type(reason).__name__}); check the URL and that the server runs"
        ) from None
    except json.JSONDecodeError:
        raise ServiceError(f"InfluxDB at {where} answered something other than JSON; check the URL") from None


def _object(body: Any, where: str) -> dict[str, Any]:
    """InfluxDB answers a JSON object; anything else is another server."""
    if not isinstance(body, dict):
        raise ServiceError(
            f"InfluxDB at {where} answered JSON that is not InfluxDB's (a {type(body).__name__}); check the URL"
        )
    return body


def _statement_error(message: str, url: str, database: str, what: str, auth: InfluxAuth) -> ServiceError | QueryError:
    """A statement's error as the exception to raise: a missing database is the service's, the rest the query's.
    InfluxDB's message is shown with the credentials masked (a server may quote the request)."""
    one_line = " ".join(mask(str(message), _secret_forms(auth)).split())
    if one_line.startswith("database not found"):
        return ServiceError(
            f"InfluxDB at {_where(url)} has no database {database!r}; load data into it or fix the database name"
        )
    return QueryError(f"{what}: InfluxDB at {_where(url)} refused the query: {one_line}; fix the InfluxQL")


def run_influxql(
    url: str,
    database: str,
    auth: InfluxAuth,
    text: str,
    *,
    what: str = "query",
    timeout: float = 30.0,
) -> list[InfluxTable]:
    """Every series every statement of ``text`` returned, times as epoch ms; ``what`` names the query in errors."""
    body = _request(url, auth, {"db": database, "q": text, "epoch": "ms"}, timeout)
    if "error" in body:
        raise _statement_error(body["error"], url, database, what, auth)
    tables: list[InfluxTable] = []
    for result in body.get("results", []):
        if "error" in result:
            raise _statement_error(result["error"], url, database, what, auth)
        for series in result.get("series", []):
            tables.append(
                InfluxTable(
                    series.get("name", ""),
                    dict(series.get("tags") or {}),
                    tuple(series.get("columns", ())),
                    [tuple(row) for row in series.get("values", [])],
                )
            )
    return tables


def create_database(url: str, database: str, auth: InfluxAuth, timeout: float = 30.0) -> None:
    """CREATE DATABASE is idempotent on 1.x; 2.x and Timestream for InfluxDB map buckets instead (DBRP)."""
    quoted = database.replace("\\", "\\\\").replace('"', '\\"')
    run_influxql(url, "", auth, f'CREATE DATABASE "{quoted}"', what="CREATE DATABASE", timeout=timeout)


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def load_simulation(data: Path, url: str, database: str, auth: InfluxAuth, *, create: bool = True) -> InfluxStats:
    """Write a ``dash simulate`` folder's real-time records into ``database``, as the ingest Lambdas would.

    Versions are resolved first as Timestream's upsert does (the highest wins per table, dimensions and
    time), so both stores hold the same rows, whatever order re-deliveries sit in the files.
    """
    if not data.is_dir():
        raise DataError(f"{data}: not a directory; generate one with `dash simulate --out {data}`")
    if create:
        create_database(url, database, auth)
    latest = latest_versions(source_records(data, SOURCES, REAL_TIME_TABLES), REAL_TIME_TABLES)
    sink = InfluxSink(url, database, auth)
    written = rejected = unwritten = 0
    outage = ""
    by_table: dict[str, int] = {}
    for name, rows in latest.items():
        by_table[name] = 0
        for batch in _batches(rows.values(), BATCH):
            result = sink.write(batch)
            if result.outage and not outage:
                outage = result.outage
            bad = len(result.rejected) + len(result.unwritten)
            rejected += len(result.rejected)
            unwritten += len(result.unwritten)
            written += len(batch) - bad
            by_table[name] += len(batch) - bad
    return InfluxStats(written, rejected, unwritten, by_table, outage)
