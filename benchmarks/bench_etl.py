"""Benchmark: the ETL end to end (articles/s, peak memory) beside dateparser.search_dates.

Run with ``.venv/bin/python benchmarks/bench_etl.py [--sizes 1000,10000] [--workers 1,2]``.

For each corpus size a synthetic corpus (benchmarks/make_corpus.py; ~20% incident
reports) is written to a temporary directory, then `sortie-etl run` is timed in a
fresh process per configuration (so peak RSS is that run's own: the main process
and, separately, the largest worker process, from resource.getrusage). A second
run over the same corpus measures an incremental no-op (everything unchanged).

For scale, the same articles are given to
``dateparser.search_dates(text, languages=['en'], settings={'RELATIVE_BASE': pub,
'PREFER_DATES_FROM': 'past'})`` alone, one process, on a sample (``--sample``,
default 300 articles) and extrapolated to the corpus size: a date search is only one
of the things the ETL does per article.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402


def one_run(corpus: str, data: str, workers: int) -> None:
    """Child mode: one ETL run in this process; prints a JSON line of measurements."""
    from etl.cli import run, setup_logging

    setup_logging(False)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = r0.ru_utime + r0.ru_stime
    started = time.perf_counter()
    code = run([corpus], Path(data), True, workers=workers)
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime - cpu0
    print(
        json.dumps(
            {
                "code": code,
                "seconds": elapsed,
                "cpu": cpu,
                "rss_kb": own.ru_maxrss,
                "worker_rss_kb": kids.ru_maxrss,
            }
        )
    )


def timed_run(corpus: Path, data: Path, workers: int) -> dict:
    cmd = [sys.executable, __file__, "--one", str(corpus), str(data), str(workers)]
    started = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - started  # including interpreter start and imports
    if out["code"] != 0:
        raise SystemExit(f"ETL run failed: {res.stderr}")
    return out


def search_dates_time(corpus: Path, sample: int) -> tuple[float, int]:
    """Seconds per article for dateparser.search_dates over the first `sample` articles."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser's own deprecation chatter
        from dateparser.search import search_dates

        rows = []
        with corpus.open() as f:
            for line in f:
                rows.append(json.loads(line))
                if len(rows) >= sample:
                    break
        search_dates("warm up on Monday", languages=["en"])
        started = time.perf_counter()
        for r in rows:
            base = datetime.fromisoformat(r["published"])
            search_dates(
                r["text"],
                languages=["en"],
                settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
            )
    return (time.perf_counter() - started) / len(rows), len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    ap.add_argument("--sample", type=int, default=300, help="articles for search_dates")
    ap.add_argument("--one", nargs=3, metavar=("CORPUS", "DATA", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one_run(args.one[0], args.one[1], int(args.one[2]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = sorted({int(w) for w in args.workers.split(",")})
    load = os.getloadavg()[0]
    print(f"cores: {os.cpu_count()}  load: {load:.1f}  sizes: {sizes}  workers: {workers}")
    header = (
        f"{'articles':>9} {'workers':>7} {'run s':>7} {'art/s':>7} {'cpu s':>7} {'art/cpu-s':>9} "
        f"{'wall s':>7} "
        f"{'rss MB':>7} {'wkr MB':>7} {'rerun s':>8} {'search_dates s':>15} {'ETL speedup':>11}"
    )
    lines = [header, "-" * len(header)]
    with tempfile.TemporaryDirectory(prefix="sortie-bench-") as tmp:
        tmp = Path(tmp)
        for n in sizes:
            corpus = make_corpus(n, tmp / f"corpus{n}.jsonl")
            per_article, sampled = search_dates_time(corpus, min(args.sample, n))
            sd_total = per_article * n
            for w in workers:
                data = tmp / f"data{n}w{w}"
                first = timed_run(corpus, data, w)
                again = timed_run(corpus, data, w)
                lines.append(
                    f"{n:>9} {w:>7} {first['seconds']:>7.1f} {n / first['seconds']:>7.0f} "
                    f"{first['cpu']:>7.1f} {n / first['cpu']:>9.0f} "
                    f"{first['wall']:>7.1f} {first['rss_kb'] / 1024:>7.0f} "
                    f"{first['worker_rss_kb'] / 1024:>7.0f} {again['seconds']:>8.2f} "
                    f"{sd_total:>15.1f} {sd_total / first['seconds']:>10.1f}x"
                )
                print(lines[-1], flush=True)
            lines.append(
                f"{'':>9} search_dates: {per_article * 1000:.1f} ms/article "
                f"(timed on {sampled}, extrapolated to {n})"
            )
            print(lines[-1], flush=True)
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\n".join(lines))
    print(
        "run s: the ETL run (read, extract, dedup, write), imports excluded; cpu s: CPU time "
        "of the run, main process and workers (art/cpu-s shows what free cores would give "
        "when other jobs share the machine); wall s: the whole "
        "process; rss MB: peak RSS of the main process; wkr MB: of the largest worker; "
        "rerun s: a second run over the same corpus (all unchanged); search_dates s: "
        "dateparser.search_dates alone on the same articles, one process; ETL speedup: "
        "search_dates time / ETL run time."
    )


if __name__ == "__main__":
    main()
