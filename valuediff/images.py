"""`dash diff --png DIR`: each changed dashboard drawn before and after on the same data, as `dash preview --png`
draws it (preview.build), so a reviewer sees the layout, units and colours a JSON diff only names."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from preview.build import write_previews
from valuediff.panels import assignments_for
from valuediff.revision import Revision


def dashboard_images(
    revision: Revision,
    uids: Collection[str],
    data: Path,
    start: str,
    end: str,
    given: Mapping[str, tuple[str, ...]],
    out: Path,
) -> dict[str, Path]:
    """Dashboard uid -> ``out/<uid>.png`` (beside its HTML page) for the dashboards ``uids`` of ``revision``."""
    boards = [b for b in revision.local.dashboards if b.uid in uids]
    if not boards:
        return {}
    pages = write_previews(revision.local.env, boards, data, start, end, out, assignments_for(boards, given), png=True)
    return {page.uid: page.png for page in pages if page.png is not None}
