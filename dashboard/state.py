"""The page state (filters + view choices) and its query-string form.

`?tab=provinces&from=2016-01-01&to=2016-12-31&type=airstrike&actor=Turkey&freq=week`
restores the same view. Unknown or malformed values fall back to the defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.columns import Filters
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
        qs = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
        values: dict = {}
        for key, attr in SCALARS.items():
            if key not in qs:
                continue
            v = qs[key][-1]
            if attr == "include_aggregates":
                values[attr] = v.lower() in ("1", "true", "yes")
            elif attr in ("date_from", "date_to"):
                d = _date(v)
                if d:
                    values[attr] = d.isoformat()
            elif v in CHOICES[attr]:
                values[attr] = v
        for key, attr in LISTS.items():
            if key in qs:
                values[attr] = tuple(dict.fromkeys(qs[key]))
        return cls(**values)

    def replace(self, **changes) -> ViewState:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


FIELDS = [f.name for f in fields(ViewState)]


def _date(v) -> date | None:
    if not v:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None
