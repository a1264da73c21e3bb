"""The review queue page (`/review`): the events to review, one event's evidence and a
compact edit form, duplicate candidates side by side, and the edit callbacks.

Keyboard: c confirm and next, j next, x not an event, s save, u undo (assets/
review_keys.js; the buttons also carry accesskeys). Every text is a text node (React
escapes it); links only for http(s) URLs.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.data import load_dataset
from dashboard.review import queue
from dashboard.review.auth import csrf_token, require_editor, signed_in
from dashboard.review.load import reviewed
from dashboard.review.slots import ReviewError, admin1_names, countries
from dashboard.review.store import Anchor, ReviewStore
from dashboard.review.view import anchor_of
from dashboard.sections.common import STATE, view_state
from dashboard.sections.drilldown import _safe_href
from etl.schema import ACTORS, EVENT_TYPES, PRECISIONS, WEAPONS, Col

PAGE = 12
SIDES = 3
# the form: (slot, label, kind, choices)
FORM = (
    (Col.EVENT_TYPE, "Type", "choice", EVENT_TYPES),
    (Col.ACTOR1, "Actor 1", "choice", ACTORS),
    (Col.ACTOR2, "Actor 2 (target)", "choice", ACTORS),
    (Col.EVENT_DATE, "Date", "date", ()),
    (Col.DATE_START, "Window from", "date", ()),
    (Col.DATE_END, "Window to", "date", ()),
    (Col.DATE_PRECISION, "Precision", "choice", PRECISIONS),
    (Col.COUNTRY, "Country", "choice", None),
    (Col.ADMIN1, "Governorate", "choice", None),
    (Col.LOCATION, "Place", "text", ()),
    (Col.WEAPON, "Weapon", "choice", WEAPONS),
    (Col.STRIKES, "Strikes", "count", ()),
    (Col.KILLED, "Killed", "count", ()),
    (Col.KILLED_LOW, "low", "count", ()),
    (Col.KILLED_HIGH, "high", "count", ()),
    (Col.WOUNDED, "Wounded", "count", ()),
    (Col.WOUNDED_LOW, "low", "count", ()),
    (Col.WOUNDED_HIGH, "high", "count", ()),
    (Col.IS_AGGREGATE, "Summary claim", "bool", ()),
)
SIDE_FIELDS = tuple(
    (f"side{i}.{c}", c) for i in range(SIDES) for c in (Col.ACTOR, Col.KILLED, Col.WOUNDED)
)
FIELD_NAMES = tuple(f[0] for f in FORM) + tuple(n for n, _ in SIDE_FIELDS)
KEYS = {"confirm": "c", "next": "j", "not_event": "x", "save": "s", "undo": "u"}


def _fid(name: str) -> dict:
    return {"type": ids.REVIEW_FIELD, "index": name}


def _input(name: str, kind: str, choices, placeholder: str = ""):
    if kind == "choice":
        opts = (
            choices
            if choices is not None
            else (countries() if name == Col.COUNTRY else admin1_names())
        )
        return dcc.Dropdown(
            id=_fid(name),
            options=[{"label": c, "value": c} for c in opts],
            placeholder=placeholder or "not stated",
            className="sortie-review-dd",
        )
    if kind == "bool":
        return dbc.Checkbox(id=_fid(name), value=False)
    return dbc.Input(
        id=_fid(name),
        type="number" if kind == "count" else "text",
        min=0 if kind == "count" else None,
        step=1 if kind == "count" else None,
        placeholder="YYYY-MM-DD" if kind == "date" else (placeholder or "not stated"),
        size="sm",
        maxLength=None if kind == "count" else 200,
        debounce=True,
    )


def _form() -> html.Div:
    rows = []
    for name, label, kind, choices in FORM:
        rows.append(
            dbc.Col(
                [dbc.Label(label, className="small mb-0"), _input(name, kind, choices)],
                md=4 if kind in ("choice", "text", "date") else 2,
                className="mb-2",
                id=f"review-fw-{name}",
            )
        )
    sides = []
    for i in range(SIDES):
        sides.append(
            dbc.Row(
                [
                    dbc.Col(
                        _input(f"side{i}.actor", "choice", ACTORS, "side"),
                        md=6,
                        id=f"review-fw-side{i}-actor",
                    ),
                    dbc.Col(
                        _input(f"side{i}.killed", "count", (), "killed"),
                        md=3,
                        id=f"review-fw-side{i}-killed",
                    ),
                    dbc.Col(
                        _input(f"side{i}.wounded", "count", (), "wounded"),
                        md=3,
                        id=f"review-fw-side{i}-wounded",
                    ),
                ],
                className="g-1 mb-1",
            )
        )

    def btn(label, id_, key, color, outline=True):
        return html.Button(  # html.Button: dbc's has no accesskey
            [label, html.Kbd(key, className="ms-1 small")],
            id=id_,
            className=f"btn btn-sm btn-{'outline-' if outline else ''}{color}",
            accessKey=key,
            title=f"{label} (key {key}, or Alt+{key})",
            n_clicks=0,
            type="button",
        )

    return html.Div(
        [
            dbc.Row(rows, className="g-2"),
            dbc.Label("Casualties by the side that suffered them", className="small mb-0"),
            html.Div(sides),
            dbc.Textarea(
                id=ids.EDIT_NOTE,
                placeholder="note for the audit log (why)",
                maxLength=2000,
                className="form-control-sm mt-2",
                rows=2,
            ),
            html.Div(
                [
                    btn("Save corrections", ids.EDIT_SAVE, KEYS["save"], "primary", False),
                    btn("Confirm & next", ids.EDIT_CONFIRM, KEYS["confirm"], "success", False),
                    btn("Not an event", ids.EDIT_NOT_EVENT, KEYS["not_event"], "danger"),
                    btn("Undo last change", ids.EDIT_UNDO, KEYS["undo"], "secondary"),
                    btn("Next", ids.REVIEW_SKIP, KEYS["next"], "secondary"),
                ],
                className="d-flex flex-wrap gap-2 mt-2",
            ),
            html.Div(id=ids.EDIT_STATUS, className="mt-2", role="status"),
        ],
        className="sortie-review-form",
    )


def layout() -> html.Div:
    """The page; hidden unless the path is /review (app.py toggles it)."""
    user = signed_in()
    token = csrf_token() if user is not None and flask.has_request_context() else None
    who = (
        dbc.Alert(
            [
                "Viewing only. ",
                html.A("Sign in", href="/login?next=/review", id="review-signin"),
                " as an editor to correct events.",
            ],
            color="light",
            className="py-2 small",
        )
        if user is None or not user.can_edit
        else None
    )
    return html.Div(
        [
            dcc.Store(id=ids.EDIT_CSRF, data=token),
            dcc.Store(id=ids.REVIEW_SELECTED),
            dcc.Store(id=ids.REVIEW_LOADED),
            dcc.Store(id=ids.EDIT_DONE, data={"n": 0}),
            dcc.Store(id=ids.REVIEW_PAGE, data=0),
            who,
            html.Div(id=ids.REVIEW_ORPHANS),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader("To review: unreviewed and least confident first"),
                                dbc.ListGroup(id=ids.REVIEW_LIST, flush=True),
                                dbc.CardFooter(
                                    html.Div(
                                        [
                                            dbc.Button(
                                                "\u2039",
                                                id=ids.REVIEW_PREV,
                                                size="sm",
                                                color="secondary",
                                                outline=True,
                                            ),
                                            html.Span(
                                                id=ids.REVIEW_PAGER,
                                                className="mx-2 small text-muted",
                                            ),
                                            dbc.Button(
                                                "\u203a",
                                                id=ids.REVIEW_NEXT,
                                                size="sm",
                                                color="secondary",
                                                outline=True,
                                            ),
                                        ],
                                        className="d-flex align-items-center",
                                    )
                                ),
                            ],
                            className="shadow-sm",
                        ),
                        lg=4,
                    ),
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.Div(id=ids.REVIEW_DETAIL),
                                    _form(),
                                    html.Div(id=ids.REVIEW_DUPES, className="mt-3"),
                                    html.Div(id=ids.REVIEW_HISTORY, className="mt-3 small"),
                                ]
                            ),
                            className="shadow-sm",
                        ),
                        lg=8,
                    ),
                ],
                className="g-3",
            ),
        ],
        className="sortie-review",
    )


# --- rendering -------------------------------------------------------------------------


def _evidence(text: str, pub, date_text) -> html.Div:
    parts = []
    for kind, piece in queue.highlight(text or "", pub, date_text):
        if kind == "date":
            parts.append(html.Mark(piece, className="sortie-date", title="date words"))
        elif kind == "count":
            parts.append(html.Mark(piece, className="sortie-count", title="count"))
        else:
            parts.append(piece)
    return html.Div(parts, className="sortie-review-evidence border-start ps-2 my-2")


def _summary(r: dict) -> str:
    when = r.get(Col.EVENT_DATE) or r.get(Col.DATE_START) or "undated"
    return (
        f"{(r.get(Col.EVENT_TYPE) or '').replace('_', ' ')} \u00b7 {when} \u00b7 "
        f"{r.get(Col.ADMIN1) or '?'} \u00b7 {r.get(Col.ACTOR1) or 'unknown actor'}"
    )


def _badge(mark, dropped: str | None = None):
    if dropped:
        return dbc.Badge(dropped.replace("_", " "), color="danger", className="ms-1")
    if mark is None:
        return dbc.Badge("unreviewed", color="light", text_color="dark", className="ms-1")
    return dbc.Badge(mark.status, color="success", className="ms-1 sortie-reviewed")


def _list_item(r: dict, mark, active: bool):
    ev = (r.get(Col.EVIDENCE) or "").replace("\n", " ")
    return dbc.ListGroupItem(
        [
            html.Div([html.Span(_summary(r), className="fw-semibold small"), _badge(mark)]),
            html.Div(ev[:140] + ("\u2026" if len(ev) > 140 else ""), className="small text-muted"),
            html.Div(f"confidence {r.get(Col.CONFIDENCE) or 0:.2f}", className="small text-muted"),
        ],
        id={"type": ids.REVIEW_PICK, "index": r[Col.EVENT_ID]},
        action=True,
        active=active,
        n_clicks=0,
        className="sortie-queue-item",
    )


def _n(v) -> str:
    return "not stated" if v is None else str(v)


def _card(r: dict, articles: list[dict], title: str, button=None) -> dbc.Card:
    heads = []
    for a in articles:
        href = _safe_href(a.get(Col.URL))
        head = a.get(Col.TITLE) or a.get(Col.ORIGIN) or a.get(Col.ARTICLE_ID)
        heads.append(
            html.Div(
                [
                    html.A(head, href=href, target="_blank", rel="noopener noreferrer")
                    if href
                    else html.Span(head),
                    html.Span(f" \u2014 {a.get(Col.SOURCE) or ''}", className="text-muted"),
                ],
                className="small",
            )
        )
    pub = next((a.get(Col.PUB_DATE) for a in articles if a.get(Col.PUB_DATE)), None)
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(title, className="small text-muted"),
                html.Div(_summary(r), className="fw-semibold"),
                html.Div(heads),
                _evidence(r.get(Col.EVIDENCE), pub, r.get(Col.DATE_TEXT)),
                html.Div(
                    f"killed {_n(r.get(Col.KILLED))} \u00b7 wounded {_n(r.get(Col.WOUNDED))} "
                    f"\u00b7 articles {len(r.get(Col.ARTICLE_IDS) or [])}",
                    className="small",
                ),
                button,
            ]
        ),
        className="h-100",
    )


def _form_values(r: dict, sides: list[dict]) -> list:
    vals = []
    for name, _, kind, _c in FORM:
        v = r.get(name)
        if kind == "date":
            v = v.isoformat() if v else None
        elif kind == "bool":
            v = bool(v)
        vals.append(v)
    for i in range(SIDES):
        s = sides[i] if i < len(sides) else {}
        vals += [s.get(Col.ACTOR), s.get(Col.KILLED), s.get(Col.WOUNDED)]
    return vals


# --- the event being reviewed ------------------------------------------------------------


def _locate(data_dir, event_id):
    """(reviewed data set, its row or None, the raw row or None, raw sides, dropped why)."""
    raw_ds = load_dataset(data_dir)
    ds = reviewed(raw_ds)
    row = raw = None
    p = queue.position_of(ds, event_id)
    if p is not None:
        row = ds.rows([p]).to_pylist()[0]
    rp = queue.position_of(raw_ds, event_id) if ds is not raw_ds else p
    raw_sides = []
    if rp is not None:
        raw = raw_ds.rows([rp]).to_pylist()[0]
        raw_sides = raw_ds.casualty_rows([event_id], [rp])
    rev = getattr(ds, "review", None)
    dropped = rev.dropped.get(event_id) if rev is not None else None
    return ds, row, raw, raw_sides, dropped


def _anchor(row, raw, raw_sides):
    """The machine's event (for re-attachment and range checks), with every article the
    reviewed event holds now (a merge adds some: they may be split out again)."""
    if raw is None:
        return anchor_of(row, [])
    a = anchor_of(raw, raw_sides)
    now = (row or {}).get(Col.ARTICLE_IDS) or []
    return Anchor(tuple(dict.fromkeys([*a.article_ids, *now])), a.evidence, a.machine)


def _changes(loaded: dict, values: list) -> dict:
    """Form values that differ from what the form was loaded with, as store changes."""
    before = dict(zip(FIELD_NAMES, loaded.get("values") or [], strict=False))
    now = dict(zip(FIELD_NAMES, values, strict=False))
    changes = {}
    for name, _, kind, _c in FORM:
        v, b = now.get(name), before.get(name)
        if kind == "count" and v is not None and v != "":
            v = v if isinstance(v, int | float) else v
        if (v in ("", None) and b in ("", None)) or v == b:
            continue
        changes[name] = bool(v) if kind == "bool" else v
    side_names = [n for n, _ in SIDE_FIELDS]
    if any(now.get(n) != before.get(n) for n in side_names):
        sides = []
        for i in range(SIDES):
            actor = now.get(f"side{i}.actor")
            if actor:
                sides.append(
                    {
                        Col.ACTOR: actor,
                        Col.KILLED: now.get(f"side{i}.killed"),
                        Col.WOUNDED: now.get(f"side{i}.wounded"),
                    }
                )
        changes["casualties"] = sides
    for k, v in changes.items():
        if isinstance(v, float) and v.is_integer():
            changes[k] = int(v)
    return changes


def register(app, data_dir) -> None:
    @app.callback(
        Output(ids.REVIEW_PAGE, "data"),
        Input(ids.REVIEW_PREV, "n_clicks"),
        Input(ids.REVIEW_NEXT, "n_clicks"),
        Input(STATE, "data"),
        State(ids.REVIEW_PAGE, "data"),
        prevent_initial_call=True,
    )
    def pages(_p, _n, _s, page):
        if ctx.triggered_id == ids.REVIEW_PREV:
            return max(0, (page or 0) - 1)
        if ctx.triggered_id == ids.REVIEW_NEXT:
            return (page or 0) + 1
        return 0

    @app.callback(
        Output(ids.REVIEW_LIST, "children"),
        Output(ids.REVIEW_PAGER, "children"),
        Output(ids.REVIEW_ORPHANS, "children"),
        Input(STATE, "data"),
        Input(ids.REVIEW_PAGE, "data"),
        Input(ids.EDIT_DONE, "data"),
        Input(ids.REVIEW_SELECTED, "data"),
        State(ids.URL, "pathname"),
    )
    def listing(state, page, _done, selected, path):
        if path != "/review":
            raise PreventUpdate
        ds = reviewed(load_dataset(data_dir))
        order = queue.queue_order(ds, ds.mask(view_state(state).filters()))
        pages_n = max(1, -(-len(order) // PAGE))
        page = min(max(0, page or 0), pages_n - 1)
        chunk = order[page * PAGE : (page + 1) * PAGE]
        rows = ds.rows(chunk).to_pylist() if len(chunk) else []
        marks = ds.review.marks if getattr(ds, "review", None) else {}
        items = [
            _list_item(r, marks.get(r[Col.EVENT_ID]), r[Col.EVENT_ID] == selected) for r in rows
        ] or [dbc.ListGroupItem("No events match the filters.")]
        pager = f"{page * PAGE + 1 if rows else 0}\u2013{page * PAGE + len(rows)} of {len(order):,}"
        orphans = _orphans(ds)
        return items, pager, orphans

    @app.callback(
        Output(ids.REVIEW_SELECTED, "data"),
        Input({"type": ids.REVIEW_PICK, "index": ALL}, "n_clicks"),
        Input(ids.REVIEW_SKIP, "n_clicks"),
        Input(ids.EDIT_DONE, "data"),
        Input(ids.URL, "pathname"),
        State(ids.REVIEW_SELECTED, "data"),
        State(STATE, "data"),
    )
    def select(_picks, _skip, done, path, selected, state):
        trig = ctx.triggered_id
        if path != "/review":
            raise PreventUpdate
        if isinstance(trig, dict):
            if not any(t.get("value") for t in ctx.triggered):
                raise PreventUpdate  # buttons (re)created, not clicked
            return trig["index"]
        if trig == ids.EDIT_DONE and not (done or {}).get("next"):
            raise PreventUpdate
        if trig == ids.URL and selected:
            raise PreventUpdate
        ds = reviewed(load_dataset(data_dir))
        order = queue.queue_order(ds, ds.mask(view_state(state).filters()))
        if not len(order):
            return None
        ids_ = ds.event_ids
        current = queue.position_of(ds, selected)
        if trig == ids.REVIEW_SKIP and current is not None:
            where = [i for i, p in enumerate(order) if p == current]
            nxt = where[0] + 1 if where else 0
            return ids_[int(order[min(nxt, len(order) - 1)])].as_py()
        if trig == ids.EDIT_DONE:  # the event just decided: the queue's head is next
            rest = [p for p in order[:2] if p != current]
            return ids_[int(rest[0])].as_py() if rest else selected
        return ids_[int(order[0])].as_py() if current is None else selected

    @app.callback(
        Output(ids.REVIEW_DETAIL, "children"),
        Output(ids.REVIEW_DUPES, "children"),
        Output(ids.REVIEW_HISTORY, "children"),
        Output({"type": ids.REVIEW_FIELD, "index": ALL}, "value"),
        Output(ids.REVIEW_LOADED, "data"),
        Output(ids.EDIT_NOTE, "value"),
        Input(ids.REVIEW_SELECTED, "data"),
        Input(ids.EDIT_DONE, "data"),
        State({"type": ids.REVIEW_FIELD, "index": ALL}, "id"),
    )
    def detail(event_id, _done, field_ids):
        order = [f["index"] for f in field_ids]
        if not event_id:
            return (
                html.Div("Nothing to review.", className="text-muted"),
                None,
                None,
                [None] * len(order),
                None,
                "",
            )
        ds, row, raw, raw_sides, dropped = _locate(data_dir, event_id)
        show = row or raw
        if show is None:
            return (
                dbc.Alert(f"Event {event_id} is not in this data.", color="warning"),
                None,
                None,
                [None] * len(order),
                None,
                "",
            )
        rev = getattr(ds, "review", None)
        mark = rev.marks.get(event_id) if rev is not None else None
        p = queue.position_of(ds, event_id)
        sides = ds.casualty_rows([event_id], [p]) if p is not None else raw_sides
        values = _form_values(show, sides)
        by_name = dict(zip(FIELD_NAMES, values, strict=True))
        store = ReviewStore.of(data_dir)
        version = store.version(event_id)
        head = html.Div(
            [
                html.Span(f"Event {event_id}", className="fw-semibold"),
                _badge(mark, dropped),
                html.Span(f" version {version}", className="small text-muted ms-2"),
            ]
        )
        arts = queue.articles_of(ds, show.get(Col.ARTICLE_IDS) or [])
        main = [head, _card(show, arts, "machine values" if mark is None else "reviewed values")]
        if len(arts) > 1 and not dropped:
            main.append(
                html.Div(
                    [html.Span("Split an article out: ", className="small")]
                    + [
                        dbc.Button(
                            f"split out {a.get(Col.SOURCE) or a[Col.ARTICLE_ID]}",
                            id={"type": ids.EDIT_SPLIT, "index": a[Col.ARTICLE_ID]},
                            size="sm",
                            color="warning",
                            outline=True,
                            className="me-1",
                            n_clicks=0,
                        )
                        for a in arts
                    ],
                    className="mt-2",
                )
            )
        dupes = None
        if p is not None and not dropped:
            cands = queue.duplicate_candidates(ds, p)
            if cands:
                crows = ds.rows(cands).to_pylist()
                cards = [
                    dbc.Col(
                        _card(
                            c,
                            queue.articles_of(ds, c.get(Col.ARTICLE_IDS) or []),
                            f"candidate {c[Col.EVENT_ID]}",
                            dbc.Button(
                                "Merge: this event is a duplicate of it",
                                id={"type": ids.EDIT_MERGE, "index": c[Col.EVENT_ID]},
                                size="sm",
                                color="warning",
                                className="mt-2",
                                n_clicks=0,
                            ),
                        ),
                        md=6,
                        className="mb-2",
                    )
                    for c in crows
                ]
                dupes = html.Div(
                    [
                        html.H6(
                            "Possible duplicates (same type family, overlapping dates, same "
                            "governorate)",
                            className="mb-2",
                        )
                    ]
                    + [dbc.Row(cards, className="g-2")]
                )
        log = store.log(event_id, limit=20)
        hist = html.Details(
            [
                html.Summary(f"History ({len(log)} change(s))"),
                html.Ul(
                    [
                        html.Li(
                            f"v{e.version} {e.at} {e.user}: {e.field} "
                            f"{e.before if e.had_before else '(machine)'} \u2192 "
                            f"{e.after if e.has_after else '(machine)'}"
                            + (f" \u2014 {e.note}" if e.note else "")
                            + (" [undo]" if e.undoes else "")
                        )
                        for e in log
                    ]
                ),
            ]
        )
        loaded = {"event_id": event_id, "version": version, "values": values}
        return html.Div(main), dupes, hist, [by_name.get(n) for n in order], loaded, ""

    @app.callback(
        Output(ids.EDIT_STATUS, "children"),
        Output(ids.EDIT_DONE, "data"),
        Input(ids.EDIT_SAVE, "n_clicks"),
        Input(ids.EDIT_CONFIRM, "n_clicks"),
        Input(ids.EDIT_NOT_EVENT, "n_clicks"),
        Input(ids.EDIT_UNDO, "n_clicks"),
        Input({"type": ids.EDIT_MERGE, "index": ALL}, "n_clicks"),
        Input({"type": ids.EDIT_SPLIT, "index": ALL}, "n_clicks"),
        State(ids.REVIEW_LOADED, "data"),
        State({"type": ids.REVIEW_FIELD, "index": ALL}, "value"),
        State({"type": ids.REVIEW_FIELD, "index": ALL}, "id"),
        State(ids.EDIT_NOTE, "value"),
        State(ids.EDIT_CSRF, "data"),
        State(ids.EDIT_DONE, "data"),
        prevent_initial_call=True,
    )
    def edit(_s, _c, _x, _u, _m, _sp, loaded, values, field_ids, note, token, done):
        trig = ctx.triggered_id
        if trig is None or not any(t.get("value") for t in ctx.triggered):
            raise PreventUpdate  # pattern buttons (re)created, not clicked
        user = require_editor(token)  # 401 / 403, whatever the browser shows
        if not loaded or not loaded.get("event_id"):
            return dbc.Alert("Pick an event first.", color="warning"), no_update
        event_id, version = loaded["event_id"], int(loaded.get("version") or 0)
        store = ReviewStore.of(data_dir)
        _ds, row, raw, raw_sides, _dropped = _locate(data_dir, event_id)
        if row is None and raw is None:
            return dbc.Alert(f"Event {event_id} is gone.", color="warning"), no_update
        anchor = _anchor(row, raw, raw_sides)
        kw = dict(user=user, expected_version=version, anchor=anchor, note=note or "")
        go_next = False
        try:
            if trig == ids.EDIT_SAVE or trig == ids.EDIT_CONFIRM:
                by_id = [f["index"] for f in field_ids]
                ordered = dict(zip(by_id, values, strict=True))
                changes = _changes(loaded, [ordered.get(n) for n in FIELD_NAMES])
                if changes:
                    kw["expected_version"] = store.edit(event_id, changes, **kw)
                if trig == ids.EDIT_CONFIRM:
                    store.set_verdict(event_id, "confirmed", **kw)
                    go_next = True
                what = (
                    "confirmed"
                    if trig == ids.EDIT_CONFIRM
                    else (f"saved {', '.join(sorted(changes))}" if changes else "nothing changed")
                )
            elif trig == ids.EDIT_NOT_EVENT:
                store.set_verdict(event_id, "not_event", **kw)
                what, go_next = "marked not an event", True
            elif trig == ids.EDIT_UNDO:
                if version == 0:
                    return dbc.Alert("No change to undo.", color="info"), no_update
                store.undo(event_id, version, user=user, expected_version=version, note=note or "")
                what = f"undid version {version}"
            elif isinstance(trig, dict) and trig.get("type") == ids.EDIT_MERGE:
                store.set_verdict(event_id, "duplicate_of", other=trig["index"], **kw)
                what, go_next = f"merged into {trig['index']}", True
            elif isinstance(trig, dict) and trig.get("type") == ids.EDIT_SPLIT:
                store.set_verdict(event_id, "split", other=trig["index"], **kw)
                what = f"split article {trig['index']} out"
            else:
                raise PreventUpdate
        except ReviewError as exc:
            color = "warning" if "was changed" in str(exc) else "danger"
            return dbc.Alert(str(exc), color=color, className="sortie-review-error"), no_update
        n = (done or {}).get("n", 0) + 1
        msg = dbc.Alert(f"{event_id}: {what}.", color="success", className="py-1 small")
        return msg, {"n": n, "next": go_next}


def _orphans(ds):
    rev = getattr(ds, "review", None)
    if rev is None or not rev.orphans and not rev.problems:
        return None
    snap = ds.snapshot
    items = []
    for s in rev.orphans:
        a = snap.anchors.get(s)
        ev = (a.evidence if a else "")[:160]
        items.append(html.Li([html.Code(s), f": {ev}"]))
    items += [html.Li(p) for p in rev.problems]
    return dbc.Alert(
        [
            html.Div(
                f"{len(rev.orphans)} orphaned edit(s): their events are gone after a re-run "
                "(kept in the review store, not applied).",
                className="fw-semibold",
            ),
            html.Ul(items, className="mb-0 small"),
        ],
        color="warning",
        id="review-orphan-list",
    )
