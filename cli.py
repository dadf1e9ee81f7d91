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


env_app = typer.Typer(no_args_is_help=True, help="Manage the environments in dash.yaml.")
app.add_typer(env_app, name="env")
OUTPUTS_ARGUMENT = typer.Argument(..., help="File written by `terraform output -json` in infra/.")
ENV_NAME_OPTION = typer.Option(..., "--env", help="Environment to write (created from default_env if new).")


@env_app.command("import")
def env_import(
    outputs: Path = OUTPUTS_ARGUMENT,
    env: str = ENV_NAME_OPTION,
    root: Path = ROOT_OPTION,
) -> None:
    """Write Terraform's outputs (regions, databases, workgroup, result location) into dash.yaml."""
    from dashcompiler.env_import import import_environment

    with reported():
        changes = import_environment(root, outputs, env)
    for change in changes:
        typer.echo(f"{env}.{change.key}: {change.old} -> {change.new}")
    typer.echo(f"{env}: {len(changes)} value(s) changed")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
