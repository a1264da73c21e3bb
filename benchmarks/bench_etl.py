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

Real text (``--dev-sizes``, default 5000,20000; ``--devset``, default
../shared/devset): the dev articles replicated to N (article i is dev article
i mod 65; each copy gets its own id, outlet, link and one varied word, so content
hashes differ and every copy is processed), written to the temporary directory at
bench time (no dev text is kept). Timed with ``--dev-workers`` (default 2) with and
without dedup, beside ``search_dates`` on the same text, and the dedup stage alone
(`sweep_labels` + `merge_stream` over the run's raw events, one process) to show how
its time grows with the copies. ``--quick`` runs small sizes while developing;
``--repeat R`` runs each timed configuration R times and reports the median.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
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


def one_run(corpus: str, data: str, workers: int, use_dedup: bool = True) -> None:
    """Child mode: one ETL run in this process; prints a JSON line of measurements."""
    from etl.cli import run, setup_logging

    setup_logging(False)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = r0.ru_utime + r0.ru_stime
    started = time.perf_counter()
    code = run([corpus], Path(data), True, workers=workers, use_dedup=use_dedup)
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


def timed_run(corpus: Path, data: Path, workers: int, use_dedup: bool = True) -> dict:
    cmd = [sys.executable, __file__, "--one", str(corpus), str(data), str(workers)]
    cmd += [] if use_dedup else ["--no-dedup"]
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


def _tag(k: int) -> str:
    """A word of letters for copy k (no digits: nothing for the extractor to count)."""
    word = ""
    while True:
        k, r = divmod(k, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[r] + word
        if not k:
            return "ref" + word


def replicate_devset(devset: Path, n: int, out: Path) -> Path:
    """n articles as JSONL: dev article i mod 65, copy i // 65, with its own id, outlet
    and link and one varied word (so the content hash differs)."""
    texts = sorted(devset.glob("*.txt"))
    if not texts:
        raise SystemExit(f"no dev articles (*.txt) in {devset}")
    originals = []
    for path in texts:
        meta_path = path.with_suffix(".meta.json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        originals.append((path.stem, path.read_text(encoding="utf-8"), meta))
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            stem, text, meta = originals[i % len(originals)]
            k = i // len(originals)
            record = {
                "id": f"{stem}-{k}",
                "text": f"{text.rstrip()}\n\n({_tag(k)})\n",
                "published": meta.get("published"),
                "title": meta.get("title"),
                "source": f"{meta.get('source') or 'outlet'} {k}",
                "url": f"{meta.get('url') or 'https://example.org/' + stem}#{k}",
            }
            f.write(json.dumps({key: v for key, v in record.items() if v is not None}) + "\n")
    return out


def dedup_only(data: Path) -> None:
    """Child mode: the dedup stage alone over a finished run's raw events."""
    import pyarrow.parquet as pq

    from etl.dedup import merge_stream, sweep_labels
    from etl.store import iter_raw_events

    current = data / "current"
    raw, raw_cas = current / "_raw_events.parquet", current / "_raw_casualties.parquet"
    pub = {
        r["article_id"]: r["pub_date"]
        for r in pq.read_table(
            data / "articles.parquet", columns=["article_id", "pub_date"]
        ).to_pylist()
    }
    with tempfile.TemporaryDirectory(prefix="sortie-dedup-") as work:
        started = time.perf_counter()
        lab = sweep_labels(raw, pub, Path(work) / "sweep")
        labelled = time.perf_counter()
        merged = sum(1 for _ in merge_stream(iter_raw_events(raw, raw_cas), lab, pub))
        done = time.perf_counter()
    print(
        json.dumps(
            {
                "raw": len(lab),
                "events": merged,
                "sweep": labelled - started,
                "merge": done - labelled,
                "seconds": done - started,
            }
        )
    )


def _child(args: list[str]) -> dict:
    res = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def dev_bench(args) -> None:
    """The replicated dev articles: ETL with and without dedup, search_dates, dedup alone."""
    sizes = [int(s) for s in args.dev_sizes.split(",")]
    w, reps = args.dev_workers, max(1, args.repeat)
    print(
        f"real text: dev articles from {args.devset} replicated to {sizes}; {w} workers; "
        f"load {os.getloadavg()[0]:.1f}; median of {reps}",
        flush=True,
    )
    header = (
        f"{'articles':>9} {'copies':>6} {'dedup art/s':>11} {'art/cpu-s':>9} "
        f"{'no-dedup art/s':>14} "
        f"{'raw events':>10} {'events':>7} {'dedup s':>8} {'dedup ms/1k raw':>15} "
        f"{'search_dates ms/art':>19} {'ETL faster by':>13} {'rss MB':>7}"
    )
    lines = [header, "-" * len(header)]
    with tempfile.TemporaryDirectory(prefix="sortie-bench-dev-") as tmp:
        tmp = Path(tmp)
        for n in sizes:
            corpus = replicate_devset(args.devset, n, tmp / f"dev{n}.jsonl")
            copies = n / len(list(args.devset.glob("*.txt")))
            per_article, _ = search_dates_time(corpus, min(args.sample, n))
            with_dedup, without, alone = [], [], []
            for r in range(reps):
                data = tmp / f"dev{n}-{r}"
                with_dedup.append(timed_run(corpus, data, w))
                alone.append(_child(["--dedup-only", str(data)]))
                shutil.rmtree(data)
                without.append(timed_run(corpus, tmp / f"dev{n}-{r}-nd", w, use_dedup=False))
                shutil.rmtree(tmp / f"dev{n}-{r}-nd")
            run_s = _median(with_dedup, "seconds")
            dedup_s = _median(alone, "seconds")
            lines.append(
                f"{n:>9} {copies:>6.0f} {n / run_s:>11.0f} "
                f"{n / _median(with_dedup, 'cpu'):>9.0f} "
                f"{n / _median(without, 'seconds'):>14.0f} {alone[0]['raw']:>10} "
                f"{alone[0]['events']:>7} {dedup_s:>8.2f} "
                f"{1000 * dedup_s / alone[0]['raw'] * 1000:>15.1f} "
                f"{per_article * 1000:>19.1f} {per_article * n / run_s:>12.1f}x "
                f"{max(r['rss_kb'] for r in with_dedup) / 1024:>7.0f}"
            )
            print(lines[-1], flush=True)
    print("\n".join(lines))
    print(
        "copies: articles per dev article; art/s: articles / ETL run seconds (imports "
        "excluded), 2 workers, with dedup and with --no-dedup; art/cpu-s: articles per CPU "
        "second of the dedup run (main process and workers: what free cores would give "
        "on a shared machine); raw events: per-article "
        "reports; events: after dedup; dedup s: the dedup stage alone (sweep_labels + "
        "merge_stream, one process) over the same raw events; dedup ms/1k raw: dedup "
        "time per 1,000 raw events (flat = linear in the copies); search_dates: "
        f"dateparser.search_dates on the first {args.sample} articles of the same "
        "corpus, one process; ETL faster by: search_dates time for the corpus / ETL run "
        "time with dedup; rss MB: peak RSS of the main process with dedup.\n",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    ap.add_argument("--sample", type=int, default=300, help="articles for search_dates")
    ap.add_argument("--corpus", choices=("both", "synthetic", "dev"), default="both")
    ap.add_argument("--dev-sizes", default="5000,20000", help="replicated dev articles")
    ap.add_argument("--dev-workers", type=int, default=2)
    ap.add_argument("--devset", type=Path, default=ROOT.parent / "shared" / "devset")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration (median)")
    ap.add_argument("--quick", action="store_true", help="small sizes, for development")
    ap.add_argument("--one", nargs=3, metavar=("CORPUS", "DATA", "WORKERS"), help=argparse.SUPPRESS)
    ap.add_argument("--no-dedup", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--dedup-only", metavar="DATA", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one_run(args.one[0], args.one[1], int(args.one[2]), not args.no_dedup)
        return
    if args.dedup_only:
        dedup_only(Path(args.dedup_only))
        return
    if args.quick:
        args.sizes, args.dev_sizes, args.sample = "500", "1000,4000", 60
    if args.corpus in ("both", "dev"):
        dev_bench(args)
    if args.corpus == "dev":
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
