"""The date rules, as data: an ordered table of (name, regex, trigger classes, handler).

How the engine (``etl.dates``) uses this table:

1. One trigger regex (:data:`TRIGGER_RX`) finds the *core* tokens any date expression must
   contain: a weekday, a month, a number, a deictic word (today, yesterday ...), a unit word
   (day, week, month, year, hours, night ...) or "recent(ly)". Text without triggers costs
   nothing more.
2. For each trigger, the engine walks back over at most a few "prefix" words
   (:data:`PREFIX_WORDS`: on, in, the early hours of, at the end of last ...) and tries, at
   each candidate start, the rules registered for that trigger class (:data:`CLASS_RULES`).
   The leftmost start wins, then the longest match; ties go to the rule listed first.
3. The winning rule's handler turns the match into a :class:`Res` (dates, precision, kind)
   or returns None to veto the match (Theresa May, "may be", an impossible date ...).

All patterns run on the lower-cased text; handlers look at the original text when case
matters (the month "May" vs the verb "may"). Handlers are small and pure: they read the
match and the context (publication date, tense, day_first) and call :mod:`.calendar`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from . import calendar as cal
from . import named_days as nd

# --------------------------------------------------------------------------- result type


class Res(NamedTuple):
    """What a handler returns; the engine turns it into a public ``TimeExpr``."""

    start: date | None
    end: date | None
    precision: str
    kind: str
    anchor: str = "publication"
    mod: str | None = None
    ref_text: str | None = None
    offset: tuple[int, int] | None = None
    span_end: int | None = None  # the expression extends past the regex match (event phrase)


def unresolved(kind: str, mod: str | None = None) -> Res:
    """A relative expression without a publication date to resolve it against."""
    return Res(None, None, "unknown", kind, "unresolved", mod)


# --------------------------------------------------------------------------- regex pieces


def _trie_pattern(words: list[str]) -> str:
    """An alternation shaped as a prefix tree: far fewer failed branches per position."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


B = r"(?<![\w-])"  # start of a word (not inside a word, not after a hyphen: F-16, Su-25)
YEAR = r"(?:19|20)\d\d(?![\d])"
NUMW = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)"
)
COUNT = rf"(?:{_trie_pattern(NUMW[3:-1].split('|'))}|\d{{1,3}}(?![\d,.])|a\s+few|a\s+couple\s+of|couple\s+of|few|several|some|an?)"
ORD = r"(?:st|nd|rd|th)?"
PREP_WORDS = "on|in|at|during|over|within|for|from|since|by|until|till|between|through|throughout"
PREP = rf"(?:(?P<prep>{_trie_pattern(PREP_WORDS.split('|'))})\s+)?"
MOD = (
    r"(?P<mod>early|mid|late|(?:at\s+|by\s+|in\s+|until\s+)?(?:the\s+)?(?:very\s+)?"
    r"(?:end|beginning|start|middle|(?:first|last)\s+(?:week|days|few\s+days))\s+of)"
    r"(?:\s*-\s*|\s+)"
)
TOD = r"(?:\s+(?P<tod>morning|afternoon|evening|night))?"

_MONTH_FULL = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH_ANY = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?"
    r"|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# the same alternations shaped as prefix trees: they fail faster at non-matching positions
_WEEKDAY_TRIE = _trie_pattern(_WEEKDAY.split("|"))
_MONTH_FULL_TRIE = _trie_pattern(_MONTH_FULL.split("|"))
_MONTH_ABBREVIATIONS = [w for w in cal.MONTHS if len(w) <= 4 and w not in ("may", "june", "july")]
_MONTH_ANY_TRIE = _trie_pattern(
    _MONTH_FULL.split("|") + _MONTH_ABBREVIATIONS + [a + "." for a in _MONTH_ABBREVIATIONS]
)


def mon(name: str = "mon", full: bool = False) -> str:
    """A month name group; abbreviations (Dec., Sept) only where a number is adjacent."""
    return rf"(?P<{name}>{_MONTH_FULL_TRIE if full else _MONTH_ANY_TRIE})(?![a-z])"


def wd(name: str = "wd") -> str:
    return rf"(?P<{name}>{_WEEKDAY_TRIE})(?![a-z])"


# --------------------------------------------------------------------------- tense


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUTURE_WORDS = _words("will shall would won't upcoming next")
# "is expected to", "set for", "plans to": future only with a present auxiliary or "to"/"for"
_FUTURE_PARTS = _words("expected scheduled slated due set planned planning plans plan going")
_PRESENT_AUX = _words("is are be being")
_PAST_AUX = _words("was were had")
# a participle after these is passive or an adjective, not a past verb ("will remain closed")
_BE_FORMS = _words("be been being is are remain remains stay stays")
_PAST_WORDS = _words(
    "said says told announced reported stated added was were had did took came went began"
    " hit struck shot left saw fell fought blew met held"
)
_NOT_PAST_ED = _words(
    "expected scheduled planned slated hundred united armed need indeed speed based related"
    " alleged detained wanted concerned interested advanced limited"
)
_TENSE_WORD_RX = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SENT_END_RX = re.compile(r"[.!?;:\n]\s|\n")
_AFTER_CUT_RX = re.compile(r"[.!?;:\n]|\b(?:that|which|who|when|where|while)\b")


def _tense_of(words: list[str], i: int) -> str | None:
    """Tense marked by words[i] (looking at its neighbours), or None."""
    w = words[i]
    prev = words[i - 1] if i else ""
    if w in _FUTURE_WORDS or w.endswith("'ll"):
        return "future"
    if w in _FUTURE_PARTS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if prev in _PAST_AUX:
            return "past"
        if prev in _PRESENT_AUX or nxt in ("to", "for"):
            return "future"
        return None
    if prev in _BE_FORMS:  # passive after be/is/been: "will be held", "are targeted"
        return None
    if w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST_ED):
        return "past"
    return None


def tense_marker(low: str, start: int, end: int) -> tuple[str | None, str | None]:
    """(tense, the word that marks it) from the nearest tense marker around [start, end).

    Looks back to the sentence start (at most ~80 chars) and forward to the next clause
    boundary (at most ~60 chars); the nearest marker before the expression decides,
    otherwise the nearest one after it.
    """
    before = low[max(0, start - 80) : start]
    cut = None
    for boundary in _SENT_END_RX.finditer(before):
        cut = boundary
    if cut is not None:
        before = before[cut.end() :]
    words = _TENSE_WORD_RX.findall(before)
    for i in range(len(words) - 1, -1, -1):
        t = _tense_of(words, i)
        if t is not None:
            return t, words[i]
    after = low[end : end + 60]
    c = _AFTER_CUT_RX.search(after)
    if c is not None:
        after = after[: c.start()]
    words = _TENSE_WORD_RX.findall(after)
    for i in range(len(words)):
        t = _tense_of(words, i)
        if t is not None:
            return t, words[i]
    return None, None


