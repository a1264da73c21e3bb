"""The review store: validation, versions, the append-only log, undo, users, migrations."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from dashboard.review import store as st
from dashboard.review.slots import ConflictError, ReviewError, validate
from dashboard.review.store import Anchor, ReviewStore, User, remove_override

ED = User("ana", "editor")
VIEWER = User("vic", "viewer")
ANCHOR = Anchor(
    ("a1", "a2"), "A drone struck a car near Sinjar.", {"killed": 2, "actor1": "Turkey"}
)


@pytest.fixture
def store(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "review.sqlite")


def test_wal_and_schema_version(store):
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() == st.MIGRATIONS[-1][0]
    # opening again applies nothing twice
    again = ReviewStore(store.path)
    rows = sqlite3.connect(again.path).execute("SELECT version FROM schema_version").fetchall()
    assert [r[0] for r in rows] == [v for v, _ in st.MIGRATIONS]


def test_newer_schema_is_refused(store):
    con = sqlite3.connect(store.path)
    con.execute("INSERT INTO schema_version VALUES (99)")
    con.commit()
    with pytest.raises(ReviewError, match="schema version 99"):
        ReviewStore(store.path)


def test_later_migration_runs_once(store, monkeypatch):
    extra = (st.MIGRATIONS[-1][0] + 1, "CREATE TABLE extra (x INTEGER);")
    monkeypatch.setattr(st, "MIGRATIONS", (*st.MIGRATIONS, extra))
    s2 = ReviewStore(store.path)
    assert s2.schema_version() == extra[0]
    ReviewStore(store.path)  # the table exists: a second run would fail
    names = {r[0] for r in sqlite3.connect(store.path).execute("SELECT name FROM sqlite_master")}
    assert "extra" in names


@pytest.mark.parametrize(
    "field,value,needle",
    [
        ("actor1", "Turky", "'Turky' is not one of: Iraqi Security Forces"),
        ("event_type", "strike", "airstrike, shelling"),
        ("admin1", "Ninewa", "Nineveh"),
        ("weapon", "tank", "F-16, drone"),
        ("killed", -1, "not a count"),
        ("killed", "seven", "'seven' is not a count"),
        ("event_date", "2023-13-01", "not a date"),
        ("colour", "red", "field='colour' is not one of: event_type"),
        ("casualties", [{"actor": "Martians", "killed": 1}], "casualties.actor='Martians'"),
    ],
)
def test_validation_names_bad_value_and_valid_ones(field, value, needle):
    with pytest.raises(ReviewError) as err:
        validate(field, value)
    assert needle in str(err.value)


def test_edit_versions_and_log(store):
    assert store.version("e1") == 0
    v1 = store.edit(
        "e1",
        {"actor1": "ISIS", "killed": 3},
        user=ED,
        expected_version=0,
        anchor=ANCHOR,
        note="text says ISIS",
    )
    assert v1 == 1
    snap = store.snapshot()
    # a best figure alone is a point figure: its low and high follow it
    assert snap.overrides == {
        "e1": {"actor1": "ISIS", "killed": 3, "killed_low": 3, "killed_high": 3}
    }
    assert snap.anchors["e1"].article_ids == ("a1", "a2")
    log = store.log("e1")
    assert {(e.field, e.before, e.after, e.user, e.note) for e in log} == {
        ("actor1", None, "ISIS", "ana", "text says ISIS"),
        ("killed", None, 3, "ana", "text says ISIS"),
        ("killed_low", None, 3, "ana", "text says ISIS"),
        ("killed_high", None, 3, "ana", "text says ISIS"),
    }
    assert not any(e.had_before for e in log)
    # an unchanged value writes nothing and keeps the version
    assert store.edit("e1", {"actor1": "ISIS"}, user=ED, expected_version=1, anchor=ANCHOR) == 1


def test_second_writer_gets_conflict(store):
    store.edit("e1", {"actor1": "ISIS"}, user=ED, expected_version=0, anchor=ANCHOR)
    bob = User("bob", "editor")
    with pytest.raises(ConflictError, match=r"changed by ana .*version 1, you edited version 0"):
        store.edit("e1", {"actor1": "PKK"}, user=bob, expected_version=0, anchor=ANCHOR)
    assert store.snapshot().overrides["e1"]["actor1"] == "ISIS"


def test_concurrent_writers_one_wins(store):
    results: list = []

    def write(actor):
        try:
            store.edit("e9", {"actor1": actor}, user=ED, expected_version=0, anchor=ANCHOR)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=write, args=(a,)) for a in ("ISIS", "PKK", "SDF")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "conflict", "ok"]
    assert store.version("e9") == 1


def test_ranges_checked_against_machine_values(store):
    # the machine says 2 killed; a low of 5 without a new best is inconsistent
    with pytest.raises(ReviewError, match="killed_low=5 is above killed=2"):
        store.edit("e1", {"killed_low": 5}, user=ED, expected_version=0, anchor=ANCHOR)


def test_viewer_cannot_write(store):
    with pytest.raises(ReviewError, match="may not edit"):
        store.edit("e1", {"actor1": "ISIS"}, user=VIEWER, expected_version=0, anchor=ANCHOR)


def test_verdicts_undo_and_nothing_deleted(store):
    v = store.set_verdict("e1", "not_event", user=ED, expected_version=0, anchor=ANCHOR)
    assert store.snapshot().verdicts == {"e1": "not_event"}
    v = store.undo("e1", v, user=ED, expected_version=v, note="was a strike after all")
    assert store.snapshot().verdicts == {}
    v = store.set_verdict(
        "e1", "duplicate_of", other="e2", user=ED, expected_version=v, anchor=ANCHOR
    )
    v = store.set_verdict("e1", "split", other="a2", user=ED, expected_version=v, anchor=ANCHOR)
    snap = store.snapshot()
    assert snap.verdicts == {"e1": "duplicate_of:e2"} and snap.splits == {"e1": ("a2",)}
    log = store.log("e1")
    assert len(log) == 4 and log[2].undoes == log[3].id  # newest first
    con = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM log")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE log SET after = NULL")


def test_verdict_errors(store):
    with pytest.raises(ReviewError, match="verdict='maybe' is not one of: confirmed"):
        store.set_verdict("e1", "maybe", user=ED, expected_version=0, anchor=ANCHOR)
    with pytest.raises(ReviewError, match="'a9' is not one of the event's articles: a1, a2"):
        store.set_verdict("e1", "split", other="a9", user=ED, expected_version=0, anchor=ANCHOR)
    with pytest.raises(ReviewError, match="duplicate of itself"):
        store.set_verdict(
            "e1", "duplicate_of", other="e1", user=ED, expected_version=0, anchor=ANCHOR
        )


def test_undo_of_an_override_restores_machine_value(store):
    store.edit("e1", {"actor1": "ISIS"}, user=ED, expected_version=0, anchor=ANCHOR)
    store.edit("e1", {"actor1": "PKK"}, user=ED, expected_version=1, anchor=ANCHOR)
    store.undo("e1", 2, user=ED, expected_version=2)
    assert store.snapshot().overrides["e1"]["actor1"] == "ISIS"
    store.edit("e1", remove_override("actor1"), user=ED, expected_version=3, anchor=ANCHOR)
    assert "e1" not in store.snapshot().overrides
    assert len(store.log("e1")) == 4


def test_users(store):
    store.add_user("ana", "correct horse", "editor")
    assert store.authenticate("ana", "correct horse") == User("ana", "editor")
    assert store.authenticate("ana", "wrong password") is None
    assert store.authenticate("nobody", "correct horse") is None
    raw = sqlite3.connect(store.path).execute("SELECT password_hash FROM users").fetchone()[0]
    assert "correct horse" not in raw and raw.startswith(("scrypt:", "pbkdf2:"))
    with pytest.raises(ReviewError, match="role='admin' is not one of: viewer, editor"):
        store.add_user("bob", "long enough", "admin")
    with pytest.raises(ReviewError, match="8 to"):
        store.add_user("bob", "short", "viewer")
    assert store.secret_key() == store.secret_key() and len(store.secret_key()) == 64


def test_corrected_sides_set_the_totals_the_ranges_are_checked_against(store):
    machine = Anchor(("a1",), "x", {"killed": 4, "killed_low": 4, "killed_high": 4})
    sides = [{"actor": "ISIS", "killed": 6}]
    v = store.edit("e1", {"casualties": sides}, user=ED, expected_version=0, anchor=machine)
    with pytest.raises(ReviewError, match="killed_low=9 is above killed=6"):
        store.edit("e1", {"killed_low": 9}, user=ED, expected_version=v, anchor=machine)
