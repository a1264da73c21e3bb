# ruff: noqa: E501  (one hand-written news report per line reads better unwrapped)
"""Cross-article dedup: hand-written reports through the real pipeline, and unit rules."""

import itertools
import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.dedup import compatible, dedup
from etl.schema import Article, Casualty, Event

# --- hand-made reports: (published, source, text), grouped by the incident they describe
REPORTS = {
    # A: one airstrike in the Hamrin mountains, three reports, the toll updated to six
    "a1": (
        "2023-03-07",
        "Wire One",
        "Iraqi F-16 jets struck an ISIS hideout in the Hamrin mountains in Diyala province on Monday, killing five militants, the Security Media Cell said.",
    ),
    "a2": (
        "2023-03-07",
        "Wire Two",
        "An Iraqi airstrike killed at least five Islamic State fighters in the Hamrin mountains of Diyala on Monday night, security officials said.",
    ),
    "a3": (
        "2023-03-08",
        "Wire Three",
        "Iraqi warplanes bombed an ISIS cave in the Hamrin mountains, Diyala, on Monday, killing six militants, the Joint Operations Command said on Wednesday.",
    ),
    # B: one car bomb, the toll rising from five to seven a day later
    "b1": (
        "2022-05-09",
        "Wire One",
        "A car bomb exploded at a market in Sadr City, Baghdad, on Sunday, killing five civilians and wounding 20 others, police said.",
    ),
    "b2": (
        "2022-05-10",
        "Wire Two",
        "The toll from Sunday's car bomb at a crowded market in Baghdad's Sadr City rose to seven dead, medical sources said on Tuesday. A car bomb exploded in Sadr City on Sunday, killing seven civilians.",
    ),
    # C: two different strikes in Kirkuk the same night (different places and tolls)
    "c1": (
        "2024-02-14",
        "Wire One",
        "Iraqi aircraft struck an ISIS hideout in Wadi al-Shai in Kirkuk province on Tuesday night, killing four militants, the army said.",
    ),
    "c2": (
        "2024-02-14",
        "Wire Two",
        "Iraqi F-16 jets struck ISIS positions in the Zarka area of Kirkuk on Tuesday night, killing nine militants, the military said.",
    ),
    # D: Turkish drone strikes the same day: Sinjar (two reports) and Amedi (another province)
    "d1": (
        "2023-11-14",
        "Wire One",
        "Turkish drones struck a vehicle near Sinjar on Monday, killing two PKK fighters.",
    ),
    "d2": (
        "2023-11-14",
        "Wire Two",
        "A Turkish drone struck a car near Amedi in Duhok province on Monday, killing two PKK members, local officials said.",
    ),
    "d3": (
        "2023-11-14",
        "Wire Three",
        "Two PKK fighters were killed when a Turkish drone hit their vehicle near Sinjar in Nineveh on Monday, a local official said.",
    ),
    # E: the same checkpoint attacked on two Tuesdays a week apart
    "e1": (
        "2023-09-06",
        "Wire One",
        "ISIS militants attacked an army checkpoint in Tarmiyah, north of Baghdad, on Tuesday, killing three soldiers, security sources said.",
    ),
    "e2": (
        "2023-09-13",
        "Wire Two",
        "ISIS militants attacked an army checkpoint in Tarmiyah, north of Baghdad, on Tuesday, killing two soldiers, security sources said.",
    ),
    # I: one roadside bomb, two wordings
    "i1": (
        "2023-04-14",
        "Wire One",
        "An IED exploded targeting a Popular Mobilization Forces patrol in Tuz Khurmatu, Salah al-Din, on Thursday, killing two fighters, security sources said.",
    ),
    "i2": (
        "2023-04-14",
        "Wire Two",
        "Two Popular Mobilization Forces fighters were killed when a roadside bomb hit their patrol near Tuz Khurmatu on Thursday, the PMF said.",
    ),
    # J: a yearly tally for Kirkuk: never merged with the incidents
    "j1": (
        "2024-02-14",
        "Wire Three",
        "Iraqi aircraft killed 120 ISIS militants in airstrikes in Kirkuk during the past year, the Joint Operations Command said on Wednesday.",
    ),
}
INCIDENTS = [{"a1", "a2", "a3"}, {"b1", "b2"}, {"d1", "d3"}, {"i1", "i2"}]


