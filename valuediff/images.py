"""`dash diff --png DIR`: each changed dashboard drawn before and after on the same data, as `dash preview --png`
draws it (preview.build, preview.png), so a reviewer sees the layout, units and colours a JSON diff only names."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from preview.build import Preview, write_previews
from preview.png import screenshots
from valuediff.panels import board_assignments
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
    pages: list[Preview] = []
    for board in (b for b in revision.local.dashboards if b.uid in uids):
        assignments = board_assignments(board, given)
        pages += write_previews(revision.local.env, [board], data, start, end, out, assignments)
    images = screenshots([page.html for page in pages])
    return {page.uid: image for page, image in zip(pages, images, strict=True)}
