"""Downloads of the filtered events: CSV, Parquet and ACLED-shaped CSV."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.data import Dataset
from dashboard.exports import acled_csv_bytes, csv_bytes, parquet_bytes
from dashboard.sections.common import STATE, dataset, view_state


def layout() -> html.Div:
    return html.Div(
        [
            html.Span("Export filtered events:", className="small text-muted me-2"),
            dbc.ButtonGroup(
                [
                    dbc.Button("CSV", id=ids.EXPORT_CSV, size="sm", color="primary", outline=True),
                    dbc.Button(
                        "Parquet", id=ids.EXPORT_PARQUET, size="sm", color="primary", outline=True
                    ),
                    dbc.Button(
                        "ACLED CSV",
                        id=ids.EXPORT_ACLED,
                        size="sm",
                        color="primary",
                        outline=True,
                        title="ACLED column names and event types; see docs/dashboard.md",
                    ),
                ]
            ),
            dcc.Download(id=ids.DOWNLOAD),
        ],
        className="d-flex align-items-center",
    )


def filtered_table(ds: Dataset, state: dict | None):
    vs = view_state(state)
    pos = np.flatnonzero(ds.mask(vs.filters()))
    return ds.rows(pos)


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_PARQUET, "n_clicks"),
        Input(ids.EXPORT_ACLED, "n_clicks"),
        State(STATE, "data"),
        prevent_initial_call=True,
    )
    def download(_c, _p, _a, state):
        trig = ctx.triggered_id
        if trig is None:
            raise PreventUpdate
        table = filtered_table(dataset(data_dir, view_state(state)), state)
        if trig == ids.EXPORT_CSV:
            return dcc.send_bytes(csv_bytes(table), "sortie_events.csv", type="text/csv")
        if trig == ids.EXPORT_PARQUET:
            return dcc.send_bytes(parquet_bytes(table), "sortie_events.parquet")
        return dcc.send_bytes(acled_csv_bytes(table), "sortie_events_acled.csv", type="text/csv")
