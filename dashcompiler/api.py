"""What a dashboard definition is made of: the API of dashboards/*.py.

A panel is a grafanalib visualisation (Stat, TimeSeries, Table, ...) plus a
stable key and typed queries (one class per datasource kind, from the `kinds`
package) that name query files under queries/<kind>/. Definitions know nothing
of environments: query files are Jinja2 templates rendered per environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import attr
from grafanalib import core as gl

from core.environment import SERVICE_LEVEL_CHOICES, TABLE_SERVICE_LEVELS
from core.kinds import TypedQuery
from core.timerange import TODAY
from kinds.athena import AthenaFormat, AthenaQuery
from kinds.cloudwatch import CloudWatchQuery
from kinds.influxdb import InfluxQLFormat, InfluxQLQuery
from kinds.timestream import TimestreamFormat, TimestreamQuery

__all__ = [
    "SERVICE_LEVEL_CHOICES",
    "TABLE_SERVICE_LEVELS",
    "TODAY",
    "AthenaFormat",
    "AthenaQuery",
    "BarGauge",
    "CloudWatchQuery",
    "ConstantVariable",
    "CustomVariable",
    "Dashboard",
    "Gauge",
    "InfluxQLFormat",
    "InfluxQLQuery",
    "Panel",
    "PanelResult",
    "Query",
    "QueryVariable",
    "RealtimeQuery",
    "Row",
    "StoreOptions",
    "TimestreamFormat",
    "TimestreamQuery",
    "Variable",
    "thresholds",
]

# A QueryVariable's datasource: whichever store the environment's `realtime_store` names.
REALTIME = "realtime"


@dataclass(frozen=True)
class RealtimeQuery:
    """A real-time target named once, without suffix: `queries/timestream/<name>.sql` or
    `queries/influxdb/<name>.influxql`, whichever store the environment's `realtime_store` names, so one
    definition serves both stores with the same dashboard uid and panel ids."""

    name: str
    time_series: bool = False
    ref_id: str = "A"


@dataclass(frozen=True)
class StoreOptions:
    """What a real-time panel needs in one store beyond the shared definition, because InfluxQL can neither join,
    nor group by a field, nor return a row per column: Grafana transformations after the visual's own, extra
    targets (lookups the transformations read), a series alias, and the display name to use instead."""

    transformations: tuple[dict[str, Any], ...] = ()
    queries: tuple[TypedQuery, ...] = ()
    alias: str = ""
    display_name: str | None = None


@dataclass(frozen=True)
class PanelResult:
    """Another panel's query result, by that panel's key, through Grafana's built-in Dashboard datasource: the
    source panel's queries run once per refresh and feed both panels. The source must be on the same dashboard
    and run its own queries (Grafana offers no chains). `with_transforms` passes the source's transformations on.
    Compiled to {"panelId": <the source's id>, "withTransforms": ...}."""

    panel: str
    with_transforms: bool = False
    ref_id: str = "A"


# Each kind's typed target, a real-time one, or another panel's result; `Query` is any of them.
Query = TypedQuery | RealtimeQuery | PanelResult


@dataclass(frozen=True)
class Panel:
    """One panel. `key` is its stable identity: the panel id derives from it,
    so reordering, adding or removing other panels never changes this one's id.
    `x`/`y` pin the panel (both or neither); otherwise it flows in its row.
    `decimals`, `unit` and `display_name` fill the gap for grafanalib visuals that lack the option;
    `display_name` may use Grafana's field expressions such as `${__field.labels.queue}`.
    `fields` are the result's columns the panel shows, when its query (or the panel it re-uses) returns more: a
    stat, gauge or bar gauge picks them by reduceOptions.fields, any other visual by a filterFieldsByName
    transformation, and `dash query` shows only those columns.
    `time_from` is Grafana's relative time for this panel alone, e.g. TODAY: from the last midnight in the
    dashboard's time zone (the environment's) to now, whatever range the dashboard shows.
    `no_value` is what the panel says when its query finds nothing (or only nulls) and that is a normal state
    ("No contact waiting"), where Grafana would say "No data"; `dash validate --data` holds every other panel to
    returning values.
    `transformations` are Grafana transformations the panel applies on every store, after its store's own
    (`StoreOptions`); a panel that re-uses another's result shapes it with them (filter rows, group, reduce), and
    `dash query` applies them as Grafana does (localquery/transforms.py)."""

    key: str
    visual: Any
    queries: tuple[Query, ...] = ()
    width: int = 6
    height: int = 4
    x: int | None = None
    y: int | None = None
    decimals: int | None = None
    unit: str | None = None
    display_name: str | None = None
    stores: Mapping[str, StoreOptions] = field(default_factory=dict)  # real-time store -> its own options
    fields: tuple[str, ...] = ()
    time_from: str | None = None
    no_value: str | None = None
    transformations: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]
    key: str = ""
    collapsed: bool = False


