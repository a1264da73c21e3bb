"""The ETL pipeline: an explicit, ordered tuple of named stages per article.

    read (etl.sources) -> clean -> pub_date -> extract -> bounds -> write (etl.store)

`process(article)` runs the pure per-article stages; I/O happens only in
`etl.sources` (reading) and `etl.store` (writing). A stage that raises marks
the article `failed` with the error; the run goes on.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .clean import Block, clean
from .extract import MAX_CHARS, extract
from .limits import sanitize_events
from .pubdate import PubDate, find_pub_date
from .schema import Article, Event

CHUNK_SIZE = 64  # articles per task sent to a worker
LOOKAHEAD = 4  # tasks in flight per worker
ARTICLE_BUDGET = 300.0  # seconds one article may take (then it is failed, the run goes on)
BUDGET_ENV = "SORTIE_ARTICLE_BUDGET_SECONDS"


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
    if sum(len(b.text) + 1 for b in w.blocks) > MAX_CHARS:
        note = (
            f"text longer than {MAX_CHARS:,} characters: events read from the first {MAX_CHARS:,}"
        )
        w.article = dataclasses.replace(
            w.article, error="; ".join(x for x in (w.article.error, note) if x)
        )
    source = (w.article.source,) if w.article.source else ()
    url = (w.article.url,) if w.article.url else ()
    w.events = [e.replace(sources=source, urls=url) for e in events]


def stage_bounds(w: Work) -> None:
    """Counts past their bounds dropped, dates after publication rejected (etl.limits),
    so that nothing an article says can break the tables (int32 counts) or the figures."""
    w.events = sanitize_events(w.article, w.events)


STAGES: tuple[tuple[str, Callable[[Work], None]], ...] = (
    ("clean", stage_clean),
    ("pub_date", stage_pub_date),
    ("extract", stage_extract),
    ("bounds", stage_bounds),
)


class OverBudget(Exception):
    """An article took longer than its budget (`article_budget`)."""


def article_budget() -> float:
    """Seconds one article may take through every stage (BUDGET_ENV overrides; 0 = none)."""
    raw = os.environ.get(BUDGET_ENV)
    try:
        return float(raw) if raw else ARTICLE_BUDGET
    except ValueError:
        raise ValueError(f"{BUDGET_ENV}={raw!r} is not a number of seconds") from None


@contextmanager
def _budget(seconds: float):
    """Raise OverBudget in this block after `seconds` (a timer signal: only in a
    process's main thread, where the pool workers and serial runs process articles)."""
    main = threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not main or not hasattr(signal, "setitimer"):
        yield
        return

    def over(_signum, _frame):
        raise OverBudget(f"took longer than {seconds:g} s (the per-article budget, {BUDGET_ENV})")

    previous = signal.signal(signal.SIGALRM, over)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(article: Article) -> tuple[Article, list[Event]]:
    """Run every stage on one article; never raises for a bad article. An article over
    its time budget is `failed` naming the stage it was in."""
    w = Work(article)
    if article.status != "ok":
        return article, []
    name = STAGES[0][0]
    try:
        with _budget(article_budget()):
            for name, stage in STAGES:  # noqa: B007 -- `name` is reported on failure
                stage(w)
                if w.article.status != "ok":
                    return w.article, []
    except Exception as exc:  # a bad article must not stop the run
        failed = dataclasses.replace(
            w.article, status="failed", error=f"{name}: {type(exc).__name__}: {exc}"
        )
        return failed, []
    return w.article, w.events


# --- running the stages over many articles -----------------------------------


def process_light(article: Article) -> tuple[Article, list[Event]]:
    """`process`, returning the article without its text (nothing downstream needs it)."""
    article, events = process(article)
    return dataclasses.replace(article, text=""), events


def process_chunk(chunk: list[Article]) -> list[tuple[Article, list[Event]]]:
    return [process_light(a) for a in chunk]


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for a in articles:
        chunk.append(a)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process_stream(
    articles: Iterable[Article],
    workers: int = 1,
    scheduler: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[Article, list[Event]]]:
    """`process_light` over a stream of articles, in input order, whatever runs it.

    workers <= 1 and no scheduler: in this process. workers > 1: a local process
    pool. scheduler: a Dask distributed cluster at that address. Chunks are
    submitted a few at a time (bounded look-ahead), so memory does not grow with
    the number of articles; results come back in input order, identical to serial.
    """
    chunks = _chunks(articles, chunk_size)
    if scheduler:
        yield from _dask_stream(chunks, scheduler)
        return
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if workers <= 1 or second is None:  # one chunk: a pool would only cost startup time
        for chunk in (first, second) if second else (first,):
            yield from process_chunk(chunk)
        for chunk in chunks:
            yield from process_chunk(chunk)
        return
    from .workers import pool_stream

    yield from pool_stream(
        itertools.chain((first, second), chunks),
        workers,
        process_chunk,
        process_light,
        lookahead=LOOKAHEAD,
        preload=__name__,
    )


def _dask_stream(chunks: Iterator[list[Article]], address: str):
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        width = max(1, sum(client.nthreads().values())) * LOOKAHEAD
        pending: deque = deque()
        for chunk in chunks:
            pending.append(client.submit(process_chunk, chunk, pure=False))
            if len(pending) >= width:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
