"""Issue 10's dashboard items (B6, B7, D4, D5, D6), each reproducing the reported input
through the real callback path (Flask test client, no browser), plus the limits'
pure helpers. Every expected number is worked out by hand in the comments."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import ids
from dashboard.app import create_app
from dashboard.columns import day_number
from dashboard.data import load_dataset
from dashboard.exports import acled_csv_bytes, csv_bytes, defuse
from dashboard.frames import prepare_events
from dashboard.limits import (
    DATE_MIN,
    ELLIPSIS,
    MAX_CATEGORIES,
    MAX_NAME,
    MAX_PERIODS,
    MAX_REQUEST_BYTES,
    MAX_SELECTED,
    OTHER,
    clip,
    date_max,
)
from dashboard.metrics import bounded_freq, n_periods, period_end, period_keys
from dashboard.sections.filters import CONTROLS
from dashboard.state import StateError, ViewState
from etl.schema import Col
from tests.dashboard import factories as fx
from tests.test_dashboard_unit import _arr, _outputs

TEMPO = f"..{ids.TEMPO_GRAPH}.figure...{ids.TEMPO_CURVES}.data.."
CAS = f"..{ids.CAS_GRAPH}.figure...{ids.CAS_CURVES}.data.."
PROV = f"..{ids.MAP_GRAPH}.figure...{ids.HEATMAP_GRAPH}.figure.."
KPIS = f"..{ids.KPI_ROW}.children...{ids.FRESHNESS}.children.."
SYNC = "..url.search...state.data..." + "...".join(f"{c}.{p}" for c, p, _ in CONTROLS) + ".."


def post(client, output, inputs, state=(), changed=()):
    """POST one callback as the renderer does; returns the raw response."""
    body = {
        "output": output,
        "outputs": _outputs(output),
        "inputs": inputs,
        "changedPropIds": list(changed),
        "state": list(state),
    }
    return client.post("/_dash-update-component", json=body)


def state_input(state) -> list[dict]:
    return [{"id": "state", "property": "data", "value": state}]


def sync_inputs(search: str, values: dict | None = None) -> tuple[list, list]:
    values = values or {}
    inputs = [{"id": ids.URL, "property": "search", "value": search}]
    inputs.append({"id": ids.RESET, "property": "n_clicks", "value": None})
    inputs += [{"id": c, "property": p, "value": values.get(a)} for c, p, a in CONTROLS]
    return inputs, [{"id": ids.URL, "property": "pathname", "value": "/"}]


def by_id(node, id_: str) -> dict | None:
    """The props of the component with this id in a serialised layout."""
    if isinstance(node, list):
        return next((p for p in (by_id(n, id_) for n in node) if p is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == id_:
            return props
        return by_id(props.get("children"), id_)
    return None


def bars(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t["type"] == "bar" and t.get("y") is not None]


@pytest.fixture
def long_dir(tmp_path):
    """Two airstrikes 25 years apart: 2000-01-03 (3 strikes) and 2024-12-30 (2 strikes);
    the data's extent is 9,129 days."""
    return fx.write(
        tmp_path / "long",
        [
            {"event_id": "old", "event_date": "2000-01-03", "strikes": 3, "actor1": "Turkey"},
            {"event_id": "new", "event_date": "2024-12-30", "strikes": 2, "actor1": "Turkey"},
        ],
    )


# --- B6: a hostile URL ----------------------------------------------------------------------


def test_b6_hostile_url_is_clamped_and_every_callback_bounded(long_dir):
    client = create_app(long_dir).server.test_client()
    inputs, state = sync_inputs("?from=0001-01-01&to=9999-12-31&freq=day")
    r = post(client, SYNC, inputs, state)
    assert r.status_code == 200
    vs = json.loads(r.data)["response"]["state"]["data"]
    # clamped to the dashboard's date window, not passed on as year 1 and 9999
    assert vs["date_from"] == DATE_MIN.isoformat() == "1900-01-01"
    assert vs["date_to"] == date_max().isoformat()
    assert vs["freq"] == "day"
    # the tempo chart: 9,129 days would be 9,129 bars; weekly that is 2000-01-03 (a
    # Monday) to the week of 2024-12-30 (also a Monday): 9,128 / 7 + 1 = 1,305 bars
    r = post(client, TEMPO, state_input(vs))
    assert r.status_code == 200 and len(r.data) < 150_000  # was 1.44 GB (issue 10)
    fig = json.loads(r.data)["response"][ids.TEMPO_GRAPH]["figure"]
    (trace,) = bars(fig)
    assert len(_arr(trace["x"])) == 1305 <= MAX_PERIODS
    assert _arr(trace["y"]).sum() == pytest.approx(5)  # 3 + 2 strikes, nothing lost
    assert "9,129 days are too many bars" in fig["layout"]["title"]["text"]
    assert "shown per week" in fig["layout"]["title"]["text"]
    # the KPI callback used to answer 500 (the previous period fell before year 1)
    r = post(client, KPIS, state_input(vs))
    assert r.status_code == 200
    assert '"5"' in json.dumps(json.loads(r.data)["response"][ids.KPI_ROW]["children"])
    for tab, output in (("casualties", CAS), ("provinces", PROV)):
        r = post(client, output, state_input({**vs, "tab": tab}))
        assert r.status_code == 200 and len(r.data) < 200_000, tab


