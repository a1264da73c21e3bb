"""Output stage: records -> Parquet tables in the data directory, switched atomically.

Layout of a data directory:

    DIR/.versions/<run_id>/{articles,casualties,runs}.parquet
    DIR/.versions/<run_id>/events.parquet/year=YYYY/month=M/part-0.parquet
    DIR/.versions/<run_id>/_raw_{events,casualties}.parquet   (pre-dedup state)
    DIR/current -> .versions/<run_id>                         (symlink)
    DIR/<table>.parquet -> current/<table>.parquet            (symlinks)

A run writes a complete new version into a hidden temporary directory, fsyncs
it, renames it into `.versions/`, and then flips `current` with one atomic
`rename(2)` of a symlink. A reader that resolves `current` once and reads
that version's files (etl.reader) sees the old dataset or the new one, never a mix
and never a half-written file; one that opens `DIR/events.parquet` file by file
can see parts of two versions. A run killed at any point leaves `current` on the previous
version; its leftovers are removed by the next run. The last `KEEP_VERSIONS`
versions are kept, and an older one until `GRACE_SECONDS` after it was replaced (a
reader that pinned it, see etl.reader, can finish).

The events table is a Hive-partitioned dataset by the year and month of each event
(`event_date`, else the start, else the end of its window; `year=0/month=0` holds
the undated ones): a folder named `events.parquet` that pandas, pyarrow, DuckDB
(`read_parquet('DIR/events.parquet/**/*.parquet', hive_partitioning = true)`) and
Spark read as one table. Its row order is the part files' in (year, month) order, then
each file's; `parts` lists them so and `read_events` reads the table so.

A directory in the old flat layout (plain `DIR/<table>.parquet` files) is read
as the previous state and converted on the first write.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .reader import (  # noqa: F401 -- reading lives in etl.reader; re-exported here
    CURRENT,
    VERSIONS,
    conform,
    current_dir,
    parts,
    read_events,
    read_parts,
)
from .reader import read_stored as read_table
from .schema import (
    ARTICLES_SCHEMA,
    CASUALTIES_SCHEMA,
    EVENTS_SCHEMA,
    RUNS_SCHEMA,
    Article,
    Casualty,
    Event,
)

PUBLIC_TABLES = ("articles", "events", "casualties", "runs")
RAW_EVENTS = "_raw_events"
RAW_CASUALTIES = "_raw_casualties"
KEEP_VERSIONS = 3
GRACE_SECONDS = 600.0  # a replaced version stays at least this long (readers in flight)
GRACE_ENV = "SORTIE_VERSION_GRACE_SECONDS"
EVENT_BATCH = 2_000  # event rows converted to Arrow at a time
EVENT_ROW_GROUP = 50_000  # rows per row group of an events part file
# test hook: seconds to sleep after each table is written (to kill a run mid-write)
SLEEP_ENV = "SORTIE_TEST_SLEEP_IN_WRITE"


# --- records <-> rows --------------------------------------------------------


ARTICLE_FIELDS = tuple(n for n in ARTICLES_SCHEMA.names if n != "n_events")


def article_rows(articles: Iterable[Article], n_events: dict[str, int]) -> list[dict]:
    return list(iter_article_rows(articles, n_events))


def iter_article_rows(articles: Iterable[Article], n_events: dict[str, int]) -> Iterator[dict]:
    for a in articles:
        row = {name: getattr(a, name) for name in ARTICLE_FIELDS}
        row["n_events"] = n_events.get(a.article_id, 0)
        yield row


def event_rows(events: Iterable[Event]) -> list[dict]:
    return list(iter_event_rows(events))


def iter_event_rows(events: Iterable[Event]) -> Iterator[dict]:
    for e in events:
        row = {name: getattr(e, name) for name in EVENTS_SCHEMA.names}
        for name in ("article_ids", "sources", "urls", "merged_from"):
            row[name] = list(row[name])
        yield row


def casualty_rows(events: Iterable[Event]) -> list[dict]:
    return list(iter_casualty_rows(events))


CASUALTY_FIELDS = tuple(f.name for f in dataclasses.fields(Casualty))


def iter_casualty_rows(events: Iterable[Event]) -> Iterator[dict]:
    for e in events:
        for c in e.casualties:
            yield {"event_id": e.event_id, **{name: getattr(c, name) for name in CASUALTY_FIELDS}}


def articles_from_table(table: pa.Table | None) -> list[Article]:
    """Article records (without text) back from an articles table."""
    if table is None:
        return []
    names = {f.name for f in dataclasses.fields(Article)}
    return [Article(**{k: v for k, v in row.items() if k in names}) for row in table.to_pylist()]


# --- files -------------------------------------------------------------------


def _fsync(path: Path) -> None:
    """Flush a file's or a directory's data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _batches(rows: Iterable[dict], schema: pa.Schema, size: int) -> Iterator[pa.Table]:
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield pa.Table.from_pylist(batch, schema=schema)


