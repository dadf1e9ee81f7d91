"""Reading a simulation's files back, the way a consumer would: plain JSON, nothing from the generator."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ms(text: str) -> int:
    """ISO-8601 (with or without ms, 'Z') -> epoch ms."""
    return round(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).timestamp() * 1000)


def floor_s(text: str) -> int:
    return ms(text) // 1000


class Outputs:
    """The files of one simulation output directory, parsed once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def agent_events(self) -> list[dict[str, Any]]:
        return read_jsonl(self.root / "agent_events.jsonl")

    @cached_property
    def contact_events(self) -> list[dict[str, Any]]:
        return read_jsonl(self.root / "contact_events.jsonl")

    @cached_property
    def snapshots(self) -> list[dict[str, Any]]:
        return read_jsonl(self.root / "collector" / "snapshots.jsonl")

    @cached_property
    def truth(self) -> dict[str, dict[str, Any]]:
        return {row["contact_id"]: row for row in read_jsonl(self.root / "ground_truth.jsonl")}

    @cached_property
    def ctr_lines(self) -> list[tuple[str, dict[str, Any]]]:
        """(partition folder name, record) for every delivered line, files in name order."""
        lines = []
        for path in sorted((self.root / "ctr").glob("*/*.json")):
            lines += [(path.parent.name, record) for record in read_jsonl(path)]
        return lines

    @cached_property
    def ctrs(self) -> dict[str, dict[str, Any]]:
        """Deduplicated as the dashboards must: per ContactId, the greatest LastUpdateTimestamp."""
        latest: dict[str, dict[str, Any]] = {}
        for _partition, record in self.ctr_lines:
            kept = latest.get(record["ContactId"])
            if kept is None or ms(record["LastUpdateTimestamp"]) >= ms(kept["LastUpdateTimestamp"]):
                latest[record["ContactId"]] = record
        return latest


def repair_jsonc(text: str) -> Any:
    """Parse a documentation sample: drop // comments and their wrapped prose, trailing commas, a stray brace."""
    lines = []
    for line in text.splitlines():
        kept, in_string, index = [], False, 0
        while index < len(line):
            char = line[index]
            if char == '"' and (index == 0 or line[index - 1] != "\\"):
                in_string = not in_string
            if not in_string and line.startswith("//", index):
                break
            kept.append(char)
            index += 1
        stripped = "".join(kept).strip()
        if stripped and not re.match(r'^([{}\[\]"]|-?\d|true|false|null)', stripped):
            continue  # the second line of a comment that wrapped
        lines.append("".join(kept))
    body = re.sub(r",(\s*[}\]])", r"\1", "\n".join(lines)).strip()
    if body.startswith('"'):
        body = "{" + body + "}"
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        pass
    parts = body.splitlines()
    for index, line in enumerate(parts):
        if re.fullmatch(r"\s*}\s*,?\s*", line):
            candidate = re.sub(r",(\s*[}\]])", r"\1", "\n".join(parts[:index] + parts[index + 1 :]))
            try:
                return json.loads(candidate)
            except json.JSONDecodeError:
                continue
    raise ValueError("sample could not be repaired into JSON")


def shape(value: Any, path: str = "", lower: bool = False) -> dict[str, set[str]]:
    """Every key path in a JSON value (lists as ``[]``) -> the JSON types seen there."""
    out: dict[str, set[str]] = {}

    def walk(node: Any, at: str) -> None:
        kind = "null" if node is None else type(node).__name__
        kind = "number" if kind in ("int", "float") else kind
        out.setdefault(at, set()).add(kind)
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{at}.{key.lower() if lower else key}" if at else (key.lower() if lower else key))
        elif isinstance(node, list):
            for child in node:
                walk(child, f"{at}[]")

    walk(value, path)
    return out


def merge(shapes: list[dict[str, set[str]]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for one in shapes:
        for key, kinds in one.items():
            merged.setdefault(key, set()).update(kinds)
    return merged
