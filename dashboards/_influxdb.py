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


def sort_rows(field: str, desc: bool = False, then: str | None = None) -> tuple[dict[str, Any], ...]:
    """Rows by `field`, ties by `then` ascending, as the SQL's ORDER BY: Grafana's sortBy reads only its first
    field, but its sort is stable, so the tie-breaker is sorted first."""
    keys = [(then, False)] if then else []
    return tuple({"id": "sortBy", "options": {"sort": [{"field": f, "desc": d}]}} for f, d in [*keys, (field, desc)])


def count_by(group: str, counted: str, name: str) -> list[dict[str, Any]]:
    """Rows counted per `group`, as the SQL's GROUP BY does (InfluxQL groups by tags only), most first and ties
    by `group` (groupBy leaves groups in the order the rows first show them)."""
    fields = {
        group: {"operation": "groupby", "aggregations": []},
        counted: {"operation": "aggregate", "aggregations": ["count"]},
    }
    return [
        {"id": "groupBy", "options": {"fields": fields}},
        {"id": "organize", "options": {"renameByName": {f"{counted} (count)": name}}},
        *sort_rows(name, desc=True, then=group),
    ]


def _epoch_ms_as_time(*fields: str) -> dict[str, Any]:
    """TIMESTAMP measures are stored as epoch milliseconds in InfluxDB; the SQL returns timestamps."""
    conversions = [{"targetField": f, "destinationType": "time"} for f in fields]
    return {"id": "convertFieldType", "options": {"conversions": conversions, "fields": {}}}


def _names_lookup(ref_id: str, fields: str, key: str, text: str) -> dict[str, Any]:
    """Ids in the fields whose names match the regex `fields` shown as names from query `ref_id` (the SQL's LEFT
    JOIN): an id without a name stays."""
    mappings = [{"fieldName": key, "handlerKey": "mappings.value"}, {"fieldName": text, "handlerKey": "mappings.text"}]
    return {
        "id": "configFromData",
        "options": {"configRefId": ref_id, "applyTo": {"id": "byRegexp", "options": fields}, "mappings": mappings},
    }


# Queue and agent names in one lookup target: (id, name) rows of both (contacts/names.influxql).
NAMES = (InfluxQLQuery("contacts/names.influxql", ref_id="B"),)
NAMED = _names_lookup("B", "/^(queue|agent)$/", "id", "label")


