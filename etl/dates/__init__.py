"""Date resolution for news text: every date expression, resolved to a day window.

>>> from datetime import date
>>> [(e.text, e.start, e.end) for e in resolve("Gunmen attacked a checkpoint on Tuesday.",
...                                             date(2024, 6, 20))]
[('on Tuesday', datetime.date(2024, 6, 18), datetime.date(2024, 6, 18))]

The rules live in :mod:`etl.dates.rules` (an ordered table of regex + handler; the handlers
in :mod:`.handlers` and :mod:`.relative`, tense detection in :mod:`.tense`), named days and
the Hijri calendar in :mod:`.named_days`, the calendar arithmetic in :mod:`etl.dates.calendar`.
This module holds the public types and the scanner.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from . import calendar as cal
from .handlers import Ctx, Res
from .rules import CLASS_PROBES, PREFIX_WALK_RX, TRIGGER_RX, WORD_RX, Rule, trigger_key
from .tense import words as _words

__all__ = ["TimeExpr", "resolve", "anchor_to"]


@dataclass(frozen=True)
class TimeExpr:
    """One date expression found in a text, with the days it allows."""

    start_char: int  # span in the input text
    end_char: int
    text: str  # text[start_char:end_char]
    start: date | None  # earliest day the expression allows (None = unresolved / open)
    end: date | None  # latest day (inclusive)
    precision: str  # "day" | "week" | "month" | "year" | "unknown"
    mod: str | None = None  # "early" | "mid" | "late" | None
    anchor: str = "publication"  # "publication" | "absolute" | "event" | "unresolved"
    kind: str = ""  # deictic weekday absolute period offset since event span
    ref_text: str | None = None  # anchor="event": the event phrase ("the bombing")
    offset_days: tuple[int, int] | None = None  # anchor="event": (lo, hi) days from the event
    tense: str | None = None  # "past" | "future": as detected, when the resolution used it

    @property
    def point(self) -> date | None:
        """Best single day: start if start == end, else the middle of [start, end]."""
        if self.start is None or self.end is None:
            return None
        if self.start == self.end:
            return self.start
        return self.start + timedelta(days=(self.end - self.start).days // 2)


def anchor_to(expr: TimeExpr, ref_start: date, ref_end: date) -> TimeExpr:
    """Resolve an event-relative expression through the referenced event's dates."""
    if expr.offset_days is None:
        raise ValueError(f"{expr.text!r} is not relative to an event (no offset_days)")
    lo, hi = expr.offset_days
    start, end = ref_start + timedelta(days=lo), ref_end + timedelta(days=hi)
    if end < start:
        start, end = end, start
    precision = "day" if start == end else cal.precision_for_days((end - start).days + 1)
    return replace(expr, start=start, end=end, precision=precision)


# --------------------------------------------------------------------------- publication date


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise TypeError(f"publication date must be a date, got {type(value).__name__}")


def _pubs(published: object) -> tuple[date | None, ...]:
    """(pub,) for a single date, (lo, hi) for an interval, (None,) when unknown."""
    if published is None:
        return (None,)
    if isinstance(published, tuple | list):
        if len(published) != 2:
            raise ValueError("a publication interval must be (earliest, latest)")
        lo, hi = (_as_date(v) for v in published)
        if hi < lo:
            lo, hi = hi, lo
        return (lo,) if lo == hi else (lo, hi)
    return (_as_date(published),)


# --------------------------------------------------------------------------- scanner

_REF_STOP = _words(
    "that which who whom whose when where while as and but or because if so then though"
    " although killed wounded injured left claimed said says was were is are has had have"
    " will would could did according"
)
# words an event phrase cut at 8 words must not end on ("... a crowded marketplace in")
_REF_TRAILING = _words("a an the of in on at by to for from with against near into over during")
_REF_CLAUSE_RX = re.compile(r"[,;:!?()\[\]\"“”\n]|\.(?:\s|$)")
_REF_WORD_RX = re.compile(r"\S+")
_REF_MAX_WORDS = 8


