"""Text for people: the dry-run plan, the push summary, and diffs as terminal text or Markdown.

Nothing here receives secret values: plans and datasource diffs carry only settings and secure key names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rich.table import Table

from grafana_sync.alerting_plan import AlertPlan
from grafana_sync.alerting_report import plan_counts, plan_sections
from grafana_sync.apply import Outcome
from grafana_sync.dsdiff import DatasourceDiff, DatasourceDiffs
from grafana_sync.paneldiff import DashboardDiff, PanelChange, SqlDiff
from grafana_sync.plan import Plan

SUMMARY_COLUMNS = ("created", "updated", "unchanged", "skipped", "failed", "deleted", "read-only")
SUMMARY_KINDS = ("folder", "datasource", "dashboard")
# Alerting outcomes' kinds -> their summary row, shown when the bundle has alerting files.
ALERT_ROWS = {
    "alert rule": "rules",
    "rule group": "rules",
    "contact point": "contact-points",
    "policy tree": "policies",
}
NOTES = {
    "skipped": "skipped: changed in Grafana since the last push (--force overwrites)",
    "read-only": "read-only: a datasource that differs, provisioned read-only in Grafana (change its files there)",
}
_MARK = {"added": "+", "removed": "-", "moved": ">", "changed": "~"}


def render_plan(plan: Plan, alerts: AlertPlan | None = None) -> str:
    lines = ["Folders:"]
    lines += [f"  {s.op:<18} {s.folder.uid}  {s.folder.title!r}" for s in plan.folders] or ["  (none)"]
    lines.append("Datasources:")
    for d in plan.datasources:
        detail = f"  {d.detail}" if d.detail else ""
        lines.append(f"  {d.op:<18} {d.datasource.uid}  ({d.datasource.type}){detail}")
    if not plan.datasources:
        lines.append("  (none)")
    lines.append("Dashboards:")
    for step in plan.dashboards:
        reason = f"  ({step.reason})" if step.reason else ""
        lines.append(f"  {step.op:<18} {step.folder_uid}/{step.uid}  {step.title!r}{reason}")
        if step.diff is not None and step.op in ("update", "changed-in-grafana", "provisioned"):
            lines += ["      " + line for line in _diff_body(step.diff, sql=False)]
    if not plan.dashboards:
        lines.append("  (none)")
    alerts = alerts or AlertPlan()
    lines += plan_sections(alerts)
    lines.append(plan_line(plan, alerts))
    return "\n".join(lines)


def plan_line(plan: Plan, alerts: AlertPlan | None = None) -> str:
    """Every object the push would touch, per kind: `Plan: 1 folder to create; 2 datasources to create; ...`."""
    alerts = alerts or AlertPlan()
    parts = []
    for kind, ops in (
        ("folder", [s.op for s in (*plan.folders, *alerts.folders)]),
        ("datasource", [d.op for d in plan.datasources]),
        ("dashboard", [s.op for s in plan.dashboards]),
    ):
        for op, n in sorted(Counter(ops).items()):
            noun = kind if n == 1 else f"{kind}s"
            parts.append(f"{n} {noun} {'to ' + op if op in ('create', 'update', 'delete') else op}")
    parts += plan_counts(alerts)
    return "Plan: " + "; ".join(parts) if parts else "Plan: nothing"


def summary_counts(outcomes: Iterable[Outcome]) -> dict[str, Counter[str]]:
    """Per kind (folders, datasources, dashboards), how many objects ended in each result."""
    counts: dict[str, Counter[str]] = {f"{kind}s": Counter() for kind in SUMMARY_KINDS}
    for outcome in outcomes:
        if outcome.kind in SUMMARY_KINDS:
            counts[f"{outcome.kind}s"][outcome.result] += 1
        elif outcome.kind in ALERT_ROWS:
            counts.setdefault(ALERT_ROWS[outcome.kind], Counter())[outcome.result] += 1
    return counts


def summary_table(outcomes: Iterable[Outcome]) -> Table:
    """One row per kind, a column per result, borderless so it fits 80 columns: the numbers a reader checks."""
    outcomes = list(outcomes)
    caption = "\n".join(notes(outcomes)) or None
    table = Table(title="dash push", caption=caption, box=None, pad_edge=False, header_style="bold")
    table.add_column("", no_wrap=True)
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="right", no_wrap=True)
    for kind, counts in summary_counts(outcomes).items():
        table.add_row(kind, *(str(counts.get(c, 0)) for c in SUMMARY_COLUMNS))
    return table


def summary_text(outcomes: Iterable[Outcome]) -> str:
    """The same numbers as plain aligned text (under 80 columns), for logs and pipes where a table would wrap."""
    outcomes = list(outcomes)
    rows: list[tuple[str, ...]] = [("", *SUMMARY_COLUMNS)]
    rows += [
        (kind, *(str(counts.get(c, 0)) for c in SUMMARY_COLUMNS)) for kind, counts in summary_counts(outcomes).items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join([row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
        for row in rows
    ]
    return "\n".join(["dash push summary", *(line.rstrip() for line in lines), *notes(outcomes)])


def notes(outcomes: Iterable[Outcome]) -> list[str]:
    """A footnote for each result that needs one and occurred."""
    results = {o.result for o in outcomes}
    return [note for result, note in NOTES.items() if result in results]


def problem_lines(outcomes: Iterable[Outcome]) -> list[str]:
    """The per-object reasons behind failed, skipped, read-only and left-alone results."""
    return [
        f"{o.result}: {o.kind} {o.uid} ({o.title}): {o.detail}"
        for o in outcomes
        if o.result in ("failed", "skipped", "read-only", "not-in-repository")
    ]


def render_diff_text(diffs: list[DashboardDiff], datasources: DatasourceDiffs | None = None) -> str:
    """Datasources first (when compared), then dashboards, then a count of each."""
    lines = _datasource_lines(datasources.diffs) if datasources else []
    for diff in diffs:
        if not diff.changed:
            continue
        lines.append(f"{_STATUS_TEXT[diff.status]} {diff.uid}  {diff.title!r}")
        lines += ["    " + line for line in _diff_body(diff, sql=True)]
    if datasources and datasources.diffs:
        changed_ds = sum(d.changed for d in datasources.diffs)
        lines.append(f"{changed_ds} of {len(datasources.diffs)} datasources differ")
    changed = sum(d.changed for d in diffs)
    lines.append(f"{changed} of {len(diffs)} dashboards differ")
    return "\n".join(lines)


def _datasource_lines(diffs: Iterable[DatasourceDiff]) -> list[str]:
    lines = []
    for diff in diffs:
        if diff.status == "added":
            lines.append(f"datasource only in repository: {diff.uid}  {diff.name!r}")
        elif diff.changed:
            held = "  (provisioned read-only in Grafana; `dash push` leaves it as is)" if diff.read_only else ""
            lines.append(f"datasource differs: {diff.uid}  {diff.name!r}{held}")
            lines += [f"    ~ {path}: {live} -> {built}" for path, live, built in diff.changes]
            lines += [f"    + secureJsonData.{key} (Grafana holds no value)" for key in diff.missing_secure]
    return lines


def render_markdown(diffs: list[DashboardDiff], ref: str, names: Mapping[str, str] | None = None) -> str:
    """A pull-request comment: a table of changed dashboards, then per-panel changes and SQL diffs, each panel named
    by its key and title (`names`: panel id -> key); panels that only moved are summed up in one line, so that
    one added panel does not bury the change under the panels it pushed down."""
    names = names or {}
    changed = [d for d in diffs if d.changed]
    out = [f"### Dashboard changes since `{ref}`", ""]
    if not changed:
        return "\n".join([*out, "No dashboard changes.", ""])
    out += ["| Dashboard | Change | Panels |", "|---|---|---|"]
    for d in changed:
        out.append(f"| {_md(d.title)} (`{d.uid}`) | {_md_status(d)} | {_panel_counts(d)} |")
    for d in changed:
        out += ["", f"#### {_md(d.title)} (`{d.uid}`): {_md_status(d)}", ""]
        if d.status == "renamed":
            out.append(
                f"- uid changed from `{d.renamed_from}`: Grafana takes it for a new dashboard at a new URL "
                "(`dash push --prune` deletes the old one)"
            )
        if d.folder:
            out.append(f"- moved from folder `{d.folder[0] or '(General)'}` to `{d.folder[1] or '(General)'}`")
        out += [f"- dashboard setting changed: `{path}`" for path in d.fields]
        only_moved = _only_moved(d)
        for change in d.panels:
            if change.kind == "moved" and change.panel_id in only_moved:
                continue
            paths = ": " + ", ".join(f"`{p}`" for p in change.paths) if change.paths else ""
            out.append(f"- **{change.kind}** {_md(panel_name(change, names))}{paths}")
        if only_moved:
            moved = ", ".join(
                _md(panel_name(c, names)) for c in d.panels if c.kind == "moved" and c.panel_id in only_moved
            )
            out.append(f"- **moved only** (position, no other change): {len(only_moved)} panels: {moved}")
        for sql in d.field_sql:
            out += ["", f"`{sql.where}`", "", "```diff", sql.unified, "```"]
        # A change to a shared fragment is the same edit in many panels: shown once, naming each panel.
        same: dict[tuple[str, ...], list[tuple[PanelChange, SqlDiff]]] = {}
        for change in d.panels:
            for sql in change.sql:
                same.setdefault(_edit(sql), []).append((change, sql))
        for group in same.values():
            where = ", ".join(f"{_md(panel_name(change, names))}: `{sql.where}`" for change, sql in group)
            out += ["", where, "", "```diff", group[0][1].unified, "```"]
    out.append("")
    return "\n".join(out)


def _edit(sql: SqlDiff) -> tuple[str, ...]:
    """The changed lines of a SQL diff, without headers and context: what two panels' identical edits share."""
    lines = sql.unified.splitlines()[2:]
    return tuple(line for line in lines if line[:1] in ("-", "+", "~"))


