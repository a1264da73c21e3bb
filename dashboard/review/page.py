"""The review queue page (`/review`): the events to review, one event's evidence and a
compact edit form, duplicate candidates side by side, and the edit callbacks.

Keyboard: c confirm and next, j next, x not an event, s save, u undo (assets/
review_keys.js; the buttons also carry accesskeys). Layout pieces: widgets.py.
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
from dashboard.review.slots import ReviewError
from dashboard.review.store import Anchor, ReviewStore
from dashboard.review.view import anchor_of
from dashboard.review.widgets import (
    FIELD_NAMES,
    badge,
    card,
    changes,
    form,
    form_values,
    list_item,
    orphans,
    recent,
)
from dashboard.sections.common import STATE, view_state
from etl.schema import Col

PAGE = 12


def layout() -> html.Div:
    """The page; hidden unless the path is /review (app.py toggles it)."""
    user = signed_in()
    token = csrf_token() if user is not None and flask.has_request_context() else None
    who = (
        dbc.Alert(
            [
                "Viewing only. ",
                html.A("Sign in", href="/login?next=/review", id="queue-signin"),
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
                                    form(user is not None and user.can_edit),
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
            list_item(r, marks.get(r[Col.EVENT_ID]), r[Col.EVENT_ID] == selected) for r in rows
        ] or [dbc.ListGroupItem("No events match the filters.")]
        pager = f"{page * PAGE + 1 if rows else 0}\u2013{page * PAGE + len(rows)} of {len(order):,}"
        return items, pager, [orphans(ds), recent(ReviewStore.of(data_dir).log(limit=40))]

    @app.callback(
        Output(ids.REVIEW_SELECTED, "data"),
        Input({"type": ids.REVIEW_PICK, "index": ALL}, "n_clicks"),
        Input({"type": ids.REVIEW_RECENT, "index": ALL}, "n_clicks"),
        Input(ids.REVIEW_SKIP, "n_clicks"),
        Input(ids.EDIT_DONE, "data"),
        Input(ids.URL, "pathname"),
        State(ids.REVIEW_SELECTED, "data"),
        State(STATE, "data"),
    )
    def select(_picks, _recent, _skip, done, path, selected, state):
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
        editor = signed_in()
        can_edit = editor is not None and editor.can_edit
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
        values = form_values(show, sides)
        by_name = dict(zip(FIELD_NAMES, values, strict=True))
        store = ReviewStore.of(data_dir)
        version = store.version(event_id)
        head = html.Div(
            [
                html.Span(f"Event {event_id}", className="fw-semibold"),
                badge(mark, dropped),
                html.Span(f" version {version}", className="small text-muted ms-2"),
            ]
        )
        arts = queue.articles_of(ds, show.get(Col.ARTICLE_IDS) or [])
        main = [head, card(show, arts, "machine values" if mark is None else "reviewed values")]
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
                            disabled=not can_edit,
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
                        card(
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
                                disabled=not can_edit,
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
                changed = changes(loaded, [ordered.get(n) for n in FIELD_NAMES])
                if changed:
                    kw["expected_version"] = store.edit(event_id, changed, **kw)
                if trig == ids.EDIT_CONFIRM:
                    store.set_verdict(event_id, "confirmed", **kw)
                    go_next = True
                what = (
                    "confirmed"
                    if trig == ids.EDIT_CONFIRM
                    else (f"saved {', '.join(sorted(changed))}" if changed else "nothing changed")
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
