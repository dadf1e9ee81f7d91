"""Plant known bugs one at a time and report which tests catch each: the suite's strength, re-measurable.

Run by hand from the repository root:

    python bench/mutations.py                    # every mutation, stop each run at the first failing test
    python bench/mutations.py --all-failures     # list every test that fails for each (full suite per bug)
    python bench/mutations.py --only aht-without-hold --tests tests/localquery

Each mutation is planted in a scratch copy of the working tree beside the repository (so ../shared is found as
in CI), `dash build` regenerates the committed output there as a developer would before committing, and pytest
runs. A mutation is caught when any test fails. Prints a table; exits 1 if any mutation went uncaught.
Several mutations plant the same bug consistently in two places (the SQL and the ground truth, or both stores),
as a real mistake made twice would be.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Edit:
    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Mutation:
    name: str
    bug: str
    edits: tuple[Edit, ...]


MUTATIONS = (
    Mutation(
        "aht-without-hold",
        "Average handle time leaves out hold time, in both SQL files and the simulator's ground truth",
        (
            Edit(
                "queries/athena/history/avg_handle_time.sql",
                "agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration",
                "agent.agentinteractionduration + agent.aftercontactworkduration",
            ),
            Edit(
                "queries/athena/history/agents.sql",
                "agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration",
                "agent.agentinteractionduration + agent.aftercontactworkduration",
            ),
            Edit("connect_simulator/truth.py", "talk + (hold or 0) + (acw or 0)", "talk + (acw or 0)"),
        ),
    ),
    Mutation(
        "logout-still-online",
        "An agent whose last event is LOGOUT but whose snapshot is still routable counts as online (both stores)",
        (
            Edit("queries/timestream/_latest.sql", " AND event_type <> 'LOGOUT')", ")"),
            Edit("queries/influxdb/_agents.influxql", "\"event_type\" <> 'LOGOUT' AND ", ""),
        ),
    ),
    Mutation(
        "duration-stat-in-ms",
        "The oldest-contact stat shows seconds with the milliseconds unit",
        (
            Edit(
                "dashboards/realtime_queues.py",
                '"oldest_contact_age",\n        "Oldest contact in queue",\n        DURATION,',
                '"oldest_contact_age",\n        "Oldest contact in queue",\n        "ms",',
            ),
        ),
    ),
    Mutation(
        "all-value-quoted",
        "The SQL checker quotes a custom All value, which Grafana inserts as written",
        (
            Edit(
                "sqlcheck/substitution.py",
                "value = sample.all_value ",
                'value = "\'" + sample.all_value.replace("\'", "\'\'") + "\'" ',
            ),
        ),
    ),
    Mutation(
        "all-value-escaped-influxql",
        "The InfluxQL checker escapes a custom All value's quotes, which Grafana inserts as written",
        (
            Edit(
                "influxqlcheck/variables.py",
                "return variable.all_value\n",
                'return variable.all_value.replace("\'", "\\\\\'")\n',
            ),
        ),
    ),
    Mutation(
        "providers-unsorted",
        "The dashboard providers' folders are listed in set order",
        (Edit("dashcompiler/provisioning.py", "for uid in sorted(set(folder_uids))", "for uid in set(folder_uids)"),),
    ),
    Mutation(
        "replaced-counted-written",
        "A record replaced by a later one of its event counts as written when that later one was not",
        (
            Edit(
                "infra/lambdas/connect_ingest/sinks/base.py",
                "            elif successor in unwritten:\n                unwritten.add(index)\n",
                "",
            ),
        ),
    ),
    Mutation(
        "service-level-strict",
        "History service level counts contacts answered strictly within the threshold (Connect: within, inclusive)",
        (Edit("queries/athena/history/service_level.sql", "queue.duration <= CAST", "queue.duration < CAST"),),
    ),
    Mutation(
        "ctr-dedup-oldest",
        "CTR deduplication keeps the oldest version of a re-sent contact record instead of the latest",
        (
            Edit(
                "queries/athena/_contacts.sql",
                "ORDER BY from_iso8601_timestamp(c.lastupdatetimestamp) DESC",
                "ORDER BY from_iso8601_timestamp(c.lastupdatetimestamp) ASC",
            ),
        ),
    ),
    Mutation(
        "abandoned-includes-callbacks",
        "Contacts abandoned count callback contacts (Connect: callbacks are not abandoned)",
        (Edit("queries/_abandoned.sql", " AND {{ initiation_method }} <> 'CALLBACK'", ""),),
    ),
    Mutation(
        "asa-over-all-queued",
        "Average speed of answer averages the queue time of every queued contact, abandoned ones too",
        (
            Edit(
                "queries/athena/history/avg_speed_of_answer.sql",
                "queue.enqueuetimestamp IS NOT NULL AND agent.connectedtoagenttimestamp IS NOT NULL",
                "queue.enqueuetimestamp IS NOT NULL",
            ),
        ),
    ),
    Mutation(
        "version-conflict-not-raised",
        "A Timestream version conflict is retried with the same version (the update is then lost)",
        (
            Edit(
                "infra/lambdas/connect_ingest/sinks/timestream.py",
                "versions[index] = max(versions[index], int(existing)) + 1",
                "versions[index] = versions[index]",
            ),
        ),
    ),
)


def apply(mutation: Mutation, root: Path) -> None:
    """Plant every edit; each `old` must occur exactly once, or the mutation is stale and says where."""
    for edit in mutation.edits:
        path = root / edit.path
        text = path.read_text(encoding="utf-8")
        count = text.count(edit.old)
        if count != 1:
            raise SystemExit(
                f"{mutation.name}: {edit.path} has {count} copies of {edit.old!r}; update bench/mutations.py"
            )
        path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


def scratch_copy() -> Path:
    """The working tree's tracked and new files, beside the repository so that ../shared resolves as in CI."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    target = Path(tempfile.mkdtemp(prefix=f"{ROOT.name}-mutant-", dir=ROOT.parent))
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def failing_tests(output: str) -> list[str]:
    """Test ids from pytest's short summary (`FAILED <id> - <message>`; a parametrised id may hold spaces)."""
    return [
        line.split(" ", 1)[1].split(" - ", 1)[0]
        for line in output.splitlines()
        if line.startswith(("FAILED ", "ERROR "))
    ]


