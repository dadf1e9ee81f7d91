"""One environment of dash.yaml: where its data lives and what its Grafana calls things."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The service-level thresholds (seconds) the dashboards offer. Queries see them as service_level_choices: InfluxQL
# cannot compare a number with a value it may only take inside a regex, so it lists them.
SERVICE_LEVEL_CHOICES = (10, 15, 20, 30, 45, 60, 90, 120)
# The thresholds a per-queue table shows side by side, as Connect's real-time queue report can (15 to 600 s).
TABLE_SERVICE_LEVELS = (15, 20, 30, 60, 90, 120)


@dataclass(frozen=True)
class OpeningHours:
    """When the contact centre is open, in the environment's time zone: ISO weekdays (1 Monday .. 7 Sunday) and
    the minutes of the day from ``start`` (included) to ``end`` (excluded)."""

    days: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class AlertSettings:
    """dash.yaml's `alerts` block: the values the shipped rules read (thresholds, pending periods, windows; raw,
    each checked by the rule that reads it), where notifications go, and the opening hours. Contact details are
    names of variables in Grafana's environment, never the values."""

    thresholds: Mapping[str, Any] = field(default_factory=dict)
    email_env: str = ""  # the variable holding the e-mail addresses (separated by ;)
    sns_topic_arn_env: str = ""  # the variable holding the SNS topic ARN
    sns_region: str = ""  # the topic's region (the environment's aws_region when empty)
    opening_hours: OpeningHours = OpeningHours((1, 2, 3, 4, 5, 6, 7), 0, 24 * 60)


@dataclass(frozen=True)
class Environment:
    name: str
    aws_region: str
    timestream_region: str
    connect_instance_id: str
    aws_auth: str
    realtime_store: str  # the kind holding the real-time data: "influxdb" (new deployments) or "timestream"
    timestream_database: str
    timestream_default_table: str
    influxdb_url: str
    influxdb_database: str  # the v1 database (DBRP-mapped bucket) InfluxQL queries
    influxdb_token_env: str  # the variable in Grafana's environment holding its read token (2.x, 3)
    influxdb_user: str  # 1.x
    influxdb_password_env: str  # the variable in Grafana's environment holding that user's password (1.x)
    athena_catalog: str
    athena_database: str
    athena_workgroup: str
    athena_output_location: str
    ctr_table: str
    folders: dict[str, str]
    datasource_uids: dict[str, str]
    service_level_seconds: int
    grafana_provisioning_path: str
    name_prefix: str  # infra/'s name_prefix: the pipeline's resource names (cloudwatch block)
    # The IANA time zone whose midnight starts "today" on the real-time dashboards, in which history counts hours
    # of day and weekdays, and in which every dashboard shows times.
    timezone: str = "UTC"
    alerts: AlertSettings | None = None  # without an `alerts` block, no alerting files are built

    def grafana_timezone(self) -> str:
        """The dashboard's `timezone` as Grafana stores it: its own "utc" for UTC, else the IANA name."""
        return "utc" if self.timezone == "UTC" else self.timezone

    def template_context(self) -> dict[str, Any]:
        """What a query template may use: ``{{ ctr_table }}``, ``{{ service_level_seconds }}``..."""
        return {
            "env": self.name,
            "aws_region": self.aws_region,
            "timestream_region": self.timestream_region,
            "connect_instance_id": self.connect_instance_id,
            "timestream_database": self.timestream_database,
            "athena_catalog": self.athena_catalog,
            "athena_database": self.athena_database,
            "ctr_table": self.ctr_table,
            "service_level_seconds": self.service_level_seconds,
            "service_level_choices": SERVICE_LEVEL_CHOICES,
            "name_prefix": self.name_prefix,
            "table_service_levels": TABLE_SERVICE_LEVELS,
            "timezone": self.timezone,
            "opening_hours": self.alerts.opening_hours if self.alerts else None,
            "alert_thresholds": dict(self.alerts.thresholds) if self.alerts else {},
        }
