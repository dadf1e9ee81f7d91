"""Rows for people (a rich table) or for programs (a JSON array of row objects keyed by column)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from localquery.run import Result


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


def records(result: Result) -> list[dict[str, Any]]:
    return [{c: plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]


def to_json(results: list[Result]) -> str:
    """One array of row objects; a panel of several queries lists their rows one after another."""
    return json.dumps([row for result in results for row in records(result)], ensure_ascii=False, indent=2)


def print_tables(results: list[Result], console: Console) -> None:
    for result in results:
        table = Table(*result.columns)
        for row in records(result):
            table.add_row(
                *(json.dumps(v) if isinstance(v, dict | list) else "" if v is None else str(v) for v in row.values())
            )
        console.print(f"{result.panel} ({result.file})", style="bold")
        console.print(table)
        console.print(f"{len(result.rows)} row(s)", style="dim")
