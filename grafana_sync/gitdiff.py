"""`dash diff --git REF`: the provisioning bundle at a git ref against the current build (or --bundle), as Markdown."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from core.errors import UsageError
from core.model import panel_id
from grafana_sync.alerting_bundle import AlertingBundle, ContactPoint, parse_alerting
from grafana_sync.alerting_normalize import differences, normalise_route, normalise_rule
from grafana_sync.alerting_report import AlertDiff, markdown
from grafana_sync.bundle import Bundle, Dashboard, parse_bundle
from grafana_sync.paneldiff import DashboardDiff, diff_dashboards
from grafana_sync.report import render_markdown

# A panel key as definitions write it: a quoted snake_case literal (dashcompiler.definition_loader.KEY).
KEY_LITERAL = re.compile(rb"""["']([a-z][a-z0-9_]*)["']""")


def files_at_ref(root: Path, ref: str, bundle_dir: Path) -> dict[str, bytes]:
    """The files under bundle_dir at ref, keyed relative to bundle_dir (empty when it did not exist)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    try:
        prefix = bundle_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"--bundle {bundle_dir} is outside the git repository at {top}") from None
    return _tree_files(top, ref, prefix)


def panel_names(root: Path, ref: str) -> dict[str, str]:
    """Panel id -> key, for every key written as a literal in dashboards/*.py at ref or now: ids derive from keys
    alone (core.model.panel_id), so a removed panel is named too."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = (root / "dashboards").resolve().relative_to(top.resolve()).as_posix()
    sources = [*_tree_files(top, ref, prefix).values(), *(p.read_bytes() for p in (root / "dashboards").glob("*.py"))]
    return {
        str(panel_id(key)): key
        for text in sources
        for key in dict.fromkeys(m.group(1).decode() for m in KEY_LITERAL.finditer(text))
    }


def _tree_files(top: Path, ref: str, prefix: str) -> dict[str, bytes]:
    """The files under `prefix` (relative to the repository's top) at ref, keyed relative to it."""
    listing = _git(top, "ls-tree", "-r", "-z", "--name-only", ref, "--", prefix + "/")
    paths = [p for p in listing.decode().split("\0") if p]
    if not paths:
        return {}
    batch = subprocess.run(
        ["git", "-C", str(top), "cat-file", "--batch"],
        input="".join(f"{ref}:{p}\n" for p in paths).encode(),
        capture_output=True,
        check=True,
    ).stdout
    files: dict[str, bytes] = {}
    offset = 0
    for path in paths:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        files[path[len(prefix) + 1 :]] = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def bundle_diffs(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]) -> list[DashboardDiff]:
    old, new = parse_bundle(old_files), parse_bundle(new_files)
    before = {d.uid: d for d in old.dashboards}
    after = {d.uid: d for d in new.dashboards}
    renames = _renames([before[u] for u in before.keys() - after.keys()], [after[u] for u in after.keys() - before])
    diffs = []
    for uid in sorted((before.keys() | after.keys()) - set(renames.values())):  # a renamed one under its new uid
        a, b = before.get(renames.get(uid, uid)), after.get(uid)
        diff = diff_dashboards(
            a.model if a else None, b.model if b else None, a.folder_uid if a else None, b.folder_uid if b else None
        )
        if uid in renames:
            fields = tuple(f for f in diff.fields if f != "uid")  # the rename itself, said in the status
            diff = replace(diff, status="renamed", renamed_from=renames[uid], fields=fields)
        diffs.append(diff)
    return diffs


def _renames(removed: list[Dashboard], added: list[Dashboard]) -> dict[str, str]:
    """New uid -> old uid for a dashboard file renamed with its uid: one removed and one added share a title."""

    def by_title(items: list[Dashboard]) -> dict[str, Dashboard]:
        titles = Counter(d.title for d in items)
        return {d.title: d for d in items if titles[d.title] == 1}

    gone, new = by_title(removed), by_title(added)
    return {new[title].uid: gone[title].uid for title in gone.keys() & new.keys()}


def diff_git(root: Path, ref: str, bundle_dir: Path, new_files: Mapping[str, bytes]) -> tuple[str, int]:
    """Markdown for a pull request and the exit code (1 when any dashboard or alerting object changed)."""
    old_files = files_at_ref(root, ref, bundle_dir)
    diffs = bundle_diffs(old_files, new_files)
    text = render_markdown(diffs, ref, panel_names(root, ref))
    alerts = alert_diffs(old_files, new_files)
    if alerts:
        text += "\n" + markdown(alerts, ref)
    changed = any(d.changed for d in diffs) or any(d.status != "same" for d in alerts)
    return text, 1 if changed else 0


def alert_diffs(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]) -> list[AlertDiff]:
    """Alert rules, contact points and the policy tree of two bundles, as written (no environment expanded)."""
    old, new = _alerting(old_files), _alerting(new_files)
    diffs = _compared(
        "alert rule",
        {r.uid: (r.title, _rule_form(r.body, g.folder_title, g.name)) for g in old.groups for r in g.rules},
        {r.uid: (r.title, _rule_form(r.body, g.folder_title, g.name)) for g in new.groups for r in g.rules},
    )
    diffs += _compared(
        "contact point",
        {p.uid: (p.name, _point_form(p)) for p in old.contact_points},
        {p.uid: (p.name, _point_form(p)) for p in new.contact_points},
    )
    before, after = ({} if b.policy is None else normalise_route(b.policy) for b in (old, new))
    if old.policy is not None or new.policy is not None:
        status = "same" if before == after else "changed"
        diffs.append(AlertDiff("policy tree", "policies", "", status, tuple(differences(before, after))))
    return diffs


def _alerting(files: Mapping[str, bytes]) -> AlertingBundle:
    if not files:
        return AlertingBundle()
    bundle = parse_bundle(files) if any(not p.startswith("alerting/") for p in files) else Bundle((), (), ())
    return parse_alerting(files, None, {f.title: f.uid for f in bundle.folders})


def _rule_form(body: dict[str, object], folder: str, group: str) -> dict[str, object]:
    return normalise_rule({**body, "folderUID": folder, "ruleGroup": group})


def _point_form(point: ContactPoint) -> dict[str, object]:
    fields = ("name", "type", "settings", "disable_resolve_message", "secure_refs")
    return {name: getattr(point, name) for name in fields}


def _compared(
    kind: str, before: Mapping[str, tuple[str, dict[str, object]]], after: Mapping[str, tuple[str, dict[str, object]]]
) -> list[AlertDiff]:
    diffs = []
    for uid in sorted(before.keys() | after.keys()):
        if uid not in after:
            diffs.append(AlertDiff(kind, uid, before[uid][0], "removed"))
        elif uid not in before:
            diffs.append(AlertDiff(kind, uid, after[uid][0], "added"))
        else:
            changes = tuple(differences(before[uid][1], after[uid][1]))
            diffs.append(AlertDiff(kind, uid, after[uid][0], "changed" if changes else "same", changes))
    return diffs


def _git(cwd: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise UsageError("git is not installed; dash diff --git needs it") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        raise UsageError(f"dash diff --git: {detail} (is {args[-1]!r} a commit in {cwd}?)") from None
