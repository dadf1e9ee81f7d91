"""realtime_store: InfluxDB by default (LiveAnalytics is closed to new customers), and both values still deploy.

Terraform evaluates only the chosen branch of `cond ? a : b`, so `module.timestream[0]` (count 0 with InfluxDB) and
`module.influxdb[0]` (count 0 with Timestream) are safe exactly where they sit in the branch of their own store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.infra.hclconfig import INFRA, MODULES, compact, load

STORE_MODULES = {"timestream": "module.timestream[0]", "influxdb": "module.influxdb[0]"}


def _leaves(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, expression) for every string in a parsed block, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, compact(value)


def _split_conditional(expression: str) -> tuple[str, str, str] | None:
    """(condition, true branch, false branch) of a top-level `c ? a : b`, or None; brackets and quotes respected."""
    depth, quote, question = 0, "", -1
    for index, char in enumerate(expression):
        if quote:
            quote = "" if char == quote and expression[index - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and char == "?" and question < 0:
            question = index
        elif depth == 0 and char == ":" and question >= 0:
            return expression[:question], expression[question + 1 : index], expression[index + 1 :]
    return None


def _root_expressions() -> list[tuple[str, str]]:
    root = load(INFRA)
    found = []
    for kind in ("module", "output"):
        for name, body in root.named(kind).items():
            found.extend(_leaves(body, f"{kind}.{name}"))
    found.extend(_leaves(root.locals(), "locals"))
    for (rtype, name), body in root.resources().items():
        found.extend(_leaves(body, f"{rtype}.{name}"))
    return found


def test_new_deployments_get_influxdb_and_validation_keeps_both_stores() -> None:
    variable = load(INFRA).named("variable")["realtime_store"]
    assert variable["default"] == "influxdb"
    # Its validation (both stores, nothing else) runs on sample values in test_variable_validation.py (CASES).
    assert "timestream" in variable["description"] and "2025-06-20" in variable["description"]


def test_every_store_choice_follows_realtime_store_and_no_module_assumes_one() -> None:
    root = load(INFRA)
    assert compact(root.locals()["use_ts"]) == 'var.realtime_store=="timestream"'
    modules = root.named("module")
    assert compact(modules["timestream"]["count"]) == "local.use_ts?1:0"
    assert compact(modules["influxdb"]["count"]) == "local.use_ts?0:1"
    assert compact(modules["ingest"]["sink"]) == "var.realtime_store"
    assert "default" not in load(MODULES / "ingest").named("variable")["sink"], "the root chooses the sink"


def test_each_store_module_is_referenced_only_in_its_own_branch() -> None:
    checked = 0
    for where, expression in _root_expressions():
        uses = {store for store, ref in STORE_MODULES.items() if ref in expression}
        if not uses:
            continue
        checked += 1
        parts = _split_conditional(expression)
        assert parts and parts[0] == "local.use_ts", f"{where}: {expression} needs local.use_ts ? ... : ..."
        _, if_timestream, if_influxdb = parts
        assert STORE_MODULES["influxdb"] not in if_timestream, f"{where}: module.influxdb[0] does not exist there"
        assert STORE_MODULES["timestream"] not in if_influxdb, f"{where}: module.timestream[0] does not exist there"
    assert checked >= 10, "too few store references found: did the parser change shape?"


@pytest.mark.parametrize(
    ("output", "store"),
    [
        ("timestream_database", "timestream"),
        ("timestream_tables", "timestream"),
        ("influxdb_url", "influxdb"),
        ("influxdb_database", "influxdb"),
        ("influxdb_token_env", "influxdb"),
        ("influxdb_grafana_token_secret_arn", "influxdb"),
        ("influxdb_token_secret_arn", "influxdb"),
        ("influxdb_admin_secret_arn", "influxdb"),
    ],
)
def test_store_outputs_are_empty_for_the_other_store(output: str, store: str) -> None:
    """`dash env import` keeps a key whose output is null, so the other store's settings are never overwritten."""
    parts = _split_conditional(compact(load(INFRA).named("output")[output]["value"]))
    assert parts and parts[0] == "local.use_ts", output
    other = parts[2] if store == "timestream" else parts[1]
    assert other in ("null", "[]"), f"{output} must be empty with realtime_store != {store}"


def test_influxdb_database_output_is_the_bucket_the_lambdas_write() -> None:
    root = load(INFRA)
    assert (
        compact(root.named("output")["influxdb_database"]["value"]) == "local.use_ts?null:module.influxdb[0].database"
    )
    assert compact(root.named("module")["ingest"]["influx_database"]) == 'local.use_ts?"":module.influxdb[0].database'
    assert compact(load(MODULES / "influxdb").named("output")["database"]["value"]) == "var.bucket"
