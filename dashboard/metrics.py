"""Aggregations of prepared frames (see data.prepare_events): pure functions, no I/O.

Time series spread events known only to a week, month or year over their
[date_start, date_end] window: each day of the window gets value / n_days. Exact
(day-precision) events sit on their day. Both parts are returned separately so
the figures can draw the spread part distinctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.columns import (
    ANCHOR,
    NODATE,
    NOT_STATED,
    P0,
    P1,
    STRIKES_N,
    day_number,
    day_to_date,
)
from dashboard.limits import COARSER, MAX_PERIODS
from etl.schema import Col

FREQS = ("day", "week", "month", "year")  # "year" only when a long axis is coarsened
PERIOD, GROUP = "period", "group"
ALL = "All"
_UNIT = {"month": "datetime64[M]", "year": "datetime64[Y]"}


def period_keys(days: np.ndarray, freq: str) -> np.ndarray:
    """Day number of the first day of each day's period (weeks start on Monday)."""
    days = np.asarray(days, dtype=np.int64)
    if freq == "day":
        return days
    if freq == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday
    if freq in _UNIT:
        return (
            days.astype("datetime64[D]")
            .astype(_UNIT[freq])
            .astype("datetime64[D]")
            .astype(np.int64)
        )
    raise ValueError(f"freq={freq!r} is not one of {FREQS}")


def period_end(start: int, freq: str) -> int:
    """Last day number of the period starting on day number `start`."""
    if freq == "day":
        return start
    if freq == "week":
        return start + 6
    if freq not in _UNIT:
        raise ValueError(f"freq={freq!r} is not one of {FREQS}")
    nxt = np.datetime64(day_to_date(start)).astype(_UNIT[freq]) + 1
    return int(nxt.astype("datetime64[D]").astype(np.int64)) - 1


def n_periods(lo: int, hi: int, freq: str) -> int:
    """How many periods of `freq` days lo..hi (day numbers) touch."""
    if hi < lo:
        return 0
    a, b = period_keys(np.array([lo, hi]), freq)
    if freq == "day":
        return int(b - a) + 1
    if freq == "week":
        return int(b - a) // 7 + 1
    unit = _UNIT[freq]
    d = np.array([a, b]).astype("datetime64[D]").astype(unit).astype(np.int64)
    return int(d[1] - d[0]) + 1


def bounded_freq(lo: int | None, hi: int | None, freq: str) -> str:
    """`freq`, or the first coarser one (limits.COARSER) that puts days lo..hi in at
    most limits.MAX_PERIODS periods (the figure payload bound)."""
    if lo is None or hi is None:
        return freq
    f = freq
    while f is not None and n_periods(lo, hi, f) > MAX_PERIODS:
        f = COARSER[f]
    return f or "year"


def _group_codes(frame: pd.DataFrame, group: str | None) -> tuple[np.ndarray, list[str]]:
    if group is None:
        return np.zeros(len(frame), dtype=np.int64), [ALL]
    s = frame[group]
    codes = s.cat.codes.to_numpy().astype(np.int64)
    names = [*map(str, s.cat.categories), NOT_STATED]
    codes[codes < 0] = len(names) - 1
    return codes, names