class _Scanner:
    def __init__(self, text: str, low: str, day_first: bool) -> None:
        self.text = text
        self.low = low
        self.day_first = day_first
        pos, cls = [], []
        for m in TRIGGER_RX.finditer(" " + low):
            key = trigger_key(m, low)
            if key is not None:
                pos.append(m.start())
                cls.append(key)
        self.tpos, self.tcls = pos, cls

    # -- candidate starts: walk back over prefix words ("at the end of last | January")
    def _starts(self, t: int, floor: int) -> list[int]:
        lo = max(floor, t - 64)
        if lo >= t:
            return [t]
        k = PREFIX_WALK_RX.match(self.low[lo:t][::-1]).end()
        if k == 0:
            return [t]
        starts = [w.start() for w in WORD_RX.finditer(self.low, t - k, t)]
        starts.append(t)
        return starts

    def _eval(self, rule: Rule, m: re.Match, pubs: tuple, ctx: Ctx) -> Res | None:
        """Run the handler against each publication bound; None if it vetoes the match."""
        ctx.at(m.start(), m.end())
        try:
            ctx.pub = pubs[0]
            first = rule.handler(m, ctx)
            if first is None or len(pubs) == 1:
                return first
            ctx.pub = pubs[1]
            second = rule.handler(m, ctx)
        except (OverflowError, ValueError):  # calendar arithmetic past year 1 or 9999
            return None
        if second is None:
            return None
        return _combine(first, second, (pubs[1] - pubs[0]).days + 1)

    def _parse_ref(self, pos: int, pubs: tuple) -> tuple[str | None, int, Res | None]:
        """The event phrase after "after"/"before": up to a clause end, at most 8 words."""
        low = self.low
        limit = min(len(low), pos + 120)
        cut = _REF_CLAUSE_RX.search(low, pos, limit)
        stop = cut.start() if cut else limit
        words = []
        for w in _REF_WORD_RX.finditer(low, pos, stop):
            word = w.group().strip("'’")
            if len(words) >= _REF_MAX_WORDS or word in _REF_STOP:
                break
            words.append((w.start(), w.end(), word))
        while words and words[-1][2] in _REF_TRAILING:
            words.pop()
        if not words:
            return None, pos, None
        ref_start, ref_end = words[0][0], words[-1][1]
        inner = self.scan(ref_start, ref_end, pubs, allow_event=False)
        if inner:
            s, e, res, _ = inner[0]
            return self.text[ref_start:e], e, res
        return self.text[ref_start:ref_end], ref_end, None

    def scan(
        self, lo: int, hi: int, pubs: tuple, allow_event: bool = True
    ) -> list[tuple[int, int, Res, str | None]]:
        low = self.low
        ctx = Ctx(self.text, low, self.day_first, lambda p: self._parse_ref(p, (ctx.pub,)))
        out = []
        last_end = lo
        tpos, tcls = self.tpos, self.tcls
        i = bisect_left(tpos, lo)
        n = len(tpos)
        while i < n:
            t = tpos[i]
            if t >= hi:
                break
            probe, members = CLASS_PROBES[tcls[i]]
            i += 1
            if t < last_end:
                continue
            for p in self._starts(t, last_end):
                regs = probe.match(low, p, hi).regs
                cands = [
                    (-regs[gi][1], k, rule)
                    for k, (rule, gi) in enumerate(members)
                    if regs[gi][1] > t and (allow_event or not rule.event)
                ]
                if not cands:
                    continue
                cands.sort()
                # longest first (ties: table order); a shorter candidate can only win if its
                # handler extends the span (event phrases), so the rest are not evaluated
                best = None
                for neg_end, _, rule in cands:
                    if best is not None and -neg_end <= best[1] and not rule.event:
                        continue
                    m = rule.rx.match(low, p, hi)
                    res = self._eval(rule, m, pubs, ctx)
                    if res is None:
                        continue
                    end = res.span_end or m.end()
                    if best is None or end > best[1]:
                        best = (p, end, res, ctx.tense_if_known)
                if best is not None:
                    out.append(best)
                    last_end = best[1]
                    break
        return out


def _combine(a: Res, b: Res, n_days: int) -> Res:
    """Merge the resolutions against the earliest and latest possible publication day."""
    if a.start == b.start and a.end == b.end:
        return a
    start = None if a.start is None or b.start is None else min(a.start, b.start)
    end = None if a.end is None or b.end is None else max(a.end, b.end)
    widen = "week" if n_days <= 13 else "month"
    return a._replace(start=start, end=end, precision=cal.coarser(a.precision, widen))


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters change length when lower-cased (U+0130); keep offsets aligned
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def resolve(
    text: str, published: date | tuple[date, date] | None, *, day_first: bool = True
) -> list[TimeExpr]:
    """Every date expression in ``text``, in order, non-overlapping, resolved.

    ``published`` is the publication date, an interval ``(earliest, latest)`` when it is only
    bounded (results widen accordingly), or None (relative expressions stay unresolved).
    ``day_first`` decides "12/08/2019" (12 August when True).
    """
    if not text:
        return []
    pubs = _pubs(published)
    scanner = _Scanner(text, _lower(text), day_first)
    if not scanner.tpos:
        return []
    out = []
    for s, e, res, tense in scanner.scan(0, len(text), pubs):
        out.append(
            TimeExpr(
                start_char=s,
                end_char=e,
                text=text[s:e],
                start=res.start,
                end=res.end,
                precision=res.precision,
                mod=res.mod,
                anchor=res.anchor,
                kind=res.kind,
                ref_text=res.ref_text,
                offset_days=res.offset,
                tense=tense,
            )
        )
    return out
