"""Handlers of relative expressions: deictic words, weekdays, weekends, calendar periods,
counted offsets and event-relative phrases (see :mod:`.handlers` for the contract)."""

from __future__ import annotations

import math
import re
from datetime import date

from . import calendar as cal
from .handlers import Ctx, Res, clip_tense, count_of, mod_of, month_of, unit_of, unresolved

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
    later = m.group("dir") == "later"
    if later and unit in ("minute", "hour", "day", "week") and ctx.tense == "past":
        # "two days later, gunmen attacked": after the story's event, not after publication
        # ("a week later, the ministry will publish" stays a day after publication)
        return Res(None, None, "unknown", "event", "event", None, None, _offset_days(cnt, unit))
    if ctx.pub is None:
        return unresolved("offset")
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
