"""The SQL languages the checker reads: each one's sqlglot dialect, its plugin's macros and its catalog.

A datasource kind (the `kinds` package) names the language its queries are written in; the checker
itself never asks which kind it is looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.kinds import QueryContext
from sqlcheck.catalog import Catalog, athena_catalog, timestream_catalog
from sqlcheck.coercion import ATHENA_TYPES, TIMESTREAM_TYPES, TypeRules
from sqlcheck.macros import Expander, athena_macros, timestream_macros


@dataclass(frozen=True)
class SqlLanguage:
    name: str
    dialect: Callable[[], Any]  # the sqlglot read dialect; called, so sqlglot loads only when a query is parsed
    expander: Expander
    catalog: Callable[[QueryContext], Catalog]
    types: TypeRules  # what the engine compares and computes with


def _timestream_dialect() -> Any:
    from sqlcheck.timestream_dialect import Timestream

    return Timestream


TIMESTREAM_SQL = SqlLanguage("timestream", _timestream_dialect, timestream_macros, timestream_catalog, TIMESTREAM_TYPES)
ATHENA_SQL = SqlLanguage("athena", lambda: "athena", athena_macros, athena_catalog, ATHENA_TYPES)