def write_table(
    rows: Iterable[dict] | Iterable[pa.Table] | pa.Table,
    schema: pa.Schema,
    path: Path,
    batch: int = 10_000,
) -> None:
    """One table to `path` via a temporary file + fsync + rename.

    `rows`: a table, dicts (converted `batch` at a time, so a large table never
    exists as one list of dicts) or `Tables` (pieces of the table, written as they come)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(rows, pa.Table):
            pq.write_table(rows, tmp)
        else:
            with pq.ParquetWriter(tmp, schema) as writer:
                empty = True
                pieces = rows.tables if isinstance(rows, Tables) else _batches(rows, schema, batch)
                for table in pieces:
                    writer.write_table(table)
                    empty = False
                if empty:
                    writer.write_table(schema.empty_table())
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    _sleep_if_testing()


class Tables:
    """Pieces of a table, for `write_table`."""

    def __init__(self, tables: Iterable[pa.Table]):
        self.tables = tables


def _atomic_symlink(target: str, link: Path) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}.lnk")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


# --- the partitioned events table ---------------------------------------------

UNDATED = (0, 0)  # the (year, month) partition of events without any date
PART_FILE = "part-0.parquet"


def partition_of(e: Event) -> tuple[int, int]:
    """(year, month) an event is stored under: of its date, else its window's start or end."""
    d = e.event_date or e.date_start or e.date_end
    return (d.year, d.month) if d else UNDATED


def partition_dir(year: int, month: int) -> str:
    return f"year={year}/month={month}"  # unpadded: DuckDB and pyarrow read them as integers


class PartitionedWriter:
    """Events (any order) -> the year/month partitioned folder, in bounded memory.

    An external bucket sort: events are buffered `buffer` at a time; a full buffer is
    written to a run file (Arrow IPC), sorted by month. `close` writes each month's
    part file from that month's pieces of every run, so memory holds
    one buffer, then one month of rows, whatever the number of events. Within a month,
    events keep the order they came in."""

    def __init__(self, path: Path, buffer: int = 2_000):
        self.path, self.size = Path(path), buffer
        self.buffer: list[Event] = []
        self.runs: list[tuple[Path, dict]] = []  # run file, month -> its batches
        self.work = self.path.with_name(f".{self.path.name}.runs")

    @property
    def buffered(self) -> int:
        return len(self.buffer)

    def add(self, e: Event) -> None:
        self.buffer.append(e)
        if len(self.buffer) >= self.size:
            self._spill()

    def _by_month(self) -> dict[tuple[int, int], list[Event]]:
        months: dict[tuple[int, int], list[Event]] = {}
        for e in self.buffer:
            months.setdefault(partition_of(e), []).append(e)
        self.buffer = []
        return dict(sorted(months.items()))

    def _spill(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        run = self.work / f"run-{len(self.runs)}.arrow"
        pieces = (
            (month, pa.Table.from_pylist(list(iter_event_rows(events)), schema=EVENTS_SCHEMA))
            for month, events in self._by_month().items()
        )
        self.runs.append((run, write_run(run, EVENTS_SCHEMA, pieces)))

    def _write_part(self, month: tuple[int, int], table: pa.Table) -> None:
        out = self.path / partition_dir(*month) / PART_FILE
        out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out, row_group_size=EVENT_ROW_GROUP)
        _fsync(out)

    def close(self) -> None:
        """Write every month's part file (an empty table: one empty undated part)."""
        if not self.runs:  # everything fits in one buffer
            months = self._by_month()
            for month, events in months.items():
                rows = list(iter_event_rows(events))
                self._write_part(month, pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA))
            if not months:
                self._write_part(UNDATED, EVENTS_SCHEMA.empty_table())
        else:
            if self.buffer:
                self._spill()
            for month in sorted({m for _, groups in self.runs for m in groups}):
                pieces = [
                    read_run(path, g[month], EVENTS_SCHEMA) for path, g in self.runs if month in g
                ]
                self._write_part(month, pa.concat_tables(pieces))
            shutil.rmtree(self.work, ignore_errors=True)
        for d in [self.path, *(p for p in self.path.rglob("*") if p.is_dir())]:
            _fsync(d)


def write_run(path: Path, schema: pa.Schema, pieces: Iterable[tuple]) -> dict:
    """Pieces (key, table) of a sorted run to an Arrow IPC file (cheap to open and to
    read a piece of, unlike Parquet); returns key -> its batches, for `read_run`."""
    index = {}
    n = 0
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as w:
        for key, table in pieces:
            batches = table.to_batches()
            for b in batches:
                w.write_batch(b)
            index[key] = (n, len(batches))
            n += len(batches)
    return index


