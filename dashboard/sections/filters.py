"""The filter sidebar and the state <-> URL synchronisation.

One callback owns the circular link between the query string and the controls
(Dash allows a component to be input and output of the same callback): on page
load and back/forward it sets the controls from the URL; on a control change it
writes the URL. Either way it publishes the ViewState in the `state` store that
every view listens to.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update
from werkzeug.exceptions import BadRequest

from dashboard import ids
from dashboard.data import Dataset
from dashboard.limits import MAX_OPTIONS
from dashboard.sections.common import STATE, control
from dashboard.state import StateError, ViewState
from etl.schema import EVENT_TYPES, PRECISIONS

TYPE_LABELS = {
    "airstrike": "Airstrike",
    "shelling": "Shelling",
    "bombing": "Bombing",
    "armed_clash": "Armed clash",
    "attack": "Attack on civilians",
    "ground_operation": "Ground operation",
}
PRECISION_LABELS = {
    "day": "Exact day only",
    "week": "Week or better",
    "month": "Month or better",
    "year": "Year or better",
    "unknown": "Any (incl. unknown)",
}

# (component id, property, ViewState attribute); the order of the sync callback's I/O
CONTROLS = [
    (ids.TABS, "active_tab", "tab"),
    (ids.DATE_RANGE, "start_date", "date_from"),
    (ids.DATE_RANGE, "end_date", "date_to"),
    (ids.EVENT_TYPES, "value", "event_types"),
    (ids.ACTORS, "value", "actors"),
    (ids.ADMIN1, "value", "admin1"),
    (ids.MIN_PRECISION, "value", "min_precision"),
    (ids.SOURCES, "value", "sources"),
    (ids.AGGREGATES, "value", "include_aggregates"),
    (ids.FREQ, "value", "freq"),
    (ids.TEMPO_METRIC, "value", "tempo_metric"),
    (ids.TEMPO_LAYOUT, "value", "tempo_layout"),
    (ids.TEMPO_GROUP, "value", "tempo_group"),
    (ids.CAS_MODE, "value", "cas_mode"),
    (ids.PROV_METRIC, "value", "prov_metric"),
    (ids.RAW_VIEW, "value", "raw"),
]
LIST_ATTRS = {"event_types", "actors", "admin1", "sources"}


def _options(values, labels=None) -> list[dict]:
    return [{"label": (labels or {}).get(v, v), "value": v} for v in values]


def sidebar(ds: Dataset, governorates: list[str]) -> dbc.Card:
    ext = ds.extent()
    types = [t for t in EVENT_TYPES if t in set(ds.values("event_type"))] or list(EVENT_TYPES)
    govs = sorted(set(ds.values("admin1")) | set(governorates))
    defaults = ViewState()
    picker_args = {}
    if ext:
        picker_args = {
            "min_date_allowed": ext[0].replace(month=1, day=1),
            "max_date_allowed": ext[1].replace(month=12, day=31),
            "initial_visible_month": ext[1],
        }
    body = [
        control(
            "Date range",
            dcc.DatePickerRange(
                id=ids.DATE_RANGE,
                display_format="YYYY-MM-DD",
                start_date_placeholder_text="from",
                end_date_placeholder_text="to",
                clearable=True,
                updatemode="bothdates",
                className="sortie-dates",
                **picker_args,
            ),
        ),
        control(
            "Event type",
            dcc.Dropdown(
                id=ids.EVENT_TYPES,
                options=_options(types, TYPE_LABELS),
                multi=True,
                placeholder="all types",
            ),
        ),
        control(
            "Actor (either side)",
            dcc.Dropdown(id=ids.ACTORS, options=_options(ds.actors), multi=True, placeholder="all"),
        ),
        control(
            "Governorate",
            dcc.Dropdown(id=ids.ADMIN1, options=_options(govs), multi=True, placeholder="all"),
        ),
        control(
            "Date precision",
            dcc.Dropdown(
                id=ids.MIN_PRECISION,
                options=_options(PRECISIONS, PRECISION_LABELS),
                value=defaults.min_precision,
                clearable=False,
            ),
        ),
        control(
            "Source outlet",
            dcc.Dropdown(
                id=ids.SOURCES,
                options=_options(ds.outlets[:MAX_OPTIONS]),
                multi=True,
                placeholder="all",
            ),
        ),
        dbc.Switch(
            id=ids.AGGREGATES,
            label="Include summary claims",
            value=defaults.include_aggregates,
            className="mt-2 small",
        ),
        html.Div(
            "Summary claims (\u201c35 strikes since January\u201d) are left out of counts "
            "by default.",
            className="text-muted small mb-3",
        ),
        dbc.Switch(
            id=ids.RAW_VIEW,
            label="Show raw extraction",
            value=defaults.raw,
            className="mt-2 small",
        ),
        html.Div(
            "Off: analysts' corrections, merges and splits applied (reviewed events).",
            className="text-muted small mb-3",
        ),
        dbc.Button(
            "Reset filters",
            id=ids.RESET,
            color="secondary",
            outline=True,
            size="sm",
            className="w-100",
        ),
    ]
    return dbc.Card(
        [dbc.CardHeader("Filters", className="fw-semibold"), dbc.CardBody(body)],
        className="shadow-sm sortie-sidebar",
    )


def _value_for(attr: str, vs: ViewState):
    v = getattr(vs, attr)
    if attr in LIST_ATTRS:
        return list(v)
    return v


def _changes(values) -> dict:
    """ViewState fields from the controls' values (in CONTROLS order), as sent."""
    changes = {}
    for (_, _, attr), v in zip(CONTROLS, values, strict=True):
        if attr in ("include_aggregates", "raw"):
            v = bool(v)
        elif attr in ("date_from", "date_to"):
            v = (v or None) and (str(v)[:10] if isinstance(v, str) else v)
        elif v is None and attr not in LIST_ATTRS:
            continue
        changes[attr] = v
    return changes


def register(app, data_dir) -> None:
    outputs = [Output(cid, prop) for cid, prop, _ in CONTROLS]
    inputs = [Input(cid, prop) for cid, prop, _ in CONTROLS]

    @app.callback(
        Output(ids.URL, "search"),
        Output(STATE, "data"),
        *outputs,
        Input(ids.URL, "search"),
        Input(ids.RESET, "n_clicks"),
        *inputs,
        State(ids.URL, "pathname"),
    )
    def sync(search, _reset, *values):
        values = values[:-1]
        trigger = ctx.triggered_id
        try:
            if trigger is None or trigger == ids.URL:
                # page load or back/forward: the URL is the truth
                vs = ViewState.from_query(search)
                return (no_update, vs.as_dict(), *[_value_for(a, vs) for _, _, a in CONTROLS])
            if trigger == ids.RESET:
                vs = ViewState(tab=ViewState.from_query(search).tab)
                q = vs.to_query()
                return (q, vs.as_dict(), *[_value_for(a, vs) for _, _, a in CONTROLS])
            vs = ViewState.from_dict(_changes(values))  # checked: the controls can be forged
        except StateError as exc:
            raise BadRequest(str(exc)) from exc
        q = vs.to_query()
        return (q if q != (search or "") else no_update, vs.as_dict(), *[no_update] * len(CONTROLS))
