"""Load dashboards/*.py and check the definitions before anything is rendered.

Each module defines DASHBOARD (one dashcompiler.api.Dashboard) or DASHBOARDS
(a sequence). Modules whose names start with "_" are shared helpers, not
dashboards. A Python error (or an exit) in a definition is reported at the innermost
line of any definition module, shared helpers included, with the path as the root was given.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from core.errors import DefinitionError
from core.files import not_utf8
from core.model import panel_id
from dashcompiler.api import Dashboard, Panel, PanelResult, RealtimeQuery, Row
from kinds import REALTIME_STORES, kind_of

UID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_UID = 40


def row_key(row: Row) -> str:
    """What a row header's id derives from: its key, else a slug of its title."""
    return row.key or "row_" + "_".join("".join(c if c.isalnum() else " " for c in row.title.lower()).split())


@dataclass(frozen=True)
class Definition:
    dashboard: Dashboard
    source: Path


def load_definitions(dashboards_dir: Path) -> list[Definition]:
    """Import every definition module, in file-name order, and check them."""
    if not dashboards_dir.is_dir():
        raise DefinitionError(f"{dashboards_dir}: no dashboards directory; run dash from the repository root")
    isolate(dashboards_dir)
    found: list[Definition] = []
    for path in sorted(dashboards_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = import_definition(path)
        boards = getattr(module, "DASHBOARDS", None) or [getattr(module, "DASHBOARD", None)]
        for board in boards:
            if not isinstance(board, Dashboard):
                raise DefinitionError(f"{path}: define DASHBOARD = Dashboard(...) (or DASHBOARDS = [...])")
            found.append(Definition(board, path))
    check_definitions(found)
    return found


def isolate(dashboards_dir: Path) -> None:
    """Make `dashboards` (or `alerts`: the folder's name) mean this project's package, even after loading another's."""
    root = str(dashboards_dir.parent.resolve())
    package = dashboards_dir.name
    for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        del sys.modules[name]
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)


def import_definition(path: Path) -> object:
    """Run one definition module (of dashboards/ or alerts/); any way it fails is a DefinitionError at the innermost
    definition line."""
    name = f"{path.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DefinitionError(f"{path}: cannot be imported")
    problem = not_utf8(path.read_bytes())
    if problem is not None:
        raise DefinitionError(f"{path}: {problem}; save the definition as UTF-8 text")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        where = _shown(exc.filename, path.parent)
        where = f"{where}:{exc.lineno}" if where else _where(exc, path)
        raise DefinitionError(f"{where}: syntax error in definition: {exc.msg}; fix the Python there") from None
    except ModuleNotFoundError as exc:
        raise DefinitionError(f"{_where(exc, path)}: {_missing(exc.name, path.parent)}") from None
    except SystemExit as exc:
        raise DefinitionError(
            f"{_where(exc, path)}: the definition exits (SystemExit{f': {exc.code}' if exc.code is not None else ''}) "
            "while it is loaded; a definition only defines what it ships, so raise an exception with a message instead"
        ) from None
    except Exception as exc:
        raise DefinitionError(
            f"{_where(exc, path)}: {type(exc).__name__} in definition: {exc}; fix the code at that line"
        ) from None
    return module


def _shown(filename: str | None, folder: Path) -> str:
    """`filename` as a path under the definitions folder as the user named it, or "" if it is not in there."""
    if not filename:
        return ""
    try:
        inside = Path(filename).resolve().relative_to(folder.resolve())
    except ValueError:
        return ""
    return str(folder / inside)


