"""Drill-down: the events behind a clicked bar, heatmap cell, governorate or point,
as a paged table. Every text goes into the page as a text node (React escapes it),
never as HTML."""

from __future__ import annotations

from urllib.parse import urlparse

import dash_bootstrap_components as dbc
import numpy as np
import pyarrow.compute as pc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.columns import day_number
from dashboard.data import Dataset
from dashboard.limits import MAX_NAME, MAX_PAGE, MAX_SOURCES, MAX_TEXT, MAX_URL, clip
from dashboard.metrics import ALL, date_or_none, drill_positions, iso, period_end, period_keys
from dashboard.sections.checks import check_click, check_curves, check_page, check_selection
from dashboard.sections.common import STATE, dataset, time_axis, view_state
from dashboard.sections.tempo import METRICS as TEMPO_METRICS
from dashboard.state import ViewState
from etl.schema import Col

PAGE_SIZE = 15
# the events columns the table shows (a page is read with only these)
TABLE_COLUMNS = [
    Col.EVENT_ID,
    Col.EVENT_TYPE,
    Col.EVENT_DATE,
    Col.DATE_START,
    Col.DATE_END,
    Col.DATE_PRECISION,
    Col.DATE_TEXT,
    Col.ACTOR1,
    Col.ACTOR2,
    Col.ADMIN1,
    Col.LOCATION,
    Col.WEAPON,
    Col.STRIKES,
    Col.KILLED,
    Col.KILLED_LOW,
    Col.KILLED_HIGH,
    Col.WOUNDED,
    Col.WOUNDED_LOW,
    Col.WOUNDED_HIGH,
    Col.IS_AGGREGATE,
    Col.EVIDENCE,
    Col.SOURCES,
    Col.URLS,
]
PERIOD_WORD = {"day": "", "week": "week of ", "month": "month of ", "year": "year "}
PRECISION_COLORS = {
    "day": "success",
    "week": "info",
    "month": "warning",
    "year": "secondary",
    "unknown": "secondary",
}


def layout() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                html.Div(
                    [
                        html.Span(id=ids.DRILL_TITLE, className="fw-semibold"),
                        dbc.Button(
                            "Show all filtered events",
                            id=ids.DRILL_CLEAR,
                            size="sm",
                            color="link",
                            className="ms-2 p-0",
                        ),
                    ],
                    className="d-flex align-items-center flex-wrap",
                )
            ),
            dbc.CardBody(
                [
                    dcc.Loading(html.Div(id=ids.DRILL_TABLE), type="default", delay_show=300),
                    html.Div(
                        [
                            dbc.Button(
                                "\u2039 Newer",
                                id=ids.DRILL_PREV,
                                size="sm",
                                color="secondary",
                                outline=True,
                            ),
                            html.Span(id=ids.DRILL_PAGER, className="mx-3 small text-muted"),
                            dbc.Button(
                                "Older \u203a",
                                id=ids.DRILL_NEXT,
                                size="sm",
                                color="secondary",
                                outline=True,
                            ),
                        ],
                        className="d-flex align-items-center justify-content-center mt-2",
                    ),
                ]
            ),
            dcc.Store(id=ids.SELECTION),
            dcc.Store(id=ids.DRILL_PAGE, data=0),
        ],
        className="shadow-sm mt-3",
    )


# --- selections from clicks --------------------------------------------------------


def _period(x, freq: str) -> tuple[str, str] | None:
    d = date_or_none(x)
    if d is None:
        return None
    start = int(period_keys(np.array([day_number(d)]), freq)[0])
    return iso(start), iso(period_end(start, freq))


def _period_label(start: str, end: str, freq: str) -> str:
    return f"{PERIOD_WORD.get(freq, '')}{start}" if start == end or freq != "day" else start


def _group_of(pt: dict, curves: list | None):
    """The group of a clicked bar: the figure's curve map (figures.curve_groups) by
    curveNumber; else a customdata group name (figures that carry one per point)."""
    n = pt.get("curveNumber")
    if curves and isinstance(n, int) and 0 <= n < len(curves):
        return curves[n]
    cd = pt.get("customdata")
    return cd[0] if isinstance(cd, list) and cd else cd