def time_series(
    frame: pd.DataFrame,
    values: tuple[str, ...] | list[str] = (),
    freq: str = "week",
    group: str | None = None,
    lo: int | None = None,
    hi: int | None = None,
) -> pd.DataFrame:
    """Long table: one row per (period, group) with, per value column `v`, `v` (total)
    and `v_spread` (the part spread from coarse-precision windows). No value columns
    means count events (`events`, `events_spread`).

    `lo`/`hi` (day numbers) clip the days; by default the data's extent. The number
    of undated rows left out is in `result.attrs["undated"]`.
    """
    values = list(values) or [None]
    names_out = [v or "events" for v in values]
    p0 = frame[P0].to_numpy()
    p1 = frame[P1].to_numpy()
    dated = p0 != NODATE
    undated = len(p0) - int(np.count_nonzero(dated))
    cols = [PERIOD, GROUP] + [c for n in names_out for c in (n, f"{n}_spread")]
    empty = pd.DataFrame({c: [] for c in cols}).astype({PERIOD: "datetime64[s]", GROUP: object})
    empty.attrs["undated"] = undated
    if not dated.any():
        return empty
    codes, gnames = _group_codes(frame, group)
    all_dated = undated == 0
    if not all_dated:
        p0, p1, codes = p0[dated], p1[dated], codes[dated]
    lo = int(p0.min()) if lo is None else int(lo)
    hi = int(p1.max()) if hi is None else int(hi)
    if hi < lo:
        return empty
    nd = hi - lo + 1
    ng = len(gnames)
    exact = p0 == p1
    ex_in = exact & (p0 >= lo) & (p0 <= hi)
    # integer positions, computed once and reused for every value column
    ex_at = np.flatnonzero(ex_in)
    sp_at = np.flatnonzero(~exact)
    sp0, sp1 = p0[sp_at], p1[sp_at]
    s0 = np.clip(sp0, lo, hi + 1) - lo
    s1 = np.clip(sp1 + 1, lo, hi + 1) - lo
    width = (sp1 - sp0 + 1).astype(np.float64)
    keys = period_keys(np.arange(lo, hi + 1), freq)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ex_idx = codes[ex_at] * nd + (p0[ex_at] - lo)
    sp_codes = codes[sp_at] * (nd + 1)
    sp_idx = np.concatenate([sp_codes + s0, sp_codes + s1])
    out = {}
    for v, name in zip(values, names_out, strict=True):
        if v is None:
            w_ex = None
            ws = 1.0 / width
        else:
            w = finite(frame[v].to_numpy(dtype=np.float64))
            w = w if all_dated else w[dated]
            w_ex = w[ex_at]
            ws = w[sp_at] / width
        daily_ex = np.bincount(ex_idx, weights=w_ex, minlength=ng * nd).reshape(ng, nd)
        diff = np.bincount(sp_idx, weights=np.concatenate([ws, -ws]), minlength=ng * (nd + 1))
        daily_sp = np.cumsum(diff.reshape(ng, nd + 1), axis=1)[:, :nd]
        per_ex = np.add.reduceat(daily_ex, starts, axis=1)
        per_sp = np.add.reduceat(daily_sp, starts, axis=1)
        per_sp[np.abs(per_sp) < 1e-9] = 0.0
        out[name] = per_ex.astype(np.float64) + per_sp
        out[f"{name}_spread"] = per_sp
    # keep groups that have any value or any event in range
    present = np.bincount(codes, weights=(p1 >= lo) & (p0 <= hi), minlength=ng) > 0
    gi = np.flatnonzero(present)
    np_ = len(starts)
    res = pd.DataFrame(
        {
            PERIOD: np.tile(keys[starts].astype("datetime64[D]").astype("datetime64[s]"), len(gi)),
            GROUP: np.repeat(np.array(gnames, dtype=object)[gi], np_),
        }
    )
    for c, arr in out.items():
        res[c] = arr[gi].reshape(-1)
    res.attrs["undated"] = undated
    return res


def finite(w: np.ndarray) -> np.ndarray:
    """NaN (not reported) as 0; no copy when there is none (the prepared frames have none)."""
    nan = np.isnan(w)
    return np.where(nan, 0.0, w) if nan.any() else w


def rolling_mean(series: pd.DataFrame, value: str, window: int) -> pd.DataFrame:
    """Total of `value` over groups per period and its centred-right rolling mean."""
    if series.empty:
        return pd.DataFrame({PERIOD: [], "total": [], "rolling": []})
    tot = series.groupby(PERIOD, sort=True)[value].sum()
    return pd.DataFrame(
        {
            PERIOD: tot.index,
            "total": tot.to_numpy(),
            "rolling": tot.rolling(max(1, window), min_periods=1).mean().to_numpy(),
        }
    )


def totals_by(frame: pd.DataFrame, group: str, value: str | None = None) -> pd.DataFrame:
    """Sum of `value` (or event count) per category of `group`, categories without data dropped."""
    codes, names = _group_codes(frame, group)
    w = None if value is None else finite(frame[value].to_numpy(dtype=np.float64))
    sums = np.bincount(codes, weights=w, minlength=len(names))
    counts = np.bincount(codes, minlength=len(names))
    keep = counts > 0
    return pd.DataFrame(
        {GROUP: np.array(names, dtype=object)[keep], "value": sums[keep], "events": counts[keep]}
    )


# --- KPIs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpis:
    strikes: float
    events: int
    killed: float
    wounded: float


