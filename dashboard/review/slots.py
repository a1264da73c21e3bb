"""What an analyst may change, as a table: each event slot, its kind and its vocabulary.

`validate(field, value)` returns the value in its stored (JSON) form or raises
`ReviewError` naming the bad value and listing the valid ones. Pure: no I/O besides
the gazetteer's shipped CSV files (read once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from etl.schema import ACTORS, EVENT_TYPES, PRECISIONS, WEAPONS, Col

ROLES = ("viewer", "editor")
VERDICTS = ("confirmed", "not_event", "duplicate_of", "split")
MAX_TEXT = 200  # place names, admin2
MAX_NOTE = 2000
MAX_COUNT = 1_000_000  # casualties and strikes
MAX_SIDES = 20
EVENT_ID = re.compile(r"^[A-Za-z0-9_.:~-]{1,80}$")
USER_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class ReviewError(ValueError):
    """A rejected edit (bad value, unknown event, no permission)."""


class ConflictError(ReviewError):
    """Another editor changed the event since this editor loaded it."""


@cache
def governorates() -> tuple[tuple[str, str], ...]:
    """(country, admin1) of every canonical governorate in the gazetteer."""
    from etl.geo import Gazetteer

    found = {(p.country, p.admin1) for p in Gazetteer.default().entries.values() if p.is_admin1}
    return tuple(sorted(found))


def admin1_names() -> tuple[str, ...]:
    return tuple(a for _, a in governorates())


def countries() -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c, _ in governorates()))


def place(name: str):
    """The gazetteer's Place for a name (None if unknown)."""
    from etl.geo import Gazetteer, normalise

    return Gazetteer.default().entries.get(normalise(name))


@dataclass(frozen=True)
class Slot:
    kind: str  # choice, date, count, text, bool
    choices: tuple = ()


def _choice(values) -> Slot:
    return Slot("choice", tuple(values))


# every slot an override may set; casualties per side are the "casualties" slot
SLOTS: dict[str, Slot] = {
    Col.EVENT_TYPE: _choice(EVENT_TYPES),
    Col.EVENT_DATE: Slot("date"),
    Col.DATE_START: Slot("date"),
    Col.DATE_END: Slot("date"),
    Col.DATE_PRECISION: _choice(PRECISIONS),
    Col.ACTOR1: _choice(ACTORS),
    Col.ACTOR2: _choice(ACTORS),
    Col.COUNTRY: Slot("country"),
    Col.ADMIN1: Slot("admin1"),
    Col.ADMIN2: Slot("text"),
    Col.LOCATION: Slot("text"),
    Col.WEAPON: _choice(WEAPONS),
    Col.STRIKES: Slot("count"),
    Col.KILLED: Slot("count"),
    Col.KILLED_LOW: Slot("count"),
    Col.KILLED_HIGH: Slot("count"),
    Col.WOUNDED: Slot("count"),
    Col.WOUNDED_LOW: Slot("count"),
    Col.WOUNDED_HIGH: Slot("count"),
    Col.IS_AGGREGATE: Slot("bool"),
    "casualties": Slot("sides"),
}
SIDE_COUNTS = (
    Col.KILLED,
    Col.KILLED_LOW,
    Col.KILLED_HIGH,
    Col.WOUNDED,
    Col.WOUNDED_LOW,
    Col.WOUNDED_HIGH,
)
# (low, best, high) triples checked together
RANGES = (
    (Col.KILLED_LOW, Col.KILLED, Col.KILLED_HIGH),
    (Col.WOUNDED_LOW, Col.WOUNDED, Col.WOUNDED_HIGH),
)


def _bad(field: str, value, valid) -> ReviewError:
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    return ReviewError(f"{field}={shown} is not one of: {', '.join(map(str, valid))}")


