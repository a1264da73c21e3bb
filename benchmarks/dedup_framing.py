"""Dedup rules without extraction: the gold events themselves, as coded, then reframed.

Run with ``.venv/bin/python benchmarks/dedup_framing.py [--gold ../shared/gold/dev.jsonl]``.

Each gold event (hand-coded slots; `incident` slugs say which reports are one
incident) becomes an `Event` of its article; `etl.dedup.dedup` clusters them and the
article pairs are scored as ``../shared/tools/dedup_score.py`` does (pairs sharing only
an optional mention are neither right nor wrong). Locations are left out: gold names
are free text (spellings differ), where the ETL resolves them to coordinates.

Then the same events are reframed at random, one report at a time, the way outlets
and extractors differ (`REFRAMING`: the attacker missing or credited to a joint
partner, the target called civilians or left out, a strike typed a clash or the
reverse, the announcement day for the event day, the governorate missing, the toll
one or two off), and scored over `--seeds` draws: what dedup keeps of the pairs when
every report is framed its own way. A robustness figure under these assumptions, not
a measurement of any real corpus.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.dedup import dedup  # noqa: E402
from etl.schema import ACTORS, WEAPONS, Article, Event  # noqa: E402

JOINT_PARTNER = {
    "Iraqi Security Forces": "United States",
    "United States": "Iraqi Security Forces",
    "International Coalition": "Iraqi Security Forces",
    "Peshmerga": "International Coalition",
}
SWAP_TYPE = {"airstrike": "armed_clash", "armed_clash": "airstrike"}
# (probability, what changes) per report
REFRAMING = (
    (0.25, "attacker missing"),
    (0.15, "attacker: joint partner"),
    (0.2, "target: civilians or none"),
    (0.2, "strike typed a clash, or the reverse"),
    (0.25, "announcement day"),
    (0.25, "governorate missing"),
    (0.3, "toll one or two off"),
)


def _day(x):
    return date.fromisoformat(x) if x else None


def _first(x):
    return x[0] if isinstance(x, list) else x


def _total(casualties) -> tuple[int | None, int | None]:
    counts = []
    for c in casualties or []:
        k = c.get("killed")
        if k is not None:
            counts.append(tuple(k) if isinstance(k, list) else (k, k))
    if not counts:
        return None, None
    high = None if any(h is None for _, h in counts) else sum(h for _, h in counts)
    return sum(lo for lo, _ in counts), high


def gold_events(path: Path):
    """(events, articles, gold pairs, soft pairs) from a gold JSONL file."""
    events, articles = [], []
    hard, optional = defaultdict(set), defaultdict(set)
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        articles.append(
            Article(article_id=g["article"], origin=g["article"], pub_date=_day(g["pub_date"]))
        )
        for n, e in enumerate(g["events"]):
            start, end = e.get("window") or (None, None)
            low, high = _total(e.get("casualties"))
            events.append(
                Event(
                    event_id=f"{g['article']}#{n}",
                    article_ids=(g["article"],),
                    event_type=e["type"],
                    event_date=_day(e.get("date")),
                    date_start=_day(start),
                    date_end=_day(end),
                    date_precision=e.get("precision") or "unknown",
                    actor1=e.get("actor1") if e.get("actor1") in ACTORS else "Unknown",
                    actor2=e.get("actor2") if e.get("actor2") in ACTORS else None,
                    country=_first(e.get("country")),
                    admin1=_first(e.get("admin1")),
                    weapon=e.get("weapon") if e.get("weapon") in WEAPONS else None,
                    killed=low,
                    killed_low=low,
                    killed_high=high,
                    is_aggregate=bool(e.get("aggregate")),
                )
            )
            if e.get("incident") and not e.get("aggregate"):
                (optional if e.get("optional") else hard)[e["incident"]].add(g["article"])
    gold = {frozenset(p) for arts in hard.values() for p in itertools.combinations(sorted(arts), 2)}
    soft = set()
    for slug in set(hard) | set(optional):
        arts = hard.get(slug, set()) | optional.get(slug, set())
        soft |= {frozenset(p) for p in itertools.combinations(sorted(arts), 2)}
    return events, articles, gold, soft


def reframe(e: Event, rng: random.Random) -> Event:
    if e.is_aggregate:
        return e
    p = {what: prob for prob, what in REFRAMING}
    ch: dict = {}
    if rng.random() < p["attacker missing"]:
        ch["actor1"] = "Unknown"
    elif rng.random() < p["attacker: joint partner"] and e.actor1 in JOINT_PARTNER:
        ch["actor1"] = JOINT_PARTNER[e.actor1]
    if rng.random() < p["target: civilians or none"] and e.actor2 not in (None, "Unknown"):
        ch["actor2"] = rng.choice(["Civilians", None])
    if rng.random() < p["strike typed a clash, or the reverse"] and e.event_type in SWAP_TYPE:
        ch["event_type"] = SWAP_TYPE[e.event_type]
    if rng.random() < p["announcement day"] and e.date_start and e.date_start == e.date_end:
        day = e.date_end + timedelta(days=1)
        ch.update(date_start=day, date_end=day, event_date=day)
    if rng.random() < p["governorate missing"]:
        ch["admin1"] = None
    if rng.random() < p["toll one or two off"] and e.killed is not None:
        k = max(0, e.killed + rng.choice([-2, -1, 1, 2]))
        ch.update(killed=k, killed_low=k, killed_high=k)
    return e.replace(**ch)


def score(events, articles, gold, soft) -> tuple[float, float, set, set]:
    pred = set()
    for e in dedup(events, articles):
        if not e.is_aggregate:
            pred |= {frozenset(p) for p in itertools.combinations(sorted(set(e.article_ids)), 2)}
    tp, false = len(pred & gold), pred - soft
    precision = tp / (tp + len(false)) if tp + len(false) else 1.0
    return precision, (tp / len(gold) if gold else 1.0), gold - pred, false


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev.jsonl")
    ap.add_argument("--seeds", type=int, default=50)
    args = ap.parse_args()
    events, articles, gold, soft = gold_events(args.gold)
    p, r, missed, false = score(events, articles, gold, soft)
    print(f"gold slots as coded: {len(gold)} gold pairs, precision {p:.3f}, recall {r:.3f}")
    for pair in sorted(map(sorted, missed)):
        print("  missed merge:", " + ".join(pair))
    for pair in sorted(map(sorted, false)):
        print("  false merge: ", " + ".join(pair))
    runs = []
    for seed in range(args.seeds):
        rng = random.Random(seed)
        runs.append(score([reframe(e, rng) for e in events], articles, gold, soft)[:2])
    print(
        f"reframed ({args.seeds} draws; {', '.join(f'{w} {q:.0%}' for q, w in REFRAMING)}): "
        f"precision median {statistics.median(x for x, _ in runs):.3f}, "
        f"recall median {statistics.median(y for _, y in runs):.3f} "
        f"(min {min(y for _, y in runs):.3f})"
    )


if __name__ == "__main__":
    main()