def selection_from_click(
    source: str,
    click: dict | None,
    vs: ViewState,
    curves: list | None = None,
    freq: str | None = None,
) -> dict | None:
    """Turn a figure's clickData into a selection dict for metrics.drill_positions.
    `curves` is the clicked figure's curve map (group by trace index), if it has one;
    `freq` the period the figure is drawn per (the state's unless coarsened)."""
    if not click or not click.get("points"):
        return None
    pt = click["points"][0]
    freq = freq or vs.freq
    if source == ids.TEMPO_GRAPH:
        per = _period(pt.get("x"), freq)
        if per is None:
            return None
        group = _group_of(pt, curves)
        types = TEMPO_METRICS[vs.tempo_metric][2]
        sel = {"start": per[0], "end": per[1], "types": list(types) if types else None}
        label = _period_label(*per, freq)
        if group and group != ALL:
            sel.update(col=Col.ACTOR1, value=group)
            label = f"{group}, {label}"
        what = "Air strikes" if types else "Events"
        return {**sel, "label": f"{what}: {label}"}
    if source == ids.CAS_GRAPH:
        per = _period(pt.get("x"), freq)
        group = _group_of(pt, curves)
        if per is None or not group or not isinstance(group, str):
            return None
        col = "casualty_actor" if vs.cas_mode == "suffered" else Col.ACTOR1
        verb = "suffered by" if vs.cas_mode == "suffered" else "caused by"
        return {
            "start": per[0],
            "end": per[1],
            "col": col,
            "value": group,
            "label": f"Casualties {verb} {group}, {_period_label(*per, freq)}",
        }
    if source == ids.HEATMAP_GRAPH:
        per = _period(pt.get("x"), freq)
        gov = pt.get("y")
        if per is None or not gov or not isinstance(gov, str):
            return None
        return {
            "start": per[0],
            "end": per[1],
            "admin1": gov,
            "types": ["airstrike"] if vs.prov_metric == "strikes" else None,
            "label": f"{gov}, {_period_label(*per, freq)}",
        }
    if source == ids.MAP_GRAPH:
        if pt.get("location"):
            gov = pt["location"]
            return {
                "admin1": gov,
                "types": ["airstrike"] if vs.prov_metric == "strikes" else None,
                "label": f"{gov} governorate",
            }
        if pt.get("customdata"):
            return {"event_id": pt["customdata"], "label": f"Event {pt['customdata']}"}
    return None


def positions(ds: Dataset, vs: ViewState, sel: dict | None) -> np.ndarray:
    base = ds.mask(vs.filters())
    if sel and sel.get("event_id"):
        idx = pc.index(ds.event_ids, sel["event_id"]).as_py()
        return np.array([idx] if idx is not None and idx >= 0 and base[idx] else [], int)
    cas = ds.casualties if sel and sel.get("col") == "casualty_actor" else None
    return drill_positions(ds.frame, sel or {}, cas, base=base, order=ds.newest_first)


# --- rendering -------------------------------------------------------------------------


def _safe_href(url: str | None) -> str | None:
    """`url` if it is an http(s) link of at most limits.MAX_URL characters, else None
    (shown as text, not linked)."""
    if not url or len(url) > MAX_URL:
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


def _text(v, limit: int = MAX_TEXT):
    """A text cell's content, cut to `limit` characters (limits.clip)."""
    return clip(v, limit)


def _count(best, lo, hi) -> str | None:
    if best is None and lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo != hi:
        return f"{lo}\u2013{hi}"
    if lo is not None and hi is None and best is None:
        return f"{lo}+"
    return str(best if best is not None else lo)


def _casualties_cell(r: dict, sides: list[dict]) -> list:
    out = []
    k = _count(r.get(Col.KILLED), r.get(Col.KILLED_LOW), r.get(Col.KILLED_HIGH))
    w = _count(r.get(Col.WOUNDED), r.get(Col.WOUNDED_LOW), r.get(Col.WOUNDED_HIGH))
    if k:
        out.append(html.Div(f"{k} killed"))
    if w:
        out.append(html.Div(f"{w} wounded"))
    for s in sides:
        sk = _count(s.get(Col.KILLED), s.get(Col.KILLED_LOW), s.get(Col.KILLED_HIGH))
        sw = _count(s.get(Col.WOUNDED), s.get(Col.WOUNDED_LOW), s.get(Col.WOUNDED_HIGH))
        bits = ", ".join(b for b in (sk and f"{sk} k", sw and f"{sw} w") if b)
        if bits:
            out.append(html.Div(f"{clip(s.get(Col.ACTOR))}: {bits}", className="small text-muted"))
    return out or [html.Span("\u2014", className="text-muted")]


def _date_cell(r: dict) -> list:
    prec = r.get(Col.DATE_PRECISION) or "unknown"
    d = r.get(Col.EVENT_DATE)
    s, e = r.get(Col.DATE_START), r.get(Col.DATE_END)
    main = d.isoformat() if d else (f"{s or '?'} \u2013 {e or '?'}" if (s or e) else "undated")
    cell = [
        html.Div(main, className="text-nowrap"),
        dbc.Badge(prec, color=PRECISION_COLORS.get(prec, "secondary"), className="me-1"),
    ]
    if d and (s or e) and prec != "day":
        cell.append(html.Div(f"window {s or '?'} \u2013 {e or '?'}", className="small text-muted"))
    if r.get(Col.DATE_TEXT):
        text = _text(r[Col.DATE_TEXT], MAX_NAME)
        cell.append(html.Div(f"\u201c{text}\u201d", className="small fst-italic"))
    return cell


