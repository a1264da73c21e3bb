"""Sane bounds on what the ETL stores, as data, and the pure checks that apply them.

Whatever an article says, a stored value stays inside these bounds: a count past
its bound is dropped (stored as null) with a `note` on the event, an event date
after the article's publication is rejected with a note, a text field longer than
its bound is cut with a note on the article. Nothing here raises for a bad value.

The input limits (bytes read per file, per feed, per JSONL line) are here too, so
that one table says every size the ETL accepts.
"""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date, timedelta

from .schema import Article, Event

# --- counts on events and casualty rows ----------------------------------------

# field -> largest plausible value (all counts are >= 0). A war's running total of
# dead fits; "3000000000 airstrikes" or "99999999999 killed" does not.
COUNT_BOUNDS = {
    "strikes": 100_000,
    "killed": 1_000_000,
    "killed_low": 1_000_000,
    "killed_high": 1_000_000,
    "wounded": 1_000_000,
    "wounded_low": 1_000_000,
    "wounded_high": 1_000_000,
}
CASUALTY_COUNTS = tuple(f for f in COUNT_BOUNDS if f != "strikes")

# --- dates ---------------------------------------------------------------------

EARLIEST_PUB_DATE = date(1900, 1, 1)
PUB_DATE_SLACK = timedelta(days=1)  # time zones: "today" somewhere is tomorrow here

# --- text fields of an article (characters) ------------------------------------

TEXT_BOUNDS = {"title": 1_000, "source": 300, "url": 2_048}
MAX_ID_CHARS = 200  # a JSONL record id longer than this is cut and suffixed with its hash

# --- input sizes (bytes); each can be changed by the environment variable named ----

INPUT_LIMITS = {
    # name: (environment variable, default)
    "file": ("SORTIE_MAX_FILE_BYTES", 50_000_000),
    "feed": ("SORTIE_MAX_FEED_BYTES", 32_000_000),
    "record": ("SORTIE_MAX_RECORD_BYTES", 20_000_000),
}


def input_limit(name: str) -> int:
    """The byte limit `name` (see INPUT_LIMITS), from its environment variable if set."""
    if name not in INPUT_LIMITS:
        raise ValueError(f"input limit {name!r} is not one of: {', '.join(INPUT_LIMITS)}")
    env, default = INPUT_LIMITS[name]
    raw = os.environ.get(env)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{env}={raw!r} is not a whole number of bytes") from None
    if value <= 0:
        raise ValueError(f"{env}={raw!r} must be a positive number of bytes")
    return value


def latest_pub_date(today: date | None = None) -> date:
    return (today or date.today()) + PUB_DATE_SLACK


def pub_date_problem(value: date, today: date | None = None) -> str | None:
    """Why a publication date is impossible, or None if it is plausible."""
    latest = latest_pub_date(today)
    if EARLIEST_PUB_DATE <= value <= latest:
        return None
    return (
        f"publication date {value.isoformat()} is outside "
        f"{EARLIEST_PUB_DATE.isoformat()}..{latest.isoformat()} (today + 1 day)"
    )


# --- the checks ----------------------------------------------------------------


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def _bounded_counts(obj, fields, what: str) -> tuple[dict, list[str]]:
    changes, notes = {}, []
    for name in fields:
        value = getattr(obj, name)
        if value is None:
            continue
        bound = COUNT_BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= bound:
            changes[name] = None
            notes.append(f"{what}{name}={value!r} dropped (implausible; bound 0..{bound:,})")
    return changes, notes


def _event_dates(e: Event, published: date | None) -> tuple[dict, str | None]:
    if published is None:
        return {}, None
    earliest = e.event_date or e.date_start
    if earliest is None or earliest <= published:
        return {}, None
    # dated as an undated report is: on or before publication (what dedup expects)
    changes = {
        "event_date": published,
        "date_start": None,
        "date_end": published,
        "date_precision": "unknown",
        "date_anchor": "publication",
    }
    note = (
        f"event date {earliest.isoformat()} is after the publication date "
        f"{published.isoformat()}; rejected (treated as undated)"
    )
    return changes, note


def sanitize_event(e: Event, published: date | None = None) -> Event:
    """`e` with every count inside COUNT_BOUNDS and no date after `published` (the
    latest the article can have appeared); what was dropped is said in `note`."""
    changes, notes = _bounded_counts(e, COUNT_BOUNDS, "")
    casualties = []
    for c in e.casualties:
        fixed, cnotes = _bounded_counts(c, CASUALTY_COUNTS, f"{c.actor} ")
        casualties.append(dataclasses.replace(c, **fixed) if fixed else c)
        notes.extend(cnotes)
    date_changes, date_note = _event_dates(e, published)
    changes.update(date_changes)
    if not changes and not notes:
        return e
    return e.replace(
        **changes,
        casualties=tuple(casualties),
        note=_join(e.note, *notes, date_note),
    )


def latest_publication(article: Article) -> date | None:
    """The latest day the article can have been published (the end of an inferred span)."""
    if article.pub_date_source == "inferred" and article.pub_date_end is not None:
        return article.pub_date_end
    return article.pub_date


def sanitize_events(article: Article, events: list[Event]) -> list[Event]:
    published = latest_publication(article)
    return [sanitize_event(e, published) for e in events]


def bound_text(value: str | None, name: str) -> tuple[str | None, str | None]:
    """(value cut to TEXT_BOUNDS[name] characters, note or None)."""
    bound = TEXT_BOUNDS[name]
    if value is None or len(value) <= bound:
        return value, None
    return value[:bound], f"{name} cut from {len(value):,} to {bound:,} characters"


def storable(text: str) -> str:
    """`text` as valid UTF-8 can hold it: lone surrogates (from JSON escapes or
    undecodable file names) become U+FFFD, so hashing and Parquet never fail."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")
