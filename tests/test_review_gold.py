"""export-gold round trip: the reviewed events, written as gold, score perfectly with
../shared/tools/score.py against the reviewed data, and the raw extraction scores
lower exactly where analysts corrected it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dashboard.data import load_dataset
from dashboard.review.cli import export_gold, main
from dashboard.review.load import reviewed
from dashboard.review.store import ReviewStore, User
from dashboard.review.view import anchor_of
from etl.schema import Col
from etl.store import read_events
from tests.dashboard import factories as fx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # as benchmarks/eval.py finds it
SCORE = SHARED / "tools" / "score.py"
ED = User("ana", "editor")

EVENTS = [
    dict(
        event_id="g1",
        article_ids=["c1"],
        event_type="airstrike",
        event_date="2024-03-02",
        actor1="Turkey",
        actor2="PKK",
        admin1="Duhok",
        killed=3,
        evidence="Drone strike.",
    ),
    dict(
        event_id="g2",
        article_ids=["c1"],
        event_type="shelling",
        event_date="2024-03-01",
        actor1="Iran",
        actor2="PKK",
        admin1="Erbil",
        evidence="Shells fell.",
    ),
    dict(
        event_id="g3",
        article_ids=["c2"],
        event_type="bombing",
        event_date="2024-03-03",
        actor1="ISIS",
        actor2="Civilians",
        admin1="Baghdad",
        killed=2,
        evidence="A caption.",
    ),
    dict(
        event_id="g4",
        article_ids=["c3"],
        event_type="attack",
        event_date="2024-03-04",
        actor1="ISIS",
        actor2="Civilians",
        admin1="Kirkuk",
        killed=1,
        evidence="Not reviewed.",
    ),
]
CAS = [{Col.EVENT_ID: "g1", Col.ACTOR: "PKK", Col.KILLED: 3}]
ARTICLES = [fx.article(a, "Outlet", pub="2024-03-05") for a in ("c1", "c2", "c3")]


@pytest.fixture
def data(tmp_path):
    d = fx.write(tmp_path / "data", EVENTS, CAS, ARTICLES)
    store = ReviewStore.of(d)
    rows = {r[Col.EVENT_ID]: r for r in read_events(d).to_pylist()}

    def anchor(eid):
        return anchor_of(rows[eid])

    store.edit(
        "g1",
        {Col.ACTOR1: "Iran", "casualties": [{"actor": "PKK", "killed": 4}]},
        user=ED,
        expected_version=0,
        anchor=anchor("g1"),
    )
    store.set_verdict("g2", "confirmed", user=ED, expected_version=0, anchor=anchor("g2"))
    store.set_verdict("g3", "not_event", user=ED, expected_version=0, anchor=anchor("g3"))
    return d


def score(gold: Path, data: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORE), "--gold", str(gold), "--data", str(data), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def test_gold_lines(data):
    buf = io.StringIO()
    assert export_gold(data, buf) == 2  # c1 (corrected, confirmed) and c2 (not an event)
    lines = {x["article"]: x for x in map(json.loads, buf.getvalue().splitlines())}
    assert set(lines) == {"c1.txt", "c2.txt"}
    g1 = next(e for e in lines["c1.txt"]["events"] if e["incident"] == "g1")
    assert g1["actor1"] == "Iran" and g1["casualties"] == [
        {"actor": "PKK", "killed": 4, "wounded": None}
    ]
    assert g1["date"] == "2024-03-02" and not g1["optional"]
    assert lines["c2.txt"]["events"] == []  # the caption is not an event


@pytest.mark.skipif(not SCORE.exists(), reason="../shared/tools/score.py not present")
def test_round_trip_through_score(data, tmp_path, capsys):
    assert main(["export-gold", "--data", str(data)]) == 0
    gold = tmp_path / "reviewed.jsonl"
    gold.write_text(capsys.readouterr().out)
    # the reviewed tables as a data directory: they agree with the gold entirely
    rev_dir = tmp_path / "reviewed"
    rev_dir.mkdir()
    ds = reviewed(load_dataset(data))
    pq.write_table(ds.events, rev_dir / "events.parquet")
    pq.write_table(pq.read_table(data / "articles.parquet"), rev_dir / "articles.parquet")
    good = score(gold, rev_dir)
    assert (good["tp"], good["fp"], good["fn"]) == (2, 0, 0)
    assert good["f1"] == 1.0 and good["acc_actor1"] == 1.0 and good["full_match_rate"] == 1.0
    # the raw extraction: the caption is a false positive, g1's actor and toll are wrong
    raw = score(gold, data)
    assert (raw["tp"], raw["fp"], raw["fn"]) == (2, 1, 0)
    assert raw["acc_actor1"] == 0.5 and raw["acc_killed"] == 0.5
