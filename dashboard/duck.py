"""Reads of a few rows by position with DuckDB, straight from the Parquet files (the
drill-down's first pages, before the whole events table is in memory). None when
DuckDB fails: the caller then reads the table itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.frames import conform
from etl.schema import EVENTS_SCHEMA, Col


def query_duckdb(sql: str, params: dict) -> pa.Table | None:
    try:
        import duckdb

        con = duckdb.connect()
        try:
            return con.sql(sql, params=params).to_arrow_table()
        finally:
            con.close()
    except Exception:
        return None


def rows_duckdb(
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
    t = query_duckdb(
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
