"""Named days: holidays that news dates events by ("on New Year's Eve", "the first day of Eid").

Pure calendar data and arithmetic; the regex rule and its handler are in :mod:`.rules`.

Each named day is a row of :data:`NAMED_DAYS`: the calendar it is fixed in (Gregorian or
Hijri), its month and first day, and how long the holiday or period lasts. Islamic days are
converted with ``hijridate`` (MIT; the Umm al-Qura table of Saudi Arabia ships inside the
package, 1 August 1924 .. 16 November 2077; nothing is downloaded).

Umm al-Qura is a computed calendar. Where a month starts with the sighting of the new moon
(Iraq's Shia authorities, Iran, Pakistan, Morocco ...), the holiday is often a day later,
and Iraq's Sunni and Shia communities regularly keep Eid one day apart. So every Hijri
window runs one day past the Umm al-Qura dates (:data:`HIJRI_LATE_DAYS`): "the first day
of Eid al-Fitr" is the Umm al-Qura 1 Shawwal and the day after, with precision "day" and
its point (the start) on the Umm al-Qura day.

Which occurrence: the most recent one that has started on or before publication (past-tense
reporting), or the first one that has not ended before it (future tense), like year-less
months and weekdays. One exception: "for <holiday>" in past reporting ("the market was full
of people shopping for the Eid holiday", a day before Eid) means a holiday at most two weeks
ahead rather than one more than half a year back (:data:`STALE_DAYS`, :data:`IMMINENT_DAYS`).
"last"/"next" pick the previous/next one strictly before/after publication; a stated year
("Christmas 2019", "Eid al-Adha in 2023") picks that year's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from hijridate import Gregorian, Hijri

from . import calendar as cal

HIJRI_LATE_DAYS = 1  # moon sighting may put a Hijri holiday a day after Umm al-Qura
# "for <holiday>" in past reporting: the last occurrence begun by publication, unless that
# one is older than STALE_DAYS and the next begins within IMMINENT_DAYS (then the next)
STALE_DAYS, IMMINENT_DAYS = 180, 14
HIJRI_FIRST_YEAR, HIJRI_LAST_YEAR = 1343, 1500  # the range hijridate's table covers


class NamedDay(NamedTuple):
    calendar: str  # "gregorian" | "hijri"
    month: int
    day: int  # first day of the holiday
    length: int  # days the holiday or period lasts (0: the whole month)
    precision: str  # precision of the whole holiday window


# key -> when it is. Eid al-Fitr: 1-3 Shawwal; Eid al-Adha: 10-13 Dhu al-Hijja (the days
# most Arab states give as holidays); Ramadan: the whole month; Ashura: 10 Muharram;
# Arbaeen: 20 Safar; Nowruz: 21 March (Iraq's and the Kurdistan Region's public holiday).
NAMED_DAYS: dict[str, NamedDay] = {
    "new_years_eve": NamedDay("gregorian", 12, 31, 1, "day"),
    "new_years_day": NamedDay("gregorian", 1, 1, 1, "day"),
    "christmas_eve": NamedDay("gregorian", 12, 24, 1, "day"),
    "christmas_day": NamedDay("gregorian", 12, 25, 1, "day"),
    "christmas": NamedDay("gregorian", 12, 24, 3, "week"),  # "over Christmas": 24-26 Dec
    "new_years": NamedDay("gregorian", 12, 31, 2, "week"),  # "over New Year's": 31 Dec-1 Jan
    "nowruz": NamedDay("gregorian", 3, 21, 1, "day"),
    "eid_al_fitr": NamedDay("hijri", 10, 1, 3, "week"),
    "eid_al_adha": NamedDay("hijri", 12, 10, 4, "week"),
    "ramadan": NamedDay("hijri", 9, 1, 0, "month"),
    "islamic_new_year": NamedDay("hijri", 1, 1, 1, "day"),
    "ashura": NamedDay("hijri", 1, 10, 1, "day"),
    "arbaeen": NamedDay("hijri", 2, 20, 1, "day"),
}

# The single day a bare name means when it is not the holiday's first day: key -> days
# after the first ("on Christmas": 25 December, "on New Year's": 1 January).
_ON_DAY = {"christmas": 1, "new_years": 1}

# spellings, as lower-case regex fragments -> key. "Eid" alone is either Eid: the nearer one
# by the resolution rule wins (key "eid").
_EID = r"eid(?:\s*[-\s]\s*|\s+)(?:(?:al|ul|el|e|ol)\s*[-\s]\s*)?"
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("new_years_eve", r"new\s+year(?:['’]?s)?\s+eve"),
    ("new_years_day", r"new\s+year(?:['’]?s)?\s+day"),
    ("christmas_eve", r"christmas\s+eve"),
    ("christmas_day", r"christmas\s+day"),
    ("christmas", r"christmas"),
    ("nowruz", r"nowruz|newroz|nawroz|norooz|nowrouz|(?:persian|kurdish|iranian)\s+new\s+year"),
    ("islamic_new_year", r"(?:islamic|hijri|muslim)\s+new\s+year"),
    ("new_years", r"new\s+year['’]?s"),
    ("eid_al_fitr", _EID + r"(?:fitr|fitar|fetr|fitir|saghir|sagheer|seghir)"),
    ("eid_al_adha", _EID + r"(?:adha{1,2}|adhha|azha|adhaa|kabir|kebir)"),
    (
        "eid_al_fitr",
        r"(?:the\s+)?(?:feast|festival)\s+of\s+(?:the\s+)?breaking\s+(?:of\s+)?the\s+fast",
    ),
    ("eid_al_adha", r"(?:the\s+)?(?:feast|festival)\s+of\s+(?:the\s+)?sacrifice"),
    ("eid", r"eid"),
    ("ramadan", r"ramadan|ramadhan|ramazan|ramzan"),
    ("ashura", r"ashura|ashoura|ashoora|aashura|ashourah"),
    ("arbaeen", r"arba['’ʽ]?e?e?in|arba['’ʽ]?een|arbayeen"),
)
NAME_PATTERN = "|".join(f"(?:{rx})" for _, rx in SPELLINGS)
_SPELLING_RX = tuple((key, re.compile(rx)) for key, rx in SPELLINGS)
# first words of every spelling: the engine's trigger words for this rule
_FIRST_WORDS = (
    "new christmas nowruz newroz nawroz norooz nowrouz eid feast festival ramadan"
    " ramadhan ramazan ramzan ashura ashoura ashoora aashura ashourah arbaeen arbaein"
    " arbain arbayeen arba eve persian kurdish iranian islamic hijri muslim"
)
TRIGGER_WORDS = tuple(_FIRST_WORDS.split())
# bare names that are also personal names ("Taha Yassin Ramadan", "Mohammed Eid"): they
# count only with a preposition, a "day of"/"month of" phrase, a holiday word or a year
NEEDS_CONTEXT = frozenset({"eid", "ramadan", "christmas", "new_years"})


def key_of(name: str) -> str:
    """The NAMED_DAYS key (or "eid") of a matched name."""
    name = " ".join(name.split())
    for key, rx in _SPELLING_RX:
        if rx.fullmatch(name):
            return key
    raise ValueError(f"not a named day: {name!r}; valid spellings: {NAME_PATTERN}")


# --------------------------------------------------------------------------- occurrences


def _hijri_to_date(hy: int, hm: int, hd: int) -> date:
    g = Hijri(hy, hm, hd).to_gregorian()
    return date(g.year, g.month, g.day)  # a plain date, not hijridate's subclass


@lru_cache(maxsize=4096)
def _hijri_year(d: date) -> int:
    return Gregorian(d.year, d.month, d.day).to_hijri().year


def _window(key: str, year: int) -> tuple[date, date]:
    """(first, last) day of the whole holiday in Gregorian year ``year`` (Gregorian days) or
    Hijri year ``year`` (Hijri days), before any moon-sighting slack."""
    nd = NAMED_DAYS[key]
    if nd.calendar == "gregorian":
        first = date(year, nd.month, nd.day)
        return first, first + timedelta(days=nd.length - 1)
    first = _hijri_to_date(year, nd.month, nd.day)
    if nd.length:
        return first, first + timedelta(days=nd.length - 1)
    return first, first + timedelta(days=Hijri(year, nd.month, 1).month_length() - 1)


def occurrences(key: str, around: date) -> tuple[tuple[date, date], ...]:
    """The holiday's windows in the years around ``around`` (Hijri ones with their slack)."""
    keys = ("eid_al_fitr", "eid_al_adha") if key == "eid" else (key,)
    hijri = NAMED_DAYS[keys[0]].calendar == "hijri"
    return _occurrences(keys, _hijri_year(around) if hijri else around.year)


