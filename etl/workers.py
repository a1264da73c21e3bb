"""The local worker pool: workers that hold nothing of the run's and die with it,
and a run that survives a worker dying.

- Workers are forked from a fork server (a fresh interpreter that preloads the
  pipeline), so they inherit no descriptor of the run's process: the dataset lock
  above all (etl.lock).
- A worker exits when the run's process dies: on Linux the kernel kills it when its
  parent (the fork server, which exits with the run) dies (`PR_SET_PDEATHSIG`), and
  everywhere a thread checks every second that the run's process is alive.
- A worker that dies (killed by the system for memory, a crash in a C library) breaks
  the pool. The chunk it had is then processed again one article at a time in a pool
  of one, so an article that kills its worker every time is found and becomes a
  `failed` row; the other chunks go to a new pool. The run goes on.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL = 1.0  # seconds between checks that the run's process is alive
WORKER_DIED = (
    "worker process died while processing this article (killed by the system, "
    "e.g. for memory, or crashed); not processed"
)


def worker_pool(workers: int, preload: str | None = None) -> ProcessPoolExecutor:
    """A process pool of `workers` whose workers hold no descriptor of this process and
    exit when it dies; `preload`: a module the fork server imports once for all."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver" and preload:
        ctx.set_forkserver_preload([preload])
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_watch_parent, initargs=(os.getpid(),)
    )


def _watch_parent(parent: int) -> None:
    """In a worker: die with the run's process `parent` (see the module's docstring)."""
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the thread below still notices

    def watch() -> None:
        from .lock import pid_alive

        while pid_alive(parent):
            threading.Event().wait(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="sortie-parent-watch", daemon=True).start()


def pool_stream(
    chunks: Iterable[list],
    workers: int,
    do_chunk: Callable[[list], list],
    do_one: Callable,
    *,
    lookahead: int = 4,
    preload: str | None = None,
) -> Iterator:
    """`do_chunk` over the chunks in a pool of `workers`, results in input order, a
    bounded number of chunks in flight; survives workers dying (module docstring)."""
    chunks = iter(chunks)
    pool = worker_pool(workers, preload)
    pending: deque = deque()  # (chunk, future), in input order
    try:
        while True:
            while len(pending) < workers * lookahead:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, pool.submit(do_chunk, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                results = one_by_one(chunk, do_one, preload)
                pool = worker_pool(workers, preload)
                pending = deque(
                    (c, f if _finished(f) else pool.submit(do_chunk, c)) for c, f in pending
                )
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(future) -> bool:
    """Did a future finish with a result (before its pool broke)?"""
    return future.done() and not future.cancelled() and future.exception() is None


def one_by_one(chunk: list, do_one: Callable, preload: str | None = None) -> list:
    """`do_one` on each article of a chunk in a pool of one; an article whose worker dies
    becomes a failed row (the pool is replaced for the next)."""
    out = []
    pool = worker_pool(1, preload)
    try:
        for article in chunk:
            try:
                out.append(pool.submit(do_one, article).result())
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = worker_pool(1, preload)
                dead = dataclasses.replace(article, text="", status="failed", error=WORKER_DIED)
                out.append((dead, []))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return out
