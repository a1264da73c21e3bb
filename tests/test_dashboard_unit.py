"""Fast tests of the dashboard's data layer, aggregations, figures, exports and URL
state, on small hand-made data with hand-checked numbers. No browser."""

from __future__ import annotations

import base64
import json
import os
import time
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import ids
from dashboard.columns import NOT_STATED, STRIKES_N, Filters
from dashboard.data import build_dataset, load_dataset
from dashboard.exports import ACLED_COLUMNS, acled_frame, csv_bytes, parquet_bytes
from dashboard.figures import (
    boundaries,
    casualties_figure,
    empty_figure,
    heatmap_figure,
    map_figure,
    tempo_figure,
)
from dashboard.frames import filter_mask, prepare_casualties, prepare_events
from dashboard.metrics import (
    change,
    drill_positions,
    kpis,
    period_end,
    period_keys,
    rolling_mean,
    time_series,
    totals_by,
)
from dashboard.state import ViewState
from etl.schema import Col
from tests.dashboard import factories as fx


def prep(rows):
    frame, _ = prepare_events(fx.events_frame(rows))
    return frame


def dn(s: str) -> int:
    return (date.fromisoformat(s) - date(1970, 1, 1)).days


# --- time series --------------------------------------------------------------------


def test_weekly_strike_counts_exact_days():
    # Mon 1 Jan 2024 .. Sun 7 Jan is week 1; Mon 8 Jan starts week 2.
    frame = prep(
        [
            dict(event_id="a", event_date="2024-01-01", strikes=2, actor1="Turkey"),
            dict(event_id="b", event_date="2024-01-07", strikes=None, actor1="Turkey"),  # 1
            dict(event_id="c", event_date="2024-01-08", strikes=3, actor1="ISIS"),
            dict(event_id="d", event_date="2024-01-09", event_type="shelling", actor1="Turkey"),
        ]
    )
    air = frame[frame[Col.EVENT_TYPE] == "airstrike"]
    ts = time_series(air, [STRIKES_N], "week", Col.ACTOR1)
    got = {
        (str(p.date()), g): v for p, g, v in zip(ts.period, ts.group, ts[STRIKES_N], strict=True)
    }
    assert got[("2024-01-01", "Turkey")] == 3
    assert got[("2024-01-08", "Turkey")] == 0
    assert got[("2024-01-08", "ISIS")] == 3
    assert ts[f"{STRIKES_N}_spread"].sum() == 0
    # strike *events* and all events
    ev = time_series(frame, [], "week", None)
    assert list(ev.events) == [2, 2]


def test_month_precision_event_is_spread_over_its_window():
    frame = prep(
        [
            dict(
                event_id="m",
                date_precision="month",
                date_start="2024-01-01",
                date_end="2024-01-31",
                strikes=31,
            )
        ]
    )
    daily = time_series(frame, [STRIKES_N], "day")
    assert len(daily) == 31 and np.allclose(daily[STRIKES_N], 1.0)
    assert np.allclose(daily[STRIKES_N], daily[f"{STRIKES_N}_spread"])
    weekly = time_series(frame, [STRIKES_N], "week")
    # weeks starting Mon 1, 8, 15, 22, 29 Jan: 7, 7, 7, 7, 3 days
    assert list(weekly[STRIKES_N].round(9)) == [7, 7, 7, 7, 3]
    monthly = time_series(frame, [], "month")
    assert monthly.events.round(9).tolist() == [1.0]
    # clipping to a date range keeps only the days inside it
    clipped = time_series(frame, [], "week", lo=dn("2024-01-08"), hi=dn("2024-01-14"))
    assert clipped.events.round(9).tolist() == [round(7 / 31, 9)]


def test_day_precision_with_announcement_window_sits_on_its_day():
    frame = prep([dict(event_date="2024-10-15", date_start="2024-10-14", date_end="2024-10-15")])
    ts = time_series(frame, [], "day", lo=dn("2024-10-14"))
    assert ts.events.tolist() == [0, 1]  # 14 Oct empty, 15 Oct has it
    assert ts.events_spread.sum() == 0


def test_undated_events_are_counted_not_placed():
    frame = prep(
        [
            dict(event_id="a", event_date="2024-01-03"),
            dict(event_id="b", date_precision="unknown"),
        ]
    )
    ts = time_series(frame, [], "day")
    assert ts.attrs["undated"] == 1 and ts.events.sum() == 1
    empty = time_series(frame.iloc[:0], [], "week")
    assert empty.empty


