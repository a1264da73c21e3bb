"""Sign-in and the edit guard through Flask's test client (no browser)."""

from __future__ import annotations

import json
import re

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.review.store import ReviewStore
from tests.dashboard import factories as fx

PW = "correct horse battery"


@pytest.fixture
def client(tmp_path):
    data = fx.seed_like(tmp_path / "data")
    store = ReviewStore.of(data)
    store.add_user("ana", PW, "editor")
    store.add_user("vic", PW, "viewer")
    app = create_app(data)
    c = app.server.test_client()
    c.data_dir = data
    return c


def login(c, name, password=PW, next_="/review"):
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return c.post(
        "/login", data={"username": name, "password": password, "csrf": token, "next": next_}
    )


def page_token(c) -> str | None:
    layout = c.get("/_dash-layout").get_data(as_text=True)
    m = re.search(r'"data":\s*"([^"]+)",\s*"id":\s*"review-edit-csrf"', layout) or re.search(
        r'"id":\s*"review-edit-csrf"[^}]*"data":\s*"([^"]+)"', layout
    )
    return m.group(1) if m else None


def confirm(c, token, clicks=1):
    body = {
        "output": f"..{ids.EDIT_STATUS}.children...{ids.EDIT_DONE}.data..",
        "outputs": [
            {"id": ids.EDIT_STATUS, "property": "children"},
            {"id": ids.EDIT_DONE, "property": "data"},
        ],
        "inputs": [
            {"id": ids.EDIT_SAVE, "property": "n_clicks", "value": 0},
            {"id": ids.EDIT_CONFIRM, "property": "n_clicks", "value": clicks},
            {"id": ids.EDIT_NOT_EVENT, "property": "n_clicks", "value": 0},
            {"id": ids.EDIT_UNDO, "property": "n_clicks", "value": 0},
            [],
            [],
        ],
        "changedPropIds": [f"{ids.EDIT_CONFIRM}.n_clicks"],
        "state": [
            {
                "id": ids.REVIEW_LOADED,
                "property": "data",
                "value": {"event_id": "s001-1", "version": 0, "values": []},
            },
            [],
            [],
            {"id": ids.EDIT_NOTE, "property": "value", "value": ""},
            {"id": ids.EDIT_CSRF, "property": "data", "value": token},
            {"id": ids.EDIT_DONE, "property": "data", "value": {"n": 0}},
        ],
    }
    return c.post("/_dash-update-component", json=body)


def test_login_sets_safe_cookie_and_redirects_only_inside(client):
    r = login(client, "ana", next_="//evil.example/x")
    assert r.status_code == 302 and r.headers["Location"] == "/review"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_refuses_bad_password_and_missing_form_token(client):
    assert login(client, "ana", "wrong password").status_code == 401
    r = client.post("/login", data={"username": "ana", "password": PW, "csrf": "forged"})
    assert r.status_code == 401 and "expired" in r.get_data(as_text=True)


def test_guard_statuses_and_the_one_allowed_write(client):
    store = ReviewStore.of(client.data_dir)
    assert confirm(client, "x").status_code == 401  # signed out
    assert confirm(client, "x", clicks=0).status_code == 204  # buttons appearing: no-op
    login(client, "vic")
    assert confirm(client, page_token(client)).status_code == 403  # a viewer
    client.get("/logout")
    login(client, "ana")
    assert confirm(client, "forged").status_code == 403  # no CSRF token
    assert store.snapshot().verdicts == {}
    token = page_token(client)
    assert token
    r = confirm(client, token)
    assert r.status_code == 200 and "confirmed" in json.dumps(r.get_json())
    assert store.snapshot().verdicts == {"s001-1": "confirmed"}
    assert [e.user for e in store.log("s001-1")] == ["ana"]