def _sources_cell(r: dict) -> list:
    outlets = r.get(Col.SOURCES) or []
    urls = r.get(Col.URLS) or []
    n = max(len(outlets), len(urls))
    items = []
    for i in range(min(n, MAX_SOURCES)):
        name = outlets[i] if i < len(outlets) else None
        url = urls[i] if i < len(urls) else None
        href = _safe_href(url)
        text = clip(name or (_netloc(url) if url else "source"))
        items.append(
            html.Div(html.A(text, href=href, target="_blank", rel="noopener noreferrer"))
            if href
            else html.Div(text)
        )
    if n > MAX_SOURCES:
        items.append(html.Div(f"and {n - MAX_SOURCES:,} more", className="small text-muted"))
    return items or [html.Span("\u2014", className="text-muted")]


def _netloc(url: str) -> str:
    try:
        return urlparse(url[:MAX_URL]).netloc or "source"
    except ValueError:
        return "source"


# drill-down cell -> the slots it shows (a corrected one shows the machine value on hover)
CELL_SLOTS = {
    "date": (Col.EVENT_DATE, Col.DATE_START, Col.DATE_END, Col.DATE_PRECISION),
    "type": (Col.EVENT_TYPE, Col.STRIKES, Col.WEAPON, Col.IS_AGGREGATE),
    "actors": (Col.ACTOR1, Col.ACTOR2),
    "place": (Col.LOCATION, Col.ADMIN1, Col.ADMIN2, Col.COUNTRY),
    "casualties": (
        Col.KILLED,
        Col.KILLED_LOW,
        Col.KILLED_HIGH,
        Col.WOUNDED,
        Col.WOUNDED_LOW,
        Col.WOUNDED_HIGH,
        "casualties",
    ),
}


def _machine_note(mark, cell: str) -> str | None:
    """ "machine: actor1 = Turkey; ..." for the corrected slots of a cell (hover text)."""
    if mark is None:
        return None
    bits = []
    for slot in CELL_SLOTS[cell]:
        if slot in mark.machine:
            v = mark.machine[slot]
            if slot == "casualties":
                v = ", ".join(f"{x.get(Col.ACTOR)} {x.get(Col.KILLED)}k" for x in v) or "none"
            bits.append(f"{slot} = {'not stated' if v is None else v}")
    return "machine: " + "; ".join(bits) if bits else None


def _td(children, mark, cell: str) -> html.Td:
    note = _machine_note(mark, cell)
    if note is None:
        return html.Td(children)
    return html.Td(children, title=note, className="sortie-corrected")


def table(rows: list[dict], sides: dict[str, list[dict]], marks: dict | None = None) -> dbc.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th(c)
                for c in ("Date", "Type", "Actors", "Place", "Casualties", "Sources", "Evidence")
            ]
        )
    )
    body = []
    for r in rows:
        r = {k: _text(v) for k, v in r.items()}  # the lists (sources, urls) are cut below
        actors = [html.Div(clip(r.get(Col.ACTOR1)) or "unknown actor")]
        if r.get(Col.ACTOR2):
            actors.append(html.Div(f"\u2192 {clip(r[Col.ACTOR2])}", className="text-muted"))
        place = [html.Div(clip(r.get(Col.LOCATION)) or "\u2014")]
        if r.get(Col.ADMIN1):
            place.append(html.Div(clip(r[Col.ADMIN1]), className="small text-muted"))
        typ = [html.Div((r.get(Col.EVENT_TYPE) or "").replace("_", " "))]
        if r.get(Col.STRIKES):
            typ.append(html.Div(f"{r[Col.STRIKES]} strike(s)", className="small text-muted"))
        if r.get(Col.WEAPON):
            typ.append(html.Div(clip(r[Col.WEAPON]), className="small text-muted"))
        if r.get(Col.IS_AGGREGATE):
            typ.append(dbc.Badge("summary claim", color="dark", className="mt-1"))
        mark = (marks or {}).get(r.get(Col.EVENT_ID))
        if mark is not None:
            typ.append(
                dbc.Badge(
                    f"reviewed: {mark.status}",
                    color="success",
                    className="mt-1 sortie-reviewed",
                    title="an analyst reviewed this event",
                )
            )
        body.append(
            html.Tr(
                [
                    _td(_date_cell(r), mark, "date"),
                    _td(typ, mark, "type"),
                    _td(actors, mark, "actors"),
                    _td(place, mark, "place"),
                    _td(
                        _casualties_cell(r, sides.get(r.get(Col.EVENT_ID), [])), mark, "casualties"
                    ),
                    html.Td(_sources_cell(r)),
                    html.Td(r.get(Col.EVIDENCE) or "", className="sortie-evidence"),
                ],
                **{"data-event-id": r.get(Col.EVENT_ID) or ""},
            )
        )
    return dbc.Table(
        [head, html.Tbody(body)],
        bordered=False,
        hover=True,
        responsive=True,
        size="sm",
        className="sortie-drill mb-0",
    )


