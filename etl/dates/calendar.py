"""Pure calendar helpers for the date engine.

Everything here works on :class:`datetime.date` values and plain integers; nothing knows
about regular expressions or text. Weeks start on Monday (ISO), weekdays are numbered
Monday=0 .. Sunday=6.
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta

# --------------------------------------------------------------------------- vocabularies

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
}

# vague counts -> (low, high) number of units
VAGUE_COUNTS = {
    "few": (2, 7),
    "a few": (2, 7),
    "several": (3, 7),
    "some": (2, 7),
    "couple of": (2, 2),
    "a couple of": (2, 2),
}

# unit -> days per unit (approximate for month/year; used only for offsets and spans)
UNIT_DAYS = {
    "minute": 0,
    "hour": 0,
    "day": 1,
    "night": 1,
    "morning": 1,
    "evening": 1,
    "week": 7,
    "month": 30,
    "year": 365,
    "decade": 3652,
}

PRECISIONS = ("day", "week", "month", "year", "unknown")
_PREC_RANK = {p: i for i, p in enumerate(PRECISIONS)}

# mod -> (first, last) day of a month; "late" is the last ten days (22-31 in January, 20-29
# in a leap February), as the gold coding rules say ("the last ten days of that January")
MONTH_MOD_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (None, None)}
# mod -> (first month, last month) of a year
YEAR_MOD_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
# mod -> (first weekday, last weekday) of a Monday..Sunday week
WEEK_MOD_DAYS = {"early": (0, 2), "mid": (1, 3), "late": (4, 6)}


# --------------------------------------------------------------------------- basic helpers


def add_days(d: date, n: int) -> date:
    return d + timedelta(days=n)


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(y: int, m: int) -> int:
    if m == 2 and _cal.isleap(y):
        return 29
    return _DAYS_IN_MONTH[m]


def safe_date(y: int, m: int, d: int) -> date | None:
    """``date(y, m, d)`` or None when the day does not exist (Feb 30, Feb 29 2023)."""
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1 <= y <= 9999):
        return None
    if d > days_in_month(y, m):
        return None
    return date(y, m, d)


def month_end(y: int, m: int) -> date:
    return date(y, m, days_in_month(y, m))


def shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    """(y, m) moved by k months."""
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def shift_date_months(d: date, k: int) -> date:
    """Same day-of-month k months away, clamped to the month end."""
    y, m = shift_month(d.year, d.month, k)
    return date(y, m, min(d.day, days_in_month(y, m)))


def week_start(d: date) -> date:
    """Monday of d's week."""
    return d - timedelta(days=d.weekday())


def precision_rank(p: str) -> int:
    return _PREC_RANK.get(p, _PREC_RANK["unknown"])


def coarser(p: str, q: str) -> str:
    """The coarser of two precisions."""
    return p if precision_rank(p) >= precision_rank(q) else q


def precision_for_days(n_days: int) -> str:
    """Precision word for a window covering ``n_days`` calendar days (inclusive count)."""
    if n_days <= 1:
        return "day"
    if n_days <= 13:
        return "week"
    if n_days <= 92:
        return "month"
    return "year"


# --------------------------------------------------------------------------- weekdays


def weekday_on_or_before(pub: date, wd: int) -> date:
    """Most recent weekday ``wd`` on or before ``pub`` (pub itself included)."""
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def weekday_before(pub: date, wd: int) -> date:
    """Most recent weekday ``wd`` strictly before ``pub``."""
    return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)


def weekday_on_or_after(pub: date, wd: int) -> date:
    """Next weekday ``wd`` on or after ``pub`` (pub itself included)."""
    return pub + timedelta(days=(wd - pub.weekday()) % 7)


def weekday_after(pub: date, wd: int) -> date:
    """Next weekday ``wd`` strictly after ``pub``."""
    return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)


def weekend_before(pub: date) -> tuple[date, date]:
    """Friday..Sunday of the most recent weekend that ended strictly before ``pub``."""
    sunday = weekday_before(pub, 6)
    return sunday - timedelta(days=2), sunday


def weekend_around(pub: date) -> tuple[date, date]:
    """The weekend containing ``pub`` (Fri..pub) if pub is Fri-Sun, else the previous one."""
    if pub.weekday() >= 4:
        return weekday_on_or_before(pub, 4), pub
    return weekend_before(pub)


def week_window(pub: date, k: int) -> tuple[date, date]:
    """Monday..Sunday of the week ``k`` weeks from pub's week (k=-1: last week)."""
    mon = week_start(pub) + timedelta(weeks=k)
    return mon, mon + timedelta(days=6)


# --------------------------------------------------------------------------- months / years


def month_window(y: int, m: int, mod: str | None = None) -> tuple[date, date]:
    """First..last day of month (y, m), narrowed to a third of it by ``mod``."""
    if mod is None:
        return date(y, m, 1), month_end(y, m)
    lo, hi = MONTH_MOD_DAYS[mod]
    if lo is None:  # late: the last ten days
        end = month_end(y, m)
        return end - timedelta(days=9), end
    return date(y, m, lo), date(y, m, hi)


def year_window(y: int, mod: str | None = None) -> tuple[date, date]:
    if mod is None:
        return date(y, 1, 1), date(y, 12, 31)
    lo, hi = YEAR_MOD_MONTHS[mod]
    return date(y, lo, 1), month_end(y, hi)


def week_mod_window(mon: date, mod: str | None) -> tuple[date, date]:
    if mod is None:
        return mon, mon + timedelta(days=6)
    lo, hi = WEEK_MOD_DAYS[mod]
    return mon + timedelta(days=lo), mon + timedelta(days=hi)


def month_last(pub: date, m: int) -> tuple[int, int]:
    """(y, m) of the most recent month ``m`` strictly before pub's month ("last January")."""
    y = pub.year if m < pub.month else pub.year - 1
    return y, m


def month_next(pub: date, m: int) -> tuple[int, int]:
    """(y, m) of the first month ``m`` strictly after pub's month ("next March")."""
    y = pub.year if m > pub.month else pub.year + 1
    return y, m


def month_by_tense(pub: date, m: int, mod: str | None, future: bool) -> tuple[int, int]:
    """Year for a bare month name ("in November", "late September").

    Past: the most recent occurrence whose window has started by pub.
    Future: the first occurrence whose window has not ended before pub.
    """
    y = pub.year
    if future:
        if month_window(y, m, mod)[1] < pub:
            y += 1
    elif month_window(y, m, mod)[0] > pub:
        y -= 1
    return y, m


def day_by_tense(pub: date, m: int, d: int, future: bool) -> date | None:
    """Year-less "May 16": most recent on or before pub (past) or next on or after (future).

    Handles Feb 29 by walking to the nearest leap year in the right direction.
    """
    step = 1 if future else -1
    y = pub.year
    for _ in range(9):
        cand = safe_date(y, m, d)
        if cand is not None and (cand >= pub if future else cand <= pub):
            return cand
        y += step
    return None


def clip(start: date, end: date, pub: date, future: bool) -> tuple[date, date]:
    """Cut a window that straddles pub: past reports end at pub, future ones start at it."""
    if future:
        if start < pub <= end:
            return pub, end
    elif start <= pub < end:
        return start, pub
    return start, end
