"""Analyst review in real headless Chromium: sign in, correct, merge, split, reject, the
edit guard after signing out, and two editors at once. Every step waits for its result."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.review.store import ReviewStore, User
from dashboard.review.view import anchor_of
from etl.schema import Col
from tests.dashboard import factories as fx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]
PASSWORD = "correct horse battery"

EVENTS = [
    dict(
        event_id="r1",
        article_ids=["b1"],
        event_type="airstrike",
        event_date="2024-10-15",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Kirkuk",
        killed=4,
        strikes=1,
        evidence="Jets struck a hideout near the river on Tuesday, killing four fighters.",
        sources=["Outlet A"],
        urls=["https://example.org/b1"],
        confidence=0.4,
    ),
    dict(
        event_id="r2",
        article_ids=["b2"],
        event_type="airstrike",
        event_date="2024-10-15",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        admin1="Kirkuk",
        killed=5,
        strikes=1,
        evidence="An air raid on Tuesday killed five militants in the same valley.",
        sources=["Outlet B"],
        urls=["https://example.org/b2"],
        confidence=0.5,
    ),
    dict(
        event_id="r3",
        article_ids=["b3", "b4"],
        event_type="airstrike",
        event_date="2024-10-10",
        actor1="Turkey",
        actor2="PKK",
        admin1="Duhok",
        killed=2,
        evidence="Drones hit a car in the mountains.\nA separate drone raid hit a checkpoint.",
        sources=["Outlet C", "Outlet D"],
        urls=["https://example.org/b3", "https://example.org/b4"],
        merged_from=["r4"],
        confidence=0.7,
    ),
    dict(
        event_id="r5",
        article_ids=["b5"],
        event_type="bombing",
        event_date="2024-10-12",
        actor1="ISIS",
        actor2="Civilians",
        admin1="Baghdad",
        killed=1,
        evidence="Photo: two men walk past the market hit on Saturday.",
        sources=["Outlet A"],
        urls=["https://example.org/b5"],
        confidence=0.2,
    ),
]
CASUALTIES = [
    {Col.EVENT_ID: "r1", Col.ACTOR: "ISIS", Col.KILLED: 4},
    {Col.EVENT_ID: "r2", Col.ACTOR: "ISIS", Col.KILLED: 5},
    {Col.EVENT_ID: "r3", Col.ACTOR: "PKK", Col.KILLED: 2},
    {Col.EVENT_ID: "r5", Col.ACTOR: "Civilians", Col.KILLED: 1},
]


def _article(aid, source, title):
    return dict(fx.article(aid, source, pub="2024-10-16"), title=title)


ARTICLES = [
    _article("b1", "Outlet A", "Jets strike hideout"),
    _article("b2", "Outlet B", "Air raid kills five"),
    _article("b3", "Outlet C", "Drone hits car"),
    _article("b4", "Outlet D", "Drone raid on checkpoint"),
    _article("b5", "Outlet A", "Market in pictures"),
]
RUNS = [
    {
        Col.RUN_ID: "r",
        Col.STARTED: datetime(2025, 1, 1, tzinfo=UTC),
        Col.FINISHED: datetime(2025, 1, 1, tzinfo=UTC),
        Col.EVENTS: len(EVENTS),
    }
]


@pytest.fixture
def data(tmp_path) -> Path:
    d = fx.write(tmp_path / "data", EVENTS, CASUALTIES, ARTICLES, RUNS)
    store = ReviewStore.of(d)
    store.add_user("ana", PASSWORD, "editor")
    store.add_user("vic", PASSWORD, "viewer")
    return d


def no_severe_logs(dash_duo, refused_on_purpose: bool = False):
    # a refused request (401/403) logs a failed resource load: where the test sends
    # them on purpose, that is the point of it; anywhere else it is a failure
    severe = [
        e
        for e in dash_duo.get_logs()
        if e.get("level") == "SEVERE"
        and not (refused_on_purpose and "status of 40" in e.get("message", ""))
    ]
    assert severe == [], severe


def start(dash_duo, data):
    dash_duo.start_server(create_app(data))
    dash_duo.wait_for_element(".sortie-drill, .sortie-empty", timeout=20)


def sign_in(dash_duo, name="ana"):
    d = dash_duo.driver
    d.get(dash_duo.server_url + "/login?next=/review")
    d.find_element(By.ID, "username").send_keys(name)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.ID, "login-submit").click()
    dash_duo.wait_for_contains_text(f"#{ids.NAV_USER}", f"{name} (", timeout=20)
    dash_duo.wait_for_element(f"#{ids.REVIEW_LIST} .sortie-queue-item", timeout=20)


def pid(kind: str, index: str) -> str:
    return json.dumps({"index": index, "type": kind}, separators=(",", ":"))


def by_pid(dash_duo, kind: str, index: str):
    """The element of a pattern-matching id (its DOM id is JSON: no CSS selector)."""
    js = "return document.getElementById(arguments[0])"
    found = {}

    def look():
        found["el"] = dash_duo.driver.execute_script(js, pid(kind, index))
        return found["el"] is not None

    assert until(look, 15), f"no {kind} {index}"
    return found["el"]


def click(dash_duo, el):
    """Scroll `el` into view, then click it (a DOM click: the sticky page parts cannot
    intercept it)."""
    until(lambda: not dash_duo.redux_state_rqs, 10)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    dash_duo.driver.execute_script("arguments[0].click()", el)


def pick(dash_duo, event_id):
    until(lambda: not dash_duo.redux_state_rqs, 10)
    click(dash_duo, by_pid(dash_duo, ids.REVIEW_PICK, event_id))
    dash_duo.wait_for_contains_text(f"#{ids.REVIEW_DETAIL}", f"Event {event_id}", timeout=15)
    until(lambda: not dash_duo.redux_state_rqs, 10)


def status(dash_duo, text):
    dash_duo.wait_for_contains_text(f"#{ids.EDIT_STATUS}", text, timeout=15)


def set_number(dash_duo, name, value):
    el = by_pid(dash_duo, ids.REVIEW_FIELD, name)
    el.clear()
    el.send_keys(str(value), Keys.TAB)  # the field commits its value when left


def dashboard(dash_duo, query=""):
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element(".sortie-drill, .sortie-empty", timeout=20)


def kpi(dash_duo, key):
    until(lambda: not dash_duo.redux_state_rqs, 10)
    return dash_duo.find_element(f"#kpi-{key}").text


def download(dash_duo, button, name):
    target = Path(dash_duo.download_path) / name
    if target.exists():
        target.unlink()
    dash_duo.find_element(f"#{button}").click()
    assert until(lambda: target.exists() and target.stat().st_size > 0, 15)
    with open(target, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_correct_actor_and_casualties_changes_charts_and_acled(dash_duo, data):
    start(dash_duo, data)
    dash_duo.wait_for_text_to_equal("#kpi-killed", "12")
    sign_in(dash_duo)
    pick(dash_duo, "r1")
    dash_duo.select_dcc_dropdown("#queue-fw-actor1", value="United States")
    dash_duo.select_dcc_dropdown("#queue-fw-side1-actor", value="Civilians")
    set_number(dash_duo, "side0.killed", 6)
    set_number(dash_duo, "side1.killed", 3)
    click(dash_duo, dash_duo.find_element(f"#{ids.EDIT_SAVE}"))
    status(dash_duo, "saved actor1, casualties")
    dash_duo.wait_for_contains_text(f"#{ids.REVIEW_DETAIL}", "corrected")
    # the dashboard: killed 12 -> 12 - 4 + 9; the actor shows in the tempo chart
    dashboard(dash_duo, "?actor=United%20States")
    dash_duo.wait_for_text_to_equal("#kpi-killed", "9")
    dash_duo.wait_for_text_to_equal("#kpi-events", "1")
    rows = download(dash_duo, ids.EXPORT_ACLED, "sortie_events_acled.csv")
    assert [(r["event_id_cnty"], r["actor1"], r["fatalities"]) for r in rows] == [
        ("r1", "United States", "9")
    ]
    # the drill-down marks it and shows the machine value on hover
    cell = dash_duo.find_element(".sortie-drill td.sortie-corrected[title*='actor1']")
    assert "Iraqi Security Forces" in cell.get_attribute("title")
    assert dash_duo.find_element(".sortie-drill .sortie-reviewed").text == "reviewed: corrected"
    # the raw switch shows the extraction as it was
    dashboard(dash_duo, "?raw=1")
    dash_duo.wait_for_text_to_equal("#kpi-killed", "12")
    no_severe_logs(dash_duo)


def test_merge_duplicates_then_split_one_apart(dash_duo, data):
    start(dash_duo, data)
    dash_duo.wait_for_text_to_equal("#kpi-events", "4")
    sign_in(dash_duo)
    pick(dash_duo, "r2")
    click(dash_duo, by_pid(dash_duo, ids.EDIT_MERGE, "r1"))
    status(dash_duo, "merged into r1")
    dashboard(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-events", "3")
    # r1 now holds both reports: split b2 back out
    dash_duo.driver.get(dash_duo.server_url + "/review")
    dash_duo.wait_for_element(f"#{ids.REVIEW_LIST} .sortie-queue-item", timeout=20)
    pick(dash_duo, "r1")
    click(dash_duo, by_pid(dash_duo, ids.EDIT_SPLIT, "b2"))
    status(dash_duo, "split article b2 out")
    dashboard(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-events", "4")
    # and a merged event of the ETL splits too (r3 = r3 + r4)
    dash_duo.driver.get(dash_duo.server_url + "/review")
    dash_duo.wait_for_element(f"#{ids.REVIEW_LIST} .sortie-queue-item", timeout=20)
    pick(dash_duo, "r3")
    click(dash_duo, by_pid(dash_duo, ids.EDIT_SPLIT, "b4"))
    status(dash_duo, "split article b4 out")
    dashboard(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-events", "5")
    no_severe_logs(dash_duo)


def test_caption_marked_not_an_event_by_keyboard(dash_duo, data):
    start(dash_duo, data)
    sign_in(dash_duo)
    # the least confident event comes first: the caption
    first = dash_duo.find_elements(f"#{ids.REVIEW_LIST} .sortie-queue-item")[0]
    assert "bombing" in first.text and "unreviewed" in first.text
    pick(dash_duo, "r5")
    # the count and the date words are marked in the evidence
    dash_duo.wait_for_text_to_equal(f"#{ids.REVIEW_DETAIL} mark.sortie-count", "two")
    dash_duo.wait_for_text_to_equal(f"#{ids.REVIEW_DETAIL} mark.sortie-date", "on Saturday")
    dash_duo.find_element("body").send_keys("x")  # not an event, by key
    status(dash_duo, "marked not an event")
    dashboard(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-events", "3")
    dashboard(dash_duo, "?raw=1")
    dash_duo.wait_for_text_to_equal("#kpi-events", "4")
    # it left the queue; reopened from the recent changes, the verdict is undone
    dash_duo.driver.get(dash_duo.server_url + "/review")
    click(dash_duo, by_pid(dash_duo, ids.REVIEW_RECENT, "r5"))
    dash_duo.wait_for_contains_text(f"#{ids.REVIEW_DETAIL}", "not event", timeout=15)
    click(dash_duo, dash_duo.find_element(f"#{ids.EDIT_UNDO}"))
    status(dash_duo, "undid version 1")
    dashboard(dash_duo)
    dash_duo.wait_for_text_to_equal("#kpi-events", "4")
    log = ReviewStore.of(data).log("r5")
    assert [(e.field, e.has_after) for e in log] == [("verdict", False), ("verdict", True)]
    no_severe_logs(dash_duo)


def test_queue_is_open_to_viewers_without_refused_requests(dash_duo, data):
    start(dash_duo, data)
    dash_duo.driver.get(dash_duo.server_url + "/review")
    dash_duo.wait_for_element(f"#{ids.REVIEW_LIST} .sortie-queue-item", timeout=20)
    pick(dash_duo, "r2")  # its duplicate candidate (with a merge button) renders too
    dash_duo.wait_for_element(f"#{ids.REVIEW_DUPES} .card", timeout=15)
    until(lambda: not dash_duo.redux_state_rqs, 10)
    assert dash_duo.find_element(f"#{ids.EDIT_CONFIRM}").get_attribute("disabled")
    assert "Sign in" in dash_duo.find_element(f"#{ids.PAGE_REVIEW}").text
    no_severe_logs(dash_duo)  # strict: no 401 for a page that only looks


EDIT_INPUTS = [ids.EDIT_SAVE, ids.EDIT_CONFIRM, ids.EDIT_NOT_EVENT, ids.EDIT_UNDO]


def post_edit(dash_duo, trigger, token=None):
    """POST an edit callback request from the page (same origin, its cookies)."""
    body = {
        "output": "..review-edit-status.children...review-edit-done.data..",
        "outputs": [
            {"id": ids.EDIT_STATUS, "property": "children"},
            {"id": ids.EDIT_DONE, "property": "data"},
        ],
        "inputs": [{"id": trigger, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{trigger}.n_clicks"],
        "state": [
            {
                "id": ids.REVIEW_LOADED,
                "property": "data",
                "value": {"event_id": "r1", "version": 0, "values": []},
            },
            {"id": ids.EDIT_CSRF, "property": "data", "value": token},
        ],
    }
    return dash_duo.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch('/_dash-update-component', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json'}, body: arguments[0]})
          .then(r => done(r.status)).catch(e => done(String(e)));""",
        json.dumps(body),
    )


