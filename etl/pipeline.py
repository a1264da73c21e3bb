"""The ETL pipeline: an explicit, ordered tuple of named stages per article.

    read (etl.sources) -> clean -> pub_date -> extract -> write (etl.store)

`process(article)` runs the pure per-article stages; I/O happens only in
`etl.sources` (reading) and `etl.store` (writing). A stage that raises marks
the article `failed` with the error; the run goes on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from .clean import Block, clean
from .extract import extract
from .pubdate import PubDate, find_pub_date
from .schema import Article, Event


@dataclass
class Work:
    """What the stages know about one article so far."""

    article: Article
    blocks: list[Block] = field(default_factory=list)
    pub: PubDate | None = None
    events: list[Event] = field(default_factory=list)


def stage_clean(w: Work) -> None:
    w.blocks = clean(w.article.text)
    if not w.blocks:
        w.article = dataclasses.replace(
            w.article, status="empty", error="nothing left after removing page furniture"
        )


def stage_pub_date(w: Work) -> None:
    w.pub = find_pub_date(w.article.text, w.article.meta_published)
    note = "; ".join(x for x in (w.article.error, w.pub.note) if x) or None
    w.article = dataclasses.replace(
        w.article,
        pub_date=w.pub.value,
        pub_date_source=w.pub.source,
        pub_date_start=w.pub.start,
        pub_date_end=w.pub.end,
        error=note,
    )


def stage_extract(w: Work) -> None:
    events = extract(w.blocks, w.pub, w.article.article_id)
    source = (w.article.source,) if w.article.source else ()
    url = (w.article.url,) if w.article.url else ()
    w.events = [e.replace(sources=source, urls=url) for e in events]


STAGES: tuple[tuple[str, Callable[[Work], None]], ...] = (
    ("clean", stage_clean),
    ("pub_date", stage_pub_date),
    ("extract", stage_extract),
)


def process(article: Article) -> tuple[Article, list[Event]]:
    """Run every stage on one article; never raises for a bad article."""
    w = Work(article)
    if article.status != "ok":
        return article, []
    for name, stage in STAGES:
        try:
            stage(w)
        except Exception as exc:  # a bad article must not stop the run
            failed = dataclasses.replace(
                w.article, status="failed", error=f"{name}: {type(exc).__name__}: {exc}"
            )
            return failed, []
        if w.article.status != "ok":
            return w.article, []
    return w.article, w.events
