"""Load a data directory into DuckDB, shaped like the tables the pipeline writes.

CTRs become the Glue table (lower-case columns, Hive types mapped to DuckDB types, the
``initiation_date`` partition from the folder name), agent events also the Glue table Firehose archives them
to (``event_date`` from each EventTimestamp); agent events, contact events and collector
snapshots go through the Lambdas' own transforms into the Timestream tables, in a schema named
after the Timestream database so that ``"<database>".agent_state`` resolves as in production.
Rows are staged as newline-delimited JSON and read back by DuckDB: far faster than row inserts.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any

import duckdb
from connect_ingest import datamodel
from connect_ingest.transform import (
    Record,
    TransformError,
    agent_event_records,
    contact_event_records,
    snapshot_records,
)

from core.errors import DataError

Transform = Callable[[dict[str, Any]], list[Record]]
# Each source file, the Lambda transform it goes through, and the tables that transform writes.
SOURCES: tuple[tuple[str, Transform, tuple[str, ...]], ...] = (
    ("agent_events.jsonl", agent_event_records, ("agent_state", "agent_contact")),
    ("contact_events.jsonl", contact_event_records, ("contact_event",)),
    ("collector/snapshots.jsonl", snapshot_records, ("queue_metrics", "resource_snapshot")),
)
# Input keys only one table is written from: dropped before the transform when that table is not loaded
# (a collector snapshot's user list is most of its size, and queue_metrics needs only the queue names).
_ONLY_FOR = {"resource_snapshot": ("users", "routing_profiles")}
_SCALARS = {"string": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE", "boolean": "BOOLEAN"}
_SCALARS |= {"date": "DATE", "timestamp": "TIMESTAMP", "float": "FLOAT", "smallint": "SMALLINT"}
_TIMESTREAM_TYPES = {"VARCHAR": "VARCHAR", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN"}
_TIMESTREAM_TYPES |= {"TIMESTAMP": "TIMESTAMP"}
_ALWAYS = ("measure_name", "time")  # the columns of every Timestream table, written or not
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode


@dataclass(frozen=True)
class LoadStats:
    """What was loaded, for the command's summary and the benchmark."""

    ctr_rows: int
    timestream_rows: dict[str, int]


def duckdb_type(hive: str | dict[str, object]) -> str:
    """A parsed Hive type (datamodel.parse_hive_type) as a DuckDB type."""
    if isinstance(hive, str):
        base = hive.split("(")[0]
        if base not in _SCALARS:
            raise DataError(f"Hive type {hive!r} has no DuckDB mapping; add it to localquery.loader._SCALARS")
        return _SCALARS[base]
    if "[]" in hive:
        return f"{duckdb_type(hive['[]'])}[]"  # type: ignore[arg-type]
    if "{}" in hive:
        return f"MAP(VARCHAR, {duckdb_type(hive['{}'])})"  # type: ignore[arg-type]
    fields = ", ".join(f'"{name}" {duckdb_type(kind)}' for name, kind in hive.items())  # type: ignore[arg-type]
    return f"STRUCT({fields})"


Normaliser = Callable[[Any], Any]


def normaliser(hive: str | dict[str, object]) -> Normaliser | None:
    """How a CTR value maps onto its Glue type, as the OpenX SerDe reads it (None: taken as it is).

    Struct keys match case-insensitively and unknown ones are dropped; a value of the wrong shape
    for a struct, array or map is NULL. Built once per type, then applied to every record.
    """
    if isinstance(hive, str):
        return None
    if "[]" in hive:
        item = normaliser(hive["[]"])  # type: ignore[arg-type]
        if item is None:
            return lambda value: value if isinstance(value, list) else None
        return lambda value: [None if v is None else item(v) for v in value] if isinstance(value, list) else None
    if "{}" in hive:
        return lambda value: value if isinstance(value, dict) else None
    return _struct(hive)  # type: ignore[arg-type]