def test_period_keys_and_ends():
    days = np.array([dn("2024-02-29"), dn("2024-03-03"), dn("2024-03-04")])
    assert [d - dn("2024-02-26") for d in period_keys(days, "week")] == [0, 0, 7]
    assert period_keys(days, "month").tolist() == [dn("2024-02-01"), dn("2024-03-01")] * 1 + [
        dn("2024-03-01")
    ]
    assert period_end(dn("2024-02-01"), "month") == dn("2024-02-29")
    assert period_end(dn("2024-02-26"), "week") == dn("2024-03-03")


def test_rolling_mean_over_totals():
    frame = prep(
        [
            dict(event_id=str(i), event_date=f"2024-01-0{d}")
            for i, d in enumerate([1, 2, 2, 3, 3, 3])
        ]
    )
    r = rolling_mean(time_series(frame, [], "day", Col.ACTOR1), "events", 2)
    assert r.total.tolist() == [1, 2, 3]
    assert r["rolling"].tolist() == [1, 1.5, 2.5]


def test_totals_by_governorate_and_not_stated():
    frame = prep(
        [
            dict(event_id="a", admin1="Kirkuk", killed=3),
            dict(event_id="b", admin1="Kirkuk", killed=None),
            dict(event_id="c", admin1=None, killed=1),
        ]
    )
    t = totals_by(frame, Col.ADMIN1, Col.KILLED).set_index("group")
    assert t.loc["Kirkuk", "value"] == 3 and t.loc["Kirkuk", "events"] == 2
    assert t.loc[NOT_STATED, "value"] == 1


# --- filters and KPIs ------------------------------------------------------------------


def seed_frame():
    return prepare_events(fx.events_frame(fx.SEED_EVENTS))


def test_filter_mask_each_filter():
    frame, combos = seed_frame()
    ids_ = np.array([e["event_id"] for e in fx.SEED_EVENTS])

    def kept(**kw):
        return set(ids_[filter_mask(frame, Filters(**kw), combos)])

    assert "s000-agg" not in kept() and "s000-agg" in kept(include_aggregates=True)
    assert kept(event_types=("bombing",)) == {"s004-1"}
    # actor matches either side
    assert kept(actors=("Civilians",)) == {"s004-1"}
    assert kept(actors=("International Coalition",)) == {"s004-2"}
    assert kept(admin1=("Kirkuk",)) == {"s000-1", "s001-1", "s001-2", "s003-1"}
    assert kept(min_precision="day") == {"s001-1", "s004-1", "s004-2"}
    assert kept(min_precision="week") == {"s000-1", "s001-1", "s003-1", "s004-1", "s004-2"}
    assert kept(sources=("Reuters",)) == {"s004-1", "s004-2"}
    # date range uses the best day (event_date, else the middle of the window)
    assert kept(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31)) == {"s001-1", "s001-2"}
    assert kept(date_from=date(2021, 1, 1), date_to=date(2021, 1, 31)) == {"s004-1", "s004-2"}


def test_kpis_and_change_vs_previous_period():
    frame = prep(
        [
            dict(event_id="p1", event_date="2024-01-05", strikes=2, killed=4),
            dict(event_id="p2", event_date="2024-01-09", strikes=None, wounded=1),
            dict(event_id="c1", event_date="2024-01-12", strikes=3, killed=6, wounded=2),
            dict(event_id="c2", event_date="2024-01-15", event_type="bombing", killed=3),
            dict(event_id="c3", event_date="2024-01-18", strikes=1),
        ]
    )
    f = Filters(date_from=date(2024, 1, 11), date_to=date(2024, 1, 20))
    prev = f.shifted_back(None)
    assert (prev.date_from, prev.date_to) == (date(2024, 1, 1), date(2024, 1, 10))
    cur_k = kpis(frame[filter_mask(frame, f, [])])
    prev_k = kpis(frame[filter_mask(frame, prev, [])])
    assert (cur_k.strikes, cur_k.events, cur_k.killed, cur_k.wounded) == (4, 3, 9, 2)
    assert (prev_k.strikes, prev_k.events, prev_k.killed, prev_k.wounded) == (3, 2, 4, 1)
    assert change(cur_k.strikes, prev_k.strikes) == pytest.approx(100 / 3)
    assert change(cur_k.killed, prev_k.killed) == pytest.approx(125.0)
    assert change(5, 0) is None and change(5, None) is None
    assert Filters().shifted_back(None) is None


