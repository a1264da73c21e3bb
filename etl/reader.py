"""Reading a data directory consistently: one version for the whole read.

A run switches `DIR/current` to a new version while readers may be reading. A
reader that opens `DIR/events.parquet` (a link through `current`) file by file can
get some files of one version and some of the next. The functions here resolve
`current` once and read every file from that version's directory:

    from etl.reader import open_version, read_table
    events = read_table("data", "events")              # one table, one version
    v = open_version("data")                           # several tables, one version
    events, articles = v.table("events"), v.table("articles", ["article_id", "status"])
    v.path / "events.parquet"                          # for DuckDB, Spark, pandas

A replaced version stays on disk for `etl.store.GRACE_SECONDS` (and the last
`KEEP_VERSIONS` always), so a read that pinned one has that long to finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .schema import TABLES
from .store import VERSIONS, current_dir, read_parts
from .store import read_table as _read_flat


@dataclass(frozen=True)
class Version:
    """One version of a data directory: its tables, read from `path` only."""

    path: Path  # the version's directory (the data directory itself in the old flat layout)

    @property
    def run_id(self) -> str | None:
        """The run that wrote this version (None in the old flat layout)."""
        return self.path.name if self.path.parent.name == VERSIONS else None

    def table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """Table `name` (articles, events, casualties, runs) with its schema's types;
        events in table order (see etl.store.parts)."""
        schema = _schema(name)
        if name == "events":
            return read_parts(self.path / "events.parquet", schema, columns)
        table = _read_flat(self.path, name, schema)
        if table is None:
            table = schema.empty_table()
        return table.select(columns) if columns else table

    def pandas(self, name: str, columns: list[str] | None = None):
        return self.table(name, columns).to_pandas()


def _schema(name: str) -> pa.Schema:
    if name not in TABLES:
        raise ValueError(f"table {name!r} is not one of: {', '.join(TABLES)}")
    return TABLES[name]


def open_version(data_dir: str | Path) -> Version:
    """The version `DIR/current` points to now (resolved once; later switches do not
    change what this object reads). FileNotFoundError for a directory with no dataset."""
    where = current_dir(Path(data_dir))
    if where is None:
        raise FileNotFoundError(f"no Sortie dataset in {data_dir} (no {data_dir}/current)")
    return Version(where)


def read_table(data_dir: str | Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """Table `name` of the current version, every file from that one version."""
    _schema(name)
    return open_version(data_dir).table(name, columns)
