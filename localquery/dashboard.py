"""Every panel of several dashboards on local data, loading the data once: what a preview or a diff of values shows.

`dash query` runs one panel per call and loads its tables each time; seven dashboards of twenty panels would load
the data 140 times. Here the tables all panels read are loaded into one DuckDB session, each dashboard's variables
are chosen once (as Grafana chooses them on opening it), and each panel's failure is kept beside the others'
results instead of stopping the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from core.environment import Environment
from core.errors import QueryError, ServiceError, ToolError
from core.model import CompiledDashboard, RenderedQuery
from localquery.run import (
    Result,
    Session,
    VariableUse,
    checkable_variables,
    choose,
    describe_variables,
    execute,
    open_session,
    panel_queries,
    panel_variables,
    parse_instant,
    referenced_tables,
    shown,
    time_range,
    unmatched,
    variable_queries,
)
from localquery.selection import parse_assignments

# A panel the local engine cannot run (a real-time InfluxQL panel, say) may be run elsewhere:
# (board, panel key, the --var assignments that board declares) -> its rows.
ElsewhereRunner = Callable[[CompiledDashboard, str, Sequence[str]], list[Result]]


@dataclass(frozen=True)
class PanelOutcome:
    """One panel's rows, or why there are none: ``error`` is a failed query, ``skipped`` a panel no local engine
    can run (CloudWatch); a panel without queries (a text panel) has neither and no results."""

    key: str
    results: tuple[Result, ...] = ()
    error: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class DashboardRun:
    """A dashboard's panels by key, the values its DuckDB panels ran with, and --var values the data lacks."""

    outcomes: dict[str, PanelOutcome]
    variables: tuple[VariableUse, ...] = ()
    warnings: tuple[str, ...] = ()


def run_dashboards(
    env: Environment,
    boards: Sequence[CompiledDashboard],
    data: Path,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
    elsewhere: tuple[str, ElsewhereRunner] | None = None,
) -> dict[str, DashboardRun]:
    """Each board's uid -> its run over ``data`` in [start, end] (panels' own relative times kept). A --var applies
    to the boards that declare its variable; one no board declares is an error. ``elsewhere`` is (kind name,
    runner) for the panels of a kind to run outside DuckDB (InfluxQL on influxd). The tables every board reads
    are loaded once, into one session."""
    tr = time_range(parse_instant(start, "--from"), parse_instant(end, "--to"))
    given = parse_assignments(assignments)
    declared = {v.name for board in boards for v in board.variables}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise QueryError(
            f"--var {unknown[0]}: no dashboard previewed has such a variable; they declare: {', '.join(sorted(declared))}"
        )
    plans = {board.uid: _plan(board, elsewhere) for board in boards}
    needed: list[RenderedQuery] = []
    for board in boards:
        queries = [q for qs in plans[board.uid][1].values() for q in qs]
        own = _own(board, given)
        queried = variable_queries(board, queries, own) | set(checkable_variables(board, own)) if queries else set()
        needed += [*queries, *(q for name in sorted(queried) if (q := board.variable_query(name)) is not None)]
    session = open_session(data, env, tr, referenced_tables(needed, env)) if needed else None
    try:
        runs = {}
        for board in boards:
            outcomes, panels, remote = plans[board.uid]
            own = _own(board, given)
            mine = [a for a in assignments if a.partition("=")[0].strip() in own]
            for key in remote:
                assert elsewhere is not None
                outcomes[key] = _guarded(key, partial(elsewhere[1], board, key, mine))
            run = DashboardRun(outcomes)
            if panels and session is not None:
                run = _run_local(session, board, own, panels, outcomes)
            runs[board.uid] = DashboardRun(
                {key: run.outcomes[key] for key, _title in board.panels}, run.variables, run.warnings
            )
        return runs
    finally:
        if session is not None:
            session.con.close()


def run_dashboard(
    env: Environment,
    board: CompiledDashboard,
    data: Path,
    start: str,
    end: str,
    assignments: Sequence[str] = (),
    elsewhere: tuple[str, ElsewhereRunner] | None = None,
) -> DashboardRun:
    """``run_dashboards`` for one board."""
    return run_dashboards(env, [board], data, start, end, assignments, elsewhere)[board.uid]


def _own(board: CompiledDashboard, given: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    names = {v.name for v in board.variables}
    return {name: values for name, values in given.items() if name in names}


def _plan(
    board: CompiledDashboard, elsewhere: tuple[str, ElsewhereRunner] | None
) -> tuple[dict[str, PanelOutcome], dict[str, list[RenderedQuery]], list[str]]:
    """The outcomes known before running (no query, no engine), the panels DuckDB runs with their queries,
    and the panels ``elsewhere`` runs."""
    outcomes: dict[str, PanelOutcome] = {}
    local: dict[str, list[RenderedQuery]] = {}
    remote: list[str] = []
    for key, _title in board.panels:
        if not board.panel_queries(board.panel_data(key).source):
            outcomes[key] = PanelOutcome(key)
            continue
        queries = panel_queries(board, key)
        foreign = next((q for q in queries if q.kind.local_dialect is None), None)
        if foreign is None:
            local[key] = queries
        elif elsewhere is not None and foreign.kind.name == elsewhere[0]:
            remote.append(key)
        else:
            outcomes[key] = PanelOutcome(
                key, skipped=f"{foreign.kind.display_name} ({foreign.file.name}): no local engine runs this kind"
            )
    return outcomes, local, remote


def _run_local(
    session: Session,
    board: CompiledDashboard,
    given: dict[str, tuple[str, ...]],
    panels: dict[str, list[RenderedQuery]],
    outcomes: dict[str, PanelOutcome],
) -> DashboardRun:
    """The DuckDB panels of one board, its variables chosen once; a failing variable query fails every panel."""
    queried = variable_queries(board, [q for qs in panels.values() for q in qs], given)
    try:
        variables, chosen = choose(session, board, given, queried)
        warnings = unmatched(session, board, variables, chosen, given)
    except ToolError as exc:
        return DashboardRun({**outcomes, **{key: PanelOutcome(key, error=f"variables: {exc}") for key in panels}})

    def rows(key: str) -> list[Result]:
        return shown(board, key, [execute(session, q, variables, chosen) for q in panels[key]])

    used = describe_variables(board, panel_variables(board, [q for qs in panels.values() for q in qs]), chosen, given)
    ran = {key: _guarded(key, partial(rows, key)) for key in panels}
    return DashboardRun({**outcomes, **ran}, used, warnings)


def _guarded(key: str, run: Callable[[], list[Result]]) -> PanelOutcome:
    """One panel's rows, or its error's message (the tool's own errors say what and where)."""
    try:
        return PanelOutcome(key, tuple(run()))
    except ServiceError:
        raise  # an unreachable InfluxDB fails every panel: the run stops, as `dash query` does
    except ToolError as exc:
        return PanelOutcome(key, error=str(exc))
