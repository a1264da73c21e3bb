"""Data layer: read the ETL's Parquet files once, prepare compact columns, filter.

Everything here is keyed by the files' (real path, mtime, size): a rebuilt data
directory is read again on the next request, an unchanged one is served from memory.
The events table is a single Parquet file or a Hive-partitioned directory of part
files (year=YYYY/month=MM/part-0.parquet); `parquet_parts` defines its row order. The
full events table stays in Arrow (for the drill-down rows and the exports); the
columns the figures aggregate on live in a slim pandas frame with categorical
codes and integer day numbers, so a filter is a handful of numpy comparisons.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.columns import ANCHOR, NODATE, P0, P1, ROW, STRIKES_N, Filters, day_to_date
from dashboard.duck import query_duckdb, rows_duckdb
from dashboard.frames import (
    FRAME_COLS,
    FRAME_SCHEMA,
    LAZY_COLS,
    _floats,
    _lut,
    conform,
    filter_mask,
    prepare_casualties,
    prepare_events,
    take_rows,
)
from dashboard.metrics import masked_series, placement, time_series
from etl.schema import (
    ARTICLES_SCHEMA,
    CASUALTIES_SCHEMA,
    EVENTS_SCHEMA,
    RUNS_SCHEMA,
    Col,
)
from etl.store import parts as store_parts

SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "events": EVENTS_SCHEMA,
    "casualties": CASUALTIES_SCHEMA,
    "runs": RUNS_SCHEMA,
}
# string columns read dictionary-encoded (few distinct values: no string decoding)
DICT_COLS = (
    Col.EVENT_TYPE,
    Col.DATE_PRECISION,
    Col.ACTOR1,
    Col.ACTOR2,
    Col.ADMIN1,
    Col.ACTOR,
    Col.STATUS,
)


def parquet_parts(path: Path) -> list[Path]:
    """The Parquet files of a table in table order (`etl.store.parts`: [path] for a
    single file, the part files of a year/month partitioned folder in month order, []
    if `path` does not exist). The table is their rows in this order, file by file."""
    return store_parts(path)


def _read(
    path: Path,
    schema: pa.Schema,
    problems: list[str],
    columns: list[str] | None = None,
    combine: bool = True,
) -> pa.Table:
    """`path` (a file or a partitioned directory) conformed to `schema` (empty if
    missing or unreadable, with a note in `problems`). `combine=False` keeps the
    reader's chunks (prepare_events takes them as they are: combining
    dictionary-encoded chunks is a costly copy)."""
    try:
        parts = parquet_parts(path)
        if not parts:
            return schema.empty_table()
        if columns is not None:
            present = set(pq.read_schema(parts[0]).names)
            columns = [c for c in columns if c in present]
        read_dictionary = [c for c in DICT_COLS if c in present] if columns else None
        # file by file, in this order (no year/month columns from the directory names)
        table = pa.concat_tables(
            pq.ParquetFile(p, memory_map=True, read_dictionary=read_dictionary).read(columns)
            for p in parts
        )
    except Exception as exc:  # a half-written or foreign file must not take the app down
        problems.append(f"could not read {path.name}: {exc}")
        return schema.empty_table()
    table = conform(table, schema)
    return table.combine_chunks() if combine else table


def file_key(data_dir: str | Path) -> tuple:
    """(name, real path, mtime_ns, size) of each data file (or partitioned directory);
    Nones for a missing one. The real path changes whenever the ETL switches a new
    version in (DIR/events.parquet -> current/... -> .versions/<run>/...); mtime and
    size catch a file rewritten in place (not a part file inside a directory)."""
    out = []
    for name in SCHEMAS:
        p = Path(data_dir) / f"{name}.parquet"
        try:
            st = p.stat()
            out.append((name, os.path.realpath(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, None, None, None))
    return tuple(out)


# --- the data set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    built: datetime | None  # when the data was last built
    built_from: str  # "runs.parquet" or "file times"
    n_articles: int
    n_failed: int
    n_events: int


@dataclass(eq=False)
class Dataset:
    key: tuple
    data_dir: Path | None
    frame: pd.DataFrame
    combos: list[frozenset]
    freshness: Freshness
    problems: tuple[str, ...] = ()
    # the events file or directory the frame was read from, symlinks resolved: every
    # later read of events (rows, ids, coordinates) sees that version, not a newer one
    events_path: Path | None = None
    full_events: pa.Table | None = None  # read on first use (drill-down, exports)
    _lazy_values: dict = field(default_factory=dict, repr=False)
    _cas_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _loader: threading.Timer | None = field(default=None, repr=False)
    _events_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def events(self) -> pa.Table:
        """The whole events table (all columns), read from disk on first use."""
        with self._events_lock:
            if self.full_events is None:
                problems: list[str] = []
                t = EVENTS_SCHEMA.empty_table()
                if self.events_path is not None:
                    t = _read(self.events_path, EVENTS_SCHEMA, problems)
                if t.num_rows != len(self.frame):  # the file changed under us
                    t = EVENTS_SCHEMA.empty_table() if not len(self.frame) else t
                self.full_events = t
            return self.full_events

    def _lazy(self, name: str, fn):
        with self._cas_lock:
            if name not in self._lazy_values:
                self._lazy_values[name] = fn()
            return self._lazy_values[name]

    @property
    def event_ids(self) -> pa.Array:
        """The event_id column (read on first use)."""

        def run():
            t = EVENTS_SCHEMA.empty_table()
            if self.events_path is not None:
                t = _read(self.events_path, EVENTS_SCHEMA, [], [Col.EVENT_ID])
            ids = t.column(Col.EVENT_ID).combine_chunks()
            return ids if len(ids) == len(self.frame) else pa.nulls(len(self.frame), pa.string())

        return self._lazy("event_ids", run)

    @property
    def casualties_table(self) -> pa.Table:
        def run():
            if self.data_dir is None:
                return CASUALTIES_SCHEMA.empty_table()
            return _read(self.data_dir / "casualties.parquet", CASUALTIES_SCHEMA, [])

        return self._lazy("casualties_table", run)

    @property
    def casualties(self) -> pd.DataFrame:
        """Per-side casualties joined to their events (prepared on first use)."""
        cas_t, ids = self.casualties_table, self.event_ids
        return self._lazy(
            "casualties",
            lambda: prepare_casualties(cas_t, pa.table({Col.EVENT_ID: ids}), self.frame),
        )

    @property
    def coords(self) -> tuple[np.ndarray, np.ndarray]:
        """(latitude, longitude) of every event by row, NaN where unknown; from the
        frame if it has them, else read from the events file on first use."""
        if Col.LATITUDE in self.frame.columns:
            return (
                self.frame[Col.LATITUDE].to_numpy(dtype=np.float64),
                self.frame[Col.LONGITUDE].to_numpy(dtype=np.float64),
            )

        def run():
            n = len(self.frame)
            schema = pa.schema([EVENTS_SCHEMA.field(c) for c in LAZY_COLS])
            t = schema.empty_table()
            if self.events_path is not None:
                t = _read(self.events_path, schema, [], list(LAZY_COLS))
            if t.num_rows != n:  # missing, or the file changed under us
                return np.full(n, np.nan), np.full(n, np.nan)
            return tuple(_floats(t.column(c)) for c in LAZY_COLS)

        return self._lazy("coords", run)

    @property
    def _event_parts(self) -> tuple[list[Path], np.ndarray]:
        """(the events table's part files, the table row each starts at followed by the
        table's length), from the Parquet footers, read on first use; ([], [0]) if the
        files cannot be read."""

        def run():
            try:
                parts = parquet_parts(self.events_path) if self.events_path else []
                counts = [pq.read_metadata(p).num_rows for p in parts]
            except (OSError, pa.ArrowException):
                parts, counts = [], []
            return parts, np.cumsum([0, *counts])

        return self._lazy("event_parts", run)

    @property
    def _casualties_by_event(self) -> tuple[np.ndarray, np.ndarray]:
        """(casualties-table rows sorted by their event's row, those event rows)."""

        cas, ids = self.casualties_table, self.event_ids  # outside _lazy's lock

        def run():
            row = pc.index_in(cas.column(Col.EVENT_ID), value_set=ids)
            row = pc.fill_null(row, -1).to_numpy(zero_copy_only=False).astype(np.int64)
            order = np.argsort(row, kind="stable")
            return order, row[order]

        return self._lazy("casualties_by_event", run)

    # vocabularies for the controls
    @property
    def outlets(self) -> list[str]:
        return sorted(set().union(*self.combos)) if self.combos else []

    def values(self, col: str) -> list[str]:
        """Categories of `col` that occur in the data, in vocabulary order."""
        s = self.frame[col]
        present = self._cached(
            ("present", col),
            lambda: np.flatnonzero(np.bincount(s.cat.codes.to_numpy() + 1)[1:]),
        )
        cats = s.cat.categories
        return [cats[i] for i in present if i >= 0]

    @property
    def actors(self) -> list[str]:
        a1, a2 = set(self.values(Col.ACTOR1)), set(self.values(Col.ACTOR2))
        return [a for a in self.frame[Col.ACTOR1].cat.categories if a in a1 | a2]

    def extent(self) -> tuple[date, date] | None:
        """First and last best day of the events (None when nothing is dated)."""

        def run():
            a = self.frame[ANCHOR].to_numpy()
            a = a[a != NODATE]
            return (day_to_date(a.min()), day_to_date(a.max())) if len(a) else None

        return self._lazy("extent", run)  # kept (not in the small LRU of filter results)

    @property
    def newest_first(self) -> np.ndarray:
        """Row positions ordered by best day, newest first (undated last)."""
        # computed once (a second caller waits for it), kept for the data set's life
        return self._lazy("order", lambda: newest_first_order(self.frame[ANCHOR].to_numpy()))

    # filtering, with a small per-data-set cache shared by the callbacks of one change
    def _cached(self, key, fn):
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = fn()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > 24:
                self._cache.popitem(last=False)
        return value

    def mask(self, f: Filters) -> np.ndarray:
        return self._cached(("mask", f), lambda: filter_mask(self.frame, f, self.combos))

    def select(self, f: Filters, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The prepared frame restricted to the filters (index = events-table row);
        only `columns` if given (cheaper to copy)."""

        def run():
            m = self.mask(f)
            frame = self.frame if columns is None else self.frame[list(columns)]
            return frame if m.all() else take_rows(frame, np.flatnonzero(m))

        return self._cached(("select", f, columns), run)

    def types_mask(self, f: Filters, types) -> np.ndarray:
        """The filters' mask, restricted to these event types (all if empty)."""
        if not types:
            return self.mask(f)

        def run():
            s = self.frame[Col.EVENT_TYPE]
            return self.mask(f) & _lut(s.cat.categories, types)[s.cat.codes.to_numpy()]

        return self._cached(("types", f, tuple(types)), run)

    def placement(self, group: str | None, casualties: bool = False):
        """metrics.placement of the events frame (or the casualties frame) by `group`,
        built once per data set: the time series of any filter reuse it."""
        frame = self.casualties if casualties else self.frame  # outside _lazy's lock
        return self._lazy(("placement", group, casualties), lambda: placement(frame, group))

    def series(
        self, group, mask, values, freq: str, lo, hi, casualties: bool = False
    ) -> pd.DataFrame:
        """metrics.time_series of the masked rows of the events (or casualties) frame.
        A narrow selection (under a quarter of the rows) is copied and aggregated; a wide
        one is aggregated in place over the placement index (metrics.masked_series)."""
        frame = self.casualties if casualties else self.frame
        n = int(np.count_nonzero(mask))
        if n * 4 < len(frame):
            cols = [c for c in (group, P0, P1, *values) if c]
            sub = take_rows(frame[cols], np.flatnonzero(mask))
            return time_series(sub, values, freq, group, lo, hi)
        return masked_series(self.placement(group, casualties), frame, mask, values, freq, lo, hi)

    def kpis(self, f: Filters) -> dict[str, float]:
        """Events count and sums of the KPI columns under the filters (no row copies)."""

        def run():
            m = self.mask(f)
            out = {"events": int(np.count_nonzero(m))}
            for c in (STRIKES_N, Col.KILLED, Col.WOUNDED):
                out[c] = float(self.frame[c].to_numpy()[m].sum())
            return out

        return self._cached(("kpis", f), run)

    def select_casualties(self, f: Filters) -> pd.DataFrame:
        def run():
            m = self.mask(f)
            keep = m[self.casualties[ROW].to_numpy()]
            return (
                self.casualties if keep.all() else take_rows(self.casualties, np.flatnonzero(keep))
            )

        return self._cached(("cas", f), run)

    def rows(self, positions, columns: list[str] | None = None) -> pa.Table:
        """Event records at these row positions, in this order (EVENTS_SCHEMA; only
        `columns` are filled if given, the others may be null)."""
        pos = np.asarray(positions, dtype=np.int64)
        if self.full_events is None and self.events_path is not None and 0 < len(pos) <= 5000:
            # a page of rows: read just those with DuckDB rather than the whole table
            # (the whole table is loaded in the background, a little later, for the
            # next requests); decoding fewer columns is most of the saving
            self.load_events_in_background()
            parts, starts = self._event_parts
            if starts[-1] == len(self.frame):  # else the files changed under us
                t = rows_duckdb(parts, starts, pos, columns)
                if t is not None:
                    return t
        return self.events.take(pa.array(pos))

    def prefetch(self) -> None:
        """Compute what the first page needs besides the figures (the newest-first
        order of the drill-down table, the date extent); run in a thread by create_app."""
        _ = self.newest_first, self.extent()

    def casualty_rows(self, event_ids: list[str], positions=None) -> list[dict]:
        """Per-side casualty records of these events (`positions`: their rows in the
        events table, if known: then an index built once replaces a scan per call)."""
        if not event_ids:
            return []
        if positions is not None and "casualties_table" in self._lazy_values:
            order, rows = self._casualties_by_event
            pos = np.asarray(positions, dtype=np.int64)
            lo = np.searchsorted(rows, pos, "left")
            hi = np.searchsorted(rows, pos, "right")
            take = np.concatenate([order[a:b] for a, b in zip(lo, hi, strict=True)] + [[]])
            return self.casualties_table.take(pa.array(take.astype(np.int64))).to_pylist()
        if "casualties_table" not in self._lazy_values and self.data_dir is not None:
            path = self.data_dir / "casualties.parquet"
            if not path.exists():
                return []
            t = query_duckdb(
                "SELECT * FROM read_parquet($path) WHERE event_id IN (SELECT unnest($ids))",
                {"path": str(path), "ids": list(event_ids)},
            )
            if t is not None:
                return conform(t, CASUALTIES_SCHEMA).to_pylist()
        cas = self.casualties_table
        keep = pc.is_in(cas.column(Col.EVENT_ID), value_set=pa.array(event_ids, pa.string()))
        return cas.filter(keep).to_pylist()

    def load_events_in_background(self, delay: float = 3.0) -> None:
        """Read the whole events table in a daemon thread after `delay` seconds (so the
        first page's requests do not compete with it for the CPU)."""
        with self._lock:
            if self._loader is not None or self.full_events is not None:
                return
            self._loader = threading.Timer(delay, lambda: self.events)
            self._loader.daemon = True
        self._loader.start()


def newest_first_order(anchor: np.ndarray) -> np.ndarray:
    """np.argsort(-anchor, kind="stable") (undated, NODATE, last), as a radix sort of
    16-bit keys when the days span less than 179 years: several times faster."""
    dated = anchor != NODATE
    if dated.any():
        lo, hi = int(anchor[dated].min()), int(anchor[dated].max())
        if hi - lo < np.iinfo(np.uint16).max:
            key = np.where(dated, hi - anchor, hi - lo + 1).astype(np.uint16)
            return np.argsort(key, kind="stable")
    return np.argsort(-anchor, kind="stable")


def _freshness(data_dir: Path, articles: pa.Table, runs: pa.Table, n_events: int) -> Freshness:
    n_articles = articles.num_rows
    n_failed = pc.sum(pc.equal(articles.column(Col.STATUS), "failed")).as_py() or 0
    finished = pc.max(runs.column(Col.FINISHED)).as_py() if runs.num_rows else None
    if finished is not None:
        return Freshness(finished, "runs.parquet", n_articles, n_failed, n_events)
    mtimes = [
        p.stat().st_mtime
        for n in ("articles", "events", "casualties")
        for p in parquet_parts(data_dir / f"{n}.parquet")
    ]
    built = datetime.fromtimestamp(max(mtimes), tz=UTC) if mtimes else None
    return Freshness(built, "file times", n_articles, n_failed, n_events)


def build_dataset(data_dir: str | Path, key: tuple | None = None) -> Dataset:
    data_dir = Path(data_dir)
    problems: list[str] = []
    cols = [c for c in FRAME_COLS if c not in LAZY_COLS]
    events_path = Path(os.path.realpath(data_dir / "events.parquet"))
    events = _read(
        events_path,
        pa.schema([FRAME_SCHEMA.field(c) for c in cols]),
        problems,
        cols,
        combine=False,
    )
    articles = _read(
        data_dir / "articles.parquet", ARTICLES_SCHEMA, problems, [Col.ARTICLE_ID, Col.STATUS]
    )
    runs = _read(data_dir / "runs.parquet", RUNS_SCHEMA, problems)
    frame, combos = prepare_events(events)
    fresh = _freshness(data_dir, articles, runs, events.num_rows)
    return Dataset(
        key=key or file_key(data_dir),
        data_dir=data_dir,
        frame=frame,
        combos=combos,
        freshness=fresh,
        problems=tuple(problems),
        events_path=events_path,
    )


@lru_cache(maxsize=2)
def _load(data_dir: str, key: tuple) -> Dataset:
    return build_dataset(data_dir, key)


def load_dataset(data_dir: str | Path) -> Dataset:
    """The data set of `data_dir`, read again only when its files change."""
    d = str(Path(data_dir).resolve())
    return _load(d, file_key(d))
