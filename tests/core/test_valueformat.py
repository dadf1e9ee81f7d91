"""Grafana's value formats, held to Grafana's own formatting tests.

The cases marked "Grafana:" take the input and expected text of a case in grafana/grafana,
packages/grafana-data/src/valueFormats/valueFormats.test.ts or dateTimeFormatters.test.ts (written anew here,
not copied). Where Grafana 10.3 changed the text since a case was written (time units take a plural past 1,
grafana/grafana#77337) the expected text is Grafana 12's, as @grafana/data 12.0's getValueFormat prints it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from core.errors import DefinitionError
from core.valueformat import UNITS, format_value, js_number, to_fixed
from dashcompiler.config import load_config

ROOT = Path(__file__).resolve().parents[2]

GRAFANA_CASES = [
    # Grafana: valueFormats.test.ts, the formatTests table ("Typical"/"Standard")
    ("ms", 4, 0.0024, "0.0024 ms"),
    ("ms", 0, 100, "100 ms"),
    ("ms", 2, 1250, "1.25 s"),
    ("ms", 1, 10000086.123, "2.8 hours"),  # "2.8 hour" before Grafana 10.3's plural
    ("ms", 0, 1200, "1 s"),
    ("short", 0, 98765, "99 K"),
    ("short", 0, 9876543, "10 Mil"),
    ("short", 2, 9876543, "9.88 Mil"),
    # Grafana: dateTimeFormatters.test.ts, describe('duration') and describe('seconds')
    ("dthms", None, 1, "00:00:01"),
    ("dthms", None, -1, "00:00:01 ago"),
    ("dthms", None, 0, "00:00:00"),
    ("dtdhms", None, 1, "00:00:01"),
    ("dtdhms", None, -1, "00:00:01 ago"),
    ("dtdhms", None, 0, "00:00:00"),
    ("dtdhms", None, 86399, "23:59:59"),
    ("dtdhms", None, 86400, "1 d 00:00:00"),
    ("dtdhms", None, 360000, "4 d 04:00:00"),
    ("dtdhms", None, 1179811, "13 d 15:43:31"),
    ("dtdhms", None, -1179811, "13 d 15:43:31 ago"),
    ("dtdhms", None, 116876364, "1352 d 17:39:24"),
    ("s", None, 0, "0 s"),
]


@pytest.mark.parametrize(("unit", "decimals", "value", "expected"), GRAFANA_CASES)
def test_grafanas_own_cases(unit: str, decimals: int | None, value: float, expected: str) -> None:
    assert format_value(value, unit, decimals) == expected


def test_to_fixed_as_grafanas_tests_state_it() -> None:
    # Grafana: valueFormats.test.ts, 'normal cases', 'toFixed and negative decimals', 'format edge cases'
    assert [to_fixed(100, None), to_fixed(100.4, None), to_fixed(100.5, None)] == ["100", "100", "101"]
    assert [to_fixed(100, 1), to_fixed(100.37, 1), to_fixed(100.63, 1)] == ["100.0", "100.4", "100.6"]
    assert [to_fixed(100.4, 2), to_fixed(100.5, 2)] == ["100.40", "100.50"]
    assert to_fixed(186.123, -2) == "186"
    assert [to_fixed(math.nan, None), to_fixed(-math.inf, None), to_fixed(math.inf, None)] == ["NaN", "-∞", "∞"]


HAND_WORKED = [
    # The raw numbers as the shipped panels show them (percent at one decimal; durations as hh:mm:ss).
    ("percent", 1, 63.16070475173518, "63.2%"),
    ("dthms", 0, 329.69868173258004, "00:05:29"),  # whole seconds, never rounded up
    ("dthms", None, 3600 * 100 + 61, "100:01:01"),  # hours are not cut at 99
    ("none", 0, 12.5, "13"),  # Math.round: halves up
    ("none", 0, -12.5, "-12"),  # ... toward +infinity
    ("none", None, 2.345, "2.35"),  # automatic: two significant digits, a third past 2.25
    ("none", None, 0.000123, "0.000123"),
    ("none", None, 1e21, "1e+21"),  # JavaScript's number text
    ("", 1, 7, "7.0"),  # no unit is "none"
    ("percentunit", 1, 0.8125, "81.3%"),
    ("s", 0, 330, "6 mins"),  # the reason the dashboards use dthms for durations
    ("s", 1, 45.25, "45.3 s"),
    ("s", 2, 0.5, "500.00 ms"),
    ("s", 1, 5400, "1.5 hours"),
    ("m", 0, 30, "30 min"),  # no plural below the first step
    ("h", 1, 36, "1.5 days"),
    ("d", 0, 3, "3 days"),  # days take a plural from the first step
    ("short", 1, 1500, "1.5 K"),
    ("short", None, 999, "999"),
]


@pytest.mark.parametrize(("unit", "decimals", "value", "expected"), HAND_WORKED)
def test_hand_worked(unit: str, decimals: int | None, value: float, expected: str) -> None:
    """Worked out from Grafana's formatter source and confirmed with @grafana/data 12.0's getValueFormat."""
    assert format_value(value, unit, decimals) == expected


def test_null_is_empty_and_nan_is_shown_as_grafana_shows_it() -> None:
    assert format_value(None, "percent", 1) == ""
    assert format_value(math.nan, "percent", 1) == "NaN"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (100.0, "100"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e16, "10000000000000000"),
        (1.5e-7, "1.5e-7"),
        (-0.001, "-0.001"),
    ],
)
def test_numbers_read_as_javascript_writes_them(value: float, text: str) -> None:
    assert js_number(value) == text


def test_an_unknown_unit_is_an_error_naming_it_and_where() -> None:
    with pytest.raises(DefinitionError, match=r"panel 'x': unit 'bytes' is not one dash formats; known: .*'dthms'"):
        format_value(1, "bytes", 0, "panel 'x'")


def _units(node: object) -> set[str]:
    """Every unit a dashboard JSON sets: field defaults and override properties."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("unit"), str):
            found.add(node["unit"])
        if node.get("id") == "unit" and isinstance(node.get("value"), str):
            found.add(node["value"])
        for child in node.values():
            found |= _units(child)
    elif isinstance(node, list):
        for child in node:
            found |= _units(child)
    return found


def test_every_unit_the_committed_dashboards_use_is_known() -> None:
    """A panel given a unit this module lacks fails here, not when a user runs `dash query`."""
    config = load_config(ROOT)
    files = [p for folder in config.outputs.values() for p in (ROOT / folder / "dashboards").rglob("*.json")]
    assert files, "no committed dashboards found"
    used = set().union(*(_units(json.loads(p.read_text(encoding="utf-8"))) for p in files))
    assert {"dthms", "percent", "none"} <= used
    assert used <= set(UNITS), f"units without a formatter: {sorted(used - set(UNITS))}"
