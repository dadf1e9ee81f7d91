"""Run an InfluxQL panel file on a real influxd as Grafana's InfluxDB datasource would send it.

A query file is rendered with Jinja2 and the environment's context (as the SQL files are), its template
variables substituted, ``$timeFilter`` expanded as Grafana's backend does, and ``now()`` pinned to the
test's instant, so that "the last five minutes" means the same minutes the local engine sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connect_ingest.sinks.influx import InfluxAuth

from dashcompiler.config import load_config
from dashcompiler.queries import QueryTemplates
from localquery.influx import InfluxStats, InfluxTable, run_influxql

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
DATABASE = "connect"
DEFAULT_RANGE = timedelta(hours=1)  # the real-time dashboards open on now-1h
Variables = Mapping[str, str | Sequence[str]]
_REGEX_SPECIAL = re.compile(r"([\\^$*+?.()|\[\]{}/])")
_VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}")
_NOW = re.compile(r"\bnow\(\)", re.IGNORECASE)


@dataclass(frozen=True)
class InfluxStore:
    """A database on a running influxd, the Connect instance its data is for, and what loading it wrote."""

    url: str
    database: str
    instance: str
    auth: InfluxAuth = field(default_factory=InfluxAuth)
    stats: InfluxStats | None = None


def escape_regex(value: str) -> str:
    """Grafana's escapeRegex: a backslash before each regex metacharacter and ``/``."""
    return _REGEX_SPECIAL.sub(r"\\\1", value)


def substitute_variables(text: str, variables: Variables) -> str:
    """Template variables as Grafana's InfluxDB datasource inserts them (minimal; swap for influxqlcheck.variables).

    A list (a multi-value or All selection) becomes ``(a|b)`` of regex-escaped values, one item just that
    item escaped; a plain string (a single-value variable) is inserted raw. An unknown name is an error.
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name == "timeFilter":
            return match.group(0)
        if name not in variables:
            raise KeyError(f"${name} is used by the query but not given; pass it in variables")
        given = variables[name]
        if isinstance(given, str):
            return given
        escaped = [escape_regex(item) for item in given]
        return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"

    return _VARIABLE.sub(value, text)


def time_filter(start: datetime, end: datetime) -> str:
    """``$timeFilter`` as Grafana's backend writes it (models/query.go)."""
    return f"time >= {round(start.timestamp() * 1000)}ms and time <= {round(end.timestamp() * 1000)}ms"


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_instant(moment: str | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC)
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)


def render(path: Path) -> str:
    """The file rendered as ``dash build`` renders queries: same Jinja2 environment and context."""
    env = load_config(ROOT).env(None)
    relative = path.resolve().relative_to(QUERIES)
    templates = QueryTemplates(QUERIES, env.template_context())
    return templates.render(relative.parts[0], "/".join(relative.parts[1:]), str(path))


def prepare(path: Path, instant: str | datetime, variables: Variables, start: str | datetime | None = None) -> str:
    """The InfluxQL Grafana would send at ``instant`` (its "now") for a range from ``start`` (default now-1h)."""
    end = as_instant(instant)
    begin = as_instant(start) if start is not None else end - DEFAULT_RANGE
    text = substitute_variables(render(path), variables)
    text = text.replace("$timeFilter", time_filter(begin, end))
    return _NOW.sub(f"'{rfc3339(end)}'", text)


def run_file(
    store: InfluxStore,
    path: Path,
    instant: str | datetime,
    variables: Variables,
    start: str | datetime | None = None,
) -> list[InfluxTable]:
    """Every series the file's query returns on ``store`` at ``instant``."""
    text = prepare(path, instant, variables, start)
    return run_influxql(store.url, store.database, store.auth, text, what=str(path))


def variable_values(store: InfluxStore, name: str, instant: str | datetime, variables: Variables) -> list[str]:
    """What a query variable lists: Grafana takes each row's second column (the first after time)."""
    tables = run_file(store, QUERIES / "influxdb" / "variables" / f"{name}.influxql", instant, variables)
    return [str(row[1]) for table in tables for row in table.rows if row[1] is not None]


def choose(
    store: InfluxStore,
    instant: str | datetime,
    assignments: Sequence[str],
    multi: Mapping[str, Sequence[str] | None],
) -> dict[str, str | list[str]]:
    """Variables as ``dash query --var`` assignments set them; a multi variable not given is All.

    ``multi`` maps each multi-value variable to its custom values, or None for a query variable, whose
    All is what its InfluxQL lists. ``instance`` is the store's unless assigned.
    """
    given: dict[str, list[str]] = {}
    for assignment in assignments:
        name, value = assignment.split("=", 1)
        given.setdefault(name, []).append(value)
    chosen: dict[str, str | list[str]] = {"instance": given.pop("instance", [store.instance])[0]}
    for name, values in multi.items():
        chosen[name] = given.pop(name, None) or list(values or variable_values(store, name, instant, chosen))
    chosen.update({name: values[0] for name, values in given.items()})
    return chosen
