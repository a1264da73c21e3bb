"""Sign-in for editing: Flask-Login on Dash's Flask server, users in the review store.

Viewing stays open. Editing needs a signed-in *editor*, checked on the server twice:
a `before_request` guard refuses any `/_dash-update-component` request whose outputs
name an edit component (ids holding "review-edit") unless the session is an editor's
(401 signed out, 403 viewer) and the request carries the session's CSRF token (403);
and every edit callback checks again (`require_editor`). The login form carries its
own CSRF token. Session cookies are HttpOnly and SameSite=Lax (Secure when
SORTIE_SECURE_COOKIES=1, for HTTPS deployments).
"""

from __future__ import annotations

import hmac
import html
import json
import os
import secrets
from pathlib import Path

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboard.review.store import ReviewStore, User

EDIT_MARK = "review-edit"  # every edit callback's outputs have ids containing this
CSRF_KEY = "sortie_csrf"
LOGIN_CSRF_KEY = "sortie_login_csrf"
MAX_REQUEST = 10 * 1024 * 1024  # bytes of one callback request


class SessionUser(UserMixin):
    def __init__(self, user: User):
        self.user = user

    def get_id(self) -> str:
        return self.user.name


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    tok = flask.session.get(CSRF_KEY)
    if not tok:
        tok = flask.session[CSRF_KEY] = secrets.token_urlsafe(32)
    return tok


def signed_in() -> User | None:
    return current_user.user if current_user and current_user.is_authenticated else None


def require_editor(token) -> User:
    """The signed-in editor; Unauthorized (401) / Forbidden (403) otherwise."""
    user = signed_in()
    if user is None:
        raise Unauthorized("sign in to edit")
    if not user.can_edit:
        raise Forbidden(f"user {user.name} has role {user.role}; editing needs editor")
    expected = flask.session.get(CSRF_KEY)
    if not expected or not isinstance(token, str) or not hmac.compare_digest(token, expected):
        raise Forbidden("missing or wrong CSRF token")
    return user


def _is_edit_request(body: dict) -> bool:
    out = str(body.get("output", ""))
    outputs = body.get("outputs")
    ids = json.dumps(outputs) if outputs is not None else ""
    return EDIT_MARK in out or EDIT_MARK in ids


def _prop_key(item: dict) -> str:
    cid = item.get("id")
    if isinstance(cid, dict):
        cid = json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return f"{cid}.{item.get('property')}"


def _clicked(body: dict) -> bool:
    """Whether a changed input of the request carries a click (a truthy value). Edit
    buttons appearing on the page also call the edit callback, with 0 clicks: those
    pass (the callback itself does nothing for them), so that a viewer's page stays
    free of refused requests."""
    values = {}
    for item in body.get("inputs") or []:
        for x in item if isinstance(item, list) else [item]:
            if isinstance(x, dict):
                values[_prop_key(x)] = x.get("value")
    return any(values.get(c) for c in body.get("changedPropIds") or [])


def _token_in(body: dict) -> str | None:
    for item in (body.get("state") or []) + (body.get("inputs") or []):
        if isinstance(item, dict) and item.get("id") == "review-edit-csrf":
            v = item.get("value")
            return v if isinstance(v, str) else None
    return None


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/review"
    return target


LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Sortie</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container"><div class="row">
<div class="col-md-6 col-lg-4 mx-auto">
<h1 class="h4 mt-5 mb-3">Sortie &mdash; sign in to edit</h1>
{error}
<form method="post" action="/login" class="card card-body shadow-sm">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label class="form-label" for="username">User</label>
<input class="form-control mb-2" id="username" name="username" autocomplete="username" required
 maxlength="64" autofocus>
<label class="form-label" for="password">Password</label>
<input class="form-control mb-3" id="password" name="password" type="password"
 autocomplete="current-password" required maxlength="256">
<button class="btn btn-primary" id="login-submit" type="submit">Sign in</button>
</form>
<p class="small text-muted mt-3">Viewing needs no account. <a href="/">Back to the dashboard</a></p>
</div></div></main></body></html>"""


def install(app, data_dir: str | Path) -> None:
    """Sign-in routes, the session settings and the edit guard on `app.server`."""
    server: flask.Flask = app.server
    store = ReviewStore.of(data_dir)
    server.config.update(
        SECRET_KEY=os.environ.get("SORTIE_SECRET_KEY") or store.secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SORTIE_SECURE_COOKIES") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    manager = LoginManager()
    manager.init_app(server)
    manager.session_protection = "strong"

    @manager.user_loader
    def load(name: str):
        user = store.user(name)
        return SessionUser(user) if user else None

    @server.before_request
    def guard():
        req = flask.request
        if req.method != "POST" or not req.path.endswith("/_dash-update-component"):
            return None
        if req.content_length is not None and req.content_length > MAX_REQUEST:
            return flask.Response("request too large", 413)
        body = req.get_json(silent=True)
        if not isinstance(body, dict) or not _is_edit_request(body) or not _clicked(body):
            return None
        try:
            require_editor(_token_in(body))
        except (Unauthorized, Forbidden) as exc:
            return flask.Response(exc.description, exc.code, mimetype="text/plain")
        return None

    @server.route("/login", methods=["GET", "POST"])
    def login():
        req = flask.request
        error = ""
        nxt = _safe_next(req.values.get("next"))
        if req.method == "POST":
            sent = req.form.get("csrf", "")
            expected = flask.session.get(LOGIN_CSRF_KEY, "")
            user = None
            if expected and hmac.compare_digest(sent, expected):
                user = store.authenticate(
                    req.form.get("username", "")[:64], req.form.get("password", "")[:256]
                )
                error = "Wrong user name or password." if user is None else ""
            else:
                error = "The form expired; please sign in again."
            if user is not None:
                flask.session.clear()  # a fresh session (no fixation)
                login_user(SessionUser(user))
                csrf_token()
                return flask.redirect(nxt)
        tok = flask.session[LOGIN_CSRF_KEY] = secrets.token_urlsafe(32)
        page = LOGIN_PAGE.format(
            csrf=html.escape(tok),
            next=html.escape(nxt),
            error=f'<div class="alert alert-danger" id="login-error">{html.escape(error)}</div>'
            if error
            else "",
        )
        resp = flask.make_response(page, 401 if error else 200)
        resp.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
        return resp

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        logout_user()
        flask.session.clear()
        return flask.redirect("/")
