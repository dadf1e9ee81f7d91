"""Read the Terraform under infra/ into plain dicts, whichever `hcl2` is installed.

Two distributions install the module `hcl2`: python-hcl2 (7.x, 8.x) and checkov's
fork bc-python-hcl2 (0.4.x). Their output shapes differ; this module normalises
them to python-hcl2 7.x's: attributes as values, blocks as lists of dicts,
strings without quotes, expressions as "${...}".
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
MODULES = INFRA / "modules"
META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_META_KEYS = frozenset({"__start_line__", "__end_line__", "__is_block__"})


def _version() -> str:
    return str(getattr(getattr(hcl2, "version", None), "__version__", getattr(hcl2, "__version__", "")))


def _is_block_body(value: Any) -> bool:
    """bc-python-hcl2 wraps attribute values in lists, so a block body's values are all lists."""
    items = [v for k, v in value.items() if k not in _META_KEYS]
    return bool(items) and all(isinstance(v, list) for v in items)


def _is_block(value: Any) -> bool:
    """A block body, an empty block, or a labelled block such as `dynamic "x" {...}`."""
    if not isinstance(value, dict):
        return False
    labelled = all(isinstance(v, dict) and _is_block_body(v) for v in value.values())
    return not value or _is_block_body(value) or labelled


def _normalise(value: Any) -> Any:
    """Unwrap bc-python-hcl2's one-element attribute lists, keeping blocks as lists of bodies."""
    if not isinstance(value, dict):
        return value
    if not _is_block_body(value):
        return {k: _normalise(v) for k, v in value.items() if k not in _META_KEYS}
    out: dict[str, Any] = {}
    for key, items in value.items():
        if key in _META_KEYS:
            continue
        if items and all(_is_block(v) for v in items):
            out[key] = [_normalise(v) for v in items]
        else:
            out[key] = _normalise(items[0]) if len(items) == 1 else items
    return out


def parse_text(text: str) -> dict[str, Any]:
    if hasattr(hcl2, "SerializationOptions"):  # python-hcl2 8.x
        options = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
        return hcl2.loads(text, serialization_options=options)
    data = hcl2.loads(text)
    if _version().startswith("0."):  # bc-python-hcl2, checkov's fork
        return {kind: [_normalise(item) for item in items] for kind, items in data.items()}
    return data


@dataclass(frozen=True)
class Config:
    """One Terraform directory (root or module): its blocks and its raw text."""

    path: Path
    blocks: dict[str, list[dict[str, Any]]]
    text: str

    def named(self, kind: str) -> dict[str, dict[str, Any]]:
        """variable/output/module/provider blocks by name."""
        out: dict[str, dict[str, Any]] = {}
        for item in self.blocks.get(kind, []):
            for name, body in item.items():
                out[name] = body
        return out

    def resources(self, kind: str = "resource") -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for item in self.blocks.get(kind, []):
            for rtype, named in item.items():
                for name, body in named.items():
                    out[(rtype, name)] = body
        return out

    def locals(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in self.blocks.get("locals", []):
            out.update(item)
        return out


@cache
def load(directory: Path) -> Config:
    blocks: dict[str, list[dict[str, Any]]] = {}
    texts = []
    for tf in sorted(directory.glob("*.tf")):
        text = tf.read_text(encoding="utf-8")
        texts.append(text)
        for kind, items in parse_text(text).items():
            blocks.setdefault(kind, []).extend(items)
    return Config(directory, blocks, "\n".join(texts))


def module_dirs() -> list[Path]:
    return sorted(p for p in MODULES.iterdir() if p.is_dir())


def all_configs() -> list[Config]:
    return [load(INFRA), *(load(p) for p in module_dirs())]


def expression(value: Any) -> str:
    """The text inside "${...}", or the value itself."""
    text = str(value)
    match = re.fullmatch(r"\$\{(.*)\}", text, flags=re.S)
    return match.group(1).strip() if match else text


def compact(value: Any) -> str:
    """An expression without "${}" and whitespace, so parser versions compare equal."""
    return re.sub(r"\s+", "", expression(value))


def jsonencoded(value: Any) -> Any:
    """The structure inside `jsonencode(...)`: python-hcl2 renders it as JSON, bc-python-hcl2 as a Python repr."""
    match = re.fullmatch(r"\$\{jsonencode\((.*)\)\}", str(value), flags=re.S)
    assert match, f"expected a jsonencode(...) expression, got {str(value)[:80]!r}"
    try:
        return json.loads(match.group(1))
    except json.JSONDecodeError:
        return ast.literal_eval(match.group(1))


def resolve_locals(text: str, locals_: dict[str, Any]) -> str:
    """Substitute `${local.name}` by the local's own text until none is left, so values compare as written."""
    pattern = re.compile(r"\$\{local\.(\w+)\}")
    for _ in range(10):
        if not pattern.search(text):
            return text
        text = pattern.sub(lambda m: str(locals_[m.group(1)]), text)
    raise AssertionError(f"locals nest too deeply in {text!r}")


def policy_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of an aws_iam_policy_document, static and `dynamic "statement"` contents alike."""
    statements = list(document.get("statement", []))
    for dynamic in document.get("dynamic", []):
        if "statement" in dynamic:
            statements.extend(dynamic["statement"]["content"])
    return statements


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one value or a list of them."""
    return value if isinstance(value, list) else [value]
