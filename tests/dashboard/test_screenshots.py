"""Regenerates docs/screenshots/*.png (skipped unless SORTIE_SCREENSHOTS names a data dir):

.venv/bin/python -m etl run seeds --data /tmp/seeddata
SORTIE_SCREENSHOTS=/tmp/seeddata .venv/bin/pytest tests/dashboard/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

from dashboard import ids
from dashboard.app import create_app

DATA = os.environ.get("SORTIE_SCREENSHOTS")
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not DATA, reason="set SORTIE_SCREENSHOTS=<data dir> to regenerate"),
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]
VIEWS = [
    ("tempo", "?freq=month", f"#{ids.TEMPO_GRAPH} .main-svg .bars"),
    (
        "tempo_small_multiples",
        "?freq=month&layout=facet&from=2023-01-01&to=2024-12-31",
        f"#{ids.TEMPO_GRAPH} .main-svg .bars",
    ),
    ("casualties", "?tab=casualties&freq=month", f"#{ids.CAS_GRAPH} .main-svg .bars"),
    ("governorates", "?tab=provinces&freq=month", f"#{ids.MAP_GRAPH} .maplibregl-map canvas"),
]


@pytest.mark.parametrize(("name", "query", "ready"), VIEWS)
def test_screenshot(dash_duo, name, query, ready):
    dash_duo.driver.set_window_size(1440, 1500)
    dash_duo.start_server(create_app(DATA))
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element(ready, timeout=20)
    dash_duo.wait_for_element(f"#{ids.DRILL_TABLE} table", timeout=20)
    until(lambda: not dash_duo.find_elements("._dash-loading, .dash-spinner"), 10)
    if name == "tempo":  # drill into the first bar
        bar = dash_duo.find_elements(f"#{ids.TEMPO_GRAPH} .bars .point path")[0]
        ActionChains(dash_duo.driver).move_to_element(bar).click().perform()
        dash_duo.wait_for_contains_text(f"#{ids.DRILL_TITLE}", "Events behind")
    if name == "governorates":
        dash_duo.driver.execute_script("return new Promise(r => setTimeout(r, 1500))")
    OUT.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(OUT / f"{name}.png"))
