"""What changed between two versions of a dashboard, per panel, in terms a reviewer reads.

Panels are matched by their integer id (stable across builds); a panel whose grid position or
parent row changed is "moved", one whose other content changed is "changed". Changed SQL
(`rawQuery` for Timestream, `rawSQL` for Athena, string variable queries) is shown as a unified
diff of the SQL text rather than of escaped JSON strings.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from grafana_sync.normalize import normalise

SQL_KEYS = frozenset({"rawQuery", "rawSQL", "rawSql"})


@dataclass(frozen=True)
class SqlDiff:
    where: str  # e.g. "targets.A.rawSQL"
    unified: str


@dataclass(frozen=True)
class PanelChange:
    kind: str  # added | removed | moved | changed
    panel_id: str
    title: str
    paths: tuple[str, ...] = ()
    sql: tuple[SqlDiff, ...] = ()


@dataclass(frozen=True)
class DashboardDiff:
    uid: str
    title: str
    status: str  # added | removed | changed | unchanged; "renamed" (uid changed) from `dash diff --git`
    fields: tuple[str, ...] = ()  # changed dashboard-level paths (panels excluded)
    field_sql: tuple[SqlDiff, ...] = ()
    folder: tuple[str, str] | None = None  # (old folder uid, new folder uid) when it moved; "" is General
    panels: tuple[PanelChange, ...] = ()  # every panel of an added or removed dashboard, as added or removed
    renamed_from: str = ""  # the old uid when status is "renamed"

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


def diff_dashboards(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    old_folder: str | None = None,
    new_folder: str | None = None,
) -> DashboardDiff:
    """Compare two dashboards (either may be absent) after normalising both."""
    some = new if new is not None else old
    assert some is not None, "diff_dashboards needs at least one dashboard"
    uid, title = str(some.get("uid", "")), str(some.get("title", ""))
    if old is None or new is None:
        status, kind = ("added", "added") if old is None else ("removed", "removed")
        flat = _flatten(normalise(some).get("panels") or [])
        listed = [PanelChange(kind, key, _title(flat[key][0])) for key in flat]
        return DashboardDiff(uid, title, status, panels=tuple(listed))
    a, b = normalise(old), normalise(new)
    panels_a, panels_b = _flatten(a.get("panels") or []), _flatten(b.get("panels") or [])
    rest_a = {k: v for k, v in a.items() if k != "panels"}
    rest_b = {k: v for k, v in b.items() if k != "panels"}
    fields, field_sql = _compare(rest_a, rest_b, "")
    panels = _panel_changes(panels_a, panels_b)
    folder: tuple[str, str] | None = None
    if old_folder is not None and new_folder is not None and old_folder != new_folder:  # "" is General
        folder = (old_folder, new_folder)
    status = "changed" if fields or panels or folder else "unchanged"
    return DashboardDiff(uid, title, status, tuple(fields), tuple(field_sql), folder, tuple(panels))


def _flatten(panels: list[Any], parent: str = "") -> dict[str, tuple[dict[str, Any], str]]:
    """Panel key -> (panel without nested panels, id of the row holding it when collapsed)."""
    result: dict[str, tuple[dict[str, Any], str]] = {}
    for index, panel in enumerate(panels):
        if not isinstance(panel, dict):
            continue
        key = str(panel["id"]) if "id" in panel else f"#{parent}{index}"
        result[key] = ({k: v for k, v in panel.items() if k != "panels"}, parent)
        if isinstance(panel.get("panels"), list):
            result.update(_flatten(panel["panels"], key))
    return result


def _panel_changes(
    old: dict[str, tuple[dict[str, Any], str]], new: dict[str, tuple[dict[str, Any], str]]
) -> list[PanelChange]:
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:  # layout order: the new one's, then removed panels
        if key not in new:
            changes.append(PanelChange("removed", key, _title(old[key][0])))
            continue
        if key not in old:
            changes.append(PanelChange("added", key, _title(new[key][0])))
            continue
        (pa, row_a), (pb, row_b) = old[key], new[key]
        if pa.get("gridPos") != pb.get("gridPos") or row_a != row_b:
            changes.append(PanelChange("moved", key, _title(pb)))
        paths, sql = _compare(_targets_by_ref(pa), _targets_by_ref(pb), "")
        if paths or sql:
            changes.append(PanelChange("changed", key, _title(pb), tuple(paths), tuple(sql)))
    return changes


def _targets_by_ref(panel: dict[str, Any]) -> dict[str, Any]:
    """The panel without gridPos, its targets keyed by refId so a reorder is not a change of every target."""
    result = {k: v for k, v in panel.items() if k != "gridPos"}
    targets = panel.get("targets")
    if isinstance(targets, list) and all(isinstance(t, dict) and "refId" in t for t in targets):
        result["targets"] = {str(t["refId"]): t for t in targets}
    return result


def _compare(a: Any, b: Any, path: str) -> tuple[list[str], list[SqlDiff]]:
    """Changed leaf paths, with SQL text changes pulled out as unified diffs."""
    if a == b:
        return [], []
    if isinstance(a, dict) and isinstance(b, dict):
        paths: list[str] = []
        sql: list[SqlDiff] = []
        for key in sorted(a.keys() | b.keys()):
            child = f"{path}.{key}" if path else str(key)
            if key in SQL_KEYS and isinstance(a.get(key), str) and isinstance(b.get(key), str):
                if a[key] != b[key]:
                    sql.append(SqlDiff(child, _unified(a[key], b[key], child)))
                continue
            p, s = _compare(a.get(key), b.get(key), child)
            paths += p
            sql += s
        return paths, sql
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        paths, sql = [], []
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            p, s = _compare(x, y, f"{path}[{index}]")
            paths += p
            sql += s
        return paths, sql
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
        return [], [SqlDiff(path, _unified(a, b, path))]
    return [path or "(value)"], []


LONG_LINE = 100  # a changed line longer than this is shown word by word: a one-word change in a 600-character
# generated line is otherwise two walls of text to compare by eye


def _unified(old: str, new: str, label: str) -> str:
    """A unified diff with 3 lines of context, except that a long line replaced by one other line reads as a
    single `~` line of word changes, `[-removed-]{+added+}`, with the unchanged words between them elided."""
    a, b = old.splitlines(), new.splitlines()
    lines = [f"--- a/{label}", f"+++ b/{label}"]
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        lines.append(f"@@ -{_span(first[1], last[2])} +{_span(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [" " + line for line in a[i1:i2]]
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                    lines += [f"~ {word_diff(x, y)}"] if max(len(x), len(y)) > LONG_LINE else [f"-{x}", f"+{y}"]
                continue
            lines += ["-" + line for line in a[i1:i2]] + ["+" + line for line in b[j1:j2]]
    return "\n".join(lines)


def _span(start: int, end: int) -> str:
    """A hunk range as unified diffs write it (1-based start, length; an empty range starts before it)."""
    length = end - start
    return f"{start + 1 if length else start},{length}"


def word_diff(old: str, new: str, context: int = 4) -> str:
    """`old` -> `new` as words: `[-gone-]{+added+}`, keeping `context` unchanged words around each change."""
    a, b = old.split(" "), new.split(" ")
    out: list[str] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            head = words[:context] if index > 0 else []
            tail = words[-context:] if index < len(opcodes) - 1 else []
            if len(words) > len(head) + len(tail):
                out += [*head, "...", *tail]
            else:
                out += words
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _title(panel: dict[str, Any]) -> str:
    return str(panel.get("title") or panel.get("type") or "")
