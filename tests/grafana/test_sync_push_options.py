"""`dash push` behaviour that is easy to fake: progress, --only, --concurrency, paging through searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from grafana_sync import plan
from grafana_sync.plan import Scope
from tests.grafana.bundles import make_bundle
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import counts, plan_ops, push_engine, run_cli, summary, write_bundle


def test_progress_is_drawn_on_a_terminal_and_nowhere_else(emulator: GrafanaEmulator) -> None:
    files = make_bundle(4)
    code, _, err = push_engine(emulator, files, terminal=True)
    assert code == 0
    assert "pushing dashboards" in err and "4/4" in err
    code, _, err = push_engine(emulator, files)
    assert code == 0 and err == ""  # a log or pipe gets no bar, no control codes


def test_only_is_repeatable(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(4))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--only", "dash-0001", "--only", "dash-0002")
    assert result.exit_code == 0, result.stderr
    assert set(emulator.state.dashboards) == {"dash-0001", "dash-0002"}
    assert summary(result.stdout)["dashboards"] == counts(created=2)


def test_concurrency_is_how_many_requests_are_in_flight_at_once(emulator: GrafanaEmulator) -> None:
    emulator.latency = 0.03  # long enough for requests to overlap when the client sends them together
    files = make_bundle(16)
    for concurrency, most in ((1, 1), (8, 8)):
        emulator.state.dashboards.clear()
        emulator.reset_log()
        code, out, _ = push_engine(emulator, files, concurrency=concurrency)
        assert code == 0 and summary(out)["dashboards"] == counts(created=16)
        assert (concurrency == 1 or emulator.max_in_flight > 1) and emulator.max_in_flight <= most


def test_searches_page_through_every_hit(emulator: GrafanaEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_bundle(10)
    push_engine(emulator, files)
    monkeypatch.setattr(plan, "SEARCH_PAGE", 3)  # ten dashboards: pages of 3, 3, 3 and 1
    emulator.reset_log()
    code, out, _ = push_engine(emulator, files, dry_run=True)
    assert code == 0 and set(plan_ops(out).values()) == {"unchanged"} and len(plan_ops(out)) == 10
    pages = [e for e in emulator.log if e.path == "/api/search"]
    assert len(pages) == 1 + 4 + 4  # the credentials check, the uids' pages, the managed folders' pages
    one = {k: v for k, v in files.items() if not k.endswith(".json") or k.endswith("/dash-0000.json")}
    code, out, _ = push_engine(emulator, one, Scope(prune=True))
    assert code == 0 and summary(out)["dashboards"] == counts(unchanged=1, deleted=9)
    assert set(emulator.state.dashboards) == {"dash-0000"}


def test_an_error_message_with_brackets_is_printed_as_is(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    """Messages quote names and Grafana's words verbatim; none of it is console markup."""
    files = make_bundle(1)
    path = next(p for p in files if p.endswith("dash-0000.json"))
    files[path] = files[path].replace(b'"uid": "dash-0000"', b'"uid": "[bold]dash[/bold]"')
    write_bundle(tmp_path, files)
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert result.exit_code == 2
    assert f"{path}: uid '[bold]dash[/bold]' does not match the file name" in result.stderr
    assert emulator.log == []