def test_b6_axis_is_clamped_to_the_data_extent(long_dir):
    """A chosen range wider than the data draws only the data's days: 2000-01-03 to
    2000-01-09 at most, here one week from 1990 to 2000-01-09."""
    client = create_app(long_dir).server.test_client()
    vs = ViewState(date_from="1990-01-01", date_to="2000-01-09", freq="day").as_dict()
    fig = json.loads(post(client, TEMPO, state_input(vs)).data)["response"][ids.TEMPO_GRAPH]
    (trace,) = bars(fig["figure"])
    assert len(_arr(trace["x"])) == 7  # 2000-01-03 .. 2000-01-09, not 3,660 days from 1990
    assert "title" not in fig["figure"]["layout"] or "too many" not in json.dumps(
        fig["figure"]["layout"]["title"]
    )


def test_time_axis_periods_and_coarsening():
    d = day_number
    assert n_periods(d("2020-01-01"), d("2020-12-31"), "day") == 366  # a leap year
    # 2019-12-30 (Monday) .. 2020-12-28 (Monday): 52 weeks apart, 53 weeks touched
    assert n_periods(d("2020-01-01"), d("2020-12-31"), "week") == 53
    assert n_periods(d("2020-01-15"), d("2021-02-01"), "month") == 14
    assert n_periods(d("1900-01-01"), d("2027-06-30"), "year") == 128
    assert n_periods(d("2020-01-02"), d("2020-01-01"), "day") == 0
    # 1,500 days fit, 1,501 do not (then weeks: 215)
    assert bounded_freq(d("2020-01-01"), d("2020-01-01") + 1499, "day") == "day"
    assert bounded_freq(d("2020-01-01"), d("2020-01-01") + 1500, "day") == "week"
    # 1900..2027 is 1,530 months: years
    assert bounded_freq(d("1900-01-01"), d("2027-06-30"), "month") == "year"
    assert bounded_freq(None, None, "day") == "day"
    assert period_keys(np.array([d("2020-07-04")]), "year")[0] == d("2020-01-01")
    assert period_end(d("2020-01-01"), "year") == d("2020-12-31")


# --- B7: an absurd date in the data ------------------------------------------------------------


def test_b7_absurd_event_dates_keep_the_default_page_bounded(tmp_path):
    data = fx.write(
        tmp_path / "absurd",
        [
            {"event_id": "a", "event_date": "2020-03-02", "strikes": 2},
            {"event_id": "b", "event_date": "2020-05-04", "strikes": 1},
            # the ETL may let these through; the dashboard must not draw 8,000 years
            {"event_id": "far", "event_date": "9999-12-31", "strikes": 4},
            {
                "event_id": "wide",
                "event_date": None,
                "date_precision": "year",
                "date_start": "0001-01-01",
                "date_end": "9999-12-31",
            },
        ],
        articles=[fx.article("a1", "Shafaq News", pub="9999-12-31")],
    )
    ds = load_dataset(data)
    assert ds.extent() == (date(2020, 3, 2), date(2020, 5, 4))
    client = create_app(data).server.test_client()
    for freq, periods in (("month", 3), ("week", 10), ("day", 64)):
        # March to May 2020: 3 months; weeks of 2020-03-02 .. 2020-05-04: 10; 64 days
        vs = ViewState(freq=freq).as_dict()
        r = post(client, TEMPO, state_input(vs))
        assert r.status_code == 200 and len(r.data) < 50_000, freq
        fig = json.loads(r.data)["response"][ids.TEMPO_GRAPH]["figure"]
        (trace,) = bars(fig)
        assert len(_arr(trace["x"])) == periods
        assert _arr(trace["y"]).sum() == pytest.approx(3)  # the 2 dated strikes' 2 + 1
        assert "2 undated event(s) not shown" in fig["layout"]["title"]["text"]
        r = post(client, KPIS, state_input(vs))
        assert r.status_code == 200
    # the drill-down still lists them (newest first: dated ones, then the undated)
    r = post(
        client,
        next(k for k in create_app(data).callback_map if k.startswith(f"..{ids.DRILL_TABLE}.")),
        [{"id": ids.DRILL_PAGE, "property": "data", "value": 0}],
        [
            {"id": "state", "property": "data", "value": ViewState().as_dict()},
            {"id": ids.SELECTION, "property": "data", "value": None},
        ],
    )
    assert r.status_code == 200
    assert "9999-12-31" in r.get_data(as_text=True)


