"""Command line: `sortie-etl run SOURCES... --data DIR` (same as `python -m etl run`).

Runs are incremental (only new or changed articles are processed; the dataset
in DIR is the state), hold a lock on DIR (a second run exits 0 at once, or
waits with --wait), switch the dataset atomically, and append a row to
DIR/runs.parquet. Exit codes: 0 ok (or lock held), 2 nothing to read, 3 cannot write.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# Arrow's C++ code (Parquet reading and writing) allocates from the pool named here when
# it first needs one: the system allocator gives streamed batches back after use, where
# the default (mimalloc) keeps ~40 MB of them. Set before pyarrow is imported below.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from . import __version__  # noqa: E402
from .dedup import merge_stream, sweep_labels  # noqa: E402
from .lock import DatasetLock  # noqa: E402
from .pipeline import process_stream  # noqa: E402
from .sources import is_url, read_sources  # noqa: E402
from .state import State  # noqa: E402
from .store import (  # noqa: E402
    begin_version,
    iter_raw_events,
    load,
    new_run_id,
    write_dataset,
)

log = logging.getLogger("etl")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (pytest swaps it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def setup_logging(verbose: bool) -> None:
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("sortie-etl: %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.DEBUG if verbose else logging.INFO)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sortie-etl", description=__doc__)
    parser.add_argument("--version", action="version", version=f"sortie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract events from articles into Parquet tables")
    run.add_argument(
        "sources",
        nargs="+",
        help=".txt/.jsonl/.html/.xml/.rss/.atom files, directories of them, or feed URLs",
    )
    run.add_argument("--data", default="data", help="output directory (default: data)")
    run.add_argument("--quiet", action="store_true", help="no progress bar (implied without a TTY)")
    run.add_argument(
        "--wait", action="store_true", help="wait for another run's lock instead of exiting"
    )
    run.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="local worker processes (default: all cores; 1 = in this process)",
    )
    run.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask distributed cluster at ADDRESS"
    )
    run.add_argument("--no-dedup", action="store_true", help="keep one event per article report")
    run.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def progress(items, quiet: bool):
    if quiet:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="article", desc="sortie", file=sys.stderr)


def use_system_allocator() -> None:
    """Arrow buffers made from Python from the system allocator too (see the top)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") == "system":
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())


def run(
    sources: list[str],
    data_dir: Path,
    quiet: bool,
    *,
    wait: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    use_dedup: bool = True,
) -> int:
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    use_system_allocator()
    missing = [s for s in sources if not is_url(s) and not _exists(s)]
    if missing and len(missing) == len(sources):
        log.error("nothing to read: %s not found", ", ".join(missing))
        return 2
    lock = DatasetLock(data_dir, wait=wait)
    try:
        if wait:
            log.debug("waiting for the lock on %s", data_dir)
        held = lock.acquire()
    except OSError as exc:
        log.error("cannot write the dataset to %s: %s", data_dir, exc)
        return 3
    if not held:
        log.info("another run holds the lock on %s (pid %s); exiting", data_dir, lock.holder())
        return 0
    try:
        return _locked_run(
            sources, data_dir, quiet, workers, scheduler, use_dedup, started, started_at
        )
    finally:
        lock.release()


def _exists(source: str) -> bool:
    try:
        return Path(source).exists() or Path(source).is_symlink()
    except OSError:  # e.g. a name too long: read_sources gives it a failed row
        return True


class Counted:
    """Passes a stream through, counting its items (`n`)."""

    def __init__(self, items):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


def _locked_run(sources, data_dir, quiet, workers, scheduler, use_dedup, started, started_at):
    try:
        snapshot = load(data_dir)
    except Exception as exc:  # unreadable previous dataset: refuse to overwrite it
        log.error("cannot read the existing dataset in %s: %s", data_dir, exc)
        return 3
    run_id = new_run_id()
    try:
        work = begin_version(data_dir, run_id)  # processed articles are spilled there
    except OSError as exc:
        log.error("cannot write the dataset to %s: %s", data_dir, exc)
        return 3
    try:
        state = State(snapshot, spill_dir=work)
    except Exception as exc:
        shutil.rmtree(work, ignore_errors=True)
        log.error("cannot read the existing dataset in %s: %s", data_dir, exc)
        return 3
    try:
        todo = state.triage(read_sources(sources))
        for article, found in progress(process_stream(todo, workers, scheduler), quiet):
            state.record(article, found)
        stats = state.stats
        if not stats.read:
            log.error("no articles found in %s", ", ".join(sources))
            return 2
        try:
            raw_events, raw_casualties = state.write_raw(work)
            raw = iter_raw_events(raw_events, raw_casualties)
            if use_dedup:  # clustered in a sweep over time, merged as the events stream by
                lab = sweep_labels(raw_events, state.pub, work / ".dedup")
                events = merge_stream(raw, lab, state.pub)
                n_raw = len(lab)
            else:
                events, n_raw = raw, None
            counted = Counted(events)
            write_dataset(
                data_dir,
                state.article_tables,
                counted,
                runs=state.runs_with(run_id, started_at, sources, stats.events),
                run_id=run_id,
            )
        except OSError as exc:
            log.error("cannot write the dataset to %s: %s", data_dir, exc)
            return 3
    finally:
        state.close()
        if work.exists():  # not renamed into place: a failed or empty run
            shutil.rmtree(work, ignore_errors=True)
    log.info(
        "%d articles read, %d ok, %d failed, %d events written to %s "
        "(%d new, %d updated, %d unchanged; %d reports merged into %d events) in %.2fs",
        stats.read,
        stats.ok,
        stats.failed,
        counted.n,
        data_dir,
        stats.new,
        stats.updated,
        stats.unchanged,
        counted.n if n_raw is None else n_raw,
        counted.n,
        time.perf_counter() - started,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    quiet = args.quiet or not sys.stderr.isatty()
    return run(
        args.sources,
        Path(args.data),
        quiet,
        wait=args.wait,
        workers=args.workers,
        scheduler=args.scheduler,
        use_dedup=not args.no_dedup,
    )


if __name__ == "__main__":
    sys.exit(main())
