"""The rule ids a checker package can emit, read from its source, so a rule added without a test is noticed.

A rule id is a lower-case hyphenated string constant in one of the places the checkers put one: an argument
of a finding's constructor or of a helper that makes one (``Finding``, ``Issue``, ``Problem``, ``_finding``,
``at``, ``add``), the middle of an ``(offset, rule, message)`` tuple, or a value assigned to a name about
rules (``rule_here = "unknown-tag"``, ``COST_RULES = (...)``).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

_MAKERS = frozenset({"Finding", "Issue", "Problem", "_finding", "at", "add"})
_RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _id(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _RULE_ID.fullmatch(node.value):
        return node.value
    return None


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _assigned(target: ast.expr, value: ast.expr) -> list[str]:
    """Ids assigned to a name with ``rule`` in it, through tuple unpacking and tuple values."""
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        return [i for t, v in zip(target.elts, value.elts, strict=True) for i in _assigned(t, v)]
    if not (isinstance(target, ast.Name) and "rule" in target.id.lower()):
        return []
    values = value.elts if isinstance(value, ast.Tuple | ast.List | ast.Set) else [value]
    return [i for v in values if (i := _id(v)) is not None]


def emitted_rules(package: str) -> set[str]:
    """Every rule id the modules of the package (``sqlcheck``, ``influxqlcheck``) can emit."""
    found: set[str] = set()
    for path in sorted(Path(str(importlib.import_module(package).__file__)).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in _MAKERS:
                found.update(i for arg in node.args if (i := _id(arg)) is not None)
            elif isinstance(node, ast.Tuple) and len(node.elts) == 3 and (i := _id(node.elts[1])) is not None:
                if _id(node.elts[0]) is None and _id(node.elts[2]) is None:  # (offset, rule, message)
                    found.add(i)
            elif isinstance(node, ast.Assign):
                found.update(i for target in node.targets for i in _assigned(target, node.value))
    return found
