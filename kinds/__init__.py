"""The registry of datasource kinds: every module of this package declares one `KIND`.

Adding a kind is adding a module here; nothing else in the code branches on a kind's name.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import MappingProxyType

from core.errors import DefinitionError
from core.kinds import DatasourceKind


def _discover() -> dict[str, DatasourceKind]:
    found: dict[str, DatasourceKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        kind = getattr(importlib.import_module(f"{__name__}.{info.name}"), "KIND", None)
        if isinstance(kind, DatasourceKind):
            found[kind.name] = kind
    return found


KINDS = MappingProxyType(dict(sorted(_discover().items(), key=lambda item: item[1].order)))
QUERY_TYPES: tuple[type, ...] = tuple(kind.query_type for kind in KINDS.values())


def kind_of(query: object) -> DatasourceKind:
    """The kind whose typed target `query` is."""
    for kind in KINDS.values():
        if type(query) is kind.query_type:
            return kind
    names = " or ".join(k.query_type.__name__ for k in KINDS.values())
    raise DefinitionError(f"unknown datasource query {type(query).__name__}; use {names}")
