"""Timestream for LiveAnalytics writer: WriteRecords with multi-measure records, 100 per call.

Shared fields go into CommonAttributes; throttling and server errors are retried with back-off; every
RejectedRecords entry is read: version conflicts are rewritten above the stored version, the rest are
returned as rejected with Timestream's reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connect_ingest import datamodel
from connect_ingest.sinks.base import Backoff, WriteResult, chunks, deduplicate
from connect_ingest.transform import Record, Value, schema_seed_record

MAX_RECORDS_PER_CALL = 100
MAX_VALUE_BYTES = 2048
MAX_RECORD_BYTES = 2048
_RETRYABLE = frozenset(
    {
        "ThrottlingException",
        "InternalServerException",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
_TYPES = {t.name: {m.name: m.type for m in t.measures} for t in datamodel.TIMESTREAM_TABLES}
_MEASURE_NAMES = {t.name: t.measure_name for t in datamodel.TIMESTREAM_TABLES}


def measure_text(value: Value, measure_type: str = "VARCHAR", nanoseconds: bool = False) -> str:
    """Timestream takes every value as a string; a TIMESTAMP measure is in the record's TimeUnit, like Time."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if measure_type == "TIMESTAMP" and nanoseconds:
        return str(int(value) * 1_000_000)
    return value if isinstance(value, str) else repr(value)


def limit_problem(record: Record) -> str | None:
    """Why Timestream would refuse this record whatever we do, or None. Names the field, never the value."""
    types = _TYPES.get(record.table)
    if types is None:
        return f"table {record.table} is not declared in the data model"
    if not record.measures:
        return "record has no measure values"
    size = len(_MEASURE_NAMES[record.table])
    for name, text in record.dimensions.items():
        encoded = len(text.encode())
        if encoded > MAX_VALUE_BYTES:
            return f"over Timestream limits: dimension {name} is {encoded} bytes (max {MAX_VALUE_BYTES})"
        size += len(name) + encoded
    for name, value in record.measures.items():
        if name not in types:
            return f"measure {name} is not declared for table {record.table}"
        encoded = len(measure_text(value, types[name], nanoseconds=True).encode())
        if encoded > MAX_VALUE_BYTES:
            return f"over Timestream limits: measure {name} is {encoded} bytes (max {MAX_VALUE_BYTES})"
        size += len(name) + encoded
    if size > MAX_RECORD_BYTES:
        return f"over Timestream limits: record is {size} bytes (max {MAX_RECORD_BYTES})"
    return None


def build_request(database: str, table: str, records: Sequence[Record]) -> dict[str, Any]:
    """One WriteRecords request; dimensions and a version that every record shares move to CommonAttributes."""
    common_dims = dict(records[0].dimensions)
    for record in records[1:]:
        for name, value in list(common_dims.items()):
            if record.dimensions.get(name) != value:
                del common_dims[name]
    versions = {r.version for r in records}
    # Nanoseconds only when a record needs them (an event offset inside its millisecond): fewer bytes otherwise.
    nanoseconds = any(r.offset_ns for r in records)
    common: dict[str, Any] = {
        "MeasureName": _MEASURE_NAMES[table],
        "MeasureValueType": "MULTI",
        "TimeUnit": "NANOSECONDS" if nanoseconds else "MILLISECONDS",
    }
    if common_dims:
        common["Dimensions"] = [{"Name": k, "Value": v} for k, v in common_dims.items()]
    if len(versions) == 1:
        common["Version"] = records[0].version
    types = _TYPES[table]
    rows = []
    for record in records:
        row: dict[str, Any] = {
            "Time": str(record.time_ns if nanoseconds else record.time_ms),
            "MeasureValues": [
                {"Name": k, "Value": measure_text(v, types[k], nanoseconds), "Type": types[k]}
                for k, v in record.measures.items()
            ],
        }
        dims = [{"Name": k, "Value": v} for k, v in record.dimensions.items() if k not in common_dims]
        if dims:
            row["Dimensions"] = dims
        if len(versions) > 1:
            row["Version"] = record.version
        rows.append(row)
    return {"DatabaseName": database, "TableName": table, "CommonAttributes": common, "Records": rows}


