"""View 2: killed and wounded over time, by the side that suffered them (casualties
table) or the side that caused them (the event's actor1)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.columns import KILLED_HI, KILLED_LO, P0, P1, ROW, WOUNDED_HI, WOUNDED_LO
from dashboard.figures import casualties_figure, curve_groups, empty_figure, note_figure
from dashboard.frames import take_rows
from dashboard.metrics import GROUP, PERIOD, finite, time_series
from dashboard.sections.common import STATE, control, dataset, graph, radio, time_axis, view_state
from dashboard.state import ViewState
from etl.schema import Col

VALUES = [Col.KILLED, KILLED_LO, KILLED_HI, Col.WOUNDED, WOUNDED_LO, WOUNDED_HI]


def layout() -> html.Div:
    d = ViewState()
    return html.Div(
        [
            html.Div(
                [
                    control(
                        "Side",
                        radio(
                            ids.CAS_MODE,
                            [("suffered", "Side that suffered"), ("caused", "Side that caused")],
                            d.cas_mode,
                        ),
                    ),
                ],
                className="sortie-view-controls",
            ),
            graph(ids.CAS_GRAPH, 560),
            dcc.Store(id=ids.CAS_CURVES),
            html.Div(
                "\u201cCaused\u201d attributes an event's total casualties to its actor1 (the "
                "attacker); \u201csuffered\u201d uses the per-side casualty figures.",
                className="text-muted small",
            ),
        ]
    )


def casualty_series(frame, freq: str, group: str, lo, hi):
    """Killed/wounded per period and side with low/high bounds. The bounds differ from
    the best figures on few rows, so only those rows are aggregated a second time."""
    series = time_series(frame, [Col.KILLED, Col.WOUNDED], freq, group, lo, hi)
    for best, low, high in (
        (Col.KILLED, KILLED_LO, KILLED_HI),
        (Col.WOUNDED, WOUNDED_LO, WOUNDED_HI),
    ):
        series[low] = series[best]
        series[high] = series[best]
        b = finite(frame[best].to_numpy(dtype=np.float64))
        dlo = finite(frame[low].to_numpy(dtype=np.float64)) - b
        dhi = finite(frame[high].to_numpy(dtype=np.float64)) - b
        ranged = (dlo != 0) | (dhi != 0)
        if not ranged.any():
            continue
        at = np.flatnonzero(ranged)
        sub = take_rows(frame[[group, P0, P1]], at).assign(_dlo=dlo[at], _dhi=dhi[at])
        d = time_series(sub, ["_dlo", "_dhi"], freq, group, lo, hi)
        if d.empty:
            continue
        key = [PERIOD, GROUP]
        merged = series[key].merge(d[[*key, "_dlo", "_dhi"]], on=key, how="left").fillna(0.0)
        series[low] = series[best].to_numpy() + merged["_dlo"].to_numpy()
        series[high] = series[best].to_numpy() + merged["_dhi"].to_numpy()
    return series


def build(ds, vs: ViewState):
    f = vs.filters()
    axis = time_axis(ds, vs)
    mask = ds.mask(f)
    suffered = vs.cas_mode == "suffered"
    if suffered:
        mask = mask[ds.casualties[ROW].to_numpy()]
    if not mask.any():
        return empty_figure("No casualty figures for these filters.")
    group = Col.ACTOR if suffered else Col.ACTOR1
    series = ds.series(group, mask, VALUES, axis.freq, axis.lo, axis.hi, casualties=suffered)
    return note_figure(casualties_figure(series, axis.freq, vs.cas_mode), [axis.note])


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.CAS_GRAPH, "figure"), Output(ids.CAS_CURVES, "data"), Input(STATE, "data")
    )
    def update(state):
        vs = view_state(state)
        if vs.tab != "casualties":
            raise PreventUpdate  # hidden tab: nothing computed (redrawn when shown)
        fig = build(dataset(data_dir, vs), vs)
        return fig, curve_groups(fig)


def card() -> dbc.Tab:
    return dbc.Tab(layout(), label="Casualties", tab_id="casualties")
