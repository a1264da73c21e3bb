"""Figure builders: pure functions from small aggregated DataFrames to go.Figure.

They take the outputs of dashboard.metrics (never the raw events) and do no I/O,
so they are unit-tested without a browser.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.metrics import ALL, GROUP, PERIOD

ASSETS = Path(__file__).resolve().parent.parent / "assets"
BOUNDARIES = ASSETS / "iraq_adm1_19_ocha_halabja.geojson"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PALETTE = {
    "Iraqi Security Forces": "#1f77b4",
    "Popular Mobilization Forces": "#2ca02c",
    "Peshmerga": "#bcbd22",
    "International Coalition": "#17becf",
    "United States": "#393b79",
    "Turkey": "#d62728",
    "Iran": "#8c564b",
    "ISIS": "#222222",
    "Iran-backed militias": "#9467bd",
    "PKK": "#ff7f0e",
    "SDF": "#e377c2",
    "Civilians": "#7f7f7f",
    "Unknown": "#c7c7c7",
    "(not stated)": "#dddddd",
    ALL: "#3b6ea8",
}
SPREAD_NOTE = "hatched: known only to a week/month/year, spread evenly over its date window"
HATCH = {"shape": "/", "fgcolor": "white", "solidity": 0.5}
# plotly's YlOrRd, as validation would expand the name (the output skips validation)
HEAT_SCALE = [
    [i / 8, c]
    for i, c in enumerate(
        (
            "rgb(255,255,204)",
            "rgb(255,237,160)",
            "rgb(254,217,118)",
            "rgb(254,178,76)",
            "rgb(253,141,60)",
            "rgb(252,78,42)",
            "rgb(227,26,28)",
            "rgb(189,0,38)",
            "rgb(128,0,38)",
        )
    )
]
PERIOD_FMT = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%b %Y", "year": "%Y"}


def ms(periods) -> np.ndarray:
    """Dates as epoch milliseconds: plotly sends them as a compact typed array and the
    date axis shows them as dates."""
    return pd.to_datetime(pd.Series(periods)).to_numpy().astype("datetime64[ms]").astype(np.int64)


def color(name: str) -> str:
    return PALETTE.get(name, "#6c757d")


def _base(height: int = 420) -> dict:
    """The layout every chart shares (merged into its own by _figure)."""
    return {
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "height": height,
        "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "clickmode": "event",
    }


def _merge(a: dict, b: dict) -> dict:
    """`a` updated with `b`, nested dicts merged (what update_layout does to a layout)."""
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _axes(layout: dict, prefix: str, props: dict) -> dict:
    """`props` merged into every axis of `layout` whose key starts with `prefix`
    ("xaxis", "xaxis2", ...; "xaxis" itself if there is none): update_xaxes' effect."""
    keys = [k for k in layout if k.startswith(prefix)] or [prefix]
    return {**layout, **{k: _merge(layout.get(k, {}), props) for k in keys}}


