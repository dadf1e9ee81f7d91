"""`dash`: the command line. It parses arguments and calls the engine; nothing else.

Exit codes: 0 ok; 1 findings (stale output, differences, failed pushes);
2 usage, definition, SQL or config errors; 3 Grafana or AWS unreachable or refusing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dashcompiler.errors import ToolError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Grafana dashboards as code for Amazon Connect.",
)
err = Console(stderr=True, highlight=False)

ROOT_OPTION = typer.Option(Path("."), "--root", help="Repository root (where dash.yaml is).")
ENV_OPTION = typer.Option(None, "--env", help="Environment from dash.yaml; default: its default_env.")


@contextmanager
def reported() -> Iterator[None]:
    """Turn the engine's errors into one stderr line and the documented exit code."""
    try:
        yield
    except ToolError as exc:
        err.print(f"[red]error[/red] {exc}", markup=True, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


@app.command()
def simulate(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write (replaced if it holds an earlier simulation).")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same arguments give the same bytes.")] = 1,
    agents: Annotated[int, typer.Option("--agents", help="Number of agents.")] = 20,
    contacts: Annotated[int, typer.Option("--contacts", help="Customer-initiated contacts.")] = 500,
    start: Annotated[str, typer.Option("--start", help="ISO-8601 start of the period (UTC).")] = "2026-01-31T22:00:00Z",
    hours: Annotated[float, typer.Option("--hours", help="Length of the arrival period in hours.")] = 4.0,
) -> None:
    """Generate deterministic Amazon Connect traffic and its ground truth into --out."""
    from connect_simulator import SimulationConfig
    from connect_simulator import simulate as run_simulation

    with reported():
        config = SimulationConfig(seed=seed, agents=agents, contacts=contacts, start=start, hours=hours)
        manifest = run_simulation(out, config)
    counts = manifest["counts"]
    err.print(
        f"wrote {out}: {counts['contact_records']} contact records, {counts['ctr_lines']} CTR lines, "
        f"{counts['agent_events']} agent events, {counts['contact_events']} contact events, "
        f"{counts['collector_snapshots']} collector snapshots"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
