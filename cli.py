"""`dash`: the command line. It parses arguments and composes the stages; nothing else.

The stages, one way: definitions -> model (dashcompiler.compile) -> problems (dashcompiler.checks) ->
files (dashcompiler.artifacts) -> write or stale check (dashcompiler.output) or push (grafana_sync).

Exit codes: 0 ok; 1 findings (validate's query problems, stale output, differences, pushes failed or
skipped); 2 usage, definition, SQL or config errors; 3 Grafana unreachable or refusing (no command calls AWS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer
from rich.console import Console
from rich.markup import escape

from core.errors import ToolError, UsageError

if TYPE_CHECKING:
    from rich.table import Table

    from core.problems import Problem
    from dashcompiler.compile import Model
    from dashcompiler.config import Config
    from localquery.run import PanelRun

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Grafana dashboards as code for Amazon Connect.",
)
err = Console(stderr=True, highlight=False)

ROOT_OPTION = typer.Option(Path("."), "--root", help="Repository root (where dash.yaml is).")
ENV_OPTION = typer.Option(None, "--env", help="Environment from dash.yaml; default: its default_env.")


def _version(shown: bool) -> None:
    """`dash --version`: the installed package's version, else pyproject.toml's beside this file (a checkout)."""
    if not shown:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("connect-dashboards")
    except PackageNotFoundError:
        import tomllib

        number = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text())["project"]["version"]
    typer.echo(f"dash {number}")
    raise typer.Exit(0)


@app.callback()
def dash(
    version: bool = typer.Option(
        False, "--version", help="Print dash's version and exit.", is_eager=True, callback=_version
    ),
) -> None:
    """Grafana dashboards as code for Amazon Connect."""


@contextmanager
def reported() -> Iterator[None]:
    """Turn the engine's errors into one stderr line and the documented exit code."""
    try:
        yield
    except ToolError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}", markup=True, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def _model(root: Path, env: str | None) -> Model:
    """Definitions -> model, after the data-model declaration itself is checked."""
    from dashcompiler.checks import check_data_model
    from dashcompiler.compile import compile_model

    check_data_model()
    return compile_model(root, env)


def _checked_files(root: Path, env: str | None) -> tuple[Model, dict[str, bytes]]:
    """The model and its bundle, when every query passes its checks (else exit 2, nothing written)."""
    from dashcompiler.artifacts import bundle_files
    from dashcompiler.checks import check_model, require_no_problems

    model = _model(root, env)
    require_no_problems(check_model(model, root))
    return model, bundle_files(model)


def _bundle(root: Path, env: str | None, bundle: Path | None) -> dict[str, bytes]:
    """What push and diff send: the checked build, or a folder `dash build` wrote."""
    from grafana_sync.bundle import read_bundle_dir

    if bundle is None:
        return _checked_files(root, env)[1]
    return read_bundle_dir(bundle if bundle.is_absolute() else root / bundle)


def _committed_folder(root: Path, env: str | None) -> Path:
    """The folder `dash build` commits --env's bundle into (dash.yaml's outputs), which a git ref holds too."""
    from dashcompiler.config import load_config

    config = load_config(root)
    name = env or config.default_env
    if name not in config.outputs:
        raise UsageError(
            f"environment {name!r} has no committed folder (outputs in dash.yaml), so a git ref holds none of its "
            "dashboards; pass --bundle DIR with the folder to compare"
        )
    return Path(config.outputs[name])


