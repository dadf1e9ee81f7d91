"""Write a simulation into DIR: built in a temporary sibling directory, then swapped into place."""

from __future__ import annotations

import gc
import json
import multiprocessing
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from connect_simulator.agent_events import write_agent_events
from connect_simulator.clock import iso_ms
from connect_simulator.config import SimulationConfig, SimulationError
from connect_simulator.contact_events import write_contact_events
from connect_simulator.ctr import plan_redeliveries, write_ctrs
from connect_simulator.engine import Trace, simulate_trace
from connect_simulator.incidents import drop_outage, incident
from connect_simulator.instance import ACCOUNT, REGION
from connect_simulator.truth import write_truth
from core.files import file_above, files_under, make_dir, read_listing, sha256_file, shown, unlisted_files

MANIFEST = "manifest.json"
GENERATOR = "connect_simulator"
# What a simulation writes, and nothing else: a leftover staging folder holding only these is ours to delete.
_TOP_FILES = frozenset({"agent_events.jsonl", "contact_events.jsonl", "ground_truth.jsonl", MANIFEST})

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _agent_file(trace: Trace, path: Path, seed: int, report: Connection | None = None) -> int:
    with path.open("w", encoding="utf-8") as out:
        count = write_agent_events(trace, out, seed)
    if report is not None:
        report.send(count)
        report.close()
    return count


class _AgentWriter:
    """The agent event file (the largest) written by a forked process alongside the others, where fork exists.

    Output does not depend on scheduling: each file has its own random stream and its own order.
    """

    def __init__(self, trace: Trace, path: Path, seed: int) -> None:
        self.count: int | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self.count = _agent_file(trace, path, seed)
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_agent_file, args=(trace, path, seed, send), daemon=True)
        self.process.start()
        send.close()

    def join(self) -> int:
        if self.count is None:
            try:
                self.count = self.receive.recv()
            except EOFError:
                self.count = None
            self.process.join()
            if self.count is None or self.process.exitcode != 0:
                raise SimulationError(f"writing agent events failed (exit code {self.process.exitcode})")
        return self.count


