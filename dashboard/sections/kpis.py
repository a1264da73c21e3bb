"""KPI cards (filtered totals and change vs the previous equal period) and the data
freshness line."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboard import ids
from dashboard.columns import STRIKES_N
from dashboard.data import Dataset, Freshness
from dashboard.metrics import Kpis, change
from dashboard.sections.common import STATE, dataset, view_state
from etl.schema import Col

KPI_COLS = (STRIKES_N, Col.KILLED, Col.WOUNDED)
CARDS = (
    ("strikes", "Air strikes", "strikes reported in airstrike events"),
    ("events", "Events", "incidents (summary claims excluded unless switched on)"),
    ("killed", "Killed", "best figures (low end of ranges)"),
    ("wounded", "Wounded", "best figures (low end of ranges)"),
)


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.1f}"


def _delta(pct: float | None, period_note: str) -> html.Div:
    if not period_note:
        return html.Div(
            "all dates · pick a date range to compare", className="sortie-kpi-delta text-muted"
        )
    if pct is None:
        return html.Div(f"no data in {period_note}", className="sortie-kpi-delta text-muted")
    arrow = "\u25b2" if pct > 0 else ("\u25bc" if pct < 0 else "\u25b6")
    cls = "text-body"
    return html.Div(
        [html.Span(f"{arrow} {pct:+.0f}%", className=f"fw-semibold {cls}"), f" vs {period_note}"],
        className="sortie-kpi-delta",
    )


def _kpis(ds: Dataset, f) -> Kpis:
    """metrics.kpis of the filtered frame, summed over the filter mask (no row copies)."""
    k = ds.kpis(f)
    return Kpis(
        strikes=k[STRIKES_N], events=k["events"], killed=k[Col.KILLED], wounded=k[Col.WOUNDED]
    )


def kpi_cards(ds: Dataset, vs) -> list:
    f = vs.filters()
    cur = _kpis(ds, f)
    prev_f = f.shifted_back(ds.extent()) if (f.date_from or f.date_to) else None
    prev = _kpis(ds, prev_f) if prev_f else None
    note = f"{prev_f.date_from:%d %b %Y}–{prev_f.date_to:%d %b %Y}" if prev_f else ""
    cols = []
    for key, title, help_ in CARDS:
        v = getattr(cur, key)
        pv = getattr(prev, key) if prev else None
        cols.append(
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.Div(title, className="sortie-kpi-title", title=help_),
                            html.Div(_fmt(v), className="sortie-kpi-value", id=f"kpi-{key}"),
                            _delta(change(v, pv), note),
                            html.Div(f"previous: {_fmt(pv)}", className="small text-muted")
                            if pv is not None and note
                            else None,
                        ]
                    ),
                    className="shadow-sm sortie-kpi h-100",
                ),
                xs=6,
                lg=3,
                className="mb-3",
            )
        )
    return cols


def freshness_text(fr: Freshness) -> list:
    built = f"{fr.built:%Y-%m-%d %H:%M} UTC" if fr.built else "never"
    parts = [
        html.Span(f"Data built {built}", title=f"from {fr.built_from}"),
        html.Span(f"{fr.n_articles:,} articles"),
        html.Span(f"{fr.n_failed:,} failed", className="text-warning" if fr.n_failed else None),
        html.Span(f"{fr.n_events:,} events"),
    ]
    out: list = []
    for i, p in enumerate(parts):
        if i:
            out.append(html.Span(" \u00b7 ", className="opacity-50"))
        out.append(p)
    return out


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.KPI_ROW, "children"),
        Output(ids.FRESHNESS, "children"),
        Input(STATE, "data"),
    )
    def update(state):
        vs = view_state(state)
        ds = dataset(data_dir, vs)
        return kpi_cards(ds, vs), freshness_text(ds.freshness)
