"""The review page's pieces: the edit form (a table of slots), the queue's items, an
event's card with its evidence marked, the orphans notice. Every text is a text node
(React escapes it); links only for http(s) URLs."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.review import queue
from dashboard.review.slots import admin1_names, countries
from dashboard.sections.drilldown import _safe_href
from etl.schema import ACTORS, EVENT_TYPES, PRECISIONS, WEAPONS, Col

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


def fid(name: str) -> dict:
    return {"type": ids.REVIEW_FIELD, "index": name}


def _input(name: str, kind: str, choices, placeholder: str = ""):
    if kind == "choice":
        opts = (
            choices
            if choices is not None
            else (countries() if name == Col.COUNTRY else admin1_names())
        )
        return dcc.Dropdown(
            id=fid(name),
            options=[{"label": c, "value": c} for c in opts],
            placeholder=placeholder or "not stated",
            className="sortie-review-dd",
        )
    if kind == "bool":
        return dbc.Checkbox(id=fid(name), value=False)
    return dbc.Input(
        id=fid(name),
        type="number" if kind == "count" else "text",
        min=0 if kind == "count" else None,
        step=1 if kind == "count" else None,
        placeholder="YYYY-MM-DD" if kind == "date" else (placeholder or "not stated"),
        size="sm",
        maxLength=None if kind == "count" else 200,
        debounce=True,
    )


def form(can_edit: bool = True) -> html.Div:
    rows = []
    for name, label, kind, choices in FORM:
        rows.append(
            dbc.Col(
                [dbc.Label(label, className="small mb-0"), _input(name, kind, choices)],
                md=4 if kind in ("choice", "text", "date") else 2,
                className="mb-2",
                id=f"queue-fw-{name}",
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
                        id=f"queue-fw-side{i}-actor",
                    ),
                    dbc.Col(
                        _input(f"side{i}.killed", "count", (), "killed"),
                        md=3,
                        id=f"queue-fw-side{i}-killed",
                    ),
                    dbc.Col(
                        _input(f"side{i}.wounded", "count", (), "wounded"),
                        md=3,
                        id=f"queue-fw-side{i}-wounded",
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
            disabled=not can_edit and id_ != ids.REVIEW_SKIP,  # the server refuses anyway
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


# --- rendering -------------------------------------------------------------------------


def evidence(text: str, pub, date_text) -> html.Div:
    parts = []
    for kind, piece in queue.highlight(text or "", pub, date_text):
        if kind == "date":
            parts.append(html.Mark(piece, className="sortie-date", title="date words"))
        elif kind == "count":
            parts.append(html.Mark(piece, className="sortie-count", title="count"))
        else:
            parts.append(piece)
    return html.Div(parts, className="sortie-review-evidence border-start ps-2 my-2")


def summary(r: dict) -> str:
    when = r.get(Col.EVENT_DATE) or r.get(Col.DATE_START) or "undated"
    return (
        f"{(r.get(Col.EVENT_TYPE) or '').replace('_', ' ')} \u00b7 {when} \u00b7 "
        f"{r.get(Col.ADMIN1) or '?'} \u00b7 {r.get(Col.ACTOR1) or 'unknown actor'}"
    )


def badge(mark, dropped: str | None = None):
    if dropped:
        return dbc.Badge(dropped.replace("_", " "), color="danger", className="ms-1")
    if mark is None:
        return dbc.Badge("unreviewed", color="light", text_color="dark", className="ms-1")
    return dbc.Badge(mark.status, color="success", className="ms-1 sortie-reviewed")


def list_item(r: dict, mark, active: bool):
    ev = (r.get(Col.EVIDENCE) or "").replace("\n", " ")
    return dbc.ListGroupItem(
        [
            html.Div([html.Span(summary(r), className="fw-semibold small"), badge(mark)]),
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


def card(r: dict, articles: list[dict], title: str, button=None) -> dbc.Card:
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
                html.Div(summary(r), className="fw-semibold"),
                html.Div(heads),
                evidence(r.get(Col.EVIDENCE), pub, r.get(Col.DATE_TEXT)),
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


def form_values(r: dict, sides: list[dict]) -> list:
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


def changes(loaded: dict, values: list) -> dict:
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


def orphans(ds):
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
        id="queue-orphan-list",
    )


def recent(log, k: int = 6):
    """The latest decided events (newest first), to reopen one, also one that left the
    queue (not an event, a duplicate), and undo."""
    seen: dict[str, object] = {}
    for e in log:
        if e.event_id not in seen:
            seen[e.event_id] = e
        if len(seen) >= k:
            break
    if not seen:
        return None
    items = [
        html.Button(
            f"{e.event_id}: {e.field} by {e.user}",
            id={"type": ids.REVIEW_RECENT, "index": eid},
            className="btn btn-sm btn-link p-0 me-3",
            n_clicks=0,
            type="button",
        )
        for eid, e in seen.items()
    ]
    return html.Div(
        [html.Span("Recent changes: ", className="small text-muted"), *items],
        className="mb-2 small",
    )
