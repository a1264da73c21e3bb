"""Helpers shared by the sections: reading the state store, small layout pieces."""

from __future__ import annotations

from dash import dcc, html

from dashboard.columns import day_number
from dashboard.data import Dataset
from dashboard.state import ViewState

STATE = "state"  # dcc.Store holding ViewState.as_dict()

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def view_state(data: dict | None) -> ViewState:
    if not data:
        return ViewState()
    d = dict(data)
    for k in ("event_types", "actors", "admin1", "sources"):
        d[k] = tuple(d.get(k) or ())
    return ViewState(**{k: v for k, v in d.items() if k in ViewState.__dataclass_fields__})


def day_bounds(ds: Dataset, vs: ViewState) -> tuple[int | None, int | None]:
    """Day numbers that clip the time axes: the chosen date range, else the data's."""
    ext = ds.extent()
    lo = day_number(vs.date_from) if vs.date_from else (day_number(ext[0]) if ext else None)
    hi = day_number(vs.date_to) if vs.date_to else (day_number(ext[1]) if ext else None)
    return lo, hi


def graph(id_: str, height: int = 420) -> dcc.Loading:
    return dcc.Loading(
        dcc.Graph(
            id=id_,
            config=GRAPH_CONFIG,
            style={"minHeight": f"{height}px"},
            figure={"layout": {"height": height}},
        ),
        type="default",
        delay_show=300,
    )


def radio(id_: str, options: list[tuple[str, str]], value: str) -> html.Div:
    from dash_bootstrap_components import RadioItems

    return RadioItems(
        id=id_,
        options=[{"label": label, "value": v} for v, label in options],
        value=value,
        inline=True,
        className="btn-group btn-group-sm sortie-toggle",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-secondary",
        labelCheckedClassName="active",
    )


def control(label: str, component) -> html.Div:
    return html.Div(
        [html.Span(label, className="sortie-control-label"), component],
        className="sortie-control",
    )