# --- D6: forged callback state --------------------------------------------------------------

FORGED_STATES = [
    "not a dict",
    ["tempo"],
    {"freq": 5},
    {"freq": "year"},  # internal only, not a choice
    {"tab": None},
    {"tempo_metric": "nope"},
    {"event_types": 5},
    {"actors": [1, 2]},
    {"admin1": "Nineveh"},
    {"sources": ["a"] * (MAX_SELECTED + 1)},
    {"date_from": 12345},
    {"date_to": "tomorrow"},
    {"include_aggregates": "yes"},
]


@pytest.mark.parametrize("bad", FORGED_STATES, ids=[repr(b)[:40] for b in FORGED_STATES])
def test_d6_forged_state_gets_400_not_500(tmp_path, bad):
    client = create_app(fx.seed_like(tmp_path / "d")).server.test_client()
    for output in (TEMPO, KPIS, CAS, PROV):
        r = post(client, output, state_input(bad))
        assert r.status_code == 400, (output, r.status_code, r.data[:200])
    with pytest.raises(StateError):
        ViewState.from_dict(bad)


def test_d6_forged_controls_clicks_selection_and_page_get_400(tmp_path):
    app = create_app(fx.seed_like(tmp_path / "d"))
    client = app.server.test_client()
    # a control value of the wrong type (a list filter sent as a number)
    inputs, state = sync_inputs("", {"event_types": 5})
    r = post(client, SYNC, inputs, state, changed=[f"{ids.EVENT_TYPES}.value"])
    assert r.status_code == 400 and b"event_types" in r.data
    inputs, state = sync_inputs(["?tab=x"])  # the query string as a list
    assert post(client, SYNC, inputs, state).status_code == 400
    # the same control, well typed, is accepted
    inputs, state = sync_inputs("", {"event_types": ["airstrike"]})
    r = post(client, SYNC, inputs, state, changed=[f"{ids.EVENT_TYPES}.value"])
    assert r.status_code == 200
    select = next(k for k in app.callback_map if k.startswith(f"{ids.SELECTION}."))
    render = next(k for k in app.callback_map if k.startswith(f"..{ids.DRILL_TABLE}."))
    page = f"{ids.DRILL_PAGE}.data"
    good_state = {"id": "state", "property": "data", "value": ViewState().as_dict()}

    def click(value):
        inputs = [
            {"id": g, "property": "clickData", "value": value if g == ids.TEMPO_GRAPH else None}
            for g in (ids.TEMPO_GRAPH, ids.CAS_GRAPH, ids.HEATMAP_GRAPH, ids.MAP_GRAPH)
        ]
        inputs.append({"id": ids.DRILL_CLEAR, "property": "n_clicks", "value": None})
        st_ = [good_state]
        st_ += [{"id": c, "property": "data", "value": None} for c in (ids.TEMPO_CURVES,)]
        st_ += [{"id": ids.CAS_CURVES, "property": "data", "value": None}]
        return post(client, select, inputs, st_, changed=[f"{ids.TEMPO_GRAPH}.clickData"])

    assert click("points").status_code == 400
    assert click({"points": ["x"]}).status_code == 400
    assert click({"points": [{"x": {"a": 1}, "curveNumber": 0}]}).status_code == 400
    assert click({"points": [{"x": "2021-01-28", "curveNumber": "0"}]}).status_code == 400
    # what plotly sends for a bar (y a number) and a heatmap cell (y a governorate)
    bar = {"x": "2021-01-01", "y": 3, "curveNumber": 0, "pointNumber": 0, "bbox": {"x0": 1}}
    assert click({"points": [bar]}).status_code == 200
    assert click({"points": [{**bar, "y": "Kirkuk"}]}).status_code == 200

    def draw(sel, page_no=0):
        return post(
            client,
            render,
            [{"id": ids.DRILL_PAGE, "property": "data", "value": page_no}],
            [good_state, {"id": ids.SELECTION, "property": "data", "value": sel}],
        )

    assert draw("everything").status_code == 400
    assert draw({"types": "airstrike"}).status_code == 400
    assert draw({"col": "evidence", "value": "x"}).status_code == 400
    assert draw({"positive": "evidence"}).status_code == 400
    assert draw({"start": "soon", "end": "later"}).status_code == 400
    assert draw(None, page_no="2").status_code == 400
    assert draw(None, page_no=-1).status_code == 400
    assert draw({"types": ["airstrike"], "label": "Air strikes"}).status_code == 200
    assert draw(None, page_no=10**5).status_code == 200  # past the end: the last page
    r = post(
        client,
        page,
        [
            {"id": ids.DRILL_PREV, "property": "n_clicks", "value": None},
            {"id": ids.DRILL_NEXT, "property": "n_clicks", "value": 1},
            {"id": ids.SELECTION, "property": "data", "value": None},
            good_state,
        ],
        [{"id": ids.DRILL_PAGE, "property": "data", "value": {"page": 1}}],
        changed=[f"{ids.DRILL_NEXT}.n_clicks"],
    )
    assert r.status_code == 400


