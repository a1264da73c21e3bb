"""Issue 10 in a real browser (headless Chromium via dash_duo): a 200,000-character
outlet name (D4) used to stall the first load for over a minute (the outlet filter's
search index takes every substring of every option), and the hostile link of B6."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import StaleElementReferenceException

from dashboard import ids
from dashboard.app import create_app
from dashboard.limits import ELLIPSIS, MAX_NAME
from tests.dashboard import factories as fx
from tests.test_dashboard_browser import drill_ids, no_severe_logs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]
HUGE = 200_000


def test_d4_huge_outlet_name_loads_and_filters(dash_duo, tmp_path):
    long = "x" * HUGE  # one token: no spaces for the search index to split on
    data = fx.write(
        tmp_path / "huge",
        [
            {"event_id": "h1", "event_date": "2021-02-01", "sources": [long], "strikes": 2},
            {"event_id": "h2", "event_date": "2021-02-02", "sources": ["Rudaw"], "strikes": 1},
        ],
        articles=[fx.article("a1", long, pub="2021-02-03")],
    )
    dash_duo.start_server(create_app(data))
    # the first load finishes (it took 92 s before the fix), KPIs and table drawn
    dash_duo.wait_for_element(f"#{ids.DRILL_TABLE} .sortie-drill", timeout=30)
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "3", timeout=30)
    cut = "x" * (MAX_NAME - 1) + ELLIPSIS
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TABLE}", cut, timeout=10)
    # the outlet can be picked by its cut name, and the filter finds its event
    # the dropdown may re-render while its options load: pick again on a stale element
    for attempt in range(3):
        try:
            dash_duo.select_dcc_dropdown(f"#{ids.SOURCES}", value=cut)
            break
        except StaleElementReferenceException:
            if attempt == 2:
                raise
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "2", timeout=20)
    assert until(lambda: drill_ids(dash_duo) == ["h1"], 10)
    no_severe_logs(dash_duo)


def test_b6_hostile_link_draws_a_bounded_chart(dash_duo, tmp_path):
    data = fx.write(
        tmp_path / "long",
        [
            {"event_id": "old", "event_date": "2000-01-03", "strikes": 3},
            {"event_id": "new", "event_date": "2024-12-30", "strikes": 2},
        ],
    )
    dash_duo.start_server(create_app(data))
    dash_duo.driver.get(dash_duo.server_url + "/?from=0001-01-01&to=9999-12-31&freq=day")
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "5", timeout=30)
    dash_duo.wait_for_contains_text(f"#{ids.TEMPO_GRAPH}", "shown per week", timeout=20)
    # the date picker shows the clamped range
    values = "return Array.from(document.querySelectorAll('input')).map(i => i.value)"
    assert until(lambda: "1900-01-01" in dash_duo.driver.execute_script(values), 10)
    no_severe_logs(dash_duo)
