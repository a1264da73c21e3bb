"""The dashboard's fast paths (added for the 1M-event benchmark) against hand-checked
numbers and against the plain pandas/pyarrow ways they replace. No browser."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pytest

from dashboard import ids
from dashboard.columns import SRC, STRIKES_N, Filters
from dashboard.data import load_dataset
from dashboard.figures import (
    casualties_figure,
    curve_groups,
    empty_figure,
    heatmap_figure,
    map_figure,
    stacked_rows,
    tempo_figure,
)
from dashboard.frames import _source_sets_fast, filter_mask, prepare_events, take_rows
from dashboard.metrics import kpis, rolling_mean, time_series, totals_by
from dashboard.sections.drilldown import page_rows, selection_from_click
from dashboard.sections.kpis import _kpis
from dashboard.sections.provinces import newest
from dashboard.state import ViewState
from etl.schema import Col
from tests.dashboard import factories as fx


def prep(rows):
    return prepare_events(fx.events_frame(rows))


# --- data layer -------------------------------------------------------------------------


def test_outlet_sets_as_bit_masks():
    col = pa.chunked_array(
        [
            pa.array([["a", "b"], None, []], pa.list_(pa.string())),
            pa.array([["b"], ["b", "a", None], [""]], pa.list_(pa.string())),
        ]
    )
    codes, combos = _source_sets_fast(col)
    sets = [combos[c] for c in codes]
    assert sets == [{"a", "b"}, set(), set(), {"b"}, {"a", "b"}, set()]
    assert codes[0] == codes[4] and codes[1] == codes[2]  # order and nulls do not matter
    # the filter keeps any event with one of the chosen outlets
    frame, combos = prep(
        [
            dict(event_id="x", event_date="2024-01-01", sources=["a", "b"]),
            dict(event_id="y", event_date="2024-01-01", sources=["c"]),
            dict(event_id="z", event_date="2024-01-01", sources=[]),
        ]
    )
    assert filter_mask(frame, Filters(sources=("b",)), combos).tolist() == [True, False, False]
    assert filter_mask(frame, Filters(sources=("c", "a")), combos).tolist() == [True, True, False]
    assert frame[SRC].dtype == np.int32


def test_counts_not_reported_are_zero_in_the_frame():
    frame, _ = prep(
        [
            dict(event_id="a", event_date="2024-01-01", killed=None, killed_low=2, killed_high=5),
            dict(event_id="b", event_date="2024-01-01", killed=3),
        ]
    )
    assert frame[Col.KILLED].tolist() == [0.0, 3.0]
    assert frame["_killed_lo"].tolist() == [2.0, 3.0]
    assert frame["_killed_hi"].tolist() == [5.0, 3.0]
    assert frame[Col.WOUNDED].tolist() == [0.0, 0.0]


def test_take_rows_is_iloc():
    frame, _ = prep(
        [
            dict(event_id="a", event_date="2024-01-01", actor1="Turkey", admin1="Duhok"),
            dict(event_id="b", event_date="2024-01-02", actor1=None, admin1="Erbil"),
            dict(event_id="c", event_date="2024-01-03", actor1="PKK", strikes=4),
        ]
    )
    idx = np.array([2, 0])
    got = take_rows(frame, idx)
    pd.testing.assert_frame_equal(got, frame.iloc[idx])
    assert list(got.index) == [2, 0]
    assert got[Col.ACTOR1].cat.categories.equals(frame[Col.ACTOR1].cat.categories)


def test_dataset_kpis_and_indexed_casualty_rows(tmp_path):
    ds = load_dataset(fx.seed_like(tmp_path / "d"))
    for f in (
        Filters(),
        Filters(event_types=("airstrike",)),
        Filters(date_from=date(2021, 1, 1), include_aggregates=True),
    ):
        k = _kpis(ds, f)
        assert k == kpis(ds.frame[filter_mask(ds.frame, f, ds.combos)])
    # the seed-like data: 1 + 2 + 1 + 3 strikes in airstrike events, summary claim left out
    assert _kpis(ds, Filters(event_types=("airstrike",))).strikes == 7
    pos = ds.newest_first[:15]
    ids_ = ds.event_ids.take(pa.array(pos)).to_pylist()
    by_scan = ds.casualty_rows(ids_)  # DuckDB (casualties table not read yet)
    _ = ds.casualties_table
    by_index = ds.casualty_rows(ids_, pos)

    def key(r):
        return (r[Col.EVENT_ID], str(sorted(r.items(), key=str)))

    assert by_scan and sorted(by_scan, key=key) == sorted(by_index, key=key)
    rows, sides = page_rows(ds, pos, 0)
    assert sum(len(v) for v in sides.values()) == len(by_index)
    assert ds.casualty_rows(["no-such-event"], np.array([10_000])) == []
    # coordinates are not read at load, only when the map asks for them
    assert Col.LATITUDE not in ds.frame.columns
    lat, lon = ds.coords
    want = ds.events.column(Col.LATITUDE).to_numpy(zero_copy_only=False).astype(float)
    np.testing.assert_array_equal(lat, want)
    assert len(lon) == len(ds.frame) and (~np.isnan(lat)).sum() > 0


def test_newest_points_keep_stable_order():
    anchor = np.array([5, 9, 9, 1, 9, 3, 7, 9, 2, 0, 4, 8])
    rows = np.arange(len(anchor)) * 10
    # the k largest, newest first, ties in row order
    assert newest(anchor, 2, rows).tolist() == [10, 20]
    assert newest(anchor, 5, rows).tolist() == [10, 20, 40, 70, 110]
    rng = np.random.default_rng(3)
    a = rng.integers(0, 50, 5000)
    r = np.arange(5000)
    assert (newest(a, 100, r) == r[np.argsort(-a, kind="stable")[:100]]).all()


# --- figures ------------------------------------------------------------------------------


def _two_actor_series():
    frame, _ = prep(
        [
            dict(event_id="a", event_date="2024-01-02", strikes=2, actor1="Turkey"),
            dict(event_id="b", event_date="2024-01-09", strikes=1, actor1="PKK"),
            dict(event_id="c", event_date="2024-01-10", strikes=3, actor1="Turkey"),
            dict(
                event_id="d",
                date_precision="month",
                date_start="2024-01-01",
                date_end="2024-01-31",
                actor1="Turkey",
                killed=31,
                killed_low=31,
                killed_high=62,
            ),
        ]
    )
    return frame


def test_every_builder_output_is_valid_plotly():
    """The builders skip plotly's validation for speed: validate their output here."""
    frame = _two_actor_series()
    ts = time_series(frame, [STRIKES_N], "week", Col.ACTOR1)
    cas_vals = [Col.KILLED, "_killed_lo", "_killed_hi", Col.WOUNDED, "_wounded_lo", "_wounded_hi"]
    cas = time_series(frame, cas_vals, "week", Col.ACTOR1)
    adm = time_series(frame.assign(admin1="Duhok").astype({"admin1": "category"}), [], "month")
    figs = [
        tempo_figure(ts, rolling_mean(ts, STRIKES_N, 4), STRIKES_N, "Strikes"),
        tempo_figure(ts, rolling_mean(ts, STRIKES_N, 4), STRIKES_N, "Strikes", layout="facet"),
        casualties_figure(cas, "week"),
        heatmap_figure(adm, "events", "Events"),
        map_figure(totals_by(frame, Col.ACTOR1), pd.DataFrame(), "Events", 0, "/b.geojson"),
        empty_figure("nothing"),
    ]
    for fig in figs:
        go.Figure(fig.to_plotly_json())  # raises on any invalid property
        assert fig.layout.template.layout.font is not None  # a real template, not a name
    assert figs[0].layout.template.layout.paper_bgcolor == "white"  # plotly_white
    assert figs[3].data[0].colorscale == go.Heatmap(colorscale="YlOrRd").colorscale