@lru_cache(maxsize=4096)
def _occurrences(keys: tuple[str, ...], base: int) -> tuple[tuple[date, date], ...]:
    out = []
    for k in keys:
        hijri = NAMED_DAYS[k].calendar == "hijri"
        for y in range(base - 1, base + 2):
            if hijri and not HIJRI_FIRST_YEAR <= y <= HIJRI_LAST_YEAR:
                continue
            if not hijri and not 1 <= y <= 9999:
                continue
            start, end = _window(k, y)
            out.append((start, end + timedelta(days=HIJRI_LATE_DAYS if hijri else 0)))
    return tuple(sorted(out))


def in_hijri_range(d: date) -> bool:
    return date(1924, 8, 1) <= d <= date(2077, 11, 16)


Part = Callable[[tuple[date, date]], "tuple[date, date, str] | None"]


def pick(
    key: str,
    pub: date | None,
    future: bool,
    rel: str | None,
    year: int | None,
    part: Part,
    imminent: bool = False,
) -> tuple[date, date, str] | None:
    """The days a mention means: ``part`` (e.g. "the first day of") of the occurrence the
    module docstring describes, chosen by the part's own days; None outside the table.
    ``imminent``: the mention is "for <holiday>" (see STALE_DAYS)."""
    nd = NAMED_DAYS["eid_al_fitr" if key == "eid" else key]
    if year is not None:
        around = date(year, 7, 1)
        if nd.calendar == "hijri" and not in_hijri_range(around):
            return None
        inside = [p for w in occurrences(key, around) if w[0].year == year and (p := part(w))]
        if not inside:
            return None
        if pub is not None and not future:  # "Eid 2024" in past reporting: the last one begun
            begun = [p for p in inside if p[0] <= pub]
            return begun[-1] if begun else inside[0]
        return inside[0]
    if pub is None or (nd.calendar == "hijri" and not in_hijri_range(pub)):
        return None
    parts = [p for w in occurrences(key, pub) if (p := part(w)) is not None]
    if rel == "last":  # the previous one, over before publication
        return next((p for p in reversed(parts) if p[1] < pub), None)
    if rel == "next":  # the next one, not begun by publication
        return next((p for p in parts if p[0] > pub), None)
    if future:  # the first one not over before publication
        return next((p for p in parts if p[1] >= pub), None)
    begun = next((p for p in reversed(parts) if p[0] <= pub), None)  # the last one begun
    coming = next((p for p in parts if p[0] > pub), None)
    if (
        imminent
        and begun is not None
        and coming is not None
        and (pub - begun[0]).days > STALE_DAYS
        and (coming[0] - pub).days <= IMMINENT_DAYS
    ):
        return coming  # "shoppers crowded the market for the Eid holiday" a day before Eid
    return begun


