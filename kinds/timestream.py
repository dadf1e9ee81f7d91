"""Amazon Timestream for LiveAnalytics: the real-time store of existing deployments (Timestream SQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from core.encoding import provisioning_literal as _literal
from core.environment import Environment
from core.kinds import CheckRequest, DatasourceKind, QueryContext, ResultShape
from core.problems import Problem
from core.timerange import TimeRange
from kinds._aws import auth_type, secure_json_data


class TimestreamFormat(IntEnum):
    """grafana-timestream-datasource `format`: an integer, table first."""

    TABLE = 0
    TIME_SERIES = 1


@dataclass(frozen=True)
class TimestreamQuery:
    """A Timestream target; `file` is a path under queries/timestream/."""

    file: str
    format: TimestreamFormat = TimestreamFormat.TABLE
    ref_id: str = "A"
    hide: bool = False
    database: str = ""
    table: str = ""
    measure: str = ""
    wait_for_result: bool = False

    def target(self, text: str, ds_ref: dict[str, str]) -> dict[str, Any]:
        return {
            "datasource": ds_ref,
            "database": self.database,
            "format": int(self.format),
            "hide": self.hide,
            "measure": self.measure,
            "rawQuery": text,
            "refId": self.ref_id,
            "table": self.table,
            "waitForResult": self.wait_for_result,
        }

    def macro_fields(self) -> dict[str, str]:
        """The target fields the plugin's $__database, $__table and $__measure read."""
        return {"database": self.database, "table": self.table, "measure": self.measure}


def _realtime(name: str, time_series: bool, ref_id: str, alias: str) -> TimestreamQuery:
    """The plugin names series by their label columns; it has no alias."""
    return TimestreamQuery(
        f"{name}.sql", TimestreamFormat.TIME_SERIES if time_series else TimestreamFormat.TABLE, ref_id
    )


def _json_data(env: Environment) -> dict[str, Any]:
    return {
        "authType": auth_type(env),
        "defaultRegion": env.timestream_region,
        "defaultDatabase": _literal(f'"{env.timestream_database}"'),
        "defaultTable": _literal(f'"{env.timestream_default_table}"'),
    }


def _context(env: Environment) -> QueryContext:
    return QueryContext(
        database=env.timestream_database,
        default_table=env.timestream_default_table,
        template_context=env.template_context(),
    )


def _check(request: CheckRequest) -> list[Problem]:
    from sqlcheck import TIMESTREAM_SQL, check_query

    return check_query(request, TIMESTREAM_SQL)


def _expand(text: str, context: QueryContext, target: Mapping[str, str], time_range: TimeRange) -> str:
    from sqlcheck.macros import expand_macros, timestream_macros

    return expand_macros(text, timestream_macros, context=context, target=target, time_range=time_range)


def _dialect() -> Any:
    from sqlcheck.timestream_dialect import Timestream

    return Timestream


def _validate(env: Environment) -> str:
    return "" if env.timestream_region else "lacks timestream_region (the store's region)"


def _import_defaults(block: Mapping[str, Any]) -> dict[str, str]:
    """`$__table` falls back to the datasource's default table; any declared table will do."""
    return {} if "default_table" in block else {"default_table": "agent_state"}


def _shape(text: str) -> ResultShape:
    from sqlcheck.shape import sql_shape

    return sql_shape(text, _dialect())


KIND = DatasourceKind(
    name="timestream",
    order=20,
    display_name="Amazon Timestream",
    plugin_id="grafana-timestream-datasource",
    query_type=TimestreamQuery,
    format_enum=TimestreamFormat,
    query_suffix=".sql",
    provisioned_name="Amazon Connect real time (Timestream)",
    json_data=_json_data,
    context=_context,
    check=_check,
    expand=_expand,
    secure_json_data=secure_json_data,
    local_dialect=_dialect,
    realtime=_realtime,
    validate=_validate,
    import_defaults=_import_defaults,
    shape=_shape,
)