# --- drill-down ------------------------------------------------------------------------


def test_drill_positions_follow_the_spreading():
    frame, combos = seed_frame()
    frame = frame[filter_mask(frame, Filters(), combos)]  # summary claims out
    # Kirkuk, October 2024: the day event and the month-window clash
    pos = drill_positions(frame, {"start": "2024-10-01", "end": "2024-10-31", "admin1": "Kirkuk"})
    assert [fx.SEED_EVENTS[i]["event_id"] for i in pos] == ["s001-1", "s001-2"]
    # week of 13 May 2023 overlaps the week window 9-16 May of s000-1
    pos = drill_positions(
        frame,
        {
            "start": "2023-05-08",
            "end": "2023-05-14",
            "col": Col.ACTOR1,
            "value": "Iraqi Security Forces",
            "types": ["airstrike"],
        },
    )
    assert [fx.SEED_EVENTS[i]["event_id"] for i in pos] == ["s000-1"]


def test_drill_by_side_that_suffered():
    frame, _ = seed_frame()
    cas = prepare_casualties(
        pd.DataFrame(fx.SEED_CASUALTIES), fx.events_frame(fx.SEED_EVENTS), frame
    )
    pos = drill_positions(frame, {"col": "casualty_actor", "value": "Iraqi Security Forces"}, cas)
    assert [fx.SEED_EVENTS[i]["event_id"] for i in pos] == ["s001-2"]


# --- loading -------------------------------------------------------------------------------


def test_load_missing_and_empty_dirs(tmp_path):
    ds = build_dataset(tmp_path / "nothing")
    assert len(ds.frame) == 0 and ds.freshness.n_events == 0 and ds.extent() is None
    fx.write(tmp_path / "empty", [], [], [fx.article("a1", "Rudaw")])
    ds = build_dataset(tmp_path / "empty")
    assert len(ds.frame) == 0 and ds.freshness.n_articles == 1
    assert ds.freshness.built_from == "file times" and ds.freshness.built is not None
    assert len(ds.events) == 0 and ds.casualties.empty


