"""The events table as a year/month partitioned dataset, and the readers that see it whole."""

from datetime import date

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from etl.schema import EVENTS_SCHEMA, Event
from etl.store import partition_of, parts, read_events, write_dataset


def ev(eid, when=None, start=None, end=None, precision="unknown"):
    return Event(
        event_id=eid,
        article_ids=(f"a-{eid}",),
        event_type="airstrike",
        event_date=when,
        date_start=start,
        date_end=end,
        date_precision=precision,
        admin1="Kirkuk",
    )


EVENTS = [
    ev("e1", date(2023, 11, 3), precision="day"),
    ev("e2", None, date(2023, 2, 20), date(2023, 3, 5), "week"),  # the window's start month
    ev("e3", None, None, date(2021, 6, 30), "month"),  # only an end
    ev("e4"),  # no date at all
    ev("e5", date(2023, 11, 28), precision="day"),
    ev("e6", date(2019, 1, 1), precision="day"),
]


def test_partition_of_uses_date_then_window_start_then_end():
    assert [partition_of(e) for e in EVENTS] == [
        (2023, 11),
        (2023, 2),
        (2021, 6),
        (0, 0),
        (2023, 11),
        (2019, 1),
    ]


def test_events_are_written_one_folder_per_month_and_read_back_in_month_order(tmp_path):
    write_dataset(tmp_path, [], EVENTS)
    folder = tmp_path / "events.parquet"
    assert folder.is_dir()
    assert [p.relative_to(folder).as_posix() for p in parts(folder)] == [
        "year=0/month=0/part-0.parquet",
        "year=2019/month=1/part-0.parquet",
        "year=2021/month=6/part-0.parquet",
        "year=2023/month=2/part-0.parquet",
        "year=2023/month=11/part-0.parquet",
    ]
    for p in parts(folder):
        assert pq.read_schema(p).equals(EVENTS_SCHEMA)
    table = read_events(tmp_path)
    assert table.schema.equals(EVENTS_SCHEMA)  # no year/month columns added
    # month order; within a month, the order they were given in
    assert table["event_id"].to_pylist() == ["e4", "e6", "e3", "e2", "e1", "e5"]


def test_the_partitioned_table_reads_whole_with_pandas_and_duckdb(tmp_path):
    write_dataset(tmp_path, [], EVENTS)
    df = pd.read_parquet(tmp_path / "events.parquet")  # how the scorer and users read it
    assert sorted(df["event_id"]) == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert dict(zip(df["event_id"], df["year"].astype(int), strict=True))["e2"] == 2023
    rows = duckdb.sql(
        f"SELECT year, month, count(*) AS n FROM read_parquet("
        f"'{tmp_path}/events.parquet/**/*.parquet', hive_partitioning = true) "
        "GROUP BY ALL ORDER BY year, month"
    ).fetchall()
    assert rows == [(0, 0, 1), (2019, 1, 1), (2021, 6, 1), (2023, 2, 1), (2023, 11, 2)]


def test_an_empty_events_table_is_one_empty_part_with_the_schema(tmp_path):
    write_dataset(tmp_path, [], [])
    [part] = parts(tmp_path / "events.parquet")
    assert pq.read_schema(part).equals(EVENTS_SCHEMA)
    assert read_events(tmp_path).num_rows == 0


def test_a_new_version_drops_months_that_no_longer_have_events(tmp_path):
    write_dataset(tmp_path, [], EVENTS)
    write_dataset(tmp_path, [], EVENTS[:1])
    assert [p.parent.parent.name for p in parts(tmp_path / "events.parquet")] == ["year=2023"]
    assert read_events(tmp_path)["event_id"].to_pylist() == ["e1"]


def test_a_flat_events_file_from_older_versions_still_reads(tmp_path):
    from etl.store import event_rows, write_table

    write_table(event_rows(EVENTS[:2]), EVENTS_SCHEMA, tmp_path / "events.parquet")
    assert read_events(tmp_path)["event_id"].to_pylist() == ["e1", "e2"]


def test_the_writer_keeps_few_rows_in_memory_and_months_in_order(tmp_path):
    from etl.store import PartitionedWriter

    # 3 rows a month from 40 months, interleaved; buffers of 7 rows spilled to runs
    events = [
        ev(f"m{m:02d}-{k}", date(2020 + m // 12, 1 + m % 12, 1 + k))
        for k in range(3)
        for m in range(40)
    ]
    w = PartitionedWriter(tmp_path / "events.parquet", buffer=7)
    most = 0
    for e in events:
        w.add(e)
        most = max(most, w.buffered)
    w.close()
    assert most < 7 and len(w.runs) == 18  # 17 full buffers, then the rest at close
    assert not w.work.exists()  # the run files are gone
    assert len(parts(tmp_path / "events.parquet")) == 40
    got = read_events(tmp_path)["event_id"].to_pylist()
    assert got == [f"m{m:02d}-{k}" for m in range(40) for k in range(3)]
    for p in parts(tmp_path / "events.parquet"):  # one row group a month
        assert pq.ParquetFile(p).metadata.num_row_groups == 1
