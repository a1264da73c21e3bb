"""The prepared frames: compact pandas frames built from the events and casualties
tables (categorical codes, integer day numbers), row takes and filter masks over them.
Pure: Arrow/pandas in, frames and arrays out, no I/O."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.columns import (
    ANCHOR,
    COUNT_COLS,
    KILLED_HI,
    KILLED_LO,
    NODATE,
    P0,
    P1,
    PREC,
    PREC_RANK,
    ROW,
    SRC,
    STRIKES_N,
    UNKNOWN_RANK,
    WOUNDED_HI,
    WOUNDED_LO,
    Filters,
    day_number,
)
from dashboard.limits import DATE_MIN, MAX_CATEGORIES, OTHER, clip, date_max
from etl.schema import ACTORS, CASUALTIES_SCHEMA, EVENT_TYPES, EVENTS_SCHEMA, PRECISIONS, Col

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


# --- preparing compact frames ---------------------------------------------------------


def day_window() -> tuple[int, int]:
    """The day numbers of limits.DATE_MIN and limits.date_max(): the days the figures
    place events on (every time axis and its arrays are bounded by them)."""
    return day_number(DATE_MIN), day_number(date_max())


def _days(col: pa.ChunkedArray | pa.Array, lo: int, hi: int) -> np.ndarray:
    """Day numbers of a date column, NODATE for nulls and for days outside [lo, hi]
    (an impossible date such as 9999-12-31 counts as no usable date)."""
    days = pc.cast(col, pa.int32()) if pa.types.is_date(col.type) else col
    out = pc.fill_null(pc.cast(days, pa.int64()), NODATE).to_numpy()
    bad = (out < lo) | (out > hi)
    return np.where(bad, NODATE, out) if bad.any() else out


def _floats(col) -> np.ndarray:
    return pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)


def _categorical(col, known: tuple[str, ...] = ()) -> pd.Categorical:
    """pandas Categorical of a string (or dictionary-encoded) Arrow column; the `known`
    vocabulary first, in its order, then any other values sorted. Names are cut to
    limits.MAX_NAME characters (values that then read the same share a category); past
    limits.MAX_CATEGORIES categories the rarest others share OTHER."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    if not pa.types.is_dictionary(col.type):
        chunks = [pc.dictionary_encode(c) for c in chunks]
    dicts = [c.dictionary.to_pylist() for c in chunks]
    values = {clip(v) for d in dicts for v in d if v is not None}
    known_set = set(known)
    others = sorted(v for v in values if v not in known_set)
    room = max(0, MAX_CATEGORIES - len(known) - 1)
    if len(others) > room:  # keep the most frequent, in sorted order; the rest are OTHER
        counts: dict = {}
        for c, d in zip(chunks, dicts, strict=True):
            idx = pc.fill_null(c.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
            for v, k in zip(d, np.bincount(idx[idx >= 0], minlength=len(d)).tolist(), strict=True):
                if v is not None:
                    counts[clip(v)] = counts.get(clip(v), 0) + k
        kept = set(sorted(others, key=lambda v: -counts[v])[:room])
        others = [v for v in others if v in kept] + [OTHER]
    cats = list(known) + others
    lookup = {c: i for i, c in enumerate(cats)}
    other = lookup.get(OTHER, -1)
    parts = []
    for c, d in zip(chunks, dicts, strict=True):
        remap = np.array(
            [lookup.get(clip(v), other) if v is not None else -1 for v in d] or [-1],
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
    lo, hi = day_window()
    p0, p1, anchor = _placement(
        _days(t.column(Col.EVENT_DATE), lo, hi),
        _days(t.column(Col.DATE_START), lo, hi),
        _days(t.column(Col.DATE_END), lo, hi),
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
            frozenset(clip(n) for n in (s or "").split("\x1f") if n)
            for s in enc.dictionary.to_pylist()
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
    names = [clip(n) for n in enc.dictionary.to_pylist()]
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