def empty_figure(message: str, height: int = 320) -> go.Figure:
    """A blank figure that says why it is blank."""
    note = {
        "text": message,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 15, "color": "#6c757d"},
    }
    return _figure(
        [],
        {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        height=height,
        after={"meta": {"empty": True}},
    )


def note_figure(fig: go.Figure, notes: list[str]) -> go.Figure:
    """`fig` with the non-empty `notes` (the dashboard's own words) as a small grey line
    at its top left, e.g. how many undated events it leaves out."""
    text = " \u00b7 ".join(n for n in notes if n)
    if text:
        title = {"text": text, "x": 0.01, "y": 0.99, "font": {"size": 11, "color": "#6c757d"}}
        raw = getattr(fig, "_layout", None)  # as in _figure: no validation, no copies
        if isinstance(raw, dict) and isinstance(fig._layout_obj, go.Layout):
            raw["title"] = title
        else:
            fig.update_layout(title=title)
    return fig


def _groups_by_size(series: pd.DataFrame, value: str) -> list[str]:
    tot = series.groupby(GROUP, sort=False)[value].sum().sort_values(ascending=False)
    return [g for g, v in tot.items() if v > 0]


# what the figures draw: the template's defaults for other trace types and subplot
# kinds are dropped (every figure carries its template: half of it was never used)
TEMPLATE_TRACES = ("bar", "scatter", "heatmap", "choropleth", "scattermap")
TEMPLATE_UNUSED_LAYOUT = ("scene", "polar", "ternary", "geo")


@lru_cache(maxsize=4)
def _template(name: str) -> dict:
    t = pio.templates[name].to_plotly_json()
    data = {k: v for k, v in t.get("data", {}).items() if k in TEMPLATE_TRACES}
    layout = {k: v for k, v in t.get("layout", {}).items() if k not in TEMPLATE_UNUSED_LAYOUT}
    return {"data": data, "layout": layout}


def _figure(
    traces: list[dict],
    layout: dict | None = None,
    template: str = "plotly_white",
    *,
    height: int | None = None,
    after: dict | None = None,
    x: dict | None = None,
    y: dict | None = None,
) -> go.Figure:
    """A figure from trace and layout dicts built here. They are known to be valid, so
    plotly's validation, most of a figure's cost (it deep-copies the template and every
    array), is skipped; the unit tests validate every builder's output instead.

    The layout is `layout`, then the shared one (_base) if `height` is given, then
    `after`, merged in that order; `x` / `y` are merged into every x / y axis. (The
    same through update_layout / update_xaxes validates each time: ~15 ms a call.)

    The template (the same dict every time) goes straight into the figure's layout
    dict: passed to go.Layout it is turned into a Template object even without
    validation, ~20 ms a figure, the largest cost of a small figure under load."""
    layout = layout or {}
    if height is not None:
        layout = _merge(layout, _base(height))
    if after:
        layout = _merge(layout, after)
    if x:
        layout = _axes(layout, "xaxis", x)
    if y:
        layout = _axes(layout, "yaxis", y)
    lay = layout  # a dict: go.Figure makes the Layout once (a Layout would be copied)
    fig = go.Figure(data=traces, layout=lay, _validate=False)
    raw = getattr(fig, "_layout", None)  # plotly's own layout dict (what to_dict sends)
    if isinstance(raw, dict):
        raw["template"] = _template(template)
    else:  # another plotly: the documented, slower way
        fig.update_layout(template=_template(template))
    return fig


def _axis_names(row: int) -> tuple[str, str]:
    """Trace-side axis references of a stacked-subplot row (1 = top): ("x", "y"), ("x2", "y2")."""
    return ("x", "y") if row == 1 else (f"x{row}", f"y{row}")


def stacked_rows(rows: int, spacing: float, titles=None) -> dict:
    """Layout of `rows` charts stacked vertically sharing one date x axis (what
    make_subplots(rows, 1, shared_xaxes=True) makes, without its cost)."""
    h = (1.0 - spacing * (rows - 1)) / rows
    layout: dict = {}
    annotations = []
    for r in range(1, rows + 1):
        top = 1.0 - (r - 1) * (h + spacing)
        bottom = max(0.0, top - h)
        xs, ys = ("", "") if r == 1 else (str(r), str(r))
        layout[f"xaxis{xs}"] = {
            "anchor": f"y{ys}",
            "domain": [0.0, 1.0],
            **(
                {"matches": f"x{rows if rows > 1 else ''}", "showticklabels": False}
                if r < rows
                else {}
            ),
        }
        layout[f"yaxis{ys}"] = {"anchor": f"x{xs}", "domain": [bottom, top]}
        if titles:
            annotations.append(
                {
                    "text": str(titles[r - 1]),
                    "x": 0.5,
                    "xanchor": "center",
                    "xref": "paper",
                    "y": top,
                    "yanchor": "bottom",
                    "yref": "paper",
                    "showarrow": False,
                    "font": {"size": 16},
                }
            )
    if annotations:
        layout["annotations"] = annotations
    return layout


def curve_groups(fig: go.Figure) -> list[str | None]:
    """The group (actor or side) each trace of a tempo or casualties figure draws, by
    trace index: what a click's curveNumber stands for (None for the rolling mean, the
    range whiskers and legend-only traces). Sent to the browser once per figure instead
    of a group name on every bar."""
    return [t.legendgroup if t.type == "bar" and t.legendgroup else None for t in fig.data]


def tempo_figure(
    series: pd.DataFrame,
    rolling: pd.DataFrame,
    value: str,
    label: str,
    freq: str = "week",
    layout: str = "stack",
    window: int = 4,
) -> go.Figure:
    """Bars of `value` per period by group: solid for exact days, hatched for the part
    spread from coarse windows; plus the rolling mean of the total.

    `series` is metrics.time_series output, `rolling` metrics.rolling_mean output.
    layout: "stack" (stacked bars) or "facet" (one small chart per group).
    Each bar trace's `legendgroup` is its group (see curve_groups).
    """
    if series.empty or series[value].sum() <= 0:
        return empty_figure(f"No {label.lower()} match these filters.")
    groups = _groups_by_size(series, value)
    facet = layout == "facet" and len(groups) > 1
    rows = len(groups) if facet else 1
    spread_key = f"{value}_spread"
    has_spread = bool((series[spread_key] > 1e-9).any())
    hover_fmt = PERIOD_FMT.get(freq, "%d %b %Y")
    # time_series output is regular: every group has every period, in order
    periods = pd.unique(series[PERIOD])
    x = ms(periods)
    by_group = _by_group(series, [value, spread_key], len(periods))
    traces: list[dict] = []
    for i, g in enumerate(groups):
        s = by_group[g]
        tot, spread = s[value], s[spread_key]
        xa, ya = _axis_names(i + 1 if facet else 1)
        common = {
            "type": "bar",
            "x": x,
            "legendgroup": g,
            "marker": {"color": color(g)},
            "xaxis": xa,
            "yaxis": ya,
        }
        traces.append(
            {
                **common,
                "y": np.clip(tot - spread, 0, None),
                "name": g,
                "hovertemplate": f"%{{x|{hover_fmt}}}<br>{g}: %{{y:.3~f}} {label.lower()}"
                " (exact day)<extra></extra>",
            }
        )
        if has_spread and (spread > 1e-9).any():
            traces.append(
                {
                    **common,
                    "y": spread,
                    "name": f"{g} (spread)",
                    "showlegend": False,
                    "marker": {"color": color(g), "pattern": HATCH},
                    "hovertemplate": f"%{{x|{hover_fmt}}}<br>{g}: %{{y:.3~f}} "
                    f"{label.lower()} (spread from week/month/year-precision)<extra></extra>",
                }
            )
    if has_spread:  # one legend entry that explains the hatching
        traces.append(
            {
                "type": "bar",
                "x": [None],
                "y": [None],
                "name": SPREAD_NOTE,
                "marker": {"color": "#adb5bd", "pattern": HATCH},
                "hoverinfo": "skip",
            }
        )
    if not facet and not rolling.empty:
        traces.append(
            {
                "type": "scatter",
                "x": ms(rolling[PERIOD]),
                "y": rolling["rolling"].to_numpy(dtype=np.float64),
                "name": f"rolling mean ({window} {freq}s)",
                "mode": "lines",
                "line": {"color": "#e4572e", "width": 2},
                "hovertemplate": f"%{{x|{hover_fmt}}}<br>rolling mean: %{{y:.2f}}<extra></extra>",
            }
        )
    fig = _figure(
        traces,
        {
            **stacked_rows(rows, 0.04 if rows > 1 else 0.0, groups if facet else None),
            "barmode": "stack",
            "bargap": 0.1,
        },
        height=420 if not facet else max(420, 140 * rows),
        x={"type": "date"},
        y={"rangemode": "tozero", **({} if facet else {"title": {"text": label}})},
    )
    return fig


def _by_group(series: pd.DataFrame, cols: list[str], n_periods: int) -> dict[str, dict]:
    """{group: {column: values per period}} of a regular time_series table (every group
    has every period, groups one after the other), as numpy arrays: one reshape per
    column instead of a pandas selection per group and column."""
    groups = pd.unique(series[GROUP])
    if len(series) != len(groups) * n_periods:  # not regular: group by group
        return {
            g: {c: part[c].to_numpy(dtype=np.float64) for c in cols}
            for g, part in series.groupby(GROUP, sort=False)
        }
    arrays = {c: series[c].to_numpy(dtype=np.float64).reshape(len(groups), n_periods) for c in cols}
    return {g: {c: arrays[c][i] for c in cols} for i, g in enumerate(groups)}


def casualties_figure(series: pd.DataFrame, freq: str = "week", by: str = "suffered") -> go.Figure:
    """Killed (top) and wounded (bottom) per period, stacked by side, with black
    whiskers for the low–high range of the period's total where sources give ranges.

    `series` is metrics.time_series output with values killed, _killed_lo, _killed_hi,
    wounded, _wounded_lo, _wounded_hi. Each bar trace's `legendgroup` is its side.
    """
    if series.empty or (series["killed"].sum() <= 0 and series["wounded"].sum() <= 0):
        return empty_figure("No casualty figures for these filters.")
    side = "suffered by" if by == "suffered" else "caused by"
    titles = (
        f"Killed, by the side that {side.split()[0]} them",
        f"Wounded, by the side that {side.split()[0]} them",
    )
    groups = _groups_by_size(series.assign(_t=series["killed"] + series["wounded"]), "_t")
    hover_fmt = PERIOD_FMT.get(freq, "%d %b %Y")
    periods = pd.unique(series[PERIOD])  # regular: every group has every period, in order
    x = ms(periods)
    cols = ["killed", "_killed_lo", "_killed_hi", "wounded", "_wounded_lo", "_wounded_hi"]
    by_group = _by_group(series, cols, len(periods))
    traces: list[dict] = []
    for row, (best, lo, hi, word) in enumerate(
        (
            ("killed", "_killed_lo", "_killed_hi", "killed"),
            ("wounded", "_wounded_lo", "_wounded_hi", "wounded"),
        ),
        start=1,
    ):
        xa, ya = _axis_names(row)
        tot = np.zeros((3, len(periods)))
        for g in by_group:
            tot += np.stack([by_group[g][c] for c in (best, lo, hi)])
        for g in groups:
            y = by_group[g][best]
            if y.sum() <= 0:
                continue
            traces.append(
                {
                    "type": "bar",
                    "x": x,
                    "y": y,
                    "name": g,
                    "legendgroup": g,
                    "showlegend": row == 1,
                    "marker": {"color": color(g)},
                    "hovertemplate": f"%{{x|{hover_fmt}}}<br>{g}: %{{y:.3~f}} {word}"
                    "<extra></extra>",
                    "xaxis": xa,
                    "yaxis": ya,
                }
            )
        plus = np.clip(tot[2] - tot[0], 0, None)
        minus = np.clip(tot[0] - tot[1], 0, None)
        ranged = (plus > 1e-9) | (minus > 1e-9)
        if ranged.any():
            traces.append(
                {
                    "type": "scatter",
                    "x": x[ranged],
                    "y": tot[0][ranged],
                    "mode": "markers",
                    "marker": {"color": "#212529", "size": 4, "symbol": "line-ew-open"},
                    "error_y": {
                        "type": "data",
                        "array": plus[ranged],
                        "arrayminus": minus[ranged],
                        "thickness": 1.2,
                        "width": 3,
                        "color": "#212529",
                    },
                    "customdata": np.stack([tot[1][ranged], tot[2][ranged]], axis=-1),
                    "name": "low–high range of the total",
                    "legendgroup": "range",
                    "showlegend": row == 1,
                    "hovertemplate": f"%{{x|{hover_fmt}}}<br>total {word}: %{{y:.3~f}} (range "
                    "%{customdata[0]:.3~f}–%{customdata[1]:.3~f})<extra></extra>",
                    "xaxis": xa,
                    "yaxis": ya,
                }
            )
    return _figure(
        traces,
        {**stacked_rows(2, 0.1, titles), "barmode": "stack", "bargap": 0.1},
        height=580,
        after={"margin": {"t": 90}, "legend": {"y": 1.1, "yanchor": "bottom"}},
        x={"type": "date"},
        y={"rangemode": "tozero"},
    )


def heatmap_figure(
    series: pd.DataFrame, value: str, label: str, freq: str = "month", governorates=()
) -> go.Figure:
    """Governorate × period heatmap of `value` (metrics.time_series grouped by admin1)."""
    if series.empty or series[value].sum() <= 0:
        return empty_figure(f"No {label.lower()} with a known governorate for these filters.")
    # time_series output is regular: every group has every period, in order
    periods = pd.unique(series[PERIOD])
    groups = pd.unique(series[GROUP])
    zfull = series[value].to_numpy(dtype=float).reshape(len(groups), len(periods))
    piv = pd.DataFrame(zfull, index=groups, columns=periods)
    piv = piv.loc[piv.sum(axis=1) > 0]
    order = piv.sum(axis=1).sort_values(ascending=True, kind="stable").index
    piv = piv.loc[order]
    hover_fmt = PERIOD_FMT.get(freq, "%d %b %Y")
    z = piv.to_numpy(dtype=float)
    fig = _figure(
        [
            {
                "type": "heatmap",
                "z": np.where(z > 0, z, np.nan),
                "x": ms(piv.columns),
                "y": [str(g) for g in piv.index],
                "colorscale": HEAT_SCALE,
                "colorbar": {"title": {"text": label}, "thickness": 12},
                "hovertemplate": f"%{{y}}<br>%{{x|{hover_fmt}}}<br>{label}: %{{z:.3~f}}"
                "<extra></extra>",
                "hoverongaps": False,
                "xgap": 1,
                "ygap": 1,
            }
        ],
        height=max(320, 60 + 24 * len(piv)),
        after={"plot_bgcolor": "#f4f5f7", "margin": {"l": 110}},
        x={"type": "date"},
    )
    return fig


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """Iraq's 19 governorates (OCHA COD-AB 2019, Halabja split), from assets/."""
    with open(BOUNDARIES, encoding="utf-8") as fh:
        return json.load(fh)


def governorate_names() -> list[str]:
    return [f["properties"]["admin1"] for f in boundaries()["features"]]


def map_figure(
    totals: pd.DataFrame,
    points: pd.DataFrame,
    label: str,
    n_points_total: int,
    geojson: str | dict | None = None,
) -> go.Figure:
    """Choropleth of `totals` (columns group=admin1, value) on Iraq's governorates, drawn
    offline with MapLibre on a blank style, plus event points (latitude, longitude,
    event_id, text) when known. `geojson` is the boundaries or the URL the app serves
    them at (the browser fetches and caches it once); default: embed them."""
    names = governorate_names()
    vals = dict(zip(totals[GROUP], totals["value"], strict=True)) if not totals.empty else {}
    z = [float(vals.get(n, 0.0)) for n in names]
    zmax = max(z) if any(z) else 1.0
    traces = [
        {
            "type": "choroplethmap",
            "geojson": geojson if geojson is not None else boundaries(),
            "featureidkey": "properties.admin1",
            "locations": names,
            "z": z,
            "zmin": 0,
            "zmax": zmax,
            "colorscale": [[0, "#f7f7f7"], [0.0001, "#fee8c8"], [0.5, "#fc8d59"], [1, "#b30000"]],
            "marker": {"line": {"color": "#666", "width": 0.7}, "opacity": 0.85},
            "colorbar": {
                "title": {"text": label},
                "thickness": 10,
                "len": 0.6,
                "x": 0.98,
                "xanchor": "right",
                "bgcolor": "rgba(255,255,255,0.7)",
            },
            "customdata": names,
            "hovertemplate": "%{location}<br>" + label + ": %{z:.3~f}<extra></extra>",
            "name": "governorates",
        }
    ]
    if not points.empty:
        traces.append(
            {
                "type": "scattermap",
                "lat": points["latitude"].to_numpy(dtype=np.float64),
                "lon": points["longitude"].to_numpy(dtype=np.float64),
                "mode": "markers",
                "marker": {"size": 6, "color": "#1d3557", "opacity": 0.7},
                "customdata": points["event_id"].tolist(),
                "text": points["text"].tolist(),
                "hovertemplate": "%{text}<extra></extra>",
                "name": (
                    f"events with coordinates ({len(points):,}"
                    + (f" of {n_points_total:,}" if n_points_total > len(points) else "")
                    + ")"
                ),
            }
        )
    layout = {
        "map": {"style": "white-bg", "center": {"lat": 33.3, "lon": 43.9}, "zoom": 4.75},
        "showlegend": not points.empty,
        "legend": {"x": 0, "y": 0, "bgcolor": "rgba(255,255,255,0.8)"},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": 560,
        "font": {"family": FONT, "size": 12},
        "clickmode": "event",
    }
    return _figure(traces, layout, template=pio.templates.default)
