"""View 3: by governorate: a governorate x period heatmap and an offline choropleth map
of Iraq's governorates with the events whose coordinates are known."""

from __future__ import annotations

import html as html_lib

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import Input, Output, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.columns import ANCHOR, NODATE, P0, P1, STRIKES_N, day_to_date
from dashboard.figures import (
    BOUNDARIES,
    empty_figure,
    governorate_names,
    heatmap_figure,
    map_figure,
    note_figure,
)
from dashboard.limits import clip
from dashboard.metrics import totals_by
from dashboard.sections.common import STATE, control, dataset, graph, radio, time_axis, view_state
from dashboard.state import ViewState
from etl.schema import Col

METRICS = {
    "events": (None, "Events"),
    "strikes": (STRIKES_N, "Strikes"),
    "killed": (Col.KILLED, "Killed"),
}
MAX_POINTS = 2000
ATTRIBUTION = (
    "Administrative boundaries: Iraq Central Statistics Organization (CSO) and OCHA Iraq, "
    "via OCHA/HDX COD-AB (2019-06-03), CC BY 3.0 IGO. Halabja split derived by Sortie."
)
DISCLAIMER = (
    "The boundaries and names shown and the designations used do not imply official "
    "endorsement or acceptance by the United Nations."
)


def layout() -> html.Div:
    d = ViewState()
    return html.Div(
        [
            html.Div(
                [
                    control(
                        "Measure",
                        radio(
                            ids.PROV_METRIC,
                            [("events", "Events"), ("strikes", "Strikes"), ("killed", "Killed")],
                            d.prov_metric,
                        ),
                    ),
                ],
                className="sortie-view-controls",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardBody(graph(ids.MAP_GRAPH, 560), className="p-1"),
                                dbc.CardFooter(
                                    [html.Div(ATTRIBUTION), html.Div(DISCLAIMER)],
                                    id=ids.MAP_ATTRIBUTION,
                                    className="small text-muted sortie-attribution",
                                ),
                            ],
                            className="shadow-sm",
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                    dbc.Col(graph(ids.HEATMAP_GRAPH, 560), lg=7),
                ]
            ),
            html.Div(
                "Click a governorate, a point or a heatmap cell to list its events below.",
                className="text-muted small",
            ),
        ]
    )


# the columns the map and the heatmap use (a narrower copy of the filtered rows)
COLUMNS = (
    Col.EVENT_TYPE,
    Col.ACTOR1,
    Col.ADMIN1,
    P0,
    P1,
    ANCHOR,
    STRIKES_N,
    Col.KILLED,
)


def _frame(ds, vs: ViewState):
    value, label = METRICS[vs.prov_metric]
    frame = ds.select(vs.filters(), COLUMNS)
    if vs.prov_metric == "strikes":
        frame = frame[(frame[Col.EVENT_TYPE] == "airstrike").to_numpy()]
    return frame, value, label


def build_heatmap(ds, vs: ViewState):
    value, label = METRICS[vs.prov_metric]
    mask = ds.types_mask(vs.filters(), ("airstrike",) if vs.prov_metric == "strikes" else ())
    if not mask.any():
        return empty_figure("No events match these filters.")
    axis = time_axis(ds, vs)
    series = ds.series(Col.ADMIN1, mask, [value] if value else [], axis.freq, axis.lo, axis.hi)
    series = series[series["group"] != "(not stated)"]
    fig = heatmap_figure(series, value or "events", label, axis.freq, governorate_names())
    return note_figure(fig, [axis.note])


def newest(anchor: np.ndarray, k: int, rows: np.ndarray) -> np.ndarray:
    """`rows` of the k largest `anchor` values, newest first, ties in row order (what a
    stable argsort of -anchor cut at k gives), in linear time for k much below n."""
    if len(anchor) > 4 * k:
        kth = np.partition(anchor, len(anchor) - k)[len(anchor) - k]
        keep = np.flatnonzero(anchor > kth)
        ties = np.flatnonzero(anchor == kth)[: k - len(keep)]
        sel = np.sort(np.concatenate([keep, ties]))
        anchor, rows = anchor[sel], rows[sel]
    return rows[np.argsort(-anchor, kind="stable")[:k]]


def map_points(ds, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The newest MAX_POINTS events with coordinates, with hover text. The coordinates
    come from `ds.coords` (read on first use), by the frame's events-table rows."""
    lat_all, lon_all = ds.coords
    at = frame.index.to_numpy(dtype=np.int64)
    lat, lon = lat_all[at], lon_all[at]
    ok = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    total = len(ok)
    if total > MAX_POINTS:
        ok = newest(frame[ANCHOR].to_numpy()[ok], MAX_POINTS, ok)
    sub = frame.iloc[ok]
    if sub.empty:
        return pd.DataFrame(columns=["latitude", "longitude", "event_id", "text"]), total
    cols = [Col.EVENT_ID, Col.LOCATION]
    rows = ds.rows(sub.index.to_numpy(dtype=np.int64), cols).select(cols)
    texts = []
    for a, t, a1, loc in zip(
        sub[ANCHOR],
        sub[Col.EVENT_TYPE],
        sub[Col.ACTOR1],
        rows.column(Col.LOCATION).to_pylist(),
        strict=True,
    ):
        when = day_to_date(a).isoformat() if a != NODATE else "undated"
        parts = [when, str(t), str(a1) if isinstance(a1, str) else "", clip(loc) or ""]
        texts.append(html_lib.escape(" \u00b7 ".join(p for p in parts if p)))
    pts = pd.DataFrame(
        {
            "latitude": lat[ok],
            "longitude": lon[ok],
            "event_id": rows.column(Col.EVENT_ID).to_pylist(),
            "text": texts,
        }
    )
    return pts, total


def build_map(ds, vs: ViewState, geojson_url: str | None = None):
    frame, value, label = _frame(ds, vs)
    totals = totals_by(frame, Col.ADMIN1, value)
    if value is None:
        totals["value"] = totals["events"]
    pts, total = map_points(ds, frame)
    return map_figure(totals, pts, label, total, geojson_url)


def register(app, data_dir) -> None:
    # served from assets/ by the app itself: the browser fetches it once, offline
    geojson_url = app.get_asset_url(BOUNDARIES.name)

    @app.callback(
        Output(ids.MAP_GRAPH, "figure"),
        Output(ids.HEATMAP_GRAPH, "figure"),
        Input(STATE, "data"),
    )
    def update(state):
        vs = view_state(state)
        if vs.tab != "provinces":
            raise PreventUpdate
        ds = dataset(data_dir, vs)
        return build_map(ds, vs, geojson_url), build_heatmap(ds, vs)


def card() -> dbc.Tab:
    return dbc.Tab(layout(), label="By governorate", tab_id="provinces")
