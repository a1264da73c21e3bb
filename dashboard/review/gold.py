"""Reviewed events as gold annotations (the format of ../shared/gold/README.md).

One line per article that holds a reviewed event: `{"article", "pub_date", "events"}`.
The article's reviewed events are gold (`incident` = the reviewed event id, shared
by every article reporting it); its other, unreviewed events are listed as
`optional` (neither rewarded nor punished); an event marked *not an event* is left
out, so predicting it again counts as a false positive.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

import pyarrow as pa

from dashboard.review.view import Reviewed
from etl.schema import Col


def _iso(d) -> str | None:
    return d.isoformat() if isinstance(d, date) else d


def _count(best, lo, hi):
    if best is None and lo is None and hi is None:
        return None
    lo = lo if lo is not None else best
    if hi is not None and lo is not None and hi == lo:
        return lo
    if hi is None and best is not None and (lo is None or lo == best):
        return best
    return [lo, hi]


def _casualties(r: dict, sides: list[dict]) -> list[dict]:
    """Per-side figures when they add up to the event's totals, else the totals on the
    target side (the scorer compares totals)."""
    out = [
        {
            "actor": s[Col.ACTOR],
            "killed": _count(s.get(Col.KILLED), s.get(Col.KILLED_LOW), s.get(Col.KILLED_HIGH)),
            "wounded": _count(s.get(Col.WOUNDED), s.get(Col.WOUNDED_LOW), s.get(Col.WOUNDED_HIGH)),
        }
        for s in sides
    ]

    def total(key):
        vals = [s.get(key) for s in sides if s.get(key) is not None]
        return sum(vals) if vals else None

    if (
        sides
        and total(Col.KILLED) == r.get(Col.KILLED)
        and total(Col.WOUNDED) == r.get(Col.WOUNDED)
    ):
        return out
    killed = _count(r.get(Col.KILLED), r.get(Col.KILLED_LOW), r.get(Col.KILLED_HIGH))
    wounded = _count(r.get(Col.WOUNDED), r.get(Col.WOUNDED_LOW), r.get(Col.WOUNDED_HIGH))
    if killed is None and wounded is None:
        return []
    return [{"actor": r.get(Col.ACTOR2) or "Unknown", "killed": killed, "wounded": wounded}]


def gold_event(r: dict, sides: list[dict], optional: bool = False) -> dict:
    prec = r.get(Col.DATE_PRECISION) or "unknown"
    return {
        "type": r.get(Col.EVENT_TYPE),
        "date": _iso(r.get(Col.EVENT_DATE)) if prec == "day" else None,
        "precision": prec,
        "window": [_iso(r.get(Col.DATE_START)), _iso(r.get(Col.DATE_END))],
        "date_text": r.get(Col.DATE_TEXT),
        "actor1": r.get(Col.ACTOR1),
        "actor2": r.get(Col.ACTOR2),
        "country": r.get(Col.COUNTRY),
        "admin1": r.get(Col.ADMIN1),
        "location": r.get(Col.LOCATION),
        "weapon": r.get(Col.WEAPON),
        "strikes": r.get(Col.STRIKES),
        "casualties": _casualties(r, sides),
        "optional": optional,
        "aggregate": bool(r.get(Col.IS_AGGREGATE)),
        "evidence": (r.get(Col.EVIDENCE) or "")[:500],
        "incident": r.get(Col.EVENT_ID),
    }


def gold_lines(rev: Reviewed, articles: pa.Table) -> Iterator[dict]:
    """Gold lines (article order) for every article holding a reviewed event."""
    events = rev.events.to_pylist()
    sides: dict[str, list[dict]] = {}
    for s in rev.casualties.to_pylist():
        sides.setdefault(s[Col.EVENT_ID], []).append(s)
    by_article: dict[str, list[dict]] = {}
    for r in events:
        for a in r.get(Col.ARTICLE_IDS) or []:
            by_article.setdefault(a, []).append(r)
    covered = {
        a for a, rows in by_article.items() if any(x[Col.EVENT_ID] in rev.marks for x in rows)
    }
    # articles whose only reviewed decision was "not an event" are covered too
    for a in rev.dropped_articles:
        covered.add(a)
    for art in articles.to_pylist():
        aid = art[Col.ARTICLE_ID]
        if aid not in covered:
            continue
        origin = art.get(Col.ORIGIN) or aid
        yield {
            "article": os.path.basename(origin),  # what score.py matches articles by
            "pub_date": _iso(art.get(Col.PUB_DATE)),
            "events": [
                gold_event(r, sides.get(r[Col.EVENT_ID], []), r[Col.EVENT_ID] not in rev.marks)
                for r in by_article.get(aid, [])
            ],
        }


def write_gold(rev: Reviewed, articles: pa.Table, out) -> int:
    n = 0
    for line in gold_lines(rev, articles):
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    return n
