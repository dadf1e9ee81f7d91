"""SQL checks for panel queries: substitute variables and expand macros as Grafana and the plugins do,
parse, resolve names against the data model, enforce cost rules.

``check_query`` checks one query of a language from ``sqlcheck.languages``; the local engine reuses the
macro expanders and the ``Timestream`` dialect.
"""

from sqlcheck.check import check_query
from sqlcheck.languages import ATHENA_SQL, TIMESTREAM_SQL, SqlLanguage

__all__ = ["ATHENA_SQL", "TIMESTREAM_SQL", "SqlLanguage", "check_query"]
