"""Checks of what the browser sends the drill-down callbacks (it can be forged): a
figure's clickData, the curve maps, the selection and the page number. Each returns
its input or raises BadRequest (HTTP 400) naming the bad value."""

from __future__ import annotations

from werkzeug.exceptions import BadRequest

from dashboard.limits import MAX_PAGE
from dashboard.metrics import date_or_none
from etl.schema import Col

# What the browser may send back (it can be forged): the types each key must have.
CLICK_KEYS = {
    "x": (str, int, float),
    "y": (str, int, float),
    "location": (str,),
    "customdata": None,
}
SELECTION_KEYS = {
    "start": str,
    "end": str,
    "types": list,
    "col": str,
    "value": str,
    "admin1": str,
    "event_id": str,
    "label": str,
}
SELECTION_COLS = (Col.ACTOR1, "casualty_actor")


def check_click(click) -> dict | None:
    """A figure's clickData as the renderer sends it, or BadRequest: an object whose
    `points` is a list of objects; the keys read here have the types plotly gives."""
    if click is None:
        return None
    if not isinstance(click, dict) or not isinstance(click.get("points", []), list):
        raise BadRequest(f"clickData={click!r:.80} is not an object with a list of points")
    for pt in click.get("points", [])[:1]:
        if not isinstance(pt, dict):
            raise BadRequest(f"a clicked point must be an object, not {pt!r:.80}")
        n = pt.get("curveNumber")
        if n is not None and (not isinstance(n, int) or isinstance(n, bool)):
            raise BadRequest(f"curveNumber={n!r:.80} is not an integer")
        for key, types in CLICK_KEYS.items():
            v = pt.get(key)
            if v is not None and types and not isinstance(v, types):
                raise BadRequest(f"a clicked point's {key}={v!r:.80} is not {types}")
    return click


def check_curves(curves) -> list | None:
    if curves is not None and (
        not isinstance(curves, list) or not all(c is None or isinstance(c, str) for c in curves)
    ):
        raise BadRequest(f"a curve map must be a list of names or nulls, not {curves!r:.80}")
    return curves


def check_selection(sel) -> dict | None:
    """A selection dict (selection_from_click output) from the browser, or BadRequest."""
    if sel is None:
        return None
    if not isinstance(sel, dict):
        raise BadRequest(f"a selection must be an object, not {sel!r:.80}")
    for key, v in sel.items():
        want = SELECTION_KEYS.get(key)
        if want is None:
            raise BadRequest(f"unknown selection key {key!r:.80}; valid: {list(SELECTION_KEYS)}")
        if v is not None and not isinstance(v, want):
            raise BadRequest(f"selection {key}={v!r:.80} is not a {want.__name__}")
    if sel.get("types") and not all(isinstance(t, str) for t in sel["types"]):
        raise BadRequest(f"selection types={sel['types']!r:.80} is not a list of names")
    if sel.get("col") and sel["col"] not in SELECTION_COLS:
        raise BadRequest(f"selection col={sel['col']!r:.80} is not one of {SELECTION_COLS}")
    for key in ("start", "end"):
        if sel.get(key) and date_or_none(sel[key]) is None:
            raise BadRequest(f"selection {key}={sel[key]!r:.80} is not an ISO date")
    return sel


def check_page(page) -> int:
    if page is None:
        return 0
    if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page <= MAX_PAGE:
        raise BadRequest(f"page={page!r:.80} is not an integer from 0 to {MAX_PAGE:,}")
    return page
