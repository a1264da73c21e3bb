"""The data contract: records the ETL produces and the one pyarrow schema per table.

Everything that reads or writes Sortie's Parquet files (the ETL, the dashboard,
the tests, the benchmarks) takes column names and types from this module.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

# --- controlled vocabularies -------------------------------------------------

EVENT_TYPES = ("airstrike", "shelling", "bombing", "armed_clash", "attack", "ground_operation")
PRECISIONS = ("day", "week", "month", "year", "unknown")  # finest first
PUB_DATE_SOURCES = ("metadata", "dateline", "inferred", "unknown")
ARTICLE_STATUSES = ("ok", "empty", "failed", "duplicate")
ACTORS = (
    "Iraqi Security Forces",
    "Popular Mobilization Forces",
    "Peshmerga",
    "International Coalition",
    "United States",
    "Turkey",
    "Iran",
    "ISIS",
    "Iran-backed militias",
    "PKK",
    "SDF",
    "Civilians",
    "Unknown",
)
WEAPONS = (
    "F-16",
    "drone",
    "helicopter",
    "Su-25",
    "artillery",
    "rocket",
    "missile",
    "IED",
    "suicide bomb",
    "car bomb",
    "small arms",
)


def check_choice(name: str, value, valid) -> None:
    """Raise ValueError naming the bad value and listing the valid ones."""
    if value is not None and value not in valid:
        raise ValueError(f"{name}={value!r} is not one of: {', '.join(map(str, valid))}")


# --- records -----------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One input article, whatever happened to it (status says)."""

    article_id: str
    origin: str
    text: str = ""
    url: str | None = None
    title: str | None = None
    source: str | None = None
    pub_date: date | None = None
    pub_date_source: str = "unknown"
    pub_date_start: date | None = None  # bounds when the date is inferred
    pub_date_end: date | None = None
    status: str = "ok"
    error: str | None = None
    content_hash: str | None = None
    meta_published: str | None = None  # raw value from metadata, if any

    def __post_init__(self):
        check_choice("status", self.status, ARTICLE_STATUSES)
        check_choice("pub_date_source", self.pub_date_source, PUB_DATE_SOURCES)


@dataclass(frozen=True)
class Casualty:
    """Killed/wounded suffered by one side. `killed` is the best figure
    (the low end of a range); `*_high` None means open on top."""

    actor: str
    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    wounded: int | None = None
    wounded_low: int | None = None
    wounded_high: int | None = None


@dataclass(frozen=True)
class Event:
    event_id: str
    article_ids: tuple[str, ...]
    event_type: str
    event_date: date | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    date_text: str | None = None
    date_anchor: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    weapon: str | None = None
    strikes: int | None = None
    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    wounded: int | None = None
    wounded_low: int | None = None
    wounded_high: int | None = None
    is_aggregate: bool = False
    evidence: str = ""
    confidence: float = 0.5
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    merged_from: tuple[str, ...] = ()
    note: str | None = None  # what a bound dropped or rejected (etl.limits)
    casualties: tuple[Casualty, ...] = field(default=(), compare=False)

    def __post_init__(self):
        check_choice("event_type", self.event_type, EVENT_TYPES)
        check_choice("date_precision", self.date_precision, PRECISIONS)
        check_choice("actor1", self.actor1, ACTORS)
        check_choice("actor2", self.actor2, ACTORS)
        check_choice("weapon", self.weapon, WEAPONS)

    def replace(self, **changes) -> Event:
        return dataclasses.replace(self, **changes)


# --- pyarrow schemas (the single source of column names) ---------------------

ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("origin", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("source", pa.string()),
        ("pub_date", pa.date32()),
        ("pub_date_source", pa.string()),
        ("pub_date_start", pa.date32()),
        ("pub_date_end", pa.date32()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("content_hash", pa.string()),
        ("n_events", pa.int32()),
    ]
)

EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("article_ids", pa.list_(pa.string())),
        ("event_type", pa.string()),
        ("event_date", pa.date32()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_text", pa.string()),
        ("date_anchor", pa.string()),
        ("actor1", pa.string()),
        ("actor2", pa.string()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("admin2", pa.string()),
        ("location", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("geo_precision", pa.int8()),
        ("weapon", pa.string()),
        ("strikes", pa.int32()),
        ("killed", pa.int32()),
        ("killed_low", pa.int32()),
        ("killed_high", pa.int32()),
        ("wounded", pa.int32()),
        ("wounded_low", pa.int32()),
        ("wounded_high", pa.int32()),
        ("is_aggregate", pa.bool_()),
        ("evidence", pa.string()),
        ("confidence", pa.float32()),
        ("sources", pa.list_(pa.string())),
        ("urls", pa.list_(pa.string())),
        ("merged_from", pa.list_(pa.string())),
        ("note", pa.string()),  # values dropped by a bound (etl.limits), else null
    ]
)

CASUALTIES_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("actor", pa.string()),
        ("killed", pa.int32()),
        ("killed_low", pa.int32()),
        ("killed_high", pa.int32()),
        ("wounded", pa.int32()),
        ("wounded_low", pa.int32()),
        ("wounded_high", pa.int32()),
    ]
)

RUNS_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("started", pa.timestamp("s", tz="UTC")),
        ("finished", pa.timestamp("s", tz="UTC")),
        ("inputs", pa.list_(pa.string())),
        ("articles_read", pa.int32()),
        ("articles_new", pa.int32()),
        ("articles_updated", pa.int32()),
        ("articles_failed", pa.int32()),
        ("events", pa.int32()),
        ("version", pa.string()),
    ]
)

TABLES = {
    "articles": ARTICLES_SCHEMA,
    "events": EVENTS_SCHEMA,
    "casualties": CASUALTIES_SCHEMA,
    "runs": RUNS_SCHEMA,
}


class Col:
    """Column names as attributes, for the dashboard: `Col.EVENT_DATE == "event_date"`."""


for _schema in TABLES.values():
    for _name in _schema.names:
        setattr(Col, _name.upper(), _name)
