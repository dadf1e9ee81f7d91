"""The tables and columns a query may name, per environment, from the data-model declaration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from connect_ingest.datamodel import GLUE_TABLES, TIMESTREAM_TABLES, parse_hive_type

from core.kinds import QueryContext

# A column's type: a scalar name, or a nested dict as parse_hive_type returns it
# ({"field": T} for a struct, {"[]": T} for an array, {"{}": T} for a map).
TypeTree = str | dict[str, object]


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: dict[str, TypeTree]  # keys as a query must spell them (lower case for Athena)
    time_column: str | None  # Timestream's ``time``: every scan must bound it
    partition_columns: tuple[str, ...]  # Athena partitions every scan must restrict


@dataclass(frozen=True)
class Catalog:
    name: str  # the query language, as messages name it
    database_required: bool  # Timestream: every table is "database".table, and no catalog
    case_sensitive: bool
    database: str  # the one database the pipeline writes for this datasource
    catalog_name: str | None  # Athena's data catalog, optional in queries
    tables: dict[str, TableInfo]  # by name as a query spells it

    def norm(self, name: str) -> str:
        return name if self.case_sensitive else name.lower()

    def shown_database(self) -> str:
        return f'"{self.database}"' if self.database_required else self.database


def timestream_catalog(context: QueryContext) -> Catalog:
    return _timestream(context.database)


def athena_catalog(context: QueryContext) -> Catalog:
    return _athena(context.catalog, context.database, tuple(sorted((context.table_names or {}).items())))


@lru_cache(maxsize=16)
def _timestream(database: str) -> Catalog:
    tables = {t.name: TableInfo(t.name, {**t.columns()}, "time", ()) for t in TIMESTREAM_TABLES}
    return Catalog("timestream", True, True, database, None, tables)


@lru_cache(maxsize=16)
def _athena(catalog_name: str, database: str, table_names: tuple[tuple[str, str], ...]) -> Catalog:
    renamed = dict(table_names)
    tables: dict[str, TableInfo] = {}
    for glue in GLUE_TABLES:
        # A table's name may be per environment (the CTR table's); the declaration names its shape.
        name = renamed.get(glue.name, glue.name).lower()
        columns = {col.lower(): parse_hive_type(hive) for col, hive in glue.columns + glue.partition_keys}
        tables[name] = TableInfo(name, columns, None, tuple(k for k, _ in glue.partition_keys))
    return Catalog("athena", False, False, database.lower(), catalog_name.lower(), tables)
