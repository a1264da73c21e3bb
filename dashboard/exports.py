"""Exports of the filtered events: plain CSV, Parquet (the EVENTS_SCHEMA) and an
ACLED-shaped CSV. See docs/dashboard.md for the ACLED mapping.

Both CSVs are safe to open in a spreadsheet (OWASP "CSV injection"): a text cell that
starts with a formula character (= + - @, tab, carriage return) gets a leading
apostrophe, so it is read as text. Numeric columns are written as numbers, untouched
(a negative latitude stays -33.1)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.schema import EVENTS_SCHEMA, Col

LIST_SEP = "; "

# our event type -> (ACLED disorder_type, event_type, sub_event_type)
ACLED_TYPES = {
    "airstrike": ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    "shelling": (
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    "bombing": (
        "Political violence",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    "armed_clash": ("Political violence", "Battles", "Armed clash"),
    "attack": ("Political violence", "Violence against civilians", "Attack"),
    "ground_operation": ("Strategic developments", "Strategic developments", "Arrests"),
}
SUICIDE_BOMB = ("Political violence", "Explosions/Remote violence", "Suicide bomb")
# ACLED time_precision: 1 = the day is known, 2 = the week, 3 = only the month (or coarser)
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
ISO_NUMERIC = {"Iraq": 368, "Syria": 760, "Turkey": 792, "Iran": 364, "Jordan": 400}


def to_frame(table: pa.Table) -> pd.DataFrame:
    """Events as a flat DataFrame: list columns joined with '; ', dates as ISO strings."""
    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_list(col.type):
            cols[name] = [LIST_SEP.join(v) if v else "" for v in col.to_pylist()]
        elif pa.types.is_date(col.type):
            cols[name] = [d.isoformat() if d else None for d in col.to_pylist()]
        else:
            cols[name] = col.to_pandas()
    return pd.DataFrame(cols, columns=table.column_names)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(v):
    """A text cell made safe for spreadsheets: a leading apostrophe if it starts with a
    formula character (FORMULA_START); anything else, numbers included, unchanged."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def safe_csv(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV with every text cell defused (numeric columns as they are)."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        try:
            hit = col.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool)
        except (AttributeError, TypeError):  # not a text column: cell by cell
            out[name] = col.map(defuse)
            continue
        if hit.any():
            out[name] = col.mask(hit, "'" + col.where(hit, ""))
    # CRLF rows (RFC 4180): a field holding a bare CR or LF is then quoted
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def csv_bytes(table: pa.Table) -> bytes:
    return safe_csv(to_frame(table))


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table.cast(EVENTS_SCHEMA), buf)
    return buf.getvalue()


def acled_frame(events: pd.DataFrame) -> pd.DataFrame:
    """ACLED-shaped rows for events given with EVENTS_SCHEMA column names (lists may be
    Python lists or already-joined strings). Columns ACLED has and we do not are empty."""
    n = len(events)

    def col(name, default=None):
        return events[name] if name in events else pd.Series([default] * n, index=events.index)

    def joined(name):
        return col(name).map(
            lambda v: LIST_SEP.join(v) if isinstance(v, list | tuple | np.ndarray) else (v or "")
        )

    types = [
        SUICIDE_BOMB if t == "bombing" and w == "suicide bomb" else ACLED_TYPES.get(t, ("", "", ""))
        for t, w in zip(col(Col.EVENT_TYPE), col(Col.WEAPON), strict=True)
    ]
    dates = pd.to_datetime(col(Col.EVENT_DATE), errors="coerce")
    # ACLED needs one date; ours may only have a window: use its middle, as the dashboard does
    starts = pd.to_datetime(col(Col.DATE_START), errors="coerce")
    ends = pd.to_datetime(col(Col.DATE_END), errors="coerce")
    mid = starts + (ends - starts) / 2
    best = dates.fillna(mid.dt.floor("D")).fillna(ends).fillna(starts)
    notes = _notes(col(Col.EVIDENCE), col(Col.DATE_TEXT))
    killed = pd.to_numeric(col(Col.KILLED), errors="coerce").fillna(0).astype(int)
    out = pd.DataFrame(
        {
            "event_id_cnty": col(Col.EVENT_ID),
            "event_date": best.dt.strftime("%Y-%m-%d"),
            "year": best.dt.year.astype("Int64"),
            "time_precision": col(Col.DATE_PRECISION, "unknown").map(
                lambda p: ACLED_TIME_PRECISION.get(p or "unknown", 3)
            ),
            "disorder_type": [t[0] for t in types],
            "event_type": [t[1] for t in types],
            "sub_event_type": [t[2] for t in types],
            "actor1": col(Col.ACTOR1),
            "assoc_actor_1": "",
            "inter1": "",
            "actor2": col(Col.ACTOR2),
            "assoc_actor_2": "",
            "inter2": "",
            "interaction": "",
            "civilian_targeting": [
                "Civilian targeting" if a == "Civilians" else "" for a in col(Col.ACTOR2)
            ],
            "iso": col(Col.COUNTRY).map(lambda c: ISO_NUMERIC.get(c, "")),
            "region": col(Col.COUNTRY).map(lambda c: "Middle East" if c in ISO_NUMERIC else ""),
            "country": col(Col.COUNTRY),
            "admin1": col(Col.ADMIN1),
            "admin2": col(Col.ADMIN2),
            "admin3": "",
            "location": col(Col.LOCATION),
            "latitude": col(Col.LATITUDE),
            "longitude": col(Col.LONGITUDE),
            "geo_precision": col(Col.GEO_PRECISION),
            "source": joined(Col.SOURCES),
            "source_scale": "",
            "notes": notes,
            "fatalities": killed,
            "tags": "",
            "timestamp": "",
        },
        columns=ACLED_COLUMNS,
    )
    return out.reset_index(drop=True)


def _notes(evidence, date_text) -> list[str]:
    out = []
    for ev, dt in zip(evidence, date_text, strict=True):
        # missing text is None or NaN (pandas' string columns): neither is a note
        parts = [ev.strip()] if isinstance(ev, str) and ev else []
        if isinstance(dt, str) and dt:
            parts.append(f"[date from: {dt}]")
        out.append(" ".join(parts))
    return out


def acled_csv_bytes(table: pa.Table) -> bytes:
    return safe_csv(acled_frame(table.to_pandas()))