def panel_name(change: PanelChange, names: Mapping[str, str]) -> str:
    """`key` 'Title' when the key is known, else the row or the numeric id with the title."""
    key = names.get(change.panel_id)
    if key:
        return f"`{key}` {change.title!r}"
    return f"panel {change.panel_id} {change.title!r}"


def _only_moved(diff: DashboardDiff) -> set[str]:
    """Panels whose only change is their position."""
    other = {c.panel_id for c in diff.panels if c.kind != "moved"}
    return {c.panel_id for c in diff.panels if c.kind == "moved"} - other


def _panel_counts(diff: DashboardDiff) -> str:
    """What happened to panels, the real changes first: "1 added, 1 changed, 17 moved only"."""
    counts = Counter(p.kind for p in diff.panels if p.kind != "moved")
    parts = [f"{counts[kind]} {kind}" for kind in ("added", "removed", "changed") if counts[kind]]
    moved = len(_only_moved(diff))
    if moved:
        parts.append(f"{moved} moved only")
    return ", ".join(parts) or "-"


_STATUS_TEXT = {"added": "only in repository:", "removed": "only in Grafana:", "changed": "differs:"}


def _diff_body(diff: DashboardDiff, sql: bool) -> list[str]:
    lines = []
    if diff.folder:
        lines.append(f"folder {diff.folder[0] or '(General)'} -> {diff.folder[1] or '(General)'}")
    lines += [f"~ {path}" for path in diff.fields]
    for change in diff.panels:
        lines.append(_panel_line(change))
        if sql:
            lines += ["    " + line for s in change.sql for line in _sql_lines(s)]
    if sql:
        lines += [line for s in diff.field_sql for line in _sql_lines(s)]
    return lines


def _panel_line(change: PanelChange) -> str:
    what = list(change.paths) + [s.where for s in change.sql]
    suffix = ": " + ", ".join(what) if what else ""
    return f"{_MARK[change.kind]} panel {change.panel_id} {change.title!r} {change.kind}{suffix}"


def _sql_lines(sql: SqlDiff) -> list[str]:
    return sql.unified.splitlines()


def _md_status(diff: DashboardDiff) -> str:
    return f"renamed from `{diff.renamed_from}`" if diff.status == "renamed" else diff.status


def _md(text: str) -> str:
    return text.replace("|", "\\|")