def detect_tense(low: str, start: int, end: int) -> str | None:
    """ "future" / "past" / None: see :func:`tense_marker`."""
    return tense_marker(low, start, end)[0]


# "until/till/through/by <date>" names the END of a span. It runs forward from publication
# when the sentence is future, has no tense marker (present: "the curfew remains in force
# until June", "has been extended through June"), or its past verb sets a measure that
# lasts from then on ("the ministry extended the ban until June"): those resolve like the
# future tense. Past narration ("clashes continued until June") still looks back.
FORWARD_PREPS = frozenset({"until", "till", "through", "by"})
_MEASURE_VERBS = _words(
    "extended imposed announced declared ordered renewed postponed delayed suspended banned"
    " closed approved decided agreed decreed issued introduced prolonged deferred"
)


# --------------------------------------------------------------------------- context


class Ctx:
    """What handlers may read. The engine fills it; handlers never mutate it."""

    __slots__ = ("text", "low", "pub", "day_first", "start", "end", "_tense", "ref_parser")

    def __init__(self, text: str, low: str, day_first: bool, ref_parser: Callable) -> None:
        self.text = text
        self.low = low
        self.day_first = day_first
        self.ref_parser = ref_parser
        self.pub: date | None = None
        self.start = self.end = 0
        self._tense: Any = ...

    def at(self, start: int, end: int) -> None:
        self.start, self.end, self._tense = start, end, ...

    @property
    def tense(self) -> str | None:
        if self._tense is ...:
            self._tense = detect_tense(self.low, self.start, self.end)
        return self._tense

    @property
    def tense_if_known(self) -> str | None:
        """The tense if a handler already needed it (detection is not free), else None."""
        return None if self._tense is ... else self._tense

    @property
    def future(self) -> bool:
        return self.tense == "future"

    def forward(self, prep: str | None) -> bool:
        """Resolve forward: the future tense, or an until/through bound (FORWARD_PREPS)."""
        tense = self.tense
        if tense == "future" or prep not in FORWARD_PREPS:
            return tense == "future"
        if tense is None:
            return True
        return tense_marker(self.low, self.start, self.end)[1] in _MEASURE_VERBS


# --------------------------------------------------------------------------- handler helpers


def month_of(m: re.Match, ctx: Ctx, group: str = "mon") -> int | None:
    """Month number of a matched month name; None for lower-case "may"/"march" (verbs)."""
    tok = m.group(group)
    key = tok.rstrip(".")
    if key in ("may", "march", "mar") and not ctx.text[m.start(group)].isupper():
        return None
    return cal.MONTHS.get(key)


def mod_of(m: re.Match) -> str | None:
    raw = m.group("mod")
    if raw is None:
        return None
    if raw in ("early", "mid", "late"):
        return raw
    if "end" in raw or "last" in raw:
        return "late"
    if "middle" in raw:
        return "mid"
    return "early"  # beginning / start / first week of


def count_of(raw: str | None) -> tuple[int, int] | None:
    """(low, high) count from "two", "12", "a few", "a"; None when it is not a count."""
    if raw is None:
        return None
    raw = " ".join(raw.split())
    if raw.isdigit():
        n = int(raw)
        return (n, n)
    if raw in cal.NUMBER_WORDS:
        n = cal.NUMBER_WORDS[raw]
        return (n, n)
    return cal.VAGUE_COUNTS.get(raw)


def unit_of(raw: str) -> str:
    raw = raw.strip()
    return raw[:-1] if raw.endswith("s") else raw


def _abs_day(
    ctx: Ctx, mo: int | None, d: int, y: int | None, wd_name: str | None, prep: str | None = None
) -> Res | None:
    """A calendar day, year optional; a stated weekday may pick the year."""
    if mo is None:
        return None
    if y is not None:
        dt = cal.safe_date(y, mo, d)
        return None if dt is None else Res(dt, dt, "day", "absolute", "absolute")
    if cal.safe_date(2024, mo, d) is None:  # 2024: a leap year, so Feb 29 passes
        return None
    if ctx.pub is None:
        return unresolved("absolute")
    future = ctx.forward(prep)
    dt = cal.day_by_tense(ctx.pub, mo, d, future)
    if wd_name is not None and (dt is None or dt.weekday() != cal.WEEKDAYS[wd_name]):
        other = cal.day_by_tense(ctx.pub, mo, d, not future)
        if other is not None and other.weekday() == cal.WEEKDAYS[wd_name]:
            dt = other
    return None if dt is None else Res(dt, dt, "day", "absolute")


def clip_tense(
    start: date, end: date, ctx: Ctx, future: bool = False, prep: str | None = None
) -> tuple[date, date]:
    """:func:`calendar.clip` by the sentence's tense, detected only when the window straddles
    pub (``prep``: an until/through bound clips forward, see :meth:`Ctx.forward`)."""
    pub = ctx.pub
    if pub is None or not start <= pub <= end:
        return start, end
    return cal.clip(start, end, pub, future or ctx.forward(prep))


def _grp_int(m: re.Match, name: str) -> int | None:
    v = m.group(name)
    return None if v is None else int(v)


# --------------------------------------------------------------------------- handlers: absolute


def h_iso(m: re.Match, ctx: Ctx) -> Res | None:
    if m.group("s1") != m.group("s2"):
        return None
    return _abs_day(ctx, int(m.group("m")), int(m.group("d")), int(m.group("y")), None)


def h_numeric(m: re.Match, ctx: Ctx) -> Res | None:
    if m.group("s1") != m.group("s2"):
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    if a > 12 or (ctx.day_first and b <= 12):
        d, mo = a, b
    else:
        d, mo = b, a
    return _abs_day(ctx, mo, d, int(m.group("y")), None)


def h_day_month(m: re.Match, ctx: Ctx) -> Res | None:
    mo, d, y = month_of(m, ctx), int(m.group("d")), _grp_int(m, "y")
    return _abs_day(ctx, mo, d, y, m.group("wd"), m.group("prep"))