def test_request_body_over_the_limit_gets_413(tmp_path):
    client = create_app(fx.seed_like(tmp_path / "d")).server.test_client()
    big = {"actors": ["x" * 1000] * (MAX_REQUEST_BYTES // 1000 + 10)}
    assert post(client, TEMPO, state_input(big)).status_code == 413


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.text(max_size=30),
        st.integers(),
        st.lists(st.text(max_size=5), max_size=3),
        st.dictionaries(
            st.sampled_from(["tab", "freq", "date_from", "date_to", "actors", "agg", "x"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.text(max_size=12),
                st.dates().map(date.isoformat),
                st.lists(st.text(max_size=8), max_size=4),
            ),
            max_size=4,
        ),
    )
)
def test_state_parsing_never_fails_but_with_state_error(data):
    """Any JSON value: a ViewState within the limits, or StateError; never another error."""
    try:
        vs = ViewState.from_dict(data)
    except StateError:
        return
    for d in (vs.date_from, vs.date_to):
        assert d is None or DATE_MIN <= date.fromisoformat(d) <= date_max()
    assert all(len(a) <= MAX_NAME for a in vs.actors)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["from", "to", "type", "actor", "freq", "tab", "agg", "prec"]),
            st.one_of(st.text(max_size=300), st.dates().map(date.isoformat)),
        ),
        max_size=8,
    )
)
def test_query_parsing_never_fails_and_clamps(pairs):
    from urllib.parse import urlencode

    vs = ViewState.from_query("?" + urlencode(pairs))
    for d in (vs.date_from, vs.date_to):
        assert d is None or DATE_MIN <= date.fromisoformat(d) <= date_max()
    assert all(len(v) <= MAX_NAME for v in vs.event_types + vs.actors)
    ViewState.from_dict(json.loads(json.dumps(vs.as_dict())))  # what the page sends back


def test_query_dates_clamp_and_lists_are_bounded():
    vs = ViewState.from_query("?from=0001-01-01&to=9999-12-31&" + "actor=a&" * 500)
    assert vs.date_from == "1900-01-01"
    assert vs.date_to == (date.today() + timedelta(days=366)).isoformat()
    assert vs.actors == ("a",)
    many = "&".join(f"actor=a{i}" for i in range(MAX_SELECTED + 50))
    assert len(ViewState.from_query("?" + many).actors) == MAX_SELECTED
    # the previous period of the widest range stays a real date (was an OverflowError)
    f = vs.filters()
    prev = f.shifted_back(None)
    assert prev.date_to == date(1899, 12, 31)


# --- D4: huge text values ---------------------------------------------------------------------

HUGE = 200_000


@pytest.fixture
def huge_dir(tmp_path):
    long = "x" * HUGE  # one 200,000-character token (no spaces to split a search index on)
    return fx.write(
        tmp_path / "huge",
        [
            {
                "event_id": "h1",
                "event_date": "2021-02-01",
                "sources": [long, "Rudaw"],
                "urls": ["https://example.org/" + long, "https://example.org/r"],
                "actor1": "A" * HUGE,
                "location": "L" * HUGE,
                "evidence": "E" * HUGE,
                "date_text": "D" * HUGE,
                "weapon": "W" * HUGE,
                "admin1": "G" * HUGE,
            },
            {"event_id": "h2", "event_date": "2021-02-02", "sources": ["Rudaw"]},
        ],
        articles=[fx.article("a1", long, pub="2021-02-03")],
    )


