"""The reviewed view: overrides and verdicts applied to the events table (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.review.store import Anchor, Snapshot
from dashboard.review.view import apply_review, attach
from etl.schema import CASUALTIES_SCHEMA, EVENTS_SCHEMA, Col
from tests.dashboard import factories as fx

S1 = "A Turkish drone struck a vehicle near the village of Kani Rash on Monday."
S2 = "Two fighters of the group were killed in the strike, officials said."
S3 = "Army helicopters bombed a cave complex in the Hamrin hills."


def events(*rows):
    return fx.table([fx.event(**r) for r in rows], EVENTS_SCHEMA)


def cas(*rows):
    return fx.table(list(rows), CASUALTIES_SCHEMA)


def base():
    ev = events(
        dict(
            event_id="e1",
            article_ids=["a1"],
            actor1="Turkey",
            actor2="PKK",
            admin1="Duhok",
            event_date="2023-05-01",
            killed=2,
            evidence=S1 + " " + S2,
        ),
        dict(
            event_id="e2",
            article_ids=["a2", "a3"],
            actor1="Iraqi Security Forces",
            event_type="airstrike",
            admin1="Diyala",
            event_date="2023-05-02",
            killed=1,
            killed_low=1,
            killed_high=1,
            evidence=S3,
            sources=["X", "Y"],
            urls=["https://x.example/1", "https://y.example/2"],
            merged_from=["e3"],
        ),
        dict(
            event_id="e4",
            article_ids=["a4"],
            actor1="Iraqi Security Forces",
            admin1="Diyala",
            event_date="2023-05-02",
            killed=4,
            killed_low=4,
            killed_high=6,
            evidence="Other.",
        ),
    )
    c = cas({Col.EVENT_ID: "e1", Col.ACTOR: "PKK", Col.KILLED: 2})
    return ev, c


def snap(overrides=None, verdicts=None, splits=None, anchors=None):
    overrides, verdicts, splits = overrides or {}, verdicts or {}, splits or {}
    ids = set(overrides) | set(verdicts) | set(splits)
    anchors = anchors or {i: Anchor((), "") for i in ids}
    return Snapshot(overrides, verdicts, splits, anchors, dict.fromkeys(ids, 1), 1)


def by_id(table):
    return {r[Col.EVENT_ID]: r for r in table.to_pylist()}


def test_no_edits_is_identity():
    ev, c = base()
    out = apply_review(ev, c, Snapshot.empty())
    assert out.events is ev and out.casualties is c and not out.marks


def test_override_slots_and_casualties_set_totals():
    ev, c = base()
    sides = [{"actor": "PKK", "killed": 3}, {"actor": "Civilians", "killed": 1, "wounded": 2}]
    out = apply_review(ev, c, snap({"e1": {"actor1": "Iran", "casualties": sides}}))
    r = by_id(out.events)["e1"]
    assert r["actor1"] == "Iran" and r["killed"] == 4 and r["wounded"] == 2
    assert out.marks["e1"].status == "corrected"
    assert out.marks["e1"].machine["actor1"] == "Turkey" and out.marks["e1"].machine["killed"] == 2
    got = sorted((x["actor"], x["killed"]) for x in out.casualties.to_pylist())
    assert got == [("Civilians", 1), ("PKK", 3)]
    # the untouched rows keep their order; the reviewed one follows them
    assert [r[Col.EVENT_ID] for r in out.events.to_pylist()] == ["e2", "e4", "e1"]


def test_place_override_takes_gazetteer_coordinates():
    ev, c = base()
    out = apply_review(ev, c, snap({"e1": {"location": "Sinjar"}}))
    r = by_id(out.events)["e1"]
    assert r["admin1"] == "Nineveh" and r["latitude"] == pytest.approx(36.3, abs=0.3)
    assert out.marks["e1"].machine["admin1"] == "Duhok"


def test_dates_override():
    ev, c = base()
    out = apply_review(
        ev,
        c,
        snap(
            {
                "e1": {
                    "event_date": "2023-04-30",
                    "date_start": "2023-04-30",
                    "date_end": "2023-04-30",
                }
            }
        ),
    )
    assert by_id(out.events)["e1"]["event_date"] == date(2023, 4, 30)


def test_not_event_drops_and_confirmed_marks():
    ev, c = base()
    out = apply_review(ev, c, snap(verdicts={"e1": "not_event", "e4": "confirmed"}))
    assert set(by_id(out.events)) == {"e2", "e4"}
    assert out.dropped == {"e1": "not_event"} and out.marks["e4"].status == "confirmed"
    assert out.casualties.num_rows == 0


def test_duplicate_merges_like_dedup():
    ev, c = base()
    out = apply_review(ev, c, snap(verdicts={"e4": "duplicate_of:e2"}))
    rows = by_id(out.events)
    assert set(rows) == {"e1", "e2"}
    e2 = rows["e2"]
    assert e2["article_ids"] == ["a2", "a3", "a4"]
    assert e2["merged_from"] == ["e3", "e4"]
    # e2's best figure kept; the range spans both reports
    assert (e2["killed"], e2["killed_low"], e2["killed_high"]) == (1, 1, 6)
    assert out.marks["e2"].status == "merged"


def test_duplicate_of_an_absorbed_id_finds_its_event():
    ev, c = base()
    out = apply_review(ev, c, snap(verdicts={"e4": "duplicate_of:e3"}))
    assert set(by_id(out.events)) == {"e1", "e2"} and out.dropped["e4"] == "duplicate_of:e2"


def test_duplicate_of_missing_event_is_a_problem_not_a_loss():
    ev, c = base()
    out = apply_review(ev, c, snap(verdicts={"e4": "duplicate_of:zz"}))
    assert "e4" in by_id(out.events) and "zz" in out.problems[0]


def test_split_without_raw_tables():
    ev, c = base()
    out = apply_review(ev, c, snap(splits={"e2": ("a3",)}))
    rows = by_id(out.events)
    assert len(rows) == 4
    assert rows["e2"]["article_ids"] == ["a2"] and rows["e2"]["sources"] == ["X"]
    new = rows["e2~a3"]
    assert new["article_ids"] == ["a3"] and new["urls"] == ["https://y.example/2"]
    assert out.marks["e2~a3"].status == "split"


def test_split_with_raw_member_and_its_own_correction():
    ev, c = base()
    raw = events(
        dict(
            event_id="e2",
            article_ids=["a2"],
            actor1="Iraqi Security Forces",
            evidence=S3,
            event_date="2023-05-02",
        ),
        dict(
            event_id="e3",
            article_ids=["a3"],
            actor1="Unknown",
            evidence="A raw line here.",
            event_date="2023-05-01",
            killed=5,
        ),
    )
    s = snap(overrides={"e3": {"actor1": "Turkey"}}, splits={"e2": ("a3",)})
    out = apply_review(ev, c, s, raw, cas())
    rows = by_id(out.events)
    assert rows["e3"]["killed"] == 5 and rows["e3"]["actor1"] == "Turkey"
    assert rows["e2"]["merged_from"] == [] and rows["e2"]["actor1"] == "Iraqi Security Forces"
    assert out.orphans == ()  # e3 is edited before it exists as an event: attached by split


def test_attach_by_article_and_sentence_after_rerun():
    # the re-run gave e1 a new id, n1, same article, one sentence unchanged
    ev = events(
        dict(event_id="n1", article_ids=["a1"], evidence="Changed opening. " + S2),
        dict(event_id="n2", article_ids=["a1"], evidence=S3),
        dict(event_id="n9", article_ids=["a9"], evidence=S1),
    )
    s = snap(
        {"e1": {"actor1": "Iran"}, "gone": {"actor1": "PKK"}},
        anchors={"e1": Anchor(("a1",), S1 + " " + S2), "gone": Anchor(("a7",), S1)},
    )
    rows, orphans = attach(ev, s)
    assert rows == {"e1": 0} and orphans == ("gone",)
    out = apply_review(ev, cas(), s)
    assert by_id(out.events)["n1"]["actor1"] == "Iran"
    assert out.attached == {"e1": "n1"} and out.orphans == ("gone",)


def test_splitting_a_merged_duplicate_back_out_undoes_the_merge():
    ev, c = base()
    s = snap(verdicts={"e4": "duplicate_of:e2"}, splits={"e2": ("a4",)})
    out = apply_review(ev, c, s)
    rows = by_id(out.events)
    assert set(rows) == {"e1", "e2", "e4"} and rows["e2"]["article_ids"] == ["a2", "a3"]
    assert out.marks["e4"].status == "split" and out.dropped == {}