def h_day_range(m: re.Match, ctx: Ctx) -> Res | None:
    if m.group("d1") is not None:
        d1, d2, mo = int(m.group("d1")), int(m.group("d2")), month_of(m, ctx)
    else:
        d1, d2, mo = int(m.group("d1b")), int(m.group("d2b")), month_of(m, ctx, "monb")
    if mo is None or not 1 <= d1 < d2 <= 31:
        return None
    first = _abs_day(ctx, mo, d1, _grp_int(m, "y"), None)
    if first is None or first.start is None:
        return first if first is None else first._replace(kind="span")
    last = cal.safe_date(first.start.year, mo, d2)
    if last is None:
        return None
    return Res(first.start, last, cal.precision_for_days(d2 - d1 + 1), "span", first.anchor, None)


def h_month_year(m: re.Match, ctx: Ctx) -> Res | None:
    mo = month_of(m, ctx)
    if mo is None:
        return None
    mod = mod_of(m)
    start, end = cal.month_window(int(m.group("y")), mo, mod)
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, "month", "absolute", "absolute", mod)


def h_year(m: re.Match, ctx: Ctx) -> Res | None:
    prep = m.group("prep")
    if m.group("mod") is None and prep not in _YEAR_PREPS:
        return None
    mod = mod_of(m)
    start, end = cal.year_window(int(m.group("y")), mod)
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, "year", "absolute", "absolute", mod)


_YEAR_PREPS = {"in", "since", "during", "by", "until", "till", "from", "through", "throughout"}


def h_year_range(m: re.Match, ctx: Ctx) -> Res | None:
    y1, y2raw = int(m.group("y1")), m.group("y2")
    y2 = int(y2raw) if len(y2raw) == 4 else y1 // 100 * 100 + int(y2raw)
    if not y1 < y2 <= y1 + 50:
        return None
    start, end = date(y1, 1, 1), date(y2, 12, 31)
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, "year", "span", "absolute")


_MONTH_PREPS = {"in", "during", "since", "by", "until", "till", "from", "through", "throughout"}


def h_month_range(m: re.Match, ctx: Ctx) -> Res | None:
    """between March and May (2016): first day of the first month .. end of the second."""
    m1, m2 = month_of(m, ctx, "mon"), month_of(m, ctx, "mon2")
    if m1 is None or m2 is None or m1 == m2:
        return None
    y = m.group("y")
    if y is not None:
        y2, anchor = int(y), "absolute"
    elif ctx.pub is None:
        return unresolved("span")
    else:
        y2, anchor = cal.month_by_tense(ctx.pub, m2, None, ctx.future)[0], "publication"
    y1 = y2 if m1 < m2 else y2 - 1
    start, end = cal.month_window(y1, m1)[0], cal.month_window(y2, m2)[1]
    start, end = clip_tense(start, end, ctx)
    return Res(start, end, "month", "span", anchor)


def h_month(m: re.Match, ctx: Ctx) -> Res | None:
    mo = month_of(m, ctx)
    if mo is None:
        return None
    rel, ry, mod = m.group("rel"), m.group("ry"), mod_of(m)
    if rel is None and ry is None and mod is None and m.group("prep") not in _MONTH_PREPS:
        return None
    if ctx.pub is None:
        return unresolved("absolute", mod)
    pub = ctx.pub
    forward = rel in ("next", "coming", "this coming")
    if ry is not None:
        y = pub.year + {"last": -1, "this": 0, "next": 1}[ry]
    elif rel is None:
        y, _ = cal.month_by_tense(pub, mo, mod, ctx.forward(m.group("prep")))
    elif rel == "this":
        y = pub.year
    elif rel in ("next", "coming", "this coming"):
        y, _ = cal.month_next(pub, mo)
    else:  # last / past / this past
        y, _ = cal.month_last(pub, mo)
    start, end = cal.month_window(y, mo, mod)
    start, end = clip_tense(start, end, ctx, forward, m.group("prep"))
    return Res(start, end, "month", "absolute", "publication", mod)


# --------------------------------------------------------------------------- handlers: relative

_DEICTIC_OFFSET = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "last evening": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "the day after tomorrow": 2,
    "overnight": None,  # the night before publication: [pub-1, pub]
}


def h_deictic(m: re.Match, ctx: Ctx) -> Res | None:
    if ctx.pub is None:
        return unresolved("deictic")
    off = _DEICTIC_OFFSET[" ".join(m.group("w").split())]
    if off is None:
        return Res(cal.add_days(ctx.pub, -1), ctx.pub, "day", "deictic")
    dt = cal.add_days(ctx.pub, off)
    return Res(dt, dt, "day", "deictic")


def h_weekday(m: re.Match, ctx: Ctx) -> Res | None:
    if ctx.pub is None:
        return unresolved("weekday")
    w = cal.WEEKDAYS[m.group("wd")]
    rel = m.group("rel")
    rel = " ".join(rel.split()) if rel else None
    pub = ctx.pub
    if rel in ("last", "past", "this past"):
        dt = cal.weekday_before(pub, w)
    elif rel in ("next", "coming", "this coming"):
        dt = cal.weekday_after(pub, w)
    elif ctx.forward(m.group("prep")):
        dt = cal.weekday_on_or_after(pub, w)
    else:
        dt = cal.weekday_on_or_before(pub, w)
    return Res(dt, dt, "day", "weekday")


def h_weekday_range(m: re.Match, ctx: Ctx) -> Res | None:
    if ctx.pub is None:
        return unresolved("span")
    w1, w2 = cal.WEEKDAYS[m.group("wd1")], cal.WEEKDAYS[m.group("wd2")]
    if ctx.future:
        start = cal.weekday_on_or_after(ctx.pub, w1)
        end = cal.weekday_on_or_after(start, w2)
    else:
        end = cal.weekday_on_or_before(ctx.pub, w2)
        start = cal.weekday_on_or_before(end, w1)
    return Res(start, end, cal.precision_for_days((end - start).days + 1), "span")


def h_weekend(m: re.Match, ctx: Ctx) -> Res | None:
    rel = " ".join(m.group("rel").split())
    if rel == "the" and m.group("prep") not in ("over", "at", "on", "during", "in"):
        return None
    if ctx.pub is None:
        return unresolved("period")
    pub = ctx.pub
    if rel in ("last", "past", "this past"):
        start, end = cal.weekend_before(pub)
    elif rel == "next":
        start = cal.weekday_after(pub, 4)
        end = cal.add_days(start, 2)
    elif ctx.future:  # this weekend / over the weekend, in a future-tense sentence
        start = (
            cal.weekday_on_or_before(pub, 4) if pub.weekday() >= 4 else cal.weekday_after(pub, 4)
        )
        start, end = cal.clip(start, cal.add_days(start, 2), pub, True)
    else:
        start, end = cal.weekend_around(pub)
    return Res(start, end, "week", "period")


