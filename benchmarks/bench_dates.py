"""Benchmark: etl.dates vs dateparser.search.search_dates, same cases, same process.

Run with ``make bench-dates`` (``.venv/bin/python benchmarks/bench_dates.py``).

Accuracy uses the hand-checked table tests/cases/dates_cases.tsv:

* etl.dates is right on a case when an expression overlapping the expected text resolves to
  exactly the expected [start, end] (None for event-relative / unresolved ones), and, for
  abstain cases, when nothing at all is matched.
* dateparser is right when one of the dates it returns equals the expected start
  (day-precision cases) or falls inside [start, end] (coarser cases); when the case expects
  no date (abstain, event-relative, unresolved), when it returns nothing.

Speed: the case sentences are concatenated into ~4 KB "articles" (every sentence holds a date,
so these are far denser than news); both engines resolve every article; we report the fastest
of several repeats of the mean CPU time per article (CPU time of this process, so that other
work on a shared machine does not count). For reference the same is measured on
~4 KB chunks of the real articles in seeds/ (when present).
"""

from __future__ import annotations

import random
import sys
import time
import warnings
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.dates import resolve  # noqa: E402

CASES = ROOT / "tests" / "cases" / "dates_cases.tsv"
SEEDS = ROOT / "seeds"
ARTICLE_CHARS = 4096
N_ARTICLES = 8
REPEATS = 5
SPEED_PUB = date(2024, 6, 25)


def _d(value: str) -> date | None:
    return None if value == "-" else date.fromisoformat(value)


def load_cases(path: Path = CASES) -> list[dict]:
    rows, header = [], False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if not header:
            header = True
            continue
        cat, pub, sentence, text, start, end, prec, _mod, extra = raw.split("\t")
        if pub == "none":
            published = None
        elif ".." in pub:
            lo, hi = pub.split("..")
            published = (date.fromisoformat(lo), date.fromisoformat(hi))
        else:
            published = date.fromisoformat(pub)
        rows.append(
            {
                "cat": cat,
                "pub": published,
                "sentence": sentence,
                "text": None if text == "NONE" else text,
                "start": _d(start),
                "end": _d(end),
                "precision": prec,
                "day_first": "df=0" not in extra,
            }
        )
    return rows


# --------------------------------------------------------------------------- judges


def ours_correct(case: dict) -> bool:
    got = resolve(case["sentence"], case["pub"], day_first=case["day_first"])
    if case["text"] is None:
        return not got
    lo = case["sentence"].find(case["text"])
    hi = lo + len(case["text"])
    return any(
        e.start_char < hi and lo < e.end_char and (e.start, e.end) == (case["start"], case["end"])
        for e in got
    )


def _dp_search(text: str, pub: date | tuple | None, day_first: bool = True):
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY" if day_first else "MDY"}
    if isinstance(pub, tuple):
        pub = pub[0]  # dateparser takes one base date: the earliest possible
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return search_dates(text, languages=["en"], settings=settings) or []


def dateparser_correct(case: dict) -> bool:
    try:
        found = _dp_search(case["sentence"], case["pub"], case["day_first"])
    except Exception:  # noqa: BLE001 - a crash counts as a miss
        return False
    days = [dt.date() for _, dt in found]
    if case["text"] is None or case["start"] is None:
        return not days
    if case["precision"] == "day":
        return case["start"] in days
    return any(case["start"] <= d <= case["end"] for d in days)


# --------------------------------------------------------------------------- speed


def build_articles(cases: list[dict]) -> list[str]:
    sentences = [c["sentence"] for c in cases]
    rng = random.Random(7)
    articles = []
    for _ in range(N_ARTICLES):
        rng.shuffle(sentences)
        parts, size = [], 0
        for s in sentences:
            if size + len(s) + 1 > ARTICLE_CHARS:
                break
            parts.append(s)
            size += len(s) + 1
        articles.append(" ".join(parts))
    return articles


def seed_articles() -> list[str]:
    """~4 KB chunks (cut at whitespace) of the real articles in seeds/."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    chunks, start = [], 0
    while len(text) - start >= ARTICLE_CHARS // 2:
        end = text.rfind(" ", start, start + ARTICLE_CHARS)
        end = start + ARTICLE_CHARS if end <= start else end
        chunks.append(text[start:end])
        start = end + 1
    return chunks


def time_per_article(fn, articles: list[str], repeats: int) -> float:
    """Fastest over repeats of the mean CPU seconds per article.

    CPU time of this process (not wall-clock) and the fastest repeat: on a shared machine
    other processes stretch wall-clock time and slow repeats, not the work measured.
    """
    for a in articles[:2]:  # warm-up
        fn(a)
    runs = []
    for _ in range(repeats):
        t0 = time.process_time()
        for a in articles:
            fn(a)
        runs.append((time.process_time() - t0) / len(articles))
    return min(runs)


# --------------------------------------------------------------------------- main


def main() -> int:
    cases = load_cases()
    _dp_search("warm up on 16 May", SPEED_PUB)  # loads dateparser's language data
    resolve("warm up on 16 May", SPEED_PUB)

    ours = [ours_correct(c) for c in cases]
    theirs = [dateparser_correct(c) for c in cases]

    articles = build_articles(cases)
    ours_t = time_per_article(lambda a: resolve(a, SPEED_PUB), articles, REPEATS * 20)
    theirs_t = time_per_article(lambda a: _dp_search(a, SPEED_PUB), articles, REPEATS)
    real = seed_articles() if SEEDS.is_dir() else []
    if real:
        ours_r = time_per_article(lambda a: resolve(a, SPEED_PUB), real, REPEATS * 20)
        theirs_r = time_per_article(lambda a: _dp_search(a, SPEED_PUB), real, REPEATS)
    else:
        ours_r = theirs_r = float("nan")

    n = len(cases)
    avg_len = sum(map(len, articles)) / len(articles)
    print(
        f"{n} cases; speed: {len(articles)} case articles of ~{avg_len:,.0f} chars, "
        f"{len(real)} ~4 KB chunks of seeds/ articles\n"
    )
    print(
        f"{'engine':<26}{'accuracy':>9}{'correct':>10}{'µs/case article':>17}{'µs/seed chunk':>15}"
    )
    print("-" * 77)
    for name, ok, t, r in (
        ("etl.dates.resolve", ours, ours_t, ours_r),
        ("dateparser.search_dates", theirs, theirs_t, theirs_r),
    ):
        print(
            f"{name:<26}{100 * sum(ok) / n:>8.1f}%{sum(ok):>6}/{n:<3}"
            f"{t * 1e6:>17,.0f}{r * 1e6:>15,.0f}"
        )
    print(
        f"\nspeed ratio (dateparser / etl.dates): {theirs_t / ours_t:,.0f}x on case articles, "
        f"{theirs_r / ours_r:,.0f}x on seed chunks\n"
    )

    by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c, a, b in zip(cases, ours, theirs, strict=True):
        row = by_cat[c["cat"]]
        row[0] += 1
        row[1] += a
        row[2] += b
    print(f"{'category':<12}{'cases':>6}{'etl.dates':>11}{'dateparser':>12}")
    for cat, (k, a, b) in by_cat.items():
        print(f"{cat:<12}{k:>6}{100 * a / k:>10.0f}%{100 * b / k:>11.0f}%")
    misses = [c for c, ok in zip(cases, ours, strict=True) if not ok]
    if misses:
        print("\netl.dates misses:")
        for c in misses:
            print(f"  [{c['cat']}] {c['sentence']}  (expected {c['text']!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
