"""Run per-dashboard work on a thread pool, stopping early when Grafana refuses outright."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from core.errors import GrafanaUnavailable

T = TypeVar("T")
R = TypeVar("R")


def run_all(
    items: Iterable[T], work: Callable[[T], R], concurrency: int, on_done: Callable[[], None] = lambda: None
) -> list[R]:
    """Results in input order. A GrafanaUnavailable (401/403/unreachable) stops new work and is re-raised."""
    stop = threading.Event()
    first_refusal: list[GrafanaUnavailable] = []

    def guarded(item: T) -> R | None:
        if stop.is_set():
            return None
        try:
            return work(item)
        except GrafanaUnavailable as exc:
            stop.set()
            first_refusal.append(exc)
            return None
        finally:
            on_done()

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="dash-push") as pool:
        results = list(pool.map(guarded, list(items)))
    if first_refusal:
        raise first_refusal[0]
    return [r for r in results if r is not None]
