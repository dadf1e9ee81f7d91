"""Timestream for InfluxDB through Grafana's built-in InfluxDB datasource (InfluxQL): the real-time store of new
deployments, since AWS closed Timestream for LiveAnalytics to new customers (20 June 2025)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.encoding import provisioning_literal as _literal
from core.environment import Environment
from core.kinds import CheckRequest, DatasourceKind, QueryContext, ResultShape
from core.problems import Problem
from core.timerange import TimeRange


class InfluxQLFormat(StrEnum):
    """The target's `resultFormat`: a table frame, or one frame per series and column."""

    TABLE = "table"
    TIME_SERIES = "time_series"


@dataclass(frozen=True)
class InfluxQLQuery:
    """An InfluxQL target (raw query mode); `file` is a path under queries/influxdb/."""

    file: str
    format: InfluxQLFormat = InfluxQLFormat.TABLE
    ref_id: str = "A"
    hide: bool = False
    alias: str = ""  # a series' name in time_series results: $col, $tag_<key>, as Grafana expands them

    def target(self, text: str, ds_ref: dict[str, str]) -> dict[str, Any]:
        # rawQuery must be true: without it Grafana's backend builds a query from the (empty) builder fields.
        return {
            **({"alias": self.alias} if self.alias else {}),
            "datasource": ds_ref,
            "hide": self.hide,
            "query": text,
            "rawQuery": True,
            "refId": self.ref_id,
            "resultFormat": str(self.format),
        }

    def macro_fields(self) -> dict[str, str]:
        """InfluxQL macros read no target field."""
        return {}


def _realtime(name: str, time_series: bool, ref_id: str, alias: str) -> InfluxQLQuery:
    kind = InfluxQLFormat.TIME_SERIES if time_series else InfluxQLFormat.TABLE
    return InfluxQLQuery(f"{name}.influxql", kind, ref_id, alias=alias)


def _json_data(env: Environment) -> dict[str, Any]:
    """InfluxQL over the v1-compatible /query API, POST (the backend's default is GET), the DBRP database."""
    data: dict[str, Any] = {"dbName": _literal(env.influxdb_database), "httpMode": "POST", "version": "InfluxQL"}
    if env.influxdb_token_env:
        data["httpHeaderName1"] = "Authorization"
    return data


def _secure_json_data(env: Environment) -> dict[str, str]:
    """References Grafana expands from its own environment: a token header (2.x, 3), or a 1.x password."""
    if env.influxdb_token_env:
        return {"httpHeaderValue1": f"Token ${env.influxdb_token_env}"}
    if env.influxdb_password_env:
        return {"password": f"${env.influxdb_password_env}"}
    return {}


def _connection(env: Environment) -> dict[str, str]:
    return {"url": _literal(env.influxdb_url), **({"user": _literal(env.influxdb_user)} if env.influxdb_user else {})}


def _context(env: Environment) -> QueryContext:
    return QueryContext(database=env.influxdb_database, template_context=env.template_context())


def _check(request: CheckRequest) -> list[Problem]:
    from pathlib import Path

    from influxqlcheck import check_influxql
    from sqlcheck.sourcemap import QueryTemplate, source_map
    from sqlcheck.sourcemap import locate as locate_in

    mapped = None
    if request.template_root is not None and request.template_name is not None:
        template = QueryTemplate(Path(request.template_root), request.template_name)
        mapped = source_map(template, request.context.template_context or {}, request.text)
    problems = []
    for finding in check_influxql(request.text, file=request.file, variables=request.variables):
        line, column, note = locate_in(mapped, request.text, finding.offset, request.file)
        problems.append(Problem(request.file, line, column, finding.rule, finding.message + note))
    return problems


def _expand(text: str, context: QueryContext, target: Mapping[str, str], time_range: TimeRange) -> str:
    """The backend's macros ($timeFilter, $interval, $__interval_ms, $__interval) on substituted text."""
    from influxqlcheck import substitute

    return substitute(text, {}, {}, time_range).text


def _validate(env: Environment) -> str:
    if bool(env.influxdb_token_env) == bool(env.influxdb_password_env):
        return (
            "influxdb needs exactly one of token_env (the variable in Grafana's environment holding a read token, "
            "InfluxDB 2.x and 3) and password_env (with user, InfluxDB 1.x)"
        )
    return ""


def _import_defaults(block: Mapping[str, Any]) -> dict[str, str]:
    """The Grafana host's environment holds its read token in INFLUX_READ_TOKEN (infra/modules/grafana)."""
    return {} if {"token_env", "password_env"} & block.keys() else {"token_env": "INFLUX_READ_TOKEN"}


def _shape(text: str) -> ResultShape:
    from influxqlcheck.shape import influxql_shape

    return influxql_shape(text)


KIND = DatasourceKind(
    name="influxdb",
    order=10,
    display_name="Timestream for InfluxDB (InfluxQL)",
    plugin_id="influxdb",
    query_type=InfluxQLQuery,
    format_enum=InfluxQLFormat,
    query_suffix=".influxql",
    provisioned_name="Amazon Connect real time (InfluxDB)",
    json_data=_json_data,
    context=_context,
    check=_check,
    expand=_expand,
    secure_json_data=_secure_json_data,
    connection=_connection,
    realtime=_realtime,
    validate=_validate,
    import_defaults=_import_defaults,
    shape=_shape,
)
