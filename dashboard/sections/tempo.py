"""View 1: air-strike tempo per day/week/month by actor, with a rolling mean."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.columns import STRIKES_N
from dashboard.figures import curve_groups, empty_figure, note_figure, tempo_figure
from dashboard.metrics import rolling_mean
from dashboard.sections.common import STATE, control, dataset, graph, radio, time_axis, view_state
from dashboard.state import ViewState
from etl.schema import Col

METRICS = {
    # metric -> (value column or None for a count, label, event types it counts)
    "strikes": (STRIKES_N, "Strikes", ("airstrike",)),
    "strike_events": (None, "Strike events", ("airstrike",)),
    "events": (None, "Events", None),
}
WINDOWS = {"day": 7, "week": 4, "month": 3, "year": 3}


def layout() -> html.Div:
    d = ViewState()
    return html.Div(
        [
            html.Div(
                [
                    control(
                        "Show",
                        radio(
                            ids.TEMPO_METRIC,
                            [
                                ("strikes", "Strikes"),
                                ("strike_events", "Strike events"),
                                ("events", "All events"),
                            ],
                            d.tempo_metric,
                        ),
                    ),
                    control(
                        "By",
                        radio(
                            ids.TEMPO_GROUP, [("actor", "Actor"), ("all", "Total")], d.tempo_group
                        ),
                    ),
                    control(
                        "Layout",
                        radio(
                            ids.TEMPO_LAYOUT,
                            [("stack", "Stacked"), ("facet", "Small multiples")],
                            d.tempo_layout,
                        ),
                    ),
                ],
                className="sortie-view-controls",
            ),
            graph(ids.TEMPO_GRAPH, 420),
            dcc.Store(id=ids.TEMPO_CURVES),
            html.Div(
                "Click a bar to list its events below. Strikes: the number of strikes an "
                "airstrike report gives (1 when it gives none).",
                className="text-muted small",
            ),
        ]
    )


def build(ds, vs: ViewState):
    value, label, types = METRICS[vs.tempo_metric]
    f = vs.filters()
    mask = ds.types_mask(f, types)
    if not mask.any():
        what = "air strikes" if types else "events"
        return empty_figure(f"No {what} match these filters.")
    axis = time_axis(ds, vs)
    group = Col.ACTOR1 if vs.tempo_group == "actor" else None
    series = ds.series(group, mask, [value] if value else [], axis.freq, axis.lo, axis.hi)
    vcol = value or "events"
    window = WINDOWS[axis.freq]
    fig = tempo_figure(
        series, rolling_mean(series, vcol, window), vcol, label, axis.freq, vs.tempo_layout, window
    )
    undated = series.attrs.get("undated", 0)
    notes = [f"{undated:,} undated event(s) not shown"] if undated else []
    return note_figure(fig, [*notes, axis.note])


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.TEMPO_GRAPH, "figure"), Output(ids.TEMPO_CURVES, "data"), Input(STATE, "data")
    )
    def update(state):
        vs = view_state(state)
        if vs.tab != "tempo":
            raise PreventUpdate  # hidden tab: nothing computed (redrawn when shown)
        fig = build(dataset(data_dir, vs), vs)
        return fig, curve_groups(fig)


def card() -> dbc.Tab:
    return dbc.Tab(layout(), label="Air-strike tempo", tab_id="tempo")
