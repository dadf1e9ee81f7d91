"""The allowed direction of imports between the packages, as DEVELOPERS.md draws it, and no import cycle.

Every import statement counts, at module level or inside a function or a TYPE_CHECKING block: a lazy import
still ties two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {
    "core": ROOT / "core",
    "kinds": ROOT / "kinds",
    "sqlcheck": ROOT / "sqlcheck",
    "influxqlcheck": ROOT / "influxqlcheck",
    "cloudwatchcheck": ROOT / "cloudwatchcheck",
    "localquery": ROOT / "localquery",
    "preview": ROOT / "preview",
    "alerting": ROOT / "alerting",
    "alerttest": ROOT / "alerttest",
    "dashcompiler": ROOT / "dashcompiler",
    "grafana_sync": ROOT / "grafana_sync",
    "valuediff": ROOT / "valuediff",
    "connect_simulator": ROOT / "connect_simulator",
    "connect_ingest": ROOT / "infra" / "lambdas" / "connect_ingest",
    "dashboards": ROOT / "dashboards",
    "alerts": ROOT / "alerts",
    "cli": ROOT / "cli.py",
}
# package -> the packages it may import (DEVELOPERS.md, "Layers"); the neutral core imports none of ours.
ALLOWED = {
    "core": set(),
    "connect_ingest": set(),
    "sqlcheck": {"core", "connect_ingest"},
    "influxqlcheck": {"core", "connect_ingest"},
    "cloudwatchcheck": {"core", "connect_ingest"},
    "connect_simulator": {"core", "connect_ingest"},
    "localquery": {"core", "sqlcheck", "influxqlcheck", "connect_ingest"},
    "preview": {"core", "localquery"},
    "alerting": {"core"},
    "alerttest": {"core", "alerting", "localquery", "influxqlcheck", "connect_simulator", "connect_ingest"},
    "kinds": {"core", "sqlcheck", "influxqlcheck", "cloudwatchcheck", "localquery"},
    "dashcompiler": {"core", "kinds", "connect_ingest"},
    "grafana_sync": {"core"},
    "valuediff": {"core", "kinds", "localquery", "dashcompiler", "preview"},
    "dashboards": {"dashcompiler"},
    "alerts": {"dashcompiler"},
    "cli": set(SOURCES) - {"cli", "dashboards", "alerts"},
}


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of ours."""
    found: dict[str, Path] = {}
    for package, path in SOURCES.items():
        if path.is_file():
            found[package] = path
            continue
        for file in sorted(path.rglob("*.py")):
            parts = [package, *file.relative_to(path).with_suffix("").parts]
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = file
    return found


def _imports(module: str, file: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours `file` imports, resolved to the longest known dotted name."""
    is_package = file.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import submodule` imports the submodule; any other name comes from `base` itself
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != module:
                targets.add(".".join(parts))
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: _imports(module, file, modules) for module, file in modules.items()}


def test_packages_import_only_in_the_allowed_direction() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if (src := module.split(".")[0]) != (dst := target.split(".")[0]) and dst not in ALLOWED[src]
    )
    assert not wrong, "imports against the layering in DEVELOPERS.md:\n" + "\n".join(wrong)


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    assert not _cycles(graph), f"import cycles: {_cycles(graph)}"


def test_the_allowed_directions_themselves_have_no_cycle() -> None:
    assert not _cycles({package: set(allowed) for package, allowed in ALLOWED.items()})


def test_a_planted_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
