"""`dash push` and `dash diff --grafana-url`: options in, plan, writes, a summary and an exit code out."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from core.errors import UsageError
from core.secrets import check_sendable
from grafana_sync.alerting_apply import apply_alert_plan
from grafana_sync.alerting_bundle import AlertingBundle, parse_alerting
from grafana_sync.alerting_plan import make_alert_plan
from grafana_sync.alerting_report import diff_text
from grafana_sync.alerting_report import plan_diffs as alert_diffs
from grafana_sync.apply import apply_plan
from grafana_sync.bundle import Bundle, parse_bundle
from grafana_sync.connection import Grafana, RetryPolicy, Settings, mask_text, plaintext_warning, preflight
from grafana_sync.dsdiff import read_datasource_diffs
from grafana_sync.envvars import expand_secret, secret_values
from grafana_sync.paneldiff import DashboardDiff, diff_dashboards
from grafana_sync.plan import Plan, Scope, make_plan
from grafana_sync.report import problem_lines, render_diff_text, render_plan, summary_table, summary_text


@dataclass(frozen=True)
class GrafanaOptions:
    """How to reach Grafana, as given on the command line (secrets may also come from the environment)."""

    url: str
    token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    org_id: int = 1
    ca_cert: Path | None = None
    insecure: bool = False
    timeout: float = 10.0
    concurrency: int = 8
    retries: int = 5


NOT_APPLIED = ("failed", "skipped", "read-only")  # read-only: a datasource that differs, which Grafana holds read-only


def check_options(options: GrafanaOptions) -> None:
    """Options that contradict each other or name no file: refused before anything is built."""
    if options.insecure and options.ca_cert:
        raise UsageError("--insecure and --ca-cert contradict each other; pass one")
    if options.ca_cert and options.ca_cert.is_dir():
        raise UsageError(
            f"--ca-cert {options.ca_cert}: is a directory, not a file; pass the PEM file of the CA that signed "
            "Grafana's certificate"
        )
    if options.ca_cert and not options.ca_cert.is_file():
        raise UsageError(f"--ca-cert {options.ca_cert}: no such file; pass the PEM file of the CA bundle")
    if options.concurrency < 1 or options.timeout <= 0 or options.retries < 1 or options.org_id < 1:
        raise UsageError("--concurrency, --retries and --org-id must be at least 1, --timeout above 0")
    if options.token and options.user:
        raise UsageError("pass either --token or --user, not both")


def settings_from(options: GrafanaOptions, environ: Mapping[str, str]) -> Settings:
    check_options(options)
    token = None if options.user else options.token or environ.get("GRAFANA_TOKEN")
    password = options.password or environ.get("GRAFANA_PASSWORD") if options.user else None
    if token:
        check_sendable("--token" if options.token else "$GRAFANA_TOKEN", token, header=True)
    if options.user:
        check_sendable("--user", options.user, header=False)
    if password:
        check_sendable("--password" if options.password else "$GRAFANA_PASSWORD", password, header=False)
    verify: bool | str = False if options.insecure else str(options.ca_cert) if options.ca_cert else True
    return Settings(options.url, token, options.user, password, options.org_id, verify, options.timeout)


def resolve_secrets(bundle: Bundle, environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """datasource uid -> secure key -> value, from the environment; fails naming the unset variable."""
    return {
        ds.uid: {
            key: expand_secret(ref, environ, f"{ds.source}: datasource {ds.name!r} secureJsonData.{key}")
            for key, ref in ds.secure_refs.items()
        }
        for ds in bundle.datasources
    }


def resolve_alert_secrets(alerting: AlertingBundle, environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """contact point uid -> secure setting path -> value, from the environment; fails naming the unset variable."""
    return {
        point.uid: {
            path: expand_secret(ref, environ, f"{point.source}: contact point {point.name!r} settings.{path}")
            for path, ref in point.secure_refs.items()
        }
        for point in alerting.contact_points
    }


def _secret_values(bundle: Bundle, environ: Mapping[str, str], alerting: AlertingBundle) -> frozenset[str]:
    """Every secure value and every variable it reads, for masking in errors and printed text."""
    return frozenset().union(
        *(secret_values(ds.secure_refs, environ, f"{ds.source}: datasource {ds.name!r}") for ds in bundle.datasources),
        *(
            secret_values(p.secure_refs, environ, f"{p.source}: contact point {p.name!r}")
            for p in alerting.contact_points
        ),
    )


def _alerting(files: Mapping[str, bytes], bundle: Bundle, environ: Mapping[str, str], err: Console) -> AlertingBundle:
    """The alerting files read as Grafana's provisioning reads them, rule folders found by the dashboards' titles."""
    alerting = parse_alerting(files, environ, {folder.title: folder.uid for folder in bundle.folders})
    for warning in alerting.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    return alerting


def push(
    files: Mapping[str, bytes],
    options: GrafanaOptions,
    scope: Scope,
    dry_run: bool,
    environ: Mapping[str, str],
    out: Console,
    err: Console,
    policy: RetryPolicy | None = None,
) -> int:
    """0 when every object is in the built state, 1 when any push failed or was skipped, or a datasource that
    differs is held read-only by Grafana.

    A dry run exits 3 when Grafana would not return some dashboards (the plan is incomplete).
    """
    bundle = parse_bundle(files, environ)
    _check_scope(bundle, scope)
    secure = resolve_secrets(bundle, environ)
    for warning in bundle.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    # --only names dashboards: alerting is left out of such a push.
    alerting = AlertingBundle() if scope.only else _alerting(files, bundle, environ, err)
    alert_secure = resolve_alert_secrets(alerting, environ)
    grafana = _connect(options, environ, err, policy, _secret_values(bundle, environ, alerting))
    version = preflight(grafana)
    with _progress(err, len(bundle.dashboards), "reading") as tick:
        plan = make_plan(grafana, bundle, scope, options.concurrency, tick)
    alert_plan = make_alert_plan(grafana, alerting, scope, options.org_id)
    if dry_run:
        out.print(f"Plan for {options.url} (Grafana {version}, org {options.org_id}); nothing written (--dry-run)")
        out.print(render_plan(plan, alert_plan), markup=False, highlight=False, soft_wrap=True)
        return 3 if _unreadable(plan, err) else 0
    with _progress(err, len(plan.dashboards), "pushing") as tick:
        outcomes = apply_plan(grafana, plan, secure, scope.force, options.concurrency, tick)
    outcomes += apply_alert_plan(grafana, alert_plan, alert_secure)
    for line in problem_lines(outcomes):
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    if out.is_terminal:
        out.print(summary_table(outcomes))
    else:
        out.print(summary_text(outcomes), markup=False, highlight=False, soft_wrap=True)
    out.print(f"{grafana.requests} requests to {options.url}", markup=False, highlight=False, soft_wrap=True)
    return 1 if any(o.result in NOT_APPLIED for o in outcomes) else 0


def diff_live(
    files: Mapping[str, bytes],
    options: GrafanaOptions,
    environ: Mapping[str, str],
    out: Console,
    err: Console,
    policy: RetryPolicy | None = None,
) -> int:
    """Print the datasource settings that differ and the normalised per-dashboard, per-panel comparison;
    1 when anything differs, 3 when some dashboards could not be read. Datasource values are read as
    Grafana's provisioning reads them; secure values are never read, and secrets are masked in the text.
    Without Admin rights (a 403 on datasources) only dashboards are compared, with a note."""
    bundle = parse_bundle(files, environ)
    for warning in bundle.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    alerting = _alerting(files, bundle, environ, err)
    secrets = _secret_values(bundle, environ, alerting)
    grafana = _connect(options, environ, err, policy, secrets)
    preflight(grafana)
    datasources = read_datasource_diffs(grafana, bundle)
    if datasources.note:
        err.print(f"note: {datasources.note}", markup=False, highlight=False, soft_wrap=True)
    with _progress(err, len(bundle.dashboards), "reading") as tick:
        plan = make_plan(grafana, bundle, Scope(), options.concurrency, tick, with_datasources=False)
    diffs = plan_diffs(plan)
    alerts = alert_diffs(make_alert_plan(grafana, alerting, Scope(), options.org_id))
    text = "\n".join([render_diff_text(diffs, datasources), *diff_text(alerts)])
    out.print(mask_text(text, grafana.forms), markup=False, highlight=False, soft_wrap=True)
    if _unreadable(plan, err):
        return 3
    changed = any(d.changed for d in diffs) or any(d.changed for d in datasources.diffs)
    return 1 if changed or any(d.status != "same" for d in alerts) else 0


def plan_diffs(plan: Plan) -> list[DashboardDiff]:
    """The diff of every dashboard the plan could read."""
    diffs = []
    for step in plan.dashboards:
        if step.op == "unreadable":
            continue
        if step.diff is not None:
            diffs.append(step.diff)
        elif step.dashboard is not None:
            live = step.live if step.op == "unchanged" else None
            diffs.append(diff_dashboards(live, step.dashboard.model, step.live_folder, step.folder_uid))
        else:
            diffs.append(diff_dashboards({"uid": step.uid, "title": step.title}, None))
    return diffs


def _unreadable(plan: Plan, err: Console) -> bool:
    """Say which dashboards Grafana would not return: the plan or diff is incomplete (exit 3)."""
    unreadable = [step for step in plan.dashboards if step.op == "unreadable"]
    for step in unreadable:
        err.print(f"unreadable: dashboard {step.uid}: {step.reason}", markup=False, highlight=False, soft_wrap=True)
    return bool(unreadable)


def _check_scope(bundle: Bundle, scope: Scope) -> None:
    unknown = sorted(uid for uid in scope.only if bundle.dashboard(uid) is None)
    if unknown:
        raise UsageError(f"--only {', '.join(unknown)}: no such dashboard uid in the bundle")
    if scope.only and scope.prune:
        raise UsageError("--prune deletes across whole folders; it cannot be combined with --only")


def _connect(
    options: GrafanaOptions,
    environ: Mapping[str, str],
    err: Console,
    policy: RetryPolicy | None,
    secrets: Iterable[str] = (),
) -> Grafana:
    settings = settings_from(options, environ)
    grafana = Grafana(settings, policy or RetryPolicy(attempts=options.retries), secrets=secrets)
    warnings = [plaintext_warning(settings.url)]
    if settings.verify is False:
        warnings.append("warning: TLS certificate verification is off (--insecure)")
    for warning in filter(None, warnings):
        err.print(warning, markup=False, highlight=False, soft_wrap=True)
    return grafana


@contextlib.contextmanager
def _progress(err: Console, total: int, what: str) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; a no-op tick elsewhere (CI logs stay clean)."""
    if not err.is_terminal or total == 0:
        yield lambda: None
        return
    columns = (TextColumn(f"{what} dashboards"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)
