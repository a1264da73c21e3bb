"""Helpers shared by the sections: reading the state store, small layout pieces."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html
from werkzeug.exceptions import BadRequest

from dashboard.columns import day_number
from dashboard.data import Dataset, load_dataset
from dashboard.limits import MAX_PERIODS
from dashboard.metrics import bounded_freq, n_periods
from dashboard.review.load import reviewed
from dashboard.state import StateError, ViewState

STATE = "state"  # dcc.Store holding ViewState.as_dict()

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def view_state(data: dict | None) -> ViewState:
    """The ViewState in the state store's data; HTTP 400 for a forged one (wrong types
    or values: the store's content comes from the browser)."""
    try:
        return ViewState.from_dict(data)
    except StateError as exc:
        raise BadRequest(str(exc)) from exc


def dataset(data_dir, vs: ViewState) -> Dataset:
    """The data every view reads: the reviewed events, or the raw extraction if asked."""
    ds = load_dataset(data_dir)
    return ds if vs.raw else reviewed(ds)


def day_bounds(ds: Dataset, vs: ViewState) -> tuple[int | None, int | None]:
    """Day numbers that clip the time axes: the chosen date range clamped to the data's
    extent (the first and last placed days), else the data's extent."""
    ext = ds.extent()
    if ext is None:
        return None, None
    lo, hi = day_number(ext[0]), day_number(ext[1])
    if vs.date_from:
        lo = max(lo, day_number(vs.date_from))
    if vs.date_to:
        hi = min(hi, day_number(vs.date_to))
    return lo, hi


@dataclass(frozen=True)
class TimeAxis:
    lo: int | None  # first and last day shown (day numbers)
    hi: int | None
    freq: str  # the period the figures are drawn per
    asked: str  # the period the state asks for

    @property
    def note(self) -> str:
        """What to tell the user when the axis is coarser than asked ("" if it is not)."""
        if self.freq == self.asked:
            return ""
        n = n_periods(self.lo, self.hi, self.asked)
        return (
            f"{n:,} {self.asked}s are too many bars for one chart (limit {MAX_PERIODS:,}): "
            f"shown per {self.freq}. Narrow the date range to see {self.asked}s."
        )


def time_axis(ds: Dataset, vs: ViewState) -> TimeAxis:
    """The days and the period every time axis of the page uses: the state's period,
    coarsened past limits.MAX_PERIODS periods (the figures' payload bound)."""
    lo, hi = day_bounds(ds, vs)
    return TimeAxis(lo, hi, bounded_freq(lo, hi, vs.freq), vs.freq)


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
