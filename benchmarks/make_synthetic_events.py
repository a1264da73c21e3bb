"""Write a deterministic, schema-conformant synthetic Sortie data set.

    python benchmarks/make_synthetic_events.py --events 1000000 --out /tmp/synth

Writes articles.parquet, events.parquet, casualties.parquet and runs.parquet with
the exact pyarrow schemas of `etl/schema.py`, so the dashboard and its benchmark
can run before (or without) the real ETL. Values are plausible, not real: the
evidence sentences are templates, the URLs point at example.org.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.schema import (  # noqa: E402
    ACTORS,
    ARTICLES_SCHEMA,
    CASUALTIES_SCHEMA,
    EVENT_TYPES,
    EVENTS_SCHEMA,
    RUNS_SCHEMA,
    Col,
)
from etl.store import EVENT_ROW_GROUP, PART_FILE, partition_dir  # noqa: E402


# Representative points of Iraq's governorates (OCHA COD-AB), from the ETL's gazetteer.
def _governorates() -> dict[str, tuple[float, float]]:
    with open(Path(__file__).resolve().parent.parent / "etl" / "data" / "places_iq_sy.csv") as fh:
        return {
            r["admin1"]: (float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(fh)
            if r["kind"] == "adm1_area" and r["country"] == "Iraq"
        }


GOVERNORATES = _governorates()
# Where the fighting was: weights roughly follow the ISIS-era hot spots.
GOV_WEIGHTS = {
    "Anbar": 10,
    "Nineveh": 12,
    "Salah al-Din": 11,
    "Kirkuk": 10,
    "Diyala": 9,
    "Baghdad": 6,
    "Erbil": 3,
    "Duhok": 5,
    "Sulaymaniyah": 2,
    "Babil": 2,
    "Halabja": 0.3,
}
OUTLETS = (
    "Shafaq News",
    "Rudaw",
    "Kurdistan24",
    "Iraqi News Agency",
    "Al-Monitor",
    "The New Arab",
    "Reuters",
)
TYPE_WEIGHTS = {
    "airstrike": 40,
    "shelling": 10,
    "bombing": 15,
    "armed_clash": 20,
    "attack": 8,
    "ground_operation": 7,
}
ACTOR1_WEIGHTS = {
    "Iraqi Security Forces": 40,
    "International Coalition": 12,
    "Turkey": 10,
    "ISIS": 25,
    "Popular Mobilization Forces": 5,
    "Peshmerga": 4,
    "United States": 2,
    "Iran-backed militias": 2,
}
START = date(2014, 6, 1)
END = date(2024, 12, 31)
EPOCH = date(1970, 1, 1)
PLACES = ("Wadi al-Shai", "Hamrin", "Makhmour", "Tarmiyah", "Qara Chokh", "Sinjar", "Laylan")


def _pick(rng, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _days(d: date) -> int:
    return (d - EPOCH).days


def _date_array(days: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(days.astype("int32"), mask=~valid).cast(pa.date32())


def _int_array(values: np.ndarray, valid: np.ndarray, typ: pa.DataType | None = None) -> pa.Array:
    return pa.array(values.astype("int64"), mask=~valid).cast(typ or pa.int32())


def _list_array(offsets: np.ndarray, values) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.string()))


def generate(n_events: int, seed: int = 7) -> dict[str, pa.Table]:
    """Return {"articles", "events", "casualties", "runs"} tables for `n_events` events."""
    rng = np.random.default_rng(seed)
    n = int(n_events)
    n_art = max(5, n // 2 + 3)

    # --- articles --------------------------------------------------------------
    art_ids = np.array([f"syn{i:07d}" for i in range(n_art)], dtype=object)
    art_outlet = np.array(OUTLETS, dtype=object)[rng.integers(0, len(OUTLETS), n_art)]
    art_pub = rng.integers(_days(START), _days(END) + 1, n_art)
    status = _pick(rng, {"ok": 95, "empty": 2, "failed": 2, "duplicate": 1}, n_art)
    articles = pa.table(
        {
            Col.ARTICLE_ID: pa.array(art_ids, pa.string()),
            Col.ORIGIN: pa.array([f"synthetic/{a}.txt" for a in art_ids], pa.string()),
            Col.URL: pa.array(
                [
                    f"https://example.org/{o.lower().replace(' ', '-')}/{a}"
                    for o, a in zip(art_outlet, art_ids, strict=True)
                ],
                pa.string(),
            ),
            Col.TITLE: pa.array([f"Synthetic report {a}" for a in art_ids], pa.string()),
            Col.SOURCE: pa.array(art_outlet, pa.string()),
            Col.PUB_DATE: _date_array(art_pub, np.ones(n_art, bool)),
            Col.PUB_DATE_SOURCE: pa.array(["metadata"] * n_art, pa.string()),
            Col.PUB_DATE_START: pa.nulls(n_art, pa.date32()),
            Col.PUB_DATE_END: pa.nulls(n_art, pa.date32()),
            Col.STATUS: pa.array(status, pa.string()),
            Col.ERROR: pa.array(
                np.where(status == "failed", "could not fetch", None).tolist(), pa.string()
            ),
            Col.CONTENT_HASH: pa.array([f"h{i:015x}" for i in range(n_art)], pa.string()),
            Col.N_EVENTS: pa.array(np.zeros(n_art, "int32"), pa.int32()),
        },
        schema=ARTICLES_SCHEMA,
    )
    if n == 0:
        return {
            "articles": articles,
            "events": EVENTS_SCHEMA.empty_table(),
            "casualties": CASUALTIES_SCHEMA.empty_table(),
            "runs": _runs(n_art, 0, int((status == "failed").sum())),
        }

    # --- events ----------------------------------------------------------------
    ok_articles = np.flatnonzero(status == "ok")
    art_of_event = ok_articles[rng.integers(0, len(ok_articles), n)]
    etype = _pick(rng, TYPE_WEIGHTS, n)
    actor1 = _pick(rng, ACTOR1_WEIGHTS, n)
    isis = actor1 == "ISIS"
    actor2 = np.where(
        isis, _pick(rng, {"Iraqi Security Forces": 6, "Civilians": 3, "Peshmerga": 1}, n), "ISIS"
    )
    actor2 = np.where(actor1 == "Turkey", "PKK", actor2)
    actor1 = np.where(etype == "airstrike", np.where(isis, "Iraqi Security Forces", actor1), actor1)
    actor2 = np.where((etype == "airstrike") & isis, "ISIS", actor2)
    etype = np.where((etype == "attack") & ~isis, "armed_clash", etype)

    # dates: more events in 2015-2017, a tail afterwards
    span = _days(END) - _days(START)
    frac = np.clip(rng.beta(1.3, 3.0, n), 0, 1)
    day = _days(START) + (frac * span).astype("int64")
    precision = _pick(rng, {"day": 72, "week": 14, "month": 9, "year": 2, "unknown": 3}, n)
    start = day.copy()
    end = day.copy()
    has_date = np.ones(n, bool)
    has_start = np.ones(n, bool)
    has_end = np.ones(n, bool)
    announced = (precision == "day") & (rng.random(n) < 0.2)
    start[announced] -= 1
    wk = precision == "week"
    start[wk] = day[wk] - 6
    dt = day.astype("datetime64[D]")
    month_start = dt.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    month_end = ((dt.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype("int64")
    mo = precision == "month"
    start[mo], end[mo] = month_start[mo], month_end[mo]
    has_date[mo] = False
    yr = precision == "year"
    year_start = dt.astype("datetime64[Y]").astype("datetime64[D]").astype("int64")
    year_end = ((dt.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1).astype("int64")
    start[yr], end[yr] = year_start[yr], year_end[yr]
    has_date[yr] = False
    un = precision == "unknown"
    has_date[un] = False
    has_start[un] = False
    has_end[un] = art_pub[art_of_event[un]] >= 0
    end[un] = np.maximum(day[un], art_pub[art_of_event[un]])

    govs = _pick(rng, {g: GOV_WEIGHTS.get(g, 0.5) for g in GOVERNORATES}, n)
    gov_known = rng.random(n) < 0.93
    lat0 = np.array([GOVERNORATES[g][0] for g in govs])
    lon0 = np.array([GOVERNORATES[g][1] for g in govs])
    geo_known = gov_known & (rng.random(n) < 0.6)
    lat = lat0 + rng.normal(0, 0.25, n)
    lon = lon0 + rng.normal(0, 0.25, n)
    place = np.array(PLACES, dtype=object)[rng.integers(0, len(PLACES), n)]

    weapon = np.full(n, None, dtype=object)
    air = etype == "airstrike"
    weapon[air] = _pick(rng, {"F-16": 5, "drone": 4, "helicopter": 2, "Su-25": 1}, int(air.sum()))
    bomb = etype == "bombing"
    weapon[bomb] = _pick(rng, {"IED": 6, "suicide bomb": 2, "car bomb": 2}, int(bomb.sum()))
    shell = etype == "shelling"
    weapon[shell] = _pick(rng, {"artillery": 3, "rocket": 3, "missile": 1}, int(shell.sum()))
    strikes = rng.integers(1, 5, n)
    strikes_known = air & (rng.random(n) < 0.85)

    killed = rng.poisson(2.2, n)
    killed_known = rng.random(n) < 0.75
    wounded = rng.poisson(1.5, n)
    wounded_known = rng.random(n) < 0.45
    ranged = killed_known & (rng.random(n) < 0.1)
    killed_high = killed + rng.integers(1, 6, n)
    is_agg = rng.random(n) < 0.01
    strikes = np.where(is_agg & air, strikes * 12, strikes)

    first = art_of_event
    second = ok_articles[rng.integers(0, len(ok_articles), n)]
    n_src = 1 + ((rng.random(n) < 0.3) & (second != first))
    offsets = np.concatenate([[0], np.cumsum(n_src)]).astype("int32")
    ids_flat = np.empty(offsets[-1], dtype=object)
    ids_flat[offsets[:-1]] = art_ids[first]
    two = n_src == 2
    ids_flat[offsets[:-1][two] + 1] = art_ids[second[two]]
    outlet_flat = np.empty(offsets[-1], dtype=object)
    outlet_flat[offsets[:-1]] = art_outlet[first]
    outlet_flat[offsets[:-1][two] + 1] = art_outlet[second[two]]
    url_flat = [
        f"https://example.org/{o.lower().replace(' ', '-')}/{a}"
        for o, a in zip(outlet_flat, ids_flat, strict=True)
    ]

    verbs = {
        "airstrike": "aircraft struck {a2} positions near {p}",
        "shelling": "{a1} shelled {a2} positions near {p}",
        "bombing": "an explosive device went off near {p}",
        "armed_clash": "{a1} and {a2} fought near {p}",
        "attack": "{a1} gunmen attacked {a2} near {p}",
        "ground_operation": "{a1} swept the area around {p}",
    }
    evidence = [
        verbs[t].format(a1=a1, a2=a2, p=p) + (f", killing {k}" if kk else "") + "."
        for t, a1, a2, p, k, kk in zip(
            etype, actor1, actor2, place, killed, killed_known, strict=True
        )
    ]
    date_text = np.select(
        [precision == "day", wk, mo, yr],
        ["on Tuesday", "last week", "earlier this month", "this year"],
        default="",
    ).astype(object)
    date_text[un] = None

    event_ids = [f"ev{i:07d}" for i in range(n)]
    events = pa.table(
        {
            Col.EVENT_ID: pa.array(event_ids, pa.string()),
            Col.ARTICLE_IDS: _list_array(offsets, ids_flat),
            Col.EVENT_TYPE: pa.array(etype, pa.string()),
            Col.EVENT_DATE: _date_array(day, has_date),
            Col.DATE_START: _date_array(start, has_start),
            Col.DATE_END: _date_array(end, has_end),
            Col.DATE_PRECISION: pa.array(precision, pa.string()),
            Col.DATE_TEXT: pa.array(date_text, pa.string()),
            Col.DATE_ANCHOR: pa.array(["publication"] * n, pa.string()),
            Col.ACTOR1: pa.array(actor1, pa.string()),
            Col.ACTOR2: pa.array(actor2, pa.string()),
            Col.COUNTRY: pa.array(["Iraq"] * n, pa.string()),
            Col.ADMIN1: pa.array(np.where(gov_known, govs, None), pa.string()),
            Col.ADMIN2: pa.nulls(n, pa.string()),
            Col.LOCATION: pa.array(np.where(gov_known, place, None), pa.string()),
            Col.LATITUDE: pa.array(lat, mask=~geo_known),
            Col.LONGITUDE: pa.array(lon, mask=~geo_known),
            Col.GEO_PRECISION: _int_array(np.where(geo_known, 1, 4), gov_known, pa.int8()),
            Col.WEAPON: pa.array(weapon, pa.string()),
            Col.STRIKES: _int_array(strikes, strikes_known),
            Col.KILLED: _int_array(killed, killed_known),
            Col.KILLED_LOW: _int_array(killed, ranged),
            Col.KILLED_HIGH: _int_array(killed_high, ranged),
            Col.WOUNDED: _int_array(wounded, wounded_known),
            Col.WOUNDED_LOW: pa.nulls(n, pa.int32()),
            Col.WOUNDED_HIGH: pa.nulls(n, pa.int32()),
            Col.IS_AGGREGATE: pa.array(is_agg),
            Col.EVIDENCE: pa.array(evidence, pa.string()),
            Col.CONFIDENCE: pa.array(rng.uniform(0.4, 1.0, n).astype("float32")),
            Col.SOURCES: _list_array(offsets, outlet_flat),
            Col.URLS: _list_array(offsets, url_flat),
            Col.MERGED_FROM: _list_array(np.zeros(n + 1, "int32"), []),
        },
        schema=EVENTS_SCHEMA,
    )

    # --- casualties: what the target side suffered (sometimes both sides) -------
    with_cas = killed_known | wounded_known
    both = with_cas & (etype == "armed_clash") & (rng.random(n) < 0.3)
    rows = np.concatenate([np.flatnonzero(with_cas), np.flatnonzero(both)])
    side = np.concatenate([actor2[with_cas], actor1[both]])
    share = np.concatenate([np.ones(int(with_cas.sum())), np.full(int(both.sum()), 0.5)])
    ck = (killed[rows] * share).astype("int64")
    casualties = pa.table(
        {
            Col.EVENT_ID: pa.array(np.array(event_ids, dtype=object)[rows], pa.string()),
            Col.ACTOR: pa.array(side, pa.string()),
            Col.KILLED: _int_array(ck, killed_known[rows]),
            Col.KILLED_LOW: _int_array(ck, ranged[rows]),
            Col.KILLED_HIGH: _int_array(killed_high[rows], ranged[rows]),
            Col.WOUNDED: _int_array(wounded[rows], wounded_known[rows]),
            Col.WOUNDED_LOW: pa.nulls(len(rows), pa.int32()),
            Col.WOUNDED_HIGH: pa.nulls(len(rows), pa.int32()),
        },
        schema=CASUALTIES_SCHEMA,
    )
    counts = np.bincount(art_of_event, minlength=n_art).astype("int32")
    articles = articles.set_column(
        articles.schema.get_field_index(Col.N_EVENTS), Col.N_EVENTS, pa.array(counts)
    )
    return {
        "articles": articles,
        "events": events,
        "casualties": casualties,
        "runs": _runs(n_art, n, int((status == "failed").sum())),
    }


def _runs(n_art: int, n_events: int, n_failed: int) -> pa.Table:
    started = datetime(2025, 1, 2, 3, 0, 0, tzinfo=UTC)
    finished = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    return pa.table(
        {
            Col.RUN_ID: ["synthetic-1"],
            Col.STARTED: pa.array([started], pa.timestamp("s", tz="UTC")),
            Col.FINISHED: pa.array([finished], pa.timestamp("s", tz="UTC")),
            Col.INPUTS: [["synthetic"]],
            Col.ARTICLES_READ: pa.array([n_art], pa.int32()),
            Col.ARTICLES_NEW: pa.array([n_art], pa.int32()),
            Col.ARTICLES_UPDATED: pa.array([0], pa.int32()),
            Col.ARTICLES_FAILED: pa.array([n_failed], pa.int32()),
            Col.EVENTS: pa.array([n_events], pa.int32()),
            Col.VERSION: ["synthetic"],
        },
        schema=RUNS_SCHEMA,
    )


def write_dataset(
    tables: dict[str, pa.Table], out: Path | str, runs: bool = True, partitioned: bool = True
) -> Path:
    """The tables as the ETL writes them: events partitioned by year and month (see
    etl/store.py) unless `partitioned` is False (one file, as older versions wrote)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if name == "runs" and not runs:
            continue
        if name == "events" and partitioned:
            write_partitioned(table, out / "events.parquet")
        else:
            pq.write_table(table, out / f"{name}.parquet")
    return out


