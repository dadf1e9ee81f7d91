"""What an alert rule definition is made of: the API of alerts/*.py.

A rule names its queries exactly as a panel does (a kind's typed target or a RealtimeQuery, over query files under
queries/<kind>/), adds Grafana's server-side expressions (reduce, threshold, math) by refId, and links the
dashboard panel that shows the number it watches. Values that differ per environment (thresholds, pending
periods, windows) are `Setting`s: names under the environment's `alerts.thresholds` in dash.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.kinds import TypedQuery
from dashcompiler.api import AthenaQuery, InfluxQLQuery, RealtimeQuery, TimestreamQuery

__all__ = [
    "AlertRule",
    "AthenaQuery",
    "InfluxQLQuery",
    "Math",
    "RealtimeQuery",
    "Reduce",
    "RuleGroup",
    "RuleQuery",
    "Setting",
    "Threshold",
    "TimestreamQuery",
]


@dataclass(frozen=True)
class Setting:
    """A value of the environment's `alerts.thresholds`, by name. As a duration (a pending period, a query's
    window) it is a whole number of `unit`: "s", "m" or "h"."""

    name: str
    unit: str = ""


Number = int | float | Setting
Duration = str | Setting  # a Prometheus-style duration ("5m", "90s", "0s") or a Setting with a unit


@dataclass(frozen=True)
class RuleQuery:
    """A datasource query of the rule: the target (its ref_id is the refId) and how far back each evaluation reads."""

    query: TypedQuery | RealtimeQuery
    window: Duration = "5m"


@dataclass(frozen=True)
class Reduce:
    """Grafana's reduce expression: each series of `input` to one number. mode "" is strict; "dropNN" drops null
    and NaN points; "replaceNN" replaces them with `replace_with`."""

    ref_id: str
    input: str
    reducer: str = "last"
    mode: str = "dropNN"
    replace_with: float | None = None


@dataclass(frozen=True)
class Threshold:
    """Grafana's threshold expression: 1 where `input` compares so with `value` (and `value2` for the range
    types), else 0. `recover_below`/`recover_above` is the recovery threshold (unloadEvaluator) that an alerting
    instance must cross back over to resolve."""

    ref_id: str
    input: str
    op: str  # gt lt eq ne gte lte within_range outside_range within_range_included outside_range_included
    value: Number
    value2: Number | None = None
    recover: Number | None = None


@dataclass(frozen=True)
class Math:
    """Grafana's math expression over other refIds, e.g. "$B > 0 && $D == 0" (true is 1, false 0)."""

    ref_id: str
    expression: str


Expression = Reduce | Threshold | Math


@dataclass(frozen=True)
class AlertRule:
    """One rule. `uid` is its stable identity in Grafana (at most 40 of A-Z a-z 0-9 _ -). `condition` is the refId
    whose result decides the state. `panel` is (dashboard uid, panel key) of the panel showing the watched number.
    `summary` may use Grafana's annotation templates ({{ $labels.queue_name }}, {{ $values.B }}); `runbook` says
    what to check first."""

    uid: str
    title: str
    queries: tuple[RuleQuery, ...]
    expressions: tuple[Expression, ...]
    condition: str
    summary: str
    runbook: str
    panel: tuple[str, str]
    description: str = ""
    pending: Duration = "0s"
    keep_firing: Duration = ""
    no_data: str = "NoData"  # NoData | Alerting | OK | KeepLast
    exec_err: str = "Error"  # Error | Alerting | OK | KeepLast
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleGroup:
    """Rules Grafana evaluates together every `interval`, in the folder `folder` (a key of dash.yaml's folders)."""

    name: str
    folder: str
    rules: tuple[AlertRule, ...]
    interval: str = "1m"
