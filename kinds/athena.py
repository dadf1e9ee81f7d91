"""Amazon Athena over the contact-record lake: the history dashboards (Trino SQL)."""

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


class AthenaFormat(IntEnum):
    """grafana-athena-datasource `format`: the reverse of Timestream's order."""

    TIME_SERIES = 0
    TABLE = 1
    LOGS = 2


@dataclass(frozen=True)
class AthenaQuery:
    """An Athena target; `file` is a path under queries/athena/.

    result_reuse_minutes enables Athena's query result reuse for that many
    minutes (cheap repeated loads of a historical dashboard); 0 disables it.
    """

    file: str
    format: AthenaFormat = AthenaFormat.TABLE
    ref_id: str = "A"
    hide: bool = False
    table: str = ""
    column: str = ""
    result_reuse_minutes: int = 0

    def target(self, text: str, ds_ref: dict[str, str]) -> dict[str, Any]:
        return {
            "column": self.column,
            "connectionArgs": {
                "catalog": "__default",
                "database": "__default",
                "region": "__default",
                "resultReuseEnabled": self.result_reuse_minutes > 0,
                "resultReuseMaxAgeInMinutes": self.result_reuse_minutes or 60,
            },
            "datasource": ds_ref,
            "format": int(self.format),
            "hide": self.hide,
            "rawSQL": text,
            "refId": self.ref_id,
            "table": self.table,
        }

    def macro_fields(self) -> dict[str, str]:
        """The target fields the plugin's $__table and $__column read."""
        return {"table": self.table, "column": self.column}


def _json_data(env: Environment) -> dict[str, Any]:
    return {
        "authType": auth_type(env),
        "defaultRegion": env.aws_region,
        "catalog": _literal(env.athena_catalog),
        "database": _literal(env.athena_database),
        "workgroup": _literal(env.athena_workgroup),
        "outputLocation": _literal(env.athena_output_location),
    }


def _context(env: Environment) -> QueryContext:
    return QueryContext(
        database=env.athena_database,
        catalog=env.athena_catalog,
        table_names={"contact_records": env.ctr_table},
        template_context=env.template_context(),
    )


def _check(request: CheckRequest) -> list[Problem]:
    from sqlcheck import ATHENA_SQL, check_query

    return check_query(request, ATHENA_SQL)


def _expand(text: str, context: QueryContext, target: Mapping[str, str], time_range: TimeRange) -> str:
    from sqlcheck.macros import athena_macros, expand_macros

    return expand_macros(text, athena_macros, context=context, target=target, time_range=time_range)


def _shape(text: str) -> ResultShape:
    from sqlcheck.shape import sql_shape

    return sql_shape(text, "athena")


KIND = DatasourceKind(
    name="athena",
    order=30,
    display_name="Amazon Athena",
    plugin_id="grafana-athena-datasource",
    query_type=AthenaQuery,
    format_enum=AthenaFormat,
    query_suffix=".sql",
    provisioned_name="Amazon Connect history (Athena)",
    json_data=_json_data,
    context=_context,
    check=_check,
    expand=_expand,
    secure_json_data=secure_json_data,
    local_dialect=lambda: "athena",
    shape=_shape,
)