@app.command()
def build(
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    check: bool = typer.Option(
        False,
        "--check",
        help="Build in memory; exit 1 naming each stale, missing or extra file (bundles, infra/generated/, docs/panels.md).",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Write only the provisioning bundle of --env (default: default_env) to this directory."
    ),
) -> None:
    """Compile dashboards/ and queries/ (every query checked) into each environment's folder under dash.yaml's
    outputs (default: default_env into provisioning/), infra/generated/ and docs/panels.md."""
    from dashcompiler.artifacts import generated_files
    from dashcompiler.config import load_config
    from dashcompiler.output import check_replaceable, stale_files, stale_generated, write_generated, write_tree

    with reported():
        targets = _targets(load_config(root), root, env, out)
        if not check:
            for target in targets.values():
                check_replaceable(target)
        config = load_config(root)
        built = {name: _checked_files(root, name) for name in targets}
        default = built[config.default_env][0] if config.default_env in built else _model(root, config.default_env)
        generated = generated_files(default)
        if check:
            problems = [p for name, target in targets.items() for p in stale_files(target, built[name][1])]
            problems += stale_generated(root, generated)
            for problem in problems:
                err.print(problem, soft_wrap=True)
            if not problems:
                each = ", ".join(f"{name} ({len(built[name][0].dashboards)} dashboards)" for name in targets)
                err.print(f"up to date: {each}, infra/generated/ and docs/panels.md", soft_wrap=True)
            raise typer.Exit(1 if problems else 0)
        for name, target in targets.items():
            write_tree(target, built[name][1])
            rules = sum(len(group.rules) for group in built[name][0].alerts)
            alerting = f" and {rules} alert rules" if rules else ""
            err.print(f"built {len(built[name][0].dashboards)} dashboards{alerting} for {name} into {target}")
        if out is None:
            write_generated(root, generated)


def _targets(config: Config, root: Path, env: str | None, out: Path | None) -> dict[str, Path]:
    """Environment -> folder to build: --out for one environment, its committed folder, or every committed one."""
    if out is not None:
        name = config.env(env).name
        owner = next((o for o, folder in config.outputs.items() if (root / folder).resolve() == out.resolve()), name)
        if owner != name:
            raise UsageError(
                f"--out {out} is environment {owner!r}'s committed folder ({config.path}: outputs.{owner}); building "
                f"{name!r} into it would replace {owner}'s bundle. Use another folder, or outputs.{name} in dash.yaml"
            )
        return {name: out}
    if env is None:
        return {name: root / folder for name, folder in config.outputs.items()}
    name = config.env(env).name
    if name not in config.outputs:
        raise UsageError(
            f"environment {name!r} has no folder under outputs in {config.path}; pass --out DIR, or add "
            f"outputs.{name}: FOLDER to commit its bundle"
        )
    return {name: root / config.outputs[name]}


@app.command()
def validate(
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    output_format: str = typer.Option("text", "--format", help="text (file:line:col: rule: message) or json."),
    data: Path | None = typer.Option(
        None,
        "--data",
        help="Also run every panel and variable query on this `dash simulate` folder (default selection and one "
        "value of each variable); a panel with no rows, only nulls or an error is a finding.",
    ),
    start: str | None = typer.Option(None, "--from", help="With --data: range start (default: the simulation's)."),
    end: str | None = typer.Option(None, "--to", help="With --data: range end and now (default: last arrival)."),
) -> None:
    """Check the data model, then every panel and variable query against it (and with --data, run them on local
    data); exit 1 on findings."""
    from core.problems import format_problems
    from dashcompiler.checks import check_model

    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    fmt: Literal["text", "json"] = "json" if output_format == "json" else "text"
    ran = ""
    with reported():
        if data is None and (start or end):
            raise UsageError("--from and --to go with --data DIR")
        model = _model(root, env)
        problems = check_model(model, root)
        if data is not None:
            found, ran = _validate_data(root, env, model, data, start, end)
            problems = [*problems, *found]
    if problems or fmt == "json":
        typer.echo(format_problems(problems, fmt))
    else:
        queries = sum(len(board.queries) for board in model.dashboards)
        rules = [rule for group in model.alerts for rule in group.rules]
        queries += sum(len(rule.queries) for rule in rules)
        alerting = f" and {len(rules)} alert rules" if rules else ""
        typer.echo(
            f"ok: {queries} queries in {len(model.dashboards)} dashboards{alerting} of {model.env.name} checked, "
            "no findings" + ran
        )
    raise typer.Exit(1 if problems else 0)


