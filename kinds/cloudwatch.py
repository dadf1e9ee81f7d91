"""Amazon CloudWatch through Grafana's built-in CloudWatch datasource: the pipeline's own health (the Lambdas'
metrics, queues, streams, Firehose), read with the Grafana host's role. One metric query per file, in the small
YAML form `cloudwatchcheck.document` declares; its checker holds every namespace, metric, dimension and resource
name to what the pipeline publishes (connect_ingest.published_metrics). No local engine runs it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.environment import Environment
from core.kinds import CheckRequest, DatasourceKind, QueryContext
from core.problems import Problem
from core.timerange import TimeRange
from kinds._aws import auth_type, secure_json_data


class CloudWatchMode(StrEnum):
    """The target's `queryMode`: only metric queries are written here."""

    METRICS = "Metrics"


@dataclass(frozen=True)
class CloudWatchQuery:
    """A CloudWatch metric target; `file` is a path under queries/cloudwatch/ holding its MetricQuery."""

    file: str
    ref_id: str = "A"
    hide: bool = False

    def target(self, text: str, ds_ref: dict[str, str]) -> dict[str, Any]:
        from cloudwatchcheck import read_query

        query, _ = read_query(text)  # a malformed file is the checker's finding, at its line
        return {"datasource": ds_ref, "hide": self.hide, "refId": self.ref_id, **query.target_fields()}

    def macro_fields(self) -> dict[str, str]:
        """Metric queries have no macros."""
        return {}


def _json_data(env: Environment) -> dict[str, Any]:
    """The host's role (authType default) in the pipeline's region; no keys unless aws_auth is keys."""
    return {"authType": auth_type(env), "defaultRegion": env.aws_region}


def _context(env: Environment) -> QueryContext:
    return QueryContext(database="", template_context=env.template_context())


def _check(request: CheckRequest) -> list[Problem]:
    from cloudwatchcheck import check_metric_query

    prefix = str((request.context.template_context or {}).get("name_prefix", ""))
    return [
        Problem(request.file, f.line, f.column, f.rule, f.message) for f in check_metric_query(request.text, prefix)
    ]


def _expand(text: str, context: QueryContext, target: Mapping[str, str], time_range: TimeRange) -> str:
    """Nothing to expand: the datasource substitutes no macro in a metric query."""
    return text


KIND = DatasourceKind(
    name="cloudwatch",
    order=40,
    display_name="Amazon CloudWatch",
    plugin_id="cloudwatch",
    query_type=CloudWatchQuery,
    format_enum=CloudWatchMode,
    query_suffix=".yaml",
    provisioned_name="Connect analytics pipeline (CloudWatch)",
    json_data=_json_data,
    context=_context,
    check=_check,
    expand=_expand,
    secure_json_data=secure_json_data,
)
