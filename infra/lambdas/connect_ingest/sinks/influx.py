"""InfluxDB writer: line protocol to the v1-compatible ``/write`` endpoint.

InfluxDB 1.x and Timestream for InfluxDB (2.x, v1 compatibility API) both accept it. Measurement = table,
tags = dimensions plus the table's declared ``influx_tags`` (copies of measures InfluxQL must group by),
fields = measures (TIMESTAMP measures as integer epoch milliseconds), time = event time in nanoseconds
(``precision=ns``), so that two events in one millisecond stay two points.
Standard library only (urllib), so the Lambda needs nothing beyond the Powertools layer.
"""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

from connect_ingest import datamodel
from connect_ingest.sinks.base import Backoff, WriteResult, chunks, deduplicate
from connect_ingest.transform import Record, Value

MAX_LINES_PER_REQUEST = 5000
_TYPES = {t.name: {m.name: m.type for m in t.measures} for t in datamodel.TIMESTREAM_TABLES}
_TAGS = {t.name: t.influx_tags for t in datamodel.TIMESTREAM_TABLES}
_KEY_ESCAPES = str.maketrans({",": r"\,", "=": r"\=", " ": r"\ "})
_MEASUREMENT_ESCAPES = str.maketrans({",": r"\,", " ": r"\ "})


class LineError(ValueError):
    """A record line protocol cannot carry; the message names the field, never the value."""


@dataclass(frozen=True)
class InfluxAuth:
    """Either a token (InfluxDB 2.x / Timestream for InfluxDB) or a v1 username and password; repr hides both."""

    token: str | None = field(default=None, repr=False)
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    def header(self) -> str | None:
        if self.token:
            return f"Token {self.token}"
        if self.username is not None and self.password is not None:
            return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return None


def _key(name: str, field_name: str) -> str:
    if "\n" in name or "\r" in name or name.endswith("\\"):
        raise LineError(f"{field_name}: a newline or trailing backslash cannot be written as line protocol")
    return name.translate(_KEY_ESCAPES)


def _field(value: Value, measure_type: str, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            raise LineError(f"field {name}: a newline cannot be written as line protocol")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if measure_type in ("BIGINT", "TIMESTAMP"):
        return f"{int(value)}i"
    return repr(float(value))


def _tags(record: Record) -> dict[str, str]:
    """The dimensions and each declared copy of a measure the record has (an empty value is left out, as
    InfluxDB refuses empty tags and the sink never writes an unknown value)."""
    copies = {tag.name: record.measures.get(tag.measure) for tag in _TAGS[record.table]}
    return {**record.dimensions, **{name: str(value) for name, value in copies.items() if value not in (None, "")}}


def to_line(record: Record) -> str:
    """One point in line protocol, time in nanoseconds (the event's millisecond plus its offset)."""
    types = _TYPES.get(record.table)
    if types is None:
        raise LineError(f"table {record.table} is not declared in the data model")
    if not record.measures:
        raise LineError("record has no measure values")
    head = record.table.translate(_MEASUREMENT_ESCAPES)
    tags = "".join(f",{_key(k, 'tag key')}={_key(v, 'tag ' + k)}" for k, v in sorted(_tags(record).items()))
    fields = ",".join(
        f"{_key(k, 'field key')}={_field(v, types.get(k, 'VARCHAR'), k)}" for k, v in record.measures.items()
    )
    return f"{head}{tags} {fields} {record.time_ns}"


@dataclass
class InfluxSink:
    url: str
    database: str
    auth: InfluxAuth = field(default_factory=InfluxAuth)
    backoff: Backoff = field(default_factory=Backoff)
    timeout_seconds: float = 10.0

    def write(self, records: Sequence[Record]) -> WriteResult:
        unique = deduplicate(records)
        rejected: dict[int, str] = {}
        lines: dict[int, str] = {}
        for index in unique.send:
            try:
                lines[index] = to_line(records[index])
            except LineError as exc:
                rejected[index] = str(exc)
        unwritten: set[int] = set()
        outage = ""
        for chunk in chunks(list(lines), MAX_LINES_PER_REQUEST):
            outage = outage or self._write_lines(chunk, lines, rejected)
            if outage:
                unwritten.update(i for i in chunk if i not in rejected)
        return unique.result(rejected, unwritten, outage)

    def _write_lines(self, indexes: Sequence[int], lines: dict[int, str], rejected: dict[int, str]) -> str:
        """Post the lines; on a 400, split until the refused points stand alone. Why InfluxDB failed, or ""."""
        status, outage = self._post("\n".join(lines[i] for i in indexes).encode())
        if status == 400:
            if len(indexes) == 1:
                rejected[indexes[0]] = "InfluxDB refused the point (HTTP 400: bad line or field type conflict)"
                return ""
            middle = len(indexes) // 2
            return self._write_lines(indexes[:middle], lines, rejected) or self._write_lines(
                indexes[middle:], lines, rejected
            )
        return outage

    def _post(self, body: bytes) -> tuple[int, str]:
        """The HTTP status of a written or refused (400) request, or 0 and why InfluxDB could not be written."""
        query = urllib.parse.urlencode({"db": self.database, "precision": "ns"})
        request = urllib.request.Request(f"{self.url.rstrip('/')}/write?{query}", data=body, method="POST")
        request.add_header("Content-Type", "text/plain; charset=utf-8")
        header = self.auth.header()
        if header:
            request.add_header("Authorization", header)
        outage = f"InfluxDB not reached in {self.backoff.attempts} attempts"
        for attempt in range(self.backoff.attempts):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                    return int(response.status), ""
            except urllib.error.HTTPError as exc:
                if exc.code == 400:
                    return 400, ""
                outage = f"InfluxDB HTTP {exc.code} after {self.backoff.attempts} attempts"
                if exc.code in (401, 403):
                    return 0, (
                        f"InfluxDB HTTP {exc.code}: credentials refused; check INFLUX_SECRET_ARN, INFLUX_TOKEN or "
                        "INFLUX_USERNAME and INFLUX_PASSWORD"
                    )
                if exc.code != 429 and exc.code < 500:
                    return 0, f"InfluxDB HTTP {exc.code}: check INFLUX_URL and INFLUX_DATABASE"
            except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as exc:
                # unreachable, or the connection broke mid-response (IncompleteRead): try again
                outage = f"InfluxDB unreachable ({type(exc).__name__}) after {self.backoff.attempts} attempts"
            if attempt + 1 < self.backoff.attempts:
                self.backoff.wait(attempt)
        return 0, outage