def kpis(frame: pd.DataFrame) -> Kpis:
    return Kpis(
        strikes=float(frame[STRIKES_N].sum()),
        events=len(frame),
        killed=float(np.nansum(frame[Col.KILLED].to_numpy(dtype=np.float64))),
        wounded=float(np.nansum(frame[Col.WOUNDED].to_numpy(dtype=np.float64))),
    )


def change(current: float, previous: float | None) -> float | None:
    """Relative change in percent, None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    return (current - previous) / previous * 100.0


# --- drill-down -------------------------------------------------------------------------


def overlapping(frame: pd.DataFrame, start: int, end: int) -> np.ndarray:
    """Rows whose placement (exact day or window) overlaps days [start, end]."""
    p0, p1 = frame[P0].to_numpy(), frame[P1].to_numpy()
    return (p0 != NODATE) & (p0 <= end) & (p1 >= start)


def in_group(frame: pd.DataFrame, col: str, value: str) -> np.ndarray:
    s = frame[col]
    if value == NOT_STATED:
        return s.isna().to_numpy()
    return (s == value).to_numpy()


def drill_positions(
    frame: pd.DataFrame,
    sel: dict,
    casualties: pd.DataFrame | None = None,
    base: np.ndarray | None = None,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Events-table positions of the events behind a clicked mark, newest first.

    `sel` is a selection dict made by the views, all keys optional: `types` (event
    types), `start`/`end` (ISO days of the clicked period: events whose day or window
    overlaps it), `col`/`value` (the group of the mark: an events column, or
    "casualty_actor" for the side that suffered), `admin1`, `positive` (a column that
    must be > 0). `base` is the filters' mask over `frame` (all rows if None); `order`
    the frame's rows newest first (computed if None).
    """
    m = np.ones(len(frame), dtype=bool) if base is None else base.copy()
    if sel.get("types"):
        m &= frame[Col.EVENT_TYPE].isin(sel["types"]).to_numpy()
    if sel.get("start") and sel.get("end"):
        m &= overlapping(frame, day_number(sel["start"]), day_number(sel["end"]))
    col, value = sel.get("col"), sel.get("value")
    if col and value is not None and value != ALL:
        if col == "casualty_actor":
            if casualties is None or casualties.empty:
                m &= False
            else:
                rows = casualties.loc[in_group(casualties, Col.ACTOR, value), "_row"].to_numpy()
                m &= np.isin(frame.index.to_numpy(), rows)
        else:
            m &= in_group(frame, col, value)
    if sel.get("admin1"):
        m &= in_group(frame, Col.ADMIN1, sel["admin1"])
    if sel.get("positive"):
        m &= np.nan_to_num(frame[sel["positive"]].to_numpy(dtype=np.float64)) > 0
    if order is None:
        order = np.argsort(-frame[ANCHOR].to_numpy(), kind="stable")
    return frame.index.to_numpy()[order[m[order]]]


def iso(day: int) -> str:
    return day_to_date(day).isoformat()


