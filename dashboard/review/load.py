"""The dashboard's data set with the review applied: `reviewed(ds)` is what every view
reads unless the raw switch is on.

The reviewed data set is built once per (ETL version, review-log position): the
Arrow events and casualties tables through `view.apply_review`, then the same slim
frame the figures aggregate on (`data.prepare_events`). With no edits in the store
the ETL's data set is returned as it is (no cost).
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.data import LAZY_COLS, Dataset, prepare_events
from dashboard.review.store import FILENAME, ReviewStore, Snapshot
from dashboard.review.view import Reviewed, apply_review
from etl.schema import CASUALTIES_SCHEMA, EVENTS_SCHEMA, Col
from etl.store import RAW_CASUALTIES, RAW_EVENTS, read_parts


@dataclass(eq=False)
class ReviewedDataset(Dataset):
    review: Reviewed | None = None
    snapshot: Snapshot | None = None


def store_of(data_dir: str | Path) -> ReviewStore | None:
    """The data directory's review store, None if nobody has reviewed anything yet."""
    path = Path(data_dir) / FILENAME
    return ReviewStore.of(data_dir) if path.exists() else None


def reviewed(ds: Dataset) -> Dataset:
    """`ds` with the analysts' edits applied (`ds` itself when there are none)."""
    if ds.data_dir is None:
        return ds
    store = store_of(ds.data_dir)
    counter = store.counter() if store is not None else 0
    if counter == 0:
        return ds
    with _BUILDING:  # the callbacks of one change wait for one build, not start four
        return _build(ds, counter)


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)  # the latest state only: a reviewed data set holds a whole table
def _build(ds: Dataset, counter: int) -> ReviewedDataset:
    snap = ReviewStore.of(ds.data_dir).snapshot()
    raw_events = raw_cas = None
    if snap.splits and ds.events_path is not None:
        where = ds.events_path.parent  # the version directory holding the pre-dedup tables
        if (where / f"{RAW_EVENTS}.parquet").exists():
            raw_events = read_parts(where / f"{RAW_EVENTS}.parquet", EVENTS_SCHEMA)
            raw_cas = read_parts(where / f"{RAW_CASUALTIES}.parquet", CASUALTIES_SCHEMA)
    rev = apply_review(ds.events, ds.casualties_table, snap, raw_events, raw_cas)
    return dataset_of(ds, rev, snap)


def dataset_of(ds: Dataset, rev: Reviewed, snap: Snapshot) -> ReviewedDataset:
    """A data set over the reviewed tables (all in memory, like a fully loaded one)."""
    # the frame as the ETL's data set has it: coordinates kept aside (Dataset.coords),
    # so that row copies of the frame copy the same columns
    lazy = [c for c in LAZY_COLS if c in rev.events.column_names]
    frame, combos = prepare_events(rev.events.drop_columns(lazy))
    out = ReviewedDataset(
        key=(ds.key, snap.counter),
        data_dir=ds.data_dir,
        frame=frame,
        combos=combos,
        freshness=dataclasses.replace(ds.freshness, n_events=rev.events.num_rows),
        problems=ds.problems,
        events_path=None,
        full_events=rev.events,
        review=rev,
        snapshot=snap,
    )
    ids = rev.events.column(Col.EVENT_ID)
    out._lazy_values["event_ids"] = (
        ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    )
    out._lazy_values["casualties_table"] = rev.casualties
    out._lazy_values["coords"] = tuple(
        pc.cast(rev.events.column(c), pa.float64()).to_numpy() for c in LAZY_COLS
    )
    return out
