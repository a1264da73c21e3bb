"""The Dash app: `create_app(data_dir)` builds it, `server_from_env()` is the WSGI
factory gunicorn uses (`SORTIE_DATA` names the data directory)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboard import ids
from dashboard.data import load_dataset
from dashboard.figures import ASSETS, governorate_names
from dashboard.limits import MAX_REQUEST_BYTES
from dashboard.review import auth
from dashboard.review import page as review_page
from dashboard.review.load import reviewed
from dashboard.sections import casualties, drilldown, exports, filters, kpis, provinces, tempo
from dashboard.sections.common import STATE, control, radio
from dashboard.state import ViewState

TITLE = "Sortie \u2014 conflict events"


def _empty_banner(ds) -> list:
    if ds.problems:
        return [dbc.Alert("; ".join(ds.problems), color="danger", className="mb-3")]
    if len(ds.frame) == 0:
        return [
            dbc.Alert(
                [
                    html.H5("No events yet", className="alert-heading"),
                    html.Div(
                        f"The data directory has {ds.freshness.n_articles:,} article(s) and no "
                        "events. Build or refresh it with "
                    ),
                    html.Code("python -m etl run seeds --data DIR"),
                    html.Div("and reload this page.", className="d-inline ms-1"),
                ],
                color="info",
                className="mb-3",
            )
        ]
    if len(ds.frame) < 50:
        return [
            dbc.Alert(
                f"A small data set: {len(ds.frame):,} events. Counts are low; click any mark to "
                "see the events and their evidence.",
                color="light",
                className="mb-3 py-2 small",
            )
        ]
    return []


def _user_nav() -> html.Div:
    """Who is signed in, with sign-in / sign-out links (plain links: Flask routes)."""
    user = auth.signed_in()
    if user is None:
        body = [html.A("Sign in", href="/login", className="text-white-50", id="nav-login")]
    else:
        body = [
            html.Span(f"{user.name} ({user.role})", className="text-white-50 me-2"),
            html.A("Sign out", href="/logout", className="text-white-50", id="nav-logout"),
        ]
    return html.Div(body, id=ids.NAV_USER, className="small")


def page_layout(data_dir) -> html.Div:
    ds = reviewed(load_dataset(data_dir))  # the controls list the reviewed values
    d = ViewState()
    navbar = dbc.Navbar(
        dbc.Container(
            [
                html.Div(
                    [
                        html.Span("Sortie", className="navbar-brand fw-bold mb-0"),
                        html.Span("conflict event data", className="text-white-50 small"),
                    ],
                    className="d-flex align-items-baseline gap-2",
                ),
                html.Div(
                    [
                        dbc.NavLink("Dashboard", href="/", className="text-white-50"),
                        dbc.NavLink("Review queue", href="/review", className="text-white-50"),
                    ],
                    className="d-flex gap-2 small",
                ),
                html.Div(id=ids.FRESHNESS, className="small text-white-50 sortie-freshness"),
                _user_nav(),
            ],
            fluid=True,
            className="d-flex justify-content-between flex-wrap",
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )
    toolbar = html.Div(
        [
            control(
                "Per",
                radio(ids.FREQ, [("day", "Day"), ("week", "Week"), ("month", "Month")], d.freq),
            ),
            exports.layout(),
        ],
        className="d-flex justify-content-between align-items-center flex-wrap gap-2 mb-2",
    )
    main = [
        html.Div(_empty_banner(ds), id=ids.DATA_NOTE),
        dbc.Row(id=ids.KPI_ROW, className="g-3"),
        dbc.Card(
            dbc.CardBody(
                [
                    toolbar,
                    dbc.Tabs(
                        [tempo.card(), casualties.card(), provinces.card()],
                        id=ids.TABS,
                        active_tab=d.tab,
                        className="mb-3",
                    ),
                ]
            ),
            className="shadow-sm",
        ),
        drilldown.layout(),
    ]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=STATE),
            navbar,
            dbc.Container(
                dbc.Row(
                    [
                        dbc.Col(filters.sidebar(ds, governorate_names()), lg=3, className="mb-3"),
                        dbc.Col(
                            [
                                html.Div(main, id=ids.PAGE_DASHBOARD),
                                html.Div(
                                    review_page.layout(),
                                    id=ids.PAGE_REVIEW,
                                    style={"display": "none"},
                                ),
                            ],
                            lg=9,
                        ),
                    ]
                ),
                fluid=True,
                className="pb-4",
            ),
        ]
    )


def create_app(data_dir: str | os.PathLike) -> dash.Dash:
    """The dashboard over the Parquet files in `data_dir` (read lazily, re-read on change)."""
    data_dir = str(Path(data_dir).resolve())
    app = dash.Dash(
        __name__,
        title=TITLE,
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )

    def layout():
        return page_layout(data_dir)

    app.layout = layout
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES  # larger bodies: HTTP 413
    auth.install(app, data_dir)
    for section in (filters, kpis, tempo, casualties, provinces, drilldown, exports, review_page):
        section.register(app, data_dir)
    app.clientside_callback(
        """function (path) {
            const review = path === "/review";
            return [review ? {display: "none"} : {}, review ? {} : {display: "none"}];
        }""",
        Output(ids.PAGE_DASHBOARD, "style"),
        Output(ids.PAGE_REVIEW, "style"),
        Input(ids.URL, "pathname"),
    )
    ds = load_dataset(data_dir)  # warm the cache so the first page is quick
    threading.Thread(target=ds.prefetch, name="sortie-prefetch", daemon=True).start()
    return app


def server_from_env():
    """WSGI app for `gunicorn 'dashboard.app:server_from_env()'` (data dir from SORTIE_DATA)."""
    return create_app(os.environ.get("SORTIE_DATA", "data")).server
