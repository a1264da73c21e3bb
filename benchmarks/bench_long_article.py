"""Benchmark: one long article (default ~1 MB) through every per-article stage.

Run with ``make bench-etl`` or ``.venv/bin/python benchmarks/bench_long_article.py
[--sizes 80,160,1000] [--cap 120]``.

The article is built from this file's own synthetic incident and background
sentences (no corpus text), repeated with varying places, numbers and days until it
reaches the size in KB. Each size is processed by `etl.pipeline.process` in a fresh
process, killed after ``--cap`` seconds (reported as "did not finish"), so a
super-linear stage cannot hang the benchmark. Goal (issue 10): 1 MB in under 5 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ("Mosul", "Kirkuk", "Tikrit", "Ramadi", "Baqubah", "Sinjar", "Samarra", "Fallujah")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
TEMPLATES = (
    "A drone strike hit a vehicle near {place} on {day}, killing {n} fighters, officials said.",
    "Two rockets landed close to a checkpoint in {place} on {date}; {n} guards were wounded.",
    "Gunmen opened fire on a patrol outside {place} on {day} and killed {n} soldiers.",
    "Residents of {place} said the market reopened on {day} after repairs to the bridge.",
    "A roadside bomb exploded as a convoy passed through {place} on {date}, wounding {n}.",
    "The provincial council in {place} met on {day} to discuss the water supply.",
)


def long_article(kb: int) -> str:
    paragraphs, size, i = [], 0, 0
    while size < kb * 1000:
        t = TEMPLATES[i % len(TEMPLATES)]
        when = f"{1 + i % 28} {MONTHS[(i // 28) % len(MONTHS)]} 2023"
        s = t.format(
            place=PLACES[i % len(PLACES)], day=DAYS[i % len(DAYS)], date=when, n=2 + i % 17
        )
        paragraphs.append(s)
        size += len(s) + 2
        i += 1
    return "\n\n".join(paragraphs)


def child(kb: int) -> None:
    from etl.pipeline import process
    from etl.records import make_article

    text = long_article(kb)
    art = make_article("long.txt", text, {"published": "2023-06-15"})
    t0 = time.perf_counter()
    out, events = process(art)
    took = time.perf_counter() - t0
    row = {"kb": kb, "chars": len(text), "seconds": took, "events": len(events)}
    row["status"] = out.status
    print(json.dumps(row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000", help="article sizes in KB, comma-separated")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds before a size is abandoned")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"{'size':>8} {'chars':>10} {'seconds':>9} {'events':>7}  status")
    for kb in (int(s) for s in args.sizes.split(",")):
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(kb)],
                capture_output=True,
                text=True,
                timeout=args.cap,
                check=True,
            )
        except subprocess.TimeoutExpired:
            print(f"{kb:>6}KB {'':>10} {'>' + format(args.cap, '.0f'):>9} {'':>7}  did not finish")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{kb:>6}KB {r['chars']:>10,} {r['seconds']:>9.2f} {r['events']:>7}  {r['status']}")


if __name__ == "__main__":
    main()