@dataclass(frozen=True)
class QueryVariable:
    """Values from a query file of the `datasource` kind (the real-time store by default, also on
    Athena dashboards: listing queues from the collector's snapshots costs no Athena scan). A `file`
    without a suffix gets the kind's (`.sql`, `.influxql`)."""

    name: str
    label: str
    file: str
    multi: bool = True
    include_all: bool = True
    all_value: str = ""
    sort: int = 1
    hide: int = 0
    numeric: bool = False
    datasource: str = REALTIME
    # The all value per real-time store where it differs (InfluxQL inserts a variable into a regex: ".*").
    store_all_values: Mapping[str, str] = field(default_factory=dict)
    only_in: tuple[str, ...] = ()  # the real-time stores whose queries need it (none: every store)


@dataclass(frozen=True)
class CustomVariable:
    """A fixed list; values and default may use Jinja2 (`{{ service_level_seconds }}`)."""

    name: str
    label: str
    values: tuple[str, ...]
    default: str = ""
    multi: bool = False
    include_all: bool = False
    hide: int = 0
    numeric: bool = False


@dataclass(frozen=True)
class ConstantVariable:
    """A hidden value fixed per environment, e.g. the Connect instance id."""

    name: str
    value: str
    numeric: bool = False


Variable = QueryVariable | CustomVariable | ConstantVariable


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    folder: str
    rows: tuple[Row, ...]
    description: str = ""
    variables: tuple[Variable, ...] = ()
    tags: tuple[str, ...] = ()
    refresh: str = ""
    time_from: str = "now-6h"
    time_to: str = "now"


def thresholds(*steps: tuple[str, float | None]) -> list[dict[str, Any]]:
    """Threshold steps as Grafana stores them: the first value is None (-Infinity)."""
    return [{"color": color, "value": value} for color, value in steps]


@attr.s
class Gauge(gl.Panel):
    """The current gauge panel (grafanalib's GaugePanel emits the pre-7 shape)."""

    unit: str = attr.ib(default="none")
    decimals: int | None = attr.ib(default=None)
    min: float | None = attr.ib(default=0)
    max: float | None = attr.ib(default=100)
    reduceCalc: str = attr.ib(default="lastNotNull")
    thresholds: list[dict[str, Any]] = attr.ib(default=attr.Factory(list))

    def to_json_data(self) -> dict[str, Any]:
        return self.panel_json(
            {
                "type": "gauge",
                "fieldConfig": _field_config(self.unit, self.decimals, self.thresholds, min=self.min, max=self.max),
                "options": {
                    "reduceOptions": {"calcs": [self.reduceCalc], "fields": "", "values": False},
                    "showThresholdLabels": False,
                    "showThresholdMarkers": True,
                },
            }
        )


@attr.s
class BarGauge(gl.Panel):
    """The current bar gauge panel (grafanalib's BarGauge emits the pre-7 shape)."""

    unit: str = attr.ib(default="none")
    decimals: int | None = attr.ib(default=None)
    min: float | None = attr.ib(default=None)
    max: float | None = attr.ib(default=None)
    reduceCalc: str = attr.ib(default="lastNotNull")
    orientation: str = attr.ib(default="horizontal")
    displayMode: str = attr.ib(default="gradient")
    thresholds: list[dict[str, Any]] = attr.ib(default=attr.Factory(list))

    def to_json_data(self) -> dict[str, Any]:
        return self.panel_json(
            {
                "type": "bargauge",
                "fieldConfig": _field_config(self.unit, self.decimals, self.thresholds, min=self.min, max=self.max),
                "options": {
                    "displayMode": self.displayMode,
                    "orientation": self.orientation,
                    "reduceOptions": {"calcs": [self.reduceCalc], "fields": "", "values": False},
                    "showUnfilled": True,
                },
            }
        )


def _field_config(unit: str, decimals: int | None, steps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}}
    if decimals is not None:
        defaults["decimals"] = decimals
    defaults.update({k: v for k, v in extra.items() if v is not None})
    return {"defaults": defaults, "overrides": []}
