"""Browser tests of the dashboard in real headless Chromium (dash.testing's dash_duo).

Chrome options come from tests/conftest.py (pytest_setup_options). selenium 4.2 calls
a urllib3 API that warns; that warning is not ours, so it is ignored here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains

from dashboard import ids
from dashboard.app import create_app
from tests.dashboard import factories as fx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
    # dash.testing stops its server thread by raising SystemExit in it
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", ""}


@pytest.fixture
def seed_dir(tmp_path) -> Path:
    return fx.seed_like(tmp_path / "data")


def start(dash_duo, data_dir, query: str = ""):
    dash_duo.start_server(create_app(data_dir))
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element(".sortie-drill, .sortie-empty", timeout=20)
    return dash_duo


def graph_data(dash_duo, gid: str) -> list[dict]:
    """Traces of a rendered graph as plotly.js holds them (typed arrays made lists)."""
    js = f"""
        const gd = document.querySelector('#{gid} .js-plotly-plot');
        if (!gd || !gd._fullData) return null;
        return JSON.stringify(gd._fullData.map(t => ({{
            type: t.type, name: t.name,
            y: t.y ? Array.from(t.y) : null, z: t.z ? Array.from(t.z) : null,
            locations: t.locations ? Array.from(t.locations) : null}})));
    """
    out = dash_duo.driver.execute_script(js)
    return json.loads(out) if out else []


def bar_total(traces) -> float:
    return sum(sum(v for v in t["y"] if v) for t in traces if t["type"] == "bar" and t["y"])


def drill_ids(dash_duo) -> list[str]:
    return [
        r.get_attribute("data-event-id")
        for r in dash_duo.find_elements(f"#{ids.DRILL_TABLE} tbody tr")
    ]


def click_clear_of_overlays(dash_duo, locate, container: str) -> None:
    """Click the element `locate()` finds with real mouse events, once it is safe to:
    the app idle (no callback in flight, so no redraw can replace the element or drop
    the click), scrolled to the middle of the viewport (away from the window's edges and
    anything fixed there), laid out, no loading overlay, and the topmost
    element at its centre inside `container` (for a plotly mark: the plot's own drag
    layer, which passes the click to the mark); then hover it, and click once plotly has
    the hover data. The element is looked up afresh on every try, as a redraw replaces
    it. Waits on these conditions, never a fixed time."""
    driver = dash_duo.driver
    found = {}

    def ready() -> bool:
        try:
            if dash_duo.redux_state_rqs:  # requests pending: the page may still change
                return False
            el = locate()
            if el is None:
                return False
            driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center', inline: 'center'})", el
            )
            clear = driver.execute_script(
                """
                const box = arguments[0].getBoundingClientRect();
                if (!box.width || !box.height) return false;
                if (document.querySelector('[data-dash-is-loading="true"]')) return false;
                const top = document.elementFromPoint(box.x + box.width / 2,
                                                      box.y + box.height / 2);
                return !!(top && top.closest(arguments[1]));
                """,
                el,
                container,
            )
        except StaleElementReferenceException:
            return False
        # the same element on two polls in a row: no redraw in between
        stable = clear and found.get("el") is not None and found["el"].id == el.id
        found["el"] = el if clear else None
        return bool(stable)

    assert until(ready, 10, poll=0.2, msg=f"nothing clickable in {container}")
    # plotly turns a click into plotly_click only for the point it has hovered: hover
    # first and wait until plotly has the hover data (computed asynchronously and
    # throttled, so a click right after the move can find none and be dropped)
    ActionChains(driver).move_to_element(found["el"]).perform()
    hovered = """
        const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');
        return !!(gd && gd._hoverdata && gd._hoverdata.length);
    """
    assert until(lambda: driver.execute_script(hovered, container), 10, msg="no hover")
    ActionChains(driver).click().perform()  # where the pointer is: on the hovered mark


def no_severe_logs(dash_duo):
    severe = [e for e in dash_duo.get_logs() if e.get("level") == "SEVERE"]
    assert severe == [], severe


def query(dash_duo) -> dict:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


# --- tests -------------------------------------------------------------------------------


def test_each_view_renders_with_seed_data(dash_duo, seed_dir):
    start(dash_duo, seed_dir)
    dash_duo.wait_for_element(f"#{ids.TEMPO_GRAPH} .main-svg .bars")
    dash_duo.wait_for_text_to_equal("#kpi-events", "7")  # 8 events, 1 summary claim left out
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "7")
    dash_duo.wait_for_contains_text(f"#{ids.FRESHNESS}", "6 articles")
    assert "1 failed" in dash_duo.find_element(f"#{ids.FRESHNESS}").text, dash_duo.find_element(
        f"#{ids.FRESHNESS}"
    ).text
    assert until(lambda: bar_total(graph_data(dash_duo, ids.TEMPO_GRAPH)) > 0, 10)

    dash_duo.driver.find_element("link text", "Casualties").click()
    dash_duo.wait_for_element(f"#{ids.CAS_GRAPH} .main-svg .bars")
    assert until(lambda: "tab=casualties" in dash_duo.driver.current_url, 5)

    dash_duo.driver.find_element("link text", "By governorate").click()
    dash_duo.wait_for_element(
        f"#{ids.HEATMAP_GRAPH} .main-svg .hm, #{ids.HEATMAP_GRAPH} .heatmaplayer"
    )
    dash_duo.wait_for_element(f"#{ids.MAP_GRAPH} .maplibregl-map canvas")
    dash_duo.wait_for_contains_text(f"#{ids.MAP_ATTRIBUTION}", "CC BY 3.0 IGO")
    dash_duo.wait_for_contains_text(f"#{ids.MAP_ATTRIBUTION}", "official endorsement")
    no_severe_logs(dash_duo)


def test_filter_changes_figures_and_url(dash_duo, seed_dir):
    start(dash_duo, seed_dir)
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "7")
    before = bar_total(graph_data(dash_duo, ids.TEMPO_GRAPH))
    assert before == pytest.approx(7)
    dash_duo.select_dcc_dropdown(f"#{ids.ACTORS}", value="International Coalition")
    dash_duo.wait_for_text_to_equal("#kpi-strikes", "3")
    assert until(lambda: bar_total(graph_data(dash_duo, ids.TEMPO_GRAPH)) == pytest.approx(3), 10)
    assert until(lambda: query(dash_duo).get("actor") == ["International Coalition"], 5)
    assert until(lambda: drill_ids(dash_duo) == ["s004-2"], 10)
    no_severe_logs(dash_duo)


def test_url_restores_state(dash_duo, seed_dir):
    q = "?tab=provinces&type=airstrike&type=bombing&gov=Kirkuk&freq=week&pm=killed&prec=week"
    start(dash_duo, seed_dir, q)
    dash_duo.wait_for_element(f"#{ids.MAP_GRAPH} .maplibregl-map")
    dash_duo.wait_for_contains_text(f"#{ids.TABS} .nav-link.active", "By governorate")
    dash_duo.wait_for_contains_text(f"#{ids.ADMIN1}", "Kirkuk")
    dash_duo.wait_for_contains_text(f"#{ids.EVENT_TYPES}", "Bombing")
    # airstrikes in Kirkuk with week precision or better: s000-1 (7 killed), s001-1 (4), s003-1 (2)
    dash_duo.wait_for_text_to_equal("#kpi-killed", "13")
    assert until(lambda: drill_ids(dash_duo) == ["s001-1", "s003-1", "s000-1"], 10)
    checked = dash_duo.find_element(f"#{ids.PROV_METRIC} label.active")
    assert checked.text == "Killed"
    # the URL is not rewritten with anything else
    assert query(dash_duo)["gov"] == ["Kirkuk"]
    # a change writes the query string, and reloading it restores the same view
    dash_duo.driver.find_element("css selector", f"#{ids.FREQ} label:nth-of-type(1)").click()
    dash_duo.find_element(f"#{ids.FREQ}")
    assert until(lambda: query(dash_duo).get("freq") == ["day"], 5)
    url = dash_duo.driver.current_url
    dash_duo.driver.get(url)
    dash_duo.wait_for_text_to_equal("#kpi-killed", "13")
    assert until(lambda: query(dash_duo).get("freq") == ["day"], 5)
    no_severe_logs(dash_duo)


def test_click_bar_drills_down(dash_duo, seed_dir):
    start(dash_duo, seed_dir, "?freq=month&type=airstrike")
    dash_duo.wait_for_element(f"#{ids.TEMPO_GRAPH} .bars .point path")

    def coalition_bar():
        # the International Coalition's bar (January 2021) is the only one of its colour
        for trace in dash_duo.find_elements(f"#{ids.TEMPO_GRAPH} .barlayer .trace"):
            paths = trace.find_elements("css selector", ".point path")
            fill = paths[0].get_attribute("style") if paths else ""
            if "23, 190, 207" in fill or "17becf" in fill.lower():
                return paths[0]
        return None

    click_clear_of_overlays(dash_duo, coalition_bar, f"#{ids.TEMPO_GRAPH}")
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TITLE}", "International Coalition")
    assert until(lambda: drill_ids(dash_duo) == ["s004-2"], 10)
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TABLE}", "Coalition drones struck")
    # clear the selection: back to all filtered events
    clear = dash_duo.find_element(f"#{ids.DRILL_CLEAR}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", clear)
    dash_duo.driver.execute_script("arguments[0].click()", clear)
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TITLE}", "Latest events")
    no_severe_logs(dash_duo)


def test_click_map_region_drills_down(dash_duo, seed_dir):
    start(dash_duo, seed_dir, "?tab=provinces")
    dash_duo.wait_for_element(f"#{ids.MAP_GRAPH} .maplibregl-map canvas")
    # MapLibre draws on a canvas: send the click the way plotly reports it
    dash_duo.driver.execute_script(
        """
        const gd = document.querySelector(arguments[0]);
        const pt = {curveNumber: 0, pointNumber: gd.data[0].locations.indexOf('Baghdad'),
                    location: 'Baghdad', z: 1};
        gd.emit('plotly_click', {points: [Object.assign({data: gd.data[0],
                                                         fullData: gd._fullData[0]}, pt)]});
        """,
        f"#{ids.MAP_GRAPH} .js-plotly-plot",
    )
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TITLE}", "Baghdad governorate")
    assert until(lambda: drill_ids(dash_duo) == ["s004-1"], 10)
    no_severe_logs(dash_duo)


def test_evidence_is_escaped(dash_duo, seed_dir):
    start(dash_duo, seed_dir, "?type=bombing")
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TABLE}", "<script>alert(1)</script>")
    cell = dash_duo.find_element(f"#{ids.DRILL_TABLE} .sortie-evidence")
    assert '<img src=x onerror="alert(2)">' in cell.text
    assert cell.find_elements("css selector", "script, img, b") == []
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018
    # a javascript: URL is shown as text, never as a link
    hrefs = [a.get_attribute("href") for a in dash_duo.find_elements(f"#{ids.DRILL_TABLE} a")]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    no_severe_logs(dash_duo)


def test_csv_export_downloads_filtered_rows(dash_duo, seed_dir):
    start(dash_duo, seed_dir, "?gov=Kirkuk")
    dash_duo.wait_for_text_to_equal("#kpi-events", "4")
    dash_duo.find_element(f"#{ids.EXPORT_CSV}").click()
    target = Path(dash_duo.download_path) / "sortie_events.csv"
    assert until(lambda: target.exists() and target.stat().st_size > 0, 15)
    with open(target, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["event_id"] for r in rows) == ["s000-1", "s001-1", "s001-2", "s003-1"]
    assert {r["admin1"] for r in rows} == {"Kirkuk"}
    dash_duo.find_element(f"#{ids.EXPORT_ACLED}").click()
    acled = Path(dash_duo.download_path) / "sortie_events_acled.csv"
    assert until(lambda: acled.exists() and acled.stat().st_size > 0, 15)
    with open(acled, newline="", encoding="utf-8") as fh:
        arows = list(csv.DictReader(fh))
    assert len(arows) == len(rows) and {r["sub_event_type"] for r in arows} >= {"Air/drone strike"}
    no_severe_logs(dash_duo)


def test_map_renders_without_network(dash_duo, seed_dir):
    start(dash_duo, seed_dir, "?tab=provinces")
    dash_duo.wait_for_element(f"#{ids.MAP_GRAPH} .maplibregl-map canvas")
    traces = graph_data(dash_duo, ids.MAP_GRAPH)
    assert traces[0]["type"] == "choroplethmap" and len(traces[0]["locations"]) == 19
    # every resource the page loaded came from the app's own server
    urls = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    hosts = {urlparse(u).hostname or "" for u in urls if not u.startswith(("data:", "blob:"))}
    assert hosts <= LOCAL_HOSTS, hosts
    no_severe_logs(dash_duo)


def test_empty_data_looks_deliberate(dash_duo, tmp_path):
    d = fx.write(tmp_path / "empty", [], [], [fx.article("a1", "Rudaw")])
    start(dash_duo, d)
    dash_duo.wait_for_contains_text(f"#{ids.DATA_NOTE}", "No events yet")
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TABLE}", "No events in the data yet")
    dash_duo.wait_for_text_to_equal("#kpi-events", "0")
    dash_duo.wait_for_element(f"#{ids.TEMPO_GRAPH} .annotation-text")
    assert "No air strikes" in dash_duo.find_element(f"#{ids.TEMPO_GRAPH} .annotation-text").text
    no_severe_logs(dash_duo)


def test_dashboard_over_the_etls_partitioned_output_of_the_seeds(dash_duo, tmp_path):
    """The real pipeline's output (events partitioned by month, behind the version
    links) feeds the app: the event count, the drill-down rows and their sentences."""
    from etl.cli import run
    from etl.store import parts, read_events

    data = tmp_path / "data"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert run([str(seeds)], data, True) == 0
    assert len(parts(data / "events.parquet")) > 1  # several months
    events = read_events(data).to_pylist()
    incidents = [e for e in events if not e["is_aggregate"]]
    start(dash_duo, data)
    dash_duo.wait_for_text_to_equal("#kpi-events", str(len(incidents)))
    dash_duo.wait_for_contains_text(f"#{ids.FRESHNESS}", "5 articles")
    newest = max(incidents, key=lambda e: (e["event_date"], e["event_id"]))
    assert until(lambda: newest["event_id"] in drill_ids(dash_duo), 10)
    first_sentence = newest["evidence"].split("\n")[0][:40]
    dash_duo.wait_for_contains_text(f"#{ids.DRILL_TABLE}", first_sentence)
    no_severe_logs(dash_duo)
    dash_duo.driver.save_screenshot(str(tmp_path / "etl-output.png"))