_AGENT = {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": {"agent_username": "agent"}}}


def agent_rows() -> dict[str, StoreOptions]:
    """A panel over agent_table's rows as the query returns them: the agent tag under the SQL's column name."""
    return {STORE: StoreOptions(transformations=(_AGENT,))}


def agent_table() -> dict[str, StoreOptions]:
    """The agent tag keeps its name: agent_username shown under the SQL's column name, agent."""
    return {STORE: StoreOptions(transformations=(_AGENT, *sort_rows("agent")))}


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
    return {STORE: StoreOptions(transformations=(_AGENT, total, *sort_rows("total", desc=True, then="agent"), hide))}


def by_status_over_time() -> dict[str, StoreOptions]:
    """Series are grouped by the status tag (status_name's copy in InfluxDB)."""
    return {STORE: StoreOptions(display_name="${__field.labels.status}")}


# configFromData keeps its lookup frame when it is the only frame left: with no contacts (query A returns no
# series, so no frame), the table would show the agent names. Only A's frame goes on.
ONLY_CONTACTS = {"id": "filterByRefId", "options": {"include": "A"}}


def contacts_table(order: str, *times: str) -> dict[str, StoreOptions]:
    """Queue and agent ids named by the lookup, epoch milliseconds as times, the SQL's order (ties by contact)."""
    steps = (NAMED, ONLY_CONTACTS, WITHOUT_TIME, _epoch_ms_as_time(*times), *sort_rows(order, True, "contact_id"))
    return {STORE: StoreOptions(transformations=steps, queries=NAMES)}


def live_contacts(*times: str) -> dict[str, StoreOptions]:
    """A panel over the live table's result as the query returns it (Dashboard datasource without the live table's
    transformations): ids named, the contacts' frame only, epoch milliseconds as times; the panel's own
    transformations then pick rows and columns as on every store."""
    steps = (NAMED, ONLY_CONTACTS, WITHOUT_TIME) + ((_epoch_ms_as_time(*times),) if times else ())
    return {STORE: StoreOptions(transformations=steps)}


def per_queue() -> dict[str, StoreOptions]:
    return {STORE: StoreOptions(transformations=(WITHOUT_TIME, *sort_rows("queue", then="channel")))}


def _nulls_as_zero(field: str, name: str) -> dict[str, Any]:
    """`field` as `name`, 0 where the row has none (a queue only the joined snapshot has), as the SQL's
    coalesce(count, 0): the sum of a row's one field, which ignores a null."""
    return {
        "id": "calculateField",
        "options": {"mode": "reduceRow", "alias": name, "reduce": {"include": [field], "reducer": "sum"}},
    }


def _ratio(numerator: str, denominator: str, name: str) -> tuple[dict[str, Any], ...]:
    """``100 * numerator / denominator`` as `name`, in the SQL's order (100.0 * a / b), by two binary steps."""
    scaled = f"{numerator} x 100"
    return (
        {
            "id": "calculateField",
            "options": {
                "mode": "binary",
                "alias": scaled,
                "binary": {"left": numerator, "operator": "*", "right": "100"},
            },
        },
        {
            "id": "calculateField",
            "options": {
                "mode": "binary",
                "alias": name,
                "binary": {"left": scaled, "operator": "/", "right": denominator},
            },
        },
    )


# The collector's latest snapshot today per queue, beside the contacts' figures of Queues today so far.
SNAPSHOT = InfluxQLQuery("queues/today_snapshot.influxql", ref_id="C")


def today_per_queue() -> dict[str, StoreOptions]:
    """The parts of queues/today_per_queue.influxql (rows of several kinds per queue: InfluxQL cannot join them, and
    one aggregate over their union re-runs every part per column) made one row per queue: counts summed, the waits
    of the contacts that left the queue averaged and maxed, the handle time the one value a queue has; abandoned =
    left unanswered less ended by the system; the rates divided by contacts queued. Then the snapshot's frame (its
    own target, so that a queue with a snapshot and no contact today has no rate, not 0 / 0) joined by queue id as
    the SQL's full join (outerTabular: a row per id of either; counts 0 where only the snapshot has the queue, as
    the SQL's coalesce). The queue id named by the collector's names (an id
    without one stays), in queue id order."""
    summed = (
        "queued",
        "answered",
        "left_unanswered",
        "ended_by_system",
        *(f"within_{s}" for s in TABLE_SERVICE_LEVELS),
    )
    kept = ("handle", "contacts_in_queue", "oldest_contact_age_seconds", "agents_available", "agents_staffed")
    fields: dict[str, Any] = {"queue_id": {"operation": "groupby", "aggregations": []}}
    fields |= {f: {"operation": "aggregate", "aggregations": ["sum"]} for f in summed}
    fields |= {f: {"operation": "aggregate", "aggregations": ["lastNotNull"]} for f in kept}
    fields["answer_wait"] = {"operation": "aggregate", "aggregations": ["mean"]}
    fields["wait"] = {"operation": "aggregate", "aggregations": ["mean", "max"]}
    abandoned = {
        "id": "calculateField",
        "options": {
            "mode": "binary",
            "alias": "abandoned",
            "binary": {"left": "left_unanswered (sum)", "operator": "-", "right": "ended_by_system (sum)"},
        },
    }
    rates = [*_ratio("abandoned", "queued (sum)", "abandonment_rate")]
    for seconds in TABLE_SERVICE_LEVELS:
        rates += _ratio(f"within_{seconds} (sum)", "queued (sum)", f"service_level_{seconds}")
    counts = {
        "queued (sum)": "contacts_queued",
        "answered (sum)": "contacts_handled",
        "abandoned": "contacts_abandoned",
    }
    shown = {
        "queue_id": "queue",
        "contacts_queued": "contacts_queued",
        "contacts_handled": "contacts_handled",
        "contacts_abandoned": "contacts_abandoned",
        "abandonment_rate": "abandonment_rate",
        **{f"service_level_{s}": f"service_level_{s}" for s in TABLE_SERVICE_LEVELS},
        "answer_wait (mean)": "avg_speed_of_answer",
        "handle (lastNotNull)": "avg_handle_time",
        "wait (mean)": "avg_queued_time",
        "wait (max)": "max_queued_time",
        **{f"{f} (lastNotNull)": f for f in kept[1:]},
    }
    steps = (
        _names_lookup("B", "/^queue_id$/", "id", "label"),
        {"id": "groupBy", "options": {"fields": fields}},
        abandoned,
        *rates,
        {"id": "joinByField", "options": {"byField": "queue_id", "mode": "outerTabular"}},
        *(_nulls_as_zero(field, name) for field, name in counts.items()),
        {
            "id": "organize",
            "options": {
                "includeByName": dict.fromkeys(shown, True),
                "indexByName": {name: index for index, name in enumerate(shown)},
                "renameByName": {k: v for k, v in shown.items() if k != v},
            },
        },
        *sort_rows("queue"),
    )
    return {STORE: StoreOptions(transformations=steps, queries=(*NAMES, SNAPSHOT))}


def contact_stats() -> dict[str, StoreOptions]:
    """The parts of contacts/stats.influxql (a row each, every part its own columns, at the one time InfluxDB gives
    an aggregate over a subquery without a time range) made the SQL's one row: counts summed (0 where a part has no
    row, as the SQL's), the mean wait the one value its part has (none when no contact was answered today),
    abandoned = left the queue less ended by the system, service level = within / queued x 100 (0 / 0 when none
    was queued today: NaN, which the stats' lastNotNull skips, so "No data" as the SQL's null)."""
    summed = ("waiting", "queued", "within", "left_queue", "ended_by_system")
    fields: dict[str, Any] = {"Time": {"operation": "groupby", "aggregations": []}}
    fields |= {f: {"operation": "aggregate", "aggregations": ["sum"]} for f in summed}
    fields["avg_speed_of_answer"] = {"operation": "aggregate", "aggregations": ["lastNotNull"]}
    abandoned = {
        "id": "calculateField",
        "options": {
            "mode": "binary",
            "alias": "abandoned",
            "binary": {"left": "left_queue (sum)", "operator": "-", "right": "ended_by_system (sum)"},
        },
    }
    shown = {
        "waiting (sum)": "waiting",
        "service_level": "service_level",
        "abandoned": "abandoned",
        "avg_speed_of_answer (lastNotNull)": "avg_speed_of_answer",
    }
    steps = (
        {"id": "groupBy", "options": {"fields": fields}},
        abandoned,
        *_ratio("within (sum)", "queued (sum)", "service_level"),
        {
            "id": "organize",
            "options": {
                "includeByName": dict.fromkeys(shown, True),
                "indexByName": {name: index for index, name in enumerate(shown)},
                "renameByName": {k: v for k, v in shown.items() if k != v},
            },
        },
    )
    return {STORE: StoreOptions(transformations=steps)}
