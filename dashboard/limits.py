"""Every size limit of the dashboard, in one place. docs/dashboard.md ("Limits") says
what a user sees when each one is hit. Pure: no I/O, no Dash."""

from __future__ import annotations

from datetime import date, timedelta

# Dates: the dashboard places and filters on days in [DATE_MIN, today + DATE_HORIZON].
# An event date outside it (0001-01-01, 9999-12-31) counts as "no usable date" (the
# note above the tempo chart counts those); a URL or state date outside it is clamped.
DATE_MIN = date(1900, 1, 1)
DATE_HORIZON = timedelta(days=366)

# Figures: at most this many periods (bars per trace, heatmap columns) on a time axis.
# Past it the chart is drawn per the next coarser period (day -> week -> month -> year)
# with a note saying so. 1,500 days is about four years of daily bars.
MAX_PERIODS = 1500
COARSER = {"day": "week", "week": "month", "month": "year", "year": None}

# Text: names (outlets, actors, governorates) in controls, legends and axes are cut to
# MAX_NAME characters with an ellipsis; a filter value names a category by that form.
# Free text in the drill-down table (evidence, date text, place, weapon) is cut to
# MAX_TEXT; a link longer than MAX_URL is shown as text, not linked.
MAX_NAME = 120
# Categories per column (actors, governorates, ...): past it the rarest share OTHER.
MAX_CATEGORIES = 200
OTHER = "(other)"
MAX_OPTIONS = 1000  # source outlets offered in the filter (the first, alphabetically)
MAX_TEXT = 2000
MAX_URL = 2048
MAX_SOURCES = 20  # outlets listed per event in the drill-down table ("and N more")
ELLIPSIS = "\u2026"

# Callback input: values per list filter, characters of a query string, the drill-down
# page number, and the size of a request body (Flask answers 413 past it).
MAX_SELECTED = 200
MAX_QUERY = 20_000
MAX_PAGE = 1_000_000
MAX_REQUEST_BYTES = 1_000_000


def date_max(today: date | None = None) -> date:
    """The last day the dashboard places or filters on."""
    return (today or date.today()) + DATE_HORIZON


def clamp_date(d: date) -> date:
    """`d` moved into [DATE_MIN, date_max()]."""
    return min(max(d, DATE_MIN), date_max())


def clip(text, limit: int = MAX_NAME):
    """`text` cut to `limit` characters, the last one an ellipsis; None and non-strings
    unchanged."""
    if isinstance(text, str) and len(text) > limit:
        return text[: limit - 1] + ELLIPSIS
    return text