def h_rel_unit(m: re.Match, ctx: Ctx) -> Res | None:
    """last/this/next/earlier this/later this + week/month/year (calendar units)."""
    rel = " ".join(m.group("rel").split())
    unit = m.group("u")
    mod = mod_of(m)
    kind = "since" if rel == "so far this" else "period"
    if ctx.pub is None:
        return unresolved(kind, mod)
    pub = ctx.pub
    k = {"last": -1, "next": 1}.get(rel, 0)
    if unit == "week":
        mon_, _ = cal.week_window(pub, k)
        start, end = cal.week_mod_window(mon_, mod)
    elif unit == "month":
        y, mo = cal.shift_month(pub.year, pub.month, k)
        start, end = cal.month_window(y, mo, mod)
    else:
        start, end = cal.year_window(pub.year + k, mod)
    if rel in ("earlier this", "so far this"):
        start, end = cal.clip(start, end, pub, False)
    elif rel == "later this":
        start, end = cal.clip(start, end, pub, True)
    elif k == 0:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, unit, kind, "publication", mod)


def h_the_week(m: re.Match, ctx: Ctx) -> Res | None:
    if ctx.pub is None:
        return unresolved("period")
    return Res(cal.add_days(ctx.pub, -6), ctx.pub, "week", "period")


def h_since_start(m: re.Match, ctx: Ctx) -> Res | None:
    unit, y, mo_raw = m.group("u"), m.group("y"), m.group("mon")
    if y is not None:
        start, prec, anchor = date(int(y), 1, 1), "year", "absolute"
    elif mo_raw is not None:
        mo = month_of(m, ctx)
        if mo is None:
            return None
        if m.group("my") is not None:
            start, anchor = date(int(m.group("my")), mo, 1), "absolute"
        elif ctx.pub is None:
            return unresolved("since")
        else:
            start, anchor = (
                date(cal.month_by_tense(ctx.pub, mo, None, False)[0], mo, 1),
                "publication",
            )
        prec = "month"
    else:
        if ctx.pub is None:
            return unresolved("since")
        pub, anchor, prec = ctx.pub, "publication", unit
        if unit == "year":
            start = date(pub.year, 1, 1)
        elif unit == "month":
            start = date(pub.year, pub.month, 1)
        else:
            start = cal.week_start(pub)
    if ctx.pub is None:
        return Res(start, None, prec, "since", anchor)
    return Res(start, max(start, ctx.pub), prec, "since", anchor)


# "over the last few months", "in recent weeks": how far back a vague count of units reaches
_VAGUE_BACK_DAYS = {"hour": 1, "minute": 1, "day": 7, "week": 28, "month": 90, "year": 3 * 365}
_VAGUE_BACK_DAYS["decade"] = 20 * 365


def h_past_n(m: re.Match, ctx: Ctx) -> Res | None:
    """the past 24 hours / over the last few months / in recent weeks / the next two days."""
    rel, n_raw, u_raw = m.group("rel"), m.group("n"), m.group("u")
    unit = unit_of(u_raw)
    plural = u_raw.endswith("s")
    cnt = count_of(n_raw)
    if rel == "recent" and (n_raw is not None or not plural):
        return None
    if n_raw is not None and cnt is None:
        return None
    if cnt is None and not plural and m.group("the") is None and rel in ("last", "next"):
        return None  # "last week" is the calendar week (rule rel_unit)
    if cnt is not None and cnt[0] != cnt[1] or cnt is None and plural:
        days = _VAGUE_BACK_DAYS[unit]
    else:
        n = 1 if cnt is None else cnt[0]
        if unit in ("hour", "minute"):
            days = max(1, math.ceil(n / 24)) if unit == "hour" else 1
        else:
            days = n * cal.UNIT_DAYS[unit]
    if ctx.pub is None:
        return unresolved("period")
    pub = ctx.pub
    if rel in ("next", "coming"):
        start, end = pub, cal.add_days(pub, days)
    else:
        start, end = cal.add_days(pub, -days), pub
    if unit in ("hour", "minute") and days <= 1:
        prec = "day"
    elif unit in ("year", "decade") or days >= 365:
        prec = "year"
    elif unit == "month" or days > 13:
        prec = "month"
    else:
        prec = "week"
    return Res(start, end, prec, "period")


def h_recently(m: re.Match, ctx: Ctx) -> Res | None:
    if ctx.pub is None:
        return unresolved("period")
    return Res(cal.add_days(ctx.pub, -7), ctx.pub, "week", "period")


