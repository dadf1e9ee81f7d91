"""The one JSON encoding of every generated file, so equal content is equal bytes."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    """Sorted keys, 2-space indent, UTF-8 as is, final newline."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def provisioning_literal(value: str) -> str:
    """A value for Grafana's provisioning YAML, which expands $VAR: a literal $ is written $$."""
    return value.replace("$", "$$")