def run(mutation: Mutation, tests: list[str], all_failures: bool) -> tuple[list[str], list[str], float]:
    """The tests that fail with the mutation planted and pass without it, those that fail either way (the
    environment, not the bug: reported apart, never counted as catching it), and the seconds it took."""
    root = scratch_copy()
    started = time.perf_counter()
    try:
        apply(mutation, root)
        env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'infra' / 'lambdas'}"}
        if not _built(root, env):
            return ["dash build refused the planted bug"], [], time.perf_counter() - started
        failing = _pytest(root, env, [*([] if all_failures else ["-x"]), *tests])
        if not failing:
            return [], [], time.perf_counter() - started
        for edit in mutation.edits:  # the same tests without the bug
            shutil.copy2(ROOT / edit.path, root / edit.path)
        _built(root, env)
        rerun = [test for test in failing if "::" in test]
        either_way = set(_pytest(root, env, rerun)) if rerun else set()
        either_way |= {test for test in failing if "::" not in test}  # a module that does not even collect
        caught = [test for test in failing if test not in either_way]
        return caught, sorted(either_way), time.perf_counter() - started
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _built(root: Path, env: dict[str, str]) -> bool:
    done = subprocess.run([sys.executable, "-m", "cli", "build"], cwd=root, env=env, capture_output=True, text=True)
    return done.returncode == 0


def _pytest(root: Path, env: dict[str, str], args: list[str]) -> list[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *args]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    failing = failing_tests(done.stdout)
    if done.returncode not in (0, 1) or any("::" not in test for test in failing):
        print(f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-1500:]}{done.stderr[-500:]}")
    return failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=[], help="mutation names (default: all)")
    parser.add_argument("--tests", nargs="*", default=["tests"], help="pytest paths (default: the whole suite)")
    parser.add_argument("--all-failures", action="store_true", help="run each to the end, listing every failure")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    unknown = sorted(set(args.only) - {m.name for m in MUTATIONS})
    if unknown:
        raise SystemExit(f"unknown mutation(s): {', '.join(unknown)}; --list shows them")
    console = Console()
    if args.list:
        for mutation in chosen:
            console.print(f"{mutation.name}: {mutation.bug}")
        return 0
    table = Table("mutation", "caught", "by", "s", title=f"{len(chosen)} planted bugs, {os.cpu_count()} cores")
    missed = 0
    for mutation in chosen:
        caught, either_way, seconds = run(mutation, args.tests, args.all_failures)
        missed += not caught
        shown = ", ".join(caught[:3]) + (f" (+{len(caught) - 3})" if len(caught) > 3 else "")
        if either_way:
            shown += f" [failing without the bug too: {', '.join(either_way[:2])}]"
        table.add_row(mutation.name, "yes" if caught else "[red]NO[/red]", shown or mutation.bug, f"{seconds:.0f}")
        console.print(f"{mutation.name}: {'caught' if caught else 'MISSED'} in {seconds:.0f} s {shown}")
    console.print(table)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