def _offset_days(cnt: tuple[int, int], unit: str) -> tuple[int, int]:
    """Day offsets (low, high) for a count of units (hours round to the calendar day)."""
    lo, hi = cnt
    if unit == "minute":
        return (0, 0)
    if unit == "hour":
        return (lo // 24, max(1, math.ceil(hi / 24)))
    if unit == "month":
        return (28 * lo, 31 * hi)
    if unit == "year":
        return (365 * lo, 366 * hi)
    per = cal.UNIT_DAYS[unit]
    return (lo * per, hi * per)


def h_ago(m: re.Match, ctx: Ctx) -> Res | None:
    """two days ago / a week earlier / three days later (relative to publication)."""
    unit = unit_of(m.group("u"))
    cnt = count_of(m.group("n"))
    if cnt is None:
        if m.group("n") is not None or not m.group("u").endswith("s"):
            return None
        if m.group("dir") != "ago":  # "hours later", "days earlier": after the story's event
            bare = (0, 1) if unit in ("hour", "minute") else cal.VAGUE_COUNTS["few"]
            off = _signed(_offset_days(bare, unit), m.group("dir"))
            return Res(None, None, "unknown", "event", "event", None, None, off)
        cnt = cal.VAGUE_COUNTS["few"]
    if ctx.pub is None:
        return unresolved("offset")
    later = m.group("dir") == "later"
    pub = ctx.pub
    sign = 1 if later else -1
    exact = cnt[0] == cnt[1]
    if unit in ("month", "year", "decade") and exact:
        months = cnt[0] * {"month": 1, "year": 12, "decade": 120}[unit]
        mid = cal.shift_date_months(pub, sign * months)
        half = 15 if unit == "month" else 182
        start, end = cal.add_days(mid, -half), cal.add_days(mid, half)
        start, end = cal.clip(start, end, pub, later)
        return Res(start, end, "month" if unit == "month" else "year", "offset")
    lo, hi = _offset_days(cnt, unit)
    if unit in ("hour", "minute"):
        lo, hi = 0, hi
    if later:
        start, end = cal.add_days(pub, lo), cal.add_days(pub, hi)
    else:
        start, end = cal.add_days(pub, -hi), cal.add_days(pub, -lo)
    if start == end or unit in ("hour", "minute"):
        prec = "day"
    else:
        prec = cal.precision_for_days((end - start).days + 1)
    return Res(start, end, prec, "offset")


def _event_res(m: re.Match, ctx: Ctx, offset: tuple[int, int]) -> Res:
    """Resolve an event-relative offset through the phrase after after/before."""
    ref_text, ref_end, inner = ctx.ref_parser(m.end())
    if inner is not None and inner.start is not None and inner.end is not None:
        start = cal.add_days(inner.start, offset[0])
        end = cal.add_days(inner.end, offset[1])
        prec = "day" if start == end else cal.precision_for_days((end - start).days + 1)
        prec = cal.coarser(prec, inner.precision)
        return Res(start, end, prec, "event", inner.anchor, None, ref_text, offset, ref_end)
    return Res(None, None, "unknown", "event", "event", None, ref_text, offset, ref_end)


def _signed(offset: tuple[int, int], direction: str) -> tuple[int, int]:
    if direction in ("before", "prior to", "earlier"):
        return (-offset[1], -offset[0])
    return offset


def h_event_offset(m: re.Match, ctx: Ctx) -> Res | None:
    """two days after the bombing / hours after a rocket attack / days before the vote."""
    unit = unit_of(m.group("u"))
    n_raw = m.group("n")
    cnt = count_of(n_raw)
    if cnt is None:
        if n_raw is not None or not m.group("u").endswith("s"):
            return None
        cnt = (0, 1) if unit in ("hour", "minute") else cal.VAGUE_COUNTS["few"]
    direction = " ".join(m.group("dir").split())
    return _event_res(m, ctx, _signed(_offset_days(cnt, unit), direction))


_THE_UNIT_OFFSET = {
    "day": (1, 1),
    "night": (1, 1),
    "morning": (1, 1),
    "evening": (1, 1),
    "week": (1, 7),
    "month": (1, 31),
    "year": (1, 366),
}


def h_event_the(m: re.Match, ctx: Ctx) -> Res | None:
    """the day after the attack / the night before the vote."""
    direction = " ".join(m.group("dir").split())
    return _event_res(m, ctx, _signed(_THE_UNIT_OFFSET[m.group("u")], direction))


def h_event_same(m: re.Match, ctx: Ctx) -> Res | None:
    """later that day / that night / the same day: the day of the story's event."""
    return Res(None, None, "unknown", "event", "event", None, None, (0, 0))


def h_event_next(m: re.Match, ctx: Ctx) -> Res | None:
    """the next day / the following morning / the previous day: relative to the story's event."""
    back = m.group("rel") in ("previous", "preceding")
    unit = m.group("u")
    if unit.endswith("s"):  # "in the following days"; "the next days" is rule past_n
        if m.group("rel") == "next":
            return None
        off = (1, 14) if unit == "days" else (7, 42)
    else:
        off = _THE_UNIT_OFFSET[unit]
    off = (-off[1], -off[0]) if back else off
    return Res(None, None, "unknown", "event", "event", None, None, off)


def h_decade(m: re.Match, ctx: Ctx) -> Res | None:
    """the 1990s, in the early 2000s."""
    y = int(m.group("y"))
    if y % 10:
        return None
    start, end = date(y, 1, 1), date(y + 9, 12, 31)
    mod = m.group("mod")
    if mod == "early":
        end = date(y + 3, 12, 31)
    elif mod == "mid":
        start, end = date(y + 3, 1, 1), date(y + 6, 12, 31)
    elif mod == "late":
        start = date(y + 7, 1, 1)
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, "year", "absolute", "absolute", mod)


_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 4,
}


def h_quarter(m: re.Match, ctx: Ctx) -> Res | None:
    """the first quarter of 2023, the third quarter (of last year)."""
    q = _QUARTERS[m.group("q")]
    if m.group("y"):
        y = int(m.group("y"))
        anchor = "absolute"
    elif ctx.pub is None:
        return unresolved("period")
    else:
        k = {"last": -1, "next": 1}.get(m.group("rel") or "", 0)
        y, anchor = ctx.pub.year + k, "publication"
        if not m.group("rel") and date(y, 3 * q - 2, 1) > ctx.pub and not ctx.future:
            y -= 1  # "the fourth quarter" said in March: last year's
    start = date(y, 3 * q - 2, 1)
    end = cal.month_window(y, 3 * q)[1]
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, "month", "period", anchor)


def h_in_the_unit(m: re.Match, ctx: Ctx) -> Res | None:
    """earlier in the day / later in the week / (by) the end of the year: the current unit."""
    if ctx.pub is None:
        return unresolved("period")
    pub, unit = ctx.pub, m.group("u") or m.group("u2")
    if unit == "day":
        return Res(pub, pub, "day", "deictic")
    if unit == "week":
        start, end = cal.week_window(pub, 0)
        start, end = cal.week_mod_window(start, mod_of(m) if m.group("mod") else None)
    elif unit == "month":
        start, end = cal.month_window(pub.year, pub.month, mod_of(m) if m.group("mod") else None)
    else:
        start, end = cal.year_window(pub.year, mod_of(m) if m.group("mod") else None)
    el = m.group("el")
    if el == "earlier":
        start, end = cal.clip(start, end, pub, False)
    elif el == "later":
        start, end = cal.clip(start, end, pub, True)
    else:
        start, end = clip_tense(start, end, ctx)
    return Res(start, end, unit, "period", "publication", mod_of(m) if m.group("mod") else None)


# --------------------------------------------------------------------------- handlers: named days

_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_NTH.update({"4th": 4, "last": -1, "final": -1})
_WHOLE_PREPS = frozenset({"during", "over", "throughout", "through"})
_PART_OF_BEFORE_RX = re.compile(r"(?:day|night|week|days|nights)\s+of\s+(?:the\s+)?$")
_REL_YEAR = {"this year's": 0, "last year's": -1, "next year's": 1}


