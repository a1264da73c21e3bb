"""The page state (filters + view choices) and its query-string form.

`?tab=provinces&from=2016-01-01&to=2016-12-31&type=airstrike&actor=Turkey&freq=week`
restores the same view. Unknown or malformed values fall back to the defaults; dates
are clamped to [limits.DATE_MIN, limits.date_max()], list values cut to
limits.MAX_SELECTED values of limits.MAX_NAME characters. The state the page's store
sends back (`ViewState.from_dict`) is checked strictly: a wrong type or value raises
StateError (the callbacks answer HTTP 400).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.columns import Filters
from dashboard.limits import MAX_NAME, MAX_QUERY, MAX_SELECTED, clamp_date, clip
from etl.schema import PRECISIONS

TABS = ("tempo", "casualties", "provinces")
FREQS = ("day", "week", "month")
TEMPO_METRICS = ("strikes", "strike_events", "events")
TEMPO_LAYOUTS = ("stack", "facet")
TEMPO_GROUPS = ("actor", "all")
CAS_MODES = ("suffered", "caused")
PROV_METRICS = ("events", "strikes", "killed")

# query key -> attribute; list-valued keys repeat (?type=a&type=b)
SCALARS = {
    "tab": "tab",
    "from": "date_from",
    "to": "date_to",
    "prec": "min_precision",
    "agg": "include_aggregates",
    "freq": "freq",
    "metric": "tempo_metric",
    "layout": "tempo_layout",
    "by": "tempo_group",
    "cas": "cas_mode",
    "pm": "prov_metric",
    "raw": "raw",  # raw extraction instead of the reviewed events
}
LISTS = {"type": "event_types", "actor": "actors", "gov": "admin1", "src": "sources"}
CHOICES = {
    "tab": TABS,
    "min_precision": PRECISIONS,
    "freq": FREQS,
    "tempo_metric": TEMPO_METRICS,
    "tempo_layout": TEMPO_LAYOUTS,
    "tempo_group": TEMPO_GROUPS,
    "cas_mode": CAS_MODES,
    "prov_metric": PROV_METRICS,
}


class StateError(ValueError):
    """A page state that is not a ViewState: a wrong type or an unknown value."""


@dataclass(frozen=True)
class ViewState:
    tab: str = "tempo"
    date_from: str | None = None  # ISO dates, as the date picker holds them
    date_to: str | None = None
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    min_precision: str = "unknown"
    sources: tuple[str, ...] = ()
    include_aggregates: bool = False
    freq: str = "month"
    tempo_metric: str = "strikes"
    tempo_layout: str = "stack"
    tempo_group: str = "actor"
    cas_mode: str = "suffered"
    prov_metric: str = "events"
    raw: bool = False

    def filters(self) -> Filters:
        return Filters(
            date_from=_date(self.date_from),
            date_to=_date(self.date_to),
            event_types=tuple(self.event_types),
            actors=tuple(self.actors),
            admin1=tuple(self.admin1),
            min_precision=self.min_precision,
            sources=tuple(self.sources),
            include_aggregates=bool(self.include_aggregates),
        )

    def to_query(self) -> str:
        """Query string ('?...') with only the values that differ from the defaults."""
        default = ViewState()
        pairs: list[tuple[str, str]] = []
        for key, attr in SCALARS.items():
            v = getattr(self, attr)
            if v != getattr(default, attr) and v not in (None, ""):
                pairs.append((key, "1" if v is True else str(v)))
        for key, attr in LISTS.items():
            pairs.extend((key, v) for v in getattr(self, attr))
        return "?" + urlencode(pairs) if pairs else ""

    @classmethod
    def from_query(cls, search: str | None) -> ViewState:
        if search is not None and not isinstance(search, str):
            raise StateError(f"the query string must be text, not {type(search).__name__}")
        qs = parse_qs((search or "")[:MAX_QUERY].lstrip("?"), keep_blank_values=False)
        values: dict = {}
        for key, attr in SCALARS.items():
            if key not in qs:
                continue
            v = qs[key][-1]
            if attr in ("include_aggregates", "raw"):
                values[attr] = v.lower() in ("1", "true", "yes")
            elif attr in ("date_from", "date_to"):
                d = _date(v)
                if d:
                    values[attr] = d.isoformat()
            elif v in CHOICES[attr]:
                values[attr] = v
        for key, attr in LISTS.items():
            if key in qs:
                values[attr] = tuple(dict.fromkeys(clip(v, MAX_NAME) for v in qs[key]))[
                    :MAX_SELECTED
                ]
        return cls(**values)

    @classmethod
    def from_dict(cls, data) -> ViewState:
        """The ViewState of `as_dict()` output as the browser sends it back (lists for
        tuples; None is the default state). Raises StateError naming the bad value."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise StateError(f"the state must be an object with keys {FIELDS}, not {data!r:.80}")
        values: dict = {}
        for attr, v in data.items():
            if attr in LIST_ATTRS:
                values[attr] = _names(attr, v)
            elif attr in ("date_from", "date_to"):
                if v is not None and (not isinstance(v, str) or _date(v) is None):
                    raise StateError(f"{attr}={v!r:.80} is not an ISO date (YYYY-MM-DD) or null")
                values[attr] = _date(v).isoformat() if v else None
            elif attr in ("include_aggregates", "raw"):
                if not isinstance(v, bool):
                    raise StateError(f"{attr}={v!r:.80} is not true or false")
                values[attr] = v
            elif attr in CHOICES:
                if not isinstance(v, str) or v not in CHOICES[attr]:
                    raise StateError(f"{attr}={v!r:.80} is not one of {CHOICES[attr]}")
                values[attr] = v
        return cls(**values)

    def replace(self, **changes) -> ViewState:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


FIELDS = [f.name for f in fields(ViewState)]
LIST_ATTRS = tuple(LISTS.values())


def _names(attr: str, v) -> tuple[str, ...]:
    """A list filter's values from the browser: a list of strings (None: all)."""
    if v is None:
        return ()
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        raise StateError(f"{attr}={v!r:.80} is not a list of names")
    if len(v) > MAX_SELECTED:
        raise StateError(f"{attr} has {len(v):,} values; at most {MAX_SELECTED} are allowed")
    return tuple(dict.fromkeys(clip(x, MAX_NAME) for x in v))


def _date(v) -> date | None:
    """An ISO date (or date) clamped to the dashboard's date window; None if not a date."""
    if not v:
        return None
    if not isinstance(v, date):
        try:
            v = date.fromisoformat(str(v)[:10])
        except ValueError:
            return None
    return clamp_date(v)