@dataclass
class TimestreamSink:
    client: Any
    database: str
    backoff: Backoff = field(default_factory=Backoff)
    version_retries: int = 3
    # Before the first write to each table, write its schema-seed record (transform/seed.py), once per sink.
    seed_schema: bool = False
    clock: Callable[[], float] = time.time
    seeded: set[str] = field(default_factory=set)

    def write(self, records: Sequence[Record]) -> WriteResult:
        if self.seed_schema:
            for table in sorted({r.table for r in records if r.table in _TYPES} - self.seeded):
                self.seed(table)
        unique = deduplicate(records)
        rejected: dict[int, str] = {}
        by_table: dict[str, list[int]] = {}
        for index in unique.send:
            record = records[index]
            problem = limit_problem(record)
            if problem:
                rejected[index] = problem
            else:
                by_table.setdefault(record.table, []).append(index)
        unwritten: set[int] = set()
        outage = ""
        for table, indexes in by_table.items():
            for chunk in chunks(indexes, MAX_RECORDS_PER_CALL):
                if outage:
                    unwritten.update(chunk)
                    continue
                chunk_rejected, outage = self._write_chunk(table, [records[i] for i in chunk])
                rejected.update({chunk[i]: reason for i, reason in chunk_rejected.items()})
                if outage:
                    unwritten.update(i for i in chunk if i not in rejected)
        return unique.result(rejected, unwritten, outage)

    def seed(self, table: str) -> bool:
        """Write ``table``'s schema-seed record; False (to try again on the next write) if it was not stored.

        The seed is no input of the caller's: it is neither counted nor dead-lettered, and failing to write it
        fails nothing else: one attempt, then the events' own write goes on (and backs off if Timestream is down).
        """
        record = schema_seed_record(datamodel.timestream_table(table), int(self.clock() * 1000))
        once = replace(self, backoff=Backoff(attempts=1, sleep=self.backoff.sleep), seed_schema=False)
        rejected, outage = once._write_chunk(table, [record])
        if rejected or outage:
            return False
        self.seeded.add(table)
        return True

    def _write_chunk(self, table: str, records: list[Record]) -> tuple[dict[int, str], str]:
        """Write one chunk; returns (rejected by chunk index, why Timestream could not be written, or "")."""
        rejected: dict[int, str] = {}
        pending = list(range(len(records)))
        versions = {i: records[i].version for i in pending}
        attempt = conflicts = 0
        while pending:
            batch = [_with_version(records[i], versions[i]) for i in pending]
            try:
                self.client.write_records(**build_request(self.database, table, batch))
                return rejected, ""
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
                if code == "RejectedRecordsException":
                    retry: list[int] = []
                    # botocore's ClientError response type does not declare the RejectedRecords Timestream sends.
                    response: Mapping[str, Any] = exc.response
                    for entry in response.get("RejectedRecords", []):
                        index = pending[entry["RecordIndex"]]
                        existing = entry.get("ExistingVersion")
                        if existing is not None and conflicts < self.version_retries:
                            versions[index] = max(versions[index], int(existing)) + 1
                            retry.append(index)
                        else:
                            rejected[index] = (
                                f"Timestream rejected the record: {entry.get('Reason', 'no reason given')}"
                            )
                    pending, conflicts = retry, conflicts + 1
                elif code == "ValidationException":
                    if len(pending) == 1:
                        rejected[pending[0]] = (
                            f"Timestream ValidationException: {exc.response['Error'].get('Message', '')}"
                        )
                        return rejected, ""
                    current = [_with_version(records[i], versions[i]) for i in range(len(records))]
                    return self._bisect(table, current, pending, rejected)
                elif code in _RETRYABLE or status >= 500:
                    if attempt + 1 >= self.backoff.attempts:
                        return rejected, f"Timestream {code or status} after {self.backoff.attempts} attempts"
                    self.backoff.wait(attempt)
                    attempt += 1
                else:
                    return rejected, (
                        f"Timestream {code or status} (not retried here): check TIMESTREAM_DATABASE, the table "
                        "and the function's permissions"
                    )
            except BotoCoreError as exc:
                if attempt + 1 >= self.backoff.attempts:
                    return rejected, (
                        f"Timestream unreachable ({type(exc).__name__}) after {self.backoff.attempts} attempts"
                    )
                self.backoff.wait(attempt)
                attempt += 1
        return rejected, ""

    def _bisect(
        self, table: str, records: list[Record], pending: list[int], rejected: dict[int, str]
    ) -> tuple[dict[int, str], str]:
        """A ValidationException names no record: split the request until the invalid ones stand alone.

        ``records`` carry the versions raised so far, so a conflict already resolved is not fought again.
        """
        middle = len(pending) // 2
        for half in (pending[:middle], pending[middle:]):
            half_rejected, outage = self._write_chunk(table, [records[i] for i in half])
            rejected.update({half[i]: reason for i, reason in half_rejected.items()})
            if outage:
                return rejected, outage
        return rejected, ""


def _with_version(record: Record, version: int) -> Record:
    return record if record.version == version else replace(record, version=version)