def h_named(m: re.Match, ctx: Ctx) -> Res | None:
    """New Year's Eve, Christmas, Nowruz, Eid al-Fitr/al-Adha, Ramadan, Ashura, Arbaeen.

    See :mod:`.named_days` for the windows and which occurrence a mention means.
    """
    key = nd.key_of(m.group("name"))
    if m.group("which") is None and _PART_OF_BEFORE_RX.search(
        ctx.low, max(0, m.start() - 24), m.start()
    ):
        return None  # "the fifth day of | Eid al-Fitr": a part this rule did not accept
    whole_month = m.group("month") is not None
    if whole_month and key != "ramadan":
        return None
    prep, which, unit, rel = m.group("prep"), m.group("which"), m.group("unit"), m.group("rel")
    marked = prep or m.group("the") or which or m.group("eve") or m.group("mod") or rel
    if key in nd.NEEDS_CONTEXT:
        if not (marked or whole_month or m.group("hol") or m.group("y")):
            return None  # "Taha Yassin Ramadan", "Mohammed Eid"
        if not ctx.text[m.start("name")].isupper():
            return None
    rel = " ".join(rel.replace("’", "'").split()) if rel else None
    year = _grp_int(m, "y")
    if rel in _REL_YEAR:
        if ctx.pub is None:
            return unresolved("named")
        year, rel = ctx.pub.year + _REL_YEAR[rel], None
    if ctx.pub is None and year is None:
        return unresolved("named")
    future = rel == "next" or ctx.forward(prep)
    window = nd.pick(key, ctx.pub, future, rel if rel in ("last", "next") else None, year)
    if window is None:
        return None
    unit = unit.rstrip("s") if unit in ("nights", "night") else unit
    unit = "day" if unit == "night" else unit
    cnt = count_of(m.group("cnt"))
    if unit == "days" and cnt is None and m.group("cnt") is not None:
        return None
    part = nd.part_of(
        key,
        window,
        which=_NTH[which] if which else None,
        unit=unit,
        count=3 if cnt is None else cnt[0] if cnt[0] == cnt[1] else 3,
        whole=prep in _WHOLE_PREPS or m.group("hol") is not None,
        eve=m.group("eve") is not None,
        mod=mod_of(m),
    )
    if part is None:
        return None
    start, end, precision = part
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx, future, prep)
    anchor = "absolute" if m.group("y") else "publication"
    return Res(start, end, precision, "named", anchor, mod_of(m))


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Rule:
    name: str
    rx: re.Pattern
    classes: tuple[str, ...]  # trigger classes that can occur inside a match
    handler: Callable[[re.Match, Ctx], Res | None]
    event: bool = False  # needs an event phrase (skipped when scanning inside one)


def _r(name: str, pattern: str, classes: str, handler, event: bool = False) -> Rule:
    return Rule(name, re.compile(pattern), tuple(classes.split()), handler, event)


_DAY_MONTH_TAIL = rf"(?:,?\s*(?P<y>{YEAR}))?"
_REL_UNIT = r"(?P<rel>earlier\s+this|later\s+this|so\s+far\s+this|last|this|next)"

