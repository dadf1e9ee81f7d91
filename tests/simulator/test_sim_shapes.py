"""The outputs have the shapes of the documented Connect samples and of the Glue table, checked structurally."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from connect_ingest import datamodel, transform
from sim_outputs import Outputs, merge, repair_jsonc, shape

from tests.conftest import reference_file

AGENT_SAMPLES = (
    "agent_event_HEART_BEAT_awsdocs2023.jsonc",
    "agent_event_STATE_CHANGE_acw_cleared_awsdocs2023.jsonc",
    "agent_event_STATE_CHANGE_contact_ENDED_awsdocs2023.jsonc",
)
# Documented in amazon-connect-data.md §1 but null or absent in every sample.
AGENT_DOCUMENTED = re.compile(
    r"^Snapshot\.(AgentStatus\.Type|Configuration\.AgentHierarchyGroups\.Level[1-5](\.(ARN|Name))?)$"
)
# Documented in §3 for DISCONNECTED/COMPLETED; the samples predate them.
DETAIL_DOCUMENTED = re.compile(
    r"^(disconnectreason|agentinfo\.(aftercontactwork(starttimestamp|endtimestamp|duration)|hierarchygroups\.level5(\.arn)?))$"
)


def _agent_shape(event: dict[str, Any]) -> dict[str, set[str]]:
    """Current and previous snapshots share one shape; fold them under ``Snapshot``."""
    folded = shape(event)
    out: dict[str, set[str]] = {}
    for path, kinds in folded.items():
        path = re.sub(r"^(Current|Previous)AgentSnapshot", "Snapshot", path)
        out.setdefault(path, set()).update(kinds)
    return out


def test_agent_events_have_the_samples_key_paths_and_types(default_run: Outputs) -> None:
    samples = merge(
        [_agent_shape(repair_jsonc(reference_file(f"connect-samples/{n}").read_text())) for n in AGENT_SAMPLES]
    )
    ours = merge([_agent_shape(e) for e in default_run.agent_events])
    extra = {p for p in ours if p not in samples and not AGENT_DOCUMENTED.match(p)}
    assert not extra, f"paths our agent events have and no sample has: {sorted(extra)}"
    missing = {p for p in samples if p not in ours}
    assert not missing, f"sample paths our agent events never have: {sorted(missing)}"
    for path in samples.keys() & ours.keys():
        sample_kinds = samples[path] - {"null"}
        our_kinds = ours[path] - {"null"}
        assert not sample_kinds or not our_kinds or our_kinds <= sample_kinds, f"{path}: {our_kinds} vs {sample_kinds}"


def test_agent_event_contacts_match_the_fragment_sample(default_run: Outputs) -> None:
    fragment = repair_jsonc(
        reference_file("connect-samples/agent_event_contacts_fragment_CONNECTED_awsdocs2023.jsonc").read_text()
    )
    sample_keys = set(fragment["Contacts"][0])
    contacts = [c for e in default_run.agent_events for c in e["CurrentAgentSnapshot"]["Contacts"]]
    assert contacts
    assert all(set(c) == sample_keys for c in contacts)


def _detail_shape(detail: dict[str, Any]) -> dict[str, set[str]]:
    return shape(detail, lower=True)


def test_contact_events_have_the_samples_envelope_and_detail_paths(default_run: Outputs) -> None:
    disconnected = repair_jsonc(
        reference_file("connect-samples/contact_event_DISCONNECTED_awsdocs2023.jsonc").read_text()
    )
    updated = repair_jsonc(
        reference_file("connect-samples/contact_event_CONTACT_DATA_UPDATED_awsdocs_current.json").read_text()
    )
    connected_detail = repair_jsonc(
        reference_file("connect-samples/contact_event_detail_CONNECTED_TO_AGENT_awsdocs2023.json").read_text()
    )
    events = default_run.contact_events
    assert all(list(e) == list(disconnected) for e in events), "envelope keys differ from the sample's"
    samples = merge(
        [_detail_shape(disconnected["detail"]), _detail_shape(updated["detail"]), _detail_shape(connected_detail)]
    )
    ours = merge([_detail_shape(e["detail"]) for e in events])
    extra = {p for p in ours if p not in samples and not DETAIL_DOCUMENTED.match(p)}
    assert not extra, f"detail paths no sample has: {sorted(extra)}"
    for event_type, sample in (("CONNECTED_TO_AGENT", connected_detail), ("DISCONNECTED", disconnected["detail"])):
        wanted = {p for p in _detail_shape(sample) if not p.startswith("customervoiceactivity")}
        have = merge([_detail_shape(e["detail"]) for e in events if e["detail"]["eventType"] == event_type])
        assert wanted <= have.keys(), f"{event_type}: missing {sorted(wanted - have.keys())}"
    for path in samples.keys() & ours.keys():
        sample_kinds, our_kinds = samples[path] - {"null"}, ours[path] - {"null"}
        assert not sample_kinds or our_kinds <= sample_kinds, f"{path}: {our_kinds} vs {sample_kinds}"


def test_some_contact_events_mix_case_like_the_samples(default_run: Outputs) -> None:
    details = [e["detail"] for e in default_run.contact_events]
    assert any(d["channel"] == "Voice" for d in details)
    assert any("AgentInfo" in d for d in details)


def _check_against_hive(value: Any, hive: Any, where: str, problems: list[str]) -> None:
    if value is None:
        return
    if isinstance(hive, dict) and "[]" in hive:
        assert isinstance(value, list), where
        for item in value:
            _check_against_hive(item, hive["[]"], f"{where}[]", problems)
    elif isinstance(hive, dict) and "{}" in hive:
        assert isinstance(value, dict) and all(isinstance(v, str) for v in value.values()), where
    elif isinstance(hive, dict):
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object")
            return
        lowered = {k.lower(): v for k, v in value.items()}
        for key in lowered.keys() - hive.keys():
            problems.append(f"{where}.{key}: not a Glue column")
        for key in hive.keys() & lowered.keys():
            _check_against_hive(lowered[key], hive[key], f"{where}.{key}", problems)
    elif hive == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: expected a whole number")
    elif hive == "string" and not isinstance(value, str):
        problems.append(f"{where}: expected a string")


def test_every_ctr_key_maps_onto_the_glue_columns(default_run: Outputs) -> None:
    columns = {name: datamodel.parse_hive_type(hive) for name, hive in datamodel.CTR_COLUMNS}
    problems: list[str] = []
    for partition, record in default_run.ctr_lines:
        assert {k.lower() for k in record} == columns.keys(), (
            f"{record['ContactId']}: top-level keys differ from the Glue columns"
        )
        _check_against_hive(record, columns, record["ContactId"], problems)
        assert partition.startswith("initiation_date=")
    assert not problems, problems[:10]
    assert any(r["Agent"] and r["Agent"]["HierarchyGroups"] for _p, r in default_run.ctr_lines)


@pytest.mark.parametrize("kind", ["agent", "contact", "snapshot"])
def test_the_ingest_transforms_accept_every_record(default_run: Outputs, kind: str) -> None:
    if kind == "agent":
        records = [r for e in default_run.agent_events for r in transform.agent_event_records(e)]
    elif kind == "contact":
        records = [r for e in default_run.contact_events for r in transform.contact_event_records(e)]
    else:
        records = [r for s in default_run.snapshots for r in transform.snapshot_records(s)]
    assert records


def test_identifiers_are_version_4_uuids(default_run: Outputs) -> None:
    ids = [t["contact_id"] for t in default_run.truth.values()] + [e["EventId"] for e in default_run.agent_events[:500]]
    ids += [e["id"] for e in default_run.contact_events[:500]]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and str(parsed) == text