def _validate_data(
    root: Path, env: str | None, model: Model, data: Path, start: str | None, end: str | None
) -> tuple[list[Problem], str]:
    """`validate --data`: the findings of running every query on ``data``, and what ran, for the summary line.

    An environment whose real-time store the local engine cannot run (InfluxDB) runs its real-time queries as their
    Timestream SQL twins, and says so: its InfluxQL is not run here."""
    import time

    from dashcompiler.compile import compile_model
    from kinds import KINDS
    from localquery.datacheck import check_data, span_of

    span = span_of(data)
    if (start is None or end is None) and span is None:
        raise UsageError(f"--data {data}: no manifest.json with the simulation's span; give --from and --to")
    begin, finish = start or (span[0] if span else ""), end or (span[1] if span else "")
    runs_model = model
    if KINDS[model.env.realtime_store].local_dialect is None:
        store = KINDS[model.env.realtime_store]
        native = sum(q.kind is store for board in model.dashboards for q in board.queries)
        err.print(
            f"note: {model.env.name} keeps real-time data in {KINDS[model.env.realtime_store].display_name}: its "
            f"{native} InfluxQL queries are not run here (`dash query --engine influxdb` runs a panel's on an "
            "InfluxDB); their Timestream SQL twins (queries/timestream/, the same names) run in their place",
            soft_wrap=True,
        )
        runs_model = compile_model(root, env, twin=True)
    clock = time.monotonic()
    checked = check_data(runs_model.env, runs_model.dashboards, data, begin, finish, root)
    for kind, count in sorted(checked.not_run.items()):
        if KINDS[model.env.realtime_store].display_name != kind:
            err.print(f"note: {count} {kind} queries are not run here: no local engine reads them", soft_wrap=True)
    seconds = time.monotonic() - clock
    return checked.problems, (
        f"; {checked.queries} query runs on {data} ({begin} to {finish}) in {seconds:.1f} s, every panel and "
        "variable returned values"
    )


@app.command("list")
def list_dashboards(root: Path = ROOT_OPTION, env: str | None = ENV_OPTION) -> None:
    """Print each dashboard's panels (key, title, datasource, query file; "-" for a panel without a query) and
    variables (with their opening value): a table per dashboard on a terminal, tab-separated lines when piped."""
    from dashcompiler.listing import HEADER, list_rows

    with reported():
        rows = list_rows(_model(root, env).dashboards, root)
    out = Console(highlight=False)
    if not out.is_terminal:
        for row in (HEADER, *rows):
            typer.echo("\t".join(row))
        return
    for uid in dict.fromkeys(row[0] for row in rows):
        mine = [row for row in rows if row[0] == uid]
        out.print(f"[bold]{uid}[/bold]  {escape(mine[0][1])}", soft_wrap=True)
        panels = [row for row in mine if not row[2].startswith("$")]
        variables = [row for row in mine if row[2].startswith("$")]
        out.print(_list_table(("panel", "title", "query (under queries/)"), [(r[2], r[3], r[5]) for r in panels]))
        out.print(
            _list_table(
                ("variable", "label", "values from", "default"),
                [(r[2], r[3], r[5] if r[5] != "-" else r[4], r[6]) for r in variables],
            )
        )


