"""Rule handlers: a regex match plus its context -> the days it means (:class:`Res`).

Handlers are small and pure: they read the match and the context (publication date, tense,
day_first) and call :mod:`.calendar` (or :mod:`.named_days`). They return None to veto a
match (Theresa May, "may be", an impossible date ...). This module holds the result and
context types, the shared helpers, and the handlers of absolute dates and named days; the
relative ones (weekdays, periods, offsets, event phrases) are in :mod:`.relative`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from . import calendar as cal
from . import named_days as nd
from .tense import FORWARD_PREPS, MEASURE_VERBS, detect_tense, tense_marker

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
        return tense_marker(self.low, self.start, self.end)[1] in MEASURE_VERBS


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


def h_day_month_range(m: re.Match, ctx: Ctx) -> Res | None:
    """from May 5 to May 11, 16 May to 2 June 2023: day to day across months; the year,
    stated once at the end, is the second day's (the first day is the year before when it
    falls later in the year)."""
    mon1, day1 = ("mon", "d1") if m.group("mon") else ("monb", "d1b")
    mon2, day2 = ("mon2", "d2") if m.group("mon2") else ("mon2b", "d2b")
    m1, d1 = month_of(m, ctx, mon1), int(m.group(day1))
    m2, d2 = month_of(m, ctx, mon2), int(m.group(day2))
    if m1 is None or m2 is None:
        return None
    last = _abs_day(ctx, m2, d2, _grp_int(m, "y"), None, m.group("prep"))
    if last is None or last.start is None:
        return last if last is None else last._replace(kind="span")
    y1 = last.start.year if (m1, d1) <= (m2, d2) else last.start.year - 1
    start = cal.safe_date(y1, m1, d1)
    if start is None or start >= last.start or (last.start - start).days > 366:
        return None
    days = (last.start - start).days + 1
    return Res(start, last.start, cal.precision_for_days(days), "span", last.anchor, None)


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


# --------------------------------------------------------------------------- handlers: named days

_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_NTH.update({"4th": 4, "last": -1, "final": -1})
_WHOLE_PREPS = frozenset({"during", "over", "throughout", "through"})
_PART_OF_BEFORE_RX = re.compile(r"(?:day|night|week|days|nights)\s+of\s+(?:the\s+)?$")
# "ahead of Eid", "shortly before Christmas": the event is before the day, not on it; the
# expression is left alone ("two days before Eid" is an offset rule and resolves)
_OFFSET_BEFORE_RX = re.compile(
    r"(?:day|days|night|nights|hours|week|weeks|morning|evening)\s+(?:before|prior\s+to)\s+(?:the\s+)?$"
)
_MARKS_END_RX = re.compile(
    r"(?:mark|marks|marked|marking|celebrates|celebrating|ends|ending)\s+(?:the\s+)?$"
)
_AHEAD_RX = re.compile(
    r"(?:ahead\s+of|run-up\s+to|in\s+preparation\s+for|preparing\s+for|preparations\s+for"
    r"|(?<!day\s)(?<!days\s)(?<!night\s)(?<!hours\s)(?<!week\s)(?<!weeks\s)(?<!month\s)"
    r"(?<!months\s)(?<!morning\s)(?<!evening\s)before)\s+(?:the\s+)?$"
)
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
    if _AHEAD_RX.search(ctx.low, max(0, m.start() - 40), m.start()):
        return None
    whole_month = m.group("month") is not None
    if whole_month and key != "ramadan":
        return None
    prep, which, unit, rel = m.group("prep"), m.group("which"), m.group("unit"), m.group("rel")
    marked = prep or m.group("the") or which or m.group("eve") or m.group("mod") or rel
    if key in nd.NEEDS_CONTEXT:
        if not (marked or whole_month or m.group("hol") or m.group("y") or m.group("ry")):
            return None  # "Taha Yassin Ramadan", "Mohammed Eid"
        if not ctx.text[m.start("name")].isupper():
            return None
    rel = " ".join(rel.replace("’", "'").split()) if rel else None
    year = _grp_int(m, "y")
    ry = m.group("ry")  # "on Eid al-Fitr last year"
    if rel in _REL_YEAR or ry is not None:
        if ctx.pub is None:
            return unresolved("named")
        k = _REL_YEAR[rel] if rel in _REL_YEAR else _REL_YEAR[f"{ry} year's"]
        year, rel = ctx.pub.year + k, None
    if ctx.pub is None and year is None:
        return unresolved("named")
    future = rel == "next" or ctx.forward(prep)
    unit = {"nights": "days"}.get(unit, unit)
    if m.group("mod") and _MARKS_END_RX.search(ctx.low, max(0, m.start() - 16), m.start()):
        return None  # "Eid al-Fitr, marking the end of Ramadan": not a date of its own
    cnt = count_of(m.group("cnt"))
    if unit == "days" and cnt is None and m.group("cnt") is not None:
        return None

    def part(window: tuple[date, date]) -> tuple[date, date, str] | None:
        return nd.part_of(
            key,
            window,
            which=_NTH[which] if which else None,
            unit=unit,
            count=3 if cnt is None else cnt[0] if cnt[0] == cnt[1] else 3,
            whole=prep in _WHOLE_PREPS or m.group("hol") is not None,
            eve=m.group("eve") is not None,
            mod=mod_of(m),
        )

    rel = rel if rel in ("last", "next") else None
    # "for Eid" (shopping for, travelling for) and "two days before Eid" may mean a holiday
    # just ahead of a past-tense story (see named_days.STALE_DAYS)
    imminent = prep == "for" or _OFFSET_BEFORE_RX.search(ctx.low, max(0, m.start() - 30), m.start())
    found = nd.pick(key, ctx.pub, future, rel, year, part, imminent=bool(imminent))
    if found is None:
        return None
    start, end, precision = found
    if ctx.pub is not None:
        start, end = clip_tense(start, end, ctx, future, prep)
    anchor = "absolute" if m.group("y") else "publication"
    return Res(start, end, precision, "named", anchor, mod_of(m))