def write_partitioned(events: pa.Table, folder: Path) -> None:
    """One part file a month, the month of event_date, else date_start, else date_end."""
    day = pc.coalesce(events["event_date"], events["date_start"], events["date_end"])
    year = pc.fill_null(pc.year(day), 0).to_numpy(zero_copy_only=False)
    month = pc.fill_null(pc.month(day), 0).to_numpy(zero_copy_only=False)
    key = year.astype(np.int64) * 100 + month
    order = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.diff(key[order])) + 1
    for rows in np.split(order, bounds):
        y, m = divmod(int(key[rows[0]]), 100)
        path = folder / partition_dir(y, m) / PART_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(events.take(pa.array(rows)), path, row_group_size=EVENT_ROW_GROUP)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-runs", action="store_true", help="leave out runs.parquet")
    ap.add_argument("--flat", action="store_true", help="events in one file, not by month")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    tables = generate(args.events, args.seed)
    write_dataset(tables, args.out, runs=not args.no_runs, partitioned=not args.flat)
    print(
        f"wrote {tables['events'].num_rows:,} events, "
        f"{tables['casualties'].num_rows:,} casualty rows, "
        f"{tables['articles'].num_rows:,} articles to {args.out} "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    return 0


assert set(TYPE_WEIGHTS) <= set(EVENT_TYPES) and set(ACTOR1_WEIGHTS) <= set(ACTORS)

if __name__ == "__main__":
    raise SystemExit(main())