def _list_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """Keys and variable names, which a user copies into commands, are never folded or cut; the rest folds."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(header[0], no_wrap=True, min_width=max((len(row[0]) for row in rows), default=0))
    for name in header[1:]:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell.removeprefix("queries/")) for cell in row))
    return table


URL_OPTION = typer.Option(None, "--grafana-url", help="Grafana base URL, e.g. https://grafana.example.com")
BUNDLE_OPTION = typer.Option(
    None, "--bundle", help="Use this already-built provisioning directory instead of building --env in memory."
)
TOKEN_OPTION = typer.Option(None, "--token", help="Service-account token; default: $GRAFANA_TOKEN.")
USER_OPTION = typer.Option(None, "--user", help="Basic-auth user (password: --password or $GRAFANA_PASSWORD).")
PASSWORD_OPTION = typer.Option(None, "--password", help="Basic-auth password; prefer $GRAFANA_PASSWORD.")
ORG_OPTION = typer.Option(1, "--org-id", help="Sent as X-Grafana-Org-Id.")
CA_CERT_OPTION = typer.Option(None, "--ca-cert", help="CA bundle to verify Grafana's TLS certificate.")
INSECURE_OPTION = typer.Option(False, "--insecure", help="Skip TLS verification (prints a warning).")
TIMEOUT_OPTION = typer.Option(10.0, "--timeout", help="Seconds per request.")
ONLY_OPTION = typer.Option([], "--only", help="Push only this dashboard uid (repeatable; alerting is left out).")


@app.command()
def push(
    grafana_url: str = typer.Option(..., "--grafana-url", help="Grafana base URL, e.g. https://grafana.example.com"),
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    bundle: Path | None = BUNDLE_OPTION,
    token: str | None = TOKEN_OPTION,
    user: str | None = USER_OPTION,
    password: str | None = PASSWORD_OPTION,
    org_id: int = ORG_OPTION,
    ca_cert: Path | None = CA_CERT_OPTION,
    insecure: bool = INSECURE_OPTION,
    timeout: float = TIMEOUT_OPTION,
    concurrency: int = typer.Option(8, "--concurrency", help="Dashboards pushed at once."),
    retries: int = typer.Option(5, "--retries", help="Attempts per request on 429, 5xx, timeouts, resets."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan; write nothing."),
    only: list[str] = ONLY_OPTION,
    prune: bool = typer.Option(
        False,
        "--prune",
        help="Delete dashboards and alert rules in managed folders that the repository lacks.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Overwrite dashboards and alerting objects changed in Grafana since the last push."
    ),
    update_secrets: bool = typer.Option(
        False, "--update-secrets", help="Re-send datasource and contact-point secrets from the environment."
    ),
) -> None:
    """Push folders, datasources, dashboards, contact points, the policy tree and alert rules to a running Grafana;
    unchanged ones are not written."""
    from grafana_sync.plan import Scope
    from grafana_sync.push import GrafanaOptions, check_options
    from grafana_sync.push import push as push_bundle

    with reported():
        options = GrafanaOptions(
            grafana_url, token, user, password, org_id, ca_cert, insecure, timeout, concurrency, retries
        )
        check_options(options)
        scope = Scope(frozenset(only), prune, force, update_secrets)
        files = _bundle(root, env, bundle)
        code = push_bundle(files, options, scope, dry_run, os.environ, Console(highlight=False), err)
    raise typer.Exit(code)


@app.command()
def diff(
    grafana_url: str | None = URL_OPTION,
    git: str | None = typer.Option(
        None, "--git", help="Compare provisioning/ (or --bundle) at this git ref with the current build (Markdown)."
    ),
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    bundle: Path | None = BUNDLE_OPTION,
    token: str | None = TOKEN_OPTION,
    user: str | None = USER_OPTION,
    password: str | None = PASSWORD_OPTION,
    org_id: int = ORG_OPTION,
    ca_cert: Path | None = CA_CERT_OPTION,
    insecure: bool = INSECURE_OPTION,
    timeout: float = TIMEOUT_OPTION,
    concurrency: int = typer.Option(8, "--concurrency", help="Dashboards read at once."),
    retries: int = typer.Option(5, "--retries", help="Attempts per request on 429, 5xx, timeouts, resets."),
    data: Path | None = typer.Option(
        None, "--data", help="With --git: run each changed panel of both revisions on this data directory."
    ),
    start: str | None = typer.Option(None, "--from", help="With --data: range start, ISO-8601."),
    end: str | None = typer.Option(None, "--to", help="With --data: range end, ISO-8601; also what now() means."),
    var: list[str] = typer.Option(
        [], "--var", help="With --data: NAME=VALUE, as `dash query`; unset: each dashboard's default."
    ),
    markdown: str | None = typer.Option(
        None, "--markdown", help="With --git: write the Markdown to this file (- for standard output, the default)."
    ),
    png: Path | None = typer.Option(
        None, "--png", help="With --data: each changed dashboard drawn before and after, DIR/before and DIR/after."
    ),
) -> None:
    """Show per-dashboard, per-panel and per-alert-rule differences against Grafana (--grafana-url) or a git ref
    (--git); exit 1 if any.

    With --git and --data, also the values both revisions compute for every changed panel on the same data."""
    from grafana_sync.gitdiff import diff_git
    from grafana_sync.push import GrafanaOptions, check_options, diff_live

    with reported():
        if (grafana_url is None) == (git is None):
            raise UsageError("pass exactly one of --grafana-url URL and --git REF")
        _check_value_options(git, data, start, end, var, markdown)
        if png is not None and data is None:
            raise UsageError("--png needs --data DIR (the data both revisions are drawn on)")
        if grafana_url is not None:
            check_options(
                GrafanaOptions(
                    grafana_url, token, user, password, org_id, ca_cert, insecure, timeout, concurrency, retries
                )
            )
        files = _bundle(root, env, bundle)
        if git is not None:
            text, code = diff_git(root, git, root / (bundle or _committed_folder(root, env)), files)
            if data is not None and start is not None and end is not None:
                from valuediff.gitvalues import value_diff

                text += "\n" + value_diff(root, git, env, data, start, end, var, png)
            _write_markdown(text, markdown)
        else:
            assert grafana_url is not None  # exactly one of the two, checked above
            options = GrafanaOptions(
                grafana_url, token, user, password, org_id, ca_cert, insecure, timeout, concurrency, retries
            )
            code = diff_live(files, options, os.environ, Console(highlight=False), err)
    raise typer.Exit(code)


def _check_value_options(
    git: str | None, data: Path | None, start: str | None, end: str | None, var: list[str], markdown: str | None
) -> None:
    """--data and its range only with --git, and all together."""
    if git is None and (data is not None or start or end or var or markdown):
        raise UsageError("--data, --from, --to, --var and --markdown go with --git REF")
    if data is None and (start or end or var):
        raise UsageError("--from, --to and --var need --data DIR (the data both revisions run on)")
    if data is not None and not (start and end):
        raise UsageError("--data needs --from and --to (the range both revisions run over)")


def _write_markdown(text: str, markdown: str | None) -> None:
    """Standard output, or a file replaced whole."""
    if markdown is None or markdown == "-":
        typer.echo(text)
        return
    from core.files import replace_file

    try:
        replace_file(Path(markdown), (text + "\n").encode())
    except OSError as exc:
        raise UsageError(f"--markdown {markdown}: cannot be written ({exc.strerror or exc})") from None


env_app = typer.Typer(no_args_is_help=True, help="Manage the environments in dash.yaml.")
app.add_typer(env_app, name="env")
OUTPUTS_ARGUMENT = typer.Argument(..., help="File written by `terraform output -json` in infra/.")
ENV_NAME_OPTION = typer.Option(..., "--env", help="Environment to write (created from default_env if new).")


@env_app.command("import")
def env_import(
    outputs: Path = OUTPUTS_ARGUMENT,
    env: str = ENV_NAME_OPTION,
    root: Path = ROOT_OPTION,
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Rewrite an environment whose bundle is committed (dash.yaml outputs)."
    ),
) -> None:
    """Write Terraform's outputs (regions, instance id, databases, workgroup, result location, CTR table) into dash.yaml."""
    from dashcompiler.env_import import import_environment

    with reported():
        imported = import_environment(root, outputs, env, overwrite)
    for change in imported.changes:
        typer.echo(f"{env}.{change.key}: {change.old} -> {change.new}")
    typer.echo(f"{env}: {len(imported.changes)} value(s) changed")
    if imported.copied_from:
        typer.echo(
            f"{env} is new: it starts from {imported.copied_from}, with its own datasource uids and folder titles; "
            f"kept as {imported.copied_from} has them (check they fit {env}): {', '.join(imported.copied)}"
        )


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", help="Directory to write: new, empty, or an earlier simulation (replaced)."),
    seed: int = typer.Option(1, "--seed", help="Random seed (>= 0); same arguments give the same bytes."),
    agents: int = typer.Option(20, "--agents", help="Number of agents, 3 to 5000."),
    contacts: int = typer.Option(
        500, "--contacts", help="Customer-initiated contacts, 0 to 2,000,000 (transfers and callbacks add records)."
    ),
    start: str = typer.Option("2026-01-31T22:00:00Z", "--start", help="ISO-8601 start of the period (UTC)."),
    hours: float = typer.Option(4.0, "--hours", help="Length of the arrival period in hours, 0.1 to 744."),
    incident: str = typer.Option(
        "", "--incident", help="Layer a named incident on the run (see `dash alerts test --help`); default: none."
    ),
) -> None:
    """Generate deterministic Amazon Connect traffic and its ground truth into --out."""
    from connect_simulator import SimulationConfig
    from connect_simulator import simulate as run_simulation

    with reported():
        config = SimulationConfig(seed, agents, contacts, start, hours, incident=incident)
        manifest = run_simulation(out, config)
    counts = manifest["counts"]
    err.print(
        f"wrote {out}: {counts['contact_records']} contact records, {counts['ctr_lines']} CTR lines, "
        f"{counts['agent_events']} agent events, {counts['contact_events']} contact events, "
        f"{counts['collector_snapshots']} collector snapshots"
    )