def read_run(path: Path, span: tuple[int, int], schema: pa.Schema) -> pa.Table:
    """One piece of a run file, opened for it (runs are many: no file stays open)."""
    with pa.OSFile(str(path)) as src:
        reader = pa.ipc.open_file(src)
        batches = [reader.get_batch(i) for i in range(span[0], span[0] + span[1])]
    return pa.Table.from_batches(batches, schema=schema)


@dataclasses.dataclass
class Snapshot:
    """What a data directory holds now (the state an incremental run starts from).

    Nothing is loaded but the run log: the state reads the columns it needs, and the
    next version's tables are streamed from these files."""

    articles_path: Path | None
    raw_event_parts: list[Path]  # per-article events before cross-article dedup
    raw_casualties_path: Path | None
    runs: pa.Table


def load(data_dir: Path) -> Snapshot:
    where = current_dir(data_dir)
    articles = where / "articles.parquet" if where is not None else None
    if articles is not None and not articles.exists():
        articles = None
    if articles is not None:
        missing = set(ARTICLES_SCHEMA.names) - set(pq.read_schema(articles).names)
        if missing:
            raise ValueError(f"{articles} lacks columns {sorted(missing)}")
    raw_parts: list[Path] = []
    raw_cas = None
    if where is not None:
        # a dataset written before dedup existed: its events are the raw ones
        have_raw = (where / f"{RAW_EVENTS}.parquet").exists()
        events, cas = (RAW_EVENTS, RAW_CASUALTIES) if have_raw else ("events", "casualties")
        if (where / f"{events}.parquet").exists():
            raw_parts = parts(where / f"{events}.parquet")
        if (where / f"{cas}.parquet").exists():
            raw_cas = where / f"{cas}.parquet"
    runs = read_table(where, "runs", RUNS_SCHEMA) or RUNS_SCHEMA.empty_table()
    return Snapshot(articles, raw_parts, raw_cas, runs)


def iter_table_batches(paths: Iterable[Path], schema: pa.Schema, rows: int = EVENT_BATCH):
    """Batches (as Tables conformed to `schema`) of one or more Parquet files in turn."""
    for path in paths:
        for batch in pq.ParquetFile(path).iter_batches(rows, use_threads=False):
            yield conform(pa.Table.from_batches([batch]), schema)


def iter_raw_events(events_path: Path, casualties_path: Path | None) -> Iterator[Event]:
    """Events back from an events file and its casualties file, streamed side by side:
    both are written in the same order (an event's casualty rows together, events in
    table order), so only the casualties of the current event are held."""
    cas_rows: Iterator[dict] = iter(())
    if casualties_path is not None and casualties_path.exists():
        cas_rows = (
            row
            for t in iter_table_batches([casualties_path], CASUALTIES_SCHEMA)
            for row in t.to_pylist()
        )
    nxt = next(cas_rows, None)
    for t in iter_table_batches([events_path], EVENTS_SCHEMA):
        for row in t.to_pylist():
            mine = []
            while nxt is not None and nxt["event_id"] == row["event_id"]:
                nxt.pop("event_id")
                mine.append(Casualty(**nxt))
                nxt = next(cas_rows, None)
            for name in ("article_ids", "sources", "urls", "merged_from"):
                row[name] = tuple(row[name] or ())
            yield Event(**row, casualties=tuple(mine))
    if nxt is not None:
        raise ValueError(
            f"{casualties_path}: casualties of event {nxt['event_id']!r} are not in the "
            "events' order (or their event is missing)"
        )


def new_run_id() -> str:
    """Sortable, unique per run: UTC time to the microsecond plus the pid."""
    now = datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S.%fZ") + f"-{os.getpid()}"


def _clean_leftovers(versions: Path, keep: Path | None = None) -> None:
    """Drop half-written versions of killed runs (the caller holds the lock)."""
    for p in versions.glob(".tmp-*"):
        if p != keep:
            shutil.rmtree(p, ignore_errors=True)


def begin_version(data_dir: Path, run_id: str) -> Path:
    """The (empty) directory the version of run `run_id` is written into; a run can keep
    its working files there (they are dropped with it if the run is killed)."""
    versions = Path(data_dir) / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(versions)
    tmp = versions / f".tmp-{run_id}"
    tmp.mkdir()
    return tmp


def grace_seconds() -> float:
    """How long a replaced version stays for readers still in it (GRACE_ENV overrides)."""
    raw = os.environ.get(GRACE_ENV)
    try:
        return float(raw) if raw else GRACE_SECONDS
    except ValueError:
        raise ValueError(f"{GRACE_ENV}={raw!r} is not a number of seconds") from None


