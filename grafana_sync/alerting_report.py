"""Text for people about alerting: the dry-run plan's sections, `dash diff` against Grafana, and the Markdown of
`dash diff --git`. Contact points' secure settings never reach here: plans carry only their paths."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grafana_sync.alerting_plan import AlertPlan

_SHOWN = 60  # characters of a value shown in a change line


@dataclass(frozen=True)
class AlertDiff:
    """One alerting object compared: status added (only in the repository), removed (only in Grafana), changed."""

    kind: str  # alert rule | contact point | policy tree
    uid: str
    title: str
    status: str
    changes: tuple[tuple[str, Any, Any], ...] = ()


def plan_sections(plan: AlertPlan) -> list[str]:
    """The dry run's alerting sections, in the order the push writes."""
    if plan.empty:
        return []
    lines = ["Contact points:"]
    for point in plan.contact_points:
        reason = f"  ({point.reason})" if point.reason else ""
        lines.append(f"  {point.op:<18} {point.point.uid}  {point.point.name!r} ({point.point.type}){reason}")
        lines += _change_lines(point.changes, "      ")
        lines += [
            f"      + settings.{path} (sent from the environment)" for path in point.resend if point.op == "update"
        ]
    if not plan.contact_points:
        lines.append("  (none)")
    lines.append("Notification policies:")
    if plan.policy is None:
        lines.append("  (none)")
    else:
        reason = f"  ({plan.policy.reason})" if plan.policy.reason else ""
        lines.append(f"  {plan.policy.op:<18} receiver {plan.policy.route.get('receiver')!r}{reason}")
        lines += _change_lines(plan.policy.changes, "      ")
    if plan.folders:
        lines.append("Rule folders (not among the dashboards'):")
        lines += [f"  {f.op:<18} {f.folder.uid}  {f.folder.title!r}" for f in plan.folders]
    lines.append("Rule groups:")
    for group in plan.groups:
        interval = f"interval {group.group.interval}s"
        if group.op == "update":
            interval = f"interval {group.live_interval}s -> {group.group.interval}s"
        lines.append(f"  {group.op:<18} {group.folder_uid}/{group.group.name}  ({interval})")
    lines.append("Alert rules:")
    for step in plan.rules:
        reason = f"  ({step.reason})" if step.reason else ""
        lines.append(f"  {step.op:<18} {step.where}/{step.uid}  {step.title!r}{reason}")
        if step.op in ("update", "changed-in-grafana", "provisioned"):
            lines += _change_lines(step.changes, "      ")
    if not plan.rules:
        lines.append("  (none)")
    return lines


def plan_counts(plan: AlertPlan) -> list[str]:
    """`3 alert rules to create; 1 contact point unchanged; ...` for the Plan: line (folders are counted with the
    dashboards')."""
    parts = []
    for kind, ops in (
        ("contact point", [s.op for s in plan.contact_points]),
        ("policy tree", [plan.policy.op] if plan.policy else []),
        ("alert rule", [s.op for s in plan.rules]),
    ):
        for op, n in sorted(Counter(ops).items()):
            noun = kind if n == 1 else f"{kind}s"
            parts.append(f"{n} {noun} {'to ' + op if op in ('create', 'update', 'delete') else op}")
    return parts


def plan_diffs(plan: AlertPlan) -> list[AlertDiff]:
    """What `dash diff` shows: every alerting object that differs from Grafana."""
    diffs = []
    for point in plan.contact_points:
        status = {"create": "added", "unchanged": "same"}.get(point.op, "changed")
        changes = point.changes + tuple((f"settings.{p}", "(not held)", "(set)") for p in point.resend)
        diffs.append(AlertDiff("contact point", point.point.uid, point.point.name, status, changes))
    if plan.policy is not None:
        status = "same" if plan.policy.op == "unchanged" else "changed"
        diffs.append(AlertDiff("policy tree", "policies", "", status, plan.policy.changes))
    statuses = {"create": "added", "unchanged": "same", "delete": "removed", "not-in-repository": "removed"}
    for step in plan.rules:
        diffs.append(AlertDiff("alert rule", step.uid, step.title, statuses.get(step.op, "changed"), step.changes))
    return diffs


def diff_text(diffs: Iterable[AlertDiff]) -> list[str]:
    diffs = list(diffs)
    words = {"added": "only in repository:", "removed": "only in Grafana:", "changed": "differs:"}
    lines = []
    for diff in diffs:
        if diff.status == "same":
            continue
        title = f"  {diff.title!r}" if diff.title else ""
        lines.append(f"{diff.kind} {words[diff.status]} {diff.uid}{title}")
        lines += _change_lines(diff.changes, "    ")
    counted = Counter(d.kind for d in diffs)
    changed = Counter(d.kind for d in diffs if d.status != "same")
    for kind in ("contact point", "policy tree", "alert rule"):
        if counted[kind]:
            lines.append(f"{changed[kind]} of {counted[kind]} {kind}s differ")
    return lines


def markdown(diffs: Iterable[AlertDiff], ref: str) -> str:
    """A pull-request comment section: a table of changed alerting objects, then each one's changes."""
    changed = [d for d in diffs if d.status != "same"]
    out = [f"### Alerting changes since `{ref}`", ""]
    if not changed:
        return "\n".join([*out, "No alerting changes.", ""])
    out += ["| Object | Change |", "|---|---|"]
    out += [f"| {d.kind} {_md(d.title or d.uid)} (`{d.uid}`) | {d.status} |" for d in changed]
    for diff in changed:
        if diff.changes:
            out += ["", f"#### {diff.kind} {_md(diff.title or diff.uid)} (`{diff.uid}`)", ""]
            out += [f"- `{path}`: `{_value(live)}` -> `{_value(built)}`" for path, live, built in diff.changes]
    out.append("")
    return "\n".join(out)


def _change_lines(changes: Iterable[tuple[str, Any, Any]], indent: str) -> list[str]:
    return [f"{indent}~ {path}: {_value(live)} -> {_value(built)}" for path, live, built in changes]


def _value(value: Any) -> str:
    text = "(absent)" if value is None else str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _md(text: str) -> str:
    return text.replace("|", "\\|")
