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

from etl.schema import (
    ACTORS,
    ARTICLES_SCHEMA,
    CASUALTIES_SCHEMA,
    EVENT_TYPES,
    EVENTS_SCHEMA,
    PRECISIONS,
    RUNS_SCHEMA,
    Col,
)
from etl.store import parts as store_parts

NODATE = np.iinfo(np.int64).min // 4  # sentinel day number for "no date"
PREC_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # day=0 ... unknown=4
UNKNOWN_RANK = PREC_RANK["unknown"]
EPOCH = date(1970, 1, 1)
SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "events": EVENTS_SCHEMA,
    "casualties": CASUALTIES_SCHEMA,
    "runs": RUNS_SCHEMA,
}
COUNT_COLS = (
    Col.KILLED,
    Col.KILLED_LOW,
    Col.KILLED_HIGH,
    Col.WOUNDED,
    Col.WOUNDED_LOW,
    Col.WOUNDED_HIGH,
)
NOT_STATED = "(not stated)"
# The events columns the figures and filters need (read eagerly; the rest on demand).
FRAME_COLS = (
    Col.EVENT_TYPE,
    Col.EVENT_DATE,
    Col.DATE_START,
    Col.DATE_END,
    Col.DATE_PRECISION,
    Col.ACTOR1,
    Col.ACTOR2,
    Col.ADMIN1,
    Col.LATITUDE,
    Col.LONGITUDE,
    Col.STRIKES,
    *COUNT_COLS,
    Col.IS_AGGREGATE,
    Col.SOURCES,
)
FRAME_SCHEMA = pa.schema([EVENTS_SCHEMA.field(c) for c in FRAME_COLS])
# read on first use by the data set (Dataset.coords), not at load: half the bytes of
# FRAME_COLS, and only the map's points need them
LAZY_COLS = (Col.LATITUDE, Col.LONGITUDE)
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


# --- reading and conforming --------------------------------------------------------


def conform(table: pa.Table | None, schema: pa.Schema) -> pa.Table:
    """Cast `table` to `schema`: missing columns become nulls, extra columns are dropped."""
    if table is None:
        return schema.empty_table()
    cols = []
    for f in schema:
        if f.name in table.column_names:
            col = table.column(f.name)
            if pa.types.is_dictionary(col.type) and col.type.value_type == f.type:
                pass  # read dictionary-encoded on purpose (fast categoricals)
            elif _same_list(col.type, f.type):
                pass  # list<element: T> as Parquet names it vs list<item: T>: same data
            elif col.type != f.type:
                try:
                    col = col.cast(f.type, safe=False)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    col = pa.nulls(table.num_rows, f.type)
            cols.append(col)
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=schema)


def _same_list(a: pa.DataType, b: pa.DataType) -> bool:
    """Both list types with the same value type (the item field's name aside)."""
    return pa.types.is_list(a) and pa.types.is_list(b) and a.value_type == b.value_type


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


# --- preparing compact frames ---------------------------------------------------------


def _days(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    days = pc.cast(col, pa.int32()) if pa.types.is_date(col.type) else col
    return pc.fill_null(pc.cast(days, pa.int64()), NODATE).to_numpy()


def _floats(col) -> np.ndarray:
    return pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)


