"""Run queries at many evaluation times over data loaded once: DuckDB with a "now" that moves.

An alert rule runs its queries every minute, each time with "now" at the evaluation. Loading the data for every
evaluation would cost a second each; instead it is loaded once (as it stood at the end of the span) and every
Timestream table is replaced by a view of the rows written by "now" (``time <= now()``), so a query sees at each
evaluation what the store held then, whatever its own time filter. Contact records (Athena) are all visible: their
queries bound themselves by the range (the lake's freshness rule reads ``lastupdatetimestamp`` in the range).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.environment import Environment
from core.model import RenderedQuery
from core.timerange import TimeRange
from localquery.run import Result, Session, execute, naive_times, open_session
from localquery.translate import NOW_VARIABLE, to_duckdb

_FROM, _TO = "\x00from\x00", "\x00to\x00"


def _mark(text: str, tr: TimeRange) -> str:
    """``text`` with the range's epoch milliseconds (as Timestream's macros write them) replaced by markers."""
    text = re.sub(rf"(?<!\d){tr.from_ms}(?!\d)", _FROM, text)
    return re.sub(rf"(?<!\d){tr.to_ms}(?!\d)", _TO, text)


@dataclass
class MovingNow:
    """A session over [start, end] whose "now" each ``run`` sets.

    The same query runs hundreds of times with only its range moving: its DuckDB text is kept with the range's
    milliseconds as markers and filled in again, instead of parsing and translating each time (the translation
    is reused only when the markers survive it, count for count; otherwise every run translates).
    """

    session: Session
    templates: dict[tuple[str, str], str] = field(default_factory=dict)
    now_ms: int | None = None

    def run(self, query: RenderedQuery, tr: TimeRange) -> Result:
        """``query`` as its datasource would run it over ``tr``, "now" at the end of ``tr``."""
        con = self.session.con
        if tr.to_ms != self.now_ms:
            now = datetime.fromtimestamp(tr.to_ms / 1000, UTC).replace(tzinfo=None)
            con.execute(f"SET VARIABLE {NOW_VARIABLE} = TIMESTAMP '{now:%Y-%m-%d %H:%M:%S.%f}'")
            self.now_ms = tr.to_ms
        session = replace(self.session, time_range=tr)
        try:
            sql = self._sql(query, tr)
            cursor = con.execute(sql)
            rows = cursor.fetchall()
        except (ValueError, duckdb.Error):
            return execute(session, query, (), {})  # the same run, for the error as `dash query` explains it
        description = cursor.description or ()
        return Result(
            str(query.owner),
            str(query.file),
            tuple(d[0] for d in description),
            rows,
            tuple(str(d[1]) for d in description),
        )

    def _sql(self, query: RenderedQuery, tr: TimeRange) -> str:
        kind = query.kind
        text = kind.expand(query.text, kind.context(self.session.env), query.target, tr)
        key = (kind.name, _mark(text, tr))
        template = self.templates.get(key)
        if template is None:
            sql = naive_times(self.session.con, to_duckdb(text, kind, str(query.file)))
            marked = _mark(sql, tr)
            if marked.count(_FROM) == key[1].count(_FROM) and marked.count(_TO) == key[1].count(_TO):
                self.templates[key] = marked
            return sql
        return template.replace(_FROM, str(tr.from_ms)).replace(_TO, str(tr.to_ms))

    def close(self) -> None:
        self.session.con.close()


def open_moving(
    data: Path, env: Environment, start_ms: int, end_ms: int, tables: Collection[str] | None = None
) -> MovingNow:
    """Load ``data`` as of ``end_ms`` and hide, behind views, every real-time row written after "now"."""
    session = open_session(data, env, TimeRange(start_ms, end_ms, 1000), tables)
    con = session.con
    database = env.timestream_database
    if database:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
                [database],
            ).fetchall()
        ]
        for name in names:
            con.execute(f'ALTER TABLE "{database}"."{name}" RENAME TO "{name}__all"')
            con.execute(
                f'CREATE VIEW "{database}"."{name}" AS SELECT * FROM "{database}"."{name}__all" '
                f"WHERE time <= getvariable('{NOW_VARIABLE}')"
            )
    return MovingNow(session)