def _count(field: str, value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ReviewError(f"{field}={value!r} is not a count: a whole number 0..{MAX_COUNT}")
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ReviewError(
            f"{field}={value!r} is not a count: a whole number 0..{MAX_COUNT}"
        ) from None
    if not 0 <= n <= MAX_COUNT:
        raise ReviewError(f"{field}={value!r} is not a count: a whole number 0..{MAX_COUNT}")
    return n


def validate(field: str, value):
    """`value` checked against `field`'s vocabulary, in its stored form (None clears)."""
    slot = SLOTS.get(field)
    if slot is None:
        raise _bad("field", field, SLOTS)
    if value is None or value == "":
        return None
    if slot.kind == "choice":
        if value not in slot.choices:
            raise _bad(field, value, slot.choices)
        return value
    if slot.kind == "admin1":
        if value not in admin1_names():
            raise _bad(field, value, admin1_names())
        return value
    if slot.kind == "country":
        if value not in countries():
            raise _bad(field, value, countries())
        return value
    if slot.kind == "date":
        text = str(value)
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ReviewError(f"{field}={value!r:.40} is not a date: YYYY-MM-DD") from None
    if slot.kind == "count":
        return _count(field, value)
    if slot.kind == "bool":
        if not isinstance(value, bool):
            raise _bad(field, value, (True, False))
        return value
    if slot.kind == "text":
        text = str(value).strip()
        if len(text) > MAX_TEXT or any(ord(ch) < 32 for ch in text):
            raise ReviewError(
                f"{field}={value!r:.60} is not a place name: at most {MAX_TEXT} characters, "
                "no control characters"
            )
        return text or None
    return _sides(field, value)


def _sides(field: str, value) -> list[dict]:
    if not isinstance(value, list) or len(value) > MAX_SIDES:
        raise ReviewError(f"{field} must be a list of at most {MAX_SIDES} sides")
    out, seen = [], set()
    for side in value:
        if not isinstance(side, dict):
            raise ReviewError(f"{field}: {side!r:.60} is not a side ({{actor, killed, ...}})")
        actor = side.get(Col.ACTOR)
        if actor not in ACTORS:
            raise _bad(f"{field}.actor", actor, ACTORS)
        if actor in seen:
            raise ReviewError(f"{field}: actor {actor!r} is listed twice")
        seen.add(actor)
        extra = set(side) - {Col.ACTOR, *SIDE_COUNTS}
        if extra:
            raise _bad(f"{field} key", sorted(extra)[0], (Col.ACTOR, *SIDE_COUNTS))
        row = {Col.ACTOR: actor, **{c: _count(f"{actor}.{c}", side.get(c)) for c in SIDE_COUNTS}}
        check_ranges(row, f"{field}.{actor}")
        out.append(row)
    return out


def side_totals(sides: list[dict]) -> dict:
    """The event's killed/wounded (best, low, high) from its sides' figures."""

    def total(vals):
        given = [v for v in vals if v is not None]
        return sum(given) if given else None

    out = {}
    for lo, best, hi in RANGES:
        out[best] = total(x.get(best) for x in sides)
        out[lo] = total(x.get(lo) for x in sides)
        if any(x.get(hi) is None and x.get(best) is not None for x in sides):
            out[hi] = None  # one side open on top: the total is too
        else:
            out[hi] = total(x.get(hi) if x.get(hi) is not None else x.get(best) for x in sides)
    return out


def check_ranges(values: dict, where: str = "event") -> None:
    """low <= best <= high wherever given; date_start <= date_end."""
    for lo_c, best_c, hi_c in RANGES:
        lo, best, hi = values.get(lo_c), values.get(best_c), values.get(hi_c)
        if lo is not None and best is not None and lo > best:
            raise ReviewError(f"{where}: {lo_c}={lo} is above {best_c}={best}")
        if hi is not None and best is not None and best > hi:
            raise ReviewError(f"{where}: {best_c}={best} is above {hi_c}={hi}")
        if lo is not None and hi is not None and lo > hi:
            raise ReviewError(f"{where}: {lo_c}={lo} is above {hi_c}={hi}")
    s, e = values.get(Col.DATE_START), values.get(Col.DATE_END)
    if s is not None and e is not None and str(s) > str(e):
        raise ReviewError(f"{where}: date_start={s} is after date_end={e}")


def check_event_id(value, what: str = "event_id") -> str:
    if not isinstance(value, str) or not EVENT_ID.match(value):
        raise ReviewError(f"{what}={value!r:.60} is not an event id (letters, digits, ._:~-)")
    return value


def check_note(note) -> str:
    note = "" if note is None else str(note)
    if len(note) > MAX_NOTE:
        raise ReviewError(f"note is {len(note)} characters long; at most {MAX_NOTE}")
    return note
