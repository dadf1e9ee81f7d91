"""`dash`: the command line. It parses arguments and calls the engine; nothing else.

Exit codes: 0 ok; 1 findings (stale output, differences, failed pushes);
2 usage, definition, SQL or config errors; 3 Grafana or AWS unreachable or refusing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
def build(
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    check: bool = typer.Option(False, "--check", help="Build in memory; exit 1 naming each stale file."),
    out: Path | None = typer.Option(None, "--out", help="Output directory (default: <root>/provisioning)."),
) -> None:
    """Compile dashboards/ and queries/ into Grafana provisioning files."""
    from dashcompiler.build import OUTPUT_DIR, compile_project, stale_files, write_tree
    from dashcompiler.checks import check_queries

    with reported():
        result = compile_project(root, env)
        problems = check_queries(result.env, result.dashboards, root)
        if problems:
            from sqlcheck import format_problems

            err.print(format_problems(problems, "text"), soft_wrap=True, markup=False)
            err.print(f"[red]error[/red] {len(problems)} query problem(s); nothing was written")
            raise typer.Exit(2)
        target = out or root / OUTPUT_DIR
        if check:
            problems = stale_files(target, result.files)
            for problem in problems:
                err.print(problem, soft_wrap=True)
            raise typer.Exit(1 if problems else 0)
        write_tree(target, result.files)
        err.print(f"built {len(result.dashboards)} dashboards for {result.env.name} into {target}")


@app.command()
def validate(
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    output_format: str = typer.Option("text", "--format", help="text (file:line:col: rule: message) or json."),
) -> None:
    """Check every query of every panel against the data model; exit 1 on findings."""
    from dashcompiler.build import compile_project
    from dashcompiler.checks import check_queries
    from sqlcheck import format_problems

    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    with reported():
        result = compile_project(root, env)
        problems = check_queries(result.env, result.dashboards, root)
    if problems or output_format == "json":
        typer.echo(format_problems(problems, output_format))
    raise typer.Exit(1 if problems else 0)


@app.command("list")
def list_dashboards(root: Path = ROOT_OPTION, env: str | None = ENV_OPTION) -> None:
    """Print every dashboard and panel: uid, title, datasource, query file."""
    from rich.table import Table

    from dashcompiler.build import compile_project

    with reported():
        result = compile_project(root, env)
    header = ("dashboard", "panel", "title", "datasource", "query file")
    rows = [
        (board.uid, q.owner, q.title, q.datasource, str(q.file.relative_to(root)))
        for board in result.dashboards
        for q in board.queries
    ]
    out = Console(highlight=False)
    if not out.is_terminal:
        for row in (header, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    out.print(table)


@app.command()
def query(
    dashboard_uid: str = typer.Argument(..., help="Dashboard uid (see `dash list`)."),
    panel_key: str = typer.Argument(..., help="Panel key (see `dash list`)."),
    engine: str = typer.Option("local", "--engine", help="Only `local` for now: embedded DuckDB, no AWS."),
    data: Path = typer.Option(..., "--data", help="Data directory, e.g. from `dash simulate --out DIR`."),
    start: str = typer.Option(..., "--from", help="Range start, ISO-8601 (UTC unless an offset is given)."),
    end: str = typer.Option(..., "--to", help="Range end, ISO-8601; also what now() means."),
    var: list[str] = typer.Option([], "--var", help="NAME=VALUE; repeat a name for several values, VALUE All for all."),
    output_format: str = typer.Option("table", "--format", help="table or json (an array of row objects)."),
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
) -> None:
    """Run one panel's queries on local data (DuckDB) and print the rows."""
    with reported():
        if engine != "local" or output_format not in ("table", "json"):
            raise ToolError(f"--engine {engine} --format {output_format}: use --engine local and --format table|json")
        from localquery.output import print_tables, to_json
        from localquery.run import run_panel

        results = run_panel(root, env, dashboard_uid, panel_key, data, start, end, var)
    if output_format == "json":
        typer.echo(to_json(results))
    else:
        print_tables(results, Console(highlight=False))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
