"""The prepared frames' derived column names, the day-number encoding of dates, and
the Filters every view applies. The base of the data layer: imports nothing from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from etl.schema import PRECISIONS, Col

NODATE = np.iinfo(np.int64).min // 4  # sentinel day number for "no date"
PREC_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # day=0 ... unknown=4
UNKNOWN_RANK = PREC_RANK["unknown"]
EPOCH = date(1970, 1, 1)
COUNT_COLS = (
    Col.KILLED,
    Col.KILLED_LOW,
    Col.KILLED_HIGH,
    Col.WOUNDED,
    Col.WOUNDED_LOW,
    Col.WOUNDED_HIGH,
)
NOT_STATED = "(not stated)"
# Derived columns of the prepared frames (never in the Parquet files).
P0, P1 = "_p0", "_p1"  # placement interval in day numbers: [p0, p1], p0 == p1 for exact days
ANCHOR = "_anchor"  # the event's single best day number (date filter, KPIs, sorting)
PREC = "_prec"  # precision rank, 0 = day
SRC = "_src"  # code of the event's set of source outlets
STRIKES_N = "_strikes"  # strikes counted for airstrike events: `strikes`, else 1; 0 otherwise
ROW = "_row"  # position of the event in the events table (casualties frame)
KILLED_LO, KILLED_HI = "_killed_lo", "_killed_hi"
WOUNDED_LO, WOUNDED_HI = "_wounded_lo", "_wounded_hi"


def day_number(d: date | str | None) -> int | None:
    if d is None or d == "":
        return None
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return (d - EPOCH).days


def day_to_date(n: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(n))


# --- filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What every view shows. Empty tuples mean "all"."""

    date_from: date | None = None
    date_to: date | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # actor1 OR actor2 in the selection
    admin1: tuple[str, ...] = ()
    min_precision: str = "unknown"  # keep events at least this precise ("unknown" keeps all)
    sources: tuple[str, ...] = ()  # any of these outlets among the event's sources
    include_aggregates: bool = False  # summary claims ("35 strikes since January")

    def shifted_back(self, extent: tuple[date, date] | None) -> Filters | None:
        """The same filters over the equal period just before this one (for KPI changes)."""
        lo = self.date_from or (extent[0] if extent else None)
        hi = self.date_to or (extent[1] if extent else None)
        if lo is None or hi is None or hi < lo:
            return None
        length = (hi - lo).days + 1
        return Filters(
            date_from=day_to_date(day_number(lo) - length),
            date_to=day_to_date(day_number(lo) - 1),
            event_types=self.event_types,
            actors=self.actors,
            admin1=self.admin1,
            min_precision=self.min_precision,
            sources=self.sources,
            include_aggregates=self.include_aggregates,
        )
