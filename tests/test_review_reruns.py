"""Edits survive ETL runs: ETL -> edit -> ETL (unchanged, then changed input) -> the edit
is applied to the event, or listed as orphaned; never dropped silently."""

from __future__ import annotations

import os
import subprocess
import sys

from dashboard.data import load_dataset
from dashboard.review.load import reviewed
from dashboard.review.store import ReviewStore, User
from dashboard.review.view import anchor_of
from dashboard.review.widgets import orphans
from etl.schema import Col
from etl.store import read_events

ED = User("ana", "editor")
DRONE = "Turkish drones struck a vehicle near Sinjar on Monday, killing two PKK fighters."
BOMB = (
    "A car bomb exploded at a market in Sadr City, Baghdad, on Sunday, killing five "
    "civilians and wounding 20 others, police said."
)
OPENING = "Residents described a night of fear in the district."


def etl(src, data):
    subprocess.run(
        [sys.executable, "-m", "etl", "run", str(src), "--data", str(data), "--quiet"],
        check=True,
        capture_output=True,
        env=dict(os.environ),
    )


def write(src, name, text, published="2022-05-09"):
    src.mkdir(exist_ok=True)
    (src / f"{name}.txt").write_text(text)
    (src / f"{name}.meta.json").write_text(f'{{"published": "{published}"}}')


def events_by_text(data):
    rows = read_events(data).to_pylist()
    return {("drone" if "drone" in r[Col.EVIDENCE] else "bomb"): r for r in rows}


def edit(data, row, changes):
    store = ReviewStore.of(data)
    eid = row[Col.EVENT_ID]
    store.edit(eid, changes, user=ED, expected_version=store.version(eid), anchor=anchor_of(row))


def reviewed_rows(data):
    ds = reviewed(load_dataset(data))
    return ds, {r[Col.EVENT_ID]: r for r in ds.events.to_pylist()}


def test_edits_survive_reruns(tmp_path):
    src, data = tmp_path / "in", tmp_path / "data"
    write(src, "drone", DRONE)
    write(src, "bomb", BOMB)
    etl(src, data)
    first = events_by_text(data)
    assert first["drone"][Col.ACTOR1] == "Turkey"  # what the extractor says
    edit(data, first["drone"], {Col.ACTOR1: "Iran", Col.KILLED: 3})
    edit(data, first["bomb"], {Col.ACTOR2: "Civilians", Col.WEAPON: "IED"})

    # unchanged input: same ids, edits applied
    etl(src, data)
    assert events_by_text(data)["drone"][Col.EVENT_ID] == first["drone"][Col.EVENT_ID]
    ds, rows = reviewed_rows(data)
    drone = rows[first["drone"][Col.EVENT_ID]]
    assert (drone[Col.ACTOR1], drone[Col.KILLED]) == ("Iran", 3)
    assert ds.review.orphans == ()

    # changed input: the drone article gains an opening sentence (new content hash, its
    # events are replaced); the bomb article is rewritten to a different incident
    write(src, "drone", OPENING + " " + DRONE)
    write(src, "bomb", "Gunmen shot dead a shepherd near Kirkuk on Sunday, police said.")
    etl(src, data)
    now = {r[Col.EVENT_ID]: r for r in read_events(data).to_pylist()}
    ds, rows = reviewed_rows(data)
    rev = ds.review
    old_drone, old_bomb = first["drone"][Col.EVENT_ID], first["bomb"][Col.EVENT_ID]
    # every edit is accounted for: attached to an event of this run, or orphaned
    assert set(rev.attached) | set(rev.orphans) == {old_drone, old_bomb}
    assert old_drone in rev.attached  # same article, the same sentence
    new_id = rev.attached[old_drone]
    assert new_id in now
    assert (rows[new_id][Col.ACTOR1], rows[new_id][Col.KILLED]) == ("Iran", 3)
    assert rev.marks[new_id].machine[Col.ACTOR1] == "Turkey"
    assert old_bomb in rev.orphans  # the sentence is gone: listed, not lost
    assert ReviewStore.of(data).snapshot().overrides[old_bomb][Col.WEAPON] == "IED"
    # the review queue lists it, with the sentence it was made on
    notice = str(orphans(ds))
    assert old_bomb in notice and "1 orphaned edit(s)" in notice and "car bomb" in notice
