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
import pyarrow.parquet as pq

from .schema import EVENTS_SCHEMA, TABLES

VERSIONS = ".versions"
CURRENT = "current"


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
        table = read_stored(self.path, name, schema)
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


# --- the files of a version (etl.store writes them) -------------------------------


def current_dir(data_dir: Path) -> Path | None:
    """Directory holding the current version's tables (None for an empty data dir)."""
    data_dir = Path(data_dir)
    link = data_dir / CURRENT
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        if not target.is_dir():  # never start over silently on a broken dataset
            raise FileNotFoundError(f"{link} points to a missing version: {target}")
        return target
    if (data_dir / "articles.parquet").is_file():  # old flat layout
        return data_dir
    return None


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with `schema`'s columns, in its order and types; a column the table lacks
    (a file written before the column existed) is added as nulls."""
    for f in schema:
        if f.name not in table.column_names:
            table = table.append_column(f.name, pa.nulls(len(table), f.type))
    return table.select(schema.names).cast(schema)


def _read_file(path: Path, names: list[str]) -> pa.Table:
    have = set(pq.read_schema(path).names)
    return pq.read_table(path, columns=[n for n in names if n in have])


def read_stored(directory: Path | None, name: str, schema: pa.Schema) -> pa.Table | None:
    """Table `name` of one version's directory with `schema` (None if it has none)."""
    if directory is None or not (directory / f"{name}.parquet").exists():
        return None
    path = directory / f"{name}.parquet"
    if path.is_dir():
        return read_parts(path, schema)
    return conform(pq.read_table(path), schema)


def _part_key(rel: Path) -> tuple:
    """Sort key of a part file's relative path: `year=2023/month=2` before `month=11`."""
    return tuple(
        (k, int(v), "") if v.isdigit() else (k, -1, v)
        for k, _, v in (seg.partition("=") for seg in rel.parts)
    )


def parts(path: Path) -> list[Path]:
    """The Parquet files of a table, in table order: [path] for a file; for a
    partitioned folder its part files in (year, month) order (names starting with "."
    or "_" left out, as pyarrow does); [] if there is nothing at `path`."""
    path = Path(path)
    if not path.is_dir():
        return [path] if path.exists() else []
    found = []
    for p in path.rglob("*.parquet"):
        rel = p.relative_to(path)
        if p.is_file() and not any(n.startswith((".", "_")) for n in rel.parts):
            found.append((_part_key(rel), p))
    return [p for _, p in sorted(found)]


def read_parts(path: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """A table stored as a file or a partitioned folder, in table order (`parts`); the
    partition keys (year, month) are not added as columns."""
    names = columns or schema.names
    pieces = [_read_file(p, names) for p in parts(path)]
    sub = pa.schema([schema.field(n) for n in names])
    if not pieces:
        return sub.empty_table()
    return pa.concat_tables([conform(t, sub) for t in pieces])


def read_events(data_dir: Path, columns: list[str] | None = None) -> pa.Table:
    """The events table of a data directory (either layout), in table order, all from
    one version (`current` is resolved once; see etl.reader for every table)."""
    where = current_dir(Path(data_dir))
    if where is None:
        return read_parts(Path(data_dir) / "events.parquet", EVENTS_SCHEMA, columns)
    return read_parts(where / "events.parquet", EVENTS_SCHEMA, columns)
