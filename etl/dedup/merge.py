"""One event from the reports of one incident: which report's slots the merged event keeps.

- id: the earliest-published member's (ties: smallest id); `merged_from` the others.
- type: the most common (a raid or sweep only when nothing else is told); a tie
  between a strike and a ground battle goes to the battle (ACLED: a strike inside a
  ground battle belongs to the battle), other ties to the earliest report.
- actors: the best-supported named actor (most reports), ties to the earliest report.
- date: from the finest precision; among reports at that precision, the window every
  one of them allows (their intersection) when there is one, else the most common
  window (ties: narrowest, then earliest report).
- place: the finest geo_precision.
- casualties: low = lowest report, high = highest (None = open if any report is
  open-ended), best = the most recent report's figure.
- evidence: every distinct sentence up to `MAX_EVIDENCE`; article ids, sources and urls
  all (in report order, without repeats).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from ..schema import PRECISIONS, Casualty, Event
from .rules import UNKNOWN_ACTORS, pub_of, window

MAX_EVIDENCE = 20  # distinct sentences kept on one merged event
# a tie between these types goes to the first listed (the battle over its strikes)
TYPE_TIE_ORDER = ("armed_clash", "attack", "bombing", "shelling", "airstrike")


def _pick(values: Iterable, default=None, tie_order=()):
    """Most common non-None value; ties go to `tie_order`, then to the first seen."""
    values = [v for v in values if v is not None]
    if not values:
        return default
    counts = Counter(values)
    best = max(counts.values())
    tied = [v for v in dict.fromkeys(values) if counts[v] == best]
    ranked = [v for v in tie_order if v in tied]
    return ranked[0] if len(tied) > 1 and ranked else tied[0]


def _reconcile(reports: list[tuple[date, dict]], field: str) -> dict:
    """low/high/best of one count over reports [(pub_date, {best, low, high})]."""
    given = [(pub, r) for pub, r in reports if r["best"] is not None or r["low"] is not None]
    if not given:
        return {field: None, f"{field}_low": None, f"{field}_high": None}
    lows = [r["low"] if r["low"] is not None else r["best"] for _, r in given]
    highs = [r["high"] for _, r in given]
    # most recent report wins; among equally recent ones, the first (member order)
    latest = max(pub for pub, _ in given)
    best = next(r for pub, r in given if pub == latest)
    best_value = best["best"] if best["best"] is not None else best["low"]
    return {
        field: best_value,
        f"{field}_low": min(lows),
        f"{field}_high": None if any(h is None for h in highs) else max(highs),
    }


def _counts(obj, field: str) -> dict:
    return {
        "best": getattr(obj, field),
        "low": getattr(obj, f"{field}_low"),
        "high": getattr(obj, f"{field}_high"),
    }


def _dates(members: list[Event]) -> dict:
    """The date slots of the merged event (see the module docstring)."""
    finest = min(PRECISIONS.index(e.date_precision) for e in members)
    best = [e for e in members if PRECISIONS.index(e.date_precision) == finest]
    windows = [window(e) for e in best]
    common = Counter(windows)
    chosen = min(
        range(len(best)),
        key=lambda i: (-common[windows[i]], windows[i][1] - windows[i][0], i),
    )
    dated = best[chosen]
    slots = {
        "event_date": dated.event_date,
        "date_start": dated.date_start,
        "date_end": dated.date_end,
        "date_precision": dated.date_precision,
        "date_text": dated.date_text,
        "date_anchor": dated.date_anchor,
    }
    lo, hi = max(w[0] for w in windows), min(w[1] for w in windows)
    if lo <= hi and lo > -float("inf") and hi < float("inf") and (lo, hi) != windows[chosen]:
        start, end = date.fromordinal(int(lo)), date.fromordinal(int(hi))
        day = dated.event_date
        slots.update(
            date_start=start,
            date_end=end,
            event_date=min(max(day, start), end) if day else end,
        )
    return slots


def merge(members: list[Event], pub: dict[str, date | None]) -> Event:
    """One event from several reports (members: any order)."""
    members = sorted(members, key=lambda e: (pub_of(e, pub), e.event_id))
    rep = members[0]
    placed = min(members, key=lambda e: e.geo_precision if e.geo_precision is not None else 99)
    pubs = [pub_of(e, pub) for e in members]

    def union(attr):
        out: dict = {}
        for e in members:
            out.update(dict.fromkeys(getattr(e, attr)))
        return tuple(out)

    def actor(attr):
        named = [getattr(e, attr) for e in members if getattr(e, attr) not in UNKNOWN_ACTORS]
        return _pick(named, getattr(rep, attr))

    types = [e.event_type for e in members if e.event_type != "ground_operation"]
    dated_members = list(zip(pubs, members, strict=True))
    counts = {}
    for f in ("killed", "wounded"):
        counts.update(_reconcile([(p, _counts(e, f)) for p, e in dated_members], f))
    sides: dict[str, list] = defaultdict(list)
    for p, e in dated_members:
        for c in e.casualties:
            sides[c.actor].append((p, c))
    casualties = []
    for side, reports in sides.items():
        fields = {}
        for f in ("killed", "wounded"):
            fields.update(_reconcile([(p, _counts(c, f)) for p, c in reports], f))
        casualties.append(Casualty(actor=side, **fields))
    evidence: dict[str, None] = {}
    for e in members:
        if e.evidence and len(evidence) < MAX_EVIDENCE:
            evidence[e.evidence] = None
    return rep.replace(
        article_ids=union("article_ids"),
        sources=union("sources"),
        urls=union("urls"),
        merged_from=tuple(sorted(e.event_id for e in members[1:])),
        event_type=_pick(types, rep.event_type, TYPE_TIE_ORDER),
        **_dates(members),
        actor1=actor("actor1"),
        actor2=actor("actor2"),
        country=placed.country or _pick(e.country for e in members),
        admin1=placed.admin1 or _pick(e.admin1 for e in members),
        admin2=placed.admin2,
        location=placed.location,
        latitude=placed.latitude,
        longitude=placed.longitude,
        geo_precision=placed.geo_precision,
        weapon=_pick(e.weapon for e in members),
        strikes=_pick(e.strikes for e in members),
        evidence="\n".join(evidence),
        confidence=max(e.confidence for e in members),
        casualties=tuple(casualties),
        **counts,
    )
