"""The dashboard's data layer over both layouts of the events table: one Parquet file,
or a Hive-partitioned directory year=YYYY/month=M/part-0.parquet (undated events under
year=0/month=0), reached through the ETL's version symlinks. The events table is the part
files in (year, month) order, rows in file order. No browser."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.columns import ANCHOR, NODATE, ROW
from dashboard.data import (
    build_dataset,
    file_key,
    load_dataset,
    parquet_parts,
)
from dashboard.duck import rows_duckdb
from etl.schema import ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA, RUNS_SCHEMA, Col
from tests.dashboard import factories as fx

UNDATED = "year=0/month=0"


def ev(event_id: str, day: str | None = None, **kw) -> dict:
    if day is None:
        return fx.event(event_id=event_id, date_precision="unknown", **kw)
    return fx.event(event_id=event_id, event_date=day, **kw)


# partition -> its events in file order (the 2018-01 file is not in id order on purpose),
# partitions in table order: undated (year 0) first, month 3 before month 11
PARTS = {
    UNDATED: [
        ev("u1", killed=2, admin1="Nineveh"),
        ev("u2", latitude=36.3, longitude=43.1),
    ],
    "year=2017/month=3": [
        ev("e01", "2017-03-02", killed=3, latitude=33.3, longitude=44.4, admin1="Baghdad"),
        ev("e02", "2017-03-28", event_type="bombing", killed=5, admin1="Kirkuk"),
    ],
    "year=2017/month=11": [
        ev("e03", "2017-11-05", event_type="armed_clash", latitude=36.1, longitude=43.1),
        ev("e04", "2017-11-30", sources=["Rudaw", "Reuters"]),
    ],
    "year=2018/month=1": [
        ev("e07", "2018-01-03"),
        ev("e05", "2018-01-01", latitude=35.5, longitude=44.4),
        ev("e09", "2018-01-05", killed=1),
        ev("e06", "2018-01-02"),
        ev("e08", "2018-01-04", admin1="Kirkuk"),
    ],
}
# the table's rows, worked out by hand from PARTS
IDS = ["u1", "u2", "e01", "e02", "e03", "e04", "e07", "e05", "e09", "e06", "e08"]
CASUALTIES = [
    {Col.EVENT_ID: "e02", Col.ACTOR: "Civilians", Col.KILLED: 5},
    {Col.EVENT_ID: "e09", Col.ACTOR: "ISIS", Col.KILLED: 1},
    {Col.EVENT_ID: "u1", Col.ACTOR: "ISIS", Col.KILLED: 2},
]
RUNS = [
    {
        Col.RUN_ID: "r1",
        Col.STARTED: datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        Col.FINISHED: datetime(2025, 3, 1, 9, 1, tzinfo=UTC),
        Col.EVENTS: len(IDS),
    }
]


def write(d: Path, layout: str, parts: dict = PARTS, runs: list | None = RUNS) -> Path:
    """A data directory with the events as one file ("file") or partitioned ("dir")."""
    d.mkdir(parents=True)
    if layout == "file":
        rows = [e for key in parts for e in parts[key]]
        pq.write_table(fx.table(rows, EVENTS_SCHEMA), d / "events.parquet", row_group_size=3)
    else:
        for key in reversed(list(parts)):  # written out of order: order comes from the names
            out = d / "events.parquet" / key
            out.mkdir(parents=True)
            table = fx.table(parts[key], EVENTS_SCHEMA)
            pq.write_table(table, out / "part-0.parquet", row_group_size=2)
    pq.write_table(fx.table(CASUALTIES, CASUALTIES_SCHEMA), d / "casualties.parquet")
    pq.write_table(fx.table([], ARTICLES_SCHEMA), d / "articles.parquet")
    if runs is not None:
        pq.write_table(fx.table(runs, RUNS_SCHEMA), d / "runs.parquet")
    return d


def switch(d: Path, run: str) -> None:
    """What the ETL does: DIR/current -> .versions/<run> (one rename), and the table
    links DIR/<name>.parquet -> current/<name>.parquet."""
    tmp = d / "current.tmp"
    os.symlink(f".versions/{run}", tmp)
    os.replace(tmp, d / "current")
    for name in ("events", "casualties", "articles", "runs"):
        if not (d / f"{name}.parquet").is_symlink():
            os.symlink(f"current/{name}.parquet", d / f"{name}.parquet")


def no_background_load(ds) -> None:
    if ds._loader is not None:
        ds._loader.cancel()


@pytest.fixture(params=["file", "dir"])
def data(request, tmp_path) -> Path:
    return write(tmp_path / "data", request.param)


# --- tests ----------------------------------------------------------------------------------


def test_parquet_parts_are_sorted_by_relative_path(tmp_path):
    d = write(tmp_path / "data", "dir")
    (d / "events.parquet" / "year=2018" / ".part-9.parquet").write_bytes(b"temp")  # hidden
    got = [
        p.relative_to(d / "events.parquet").as_posix() for p in parquet_parts(d / "events.parquet")
    ]
    assert got == [f"{k}/part-0.parquet" for k in PARTS]  # undated, 2017-03, 2017-11, 2018-01
    assert parquet_parts(d / "runs.parquet") == [d / "runs.parquet"]
    assert parquet_parts(d / "missing.parquet") == []


def test_both_layouts_give_the_same_table_and_frame(tmp_path):
    flat = build_dataset(write(tmp_path / "flat", "file"))
    part = build_dataset(write(tmp_path / "part", "dir"))
    assert flat.problems == part.problems == ()
    for ds in (flat, part):
        assert ds.events.schema == EVENTS_SCHEMA  # no year/month columns from the paths
        assert ds.events.column(Col.EVENT_ID).to_pylist() == IDS
        assert ds.freshness.n_events == len(IDS)
    assert part.events.equals(flat.events)
    pd.testing.assert_frame_equal(part.frame, flat.frame)
    assert part.combos == flat.combos
    # the undated events are read, and sit first in the table
    anchor = part.frame[ANCHOR].to_numpy()
    assert list(anchor == NODATE) == [True, True] + [False] * 9
    assert part.frame[Col.ADMIN1].iloc[0] == "Nineveh"


def test_rows_by_position_across_partitions(data):
    ds = build_dataset(data)
    pos = np.array([0, 2, 8, 5, 8, 1, 6])
    want = ["u1", "e01", "e09", "e04", "e09", "u2", "e07"]
    # the DuckDB page path: only these rows are read
    parts, starts = ds._event_parts
    assert list(starts) == ([0, 11] if len(parts) == 1 else [0, 2, 4, 6, 11])
    page = ds.rows(pos, [Col.EVENT_ID, Col.KILLED])
    no_background_load(ds)
    assert ds.full_events is None  # not the fallback to the whole table
    assert page.column(Col.EVENT_ID).to_pylist() == want
    assert page.column(Col.KILLED).to_pylist() == [2, 3, 1, None, 1, None, None]
    whole_rows = rows_duckdb(parts, starts, pos)
    assert whole_rows is not None and whole_rows.column_names == EVENTS_SCHEMA.names
    assert rows_duckdb(parts, starts, np.array([11])) is None  # past the end
    # the full-table path gives the same records
    assert whole_rows.equals(ds.events.take(pa.array(pos)))
    assert ds.rows(pos).equals(whole_rows)


def test_event_ids_coords_and_casualties(data):
    ds = build_dataset(data)
    assert ds.event_ids.to_pylist() == IDS
    lat, lon = ds.coords
    nan = np.nan
    np.testing.assert_array_equal(lat, [nan, 36.3, 33.3, nan, 36.1, nan, nan, 35.5, nan, nan, nan])
    np.testing.assert_array_equal(lon, [nan, 43.1, 44.4, nan, 43.1, nan, nan, 44.4, nan, nan, nan])
    # casualties sit on their events' rows: u1 -> 0, e02 -> 3, e09 -> 8
    assert sorted(ds.casualties[ROW]) == [0, 3, 8]
    by_scan = ds.casualty_rows(["e09", "u1"])  # DuckDB, casualties table not read yet
    _ = ds.casualties_table
    by_index = ds.casualty_rows(["e09", "u1"], [8, 0])
    for got in (by_scan, by_index):
        assert sorted((r[Col.EVENT_ID], r[Col.KILLED]) for r in got) == [("e09", 1), ("u1", 2)]


def test_file_key_changes_when_a_new_version_is_switched_in(tmp_path):
    d = tmp_path / "data"
    second = {"year=2019/month=7": [ev("n1", "2019-07-01"), ev("n2", "2019-07-02")]}
    write(d / ".versions" / "run-1", "dir")
    write(d / ".versions" / "run-2", "dir", second)
    switch(d, "run-1")
    key1 = file_key(d)
    ds1 = load_dataset(d)
    assert ds1.event_ids.to_pylist() == IDS and load_dataset(d) is ds1
    assert key1[1][:2] == ("events", os.path.realpath(d / ".versions/run-1/events.parquet"))
    switch(d, "run-2")
    assert file_key(d) != key1
    ds2 = load_dataset(d)
    assert ds2 is not ds1 and ds2.event_ids.to_pylist() == ["n1", "n2"]
    page = ds2.rows(np.array([1, 0]), [Col.EVENT_ID])
    no_background_load(ds2)
    assert page.column(Col.EVENT_ID).to_pylist() == ["n2", "n1"]
    # a data set built before the switch keeps reading its own version
    page = ds1.rows(np.array([1, 2]), [Col.EVENT_ID])
    no_background_load(ds1)
    assert page.column(Col.EVENT_ID).to_pylist() == ["u2", "e01"]


def test_freshness_from_the_part_files_times(tmp_path):
    d = write(tmp_path / "data", "dir", runs=None)
    newest = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC).timestamp()
    for p in [
        *parquet_parts(d / "events.parquet"),
        d / "articles.parquet",
        d / "casualties.parquet",
    ]:
        os.utime(p, (newest - 3600, newest - 3600))
    os.utime(d / "events.parquet" / UNDATED / "part-0.parquet", (newest, newest))
    ds = build_dataset(d)
    assert ds.freshness.built_from == "file times"
    assert ds.freshness.built == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_a_corrupt_part_file_is_reported_not_fatal(tmp_path):
    d = write(tmp_path / "data", "dir")
    (d / "events.parquet" / "year=2017" / "month=11" / "part-0.parquet").write_bytes(b"nope")
    ds = build_dataset(d)
    assert len(ds.frame) == 0 and any("events.parquet" in p for p in ds.problems)