def date_or_none(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


# --- time series over a fixed frame, by mask -------------------------------------------


@dataclass(frozen=True, eq=False)
class Placement:
    """Where every dated row of a frame lands on the day axis, per group: built once
    per frame and group column (see placement), then any filter mask aggregates with
    two bincounts per value instead of recomputing the spreading (masked_series)."""

    lo: int  # first and last day any dated row touches
    hi: int
    gnames: list[str]
    codes: np.ndarray  # group code of every row
    dated: np.ndarray  # bool per row
    ex_at: np.ndarray  # rows placed on a single day ...
    ex_idx: np.ndarray  # ... and their bin: code * nd + (day - lo)
    sp_at: np.ndarray  # rows spread over a window ...
    sp_idx: np.ndarray  # ... the bins of its start and end+1 (diff array, nd + 1 per group)
    inv_w: np.ndarray  # 1 / window length


def placement(frame: pd.DataFrame, group: str | None) -> Placement | None:
    """The Placement of `frame` grouped by `group` (None: one group), None if no row
    is dated."""
    p0 = frame[P0].to_numpy()
    p1 = frame[P1].to_numpy()
    dated = p0 != NODATE
    if not dated.any():
        return None
    codes, gnames = _group_codes(frame, group)
    lo, hi = int(p0[dated].min()), int(p1[dated].max())
    nd = hi - lo + 1
    exact = dated & (p0 == p1)
    ex_at = np.flatnonzero(exact)
    sp_at = np.flatnonzero(dated & ~exact)
    sp_codes = codes[sp_at] * (nd + 1)
    return Placement(
        lo=lo,
        hi=hi,
        gnames=gnames,
        codes=codes,
        dated=dated,
        ex_at=ex_at,
        ex_idx=codes[ex_at] * nd + (p0[ex_at] - lo),
        sp_at=sp_at,
        sp_idx=np.concatenate([sp_codes + (p0[sp_at] - lo), sp_codes + (p1[sp_at] + 1 - lo)]),
        inv_w=1.0 / (p1[sp_at] - p0[sp_at] + 1).astype(np.float64),
    )


def masked_series(
    pl: Placement | None,
    frame: pd.DataFrame,
    mask: np.ndarray,
    values: tuple[str, ...] | list[str] = (),
    freq: str = "week",
    lo: int | None = None,
    hi: int | None = None,
) -> pd.DataFrame:
    """time_series(frame[mask], values, freq, group, lo, hi) for the Placement `pl` of
    `frame` by `group`: the same table, without copying or re-placing the rows."""
    values = list(values) or [None]
    names_out = [v or "events" for v in values]
    cols = [PERIOD, GROUP] + [c for n in names_out for c in (n, f"{n}_spread")]
    empty = pd.DataFrame({c: [] for c in cols}).astype({PERIOD: "datetime64[s]", GROUP: object})
    m_dated = mask if pl is None else mask & pl.dated
    undated = int(np.count_nonzero(mask)) - (0 if pl is None else int(np.count_nonzero(m_dated)))
    empty.attrs["undated"] = undated
    if pl is None or not m_dated.any():
        return empty
    if lo is None or hi is None:
        p0, p1 = frame[P0].to_numpy(), frame[P1].to_numpy()
        lo = int(p0[m_dated].min()) if lo is None else int(lo)
        hi = int(p1[m_dated].max()) if hi is None else int(hi)
    lo, hi = int(lo), int(hi)
    if hi < lo:
        return empty
    ng, nd_all = len(pl.gnames), pl.hi - pl.lo + 1
    nd = hi - lo + 1
    keys = period_keys(np.arange(lo, hi + 1), freq)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    # the requested days [lo, hi] within the placement's [pl.lo, pl.hi] (zeros outside)
    a, b = max(lo, pl.lo), min(hi, pl.hi)
    m_ex = mask[pl.ex_at].astype(np.float64)
    m_sp = mask[pl.sp_at] * pl.inv_w
    out = {}
    for v, name in zip(values, names_out, strict=True):
        if v is None:
            w_ex, w_sp = m_ex, m_sp
        else:
            w = finite(frame[v].to_numpy(dtype=np.float64))
            w_ex, w_sp = w[pl.ex_at] * m_ex, w[pl.sp_at] * m_sp
        daily_ex = np.zeros((ng, nd))
        daily_sp = np.zeros((ng, nd))
        if a <= b:
            ex = np.bincount(pl.ex_idx, weights=w_ex, minlength=ng * nd_all).reshape(ng, nd_all)
            diff = np.bincount(
                pl.sp_idx, weights=np.concatenate([w_sp, -w_sp]), minlength=ng * (nd_all + 1)
            )
            sp = np.cumsum(diff.reshape(ng, nd_all + 1), axis=1)
            daily_ex[:, a - lo : b - lo + 1] = ex[:, a - pl.lo : b - pl.lo + 1]
            daily_sp[:, a - lo : b - lo + 1] = sp[:, a - pl.lo : b - pl.lo + 1]
        per_ex = np.add.reduceat(daily_ex, starts, axis=1)
        per_sp = np.add.reduceat(daily_sp, starts, axis=1)
        per_sp[np.abs(per_sp) < 1e-9] = 0.0
        out[name] = per_ex + per_sp
        out[f"{name}_spread"] = per_sp
    p0, p1 = frame[P0].to_numpy(), frame[P1].to_numpy()
    present = np.bincount(pl.codes, weights=m_dated & (p1 >= lo) & (p0 <= hi), minlength=ng) > 0
    gi = np.flatnonzero(present)
    np_ = len(starts)
    res = pd.DataFrame(
        {
            PERIOD: np.tile(keys[starts].astype("datetime64[D]").astype("datetime64[s]"), len(gi)),
            GROUP: np.repeat(np.array(pl.gnames, dtype=object)[gi], np_),
        }
    )
    for c, arr in out.items():
        res[c] = arr[gi].reshape(-1)
    res.attrs["undated"] = undated
    return res