def _prune(data_dir: Path, versions: Path, keep: int, grace: float | None = None) -> None:
    """Remove old versions: beyond the last `keep`, one is removed once it was replaced
    (its successor's last change) at least `grace` seconds ago, so a reader that pinned
    it (etl.reader) has that long to finish."""
    grace = grace_seconds() if grace is None else grace
    live = (data_dir / CURRENT).resolve()
    old = sorted(p for p in versions.iterdir() if not p.name.startswith("."))
    now = time.time()
    for p, successor in zip(old[:-keep], old[1:], strict=False):
        try:
            replaced_at = successor.stat().st_mtime
        except OSError:
            continue
        if p.resolve() != live and now - replaced_at >= grace:
            shutil.rmtree(p, ignore_errors=True)


def write_dataset(
    data_dir: Path,
    articles: Iterable[Article] | Callable[[dict[str, int]], Iterable[pa.Table]],
    events: Iterable[Event],
    *,
    raw_events: Iterable[Event] | None = None,
    runs: pa.Table | None = None,
    run_id: str | None = None,
) -> Path:
    """Write a complete new version and switch `DIR/current` to it; returns its directory.

    `events` is read once, as a stream. `articles`: records, or a function from
    `n_events` (article id -> events) to the articles table's pieces. `raw_events`:
    the per-article events before dedup; None when the run already wrote the raw
    tables into the version's directory (see `begin_version`), or, if it did not,
    the events themselves. Other files there (working files of the run) are removed."""
    data_dir = Path(data_dir)
    versions = data_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    run_id = run_id or new_run_id()
    tmp = versions / f".tmp-{run_id}"
    _clean_leftovers(versions, keep=tmp)
    tmp.mkdir(exist_ok=True)
    n_events: dict[str, int] = {}
    raw_given = raw_events is not None or not (tmp / f"{RAW_EVENTS}.parquet").exists()
    raw_copy: list[Event] = []  # only when the events are also the raw events

    def counted(stream: Iterable[Event]) -> Iterator[Event]:
        for e in stream:
            for aid in e.article_ids:
                n_events[aid] = n_events.get(aid, 0) + 1
            if raw_given and raw_events is None:
                raw_copy.append(e)
            yield e

    events_out = PartitionedWriter(tmp / "events.parquet")
    with pq.ParquetWriter(tmp / "casualties.parquet", CASUALTIES_SCHEMA) as cas_out:
        cas_out.write_table(CASUALTIES_SCHEMA.empty_table())
        for chunk in _chunked(counted(events), EVENT_BATCH):
            for e in chunk:
                events_out.add(e)
            if any(e.casualties for e in chunk):
                rows = list(iter_casualty_rows(chunk))
                cas_out.write_table(pa.Table.from_pylist(rows, schema=CASUALTIES_SCHEMA))
    events_out.close()
    _fsync(tmp / "casualties.parquet")
    _sleep_if_testing()
    if raw_given:
        raw = raw_copy if raw_events is None else raw_events
        write_raw_tables(raw, tmp)
    write_table(
        runs if runs is not None else RUNS_SCHEMA.empty_table(), RUNS_SCHEMA, tmp / "runs.parquet"
    )
    if callable(articles):
        pieces = Tables(articles(n_events))
        write_table(pieces, ARTICLES_SCHEMA, tmp / "articles.parquet")
    else:
        write_table(
            iter_article_rows(articles, n_events), ARTICLES_SCHEMA, tmp / "articles.parquet"
        )
    tables = {f"{name}.parquet" for name in (*PUBLIC_TABLES, RAW_EVENTS, RAW_CASUALTIES)}
    for p in tmp.iterdir():
        if p.name not in tables:
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    _fsync(tmp)
    final = versions / run_id
    os.rename(tmp, final)
    _fsync(versions)
    # the switch: one rename of a symlink
    _atomic_symlink(f"{VERSIONS}/{run_id}", data_dir / CURRENT)
    for name in PUBLIC_TABLES:
        link = data_dir / f"{name}.parquet"
        target = f"{CURRENT}/{name}.parquet"
        if not (link.is_symlink() and os.readlink(link) == target):
            _atomic_symlink(target, link)  # first write, or converting a flat layout
    _fsync(data_dir)
    _prune(data_dir, versions, KEEP_VERSIONS)
    return final


def write_raw_tables(raw: Iterable[Event], directory: Path) -> None:
    """The per-article events (before dedup) and their casualties, as the state keeps them."""
    raw = list(raw) if not isinstance(raw, list) else raw
    write_table(
        iter_event_rows(raw), EVENTS_SCHEMA, directory / f"{RAW_EVENTS}.parquet", EVENT_BATCH
    )
    write_table(iter_casualty_rows(raw), CASUALTIES_SCHEMA, directory / f"{RAW_CASUALTIES}.parquet")


def _chunked(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _sleep_if_testing() -> None:
    delay = os.environ.get(SLEEP_ENV)
    if delay:
        time.sleep(float(delay))