def part_of(
    key: str,
    window: tuple[date, date],
    which: int | None = None,
    unit: str | None = None,
    count: int = 1,
    whole: bool = False,
    eve: bool = False,
    mod: str | None = None,
) -> tuple[date, date, str] | None:
    """The days of ``window`` (from :func:`pick`) a phrase names, with its precision.

    ``which``/``unit``/``count``: "the second day of" (2, "day"), "the first night of"
    (1, "night": the evening before day 1 through day 1, precision "day"), "the first week
    of" (1, "week"), "the last ten days of" (-1, "days", 10).
    ``whole``: the phrase names the holiday period ("during Eid", "the Eid holiday");
    otherwise a bare name is the holiday's first day (Christmas: 25 December) and a
    month-long period (Ramadan) its month. ``eve``: the day before. ``mod``: early, mid or
    late: days 1-10, 11-20 or the last ten of a month-long period; the first or last day of
    a holiday ("at the end of the Eid holiday"). None when the phrase does not fit the
    holiday ("the fifth day of Eid al-Fitr", "mid-Christmas").
    """
    nd = NAMED_DAYS["eid_al_fitr" if key == "eid" else key]
    slack = timedelta(days=HIJRI_LATE_DAYS if nd.calendar == "hijri" else 0)
    first, last = window[0], window[1] - slack  # the Umm al-Qura days
    n_days = (last - first).days + 1
    if sum((eve, mod is not None, which is not None)) > 1:
        return None
    if eve:
        a = b = first - timedelta(days=1)
    elif mod is not None:
        if nd.length == 0:  # a month: thirds, as for calendar months
            lo, hi = {"early": (0, 9), "mid": (10, 19), "late": (n_days - 10, n_days - 1)}[mod]
        elif n_days > 1 and mod != "mid":  # a holiday: its first or last day
            lo = hi = 0 if mod == "early" else n_days - 1
        else:
            return None
        a, b = first + timedelta(days=lo), first + timedelta(days=hi)
    elif which is not None:
        night = unit == "night"  # an Islamic day begins at sunset: night n is the eve of day n
        unit = "day" if night else unit
        span = {"day": 1, "week": 7, "days": count}[unit or "day"]
        if unit in ("week", "days") and abs(which) != 1:
            return None
        if span >= n_days or (unit == "day" and abs(which) > n_days):
            return None
        if which > 0:
            a = first + timedelta(days=which - 1 if unit == "day" else 0)
            b = a + timedelta(days=span - 1)
        else:
            b = last + timedelta(days=which + 1 if unit == "day" else 0)
            a = b - timedelta(days=span - 1)
        if night:
            return a - timedelta(days=1), b + slack, "day"
    elif whole or nd.length == 0:
        a, b = first, last
        return a, b + slack, nd.precision
    elif key in _ON_DAY:
        d = first + timedelta(days=_ON_DAY[key])
        return d, d, "day"
    else:
        a = b = first
    return a, b + slack, "day" if a == b else cal.precision_for_days((b - a).days + 1)
