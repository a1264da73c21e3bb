"""View 2: killed and wounded over time, by the side that suffered them (casualties
table) or the side that caused them (the event's actor1)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.data import KILLED_HI, KILLED_LO, WOUNDED_HI, WOUNDED_LO, load_dataset
from dashboard.figures import casualties_figure, empty_figure
from dashboard.metrics import time_series
from dashboard.sections.common import STATE, control, day_bounds, graph, radio, view_state
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
            html.Div(
                "\u201cCaused\u201d attributes an event's total casualties to its actor1 (the "
                "attacker); \u201csuffered\u201d uses the per-side casualty figures.",
                className="text-muted small",
            ),
        ]
    )


def build(ds, vs: ViewState):
    f = vs.filters()
    lo, hi = day_bounds(ds, vs)
    if vs.cas_mode == "suffered":
        frame = ds.select_casualties(f)
        group = Col.ACTOR
    else:
        frame = ds.select(f)
        group = Col.ACTOR1
    if frame.empty:
        return empty_figure("No casualty figures for these filters.")
    series = time_series(frame, VALUES, vs.freq, group, lo, hi)
    return casualties_figure(series, vs.freq, vs.cas_mode)


def register(app, data_dir) -> None:
    @app.callback(Output(ids.CAS_GRAPH, "figure"), Input(STATE, "data"))
    def update(state):
        vs = view_state(state)
        if vs.tab != "casualties":
            raise PreventUpdate
        return build(load_dataset(data_dir), vs)


def card() -> dbc.Tab:
    return dbc.Tab(layout(), label="Casualties", tab_id="casualties")