def test_load_seed_like_and_reload_on_change(tmp_path):
    d = fx.seed_like(tmp_path / "data")
    ds = load_dataset(d)
    assert len(ds.frame) == len(fx.SEED_EVENTS)
    assert ds.freshness.n_failed == 1 and ds.freshness.n_articles == 6
    assert ds.freshness.built_from == "runs.parquet" and ds.freshness.built.year == 2025
    assert load_dataset(d) is ds  # cached
    assert set(ds.outlets) == {
        "Shafaq News",
        "Kurdistan24",
        "Iraqi News Agency",
        "Rudaw",
        "Reuters",
    }
    assert len(ds.casualties) == len(fx.SEED_CASUALTIES)
    fx.write(d, fx.SEED_EVENTS[:2], [], fx.SEED_ARTICLES)
    st = os.stat(d / "events.parquet")
    os.utime(d / "events.parquet", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    ds2 = load_dataset(d)
    assert ds2 is not ds and len(ds2.frame) == 2


def test_corrupt_file_is_reported_not_fatal(tmp_path):
    d = fx.seed_like(tmp_path / "data")
    (d / "events.parquet").write_bytes(b"not parquet")
    ds = build_dataset(d)
    assert len(ds.frame) == 0 and any("events.parquet" in p for p in ds.problems)


# --- figures ---------------------------------------------------------------------------------


def test_tempo_figure_draws_spread_part_hatched():
    frame = prep(
        [
            dict(event_id="a", event_date="2024-01-02", strikes=2, actor1="Turkey"),
            dict(
                event_id="b",
                date_precision="month",
                date_start="2024-01-01",
                date_end="2024-01-31",
                actor1="Turkey",
            ),
        ]
    )
    ts = time_series(frame, [STRIKES_N], "week", Col.ACTOR1)
    fig = tempo_figure(ts, rolling_mean(ts, STRIKES_N, 4), STRIKES_N, "Strikes", "week")
    bars = [t for t in fig.data if t.type == "bar"]
    hatched = [t for t in bars if t.marker.pattern.shape == "/"]
    assert any("spread" in t.name for t in hatched)  # the legend says how it is drawn
    exact = next(t for t in bars if t.name == "Turkey")
    spread = next(t for t in bars if t.name == "Turkey (spread)")
    assert sum(exact.y) == pytest.approx(2) and sum(spread.y) == pytest.approx(1)
    assert any(t.type == "scatter" and "rolling" in t.name for t in fig.data)
    facet = tempo_figure(ts, rolling_mean(ts, STRIKES_N, 4), STRIKES_N, "Strikes", "week", "facet")
    assert facet.layout.barmode == "stack"


def test_empty_inputs_give_friendly_figures():
    empty = time_series(prep([dict(date_precision="unknown")]), [], "week")
    for fig in (
        tempo_figure(empty, rolling_mean(empty, "events", 3), "events", "Events"),
        heatmap_figure(empty, "events", "Events"),
        empty_figure("nothing"),
    ):
        assert fig.layout.meta == {"empty": True}
        assert fig.layout.annotations[0].text


def test_casualties_figure_range_whiskers():
    frame, _ = seed_frame()
    cas = prepare_casualties(
        pd.DataFrame(fx.SEED_CASUALTIES), fx.events_frame(fx.SEED_EVENTS), frame
    )
    vals = [Col.KILLED, "_killed_lo", "_killed_hi", Col.WOUNDED, "_wounded_lo", "_wounded_hi"]
    fig = casualties_figure(time_series(cas, vals, "month", Col.ACTOR), "month")
    ranges = [t for t in fig.data if t.type == "scatter"]
    assert len(ranges) == 2  # killed (s003-1: 2-5) and wounded (s004-1: 100-110)
    killed = ranges[0]
    assert list(killed.error_y.array) == pytest.approx([3])
    assert list(killed.error_y.arrayminus) == pytest.approx([0])
    wounded = ranges[1]
    assert list(wounded.error_y.arrayminus) == pytest.approx([10])


def test_heatmap_and_offline_map():
    frame, _ = seed_frame()
    ts = time_series(frame, [], "month", Col.ADMIN1)
    hm = heatmap_figure(ts[ts.group != NOT_STATED], "events", "Events", "month")
    assert set(hm.data[0].y) == {"Kirkuk", "Salah al-Din", "Baghdad"}
    totals = totals_by(frame, Col.ADMIN1)
    totals["value"] = totals["events"]
    pts = pd.DataFrame({"latitude": [35.3], "longitude": [44.5], "event_id": ["x"], "text": ["t"]})
    fig = map_figure(totals, pts, "Events", 1)
    types = {t.type for t in fig.data}
    assert types == {"choroplethmap", "scattermap"}  # MapLibre traces, no geo/topojson CDN
    assert fig.layout.map.style == "white-bg"
    ch = fig.data[0]
    assert ch.featureidkey == "properties.admin1" and len(ch.locations) == 19
    assert dict(zip(ch.locations, ch.z, strict=True))["Kirkuk"] == 4
    assert "geo" not in fig.to_plotly_json()["layout"]
    names = {f["properties"]["admin1"] for f in boundaries()["features"]}
    assert {"Halabja", "Nineveh", "Salah al-Din"} <= names


# --- exports ------------------------------------------------------------------------------


def test_acled_mapping():
    ev = fx.events_frame(
        [
            dict(
                event_id="a",
                event_type="airstrike",
                event_date="2024-10-15",
                killed=4,
                evidence="Strike.",
                date_text="On Tuesday",
                sources=["Rudaw", "Reuters"],
            ),
            dict(
                event_id="b",
                event_type="bombing",
                weapon="suicide bomb",
                event_date="2021-01-21",
                killed=None,
            ),
            dict(event_id="c", event_type="bombing", weapon="IED", event_date="2021-01-21"),
            dict(
                event_id="d",
                event_type="ground_operation",
                date_precision="month",
                date_start="2024-10-01",
                date_end="2024-10-31",
            ),
            dict(
                event_id="e",
                event_type="attack",
                date_precision="week",
                event_date="2024-06-29",
                date_start="2024-06-23",
                date_end="2024-06-29",
                actor2="Civilians",
            ),
            dict(event_id="f", event_type="shelling", event_date="2020-02-02"),
            dict(event_id="g", event_type="armed_clash", event_date="2020-02-02"),
        ]
    )
    out = acled_frame(ev).set_index("event_id_cnty")
    assert list(out.reset_index().columns) == ACLED_COLUMNS
    a = out.loc["a"]
    assert (a.disorder_type, a.event_type, a.sub_event_type) == (
        "Political violence",
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (a.event_date, a.year, a.time_precision, a.fatalities) == ("2024-10-15", 2024, 1, 4)
    assert a.source == "Rudaw; Reuters" and "Strike." in a.notes and "On Tuesday" in a.notes
    assert out.loc["b", "sub_event_type"] == "Suicide bomb" and out.loc["b", "fatalities"] == 0
    assert out.loc["c", "sub_event_type"] == "Remote explosive/landmine/IED"
    d = out.loc["d"]
    assert (d.event_type, d.sub_event_type, d.disorder_type) == (
        "Strategic developments",
        "Arrests",
        "Strategic developments",
    )
    assert d.time_precision == 3 and d.event_date == "2024-10-16"  # middle of the window
    e = out.loc["e"]
    assert (e.event_type, e.sub_event_type, e.time_precision) == (
        "Violence against civilians",
        "Attack",
        2,
    )
    assert e.civilian_targeting == "Civilian targeting"
    assert out.loc["f", "sub_event_type"] == "Shelling/artillery/missile attack"
    assert (out.loc["g", "event_type"], out.loc["g", "sub_event_type"]) == (
        "Battles",
        "Armed clash",
    )


def test_csv_and_parquet_exports_roundtrip(tmp_path):
    ds = build_dataset(fx.seed_like(tmp_path / "d"))
    t = ds.rows(np.arange(3))
    df = pd.read_csv(pd.io.common.BytesIO(csv_bytes(t)))
    assert df.event_id.tolist() == [e["event_id"] for e in fx.SEED_EVENTS[:3]]
    p = tmp_path / "x.parquet"
    p.write_bytes(parquet_bytes(t))
    assert pd.read_parquet(p).event_id.tolist() == df.event_id.tolist()


# --- URL state ------------------------------------------------------------------------------


def test_state_query_roundtrip_and_validation():
    vs = ViewState(
        tab="provinces",
        date_from="2016-01-01",
        date_to="2016-12-31",
        event_types=("airstrike", "shelling"),
        actors=("Turkey",),
        admin1=("Salah al-Din",),
        min_precision="week",
        sources=("Rudaw",),
        include_aggregates=True,
        freq="week",
        tempo_metric="events",
        tempo_layout="facet",
        tempo_group="all",
        cas_mode="caused",
        prov_metric="killed",
    )
    q = vs.to_query()
    assert ViewState.from_query(q) == vs
    assert ViewState().to_query() == ""
    bad = ViewState.from_query("?tab=nope&freq=hour&from=yesterday&prec=day&type=airstrike")
    assert (bad.tab, bad.freq, bad.date_from, bad.min_precision) == ("tempo", "month", None, "day")
    assert bad.filters().event_types == ("airstrike",)


# --- server side of the callbacks (Flask test client, no browser) ----------------------------


def _arr(v) -> np.ndarray:
    """A figure array as plotly serialises it: a list or a base64 typed array."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.array([x for x in v if x is not None], dtype=float)


def _post(client, output, inputs, state=()):
    body = {
        "output": output,
        "outputs": _outputs(output),
        "inputs": inputs,
        "changedPropIds": [],
        "state": list(state),
    }
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code in (200, 204), r.data[:500]
    return json.loads(r.data) if r.status_code == 200 else None


def _outputs(output: str):
    outs = []
    for part in output.strip(".").split("..."):
        cid, prop = part.rsplit(".", 1)
        outs.append({"id": cid, "property": prop})
    return outs if len(outs) > 1 else outs[0]


def test_callbacks_server_side(tmp_path):
    from dashboard.app import create_app

    app = create_app(fx.seed_like(tmp_path / "d"))
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200 and b"f-types" in layout.data
    state = ViewState(event_types=("airstrike",)).as_dict()
    t0 = time.perf_counter()
    res = _post(
        client,
        f"..{ids.TEMPO_GRAPH}.figure...{ids.TEMPO_CURVES}.data..",
        [{"id": "state", "property": "data", "value": state}],
    )
    assert time.perf_counter() - t0 < 5
    fig = res["response"][ids.TEMPO_GRAPH]["figure"]
    strikes = sum(_arr(t["y"]).sum() for t in fig["data"] if t["type"] == "bar" and t.get("y"))
    # 1 + 2 + 1 + 3 strikes; the 35-strike summary claim is left out
    assert strikes == pytest.approx(7)
    res = _post(
        client,
        f"..{ids.KPI_ROW}.children...{ids.FRESHNESS}.children..",
        [{"id": "state", "property": "data", "value": state}],
    )
    assert "7" in json.dumps(res["response"][ids.KPI_ROW]["children"])