@app.command()
def query(
    dashboard_uid: str = typer.Argument(..., help="Dashboard uid (see `dash list`)."),
    panel_key: str = typer.Argument(..., help="Panel key (see `dash list`)."),
    engine: str = typer.Option(
        "local",
        "--engine",
        help="local (embedded DuckDB over --data) or influxdb (a running InfluxDB at --influx-url).",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="With --engine local: data directory, e.g. `dash simulate`'s."
    ),
    influx_url: str | None = typer.Option(None, "--influx-url", help="With --engine influxdb: its HTTP API's URL."),
    influx_database: str | None = typer.Option(
        None, "--influx-database", help="With --engine influxdb: the database (default: the environment's)."
    ),
    start: str = typer.Option(..., "--from", help="Range start, ISO-8601 (UTC unless an offset is given)."),
    end: str = typer.Option(..., "--to", help="Range end, ISO-8601; also what now() means."),
    var: list[str] = typer.Option(
        [], "--var", help="NAME=VALUE; repeat a name for several values, VALUE All for all; unset: Grafana's default."
    ),
    output_format: str = typer.Option("table", "--format", help="table or json (an array of row objects)."),
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
) -> None:
    """Run one panel's queries on local data (DuckDB) or a running InfluxDB, and print the rows.

    InfluxDB credentials come from the environment: INFLUX_TOKEN, or INFLUX_USERNAME and INFLUX_PASSWORD."""
    with reported():
        if output_format not in ("table", "json"):
            raise UsageError(f"--format {output_format}: use table or json")
        from localquery.output import print_tables, to_json
        from localquery.run import PanelRun, find_board

        if engine == "local" and data is not None and influx_url is None:
            from localquery.run import run_panel_report

            model = _local_model(root, env)
            run = run_panel_report(model.env, model.dashboards, dashboard_uid, panel_key, data, start, end, var)
        elif engine == "influxdb" and influx_url is not None and data is None:
            from kinds import KINDS
            from localquery.influx import auth_from_environ
            from localquery.influx_panel import InfluxTarget, run_influx_panel

            auth = auth_from_environ(os.environ)  # a credential that cannot be sent stops before the build
            model = _model(root, env)
            target = InfluxTarget(influx_url, influx_database or model.env.influxdb_database, auth)
            results = run_influx_panel(
                KINDS["influxdb"], model.dashboards, dashboard_uid, panel_key, target, start, end, var
            )
            run = PanelRun(results, (), (), ())
        else:
            raise UsageError(f"--engine {engine}: use --engine local --data DIR, or --engine influxdb --influx-url URL")
        board = find_board(model.dashboards, dashboard_uid)
        for warning in run.warnings:
            err.print(f"[yellow]warning[/yellow] {escape(warning)}", markup=True, soft_wrap=True)
        if output_format == "json":
            typer.echo(to_json(run.results))
            return
        out = Console(highlight=False)
        if engine == "local":
            _print_variables(run, out)
        print_tables(run.results, out, board.panel_json(panel_key), f"{board.source}: panel {panel_key!r}")