RULES: tuple[Rule, ...] = (
    # ---- "since the beginning of ...": aggregate claims, most specific first -------------
    _r(
        "since_start",  # since the beginning of the year / of 2024 / of March
        r"(?<![\w-])since\s+(?:the\s+)?(?:very\s+)?(?:beginning|start)\s+of\s+"
        rf"(?:(?:the|this)\s+(?P<u>year|month|week)|(?P<y>{YEAR})"
        rf"|{mon(full=True)}(?:\s+(?P<my>{YEAR}))?)",
        "week my year mon",
        h_since_start,
    ),
    # ---- absolute calendar dates -------------------------------------------------------
    _r(
        "iso",  # 2023-05-24, 2023/05/24
        rf"{B}(?P<y>{YEAR})(?P<s1>[-/.])(?P<m>\d{{1,2}})(?P<s2>[-/.])(?P<d>\d{{1,2}})(?!\d)",
        "year",
        h_iso,
    ),
    _r(
        "numeric",
        rf"{B}{PREP}(?:{wd()},?\s+)?(?P<a>\d{{1,2}})(?P<s1>[/.-])(?P<b>\d{{1,2}})(?P<s2>[/.-])"
        rf"(?P<y>{YEAR})",
        "num wd",
        h_numeric,
    ),
    _r(
        "day_mon_year_compact",  # 24/May/2023, 24-May-2023
        rf"{B}{PREP}(?:{wd()},?\s+)?(?P<d>\d{{1,2}})[/-]{mon()}[/-](?P<y>{YEAR})",
        "num wd",
        h_day_month,
    ),
    _r(
        "day_range",  # May 16-18, 16-18 May 2023, between May 16 and 18
        rf"{B}{PREP}(?:{mon()}\s*(?P<d1>\d{{1,2}}){ORD}\s*(?:-|–|to|and|through)\s*"
        rf"(?P<d2>\d{{1,2}}){ORD}|(?P<d1b>\d{{1,2}}){ORD}\s*(?:-|–|to|and)\s*"
        rf"(?P<d2b>\d{{1,2}}){ORD}(?:\s+of)?\s+{mon('monb')})(?![\d:])"
        rf"(?:,?\s*(?P<y>{YEAR}))?",
        "num mon",
        h_day_range,
    ),
    _r(
        "day_month",  # 16 May, Wednesday 19 June, the 1st of November 2018, 12March 2020
        rf"{B}{PREP}(?:{wd()},?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){ORD}(?:\s+of)?[\s-]*{mon()}"
        rf"{_DAY_MONTH_TAIL}",
        "num wd",
        h_day_month,
    ),
    _r(
        "month_day",  # May 16, Dec. 29, October 16, 2017, Thursday (November 1st)
        rf"{B}{PREP}(?:{wd()}(?:,?\s+|\s*(?P<paren>\(\s*)))?{mon()}\s*(?P<d>\d{{1,2}}){ORD}"
        rf"(?![\d:]|[.,]\d){_DAY_MONTH_TAIL}(?(paren)(?:\s*\))?)",
        "mon wd",
        h_day_month,
    ),
    _r(
        "month_year",  # October 2016, in late October 2016, May of 2015
        rf"{B}{PREP}(?:{MOD})?{mon()},?\s+(?:of\s+)?(?P<y>{YEAR})",
        "mon",
        h_month_year,
    ),
    _r(
        "decade",  # the 1990s, in the early 2000s
        rf"{B}{PREP}(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<y>{YEAR})'?s(?![\w])",
        "year",
        h_decade,
    ),
    _r(
        "quarter",  # the first quarter of 2023, the third quarter of last year
        rf"{B}{PREP}(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+"
        rf"quarter(?![\w-])(?:\s+of\s+(?:(?P<y>{YEAR})|(?:the\s+)?(?P<rel>last|this|next)\s+year))?",
        "quarter",
        h_quarter,
    ),
    _r(
        "in_the_unit",  # earlier in the day, later in the week, by the end of the year
        rf"{B}(?:(?P<el>earlier|later)\s+in\s+the\s+(?P<u>day|week|month|year)"
        rf"|{PREP}{MOD}the\s+(?P<u2>week|month|year))(?![\w-])",
        "day week my",
        h_in_the_unit,
    ),
    _r(
        "year_range",  # 2014-2017, between 2014 and 2017
        rf"{B}{PREP}(?P<y1>{YEAR})\s*(?:-|–|to|and|until)\s*(?P<y2>(?:19|20)\d\d|\d\d)(?![\d,.%])",
        "year",
        h_year_range,
    ),
    _r(
        "year",  # in 2014, since 2017, late 2016, mid-2016, the end of 2016
        rf"{B}{PREP}(?:{MOD})?(?P<y>{YEAR})(?![\w%]|[.,]\d|\s*-\s*\d)",
        "year",
        h_year,
    ),
    _r(
        "month_range",  # between March and May, from January to April 2016
        rf"{B}(?:between|from)\s+{mon(full=True)}\s+(?:and|to|until|till|through)\s+"
        rf"{mon('mon2', full=True)}(?:,?\s+(?P<y>{YEAR}))?",
        "mon",
        h_month_range,
    ),
    _r(
        "month",  # in November, late last month is rel_unit; at the end of last January
        rf"{B}{PREP}(?:{MOD})?(?:(?P<rel>this\s+past|this\s+coming|last|this|next|past|coming)"
        rf"\s+)?{mon(full=True)}(?:,?\s+(?:of\s+)?(?P<ry>last|this|next)\s+year)?",
        "mon week day",
        h_month,
    ),
    _r(
        "named_day",  # on New Year's Eve, the first day of Eid al-Fitr, during Ramadan
        rf"{B}{PREP}(?P<the>the\s+)?(?:(?P<eve>eve)\s+of\s+(?:the\s+)?"
        r"|(?P<which>first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+"
        rf"(?:(?P<cnt>{COUNT})\s+)?(?P<unit>day|night|week|days|nights)\s+of\s+(?:the\s+)?"
        r"|(?P<mod>early|mid|late|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle)\s+of)"
        r"(?:\s*-\s*|\s+)(?:the\s+)?)?"
        r"(?:(?P<rel>last|this|next|(?:this|last|next)\s+year['’]s)\s+)?"
        r"(?P<month>(?:(?:muslim|islamic)\s+)?(?:holy\s+)?(?:fasting\s+)?month\s+of\s+)?"
        rf"(?P<name>{nd.NAME_PATTERN})(?![a-z])"
        r"(?:\s+(?P<hol>holidays?|festival|festivities|celebrations?|break|vacation|period|season))?"
        rf"(?:,?\s+(?:(?:of|in)\s+)?(?P<y>{YEAR}))?",
        "named day tod week num my",
        h_named,
    ),
    # ---- deictic and weekdays ----------------------------------------------------------
    _r(
        "deictic",  # today, at dawn today, Monday; late last night; the day before yesterday
        rf"{B}{PREP}(?:(?:at\s+)?(?:dawn|dusk|noon|midnight)\s+|(?:early|late|earlier|later)\s+"
        r"|(?:the\s+)?early\s+hours\s+of\s+)?"
        r"(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today"
        r"|tonight|tomorrow|last\s+night|last\s+evening|this\s+morning|this\s+afternoon"
        rf"|this\s+evening|overnight)(?![\w-]){TOD}(?:,\s*{wd()})?",
        "deic day tod",
        h_deictic,
    ),
    _r(
        "weekday_range",  # from Monday to Wednesday
        rf"{B}(?:from|between)\s+{wd('wd1')}\s+(?:to|and|until|till|through)\s+{wd('wd2')}",
        "wd",
        h_weekday_range,
    ),
    _r(
        "weekday",  # on Tuesday, last Saturday evening, in the early hours of Thursday morning
        rf"{B}{PREP}(?:(?:(?:the\s+)?early\s+hours\s+of|(?:at\s+)?dawn(?:\s+on)?"
        r"|(?:the\s+)?(?:night|morning|evening)\s+of|early\s+on|late\s+on|early|late"
        r"|overnight(?:\s+on)?)\s+)?"
        r"(?:(?P<rel>this\s+past|this\s+coming|last|past|coming|this|next)\s+)?"
        rf"{wd()}{TOD}",
        "wd deic",
        h_weekday,
    ),
    # ---- calendar periods ----------------------------------------------------------------
    _r(
        "weekend",
        rf"{B}(?:(?P<prep>on|at|in|during|over(?=\s+the\s))\s+)?"
        r"(?P<rel>this\s+past|last|past|this|next|the)\s+weekend(?![\w-])",
        "weekend",
        h_weekend,
    ),
    _r(
        "rel_unit",  # last week, earlier this month, late last month, the end of last year
        rf"{B}{PREP}(?:{MOD})?{_REL_UNIT}\s+(?P<u>week|month|year)(?![\w-])",
        "week my",
        h_rel_unit,
    ),
    _r(
        "the_week",  # during the week
        r"(?<![\w-])(?:during|over|throughout|earlier\s+in)\s+the\s+week(?![\w-])",
        "week",
        h_the_week,
    ),
    _r(
        "event_same",  # later that day, that night, on the same day
        rf"{B}{PREP}(?:(?:later|earlier)\s+)?(?:that|the\s+same)(?:\s+same)?\s+"
        r"(?:day|night|morning|afternoon|evening)(?![\w-])",
        "day tod",
        h_event_same,
    ),
    _r(
        "event_next",  # the next day / the following morning / the previous day
        rf"{B}{PREP}the\s+(?P<rel>next|following|previous|preceding)\s+"
        r"(?:few\s+)?(?P<u>days?|morning|evening|night|weeks?)(?![\w-])",
        "day tod week",
        h_event_next,
    ),
    _r(
        "past_n",  # the past 24 hours, over the last few months, in recent weeks
        rf"{B}{PREP}(?P<the>the\s+)?(?P<rel>past|last|previous|recent|coming|next)\s+"
        rf"(?:(?P<n>{COUNT})\s+)?"
        r"(?P<u>hours?|minutes?|days?|weeks?|months?|years?|decades?)(?![\w-])",
        "num week day my hour recent",
        h_past_n,
    ),
    _r("recently", rf"{B}recently(?![\w-])", "recent", h_recently),
    # ---- counted offsets -------------------------------------------------------------------
    _r(
        "ago",  # two days ago, a week earlier, three days later
        rf"{B}(?:(?P<n>{COUNT})\s+)?(?P<u>minutes?|hours?|days?|nights?|weeks?|months?|years?"
        r"|decades?)\s+(?P<dir>ago|earlier|later)(?![\w-])",
        "num day week my hour tod",
        h_ago,
    ),
    _r(
        "event_offset",  # two days after the bombing, hours after a rocket attack
        rf"{B}(?:(?P<n>{COUNT})\s+)?(?P<u>minutes?|hours?|days?|nights?|weeks?|months?|years?)"
        r"\s+(?P<dir>after|before|prior\s+to|following)(?![\w-])",
        "num day week my hour tod",
        h_event_offset,
        event=True,
    ),
    _r(
        "event_the",  # the day after the attack, the night before the vote
        rf"{B}{PREP}the\s+(?P<u>day|night|morning|evening|week|month|year)\s+"
        r"(?P<dir>before|after|prior\s+to|following)(?![\w-])",
        "day tod week my",
        h_event_the,
        event=True,
    ),
)