def test_stacked_rows_matches_make_subplots():
    from plotly.subplots import make_subplots

    ref = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.04).layout
    got = go.Layout(stacked_rows(3, 0.04))
    for ax in ("xaxis", "xaxis2", "xaxis3", "yaxis", "yaxis2", "yaxis3"):
        r, g = ref[ax], got[ax]
        assert g.anchor == r.anchor and g.matches == r.matches, ax
        assert g.domain == pytest.approx(r.domain), ax
    assert stacked_rows(2, 0.1, ["a", "b"])["annotations"][1]["text"] == "b"


def test_clicked_bar_group_from_curve_map():
    frame = _two_actor_series()
    ts = time_series(frame, [STRIKES_N], "week", Col.ACTOR1)
    fig = tempo_figure(ts, rolling_mean(ts, STRIKES_N, 4), STRIKES_N, "Strikes", "week")
    curves = curve_groups(fig)
    assert len(curves) == len(fig.data)
    # Turkey (6 strikes: exact and spread traces), PKK, the legend note, the rolling mean
    assert curves[:3] == ["Turkey", "Turkey", "PKK"] and curves[-2:] == [None, None]
    assert all(t.customdata is None for t in fig.data)  # no group name on every bar
    vs = ViewState(freq="week")
    click = {"points": [{"curveNumber": 2, "x": "2024-01-08", "y": 1}]}
    sel = selection_from_click(ids.TEMPO_GRAPH, click, vs, curves)
    assert (sel["start"], sel["end"], sel["value"]) == ("2024-01-08", "2024-01-14", "PKK")
    # the rolling mean is no group: the click lists the period's events of every actor
    click = {"points": [{"curveNumber": len(curves) - 1, "x": "2024-01-08", "y": 1}]}
    assert "value" not in selection_from_click(ids.TEMPO_GRAPH, click, vs, curves)
    # casualties: whiskers (range trace) select nothing
    cas_vals = [Col.KILLED, "_killed_lo", "_killed_hi", Col.WOUNDED, "_wounded_lo", "_wounded_hi"]
    cfig = casualties_figure(time_series(frame, cas_vals, "month", Col.ACTOR1), "month")
    ccurves = curve_groups(cfig)
    whisker = next(i for i, t in enumerate(cfig.data) if t.type == "scatter")
    vs = ViewState(freq="month", cas_mode="caused")
    click = {"points": [{"curveNumber": whisker, "x": "2024-01-01", "customdata": [31, 62]}]}
    assert selection_from_click(ids.CAS_GRAPH, click, vs, ccurves) is None
    bar = ccurves.index("Turkey")
    click = {"points": [{"curveNumber": bar, "x": "2024-01-01"}]}
    assert selection_from_click(ids.CAS_GRAPH, click, vs, ccurves)["value"] == "Turkey"