@app.command()
def preview(
    dashboard_uids: list[str] = typer.Argument(None, help="Dashboard uids (see `dash list`); none: every dashboard."),
    data: Path = typer.Option(..., "--data", help="Data directory, e.g. `dash simulate`'s."),
    start: str = typer.Option(..., "--from", help="Range start, ISO-8601 (UTC unless an offset is given)."),
    end: str = typer.Option(..., "--to", help="Range end, ISO-8601; also what now() means."),
    var: list[str] = typer.Option(
        [], "--var", help="NAME=VALUE; repeat a name for several values, VALUE All for all; unset: Grafana's default."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for <uid>.html (and <uid>.png); created if absent."),
    png: bool = typer.Option(False, "--png", help="Also a full-page screenshot per dashboard (headless Chromium)."),
    influx_url: str | None = typer.Option(
        None, "--influx-url", help="Run the real-time InfluxQL panels on this InfluxDB (else their SQL twins)."
    ),
    influx_database: str | None = typer.Option(
        None, "--influx-database", help="With --influx-url: the database (default: the environment's)."
    ),
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
) -> None:
    """Draw dashboards on local data: one self-contained HTML page per dashboard, opened with no network.

    Exit 1 when a panel's query failed (its error is drawn in its place). InfluxDB credentials come from the
    environment: INFLUX_TOKEN, or INFLUX_USERNAME and INFLUX_PASSWORD."""
    from preview.build import write_previews

    with reported():
        elsewhere = None
        if influx_url is None:
            model = _local_model(root, env, "`--influx-url`")
        else:
            from kinds import KINDS
            from localquery.influx import auth_from_environ
            from localquery.influx_panel import InfluxTarget, run_influx_panel

            auth = auth_from_environ(os.environ)
            model = _model(root, env)
            target = InfluxTarget(influx_url, influx_database or model.env.influxdb_database, auth)
            store = KINDS[model.env.realtime_store]
            elsewhere = (
                store.name,
                lambda board, key, own: run_influx_panel(
                    store, model.dashboards, board.uid, key, target, start, end, own
                ),
            )
        from localquery.run import find_board

        boards = [find_board(model.dashboards, uid) for uid in dashboard_uids] if dashboard_uids else model.dashboards
        written = write_previews(model.env, boards, data, start, end, out, var, elsewhere, png)
    for page in written:
        err.print(f"wrote {page.html}" + (f" and {page.png.name}" if page.png else ""))
        for warning in page.warnings:
            err.print(f"[yellow]warning[/yellow] {escape(page.uid)}: {escape(warning)}", markup=True, soft_wrap=True)
        for key, message in page.failed:
            err.print(
                f"[red]error[/red] {escape(page.uid)} panel {escape(key)}: {escape(message)}",
                markup=True,
                soft_wrap=True,
            )
    raise typer.Exit(1 if any(page.failed for page in written) else 0)


def _local_model(root: Path, env: str | None, influxql: str = "`--engine influxdb`") -> Model:
    """The model the local engine runs: an InfluxDB environment's real-time queries (panels, and the variables
    history panels use) as their Timestream SQL twins, said on stderr, since DuckDB cannot run InfluxQL."""
    from dashcompiler.compile import compile_model
    from kinds import KINDS

    model = _model(root, env)
    store = KINDS[model.env.realtime_store]
    if store.local_dialect is not None:
        return model
    err.print(
        f"note: {model.env.name} keeps real-time data in {store.display_name}; the local engine runs the real-time "
        f"queries' Timestream SQL twins (queries/timestream/, the same names); {influxql} runs the InfluxQL",
        soft_wrap=True,
    )
    return compile_model(root, env, twin=True)


def _print_variables(run: PanelRun, out: Console) -> None:
    """The values the panel ran with (defaults included), and the dashboard's variables it does not use."""
    if run.used:
        shown = ", ".join(f"${u.name} = {u.value} ({u.origin})" for u in run.used)
        out.print(f"variables: {escape(shown)}", soft_wrap=True)
    elif run.results:
        out.print("variables: the panel uses none", soft_wrap=True)
    if run.unused:
        out.print(f"not used by this panel: {', '.join('$' + n for n in run.unused)}", soft_wrap=True)


influx_app = typer.Typer(no_args_is_help=True, help="Try the real-time dashboards on a local InfluxDB.")
app.add_typer(influx_app, name="influx")


@influx_app.command("load")
def influx_load(
    data: Path = typer.Argument(..., help="A `dash simulate --out DIR` folder."),
    influx_url: str = typer.Option(..., "--influx-url", help="InfluxDB's HTTP API, e.g. http://127.0.0.1:8086"),
    database: str = typer.Option("connect", "--database", help="Created if absent (InfluxDB 1.x; 2.x maps a bucket)."),
) -> None:
    """Write a simulation's real-time records through the ingest Lambdas' own InfluxDB sink.

    Credentials come from the environment: INFLUX_TOKEN, or INFLUX_USERNAME and INFLUX_PASSWORD."""
    from localquery.influx import auth_from_environ, load_simulation

    with reported():
        stats = load_simulation(data, influx_url, database, auth_from_environ(os.environ))
    err.print(
        f"wrote {stats.written:,} points into {database} ({stats.rejected:,} rejected, {stats.unwritten:,} unwritten)"
    )
    if stats.outage:
        err.print(f"[red]error[/red] {escape(stats.outage)}", markup=True, soft_wrap=True)
        raise typer.Exit(3)
    raise typer.Exit(1 if stats.rejected else 0)


alerts_app = typer.Typer(no_args_is_help=True, help="Try the alert rules before they ship.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("test")
def alerts_test(
    root: Path = ROOT_OPTION,
    env: str | None = ENV_OPTION,
    incident: list[str] = typer.Option(
        [],
        "--incident",
        help="An incident to replay (repeatable): normal-day, queue-surge, mass-logout, "
        "ingest-outage, flapping-queue; default: all.",
    ),
    rule: list[str] = typer.Option([], "--rule", help="Only this rule uid (repeatable); default: every rule."),
    influx_url: str | None = typer.Option(
        None, "--influx-url", help="Run InfluxQL rules on this InfluxDB (a database per incident is loaded)."
    ),
    influx_database: str = typer.Option("dash_alerts", "--influx-database", help="Prefix of those databases."),
    output_format: str = typer.Option("table", "--format", help="table (a timeline per incident) or json."),
) -> None:
    """Replay simulated incidents minute by minute through the environment's alert rules, evaluated as Grafana 12
    does (queries at each group interval, reduce, threshold, pending period, no-data and error states, recovery),
    and print each rule's state changes with what Grafana would notify.

    Exit codes: 0 replayed; 1 a rule pages on the normal day; 2 usage (unknown incident or rule uid), a definition
    or a query the engine refuses; 3 InfluxDB unreachable or refusing. InfluxDB credentials come from
    INFLUX_TOKEN, or INFLUX_USERNAME and INFLUX_PASSWORD."""
    with reported():
        if output_format not in ("table", "json"):
            raise UsageError(f"--format {output_format}: use table or json")
        from alerting.report import summary, timeline
        from alerttest.run import as_json, normal_day_pages, run_incidents

        target = None
        if influx_url is None:
            model = _local_model(root, env)
        else:
            from localquery.influx import auth_from_environ
            from localquery.influx_panel import InfluxTarget

            target = InfluxTarget(influx_url, influx_database, auth_from_environ(os.environ))
            model = _model(root, env)
        runs = run_incidents(model.alerts, model.env, incident, rule, target)
        if output_format == "json":
            typer.echo(as_json(runs))
        else:
            out = Console(highlight=False)
            for run in runs:
                heading = f"{run.incident.name}: {run.incident.summary} ({run.replay.evaluations:,} evaluations)"
                out.print(timeline(run.replay, heading))
                for line in summary(run.replay):
                    out.print(f"  {escape(line)}", soft_wrap=True)
        found = normal_day_pages(runs)
        for line in found:
            err.print(f"[yellow]finding[/yellow] {escape(line)}", markup=True, soft_wrap=True)
    raise typer.Exit(1 if found else 0)


def main() -> None:
    app(prog_name="dash")


if __name__ == "__main__":
    main()