def _where(exc: BaseException, path: Path) -> str:
    """file:line of the innermost frame in any definition module (a dashboard or a shared `_` helper)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        shown = _shown(frame.filename, path.parent)
        if shown:
            return f"{shown}:{frame.lineno}"
    return str(path)


def _missing(module: str | None, folder: Path) -> str:
    """What a failed import names, and what to do about it."""
    if module and (module == folder.name or module.startswith(f"{folder.name}.")):
        wanted = folder / Path(*module.split(".")[1:]).with_suffix(".py")
        return f"imports {module!r}, but there is no {wanted}; create it or fix the import"
    return (
        f"imports module {module!r}, which is not installed; fix the name, or add the package to the "
        "project's dependencies (pyproject.toml)"
    )


def check_definitions(definitions: list[Definition]) -> None:
    """Everything that can be wrong with the definitions themselves, first found first."""
    seen: dict[str, Path] = {}
    for definition in definitions:
        board, path = definition.dashboard, definition.source
        where = f"{path}: dashboard {board.uid!r}"
        if not UID.match(board.uid) or len(board.uid) > MAX_UID:
            raise DefinitionError(
                f"{where}: uid must be a slug of lower-case letters, digits and hyphens, "
                f"at most {MAX_UID} characters (this one has {len(board.uid)})"
            )
        if board.uid in seen:
            raise DefinitionError(f"{where}: uid already used by {seen[board.uid]}; dashboard uids must be unique")
        seen[board.uid] = path
        if not board.title.strip():
            raise DefinitionError(f"{where}: title is empty")
        _check_panels(board, where)
        _check_variables(board, where)
    for definition in definitions:
        _check_reuses(definition, definitions)


def _check_panels(board: Dashboard, where: str) -> None:
    """Every key is well formed, and every row header and panel gets an id no other one has."""
    owners: dict[int, tuple[str, str]] = {}  # panel id -> (key, what it identifies)
    for row in board.rows:
        for key in ([row.key] if row.key else []) + [p.key for p in row.panels]:
            if not KEY.match(key):
                raise DefinitionError(f"{where}: key {key!r} must be lower snake_case (a-z, 0-9, _)")
        if row.collapsed and not row.title:
            raise DefinitionError(f"{where}: a row without a title has no header to collapse; give it a title")
        claims = [(p.key, f"panel {p.key!r}") for p in row.panels]
        if row.title:
            origin = "" if row.key else ", from its title"
            claims.insert(0, (row_key(row), f"row {row.title!r} (key {row_key(row)!r}{origin})"))
        for key, owner in claims:
            pid = panel_id(key)
            if pid in owners:
                first_key, first = owners[pid]
                clash = f"key {key!r} is used twice" if first_key == key else f"keys hash to the same panel id {pid}"
                raise DefinitionError(
                    f"{where}: {first} and {owner}: {clash}; keys identify panels and must be unique, so "
                    "rename one (a row takes key=... instead of its title's slug)"
                )
            owners[pid] = (key, owner)
        for panel in row.panels:
            _check_queries(panel, f"{where}, panel {panel.key!r}")


def _panels(board: Dashboard) -> dict[str, Panel]:
    return {p.key: p for row in board.rows for p in row.panels}


def _reused(panel: Panel) -> PanelResult | None:
    return next((q for q in panel.queries if isinstance(q, PanelResult)), None)


def _check_reuses(definition: Definition, definitions: list[Definition]) -> None:
    """Each PanelResult names a panel of the same dashboard that runs its own queries, as Grafana's Dashboard
    datasource requires (it finds the source by id on the open dashboard, and offers no chains); the source's
    range is what the panel shows, so a relative time of its own may only say the same."""
    board = definition.dashboard
    panels = _panels(board)
    for panel in panels.values():
        reuse = _reused(panel)
        if reuse is None:
            continue
        where = f"{definition.source}: dashboard {board.uid!r}, panel {panel.key!r}"
        source = panels.get(reuse.panel)
        if source is None:
            elsewhere = [d.dashboard.uid for d in definitions if reuse.panel in _panels(d.dashboard)]
            if elsewhere:
                raise DefinitionError(
                    f"{where}: PanelResult({reuse.panel!r}) names a panel of dashboard {elsewhere[0]!r}; Grafana's "
                    "Dashboard datasource reads panels of the same dashboard only: give this panel its own query"
                )
            raise DefinitionError(
                f"{where}: PanelResult({reuse.panel!r}) names no panel of this dashboard; keys here: "
                f"{', '.join(sorted(panels))}"
            )
        if source is panel or _reused(source) is not None:
            raise DefinitionError(
                f"{where}: PanelResult({reuse.panel!r}) names a panel that itself re-uses a result; Grafana "
                "offers no chains: name the panel whose queries run"
            )
        if panel.time_from is not None and panel.time_from != source.time_from:
            raise DefinitionError(
                f"{where}: time_from={panel.time_from!r}, but it shows panel {reuse.panel!r}'s result, queried over "
                f"{source.time_from or 'the dashboard range'!r}; give both the same time_from, or none to this one"
            )


def _check_queries(panel: Panel, where: str) -> None:
    if _reused(panel) is not None:
        if len(panel.queries) > 1 or panel.stores:
            raise DefinitionError(
                f"{where}: a PanelResult is the panel's only query, without stores options (Grafana's Dashboard "
                "datasource reads one target); put the source panel's queries and transformations on it"
            )
        return
    kinds = set()
    for query in panel.queries:
        if isinstance(query, RealtimeQuery):
            kinds.add("real-time")
            continue
        try:
            kinds.add(kind_of(query).display_name)
        except DefinitionError as exc:
            raise DefinitionError(f"{where}: {exc}, or RealtimeQuery for the real-time store") from None
    if len(kinds) > 1:
        raise DefinitionError(f"{where}: mixes {' and '.join(sorted(kinds))} queries; use one datasource per panel")
    unknown = sorted(set(panel.stores) - set(REALTIME_STORES))
    if unknown:
        raise DefinitionError(
            f"{where}: stores has {unknown[0]!r}, not a real-time store: {', '.join(REALTIME_STORES)}"
        )
    if panel.stores and not any(isinstance(q, RealtimeQuery) for q in panel.queries):
        raise DefinitionError(
            f"{where}: stores options apply to real-time queries (RealtimeQuery); this panel has none"
        )
    for store, options in panel.stores.items():
        ref_ids = [q.ref_id for q in (*panel.queries, *options.queries)]
        if len(set(ref_ids)) != len(ref_ids):
            raise DefinitionError(f"{where}: two queries share refId in the {store} store; give each a distinct ref_id")
    ref_ids = [q.ref_id for q in panel.queries]
    if len(set(ref_ids)) != len(ref_ids):
        raise DefinitionError(f"{where}: two queries share refId; give each a distinct ref_id")


def _check_variables(board: Dashboard, where: str) -> None:
    names = [v.name for v in board.variables]
    for name in names:
        if names.count(name) > 1:
            raise DefinitionError(f"{where}: variable ${name} is defined twice")
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) or name.startswith("__"):
            raise DefinitionError(f"{where}: variable name {name!r} is not a valid Grafana variable name")
