"""Incremental runs: the dataset in `--data` is the state.

An article is known by its `article_id` (a hash of its origin). A run
- skips an article whose `content_hash` matches the stored one (unchanged),
- re-processes one whose content changed (updated) and replaces its old events,
- processes new ones, and marks `duplicate` an article whose content another
  stored article already has;
- keeps every stored article that this run did not read.
A read that fails (e.g. a feed URL that is down) for an article stored as ok
keeps the stored copy. Raw per-article events are kept in the state so that
cross-article dedup can be redone over the whole dataset on every run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import pyarrow as pa

from . import __version__
from .schema import RUNS_SCHEMA, Article, Event
from .store import Snapshot


@dataclasses.dataclass
class RunStats:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    ok: int = 0
    events: int = 0  # raw events extracted by this run


class State:
    def __init__(self, snapshot: Snapshot):
        self.articles: dict[str, Article] = {a.article_id: a for a in snapshot.articles}
        self.events: dict[str, list[Event]] = {}
        for e in snapshot.raw_events:
            self.events.setdefault(e.article_ids[0], []).append(e)
        self.hash_owner = {
            a.content_hash: a.article_id
            for a in self.articles.values()
            if a.status == "ok" and a.content_hash
        }
        self.runs = snapshot.runs
        self.stats = RunStats()
        self._reached: set[str] = set()  # feeds/files whose entries were read this run

    def triage(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles that need processing; the others are counted and dropped."""
        for art in articles:
            self.stats.read += 1
            prev = self.articles.get(art.article_id)
            if art.status != "failed" and "#" in art.origin:
                self._reached.add(art.origin.split("#", 1)[0])
            if art.status == "failed":
                self.stats.failed += 1
                if prev is None:
                    self._store(dataclasses.replace(art, text=""), [], count_failed=False)
                elif prev.status == "failed":  # still failing: refresh the reason only
                    self.articles[art.article_id] = art
                continue
            if prev is not None and prev.content_hash == art.content_hash:
                self.stats.unchanged += 1
                self.stats.ok += prev.status == "ok"
                continue
            owner = self.hash_owner.get(art.content_hash)
            if art.status == "ok" and owner is not None and owner != art.article_id:
                art = dataclasses.replace(
                    art,
                    status="duplicate",
                    error=f"same content as {self.articles[owner].origin}",
                )
            yield art

    def record(self, article: Article, events: list[Event]) -> None:
        """The result of processing one article from `triage`."""
        self._store(article, events, count_failed=True)

    def _store(self, article: Article, events: list[Event], count_failed: bool) -> None:
        aid = article.article_id
        prev = self.articles.get(aid)
        if prev is None:
            self.stats.new += 1
        else:
            self.stats.updated += 1
            if self.hash_owner.get(prev.content_hash) == aid:
                del self.hash_owner[prev.content_hash]
        if article.status == "ok" and article.content_hash:
            self.hash_owner.setdefault(article.content_hash, aid)
        self.stats.ok += article.status == "ok"
        if count_failed and article.status == "failed":
            self.stats.failed += 1
        self.stats.events += len(events)
        self.articles[aid] = article
        self.events[aid] = list(events)
        if not events:
            del self.events[aid]

    def all_articles(self) -> list[Article]:
        """Stored articles; a failure record of a feed that was read fine this time is dropped."""
        stale = [
            aid
            for aid, a in self.articles.items()
            if a.status == "failed" and a.origin in self._reached
        ]
        for aid in stale:
            del self.articles[aid]
        return list(self.articles.values())

    def raw_events(self) -> list[Event]:
        """Per-article events, in article order (the order dedup and the tables use)."""
        return [e for aid in self.articles for e in self.events.get(aid, ())]

    def runs_with(self, run_id: str, started: datetime, inputs: list[str], events: int) -> pa.Table:
        row = {
            "run_id": run_id,
            "started": started,
            "finished": datetime.now(UTC),
            "inputs": list(inputs),
            "articles_read": self.stats.read,
            "articles_new": self.stats.new,
            "articles_updated": self.stats.updated,
            "articles_failed": self.stats.failed,
            "events": events,
            "version": __version__,
        }
        return pa.concat_tables([self.runs, pa.Table.from_pylist([row], schema=RUNS_SCHEMA)])
