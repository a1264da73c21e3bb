"""Incremental runs: the dataset in `--data` is the state.

An article is known by its `article_id` (a hash of its origin). A run
- skips an article whose `content_hash` matches the stored one (unchanged),
- re-processes one whose content changed (updated) and replaces its old events,
- processes new ones, and marks `duplicate` an article whose content another
  stored article already has;
- keeps every stored article that this run did not read.
A read that fails (e.g. a feed URL that is down) for an article stored as ok
keeps the stored copy. Raw per-article events are kept in the dataset (`_raw_events`)
so that cross-article dedup can be redone over the whole dataset on every run.

Memory holds no stored article's or event's record: the state
keeps a compact index (`_Index`: 64-bit article id -> content hash, status; content
hash -> owner) and the publication dates of articles with events; the articles and
events processed by this run are streamed to spill files as they come, and the new
version's tables are written by streaming the previous version's rows (minus the
replaced ones) and then the spilled ones (`article_tables`, `write_raw`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import __version__
from .schema import (
    ARTICLE_STATUSES,
    ARTICLES_SCHEMA,
    CASUALTIES_SCHEMA,
    EVENTS_SCHEMA,
    RUNS_SCHEMA,
    Article,
    Event,
)
from .store import (
    ARTICLE_FIELDS,
    RAW_CASUALTIES,
    RAW_EVENTS,
    Snapshot,
    Tables,
    iter_casualty_rows,
    iter_event_rows,
    iter_table_batches,
    write_table,
)

STATUS = {s: i for i, s in enumerate(ARTICLE_STATUSES)}
NO_HASH = -1  # status code flag: the article has no content hash
SPILL_ROWS = 2_000  # processed articles buffered before they are written to the spill
READ_BATCH = 8_192  # rows per batch when streaming a stored articles table
DUPLICATE_OF = "same content as "


def key64(value: str) -> int:
    """A 64-bit key for an id or a hash (they are 16 hex digits; anything else is hashed)."""
    if len(value) == 16:
        try:
            return int(value, 16)
        except ValueError:
            pass
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


class _Index:
    """uint64 key -> a fixed record of ints, in ~20 bytes per key.

    Recent writes sit in a dict and are folded, every `fold` of them, into sorted
    numpy arrays (searched with `searchsorted`); a deletion is a `None` in the dict."""

    def __init__(self, dtype: list[tuple[str, str]], fold: int = 8_192):
        self.dtype = np.dtype(dtype)
        self.fold = fold
        self.keys = np.empty(0, np.uint64)
        self.vals = np.empty(0, self.dtype)
        self.recent: dict[int, tuple | None] = {}

    def get(self, key: int) -> tuple | None:
        if key in self.recent:
            return self.recent[key]
        if not len(self.keys):
            return None
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        if i < len(self.keys) and int(self.keys[i]) == key:
            return tuple(int(x) for x in self.vals[i].item())
        return None

    def set(self, key: int, value: tuple) -> None:
        self.recent[key] = value
        if len(self.recent) >= self.fold:
            self._fold()

    def delete(self, key: int) -> None:
        self.set(key, None)  # type: ignore[arg-type]

    def bulk(self, keys: np.ndarray, vals: np.ndarray) -> None:
        """Add many new keys at once (the stored articles)."""
        self._fold()
        keys = np.concatenate([self.keys, keys.astype(np.uint64)])
        vals = np.concatenate([self.vals, vals.astype(self.dtype)])
        keys, first = np.unique(keys[::-1], return_index=True)  # the last value of a key wins
        self.keys, self.vals = keys, vals[::-1][first]

    def _fold(self) -> None:
        if not self.recent:
            return
        ks = np.fromiter(self.recent.keys(), np.uint64, len(self.recent))
        live = [v is not None for v in self.recent.values()]
        vals = np.array([v for v in self.recent.values() if v is not None], self.dtype)
        keep = ~np.isin(self.keys, ks)
        keys = np.concatenate([self.keys[keep], ks[np.array(live, bool)]])
        merged = np.concatenate([self.vals[keep], vals])
        order = np.argsort(keys, kind="stable")
        self.keys, self.vals = keys[order], merged[order]
        self.recent = {}

    def __len__(self) -> int:  # upper bound (deletions in `recent` are not subtracted)
        return len(self.keys) + len(self.recent)


@dataclasses.dataclass
class RunStats:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    ok: int = 0
    events: int = 0  # raw events extracted by this run


def _code(status: str, content_hash: str | None) -> int:
    return STATUS[status] if content_hash else STATUS[status] | 0x40


class State:
    """`spill_dir`: where this run's processed articles are spilled (default: a temp dir)."""

    def __init__(self, snapshot: Snapshot, spill_dir: Path | None = None):
        # article id -> (content hash, status code, spill row or -1 for a stored article)
        self.index = _Index([("hash", "u8"), ("status", "i1"), ("row", "i8")])
        self.hash_owner = _Index([("aid", "u8")])  # content hash of an ok article -> its id
        self.prev = snapshot.articles_path
        self.failed_origin: dict[str, str] = {}  # failed articles: id -> origin
        self.failed_error: dict[str, str | None] = {}  # stored failed articles: id -> error
        self.replaced: set[str] = set()  # stored articles this run replaced
        self.superseded: set[int] = set()  # spill rows replaced later in this run
        self.duplicate_of: dict[str, int] = {}  # duplicate's id -> id key of the one it copies
        self.raw_parts = snapshot.raw_event_parts  # the stored per-article events
        self.raw_casualties = snapshot.raw_casualties_path
        self.pub: dict[str, date | None] = {}  # publication dates of articles with events
        if self.prev is not None:
            self._load_index(self.prev)
        self.runs = snapshot.runs
        self.stats = RunStats()
        self._reached: set[str] = set()  # feeds/files whose entries were read this run
        self._own_dir = None if spill_dir else Path(tempfile.mkdtemp(prefix="sortie-spill-"))
        self.spill_path = Path(spill_dir or self._own_dir) / "_articles.spill"
        self._spill: pq.ParquetWriter | None = None
        self._buffer: list[dict] = []
        self.rows = 0  # rows in the spill
        # this run's events, spilled with the spill row of their article
        self.raw_spill = self.spill_path.with_name("_events.spill")
        self.raw_cas_spill = self.spill_path.with_name("_casualties.spill")
        self._raw_writers: tuple[pq.ParquetWriter, pq.ParquetWriter] | None = None
        self._raw_buffer: list[tuple[int, Event]] = []

    # --- the stored articles -------------------------------------------------

    def _load_index(self, path: Path) -> None:
        cols = ["article_id", "content_hash", "status", "origin", "pub_date", "error"]
        with_events = self._stored_event_articles()
        for batch in pq.ParquetFile(path).iter_batches(READ_BATCH, columns=cols):
            aids = batch.column("article_id").to_pylist()
            hashes = batch.column("content_hash").to_pylist()
            statuses = batch.column("status").to_pylist()
            keys = np.fromiter((key64(a) for a in aids), np.uint64, len(aids))
            vals = np.array(
                [
                    (key64(h) if h else 0, _code(s, h), -1)
                    for h, s in zip(hashes, statuses, strict=True)
                ],
                self.index.dtype,
            )
            self.index.bulk(keys, vals)
            for aid, h, s in zip(aids, hashes, statuses, strict=True):
                if s == "ok" and h and self.hash_owner.get(key64(h)) is None:
                    self.hash_owner.set(key64(h), (key64(aid),))
            failed = pc.equal(batch.column("status"), "failed")
            if pc.any(failed).as_py():
                sub = batch.filter(failed)
                ids = sub.column("article_id").to_pylist()
                self.failed_origin.update(zip(ids, sub.column("origin").to_pylist(), strict=True))
                self.failed_error.update(zip(ids, sub.column("error").to_pylist(), strict=True))
            has_events = pc.is_in(batch.column("article_id"), with_events)
            sub = batch.filter(has_events)
            self.pub.update(
                zip(
                    sub.column("article_id").to_pylist(),
                    sub.column("pub_date").to_pylist(),
                    strict=True,
                )
            )

    def _stored_event_articles(self) -> pa.Array:
        """Ids of the stored articles that have events (read from the raw events)."""
        firsts = [
            pc.list_element(pq.read_table(p, columns=["article_ids"]).column(0), 0)
            for p in self.raw_parts
        ]
        chunks = [c for col in firsts for c in col.chunks]
        return (
            pc.unique(pa.chunked_array(chunks, pa.string()))
            if chunks
            else pa.array([], pa.string())
        )

    def _stored(self, aid: str) -> tuple[str | None, str, int] | None:
        """(hash key, status, spill row) of a stored article, or None."""
        got = self.index.get(key64(aid))
        if got is None:
            return None
        h, code, row = got
        return (None if code & 0x40 else h), ARTICLE_STATUSES[code & 0x3F], row

    # --- a run ---------------------------------------------------------------

    def triage(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles that need processing; the others are counted and dropped."""
        for art in articles:
            self.stats.read += 1
            prev = self._stored(art.article_id)
            if art.status != "failed" and "#" in art.origin:
                self._reached.add(art.origin.split("#", 1)[0])
            if art.status == "failed":
                self.stats.failed += 1
                if prev is None:
                    self._store(dataclasses.replace(art, text=""), [], count_failed=False)
                elif prev[1] == "failed" and self.failed_error.get(art.article_id) != art.error:
                    self._put(art, prev)  # still failing, for another reason: refresh it
                continue
            hkey = key64(art.content_hash) if art.content_hash else None
            if prev is not None and prev[0] == hkey:
                self.stats.unchanged += 1
                self.stats.ok += prev[1] == "ok"
                # an unchanged article that failed in a stage is still a failed row
                self.stats.failed += prev[1] == "failed"
                continue
            owner = self.hash_owner.get(hkey) if hkey is not None else None
            if art.status == "ok" and owner is not None and owner[0] != key64(art.article_id):
                # the owner's origin is filled in when the table is written
                art = dataclasses.replace(art, status="duplicate", error=DUPLICATE_OF)
                self.duplicate_of[art.article_id] = owner[0]
            elif art.status == "ok" and hkey is not None and owner is None:
                # claimed now: a copy later in this run is a duplicate even while this
                # one is still being processed (released if it does not come back ok)
                self.hash_owner.set(hkey, (key64(art.article_id),))
            yield art

    def record(self, article: Article, events: list[Event]) -> None:
        """The result of processing one article from `triage`."""
        self._store(article, events, count_failed=True)

    def _store(self, article: Article, events: list[Event], count_failed: bool) -> None:
        aid = article.article_id
        prev = self._stored(aid)
        if prev is None:
            self.stats.new += 1
        else:
            self.stats.updated += 1
            if prev[0] is not None:
                owner = self.hash_owner.get(prev[0])
                if owner is not None and owner[0] == key64(aid):
                    self.hash_owner.delete(prev[0])
        if article.content_hash:
            hkey = key64(article.content_hash)
            owner = self.hash_owner.get(hkey)
            if article.status == "ok" and owner is None:
                self.hash_owner.set(hkey, (key64(aid),))
            elif article.status != "ok" and owner is not None and owner[0] == key64(aid):
                self.hash_owner.delete(hkey)  # a claim from `triage` for what came back empty
        self.stats.ok += article.status == "ok"
        if count_failed and article.status == "failed":
            self.stats.failed += 1
        self.stats.events += len(events)
        row = self._put(article, prev)
        self.pub.pop(aid, None)
        if events:
            self._raw_buffer.extend((row, e) for e in events)
            self.pub[aid] = article.pub_date
            if len(self._raw_buffer) >= SPILL_ROWS:
                self._flush()

    def _put(self, article: Article, prev: tuple | None) -> int:
        """`article` (without text) replaces any earlier record of its id; returns its
        row in the spill."""
        aid = article.article_id
        if prev is not None:
            if prev[2] < 0:
                self.replaced.add(aid)
            else:
                self.superseded.add(prev[2])
        row = self.rows + len(self._buffer)
        hkey = key64(article.content_hash) if article.content_hash else 0
        self.index.set(key64(aid), (hkey, _code(article.status, article.content_hash), row))
        self.failed_origin.pop(aid, None)
        if article.status == "failed":
            self.failed_origin[aid] = article.origin
        rec = {name: getattr(article, name) for name in ARTICLE_FIELDS if name != "text"}
        self._buffer.append(rec)
        if len(self._buffer) >= SPILL_ROWS:
            self._flush()
        return row

    def _flush(self) -> None:
        self._flush_raw()
        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer, schema=_SPILL_SCHEMA)
        if self._spill is None:
            self.spill_path.parent.mkdir(parents=True, exist_ok=True)
            self._spill = pq.ParquetWriter(self.spill_path, _SPILL_SCHEMA)
        self._spill.write_table(table)
        self.rows += len(self._buffer)
        self._buffer = []

    # --- the result ----------------------------------------------------------

    def _stale(self) -> set[str]:
        """Failure records of feeds that were read fine this time (they are dropped)."""
        return {aid for aid, origin in self.failed_origin.items() if origin in self._reached}

    def _flush_raw(self) -> None:
        if not self._raw_buffer:
            return
        if self._raw_writers is None:
            self.raw_spill.parent.mkdir(parents=True, exist_ok=True)
            self._raw_writers = (
                pq.ParquetWriter(self.raw_spill, _RAW_SPILL),
                pq.ParquetWriter(self.raw_cas_spill, _RAW_CAS_SPILL),
            )
        rows = [r for r, _ in self._raw_buffer]
        events = [e for _, e in self._raw_buffer]
        table = pa.Table.from_pylist(list(iter_event_rows(events)), schema=EVENTS_SCHEMA)
        self._raw_writers[0].write_table(table.append_column("_row", pa.array(rows, pa.int64())))
        cas = [(r, c) for r, e in self._raw_buffer for c in iter_casualty_rows([e])]
        if cas:
            table = pa.Table.from_pylist([c for _, c in cas], schema=CASUALTIES_SCHEMA)
            rows = pa.array([r for r, _ in cas], pa.int64())
            self._raw_writers[1].write_table(table.append_column("_row", rows))
        self._raw_buffer = []

    def _close_spills(self) -> None:
        self._flush()
        for w in (self._spill, *(self._raw_writers or ())):
            if w is not None:
                w.close()
        self._spill, self._raw_writers = None, None

    def _untouched(self, aid: str) -> bool:
        """Is the stored record of this article still the one (not replaced by this run)?"""
        got = self.index.get(key64(aid))
        return got is None or got[2] < 0

    def write_raw(self, directory: Path) -> tuple[Path, Path]:
        """The new version's per-article events and their casualties, streamed into
        `directory`: the stored ones of the articles this run left alone, in their order,
        then this run's; returns the two files."""
        self._close_spills()
        dropped: set[str] = set()  # ids of stored events whose article was re-processed

        def stored_events() -> Iterator[pa.Table]:
            for t in iter_table_batches(self.raw_parts, EVENTS_SCHEMA):
                firsts = pc.list_element(t.column("article_ids"), 0).to_pylist()
                keep = [self._untouched(a) for a in firsts]
                if not all(keep):
                    ids = t.column("event_id").to_pylist()
                    dropped.update(i for i, k in zip(ids, keep, strict=True) if not k)
                    t = t.filter(pa.array(keep, pa.bool_()))
                yield t

        def stored_casualties() -> Iterator[pa.Table]:
            if self.raw_casualties is None:
                return
            for t in iter_table_batches([self.raw_casualties], CASUALTIES_SCHEMA):
                if dropped:
                    gone = pc.is_in(t.column("event_id"), pa.array(sorted(dropped), pa.string()))
                    t = t.filter(pc.invert(gone))
                yield t

        def spilled(path: Path, schema: pa.Schema) -> Iterator[pa.Table]:
            if not path.exists():
                return
            for batch in pq.ParquetFile(path).iter_batches(READ_BATCH, use_threads=False):
                t = pa.Table.from_batches([batch])
                rows = t.column("_row").to_pylist()
                keep = pa.array([r not in self.superseded for r in rows], pa.bool_())
                yield t.filter(keep).select(schema.names)

        events = directory / f"{RAW_EVENTS}.parquet"
        casualties = directory / f"{RAW_CASUALTIES}.parquet"
        pieces = itertools.chain(stored_events(), spilled(self.raw_spill, EVENTS_SCHEMA))
        write_table(Tables(pieces), EVENTS_SCHEMA, events)
        pieces = itertools.chain(
            stored_casualties(), spilled(self.raw_cas_spill, CASUALTIES_SCHEMA)
        )
        write_table(Tables(pieces), CASUALTIES_SCHEMA, casualties)
        return events, casualties

    def article_tables(self, n_events: dict[str, int]) -> Iterator[pa.Table]:
        """The new articles table, batch by batch: the stored rows this run kept, in their
        order, then this run's, each with its `n_events`."""
        self._close_spills()
        stale = self._stale()
        drop = pa.array(sorted(self.replaced | stale), pa.string())
        origins = self._origins({aid for aid in self.duplicate_of.values()})
        if self.prev is not None:
            for batch in pq.ParquetFile(self.prev).iter_batches(READ_BATCH, use_threads=False):
                table = pa.Table.from_batches([batch]).select(list(ARTICLE_FIELDS))
                table = table.filter(pc.invert(pc.is_in(table.column("article_id"), drop)))
                yield _with_counts(table, n_events)
        if self.rows:
            start = 0
            spilled = pq.ParquetFile(self.spill_path)
            for batch in spilled.iter_batches(READ_BATCH, use_threads=False):
                table = pa.Table.from_batches([batch])
                rows = range(start, start + len(table))
                start += len(table)
                keep = [r not in self.superseded for r in rows]
                if self.duplicate_of:
                    errors = table.column("error").to_pylist()
                    for i, (aid, status) in enumerate(
                        zip(
                            table.column("article_id").to_pylist(),
                            table.column("status").to_pylist(),
                            strict=True,
                        )
                    ):
                        if status == "duplicate" and errors[i] == DUPLICATE_OF:
                            owner = self.duplicate_of.get(aid)
                            errors[i] = DUPLICATE_OF + origins.get(owner, "?")
                    where = table.schema.get_field_index("error")
                    table = table.set_column(where, "error", pa.array(errors, pa.string()))
                table = table.filter(pa.array(keep, pa.bool_()))
                if stale:
                    gone = pc.is_in(table.column("article_id"), pa.array(sorted(stale)))
                    table = table.filter(pc.invert(gone))
                yield _with_counts(table, n_events)

    def _origins(self, keys: set[int]) -> dict[int, str]:
        """Origins of the articles with these id keys (owners of duplicates)."""
        if not keys:
            return {}
        found: dict[int, str] = {}
        paths = [p for p in (self.prev, self.spill_path if self.rows else None) if p]
        for path in paths:
            for batch in pq.ParquetFile(path).iter_batches(
                READ_BATCH, columns=["article_id", "origin"]
            ):
                for aid, origin in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                    if key64(aid) in keys:
                        found.setdefault(key64(aid), origin)
        return found

    def all_articles(self) -> list[Article]:
        """Every stored article as a record (small datasets and tests only: this loads them)."""
        out = []
        for table in self.article_tables({}):
            for row in table.select(list(ARTICLE_FIELDS)).to_pylist():
                out.append(Article(**row))
        return out

    def close(self) -> None:
        for w in (self._spill, *(self._raw_writers or ())):
            if w is not None:
                w.close()
        self._spill, self._raw_writers = None, None
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)

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


_SPILL_SCHEMA = pa.schema([f for f in ARTICLES_SCHEMA if f.name not in ("n_events", "text")])
_RAW_SPILL = EVENTS_SCHEMA.append(pa.field("_row", pa.int64()))
_RAW_CAS_SPILL = CASUALTIES_SCHEMA.append(pa.field("_row", pa.int64()))


def _with_counts(table: pa.Table, n_events: dict[str, int]) -> pa.Table:
    counts = [n_events.get(aid, 0) for aid in table.column("article_id").to_pylist()]
    table = table.append_column(
        "n_events", pa.array(counts, ARTICLES_SCHEMA.field("n_events").type)
    )
    return table.select(ARTICLES_SCHEMA.names).cast(ARTICLES_SCHEMA)