def test_newest_first_order_is_a_stable_descending_sort():
    from dashboard.columns import NODATE
    from dashboard.data import newest_first_order

    a = np.array([5, NODATE, 7, 5, 9, NODATE, 7])
    # newest first, ties in row order, undated last
    assert newest_first_order(a).tolist() == [4, 2, 6, 0, 3, 1, 5]
    assert newest_first_order(np.array([NODATE, NODATE])).tolist() == [0, 1]
    rng = np.random.default_rng(5)
    b = rng.integers(15000, 21000, 20000)
    b[rng.random(20000) < 0.05] = NODATE
    assert (newest_first_order(b) == np.argsort(-b, kind="stable")).all()
    wide = np.array([0, 100_000, 3])  # days spanning more than 16 bits: plain argsort
    assert newest_first_order(wide).tolist() == [1, 2, 0]


def test_masked_series_equals_time_series_of_the_selection():
    from dashboard.metrics import masked_series, placement

    frame, _ = prep(
        [
            dict(event_id="a", event_date="2024-01-02", strikes=2, actor1="Turkey"),
            dict(event_id="b", event_date="2024-01-09", strikes=1, actor1="PKK"),
            dict(
                event_id="c",
                date_precision="month",
                date_start="2024-01-01",
                date_end="2024-01-31",
                actor1="Turkey",
                killed=31,
            ),
            dict(event_id="d", event_type="shelling", event_date="2024-02-20", killed=4),
            dict(event_id="e", date_precision="unknown", actor1="PKK"),  # undated
        ]
    )
    pl = placement(frame, Col.ACTOR1)
    keep = np.array([True, False, True, True, True])
    # hand-checked: a month window of 31 days spreads 31 killed as 1 a day, so the week
    # of 1 Jan (Mon) gets 7, and the exact strike of 2 Jan counts on its day
    s = masked_series(pl, frame, keep, [Col.KILLED, STRIKES_N], "week", None, None)
    turkey = s[s["group"] == "Turkey"].set_index("period")
    assert turkey.loc["2024-01-01", Col.KILLED] == pytest.approx(7.0)
    assert turkey.loc["2024-01-01", f"{Col.KILLED}_spread"] == pytest.approx(7.0)
    assert turkey.loc["2024-01-01", STRIKES_N] == pytest.approx(2 + 7 / 31)
    assert turkey[Col.KILLED].sum() == pytest.approx(31.0)
    assert s.attrs["undated"] == 1
    assert "PKK" not in set(s["group"])  # its only dated event is masked out
    for values, freq, lo, hi in (
        ([Col.KILLED, STRIKES_N], "week", None, None),
        ([], "day", None, None),
        ([Col.KILLED], "month", 19700, 19800),  # wider than the data: zeros around it
        ([STRIKES_N], "day", 19730, 19735),  # inside a spread window
    ):
        for m in (keep, np.ones(5, bool), np.array([False, True, False, False, True])):
            got = masked_series(pl, frame, m, values, freq, lo, hi)
            want = time_series(frame[m], values, freq, Col.ACTOR1, lo, hi)
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True),
                want.reset_index(drop=True),
                atol=1e-9,
                check_dtype=False,
            )
            assert got.attrs == want.attrs
    none = masked_series(pl, frame, np.zeros(5, bool), [Col.KILLED], "week")
    assert none.empty and none.attrs["undated"] == 0


def test_dataset_series_both_paths(tmp_path):
    ds = load_dataset(fx.seed_like(tmp_path / "d"))
    n = len(ds.frame)
    few = np.zeros(n, bool)
    few[:1] = True  # under a quarter of the rows: copied and aggregated
    for m in (np.ones(n, bool), ds.mask(Filters()), few):
        for group, values in ((Col.ACTOR1, [STRIKES_N]), (Col.ADMIN1, []), (None, [Col.KILLED])):
            got = ds.series(group, m, values, "week", None, None)
            want = time_series(ds.frame[m], values, "week", group)
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False
            )
    cas = ds.casualties
    m = ds.mask(Filters())[cas["_row"].to_numpy()]
    got = ds.series(Col.ACTOR, m, [Col.KILLED], "month", None, None, casualties=True)
    want = time_series(cas[m], [Col.KILLED], "month", Col.ACTOR)
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False
    )