def _write(trace_dir: Path, config: SimulationConfig) -> dict[str, Any]:
    trace = simulate_trace(config)
    plan_redeliveries(trace.legs, config.seed)
    counts: dict[str, int] = {}
    agent_writer = _AgentWriter(trace, trace_dir / "agent_events.jsonl", config.seed)
    with (trace_dir / "contact_events.jsonl").open("w", encoding="utf-8") as out:
        counts["contact_events"] = write_contact_events(trace, out, config.seed)
    (trace_dir / "collector").mkdir()
    with (trace_dir / "collector" / "snapshots.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(trace.snapshots)
    counts["collector_snapshots"] = len(trace.snapshots)
    counts["ctr_lines"], counts["ctr_files"] = write_ctrs(trace, trace_dir / "ctr")
    with (trace_dir / "ground_truth.jsonl").open("w", encoding="utf-8") as out:
        counts["contact_records"] = write_truth(trace, out)
    counts["initial_contacts"] = sum(1 for leg in trace.legs if leg.previous_contact_id is None)
    counts["outbound_dropped"] = trace.outbound_dropped
    counts["agent_events"] = agent_writer.join()
    kept = drop_outage(trace_dir, config)
    if kept:
        counts["agent_events"] = kept["agent_events.jsonl"]
        counts["contact_events"] = kept["contact_events.jsonl"]
        counts["collector_snapshots"] = kept["collector/snapshots.jsonl"]
    manifest = {
        "generator": GENERATOR,
        "arguments": {
            "seed": config.seed,
            "agents": config.agents,
            "contacts": config.contacts,
            "start": config.start,
            "hours": config.hours,
            # only when set: default manifests stay as they were
            **({"unanswered_callbacks": config.unanswered_callbacks} if config.unanswered_callbacks else {}),
            **({"incident": config.incident} if config.incident else {}),
        },
        "seed": config.seed,
        "counts": counts,
        "time_span": {
            "start": iso_ms(trace.start),
            "arrivals_end": iso_ms(trace.start + config.span_ms()),
            "end": iso_ms(trace.end),
        },
        "instance": {"id": trace.instance.id, "arn": trace.instance.arn, "account": ACCOUNT, "region": REGION},
        "ctr_partitions": sorted(p.name for p in (trace_dir / "ctr").iterdir()) if counts["ctr_files"] else [],
        # Every file beside this one: the next run replaces the folder only if it still holds just these.
        "files": {rel: sha256_file(trace_dir / rel) for rel in files_under(trace_dir)},
    }
    (trace_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


@contextmanager
def _without_gc() -> Iterator[None]:
    """The run builds millions of long-lived, acyclic objects; cyclic GC passes over them cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def simulate(out: Path, config: SimulationConfig) -> dict[str, Any]:
    """Generate the traffic for ``config`` into ``out`` (replacing an earlier simulation there); return the manifest."""
    config.check()
    if config.incident:
        incident(config.incident)
    _check_replaceable(out)
    try:
        _remove_leftovers(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = make_dir(out.parent, f".{out.name}.new-")
    except OSError as exc:
        raise SimulationError(
            f"{out}: cannot create the output directory ({exc.strerror}); choose a writable place"
        ) from None
    try:
        (staging / "ctr").mkdir()
        with _without_gc():
            manifest = _write(staging, config)
        if out.exists():
            retired = make_dir(out.parent, f".{out.name}.old-")
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    except OSError as exc:
        raise SimulationError(f"{out}: cannot write the simulation ({exc.strerror}: {exc.filename})") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_replaceable(out: Path) -> None:
    """Refuse an --out that cannot be a directory or holds files the last simulation there did not write."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise SimulationError(f"{out}: is a file, not a directory; choose a new or empty directory for --out")
    blocker = file_above(out.absolute())
    if blocker is not None:
        raise SimulationError(f"{out}: cannot be created: {blocker} is a file, not a directory; choose another --out")
    if not out.is_dir():
        return
    foreign = unlisted_files(out, MANIFEST, _listing(out / MANIFEST))
    if foreign:
        raise SimulationError(
            f"{out}: refusing to replace it: it holds {shown(foreign)}, which the last dash simulate there did not "
            f"write (files not listed in its {MANIFEST}); choose a new or empty directory, or move "
            "those files away (a simulation written before manifests listed their files: delete it and simulate again)"
        )


def _listing(path: Path) -> dict[str, str]:
    return read_listing(path, GENERATOR)


def _remove_leftovers(out: Path) -> None:
    """Delete staging folders a killed run left beside ``out`` (``.NAME.new-*``, ``.NAME.old-*``) when they hold
    only what a simulation writes; anything else there is left alone."""
    if not out.parent.is_dir():
        return
    for entry in out.parent.iterdir():
        if entry.is_symlink() or not entry.is_dir():
            continue
        if entry.name.startswith(f".{out.name}.new-") and _only_simulation_output(entry):
            shutil.rmtree(entry)
        elif entry.name.startswith(f".{out.name}.old-"):
            inside = list(entry.iterdir())
            if not inside or (len(inside) == 1 and inside[0].name == out.name and _only_simulation_output(inside[0])):
                shutil.rmtree(entry)


def _only_simulation_output(directory: Path) -> bool:
    if directory.is_symlink() or not directory.is_dir():
        return False
    if any(entry.name not in _TOP_FILES | {"collector", "ctr"} for entry in directory.iterdir()):
        return False
    for rel in files_under(directory):
        parts = rel.split("/")
        if (directory / rel).is_symlink():
            return False
        ours = (
            (len(parts) == 1 and rel in _TOP_FILES)
            or rel == "collector/snapshots.jsonl"
            or (
                len(parts) == 3
                and parts[0] == "ctr"
                and parts[1].startswith("initiation_date=")
                and parts[2].endswith(".json")
            )
        )
        if not ours:
            return False
    return True
