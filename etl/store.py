"""Output stage: records -> Parquet tables in the data directory, written atomically.

Each table is written to a temporary file in the same directory and renamed
over the old one, so a reader sees either the old or the new file, never a
half-written one.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA, Article, Event


def article_rows(articles: Iterable[Article], n_events: dict[str, int]) -> list[dict]:
    rows = []
    for a in articles:
        row = {k: v for k, v in dataclasses.asdict(a).items() if k in ARTICLES_SCHEMA.names}
        row["n_events"] = n_events.get(a.article_id, 0)
        rows.append(row)
    return rows


def event_rows(events: Iterable[Event]) -> list[dict]:
    rows = []
    for e in events:
        row = {name: getattr(e, name) for name in EVENTS_SCHEMA.names}
        for name in ("article_ids", "sources", "urls", "merged_from"):
            row[name] = list(row[name])
        rows.append(row)
    return rows


def casualty_rows(events: Iterable[Event]) -> list[dict]:
    return [{"event_id": e.event_id, **dataclasses.asdict(c)} for e in events for c in e.casualties]


def write_table(rows: list[dict], schema: pa.Schema, path: Path) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_dataset(data_dir: Path, articles: list[Article], events: list[Event]) -> None:
    n_events: dict[str, int] = {}
    for e in events:
        for aid in e.article_ids:
            n_events[aid] = n_events.get(aid, 0) + 1
    data_dir = Path(data_dir)
    write_table(event_rows(events), EVENTS_SCHEMA, data_dir / "events.parquet")
    write_table(casualty_rows(events), CASUALTIES_SCHEMA, data_dir / "casualties.parquet")
    # articles last: its mtime says when the dataset was completed
    write_table(article_rows(articles, n_events), ARTICLES_SCHEMA, data_dir / "articles.parquet")