def test_d4_huge_text_is_cut_in_controls_figures_and_table(huge_dir):
    app = create_app(huge_dir)
    client = app.server.test_client()
    layout = client.get("/_dash-layout")
    # the dropdowns' options (a search index over every substring of each value and
    # label in the browser: a 200,000-character token is ~2e10 substrings) are cut
    assert layout.status_code == 200 and len(layout.data) < 60_000
    options = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Dropdown":
                options.extend(node["props"].get("options") or [])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(layout.data))
    assert options and all(
        len(o["label"]) <= MAX_NAME and len(o["value"]) <= MAX_NAME for o in options
    )
    cut = "x" * (MAX_NAME - 1) + ELLIPSIS
    assert {"label": cut, "value": cut} in options
    # filtering by the cut name finds the event (a filter names an outlet as shown)
    vs = ViewState(sources=(cut,)).as_dict()
    r = post(client, KPIS, state_input(vs))
    assert r.status_code == 200
    cards = json.loads(r.data)["response"][ids.KPI_ROW]["children"]
    assert by_id(cards, "kpi-events")["children"] == "1"  # h1 only, not h2 (Rudaw alone)
    # the tempo legend and the drill-down table carry cut texts only
    r = post(client, TEMPO, state_input(ViewState().as_dict()))
    assert r.status_code == 200 and len(r.data) < 20_000
    render = next(k for k in app.callback_map if k.startswith(f"..{ids.DRILL_TABLE}."))
    r = post(
        client,
        render,
        [{"id": ids.DRILL_PAGE, "property": "data", "value": 0}],
        [
            {"id": "state", "property": "data", "value": ViewState().as_dict()},
            {"id": ids.SELECTION, "property": "data", "value": None},
        ],
    )
    assert r.status_code == 200 and len(r.data) < 30_000
    text = json.dumps(json.loads(r.data), ensure_ascii=False)
    assert "E" * 1999 + ELLIPSIS in text  # evidence: 2,000 characters
    assert "https://example.org/xxx" not in text  # a 200,020-character link is not linked
    assert '"href": "https://example.org/r"' in text  # the short one is


def test_clip():
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab" + ELLIPSIS
    assert clip(None) is None and clip(5) == 5
    assert len(clip("y" * HUGE)) == MAX_NAME


# --- D5: formula injection in the exports -------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_d5_exports_defuse_formula_cells_but_keep_negative_numbers(tmp_path):
    rows = [
        {
            "event_id": f"f{i}",
            "event_date": "2021-01-05",
            "location": v,
            "evidence": v,
            "actor1": v,
            "sources": [v],
            "latitude": -33.25,
            "longitude": -44.5,
            "killed": 3,
        }
        for i, v in enumerate(FORMULAS)
    ]
    ds = load_dataset(fx.write(tmp_path / "f", rows))
    table = ds.events
    plain = list(csv.DictReader(io.StringIO(csv_bytes(table).decode())))
    acled = list(csv.DictReader(io.StringIO(acled_csv_bytes(table).decode())))
    assert len(plain) == len(acled) == len(FORMULAS)
    for row, v in zip(plain, FORMULAS, strict=True):
        for col in (Col.LOCATION, Col.EVIDENCE, Col.ACTOR1, Col.SOURCES):
            assert row[col] == "'" + v, col
        assert row[Col.LATITUDE] == "-33.25" and row[Col.LONGITUDE] == "-44.5"
        assert row[Col.KILLED] == "3"
    for row, v in zip(acled, FORMULAS, strict=True):
        for col in ("location", "actor1", "source"):
            assert row[col] == "'" + v, col
        assert row["notes"] == defuse(v.strip())  # notes strip the evidence: "\tx" is "x"
        assert row["latitude"] == "-33.25" and row["fatalities"] == "3"
    assert defuse("-5") == "'-5" and defuse(-5) == -5 and defuse("a-b") == "a-b"


def test_too_many_categories_share_other():
    """250 governorates: the 199 most frequent keep their names (g000 is the most
    frequent; the ties after it are kept alphabetically: g001 .. g198), the other 51
    share "(other)", 200 categories in all."""
    rows = [
        {"event_id": f"e{i}", "event_date": "2021-01-01", "admin1": f"g{i:03d}"} for i in range(250)
    ]
    rows += [{"event_id": f"x{i}", "event_date": "2021-01-01", "admin1": "g000"} for i in range(2)]
    frame, _ = prepare_events(fx.events_frame(rows))
    cats = list(frame[Col.ADMIN1].cat.categories)
    assert len(cats) == MAX_CATEGORIES == 200
    assert cats[-1] == OTHER and cats[:3] == ["g000", "g001", "g002"] and "g198" in cats
    assert "g199" not in cats
    counts = frame[Col.ADMIN1].value_counts()
    assert counts["g000"] == 3 and counts[OTHER] == 51
