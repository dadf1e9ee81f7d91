"""check_declaration refuses what Timestream would refuse, or what would make every record its own series."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from connect_ingest.datamodel import (
    CONTACT_RECORDS,
    CTR_COLUMNS,
    InfluxTag,
    Measure,
    TimestreamTable,
    check_declaration,
    parse_hive_type,
)

from tests.conftest import REFERENCE_DATA

TABLE = TimestreamTable(
    name="things",
    description="a minimal valid table",
    dimensions=("instance_id", "thing_id"),
    measure_name="things",
    measures=(Measure("state", "VARCHAR"), Measure("count", "BIGINT")),
)


def problems_of(table: TimestreamTable) -> list[str]:
    return check_declaration((table,), ())


def test_the_shipped_declaration_and_the_minimal_table_pass() -> None:
    assert check_declaration() == []
    assert problems_of(TABLE) == []


@pytest.mark.parametrize("type_", ["DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN", "TIMESTAMP"])
def test_every_timestream_measure_type_passes(type_: str) -> None:
    assert problems_of(replace(TABLE, measures=(Measure("value", type_),))) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"measures": (Measure("value", "FLOAT"),)},  # type: ignore[arg-type]
            "things.value: type FLOAT is not a Timestream measure type; "
            "use one of BIGINT, BOOLEAN, DOUBLE, TIMESTAMP, VARCHAR",
        ),
        (
            {"measures": (Measure("value", "MULTI"),)},  # type: ignore[arg-type]
            "things.value: type MULTI is not a Timestream measure type (MULTI is the record's type, not a measure's); "
            "use one of BIGINT, BOOLEAN, DOUBLE, TIMESTAMP, VARCHAR",
        ),
        (
            {"measures": (Measure("value", "double"),)},  # type: ignore[arg-type]
            "things.value: type double is not a Timestream measure type; "
            "use one of BIGINT, BOOLEAN, DOUBLE, TIMESTAMP, VARCHAR",
        ),
        (
            {"dimensions": ("instance_id", "time")},
            "things.time: reserved by Timestream (time, measure_name, measure_value*, ts_*)",
        ),
        (
            {"dimensions": ("instance_id", "measure_name")},
            "things.measure_name: reserved by Timestream (time, measure_name, measure_value*, ts_*)",
        ),
        (
            {"measures": (Measure("measure_value", "DOUBLE"),)},
            "things.measure_value: reserved by Timestream (time, measure_name, measure_value*, ts_*)",
        ),
        (
            {"measures": (Measure("ts_value", "DOUBLE"),)},
            "things.ts_value: reserved by Timestream (time, measure_name, measure_value*, ts_*)",
        ),
        (
            {"dimensions": ("instance_id", "state")},
            "things.state: both a dimension and a measure; Timestream needs one name per column",
        ),
        (
            {"dimensions": ("instance_id", "things")},
            "things.things: a dimension may not share the record's measure_name; rename one",
        ),
        (
            {"dimensions": ("instance_id", "Thing_Id")},
            "things.Thing_Id: use lower snake_case (a-z, 0-9, _; a letter first)",
        ),
        (
            {"dimensions": ("instance_id", "thing_id", "thing_id")},
            "things.thing_id: declared more than once",
        ),
        (
            {"measures": ()},
            "things: a multi-measure record needs at least one measure",
        ),
        (
            {"dimensions": tuple(f"d{i}" for i in range(129))},
            "things: 129 dimensions and 2 measures; Timestream allows 128 and 256",
        ),
    ],
    ids=[
        "float",
        "multi",
        "lower-case-type",
        "time",
        "measure-name",
        "measure-value",
        "ts-prefix",
        "dimension-is-measure",
        "dimension-is-measure-name",
        "case",
        "repeated",
        "no-measures",
        "too-many-dimensions",
    ],
)
def test_a_rule_broken_is_reported_naming_table_and_column(change: dict[str, object], expected: str) -> None:
    assert problems_of(replace(TABLE, **change)) == [expected]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ((InfluxTag("state_tag", "state"),), []),
        (
            (InfluxTag("state", "state"),),
            ["things: InfluxDB tag state: already a dimension or measure; give the tag a name of its own"],
        ),
        (
            (InfluxTag("thing_id", "state"),),
            ["things: InfluxDB tag thing_id: already a dimension or measure; give the tag a name of its own"],
        ),
        (
            (InfluxTag("count_tag", "count"),),
            ["things: InfluxDB tag count_tag: copies count, a BIGINT; tags are strings, copy a VARCHAR"],
        ),
        (
            (InfluxTag("colour", "colour_name"),),
            ["things: InfluxDB tag colour: copies colour_name, which is not a measure of the table"],
        ),
        (
            (InfluxTag("Status", "state"),),
            ["things: InfluxDB tag Status: use lower snake_case (a-z, 0-9, _; a letter first), not time"],
        ),
        (
            (InfluxTag("s", "state"), InfluxTag("s", "state")),
            ["things: InfluxDB tag s: declared more than once"],
        ),
    ],
    ids=["fine", "a-measure", "a-dimension", "not-varchar", "unknown-measure", "case", "repeated"],
)
def test_an_influx_tag_copies_one_varchar_measure_under_a_name_of_its_own(
    tags: tuple[InfluxTag, ...], expected: list[str]
) -> None:
    assert problems_of(replace(TABLE, influx_tags=tags)) == expected


@pytest.mark.parametrize(
    "dimension", ["event_id", "eventid", "contact_event_id", "created_at", "start_time", "timestamp", "last_timestamp"]
)
def test_a_dimension_unique_per_event_is_refused(dimension: str) -> None:
    assert problems_of(replace(TABLE, dimensions=("instance_id", dimension))) == [
        f"things.{dimension}: unique per event (an id or a time), so as a dimension it makes every record "
        "a new series; make it a measure"
    ]


@pytest.mark.parametrize("dimension", ["contact_id", "event_type", "queue_id", "channel"])
def test_a_series_key_is_a_fine_dimension(dimension: str) -> None:
    assert problems_of(replace(TABLE, dimensions=("instance_id", dimension))) == []


def test_a_bad_hive_type_names_the_glue_column() -> None:
    broken = replace(CONTACT_RECORDS, columns=(("agent", "struct<arn:string,"),))
    [problem] = check_declaration((), (broken,))
    assert problem.startswith("contact_records.agent: ")


def _documented(line_start: str) -> set[str]:
    """Field names of one bullet of the reference's CTR section, lower case as Glue shows them."""
    notes = REFERENCE_DATA.parent / "amazon-connect-data.md"
    if not notes.is_file():
        pytest.skip(f"reference notes {notes} are absent; this test reads them at run time")
    [line] = [text for text in notes.read_text(encoding="utf-8").splitlines() if text.startswith(line_start)]
    names: set[str] = set()
    for token in re.findall(r"`([^`]+)`", line.split(":", 1)[1]):
        group = re.fullmatch(r"(\w+)\{(.*)\}", token)
        parts = [group.group(1) + p.strip() for p in group.group(2).split(",")] if group else [token]
        names |= {p.lower() for p in parts if re.fullmatch(r"[A-Z][A-Za-z]*[a-z][A-Za-z]*", p)}
    return names


def test_every_documented_top_level_ctr_field_is_a_glue_column() -> None:
    columns = {name for name, _ in CTR_COLUMNS}
    documented = _documented("- Top level")
    assert {"segmentattributes", "contactid", "customerendpoint"} <= documented
    assert documented - columns == set()


@pytest.mark.parametrize(("struct", "line"), [("agent", "- `Agent`"), ("queue", "- `Queue`")])
def test_every_documented_nested_ctr_field_is_declared(struct: str, line: str) -> None:
    fields = parse_hive_type(dict(CTR_COLUMNS)[struct])
    assert isinstance(fields, dict)
    assert _documented(line) - fields.keys() == set()


def test_agent_pause_duration_has_the_name_the_ctr_data_model_gives_it() -> None:
    # Admin guide, ctr-data-model, Agent: AgentPauseDuration (whole seconds a task was paused).
    fields = parse_hive_type(dict(CTR_COLUMNS)["agent"])
    assert isinstance(fields, dict) and fields.get("agentpauseduration") == "int"
    assert "agentpausedduration" not in fields