def _categorical(col, known: tuple[str, ...] = ()) -> pd.Categorical:
    """pandas Categorical of a string (or dictionary-encoded) Arrow column; the `known`
    vocabulary first, in its order, then any other values sorted."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    if not pa.types.is_dictionary(col.type):
        chunks = [pc.dictionary_encode(c) for c in chunks]
    values: set = set()
    for c in chunks:
        values.update(v for v in c.dictionary.to_pylist() if v is not None)
    known_set = set(known)
    cats = list(known) + sorted(v for v in values if v not in known_set)
    lookup = {c: i for i, c in enumerate(cats)}
    parts = []
    for c in chunks:
        remap = np.array(
            [lookup.get(v, -1) if v is not None else -1 for v in c.dictionary.to_pylist()] or [-1],
            dtype=np.int16,
        )
        idx = pc.fill_null(c.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        parts.append(np.where(idx >= 0, remap[np.maximum(idx, 0)], -1).astype(np.int16))
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
    return pd.Categorical.from_codes(codes, categories=cats)


def _placement(anchor_date, start, end, prec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Placement interval [p0, p1] and the single anchor day of each event.

    Day-precision events sit on their event_date. Coarser events with a known
    [date_start, date_end] window occupy that window (the figures spread them
    over it). An event with only a best day sits on it; one with neither is undated.
    """
    has_a = anchor_date != NODATE
    has_win = (start != NODATE) & (end != NODATE) & (end >= start)
    is_day = prec == 0
    p0 = np.full(len(prec), NODATE, dtype=np.int64)
    p1 = p0.copy()
    use_anchor = (is_day & has_a) | (~has_win & has_a)
    use_win = ~use_anchor & has_win
    p0[use_anchor] = anchor_date[use_anchor]
    p1[use_anchor] = anchor_date[use_anchor]
    p0[use_win] = start[use_win]
    p1[use_win] = end[use_win]
    anchor = np.where(has_a, anchor_date, np.where(use_win, (p0 + p1) // 2, NODATE))
    return p0, p1, anchor


def prepare_events(events: pa.Table | pd.DataFrame) -> tuple[pd.DataFrame, list[frozenset]]:
    """The slim frame the figures aggregate on, and the list of source-outlet sets.

    Accepts the Arrow events table or a pandas DataFrame with (some of) the
    EVENTS_SCHEMA columns. The frame's index is the row position in the table.
    """
    if isinstance(events, pd.DataFrame):
        events = pa.Table.from_pandas(events, preserve_index=False)
    has_coords = all(c in events.column_names for c in LAZY_COLS)
    t = conform(events, FRAME_SCHEMA)
    prec_codes = _categorical(t.column(Col.DATE_PRECISION), PRECISIONS).codes
    prec = np.where((prec_codes >= 0) & (prec_codes < len(PRECISIONS)), prec_codes, UNKNOWN_RANK)
    prec = prec.astype(np.int8)
    p0, p1, anchor = _placement(
        _days(t.column(Col.EVENT_DATE)),
        _days(t.column(Col.DATE_START)),
        _days(t.column(Col.DATE_END)),
        prec,
    )
    etype = _categorical(t.column(Col.EVENT_TYPE), EVENT_TYPES)
    strikes = _floats(t.column(Col.STRIKES))
    is_air = np.asarray(etype == "airstrike")
    frame = pd.DataFrame(
        {
            Col.EVENT_TYPE: etype,
            Col.ACTOR1: _categorical(t.column(Col.ACTOR1), ACTORS),
            Col.ACTOR2: _categorical(t.column(Col.ACTOR2), ACTORS),
            Col.ADMIN1: _categorical(t.column(Col.ADMIN1)),
            Col.IS_AGGREGATE: pc.fill_null(t.column(Col.IS_AGGREGATE), False).to_numpy(
                zero_copy_only=False
            ),
            STRIKES_N: np.where(is_air, np.where(np.isnan(strikes), 1.0, strikes), 0.0),
            P0: p0,
            P1: p1,
            ANCHOR: anchor,
            PREC: prec,
        }
    )
    if has_coords:  # else Dataset.coords reads them when the map needs them
        frame[Col.LATITUDE] = _floats(t.column(Col.LATITUDE))
        frame[Col.LONGITUDE] = _floats(t.column(Col.LONGITUDE))
    for c in COUNT_COLS:
        frame[c] = _floats(t.column(c))
    _add_ranges(frame)
    frame = frame.drop(columns=[c for c in COUNT_COLS if c not in (Col.KILLED, Col.WOUNDED)])
    # source outlets: one code per distinct set of outlets
    fast = _source_sets_fast(t.column(Col.SOURCES))
    if fast is not None:
        frame[SRC], combos = fast
        return frame, combos
    joined = pc.binary_join(
        pc.fill_null(t.column(Col.SOURCES), pa.scalar([], pa.list_(pa.string()))), "\x1f"
    )
    enc = pc.dictionary_encode(joined).combine_chunks() if t.num_rows else None
    if enc is None:
        frame[SRC] = np.zeros(0, dtype=np.int32)
        combos: list[frozenset] = []
    else:
        frame[SRC] = pc.fill_null(enc.indices, 0).to_numpy().astype(np.int32)
        combos = [
            frozenset(filter(None, (s or "").split("\x1f"))) for s in enc.dictionary.to_pylist()
        ]
    return frame, combos


def _source_sets_fast(col) -> tuple[np.ndarray, list[frozenset]] | None:
    """(code per row, outlet set per code) from each row's set of outlets as a bit mask
    (up to 63 distinct outlets; None otherwise, or for no rows). Much cheaper than joining
    a million lists into strings."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if len(arr) == 0 or not pa.types.is_list(arr.type):
        return None
    arr = pc.fill_null(arr, pa.scalar([], arr.type))
    offsets = arr.offsets.to_numpy()
    values = arr.flatten()
    enc = values if pa.types.is_dictionary(values.type) else pc.dictionary_encode(values)
    names = enc.dictionary.to_pylist()
    if len(names) > 63:
        return None
    idx = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    bits = np.where(idx >= 0, np.left_shift(np.int64(1), np.maximum(idx, 0)), 0)
    lengths = np.diff(offsets)
    starts = offsets[:-1] - offsets[0]
    mask = np.zeros(len(arr), dtype=np.int64)
    nz = lengths > 0
    if nz.any():
        mask[nz] = np.bitwise_or.reduceat(bits, starts[nz])
    if len(names) <= 20:  # a lookup table over all 2**n masks beats sorting a million
        seen = np.bincount(mask, minlength=1 << len(names)) > 0
        uniq = np.flatnonzero(seen)
        codes = (np.cumsum(seen) - 1)[mask]
    else:
        uniq, codes = np.unique(mask, return_inverse=True)
    combos = [frozenset(n for i, n in enumerate(names) if (int(u) >> i) & 1 and n) for u in uniq]
    return codes.astype(np.int32), combos


def _add_ranges(frame: pd.DataFrame) -> None:
    """Low/high bounds: the *_low/*_high columns where given, else the best figure.
    Counts not reported become 0 (what every sum counts them as)."""
    for best, lo, hi, out_lo, out_hi in (
        (Col.KILLED, Col.KILLED_LOW, Col.KILLED_HIGH, KILLED_LO, KILLED_HI),
        (Col.WOUNDED, Col.WOUNDED_LOW, Col.WOUNDED_HIGH, WOUNDED_LO, WOUNDED_HI),
    ):
        b = frame[best].to_numpy()
        frame[out_lo] = _zero_nan(np.where(np.isnan(frame[lo].to_numpy()), b, frame[lo].to_numpy()))
        frame[out_hi] = _zero_nan(np.where(np.isnan(frame[hi].to_numpy()), b, frame[hi].to_numpy()))
        # not reported counts as 0 in every sum: store it so (no NaN handling per request)
        frame[best] = _zero_nan(b)


def _zero_nan(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    nan = np.isnan(a)
    return np.where(nan, 0.0, a) if nan.any() else a


def prepare_casualties(
    casualties: pa.Table | pd.DataFrame, events: pa.Table | pd.DataFrame, frame: pd.DataFrame
) -> pd.DataFrame:
    """Per-side casualties with their event's row position and placement interval."""
    if isinstance(casualties, pd.DataFrame):
        casualties = conform(
            pa.Table.from_pandas(casualties, preserve_index=False), CASUALTIES_SCHEMA
        )
    if isinstance(events, pd.DataFrame):
        events = pa.Table.from_pandas(events, preserve_index=False)
    ids = events.column(Col.EVENT_ID)
    pos = pc.index_in(
        casualties.column(Col.EVENT_ID), value_set=pa.chunked_array(ids).combine_chunks()
    )
    row = pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    keep = row >= 0
    row = row[keep]
    cas = casualties.filter(pa.array(keep)) if not keep.all() else casualties
    out = pd.DataFrame(
        {
            Col.ACTOR: _categorical(cas.column(Col.ACTOR), ACTORS),
            ROW: row,
            P0: frame[P0].to_numpy()[row],
            P1: frame[P1].to_numpy()[row],
        }
    )
    for c in COUNT_COLS:
        out[c] = _floats(cas.column(c))
    _add_ranges(out)
    return out.drop(columns=[c for c in COUNT_COLS if c not in (Col.KILLED, Col.WOUNDED)])


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
        from dashboard.metrics import placement

        frame = self.casualties if casualties else self.frame  # outside _lazy's lock
        return self._lazy(("placement", group, casualties), lambda: placement(frame, group))

    def series(
        self, group, mask, values, freq: str, lo, hi, casualties: bool = False
    ) -> pd.DataFrame:
        """metrics.time_series of the masked rows of the events (or casualties) frame.
        A narrow selection (under a quarter of the rows) is copied and aggregated; a wide
        one is aggregated in place over the placement index (metrics.masked_series)."""
        from dashboard.metrics import masked_series, time_series

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
                t = _rows_duckdb(parts, starts, pos, columns)
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
            t = _query_duckdb(
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


def take_rows(frame: pd.DataFrame, idx: np.ndarray) -> pd.DataFrame:
    """frame.iloc[idx] for the prepared frames, column by column with numpy (categoricals
    rebuilt from their codes): a good deal cheaper than pandas' generic row take."""
    cols = {}
    for name in frame.columns:
        s = frame[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cols[name] = pd.Categorical.from_codes(
                s.cat.codes.to_numpy()[idx], dtype=s.dtype, validate=False
            )
        else:
            cols[name] = s.to_numpy()[idx]
    return pd.DataFrame(cols, index=frame.index.to_numpy()[idx], copy=False)


def _query_duckdb(sql: str, params: dict) -> pa.Table | None:
    try:
        import duckdb

        con = duckdb.connect()
        try:
            return con.sql(sql, params=params).to_arrow_table()
        finally:
            con.close()
    except Exception:
        return None


def _rows_duckdb(
    parts: list[Path], starts: np.ndarray, pos: np.ndarray, columns: list[str] | None = None
) -> pa.Table | None:
    """Rows of the events table by position, in the order given (None if it fails);
    only `columns` (the others null) if given. The table is the Parquet files `parts`
    one after the other, part i holding rows starts[i] to starts[i + 1] - 1."""
    if len(pos) == 0 or pos.min() < 0 or pos.max() >= starts[-1]:
        return None
    part = np.searchsorted(starts, pos, side="right") - 1
    row = pos - starts[part]  # the row within its part file
    try:
        if columns:
            present = set(pq.read_schema(parts[0]).names)
            cols = [c for c in columns if c in present] or [Col.EVENT_ID]
            select = ", ".join(f't."{c}"' for c in cols)
        else:
            select = "t.* EXCLUDE (filename, file_row_number)"
    except Exception:
        return None
    # one row per position asked for (repeats included), numbered by its place in `pos`
    t = _query_duckdb(
        f"SELECT {select} "
        "FROM read_parquet($files, filename = true, file_row_number = true, "
        "hive_partitioning = false) AS t "
        "JOIN (SELECT unnest($part) AS part, unnest($part_row) AS part_row, unnest($i) AS i) AS w "
        "ON t.filename = w.part AND t.file_row_number = w.part_row "
        "WHERE t.file_row_number BETWEEN $lo AND $hi "
        "ORDER BY w.i",
        {
            "files": [str(parts[i]) for i in np.unique(part)],
            "part": [str(parts[i]) for i in part],
            "part_row": [int(r) for r in row],
            "i": list(range(len(pos))),
            "lo": int(row.min()),
            "hi": int(row.max()),
        },
    )
    if t is None or t.num_rows != len(pos):
        return None
    return conform(t, EVENTS_SCHEMA)


def _lut(categories, selected) -> np.ndarray:
    """Boolean lookup table over category codes (+1 slot for code -1 = null)."""
    lut = np.zeros(len(categories) + 1, dtype=bool)
    pos = {c: i for i, c in enumerate(categories)}
    for s in selected:
        if s in pos:
            lut[pos[s]] = True
    return lut


def filter_mask(frame: pd.DataFrame, f: Filters, combos: list[frozenset]) -> np.ndarray:
    """Boolean mask of the events the filters keep."""
    n = len(frame)
    m = np.ones(n, dtype=bool)
    if not f.include_aggregates:
        m &= ~frame[Col.IS_AGGREGATE].to_numpy()
    if f.date_from or f.date_to:
        a = frame[ANCHOR].to_numpy()
        m &= a != NODATE
        if f.date_from:
            m &= a >= day_number(f.date_from)
        if f.date_to:
            m &= a <= day_number(f.date_to)
    for col, sel in ((Col.EVENT_TYPE, f.event_types), (Col.ADMIN1, f.admin1)):
        if sel:
            s = frame[col]
            m &= _lut(s.cat.categories, sel)[s.cat.codes.to_numpy()]
    if f.actors:
        a1, a2 = frame[Col.ACTOR1], frame[Col.ACTOR2]
        m &= (
            _lut(a1.cat.categories, f.actors)[a1.cat.codes.to_numpy()]
            | _lut(a2.cat.categories, f.actors)[a2.cat.codes.to_numpy()]
        )
    rank = PREC_RANK.get(f.min_precision, UNKNOWN_RANK)
    if rank < UNKNOWN_RANK:
        m &= frame[PREC].to_numpy() <= rank
    if f.sources:
        wanted = set(f.sources)
        lut = np.array([bool(c & wanted) for c in combos] + [False], dtype=bool)
        m &= lut[frame[SRC].to_numpy()]
    return m


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
