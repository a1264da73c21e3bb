"""Publication-date stage: metadata, else a dateline, else bounds inferred from the text.

Returns a `PubDate` with the date, where it came from (`metadata`, `dateline`,
`inferred`, `unknown`) and, when inferred, the interval it is known to lie in.
It never invents a date silently: an inferred date says so and carries bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import dates
from .dates.calendar import MONTHS
from .limits import EARLIEST_PUB_DATE, latest_pub_date, pub_date_problem

# How far after the latest dated reference an undated article may have appeared.
INFERRED_SPAN_DAYS = 12
DATELINE_SCAN_LINES = 15
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = r"(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# "Wednesday 19 June", "Wednesday, June 19" with no year: the weekday fixes the year.
WEEKDAY_DATE = re.compile(
    rf"\b{_WD},?\s+(?:the\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})\.?"
    rf"|(?P<mon2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b(?!,?\s*\d{{4}})",
    re.I,
)
LABELLED = re.compile(r"\b(publish(ed)?( date| on)?|date)\s*:", re.I)
NOT_PUBLICATION = re.compile(r"^\W*(updated|last updated|modified)\b", re.I)
HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


@dataclass(frozen=True)
class PubDate:
    value: date | None
    source: str  # metadata | dateline | inferred | unknown
    start: date | None = None
    end: date | None = None
    note: str | None = None

    @property
    def interval(self) -> date | tuple[date, date] | None:
        """What the date engine resolves against: a day, an interval, or None."""
        if self.source == "inferred":
            return (self.start, self.end)
        return self.value


def parse_iso(value: str) -> date:
    """ISO date or datetime string -> date; ValueError naming the value otherwise."""
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(
            f"published={value!r} is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None


def absolute_days(text: str) -> list[date]:
    """Calendar days written out in full (with a year) in `text`."""
    return [
        e.start
        for e in dates.resolve(text, None)
        if e.precision == "day" and e.start is not None and e.start == e.end
    ]


def find_dateline(text: str, today: date | None = None) -> date | None:
    """The publication date printed near the top of the page, if any (a date outside
    [1900-01-01, today + 1 day] is not one)."""
    latest = latest_pub_date(today)
    candidates: list[tuple[int, date]] = []
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for index, line in enumerate(lines):
        labelled = bool(LABELLED.search(line))
        if index >= DATELINE_SCAN_LINES and not labelled:
            continue
        if NOT_PUBLICATION.match(line) or len(line.split()) > 14:
            continue
        days = [d for d in absolute_days(line) if EARLIEST_PUB_DATE <= d <= latest]
        if not days:
            continue
        # Rank: labelled > dated with a time or an outlet > a bare page clock on line one.
        rank = 0 if labelled else 1 if (HAS_TIME.search(line) or index > 0) else 2
        candidates.append((rank, days[0]))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def weekday_year(weekday: str, month: int, day: int, not_before: int, today: date) -> date | None:
    """The latest date with this weekday, month and day between `not_before` and today."""
    target = WEEKDAYS.index(weekday.lower())
    for year in range(today.year, not_before - 1, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today and candidate.weekday() == target:
            return candidate
    return None


def weekday_dated_refs(text: str, today: date) -> list[date]:
    years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20\d\d)\b", text)]
    not_before = max(years) if years else today.year - 30
    found = []
    for m in WEEKDAY_DATE.finditer(text):
        day = int(m.group("day") or m.group("day2"))
        month = MONTHS[(m.group("mon") or m.group("mon2")).lower()]
        ref = weekday_year(m.group("wd"), month, day, not_before, today)
        if ref:
            found.append(ref)
    return found


def find_pub_date(
    text: str, meta_published: str | None = None, today: date | None = None
) -> PubDate:
    """Metadata first, then a dateline, then bounds from the latest dated reference.

    A date outside [1900-01-01, today + 1 day] is not a publication date: a metadata
    value there is ignored with a note (as an unreadable one is), a dateline there is
    not taken."""
    note = None
    today = today or date.today()
    if meta_published:
        try:
            value = parse_iso(meta_published)
            problem = pub_date_problem(value, today)
            if problem is None:
                return PubDate(value, "metadata")
            note = f"published={meta_published!r}: {problem}; ignored"
        except (ValueError, OverflowError) as exc:
            note = f"{exc}; ignored"
    dateline = find_dateline(text, today)
    if dateline:
        return PubDate(dateline, "dateline", note=note)
    refs = [
        d
        for d in absolute_days(text) + weekday_dated_refs(text, today)
        if EARLIEST_PUB_DATE <= d <= today
    ]
    if refs:
        start = max(refs) + timedelta(days=1)
        end = start + timedelta(days=INFERRED_SPAN_DAYS - 1)
        why = f"after the latest dated reference ({max(refs).isoformat()})"
        note = f"{note}; {why}" if note else why
        return PubDate(start, "inferred", start, end, note)
    return PubDate(None, "unknown", note=note)
