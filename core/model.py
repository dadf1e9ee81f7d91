"""The compiled model the stages pass along: dashboards with their queries and template variables.

Plain values, no bytes: the checks read the queries, the artifacts stage encodes the dashboards,
the local engines run the queries with the variables' selections.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.template_variable import TemplateVariable
from core.timerange import TimeRange, panel_range

if TYPE_CHECKING:
    from core.kinds import DatasourceKind


def panel_id(key: str) -> int:
    """A panel id that depends on nothing but the panel's key, so `dash diff` can name a panel by its key."""
    return zlib.crc32(key.encode()) & 0x7FFFFFFF or 1


@dataclass(frozen=True)
class PanelOwner:
    """A query that feeds a panel."""

    key: str

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class VariableOwner:
    """A query that lists a template variable's values."""

    name: str

    def __str__(self) -> str:
        return f"${self.name}"


@dataclass(frozen=True)
class RuleOwner:
    """A query that feeds an alert rule."""

    uid: str

    def __str__(self) -> str:
        return f"rule {self.uid}"


QueryOwner = PanelOwner | VariableOwner | RuleOwner


@dataclass(frozen=True)
class RenderedQuery:
    """One query as shipped, with where it came from (for error messages)."""

    dashboard: str
    owner: QueryOwner
    title: str  # panel title or variable label
    kind: DatasourceKind
    file: Path
    text: str
    target: dict[str, str]  # the target fields the kind's macros read
    relative_time: str | None = None  # its panel's own relative time (timeFrom), e.g. today so far
    timezone: str = "UTC"  # the dashboard's (the environment's IANA zone), in which Grafana computes that time

    def time_range(self, dashboard: TimeRange) -> TimeRange:
        """The range Grafana sends this query when the dashboard shows ``dashboard`` (ending now)."""
        return panel_range(dashboard, self.relative_time, self.timezone)


@dataclass(frozen=True)
class PanelData:
    """Which panel's queries feed a panel, and the columns it shows: a panel that re-uses another's result
    (Grafana's Dashboard datasource) runs no query of its own, and a panel over a query of several columns
    shows some of them. `dash query` runs `source`'s queries and keeps `fields`."""

    key: str
    source: str  # the panel whose queries run: another panel's key, or its own
    fields: tuple[str, ...] = ()  # the columns shown; () all


@dataclass(frozen=True)
class CompiledDashboard:
    """One rendered dashboard and what it ships."""

    uid: str
    title: str
    folder_uid: str
    source: str  # the definition's file, as written in messages
    json: dict[str, Any]
    queries: tuple[RenderedQuery, ...]
    variables: tuple[TemplateVariable, ...]
    panels: tuple[tuple[str, str], ...]  # (key, title) of every panel in layout order
    data: tuple[PanelData, ...] = ()  # the panels fed by another's queries or showing some columns only

    def variable_query(self, name: str) -> RenderedQuery | None:
        return next((q for q in self.queries if q.owner == VariableOwner(name)), None)

    def panel_queries(self, key: str) -> tuple[RenderedQuery, ...]:
        return tuple(q for q in self.queries if q.owner == PanelOwner(key))

    def panel_data(self, key: str) -> PanelData:
        """Where ``key``'s data comes from: its own queries, all columns, unless the definition said otherwise."""
        return next((d for d in self.data if d.key == key), PanelData(key, key))

    def panel_json(self, key: str) -> dict[str, Any] | None:
        """The JSON of panel ``key``: ``panels`` lists (key, title) in the order the panels appear in ``json``
        (a collapsed row carrying its own), so the two walk together; a title that disagrees is a bug here."""
        bodies = [
            child
            for panel in self.json.get("panels", [])
            for child in (panel.get("panels", []) if panel.get("type") == "row" else [panel])
        ]
        for (name, title), body in zip(self.panels, bodies, strict=True):
            if name == key:
                assert body.get("title", "") == title, f"{self.uid}: panel {key!r} is not where panels lists it"
                return body
        return None


@dataclass(frozen=True)
class AlertQuery:
    """One datasource query of an alert rule (not a server-side expression): its refId, the query as shipped (run
    by the checks and the local engine like a panel's) and the relative range Grafana queries it over at each
    evaluation, in seconds before the evaluation time."""

    ref_id: str
    query: RenderedQuery
    from_seconds: int
    to_seconds: int = 0

    def time_range(self, now_ms: int, interval_ms: int = 1000) -> TimeRange:
        """The range Grafana sends this query when it evaluates the rule at ``now_ms``."""
        return TimeRange(now_ms - self.from_seconds * 1000, now_ms - self.to_seconds * 1000, interval_ms)


@dataclass(frozen=True)
class CompiledAlertRule:
    """One rendered alert rule: ``json`` is the rule as rules.yaml writes it (Grafana 12's file provisioning form:
    uid, title, condition, data with server-side expressions, for, noDataState, ...), ``queries`` its datasource
    queries by refId, and the dashboard panel that shows the number it watches."""

    uid: str
    title: str
    source: str  # the definition's file, as written in messages
    json: dict[str, Any]
    queries: tuple[AlertQuery, ...]
    dashboard_uid: str
    panel_key: str

    def query(self, ref_id: str) -> AlertQuery | None:
        return next((q for q in self.queries if q.ref_id == ref_id), None)


@dataclass(frozen=True)
class CompiledAlertGroup:
    """A rule group: evaluated together every ``interval`` (a Prometheus duration such as 1m), in one folder."""

    name: str
    folder_uid: str
    folder_title: str
    interval: str
    rules: tuple[CompiledAlertRule, ...]

    def json(self) -> dict[str, Any]:
        """The group as rules.yaml writes it (apiVersion 1's `groups` item)."""
        return {
            "orgId": 1,
            "name": self.name,
            "folder": self.folder_title,
            "interval": self.interval,
            "rules": [r.json for r in self.rules],
        }