# --------------------------------------------------------------------------- triggers

# trigger word -> trigger key; a rule lists the keys of the first trigger its matches can contain
_TRIGGER_WORDS: dict[str, str] = {w: "wd" for w in _WEEKDAY.split("|")}
_TRIGGER_WORDS.update({w: "mon" for w in cal.MONTHS})
_TRIGGER_WORDS.update(
    dict.fromkeys(("today", "tonight", "yesterday", "tomorrow", "overnight"), "deic")
)
_TRIGGER_WORDS.update(dict.fromkeys(("day", "days"), "day"))
_TRIGGER_WORDS.update(dict.fromkeys(("week", "weeks"), "week"))
_TRIGGER_WORDS["weekend"] = "weekend"
_TRIGGER_WORDS["quarter"] = "quarter"
_TRIGGER_WORDS.update(
    dict.fromkeys(("month", "months", "year", "years", "decade", "decades"), "my")
)
_TRIGGER_WORDS.update(dict.fromkeys(("hour", "hours", "minute", "minutes"), "hour"))
_TRIGGER_WORDS.update(dict.fromkeys(("night", "nights", "morning", "afternoon", "evening"), "tod"))
_TRIGGER_WORDS.update(dict.fromkeys(("recent", "recently"), "recent"))
_TRIGGER_WORDS.update(dict.fromkeys(nd.TRIGGER_WORDS, "named"))
TRIGGER_KEYS = ("wd", "mon", "deic", "day", "week", "weekend", "my", "hour", "tod", "recent")
TRIGGER_KEYS += ("num", "year", "quarter", "named")
# named-day trigger words that open a name only before these words ("new | year's eve")
_NAMED_NEXT_RX = {
    "new": re.compile(r"[\s-]+year"),
    "eve": re.compile(r"\s+of\s"),
    "feast": re.compile(r"\s+of\s"),
    "festival": re.compile(r"\s+of\s"),
}


# Run on " " + text: each match starts with the non-word character before the trigger, so
# m.start() is the trigger's offset in the text. Starting with a character class lets the
# regex engine skip the inside of words quickly (about 2x faster than a leading \b).
TRIGGER_RX = re.compile(
    rf"[^a-z0-9_](?:(?P<w>{_trie_pattern(list(_TRIGGER_WORDS))})(?![a-z])|(?P<n>\d+))"
)
# A small number (not a year) can only open a date when a separator, an ordinal, a month or
# a unit follows it: "16 May", "12/08/2019", "1st of", "24 hours", "16-18". Counts ("14
# airstrikes", "2,500", "11:30") are dropped before any rule runs.
_UNIT_WORDS = r"(?:minute|hour|day|night|week|month|year|decade)s?"
NUM_GUARD_RX = re.compile(
    rf"\d{{1,3}}(?:st|nd|rd|th)?(?:\s*[/.\-–]\s*[a-z\d]|\s*(?:of\s+)?(?:{_MONTH_ANY})(?![a-z])"
    rf"|\s+{_UNIT_WORDS}(?![a-z])|\s+(?:to|and|through)\s+\d)"
)


def trigger_key(m: re.Match, low: str) -> str | None:
    """The trigger key of a TRIGGER_RX match, or None when it cannot open a date."""
    w = m.group("w")
    if w is not None:
        nxt = _NAMED_NEXT_RX.get(w)
        if nxt is not None and not nxt.match(low, m.end() - 1):
            return None
        return _TRIGGER_WORDS[w]
    n = m.group("n")
    if len(n) == 4 and n[:2] in ("19", "20"):
        return "year"
    if len(n) <= 3 and NUM_GUARD_RX.match(low, m.start()):
        return "num"
    return None


CLASS_RULES: dict[str, tuple[Rule, ...]] = {
    k: tuple(r for r in RULES if k in r.classes) for k in TRIGGER_KEYS
}

_GROUP_NAME_RX = re.compile(r"\(\?P<(\w+)>|\(\?\((\w+)\)")


def _probe(rules: tuple[Rule, ...]) -> tuple[re.Pattern, tuple[tuple[Rule, int], ...]]:
    """One regex that tries every rule of a class at a position, in a single call.

    Each rule becomes ``(?=(?P<rN>rule)|)``: a lookahead that always succeeds and records
    where the rule's match would end (group rN), so one ``match()`` replaces a call per rule.
    """
    parts = []
    for i, rule in enumerate(rules):

        def rename(m: re.Match, i: int = i) -> str:
            if m.group(1):
                return f"(?P<r{i}_{m.group(1)}>"
            return f"(?(r{i}_{m.group(2)})"

        body = _GROUP_NAME_RX.sub(rename, rule.rx.pattern)
        parts.append(f"(?=(?P<r{i}>{body})|)")
    rx = re.compile("".join(parts))
    return rx, tuple((rule, rx.groupindex[f"r{i}"]) for i, rule in enumerate(rules))


CLASS_PROBES = {c: _probe(rules) for c, rules in CLASS_RULES.items()}
RULE_INDEX = {r.name: i for i, r in enumerate(RULES)}

# Words that may precede a trigger inside one expression: the engine walks back over them
# to find candidate starts ("at the end of last | January", "in the early hours of | Thursday").
PREFIX_WORDS = _words(
    PREP_WORDS.replace("|", " ")
    + " the a an of early late mid earlier later this last next past coming previous following"
    " preceding dawn dusk noon midnight very end beginning start middle first week days hours"
    " night morning evening overnight that same few several couple some so far recent"
    " second third fourth final 1st 2nd 3rd 4th muslim islamic holy fasting "
    + NUMW[3:-1].replace("|", " ")
)
_PREFIX_ALT = "|".join(sorted((w[::-1] for w in PREFIX_WORDS), key=len, reverse=True))
# matched against the reversed text before the trigger: separators then one prefix word, repeated
PREFIX_WALK_RX = re.compile(rf"(?:[\s-]+(?:{_PREFIX_ALT})(?![a-z0-9]))*")
WORD_RX = re.compile(r"[a-z0-9]+")
