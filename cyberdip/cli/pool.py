"""Many files on every core: a forked worker pool, results in input order.

``aggregate`` and ``validate`` read files by the thousand; below ``PARALLEL_FROM``
files, or where processes cannot fork, the work runs in this process. The first
item always runs here, so what it loads and caches (a rubric) is inherited by the
workers instead of loaded again in each.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

#: Below this many files a worker pool costs more than it saves.
PARALLEL_FROM = 64


def _worker_init() -> None:
    """Leave Ctrl-C to the parent, and keep the garbage collector off the objects
    inherited from it (the rubric, the modules), so they are not copied page by page."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parallel_map(func: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
    """``map(func, items)``, in worker processes when there are many items."""
    import multiprocessing

    n = cpus()
    # Only where processes can fork: a spawned worker would import `python -m cyberdip`'s
    # __main__ again, and would have to load everything again.
    if (len(items) < PARALLEL_FROM or n < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        yield from map(func, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    yield func(items[0])
    rest = items[1:]
    ctx = multiprocessing.get_context("fork")
    workers = min(n, 8)
    chunk = max(1, min(16, len(rest) // (workers * 8)))  # small: no long tail on one core
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init)
    try:
        yield from pool.map(func, rest, chunksize=chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
