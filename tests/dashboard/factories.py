"""Small hand-made data sets for the dashboard tests, written as schema-conformant Parquet.

`seed_like()` mirrors the shape of the ETL's output for the 5 seed articles (values
modelled on the gold annotations, wording our own), plus one article whose evidence
holds HTML and a script tag, to test escaping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.frames import conform
from etl.schema import ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA, RUNS_SCHEMA, Col

XSS = '<script>alert(1)</script><b>bold?</b> <img src=x onerror="alert(2)">'


def event(**kw) -> dict:
    """An events row with sensible defaults; dates may be ISO strings."""
    row = {
        Col.EVENT_ID: kw.pop("event_id", "e1"),
        Col.ARTICLE_IDS: ["a1"],
        Col.EVENT_TYPE: "airstrike",
        Col.DATE_PRECISION: "day",
        Col.COUNTRY: "Iraq",
        Col.IS_AGGREGATE: False,
        Col.EVIDENCE: "",
        Col.CONFIDENCE: 0.8,
        Col.SOURCES: ["Shafaq News"],
        Col.URLS: ["https://example.org/a1"],
        Col.MERGED_FROM: [],
    }
    row.update(kw)
    for c in (Col.EVENT_DATE, Col.DATE_START, Col.DATE_END):
        if isinstance(row.get(c), str):
            row[c] = date.fromisoformat(row[c])
    if row[Col.DATE_PRECISION] == "day" and row.get(Col.EVENT_DATE):
        row.setdefault(Col.DATE_START, row[Col.EVENT_DATE])
        row.setdefault(Col.DATE_END, row[Col.EVENT_DATE])
    return row


def table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    if not rows:
        return schema.empty_table()
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return conform(
        pa.table({k: pa.array(v, schema.field(k).type) for k, v in cols.items()}), schema
    )


def events_frame(rows: list[dict]) -> pd.DataFrame:
    """Events as a pandas DataFrame (what the data layer's pure functions accept)."""
    return table([event(**r) for r in rows], EVENTS_SCHEMA).to_pandas()


def write(
    out: Path,
    events: list[dict],
    casualties: list[dict] = (),
    articles: list[dict] = (),
    runs: list[dict] | None = None,
) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(table([event(**e) for e in events], EVENTS_SCHEMA), out / "events.parquet")
    pq.write_table(table(list(casualties), CASUALTIES_SCHEMA), out / "casualties.parquet")
    pq.write_table(table(list(articles), ARTICLES_SCHEMA), out / "articles.parquet")
    if runs is not None:
        pq.write_table(table(runs, RUNS_SCHEMA), out / "runs.parquet")
    return out


def article(aid: str, source: str, status: str = "ok", pub: str | None = None) -> dict:
    return {
        Col.ARTICLE_ID: aid,
        Col.ORIGIN: f"seeds/{aid}.txt",
        Col.URL: f"https://example.org/{aid}",
        Col.SOURCE: source,
        Col.PUB_DATE: date.fromisoformat(pub) if pub else None,
        Col.STATUS: status,
    }


SEED_EVENTS = [
    dict(
        event_id="s000-1",
        article_ids=["a000"],
        event_type="airstrike",
        event_date="2023-05-16",
        date_start="2023-05-09",
        date_end="2023-05-16",
        date_precision="week",
        date_text="recently carried out airstrikes",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Kirkuk",
        location="Wadi al-Shai",
        weapon="F-16",
        strikes=1,
        killed=7,
        evidence="Iraqi F-16s struck an ISIS hideout; seven militants were reported dead.",
        sources=["Shafaq News"],
        urls=["https://example.org/shafaq/000"],
    ),
    dict(
        event_id="s000-agg",
        article_ids=["a000"],
        event_type="airstrike",
        date_start="2023-01-01",
        date_end="2023-05-24",
        date_precision="unknown",
        date_text="since the beginning of this year",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        strikes=35,
        is_aggregate=True,
        evidence="About 35 airstrikes since January, the command said.",
        sources=["Shafaq News"],
        urls=["https://example.org/shafaq/000"],
    ),
    dict(
        event_id="s001-1",
        article_ids=["a001"],
        event_type="airstrike",
        event_date="2024-10-15",
        date_start="2024-10-14",
        date_end="2024-10-15",
        date_precision="day",
        date_text="On Tuesday",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Kirkuk",
        location="Laylan",
        latitude=35.33,
        longitude=44.53,
        weapon="F-16",
        strikes=2,
        killed=4,
        evidence="Two strikes near Laylan killed four militants, including a leader.",
        sources=["Kurdistan24"],
        urls=["https://example.org/k24/001"],
    ),
    dict(
        event_id="s001-2",
        article_ids=["a001"],
        event_type="armed_clash",
        date_start="2024-10-01",
        date_end="2024-10-15",
        date_precision="month",
        date_text="Earlier this month",
        actor1="ISIS",
        actor2="Iraqi Security Forces",
        admin1="Kirkuk",
        killed=4,
        evidence="An ambush earlier this month killed four soldiers.",
        sources=["Kurdistan24"],
        urls=["https://example.org/k24/001"],
    ),
    dict(
        event_id="s002-1",
        article_ids=["a002"],
        event_type="ground_operation",
        date_end="2018-07-06",
        date_precision="unknown",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Salah al-Din",
        location="Mount Makhoul",
        latitude=34.93,
        longitude=43.42,
        evidence="Forces began a security operation in the Makhoul mountains.",
        sources=["Iraqi News Agency"],
        urls=["https://example.org/ina/002"],
    ),
    dict(
        event_id="s003-1",
        article_ids=["a003"],
        event_type="airstrike",
        event_date="2024-06-29",
        date_start="2024-06-23",
        date_end="2024-06-29",
        date_precision="week",
        date_text="yesterday",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Kirkuk",
        strikes=1,
        killed=2,
        killed_low=2,
        killed_high=5,
        evidence="An air strike killed between two and five militants.",
        sources=["Rudaw"],
        urls=["https://example.org/rudaw/003"],
    ),
    dict(
        event_id="s004-1",
        article_ids=["a004"],
        event_type="bombing",
        event_date="2021-01-21",
        date_precision="day",
        date_text="on Thursday",
        actor1="ISIS",
        actor2="Civilians",
        admin1="Baghdad",
        location="Tayaran Square",
        latitude=33.33,
        longitude=44.42,
        weapon="suicide bomb",
        killed=32,
        wounded=110,
        wounded_low=100,
        wounded_high=110,
        evidence=f"Two suicide bombers struck a market. {XSS}",
        sources=["Rudaw", "Reuters"],
        urls=["https://example.org/rudaw/004", "javascript:alert(3)"],
    ),
    dict(
        event_id="s004-2",
        article_ids=["a004"],
        event_type="airstrike",
        event_date="2021-01-28",
        date_precision="day",
        date_text="a week later",
        actor1="International Coalition",
        actor2="ISIS",
        admin1="Salah al-Din",
        location="Tarmiyah",
        latitude=33.67,
        longitude=44.39,
        weapon="drone",
        strikes=3,
        killed=10,
        evidence="Coalition drones struck ISIS positions in response.",
        sources=["Reuters"],
        urls=["https://example.org/reuters/004"],
    ),
]
SEED_CASUALTIES = [
    {Col.EVENT_ID: "s000-1", Col.ACTOR: "ISIS", Col.KILLED: 7},
    {Col.EVENT_ID: "s001-1", Col.ACTOR: "ISIS", Col.KILLED: 4},
    {Col.EVENT_ID: "s001-2", Col.ACTOR: "Iraqi Security Forces", Col.KILLED: 4},
    {
        Col.EVENT_ID: "s003-1",
        Col.ACTOR: "ISIS",
        Col.KILLED: 2,
        Col.KILLED_LOW: 2,
        Col.KILLED_HIGH: 5,
    },
    {
        Col.EVENT_ID: "s004-1",
        Col.ACTOR: "Civilians",
        Col.KILLED: 32,
        Col.WOUNDED: 110,
        Col.WOUNDED_LOW: 100,
        Col.WOUNDED_HIGH: 110,
    },
    {Col.EVENT_ID: "s004-2", Col.ACTOR: "ISIS", Col.KILLED: 10},
]
SEED_ARTICLES = [
    article("a000", "Shafaq News", pub="2023-05-24"),
    article("a001", "Kurdistan24", pub="2024-10-15"),
    article("a002", "Iraqi News Agency", pub="2018-07-06"),
    article("a003", "Rudaw"),
    article("a004", "Rudaw", pub="2021-01-28"),
    article("a005", "Rudaw", status="failed"),
]
SEED_RUNS = [
    {
        Col.RUN_ID: "r1",
        Col.STARTED: datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        Col.FINISHED: datetime(2025, 3, 1, 9, 1, tzinfo=UTC),
        Col.INPUTS: ["seeds"],
        Col.ARTICLES_READ: 6,
        Col.ARTICLES_FAILED: 1,
        Col.EVENTS: len(SEED_EVENTS),
    }
]


def seed_like(out: Path) -> Path:
    return write(out, SEED_EVENTS, SEED_CASUALTIES, SEED_ARTICLES, SEED_RUNS)
