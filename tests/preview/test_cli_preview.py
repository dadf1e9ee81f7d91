"""`dash preview` as a user runs it: one page per dashboard, a failing panel's error in place and exit 1,
panels no local engine runs said so, a PNG per page with --png, and bad input said with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from tests.compiler.helpers import copy_shipped
from tests.preview.conftest import ROOT, SPAN, chromium_or_skip


def _preview(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, ["preview", *args])
    return result.exit_code, result.output


def test_every_shipped_dashboard_gets_a_page(shipped_previews: Path) -> None:
    from dashcompiler.compile import compile_model

    uids = sorted(board.uid for board in compile_model(ROOT).dashboards)
    assert sorted(p.stem for p in shipped_previews.glob("*.html")) == uids


def test_cloudwatch_panels_say_why_they_are_not_drawn(shipped_previews: Path) -> None:
    html = (shipped_previews / "connect-pipeline-health.html").read_text()
    assert html.count('class="skipped">Not drawn: Amazon CloudWatch') == 10  # every panel, none as an error


def test_a_failing_query_shows_its_error_in_place_and_exits_1(preview_data: Path, tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    query = root / "queries" / "athena" / "history" / "transfers.sql"
    query.write_text(query.read_text().replace("transfercompletedtimestamp", "no_such_column"))
    out = tmp_path / "out"
    code, output = _preview(
        "connect-history-contacts", "--data", str(preview_data), *SPAN, "--out", str(out), "--root", str(root)
    )
    assert code == 1, output
    assert "connect-history-contacts panel transfers:" in output and "no_such_column" in output
    html = (out / "connect-history-contacts.html").read_text()
    section = html[html.index('id="panel-transfers"') :]
    section = section[: section.index("</section>")]
    assert 'class="error"' in section and "no_such_column" in section
    assert html.count('class="error"') == 1  # the other panels drew
    assert 'class="stat-value"' in html


def test_an_unknown_dashboard_is_refused_naming_the_ones_there_are(preview_data: Path, tmp_path: Path) -> None:
    code, output = _preview("nope", "--data", str(preview_data), *SPAN, "--out", str(tmp_path), "--root", str(ROOT))
    assert code == 2 and "no dashboard 'nope'" in output and "connect-rt-queues" in output
    assert not list(tmp_path.iterdir())


def test_a_range_that_ends_before_it_starts_is_refused(preview_data: Path, tmp_path: Path) -> None:
    span = ["--from", SPAN[3], "--to", SPAN[1]]
    code, output = _preview(
        "connect-rt-queues", "--data", str(preview_data), *span, "--out", str(tmp_path), "--root", str(ROOT)
    )
    assert code == 2 and "is not after --from" in output


def test_png_writes_a_screenshot_beside_each_page(preview_data: Path, tmp_path: Path) -> None:
    chromium_or_skip()
    code, output = _preview(
        "connect-rt-contacts", "--data", str(preview_data), *SPAN, "--out", str(tmp_path), "--png", "--root", str(ROOT)
    )
    assert code == 0, output
    png = (tmp_path / "connect-rt-contacts.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1600 and height > 600  # the full page, not the viewport's first screen


def test_png_without_chromium_says_how_to_install_it(
    preview_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASH_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    code, output = _preview(
        "connect-rt-contacts", "--data", str(preview_data), *SPAN, "--out", str(out), "--png", "--root", str(ROOT)
    )
    assert code == 2 and "apt-get install chromium" in output
    assert (out / "connect-rt-contacts.html").is_file()  # the page is written; only the picture is missing


def test_a_var_applies_to_the_dashboards_that_declare_it_and_shows_in_their_header(
    preview_data: Path, tmp_path: Path
) -> None:
    # sl_seconds is declared by the history dashboards and rt-contacts, not by rt-queues; a queue no data has warns
    uids = ["connect-history-contacts", "connect-rt-queues"]
    code, output = _preview(
        *uids, "--data", str(preview_data), *SPAN, "--out", str(tmp_path), "--var", "sl_seconds=30",
        "--var", "queue=Nowhere", "--root", str(ROOT),
    )  # fmt: skip
    assert code == 0, output
    history = (tmp_path / "connect-history-contacts.html").read_text()
    assert "$sl_seconds = 30 (--var)" in history and "$queue = Nowhere (--var)" in history
    assert "$sl_seconds" not in (tmp_path / "connect-rt-queues.html").read_text()
    assert output.count("--var queue=Nowhere matches no value of $queue") == 2


def test_a_var_no_dashboard_declares_is_refused_before_anything_runs(preview_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _preview(
        "--data", str(preview_data), *SPAN, "--out", str(out), "--var", "sl_secs=30", "--root", str(ROOT)
    )
    assert (
        code == 2 and "--var sl_secs: no dashboard previewed has such a variable" in output and "sl_seconds" in output
    )
    assert not out.exists() or not list(out.iterdir())