def write_reports(root: Path, names) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        published, source, text = REPORTS[name]
        (root / f"{name}.txt").write_text(text)
        meta = {"published": published, "source": source, "url": f"https://example.org/{name}"}
        (root / f"{name}.meta.json").write_text(json.dumps(meta))
    return root


def run_etl(src: Path, data: Path, *extra) -> dict:
    res = subprocess.run(
        [sys.executable, "-m", "etl", "run", str(src), "--data", str(data), "--quiet", *extra],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    origin = {
        r["article_id"]: r["origin"].removesuffix(".txt")
        for r in pq.read_table(data / "articles.parquet").to_pylist()
    }
    events = pq.read_table(data / "events.parquet").to_pylist()
    for e in events:
        e["names"] = {origin[a] for a in e["article_ids"]}
    return {"events": events, "origin": origin}


def pair_scores(clusters: list[set[str]], truth: list[set[str]]) -> tuple[float, float]:
    """Pairwise precision/recall of 'these two reports were merged'."""

    def pairs(groups):
        return {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}

    got, want = pairs(clusters), pairs(truth)
    precision = len(got & want) / len(got) if got else 1.0
    recall = len(got & want) / len(want) if want else 1.0
    return precision, recall


def test_hand_made_reports_merge_into_incidents(tmp_path):
    out = run_etl(write_reports(tmp_path / "in", REPORTS), tmp_path / "data")
    clusters = [e["names"] for e in out["events"]]
    assert pair_scores(clusters, INCIDENTS) == (1.0, 1.0)
    by_names = {frozenset(e["names"]): e for e in out["events"]}
    hamrin = by_names[frozenset({"a1", "a2", "a3"})]
    # toll: lowest report 5, "at least five" leaves the top open, latest report says 6
    assert (hamrin["killed"], hamrin["killed_low"], hamrin["killed_high"]) == (6, 5, None)
    assert sorted(hamrin["sources"]) == ["Wire One", "Wire Three", "Wire Two"]
    assert len(hamrin["urls"]) == 3 and len(hamrin["merged_from"]) == 2
    assert hamrin["evidence"].count("\n") == 2
    sadr = by_names[frozenset({"b1", "b2"})]
    assert (sadr["killed"], sadr["killed_low"], sadr["killed_high"]) == (7, 5, 7)
    assert sadr["wounded"] == 20
    # the merged event keeps the id of the earliest-published report's event
    solo = run_etl(write_reports(tmp_path / "b1", ["b1"]), tmp_path / "data_b1")
    assert sadr["event_id"] == solo["events"][0]["event_id"]
    cas = pq.read_table(tmp_path / "data" / "casualties.parquet").to_pylist()
    [civ] = [c for c in cas if c["event_id"] == sadr["event_id"]]
    assert (civ["actor"], civ["killed"], civ["killed_low"], civ["killed_high"]) == (
        "Civilians",
        7,
        5,
        7,
    )


def test_merging_does_not_depend_on_input_order_or_batches(tmp_path):
    names = sorted(REPORTS)
    whole = run_etl(write_reports(tmp_path / "all", names), tmp_path / "d1")
    data = tmp_path / "d2"
    for chunk in (names[::2], names[1::2]):  # two incremental runs
        part = run_etl(write_reports(tmp_path / f"part{chunk[0]}", chunk), data)
    key = sorted((e["event_id"], sorted(e["names"])) for e in whole["events"])
    assert sorted((e["event_id"], sorted(e["names"])) for e in part["events"]) == key
    raw = run_etl(write_reports(tmp_path / "all", names), tmp_path / "d3", "--no-dedup")
    assert len(raw["events"]) == len(REPORTS)


DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
SEED_001 = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.skipif(not DEVSET.is_dir(), reason="shared devset not available")
def test_devset_laylan_strike_is_one_event_with_six_reports(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "etl", "run", str(SEED_001), str(DEVSET)]
        + ["--data", str(tmp_path / "d"), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    origin = {
        r["article_id"]: r["origin"]
        for r in pq.read_table(tmp_path / "d" / "articles.parquet").to_pylist()
    }
    events = pq.read_table(tmp_path / "d" / "events.parquet").to_pylist()
    name = {a: origin[a].split("_")[0].removesuffix(".txt") for a in origin}
    # the Laylan strike: the event that holds seed 001's report (other incidents of the
    # 65-article dev set merge too, so the event is found by its articles, not its size)
    [laylan] = [e for e in events if {"001", "d02"} <= {name[a] for a in e["article_ids"]}]
    assert sorted(name[a] for a in laylan["article_ids"]) == [
        "001",
        "d02",
        "d03",
        "d04",
        "d05",
        "d06",
    ]
    assert not laylan["is_aggregate"]


# --- unit rules on hand-built events -----------------------------------------

ARTS = [
    Article(article_id=f"art{i}", origin=f"{i}.txt", pub_date=date(2024, 10, 15 + i // 4))
    for i in range(12)
]


def ev(eid, art, **kw):
    base = dict(
        event_type="airstrike",
        date_start=date(2024, 10, 14),
        date_end=date(2024, 10, 14),
        date_precision="day",
        actor1="Iraqi Security Forces",
        actor2="ISIS",
        country="Iraq",
        admin1="Kirkuk",
        killed=4,
        killed_low=4,
        killed_high=4,
    )
    base.update(kw)
    return Event(event_id=eid, article_ids=(f"art{art}",), **base)


def merged(events):
    return sorted(sorted((e.event_id, *e.merged_from)) for e in dedup(events, ARTS))


def test_same_article_never_merges():
    assert merged([ev("a", 0), ev("b", 0)]) == [["a"], ["b"]]


def test_aggregates_merge_only_with_their_identical_copies():
    agg = dict(is_aggregate=True, date_start=date(2024, 1, 1), date_precision="month")
    assert merged([ev("a", 0), ev("b", 1, is_aggregate=True)]) == [["a"], ["b"]]
    # one summary claim republished by three outlets: one row
    assert merged([ev("a", 0, **agg), ev("b", 1, **agg), ev("c", 2, **agg)]) == [["a", "b", "c"]]
    # two different claims (another toll; another period) stay apart
    assert merged(
        [ev("a", 0, **agg), ev("b", 1, **agg, killed=5, killed_low=5, killed_high=5)]
    ) == [
        ["a"],
        ["b"],
    ]
    other = {**agg, "date_start": date(2024, 2, 1)}
    assert merged([ev("a", 0, **agg), ev("b", 1, **other)]) == [["a"], ["b"]]
    # nor do copies found in one article
    assert merged([ev("a", 0, **agg), ev("b", 0, **agg)]) == [["a"], ["b"]]


@pytest.mark.parametrize(
    "t1,t2,same",
    [
        ("airstrike", "shelling", True),
        ("armed_clash", "bombing", True),
        ("attack", "armed_clash", True),
        ("ground_operation", "airstrike", True),
        ("airstrike", "bombing", False),
        ("shelling", "attack", False),
    ],
)
def test_type_families(t1, t2, same):
    assert compatible(ev("a", 0, event_type=t1), ev("b", 1, event_type=t2)) is same


def test_dates_overlap_with_a_day_of_slack_and_open_ends():
    d = date(2024, 10, 15)
    assert compatible(ev("a", 0), ev("b", 1, date_start=d, date_end=d))  # next day: slack
    far = date(2024, 10, 16)
    assert not compatible(ev("a", 0), ev("b", 1, date_start=far, date_end=far))
    week = dict(date_start=date(2024, 10, 7), date_end=date(2024, 10, 13), date_precision="week")
    assert compatible(ev("a", 0), ev("b", 1, **week))  # day slack reaches the week's end
    assert not compatible(
        ev("a", 0, date_start=far, date_end=far, date_precision="week"), ev("b", 1, **week)
    )
    assert compatible(ev("a", 0), ev("b", 1, date_start=None, date_precision="unknown"))


def test_an_undated_report_reaches_back_a_month_not_forever():
    undated = dict(date_start=None, date_precision="unknown")  # "on or before publication"
    days_later = ev("b", 1, **undated, date_end=date(2024, 11, 10))  # 27 days after
    assert compatible(ev("a", 0), days_later)
    months_later = ev("b", 1, **undated, date_end=date(2025, 1, 20))
    assert not compatible(ev("a", 0), months_later)
    # nor is it merged with older reports of its governorate
    old = [
        ev(f"o{i}", 2 + i, date_start=date(2020, 1, 1 + 3 * i), date_end=date(2020, 1, 1 + 3 * i))
        for i in range(5)
    ]
    assert merged([*old, months_later]) == [[e.event_id] for e in [months_later, *old]]


def test_place_actor_and_toll_rules():
    assert compatible(ev("a", 0), ev("b", 1, admin1=None))
    assert not compatible(ev("a", 0), ev("b", 1, admin1="Diyala"))
    assert not compatible(ev("a", 0), ev("b", 1, country="Syria"))
    assert compatible(ev("a", 0), ev("b", 1, actor1="Unknown", actor2=None))
    assert not compatible(ev("a", 0), ev("b", 1, actor1="Turkey"))
    assert compatible(ev("a", 0), ev("b", 1, killed=None, killed_low=None, killed_high=None))
    assert compatible(ev("a", 0), ev("b", 1, killed=3, killed_low=3, killed_high=None))
    assert not compatible(ev("a", 0), ev("b", 1, killed=9, killed_low=9, killed_high=9))


def test_rising_toll_needs_a_later_report():
    pub = {a.article_id: a.pub_date for a in ARTS}
    higher = dict(killed=7, killed_low=7, killed_high=7)
    assert compatible(ev("a", 0), ev("b", 4, **higher), pub)  # published a day later
    assert not compatible(ev("a", 0), ev("b", 1, **higher), pub)  # same day
    assert not compatible(ev("a", 4), ev("b", 0, **higher), pub)  # toll went down


def test_precise_places_must_agree_aliases_by_coordinates():
    laylan = dict(location="Laylan", latitude=35.28317, longitude=44.59579, geo_precision=2)
    lilan = dict(location="Lilan", latitude=35.28317, longitude=44.59579, geo_precision=2)
    zarka = dict(location="Zarka", latitude=35.5, longitude=44.1, geo_precision=1)
    assert compatible(ev("a", 0, **laylan), ev("b", 1, **lilan))
    assert not compatible(ev("a", 0, **laylan), ev("b", 1, **zarka))
    district = dict(location="Dibis district", latitude=35.6, longitude=44.0, geo_precision=3)
    assert compatible(ev("a", 0, **laylan), ev("b", 1, **district))  # vague place: allowed
    assert compatible(ev("a", 0, **laylan), ev("b", 1))  # no place


def test_vague_report_cannot_chain_two_distinct_incidents():
    laylan = dict(location="Laylan", latitude=35.28, longitude=44.59, geo_precision=2)
    zarka = dict(location="Zarka", latitude=35.5, longitude=44.1, geo_precision=1)
    events = [ev("l", 0, **laylan), ev("z", 1, **zarka), ev("v", 2)]
    groups = merged(events)
    assert len(groups) == 2 and ["l", "v", "z"] not in groups


def test_id_of_earliest_published_report_ties_smallest_id():
    # art4 is published a day after art0..art3
    assert dedup([ev("zz", 0), ev("aa", 4)], ARTS)[0].event_id == "zz"
    assert dedup([ev("zz", 0), ev("aa", 1)], ARTS)[0].event_id == "aa"


def test_reconciled_fields():
    a = ev(
        "a",
        0,
        date_end=date(2024, 10, 15),
        killed=4,
        killed_low=4,
        killed_high=None,
        casualties=(Casualty("ISIS", killed=4, killed_low=4),),
        sources=("S1",),
        evidence="first",
    )
    b = ev(
        "b",
        4,
        actor1="Unknown",
        location="Laylan",
        geo_precision=2,
        killed=5,
        killed_low=5,
        killed_high=5,
        casualties=(Casualty("ISIS", killed=5, killed_low=5, killed_high=5),),
        sources=("S2",),
        evidence="second",
    )
    [m] = dedup([b, a], ARTS)
    assert m.event_id == "a" and m.merged_from == ("b",)
    assert m.article_ids == ("art0", "art4") and m.sources == ("S1", "S2")
    assert (m.killed, m.killed_low, m.killed_high) == (5, 4, None)
    assert m.casualties == (Casualty("ISIS", killed=5, killed_low=4, killed_high=None),)
    assert m.location == "Laylan" and m.actor1 == "Iraqi Security Forces"
    assert m.date_end == date(2024, 10, 14)  # the narrower window wins
    assert m.evidence == "first\nsecond"


def test_result_does_not_depend_on_input_order():
    laylan = dict(location="Laylan", latitude=35.28, longitude=44.59, geo_precision=2)
    events = [
        ev("e1", 0, **laylan),
        ev("e2", 1),
        ev("e3", 2, admin1=None),
        ev("e4", 3, event_type="shelling"),
        ev("e5", 5, admin1="Diyala"),
        ev("e6", 6, admin1="Diyala", actor1=None),
        ev("e7", 7, killed=20, killed_low=20, killed_high=20),
    ]
    want = sorted(map(repr, dedup(events, ARTS)))
    rng = random.Random(5)
    for _ in range(10):
        rng.shuffle(events)
        assert sorted(map(repr, dedup(events, ARTS))) == want


@pytest.mark.parametrize("seed", range(10))
def test_the_bounded_memory_sweep_labels_exactly_as_the_global_pass(tmp_path, seed):
    """Random reports (places, dates of every precision and open windows, actors, tolls,
    aggregates) clustered by `sweep_labels` from a file, a few keys at a time, and by
    `labels` over all of them at once: the same incidents."""
    from etl.dedup import labels, read_keys, sweep_labels
    from etl.store import write_raw_tables

    rng = random.Random(seed)
    day0 = date(2023, 1, 1)
    events = []
    for n in range(300):
        first = day0 + timedelta(days=rng.randrange(120))
        width = rng.choice([0, 0, 0, 6, 30, 364])
        kind = rng.random()
        start, end = (first, first + timedelta(days=width))
        if kind < 0.08:
            start = None  # an undated report: "on or before publication"
        elif kind < 0.1:
            start = end = None
        killed = rng.choice([None, 2, 3, 4])
        events.append(
            ev(
                f"e{n:03d}",
                rng.randrange(60),
                event_type=rng.choice(["airstrike", "shelling", "bombing", "ground_operation"]),
                date_start=start,
                date_end=end,
                date_precision="day" if width == 0 and start else "week",
                admin1=rng.choice(["Kirkuk", "Kirkuk", "Diyala", None]),
                country=rng.choice(["Iraq", "Iraq", "Iraq", None]),
                actor1=rng.choice(["Iraqi Security Forces", "Unknown", None]),
                killed=killed,
                killed_low=killed,
                killed_high=killed,
                is_aggregate=rng.random() < 0.05,
            )
        )
    for n, e in enumerate(rng.sample(events, 40)):  # republished copies, aggregates too
        for c in range(rng.randrange(1, 4)):
            art = rng.choice([e.article_ids[0], f"art{rng.randrange(60)}"])
            events.append(e.replace(event_id=f"c{n:02d}{c}", article_ids=(art,)))
    rng.shuffle(events)
    pub = {f"art{i}": day0 + timedelta(days=rng.randrange(130)) for i in range(60)}
    write_raw_tables(events, tmp_path)
    raw = tmp_path / "_raw_events.parquet"
    want = labels(read_keys(raw), pub)
    got = sweep_labels(raw, pub, tmp_path / "work", buffer=37)
    assert got.tolist() == want.tolist()
    assert len(set(want.tolist())) < len(events)  # some did merge
