"""The one declaration of the data the pipeline writes.

Everything that reads or writes this data uses this module: the ingest Lambdas
(which ship it in their deployment package, hence plain Python with no
third-party imports), the SQL checks, the local query engine, and the Terraform
(through the JSON that ``dash build`` generates from it). A table or column
that is not declared here does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MeasureType = Literal["DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN", "TIMESTAMP"]

# Timestream for LiveAnalytics names it reserves for itself.
TIMESTREAM_RESERVED = frozenset({"time", "measure_name", "measure_value"})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Measure:
    name: str
    type: MeasureType
    description: str = ""


@dataclass(frozen=True)
class InfluxTag:
    """A VARCHAR measure the InfluxDB sink also writes as a tag, because InfluxQL groups by tags only.

    The tag has a name of its own (no measure or dimension has it), so a tag and a field never share a name,
    which InfluxDB 3 refuses and InfluxQL would have to disambiguate with ``::tag``. Timestream has only the
    measure. A tag is part of a point's identity: see infra/lambdas/README.md for what that costs.
    """

    name: str
    measure: str


@dataclass(frozen=True)
class TimestreamTable:
    """A Timestream table written with multi-measure records.

    Every record of the table has measure_name ``measure_name`` and the
    measures below as columns; dimensions are strings that identify a series.
    ``influx_tags`` are measures InfluxDB also gets as tags (the InfluxDB
    measurement's tags are the dimensions and these).
    """

    name: str
    description: str
    dimensions: tuple[str, ...]
    measure_name: str
    measures: tuple[Measure, ...]
    influx_tags: tuple[InfluxTag, ...] = ()

    def columns(self) -> dict[str, str]:
        """Column name -> SQL type, as Timestream shows the table to a query."""
        cols = {d: "VARCHAR" for d in self.dimensions}
        cols.update({m.name: m.type for m in self.measures})
        cols["measure_name"] = "VARCHAR"
        cols["time"] = "TIMESTAMP"
        return cols

    def measure(self, name: str) -> Measure:
        return next(m for m in self.measures if m.name == name)


def _m(name: str, type_: MeasureType, description: str = "") -> Measure:
    return Measure(name, type_, description)


AGENT_STATE = TimestreamTable(
    name="agent_state",
    description="One record per agent event (LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT): the agent's status and slots.",
    dimensions=(
        "instance_id",
        "agent_id",
        "agent_username",
        "routing_profile",
        "hierarchy_group",
    ),
    measure_name="agent_state",
    measures=(
        _m("event_type", "VARCHAR", "LOGIN, LOGOUT, STATE_CHANGE or HEART_BEAT"),
        _m("agent_name", "VARCHAR", "first and last name from the agent's configuration"),
        _m("status_name", "VARCHAR", "agent status name, e.g. Available, Offline, Lunch"),
        _m("status_type", "VARCHAR", "ROUTABLE, CUSTOM or OFFLINE"),
        _m("status_start", "TIMESTAMP", "when the agent entered the status"),
        _m("next_status_name", "VARCHAR", "status set to follow the current contacts, or empty"),
        _m("contact_count", "BIGINT", "contacts in the agent's snapshot"),
        _m("contact_state", "VARCHAR", "state of the agent's most recent contact, or empty"),
        _m("voice_slots_available", "BIGINT"),
        _m("voice_slots_max", "BIGINT"),
        _m("chat_slots_available", "BIGINT"),
        _m("chat_slots_max", "BIGINT"),
        _m("task_slots_available", "BIGINT"),
        _m("task_slots_max", "BIGINT"),
        # Derived from the snapshot's contacts, so that a store without joins (InfluxQL) reads Connect's
        # real-time agent metrics from this record alone; a contact listed twice counts once (its last listing).
        _m("contact_queue", "VARCHAR", "queue name of the contact contact_state is of, or empty"),
        _m("contacts_on_contact", "BIGINT", "contacts connected, on hold, in ACW, paused, or outbound ringing"),
        _m("contacts_after_contact_work", "BIGINT", "contacts in after-contact work (ENDED)"),
        _m("contacts_error", "BIGINT", "contacts MISSED or in ERROR, not yet cleared"),
        _m(
            "contacts_blocking", "BIGINT", "contacts MISSED, REJECTED or in ERROR: Connect routes nothing until cleared"
        ),
        _m(
            "voice_slots_free",
            "BIGINT",
            "voice slots Connect would route into now: routable, nothing pending or to clear, no contact",
        ),
        _m(
            "chat_slots_free",
            "BIGINT",
            "chat slots Connect would route into now: as voice, but only a voice contact takes them",
        ),
        _m(
            "task_slots_free",
            "BIGINT",
            "task slots Connect would route into now: as voice, but only a voice contact takes them",
        ),
    ),
    # InfluxQL groups agents by status (agents by status over time) only through a tag.
    influx_tags=(InfluxTag("status", "status_name"),),
)

AGENT_CONTACT = TimestreamTable(
    name="agent_contact",
    description="One record per contact in an agent event's current snapshot.",
    dimensions=(
        "instance_id",
        "agent_id",
        "agent_username",
        "contact_id",
        "channel",
        "initiation_method",
        "queue_name",
        # the agent's, as on the event's agent_state record: InfluxQL, without joins, filters contacts by them
        "routing_profile",
        "hierarchy_group",
    ),
    measure_name="agent_contact",
    measures=(
        _m(
            "state",
            "VARCHAR",
            "INCOMING, PENDING, CONNECTING, CONNECTED, CONNECTED_ONHOLD, MISSED, PAUSED, REJECTED, ERROR, ENDED",
        ),
        _m("state_start", "TIMESTAMP"),
        _m("queued_at", "TIMESTAMP"),
        _m("connected_to_agent_at", "TIMESTAMP"),
        _m("initial_contact_id", "VARCHAR"),
    ),
)

CONTACT_EVENT = TimestreamTable(
    name="contact_event",
    description="One record per EventBridge contact event (INITIATED ... COMPLETED).",
    # event_type is a dimension (a handful of values): one contact's events of different types at the same
    # millisecond (CONNECTED_TO_SYSTEM and CONNECTED_TO_AGENT on an outbound call) are different points.
    dimensions=(
        "instance_id",
        "contact_id",
        "event_type",
        "channel",
        "initiation_method",
        "queue_id",
        "agent_id",
    ),
    measure_name="contact_event",
    measures=(
        _m("initial_contact_id", "VARCHAR"),
        _m("initiated_at", "TIMESTAMP"),
        _m("connected_to_system_at", "TIMESTAMP"),
        _m("enqueued_at", "TIMESTAMP"),
        _m("connected_to_agent_at", "TIMESTAMP"),
        _m("disconnected_at", "TIMESTAMP"),
        _m("disconnect_reason", "VARCHAR"),
        _m("queue_type", "VARCHAR"),
        # Derived for stores without CASE, IS NULL, coalesce or joins (InfluxQL): facts of the event's own snapshot,
        # so that a contact's latest event alone answers the real-time contact panels there.
        _m(
            "lifecycle_state",
            "VARCHAR",
            "the lifecycle state the event shows: its type, or for CONTACT_DATA_UPDATED the latest stage its times show",
        ),
        _m("dequeued_at", "TIMESTAMP", "when the contact left the queue: connected to an agent, else disconnected"),
        _m("reached_agent", "BOOLEAN", "whether the event shows the contact connected to an agent; always written"),
        _m("event_at", "TIMESTAMP", "the event's time: a contact's latest, CONTACT_DATA_UPDATED included"),
    ),
)

# queue_metrics holds three groupings of GetCurrentMetricData, told apart by this sentinel (never a Connect id
# or channel): per queue and channel; per queue (channel ALL: an agent counts once across channels); and the
# instance total (queue_id and channel ALL, no queue_name: an agent counts once across queues and channels).
ALL = "ALL"

QUEUE_METRICS = TimestreamTable(
    name="queue_metrics",
    description=(
        "GetCurrentMetricData written by the collector every run: per queue and channel, per queue "
        f"(channel {ALL}) and for the instance (queue_id and channel {ALL})."
    ),
    dimensions=("instance_id", "queue_id", "queue_name", "channel"),
    measure_name="queue_metrics",
    measures=(
        _m("agents_online", "BIGINT"),
        _m("agents_available", "BIGINT"),
        _m("agents_on_contact", "BIGINT", "AGENTS_ON_CONTACT; AGENTS_ON_CALL is the same number, not collected"),
        _m("agents_non_productive", "BIGINT"),
        _m("agents_after_contact_work", "BIGINT", "contacts in ACW, as Connect counts it"),
        _m("agents_error", "BIGINT"),
        _m("agents_staffed", "BIGINT"),
        _m("contacts_in_queue", "BIGINT"),
        _m("contacts_scheduled", "BIGINT"),
        _m("oldest_contact_age_seconds", "DOUBLE"),
        _m("slots_active", "BIGINT"),
        _m("slots_available", "BIGINT"),
    ),
)

RESOURCE_SNAPSHOT = TimestreamTable(
    name="resource_snapshot",
    description="Queues, routing profiles and users from the List APIs, written by the collector every run.",
    dimensions=("instance_id", "resource_type", "resource_id"),
    measure_name="resource_snapshot",
    measures=(
        _m("name", "VARCHAR", "queue name, routing profile name or username"),
        _m("arn", "VARCHAR"),
    ),
)

TIMESTREAM_TABLES: tuple[TimestreamTable, ...] = (
    AGENT_STATE,
    AGENT_CONTACT,
    CONTACT_EVENT,
    QUEUE_METRICS,
    RESOURCE_SNAPSHOT,
)


def timestream_table(name: str) -> TimestreamTable:
    for table in TIMESTREAM_TABLES:
        if table.name == name:
            return table
    raise KeyError(name)


# --- Contact records (CTRs) in S3, read by Athena through Glue ---------------
# Hive types as Glue declares them. Column names are lower case, as Glue and
# Athena show them; the OpenX JSON SerDe and Parquet conversion map the CTR's
# PascalCase keys onto them case-insensitively.

_ENDPOINT = "struct<address:string,type:string>"
_NAMED = "struct<arn:string,name:string>"
_GROUP = "struct<arn:string,groupname:string>"
_HIERARCHY = "struct<" + ",".join(f"level{i}:{_GROUP}" for i in range(1, 6)) + ">"
_AGENT = (
    "struct<"
    "arn:string,username:string,connectedtoagenttimestamp:string,"
    "agentinteractionduration:int,customerholdduration:int,longestholdduration:int,"
    "numberofholds:int,aftercontactworkduration:int,aftercontactworkstarttimestamp:string,"
    "aftercontactworkendtimestamp:string,agentpauseduration:int,"
    f"routingprofile:{_NAMED},hierarchygroups:{_HIERARCHY}"
    ">"
)
_QUEUE = "struct<arn:string,name:string,enqueuetimestamp:string,dequeuetimestamp:string,duration:int>"
_RECORDING = "struct<location:string,status:string,type:string,deletionreason:string>"
_RECORDINGS = (
    "array<struct<location:string,status:string,mediastreamtype:string,"
    "participanttype:string,storagetype:string,fragmentstartnumber:string,"
    "fragmentstopnumber:string,starttimestamp:string,stoptimestamp:string>>"
)
_REFERENCE = "array<struct<name:string,type:string,value:string,status:string>>"

CTR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("awsaccountid", "string"),
    ("awscontacttracerecordformatversion", "string"),
    ("instancearn", "string"),
    ("contactid", "string"),
    ("initialcontactid", "string"),
    ("previouscontactid", "string"),
    ("nextcontactid", "string"),
    ("relatedcontactid", "string"),
    ("channel", "string"),
    ("initiationmethod", "string"),
    ("initiationtimestamp", "string"),
    ("connectedtosystemtimestamp", "string"),
    ("disconnecttimestamp", "string"),
    ("lastupdatetimestamp", "string"),
    ("scheduledtimestamp", "string"),
    ("transfercompletedtimestamp", "string"),
    ("disconnectreason", "string"),
    ("answeringmachinedetectionstatus", "string"),
    ("agentconnectionattempts", "int"),
    ("customerendpoint", _ENDPOINT),
    ("systemendpoint", _ENDPOINT),
    ("transferredtoendpoint", _ENDPOINT),
    ("agent", _AGENT),
    ("queue", _QUEUE),
    ("attributes", "map<string,string>"),
    ("tags", "map<string,string>"),
    # {"connect:Subtype": {"ValueString": "connect:Telephony"}}: system attributes of this contact segment.
    ("segmentattributes", "map<string,struct<valuestring:string>>"),
    ("recording", _RECORDING),
    ("recordings", _RECORDINGS),
    ("references", _REFERENCE),
    ("mediastreams", "array<struct<type:string>>"),
    ("campaign", "struct<campaignid:string>"),
)

# Partitioned by the contact's own initiation date (UTC), which Firehose
# derives from InitiationTimestamp; Glue partition projection enumerates it.
CTR_PARTITION_KEYS: tuple[tuple[str, str], ...] = (("initiation_date", "date"),)
CTR_PARTITION_FORMAT = "yyyy-MM-dd"


@dataclass(frozen=True)
class GlueTable:
    name: str
    description: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]

    def all_columns(self) -> dict[str, str]:
        return dict(self.columns + self.partition_keys)


CONTACT_RECORDS = GlueTable(
    name="contact_records",
    description="Amazon Connect contact trace records, one row per delivery (deduplicate by contactid, latest lastupdatetimestamp).",
    columns=CTR_COLUMNS,
    partition_keys=CTR_PARTITION_KEYS,
)

# --- Agent events in S3, archived by Firehose from the agent event stream -------
# The records as Connect puts them on Kinesis (agent-event-stream-model), lower-case as Glue shows them; the
# parts history reads: who, when, the event type, the agent's status and each contact's state. Keys not
# declared (InboundQueues, ...) stay in the files and are not read.

_STATUS = "struct<arn:string,name:string,starttimestamp:string,type:string>"
_NEXT_STATUS = "struct<arn:string,name:string,enqueuedtimestamp:string>"
_AGENT_GROUP = "struct<arn:string,name:string>"
_AGENT_GROUPS = "struct<" + ",".join(f"level{i}:{_AGENT_GROUP}" for i in range(1, 6)) + ">"
_CONCURRENCY = "array<struct<availableslots:int,channel:string,maximumslots:int>>"
_CONFIGURATION = (
    "struct<firstname:string,lastname:string,username:string,"
    f"agenthierarchygroups:{_AGENT_GROUPS},"
    f"routingprofile:struct<arn:string,name:string,concurrency:{_CONCURRENCY}>>"
)
_EVENT_CONTACT = (
    "struct<contactid:string,initialcontactid:string,channel:string,initiationmethod:string,state:string,"
    "statestarttimestamp:string,connectedtoagenttimestamp:string,queuetimestamp:string,queue:struct<arn:string,name:string>>"
)
_SNAPSHOT = (
    f"struct<agentstatus:{_STATUS},nextagentstatus:{_NEXT_STATUS},configuration:{_CONFIGURATION},"
    f"contacts:array<{_EVENT_CONTACT}>>"
)

AGENT_EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("awsaccountid", "string"),
    ("agentarn", "string"),
    ("eventid", "string"),
    ("eventtimestamp", "string"),
    ("eventtype", "string"),
    ("instancearn", "string"),
    ("version", "string"),
    ("currentagentsnapshot", _SNAPSHOT),
    ("previousagentsnapshot", _SNAPSHOT),
)

AGENT_EVENTS = GlueTable(
    name="agent_events",
    description="Amazon Connect agent events, one row per delivery (deduplicate by eventid); partitioned by the "
    "event's own UTC date.",
    columns=AGENT_EVENT_COLUMNS,
    partition_keys=(("event_date", "date"),),
)

GLUE_TABLES: tuple[GlueTable, ...] = (CONTACT_RECORDS, AGENT_EVENTS)


# --- Hive type parsing, for nested field resolution --------------------------


def parse_hive_type(text: str) -> str | dict[str, object]:
    """Parse a Hive type into a scalar name or a nested dict.

    ``struct<a:int>`` -> ``{"a": "int"}``; ``array<T>`` -> ``{"[]": T}``;
    ``map<K,V>`` -> ``{"{}": V}``. Lets the SQL checks resolve
    ``agent.connectedtoagenttimestamp`` without any third-party parser.
    """
    value, rest = _parse_type(text.replace(" ", ""))
    if rest:
        raise ValueError(f"trailing text in Hive type: {rest!r}")
    return value


def _parse_type(text: str) -> tuple[str | dict[str, object], str]:
    for kind in ("struct<", "array<", "map<"):
        if text.startswith(kind):
            body = text[len(kind) :]
            if kind == "struct<":
                fields: dict[str, object] = {}
                while not body.startswith(">"):
                    name, body = body.split(":", 1)
                    fields[name], body = _parse_type(body)
                    body = body[1:] if body.startswith(",") else body
                return fields, body[1:]
            if kind == "array<":
                element, body = _parse_type(body)
                return {"[]": element}, body[1:]
            _key, body = _parse_type(body)
            value, body = _parse_type(body[1:])
            return {"{}": value}, body[1:]
    match = re.match(r"[a-z0-9_()]+", text)
    if not match:
        raise ValueError(f"not a Hive type: {text!r}")
    return match.group(0), text[match.end() :]


MEASURE_TYPES: frozenset[str] = frozenset({"DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN", "TIMESTAMP"})
# Timestream's quotas for one table and one multi-measure record.
MAX_DIMENSIONS = 128
MAX_MEASURES = 256


def check_declaration(
    tables: tuple[TimestreamTable, ...] = TIMESTREAM_TABLES, glue_tables: tuple[GlueTable, ...] = GLUE_TABLES
) -> list[str]:
    """Timestream's naming and typing rules, checked on the declaration before anything writes by it."""
    problems: list[str] = []
    for table in tables:
        problems += _check_timestream_table(table)
    for glue in glue_tables:
        for name, hive_type in glue.columns + glue.partition_keys:
            try:
                parse_hive_type(hive_type)
            except ValueError as exc:
                problems.append(f"{glue.name}.{name}: {exc}")
    return problems


def _check_timestream_table(table: TimestreamTable) -> list[str]:
    problems: list[str] = []
    names = [*table.dimensions, *(m.name for m in table.measures)]
    for name in names:
        if not _NAME.match(name):
            problems.append(f"{table.name}.{name}: use lower snake_case (a-z, 0-9, _; a letter first)")
        if name in TIMESTREAM_RESERVED or name.startswith(("ts_", "measure_name", "measure_value")):
            problems.append(f"{table.name}.{name}: reserved by Timestream (time, measure_name, measure_value*, ts_*)")
    measures = {m.name for m in table.measures}
    for dim in table.dimensions:
        if dim in measures:
            problems.append(f"{table.name}.{dim}: both a dimension and a measure; Timestream needs one name per column")
        if dim == table.measure_name:
            problems.append(f"{table.name}.{dim}: a dimension may not share the record's measure_name; rename one")
        if _unique_per_event(dim):
            problems.append(
                f"{table.name}.{dim}: unique per event (an id or a time), so as a dimension it makes every record "
                "a new series; make it a measure"
            )
    for repeated in sorted({n for n in names if names.count(n) > 1} - (set(table.dimensions) & measures)):
        problems.append(f"{table.name}.{repeated}: declared more than once")
    for measure in table.measures:
        if measure.type not in MEASURE_TYPES:
            hint = " (MULTI is the record's type, not a measure's)" if measure.type == "MULTI" else ""
            problems.append(
                f"{table.name}.{measure.name}: type {measure.type} is not a Timestream measure type{hint}; "
                f"use one of {', '.join(sorted(MEASURE_TYPES))}"
            )
    if not table.measures:
        problems.append(f"{table.name}: a multi-measure record needs at least one measure")
    problems += _check_influx_tags(table)
    if len(table.dimensions) > MAX_DIMENSIONS or len(table.measures) > MAX_MEASURES:
        problems.append(
            f"{table.name}: {len(table.dimensions)} dimensions and {len(table.measures)} measures; Timestream allows "
            f"{MAX_DIMENSIONS} and {MAX_MEASURES}"
        )
    return problems


def _check_influx_tags(table: TimestreamTable) -> list[str]:
    """An InfluxDB tag copies one VARCHAR measure under a name of its own (tags are strings, names unique)."""
    problems: list[str] = []
    columns = {*table.dimensions, *(m.name for m in table.measures)}
    tags = [tag.name for tag in table.influx_tags]
    for tag in table.influx_tags:
        where = f"{table.name}: InfluxDB tag {tag.name}"
        if not _NAME.match(tag.name) or tag.name == "time":
            problems.append(f"{where}: use lower snake_case (a-z, 0-9, _; a letter first), not time")
        if tag.name in columns:
            problems.append(f"{where}: already a dimension or measure; give the tag a name of its own")
        measure = next((m for m in table.measures if m.name == tag.measure), None)
        if measure is None:
            problems.append(f"{where}: copies {tag.measure}, which is not a measure of the table")
        elif measure.type != "VARCHAR":
            problems.append(f"{where}: copies {tag.measure}, a {measure.type}; tags are strings, copy a VARCHAR")
    for repeated in sorted({name for name in tags if tags.count(name) > 1}):
        problems.append(f"{table.name}: InfluxDB tag {repeated}: declared more than once")
    return problems


def _unique_per_event(name: str) -> bool:
    """An event id or a timestamp: a new value on every record."""
    compact = name.replace("_", "")
    return compact.endswith(("eventid", "timestamp")) or name.endswith(("_at", "_time")) or name == "timestamp"