def page_rows(ds: Dataset, pos: np.ndarray, page: int) -> tuple[list[dict], dict]:
    chunk = pos[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = ds.rows(chunk, TABLE_COLUMNS).to_pylist()
    ev_ids = [r[Col.EVENT_ID] for r in rows]
    sides: dict[str, list[dict]] = {}
    for c in ds.casualty_rows(ev_ids, chunk):
        sides.setdefault(c[Col.EVENT_ID], []).append(c)
    return rows, sides


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.SELECTION, "data"),
        Input(ids.TEMPO_GRAPH, "clickData"),
        Input(ids.CAS_GRAPH, "clickData"),
        Input(ids.HEATMAP_GRAPH, "clickData"),
        Input(ids.MAP_GRAPH, "clickData"),
        Input(ids.DRILL_CLEAR, "n_clicks"),
        State(STATE, "data"),
        State(ids.TEMPO_CURVES, "data"),
        State(ids.CAS_CURVES, "data"),
        prevent_initial_call=True,
    )
    def select(t, c, h, m, _clear, state, tempo_curves, cas_curves):
        trig = ctx.triggered_id
        if trig == ids.DRILL_CLEAR:
            return None
        click = {ids.TEMPO_GRAPH: t, ids.CAS_GRAPH: c, ids.HEATMAP_GRAPH: h, ids.MAP_GRAPH: m}
        curves = {ids.TEMPO_GRAPH: tempo_curves, ids.CAS_GRAPH: cas_curves}.get(trig)
        vs = view_state(state)
        freq = time_axis(dataset(data_dir, vs), vs).freq  # the period the figure shows
        sel = selection_from_click(
            trig, check_click(click.get(trig)), vs, check_curves(curves), freq
        )
        return sel if sel is not None else no_update

    @app.callback(
        Output(ids.DRILL_PAGE, "data"),
        Input(ids.DRILL_PREV, "n_clicks"),
        Input(ids.DRILL_NEXT, "n_clicks"),
        Input(ids.SELECTION, "data"),
        Input(STATE, "data"),
        State(ids.DRILL_PAGE, "data"),
        prevent_initial_call=True,
    )
    def paginate(_p, _n, _sel, _state, page):
        trig = ctx.triggered_id
        page = check_page(page)
        if trig == ids.DRILL_PREV:
            return max(0, page - 1)
        if trig == ids.DRILL_NEXT:
            return min(MAX_PAGE, page + 1)
        return 0

    @app.callback(
        Output(ids.DRILL_TABLE, "children"),
        Output(ids.DRILL_TITLE, "children"),
        Output(ids.DRILL_PAGER, "children"),
        Output(ids.DRILL_PREV, "disabled"),
        Output(ids.DRILL_NEXT, "disabled"),
        Output(ids.DRILL_CLEAR, "style"),
        Input(ids.DRILL_PAGE, "data"),
        State(STATE, "data"),
        State(ids.SELECTION, "data"),
        prevent_initial_call=True,
    )
    def render(page, state, sel):
        vs = view_state(state)
        ds = dataset(data_dir, vs)
        sel, page = check_selection(sel), check_page(page)
        pos = positions(ds, vs, sel)
        n = len(pos)
        pages = max(1, -(-n // PAGE_SIZE))
        page = min(page, pages - 1)
        label = clip(sel.get("label") or "the clicked mark", MAX_NAME * 2) if sel else ""
        title = f"Events behind: {label}" if sel else "Latest events matching the filters"
        clear_style = None if sel else {"display": "none"}
        if n == 0:
            msg = (
                "No events behind this mark under the current filters."
                if sel
                else "No events match these filters. Widen the date range or clear a filter."
            )
            if not len(ds.frame):
                msg = "No events in the data yet. Build it with: python -m etl run seeds --data DIR"
            return (
                html.Div(msg, className="sortie-empty"),
                title,
                "",
                True,
                True,
                clear_style,
            )
        rows, sides = page_rows(ds, pos, page)
        first = page * PAGE_SIZE + 1
        pager = f"{first:,}\u2013{first + len(rows) - 1:,} of {n:,} events"
        marks = ds.review.marks if getattr(ds, "review", None) is not None else None
        return table(rows, sides, marks), title, pager, page == 0, page >= pages - 1, clear_style