def test_edit_callbacks_refused_after_sign_out(dash_duo, data):
    start(dash_duo, data)
    # every edit callback of the app is one of these (ids holding review-edit)
    deps = dash_duo.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch('/_dash-dependencies').then(r => r.json()).then(done);"""
    )
    edit_cbs = [d for d in deps if "review" in d["output"] or "edit" in d["output"]]
    assert len(edit_cbs) == 1 and "review-edit-status" in edit_cbs[0]["output"]
    sign_in(dash_duo)
    token = None  # a forger cannot read the page's token; the session cookie is HttpOnly
    cookies = {c["name"]: c for c in dash_duo.driver.get_cookies()}
    assert cookies["session"]["httpOnly"] and cookies["session"]["sameSite"] == "Lax"
    # signed in, but without the session's CSRF token: 403
    assert all(post_edit(dash_duo, t, token) == 403 for t in EDIT_INPUTS)
    dash_duo.driver.get(dash_duo.server_url + "/logout")
    dash_duo.wait_for_contains_text(f"#{ids.NAV_USER}", "Sign in", timeout=20)
    assert [post_edit(dash_duo, t, "forged") for t in EDIT_INPUTS] == [401] * len(EDIT_INPUTS)
    # a viewer may look, not edit (the buttons are disabled; the server refuses anyway)
    sign_in(dash_duo, "vic")
    assert dash_duo.find_element(f"#{ids.EDIT_SAVE}").get_attribute("disabled")
    assert [post_edit(dash_duo, t, "forged") for t in EDIT_INPUTS] == [403] * len(EDIT_INPUTS)
    assert ReviewStore.of(data).snapshot().subjects == set()
    no_severe_logs(dash_duo, refused_on_purpose=True)


def test_second_editor_gets_conflict_message(dash_duo, data):
    start(dash_duo, data)
    sign_in(dash_duo)
    pick(dash_duo, "r1")
    # meanwhile another editor corrects r1 (and so moves it to version 1)
    store = ReviewStore.of(data)
    row = next(
        r
        for r in fx.table([fx.event(**e) for e in EVENTS], fx.EVENTS_SCHEMA).to_pylist()
        if r[Col.EVENT_ID] == "r1"
    )
    store.edit(
        "r1",
        {Col.STRIKES: 2},
        user=User("bob", "editor"),
        expected_version=0,
        anchor=anchor_of(row),
    )
    set_number(dash_duo, Col.STRIKES, 3)
    click(dash_duo, dash_duo.find_element(f"#{ids.EDIT_SAVE}"))
    dash_duo.wait_for_contains_text(
        f"#{ids.EDIT_STATUS} .sortie-review-error", "was changed by bob", timeout=15
    )
    assert store.snapshot().overrides["r1"][Col.STRIKES] == 2  # not overwritten
    no_severe_logs(dash_duo)


SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.mark.skipif(
    not os.environ.get("SORTIE_REVIEW_SCREENSHOTS"),
    reason="set SORTIE_REVIEW_SCREENSHOTS=1 to regenerate docs/screenshots/review_*.png",
)
def test_screenshots(dash_duo, data):
    dash_duo.driver.set_window_size(1440, 1300)
    start(dash_duo, data)
    sign_in(dash_duo)
    pick(dash_duo, "r1")
    dash_duo.select_dcc_dropdown("#queue-fw-actor1", value="United States")
    set_number(dash_duo, "side0.killed", 6)
    click(dash_duo, dash_duo.find_element(f"#{ids.EDIT_SAVE}"))
    status(dash_duo, "saved")
    pick(dash_duo, "r2")  # its duplicate candidate r1 shows beside it
    dash_duo.wait_for_element(f"#{ids.REVIEW_DUPES} .card", timeout=15)
    until(lambda: not dash_duo.redux_state_rqs, 10)
    dash_duo.driver.execute_script("window.scrollTo(0, 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(SHOTS / "review_queue.png"))
    pick(dash_duo, "r1")
    dash_duo.wait_for_contains_text(f"#{ids.REVIEW_HISTORY}", "History (")
    set_number(dash_duo, Col.KILLED_LOW, 9)  # above the best figure: refused
    click(dash_duo, dash_duo.find_element(f"#{ids.EDIT_SAVE}"))
    dash_duo.wait_for_contains_text(f"#{ids.EDIT_STATUS}", "is above", timeout=15)
    dash_duo.driver.set_window_size(1440, 2200)  # the whole card in view
    until(lambda: not dash_duo.redux_state_rqs, 10)
    card = dash_duo.find_element(f"#{ids.PAGE_REVIEW} .col-lg-8 .card")
    dash_duo.driver.execute_script("window.scrollTo(0, 0)")
    card.screenshot(str(SHOTS / "review_edit_form.png"))
