"""The Terraform creates exactly the tables and columns of the data-model declaration."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from connect_ingest import datamodel

from dashcompiler import datamodel_json
from dashcompiler.datamodel_json import GENERATED_PATH, render_datamodel_json
from tests.infra.hclconfig import INFRA, MODULES, ROOT, compact, load


def _generated() -> dict:
    return json.loads((ROOT / GENERATED_PATH).read_text(encoding="utf-8"))


def test_committed_json_is_current() -> None:
    committed = (ROOT / GENERATED_PATH).read_text(encoding="utf-8")
    assert committed == render_datamodel_json(), f"{GENERATED_PATH} is stale: run `dash build`"


def test_render_is_deterministic_sorted_and_newline_terminated() -> None:
    text = render_datamodel_json()
    assert text == render_datamodel_json()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_render_follows_the_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = replace(datamodel.QUEUE_METRICS, name="queue_metrics_v2")
    monkeypatch.setattr(datamodel, "TIMESTREAM_TABLES", (*datamodel.TIMESTREAM_TABLES, extra))
    rendered = json.loads(datamodel_json.render_datamodel_json())
    assert "queue_metrics_v2" in rendered["timestream_tables"]


def test_unprojectable_partition_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    table = replace(datamodel.CONTACT_RECORDS, partition_keys=(("channel_key", "string"),))
    monkeypatch.setattr(datamodel, "GLUE_TABLES", (table,))
    with pytest.raises(ValueError, match="channel_key"):
        datamodel_json.render_datamodel_json()


def test_json_matches_declaration() -> None:
    generated = _generated()
    assert set(generated["timestream_tables"]) == {t.name for t in datamodel.TIMESTREAM_TABLES}
    for table in datamodel.TIMESTREAM_TABLES:
        entry = generated["timestream_tables"][table.name]
        assert entry["dimensions"] == list(table.dimensions)
        assert [(m["name"], m["type"]) for m in entry["measures"]] == [(m.name, m.type) for m in table.measures]
        assert entry["measure_name"] == table.measure_name
    glue = generated["glue_tables"][datamodel.CONTACT_RECORDS.name]
    assert [(c["name"], c["type"]) for c in glue["columns"]] == list(datamodel.CTR_COLUMNS)
    assert [(k["name"], k["type"]) for k in glue["partition_keys"]] == list(datamodel.CTR_PARTITION_KEYS)
    assert glue["projection_parameters"]["projection.initiation_date.format"] == datamodel.CTR_PARTITION_FORMAT
    assert glue["firehose_partition_queries"] == {"initiation_date": ".InitiationTimestamp[0:10]"}


def test_root_feeds_modules_from_the_generated_json() -> None:
    root = load(INFRA)
    local = root.locals()
    assert compact(local["datamodel"]) == 'jsondecode(file("${path.module}/generated/datamodel.json"))'
    assert compact(local["ctr_table"]) == "local.datamodel.glue_tables.contact_records"
    modules = root.named("module")
    assert compact(modules["timestream"]["tables"]) == "local.datamodel.timestream_tables"
    assert compact(modules["ctr_lake"]["glue_table"]) == "local.ctr_table"


def test_timestream_tables_are_one_per_declared_table() -> None:
    module = load(MODULES / "timestream")
    table = module.resources()[("aws_timestreamwrite_table", "this")]
    assert compact(table["for_each"]) == "var.tables"
    assert compact(table["table_name"]) == "each.key"
    props = table["magnetic_store_write_properties"][0]
    assert props["enable_magnetic_store_writes"] is True
    assert props["magnetic_store_rejected_data_location"]
    assert [r for (kind, _), r in module.resources().items() if kind == "aws_timestreamwrite_table"] == [table]


def _feed(call: str) -> dict:
    """ctr_lake's call of modules/lake_feed for one stream."""
    body = load(MODULES / "ctr_lake").named("module")[call]
    assert body["source"] == "../lake_feed", f"ctr_lake: module {call} must be a lake_feed"
    return body


def test_glue_table_columns_come_from_the_declaration() -> None:
    assert compact(_feed("ctr")["glue_table"]) == "var.glue_table"
    module = load(MODULES / "lake_feed")
    assert compact(module.locals()["table"]) == "var.glue_table"
    table = module.resources()[("aws_glue_catalog_table", "this")]
    assert compact(table["name"]) == "local.table.name"
    columns = table["storage_descriptor"][0]["dynamic"][0]["columns"]
    assert compact(columns["for_each"]) == "local.table.columns"
    assert compact(columns["content"][0]["name"]) == "columns.value.name"
    assert compact(columns["content"][0]["type"]) == "columns.value.type"
    partitions = table["dynamic"][0]["partition_keys"]
    assert compact(partitions["for_each"]) == "local.table.partition_keys"
    assert "local.table.projection_parameters" in compact(table["parameters"])


def test_firehose_partitions_by_initiation_date_not_arrival_time() -> None:
    """The CTR feed's table is the declaration's, partitioned by .InitiationTimestamp (test_json_matches_declaration);
    the feed's Firehose partitions by the table's own queries, never by arrival time."""
    assert compact(_feed("ctr")["glue_table"]) == "var.glue_table"
    module = load(MODULES / "lake_feed")
    stream = module.resources()[("aws_kinesis_firehose_delivery_stream", "this")]
    s3 = stream["extended_s3_configuration"][0]
    assert "!{timestamp" not in compact(s3["prefix"]), "data prefix must not use arrival time"
    assert "local.key_prefix" in compact(s3["prefix"])
    assert "partitionKeyFromQuery" in compact(module.locals()["key_prefix"])
    assert "local.table.firehose_partition_queries" in compact(module.locals()["jq_query"])
    assert "error-output-type" in compact(s3["error_output_prefix"])
    assert s3["dynamic_partitioning_configuration"][0]["enabled"] is True


def test_agent_events_are_archived_from_their_stream_by_event_date() -> None:
    """The agent event archive: its Glue table is the declaration's, its Firehose reads the agent event stream
    and partitions each event by its own EventTimestamp date, never arrival time."""
    glue = _generated()["glue_tables"][datamodel.AGENT_EVENTS.name]
    assert [(c["name"], c["type"]) for c in glue["columns"]] == list(datamodel.AGENT_EVENT_COLUMNS)
    assert glue["firehose_partition_queries"] == {"event_date": ".EventTimestamp[0:10]"}
    lake = load(INFRA).named("module")["ctr_lake"]
    assert compact(lake["agent_events_glue_table"]) == "local.datamodel.glue_tables.agent_events"
    assert compact(lake["agent_event_stream_arn"]) == "module.streams.agent_stream_arn"
    feed = _feed("agent_events")
    assert compact(feed["glue_table"]) == "var.agent_events_glue_table"
    assert compact(feed["stream_arn"]) == "var.agent_event_stream_arn"
    module = load(MODULES / "lake_feed")
    table = module.resources()[("aws_glue_catalog_table", "this")]
    assert compact(table["name"]) == "local.table.name"
    stream = module.resources()[("aws_kinesis_firehose_delivery_stream", "this")]
    assert compact(stream["kinesis_source_configuration"][0]["kinesis_stream_arn"]) == "var.stream_arn"
    s3 = stream["extended_s3_configuration"][0]
    assert "!{timestamp" not in compact(s3["prefix"]) and "local.key_prefix" in compact(s3["prefix"])
    assert s3["dynamic_partitioning_configuration"][0]["enabled"] is True
