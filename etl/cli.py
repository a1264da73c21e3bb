"""Command line: `sortie-etl run SOURCES... --data DIR` (same as `python -m etl run`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .pipeline import process
from .sources import read_sources
from .store import write_dataset


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sortie-etl", description=__doc__)
    parser.add_argument("--version", action="version", version=f"sortie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract events from articles into Parquet tables")
    run.add_argument("sources", nargs="+", help=".txt/.jsonl files or directories of them")
    run.add_argument("--data", default="data", help="output directory (default: data)")
    run.add_argument("--quiet", action="store_true", help="no progress bar (implied without a TTY)")
    return parser


def progress(items, quiet: bool):
    if quiet:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="article", desc="sortie", file=sys.stderr)


def run(sources: list[str], data_dir: Path, quiet: bool) -> int:
    started = time.perf_counter()
    missing = [s for s in sources if not Path(s).exists()]
    if missing and len(missing) == len(sources):
        print(f"sortie-etl: nothing to read: {', '.join(missing)} not found", file=sys.stderr)
        return 2
    articles, events = [], []
    for article in progress(read_sources(sources), quiet):
        article, found = process(article)
        articles.append(article)
        events.extend(found)
    if not articles:
        print(
            f"sortie-etl: no .txt or .jsonl articles found in {', '.join(sources)}", file=sys.stderr
        )
        return 2
    try:
        write_dataset(data_dir, articles, events)
    except OSError as exc:
        print(f"sortie-etl: cannot write the dataset to {data_dir}: {exc}", file=sys.stderr)
        return 3
    ok = sum(a.status == "ok" for a in articles)
    failed = sum(a.status == "failed" for a in articles)
    print(
        f"sortie-etl: {len(articles)} articles read, {ok} ok, {failed} failed, "
        f"{len(events)} events written to {data_dir} in {time.perf_counter() - started:.2f}s",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.quiet or not sys.stderr.isatty()
    return run(args.sources, Path(args.data), quiet)


if __name__ == "__main__":
    sys.exit(main())
