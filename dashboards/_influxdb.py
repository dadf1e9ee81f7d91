"""What the real-time panels need on InfluxDB beyond the shared definition: InfluxQL cannot join, group by a
field, name a tag differently, or return a row per column, so Grafana's own transformations finish the rows
there. Each function is one panel's `StoreOptions`; the tests in tests/influx run the queries on influxd and
apply these transformations as Grafana does before comparing with the SQL's rows."""

from __future__ import annotations

from typing import Any

from dashcompiler.api import TABLE_SERVICE_LEVELS, InfluxQLQuery, StoreOptions

STORE = "influxdb"
# A table frame from InfluxQL starts with its points' time, which the SQL tables do not have.
WITHOUT_TIME: dict[str, Any] = {"id": "organize", "options": {"excludeByName": {"Time": True}}}


def _sort(field: str, desc: bool = False, then: str | None = None) -> tuple[dict[str, Any], ...]:
    """Rows by `field`, ties by `then` ascending, as the SQL's ORDER BY: Grafana's sortBy reads only its first
    field, but its sort is stable, so the tie-breaker is sorted first."""
    keys = [(then, False)] if then else []
    return tuple({"id": "sortBy", "options": {"sort": [{"field": f, "desc": d}]}} for f, d in [*keys, (field, desc)])


def _count_by(group: str, counted: str, name: str) -> list[dict[str, Any]]:
    """Rows counted per `group`, as the SQL's GROUP BY does (InfluxQL groups by tags only), most first and ties
    by `group` (groupBy leaves groups in the order the rows first show them)."""
    fields = {
        group: {"operation": "groupby", "aggregations": []},
        counted: {"operation": "aggregate", "aggregations": ["count"]},
    }
    return [
        {"id": "groupBy", "options": {"fields": fields}},
        {"id": "organize", "options": {"renameByName": {f"{counted} (count)": name}}},
        *_sort(name, desc=True, then=group),
    ]


def _epoch_ms_as_time(*fields: str) -> dict[str, Any]:
    """TIMESTAMP measures are stored as epoch milliseconds in InfluxDB; the SQL returns timestamps."""
    conversions = [{"targetField": f, "destinationType": "time"} for f in fields]
    return {"id": "convertFieldType", "options": {"conversions": conversions, "fields": {}}}


def _names_lookup(ref_id: str, field: str, key: str, text: str) -> dict[str, Any]:
    """Ids in `field` shown as names from query `ref_id` (the SQL's LEFT JOIN): an id without a name stays."""
    mappings = [{"fieldName": key, "handlerKey": "mappings.value"}, {"fieldName": text, "handlerKey": "mappings.text"}]
    return {
        "id": "configFromData",
        "options": {"configRefId": ref_id, "applyTo": {"id": "byName", "options": field}, "mappings": mappings},
    }


NAMES = (
    InfluxQLQuery("contacts/queue_names.influxql", ref_id="B"),
    InfluxQLQuery("contacts/agent_names.influxql", ref_id="C"),
)


def status_summary() -> dict[str, StoreOptions]:
    return {STORE: StoreOptions(transformations=(WITHOUT_TIME, *_count_by("status", "agent", "agents")))}


def slots() -> dict[str, StoreOptions]:
    """One row with a column per channel, turned into (channel, slots) rows."""
    reduce = {
        "id": "reduce",
        "options": {"mode": "seriesToRows", "reducers": ["lastNotNull"], "includeTimeField": False},
    }
    rename = {"id": "organize", "options": {"renameByName": {"Field": "channel", "Last *": "slots"}}}
    return {STORE: StoreOptions(transformations=(reduce, rename, *_sort("channel")))}


_AGENT = {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": {"agent_username": "agent"}}}


def agent_table() -> dict[str, StoreOptions]:
    """The agent tag keeps its name: agent_username shown under the SQL's column name, agent."""
    return {STORE: StoreOptions(transformations=(_AGENT, *_sort("agent")))}


def missed_rejected() -> dict[str, StoreOptions]:
    """As agent_table, in the SQL's order: most missed and rejected first, ties by agent."""
    total = {
        "id": "calculateField",
        "options": {
            "mode": "binary",
            "binary": {"left": "missed", "operator": "+", "right": "rejected"},
            "alias": "total",
        },
    }
    hide = {"id": "organize", "options": {"excludeByName": {"total": True}}}
    return {STORE: StoreOptions(transformations=(_AGENT, total, *_sort("total", desc=True, then="agent"), hide))}


def by_status_over_time() -> dict[str, StoreOptions]:
    """Series are grouped by the status tag (status_name's copy in InfluxDB)."""
    return {STORE: StoreOptions(display_name="${__field.labels.status}")}


def metric_columns() -> dict[str, StoreOptions]:
    """One column per metric: each series named by its column (the SQL names it by a metric label)."""
    return {STORE: StoreOptions(alias="$col", display_name="")}


def contacts_by_state() -> dict[str, StoreOptions]:
    return {STORE: StoreOptions(transformations=(WITHOUT_TIME, *_count_by("state", "contact_id", "contacts")))}


# configFromData keeps its lookup frame when it is the only frame left: with no contacts (query A returns no
# series, so no frame), the table would show the agent names. Only A's frame goes on.
ONLY_CONTACTS = {"id": "filterByRefId", "options": {"include": "A"}}


def contacts_table(order: str, *times: str) -> dict[str, StoreOptions]:
    """Queue and agent ids named by lookups, epoch milliseconds as times, the SQL's order (ties by contact)."""
    lookups = (
        _names_lookup("B", "queue", "queue_id", "queue_name"),
        _names_lookup("C", "agent", "agent_id", "agent_username"),
    )
    steps = (*lookups, ONLY_CONTACTS, WITHOUT_TIME, _epoch_ms_as_time(*times), *_sort(order, True, "contact_id"))
    return {STORE: StoreOptions(transformations=steps, queries=NAMES)}


def per_queue() -> dict[str, StoreOptions]:
    return {STORE: StoreOptions(transformations=(WITHOUT_TIME, *_sort("queue", then="channel")))}


def today_per_queue() -> dict[str, StoreOptions]:
    """Two series per queue (the contacts' figures and the collector's snapshot, InfluxQL cannot join them) made
    one row as the SQL's full join: counts summed (the snapshot's series adds 0), every other column the one
    value a series has; the queue id named by the collector's names (an id without one stays), in id order."""
    summed = ("contacts_queued", "contacts_handled", "contacts_abandoned")
    kept = (
        "abandonment_rate",
        *(f"service_level_{s}" for s in TABLE_SERVICE_LEVELS),
        "avg_speed_of_answer",
        "avg_handle_time",
        "avg_queued_time",
        "max_queued_time",
        "contacts_in_queue",
        "oldest_contact_age_seconds",
        "agents_available",
        "agents_staffed",
    )
    fields: dict[str, Any] = {"queue_id": {"operation": "groupby", "aggregations": []}}
    fields |= {f: {"operation": "aggregate", "aggregations": ["sum"]} for f in summed}
    fields |= {f: {"operation": "aggregate", "aggregations": ["lastNotNull"]} for f in kept}
    names = {"queue_id": "queue"} | {f"{f} (sum)": f for f in summed} | {f"{f} (lastNotNull)": f for f in kept}
    steps = (
        _names_lookup("B", "queue_id", "queue_id", "queue_name"),
        ONLY_CONTACTS,
        {"id": "groupBy", "options": {"fields": fields}},
        {"id": "organize", "options": {"renameByName": names}},
        *_sort("queue"),
    )
    return {STORE: StoreOptions(transformations=steps, queries=NAMES[:1])}
