"""A panel's rows as Grafana shows them: each number by its column's unit and decimals (core.valueformat).

A column takes the panel's field defaults (``fieldConfig.defaults.unit`` and ``decimals``), or what an override
matching it by name sets, as a table's ``column(name, title, unit)`` does. Only numbers are formatted: text,
times and series are shown as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.errors import DefinitionError
from core.valueformat import format_value, formatter

_MATCHERS = ("byName", "byRegexp")


@dataclass(frozen=True)
class ColumnFormat:
    unit: str | None
    decimals: int | None


def _matches(matcher: Mapping[str, Any], column: str, where: str) -> bool:
    kind, option = matcher.get("id"), str(matcher.get("options", ""))
    if kind == "byName":
        return option == column
    if kind == "byRegexp":
        return re.search(option, column) is not None
    raise DefinitionError(
        f"{where}: an override matches fields {kind!r}, which dash cannot resolve to a column; "
        f"use {' or '.join(_MATCHERS)}"
    )


def column_formats(panel: Mapping[str, Any], columns: Sequence[str], where: str) -> dict[str, ColumnFormat]:
    """Each column's unit and decimals, later overrides winning as in Grafana; an unknown unit is an error."""
    config = panel.get("fieldConfig", {})
    defaults = config.get("defaults", {})
    formats: dict[str, ColumnFormat] = {}
    for column in columns:
        if column == "time":
            continue  # InfluxQL's time column (epoch ms): Grafana's time field, never a number under the unit
        unit, decimals = defaults.get("unit"), defaults.get("decimals")
        for override in config.get("overrides", []):
            properties = {p.get("id"): p.get("value") for p in override.get("properties", [])}
            if not {"unit", "decimals"} & properties.keys():
                continue
            if _matches(override.get("matcher", {}), column, where):
                unit = properties.get("unit", unit)
                decimals = properties.get("decimals", decimals)
        formatter(unit, f"{where}, column {column!r}")
        formats[column] = ColumnFormat(unit, decimals)
    return formats


def plain(value: Any) -> Any:
    """A DuckDB value as JSON: times in ISO-8601 UTC, decimals as numbers, structs and lists kept."""
    if isinstance(value, datetime):
        text = value.isoformat(timespec="milliseconds")
        return text.replace("+00:00", "") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def cell_text(value: Any, fmt: ColumnFormat | None) -> str:
    """One cell as a table shows it: a number by its column's format, anything else as its plain text."""
    if fmt is not None and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_value(float(value), fmt.unit, fmt.decimals)
    shown = plain(value)
    if isinstance(shown, dict | list):
        return json.dumps(shown, ensure_ascii=False)
    return "" if shown is None else str(shown)