def _struct(fields: dict[str, str | dict[str, object]]) -> Normaliser:
    inner = {name: normaliser(kind) for name, kind in fields.items()}
    empty = dict.fromkeys(fields)
    names: dict[str, str | None] = {}  # a record's key -> the field it fills (None: unknown), shared by all records

    def run(value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            return None
        row = empty.copy()
        for key, item in value.items():
            name = names.get(key, "")
            if name == "":
                name = names[key] = key.lower() if key.lower() in inner else None
            if name is not None and item is not None:
                convert = inner[name]
                row[name] = item if convert is None else convert(item)
        return row

    return run


def ctr_columns() -> dict[str, str | dict[str, object]]:
    return {name: datamodel.parse_hive_type(hive) for name, hive in datamodel.CONTACT_RECORDS.columns}


def agent_event_columns() -> dict[str, str | dict[str, object]]:
    return {name: datamodel.parse_hive_type(hive) for name, hive in datamodel.AGENT_EVENTS.columns}


def _ctr_lines(ctr_dir: Path) -> Iterator[str]:
    """Every CTR as a normalised JSON line, with its partition date taken from the folder name."""
    normalise = _struct(ctr_columns())
    for path in sorted(ctr_dir.glob("initiation_date=*/*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        partition = path.parent.name.split("=", 1)[1]
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(
                        f"{path}:{number}: not JSON ({exc.msg}); CTR files hold one record per line"
                    ) from None
                if not isinstance(record, dict):
                    raise DataError(f"{path}:{number}: a CTR must be a JSON object")
                row = normalise(record)
                row["initiation_date"] = partition
                yield _dumps(row)


def _agent_event_lines(path: Path) -> Iterator[str]:
    """Every agent event as Firehose archives it (the Kinesis record as is), normalised to the Glue table, with
    the ``event_date`` partition Firehose derives from its EventTimestamp."""
    normalise = _struct(agent_event_columns())
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not JSON ({exc.msg}); agent event files hold one per line") from None
            stamp = record.get("EventTimestamp") if isinstance(record, dict) else None
            if not isinstance(stamp, str) or len(stamp) < 10:
                raise DataError(
                    f"{path}:{number}: an agent event needs an EventTimestamp (ISO-8601), which Firehose "
                    "partitions it by"
                )
            row = normalise(record)
            row["event_date"] = stamp[:10]
            yield _dumps(row)


def source_records(
    data: Path, sources: Iterable[tuple[str, Transform, tuple[str, ...]]], tables: Collection[str]
) -> Iterator[Record]:
    for name, transform, written in sources:
        path = data / name
        if not path.is_file():
            continue
        unread = {key for table in written if table not in tables for key in _ONLY_FOR.get(table, ())}
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    if unread and isinstance(item, dict):
                        item = {key: value for key, value in item.items() if key not in unread}
                    yield from transform(item)
                except (json.JSONDecodeError, TransformError) as exc:
                    raise DataError(f"{path}:{number}: {exc}; the Lambda would reject this input too") from None


def latest_versions(records: Iterable[Record], names: Iterable[str]) -> dict[str, dict[tuple[object, ...], Record]]:
    """Timestream's upsert: one row per table, dimensions and time (to the nanosecond); the highest Version wins."""
    tables: dict[str, dict[tuple[object, ...], Record]] = {name: {} for name in names}
    for record in records:
        key = record.key()
        table = tables.get(record.table)
        if table is None:
            continue
        kept = table.get(key)
        if kept is None or record.version >= kept.version:
            table[key] = record
    return tables


def _write_lines(out: IO[str], lines: Iterable[str]) -> int:
    count = 0
    for line in lines:
        out.write(line)
        out.write("\n")
        count += 1
    return count


def _row_json(record: Record) -> str:
    """Record.row() without its datetimes: TIMESTAMP measures stay epoch ms and time epoch us (the event's
    sub-millisecond offset orders events in one ms) until DuckDB converts them."""
    return _dumps({**record.dimensions, **record.measures, "time": record.time_ns // 1000})


def _create_from_json(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    columns: dict[str, str],
    fixed: dict[str, str] | None = None,
    epoch_ms: bool = False,
    epoch_us: Collection[str] = (),
) -> None:
    """``columns`` read from the file (TIMESTAMP ones as epoch ms if ``epoch_ms``, those in ``epoch_us`` as
    epoch microseconds), ``fixed`` as SQL expressions."""
    fixed = fixed or {}
    epoch = {name for name, kind in columns.items() if (epoch_ms or name in epoch_us) and kind == "TIMESTAMP"}
    staged = {name: "BIGINT" if name in epoch else kind for name, kind in columns.items() if name not in fixed}
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in staged.items()) + "}"
    select = ", ".join(
        f'{fixed[name]} AS "{name}"'
        if name in fixed
        else f'make_timestamp("{name}") AS "{name}"'
        if name in epoch_us
        else f'epoch_ms("{name}") AS "{name}"'
        if name in epoch
        else f'"{name}"'
        for name in columns
    )
    con.execute(
        f"CREATE TABLE {table} AS SELECT {select} FROM read_json('{path}', columns={spec}, format='newline_delimited')"
    )


def load_ctrs(data: Path, con: duckdb.DuckDBPyConnection, ctr_table: str) -> int:
    """The Glue table of CTRs, one row per delivery as Athena sees it; returns the row count."""
    with tempfile.TemporaryDirectory(prefix="localquery-") as staging:
        path = Path(staging) / "ctr.jsonl"
        with path.open("w", encoding="utf-8") as out:
            rows = _write_lines(out, _ctr_lines(data / "ctr"))
        types = {name: duckdb_type(kind) for name, kind in ctr_columns().items()}
        types |= {name: duckdb_type(datamodel.parse_hive_type(h)) for name, h in datamodel.CTR_PARTITION_KEYS}
        _create_from_json(con, f'"{ctr_table}"', path, types)
    return rows


def load_agent_events(data: Path, con: duckdb.DuckDBPyConnection) -> int:
    """The Glue table of archived agent events (``agent_events``), one row per delivery; returns the row count."""
    table = datamodel.AGENT_EVENTS
    with tempfile.TemporaryDirectory(prefix="localquery-") as staging:
        path = Path(staging) / "agent_events.jsonl"
        with path.open("w", encoding="utf-8") as out:
            rows = _write_lines(out, _agent_event_lines(data / "agent_events.jsonl"))
        types = {name: duckdb_type(kind) for name, kind in agent_event_columns().items()}
        types |= {name: duckdb_type(datamodel.parse_hive_type(h)) for name, h in table.partition_keys}
        _create_from_json(con, f'"{table.name}"', path, types)
    return rows


def load_timestream(
    data: Path,
    con: duckdb.DuckDBPyConnection,
    timestream_database: str,
    as_of_ms: int,
    tables: Collection[str] | None = None,
    *,
    extra: Iterable[Record] = (),
    schema_on_write: bool = False,
) -> dict[str, int]:
    """The Timestream tables, through the Lambdas' transforms, as they stood at ``as_of_ms``.

    With ``tables``, only those tables are created, from the sources that write them (agent events
    are the bulk); a query that needs another fails instead of seeing it empty. ``extra`` are records
    stored besides those of the data directory (the writers' schema seeds). Tables have every declared
    column, or with ``schema_on_write`` only those some record carries, as Timestream derives a table's
    columns from what was written to it.
    """
    sources = [s for s in SOURCES if tables is None or set(s[2]) & set(tables)]
    if not timestream_database:
        return {}  # an environment whose real-time store is not Timestream: its panels do not run here
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{timestream_database}"')
    names = [name for _file, _transform, written in sources for name in written if tables is None or name in tables]
    records = (r for r in chain(source_records(data, sources, names), extra) if r.time_ms <= as_of_ms)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="localquery-") as staging:
        for name, rows in latest_versions(records, names).items():
            table = datamodel.timestream_table(name)
            path = Path(staging) / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                counts[name] = _write_lines(out, (_row_json(r) for r in rows.values()))
            types = {column: _TIMESTREAM_TYPES[kind] for column, kind in table.columns().items()}
            if schema_on_write:
                carried = {name for r in rows.values() for name in (*r.dimensions, *r.measures)}
                types = {column: kind for column, kind in types.items() if column in carried or column in _ALWAYS}
            fixed = {"measure_name": f"'{table.measure_name}'"}
            _create_from_json(
                con, f'"{timestream_database}"."{name}"', path, types, fixed, epoch_ms=True, epoch_us=("time",)
            )
    return counts


def load(
    data: Path,
    con: duckdb.DuckDBPyConnection,
    *,
    timestream_database: str,
    ctr_table: str,
    as_of_ms: int,
    tables: Collection[str] | None = None,
) -> LoadStats:
    """Create the tables from ``data`` in ``con`` (``tables`` only, if given); a missing source leaves them empty.

    Timestream holds what had happened by ``as_of_ms`` (the end of the range, "now"): later events
    are left out, so a real-time panel shows the moment the range ends. CTRs are all loaded: a
    history range is read after its records have arrived.
    """
    if not data.is_dir():
        raise DataError(f"--data {data}: not a directory; generate one with `dash simulate --out {data}`")
    ctr_rows = load_ctrs(data, con, ctr_table) if tables is None or ctr_table in tables else 0
    if tables is None or datamodel.AGENT_EVENTS.name in tables:
        load_agent_events(data, con)
    return LoadStats(ctr_rows, load_timestream(data, con, timestream_database, as_of_ms, tables))
