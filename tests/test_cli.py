"""The ETL end to end through its command line: exit codes, summary, tables."""

import json
import subprocess
import sys

import pyarrow.parquet as pq

from etl.schema import ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA
from etl.store import read_events


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd
    )


def test_run_writes_all_tables_and_keeps_bad_inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "A car bomb exploded at a market in Sadr City, Baghdad, on Sunday, killing five "
        "civilians and wounding 20 others, police said."
    )
    (src / "a.meta.json").write_text(json.dumps({"published": "2022-05-09", "source": "Wire"}))
    (src / "empty.txt").write_text("")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "feed.jsonl").write_text('{"id": "x", "text": "Nothing happened."}\n{oops\n')
    out = tmp_path / "data"
    res = run("run", str(src), "--data", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    assert "5 articles read, 2 ok, 2 failed, 1 events written" in res.stderr

    articles = pq.read_table(out / "articles.parquet")
    events = read_events(out)
    casualties = pq.read_table(out / "casualties.parquet")
    # events: partitioned by the event's year and month, each part with the full schema
    [part] = (out / "events.parquet").rglob("*.parquet")
    assert part.relative_to(out / "events.parquet").as_posix() == "year=2022/month=5/part-0.parquet"
    assert pq.read_schema(part).equals(EVENTS_SCHEMA)
    assert articles.schema.equals(ARTICLES_SCHEMA)
    assert casualties.schema.equals(CASUALTIES_SCHEMA)
    status = dict(zip(articles["origin"].to_pylist(), articles["status"].to_pylist(), strict=True))
    assert status == {
        "a.txt": "ok",
        "bin.txt": "failed",
        "empty.txt": "empty",
        "feed.jsonl#x": "ok",
        "feed.jsonl#L2": "failed",
    }
    [event] = events.to_pylist()
    assert (event["event_type"], str(event["event_date"]), event["admin1"]) == (
        "bombing",
        "2022-05-08",
        "Baghdad",
    )
    assert (event["killed"], event["wounded"], event["sources"]) == (5, 20, ["Wire"])
    assert casualties.to_pylist()[0]["actor"] == "Civilians"


def test_event_ids_are_stable_across_runs(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(
        "Turkish drones struck a vehicle near Sinjar on Monday, killing two PKK fighters."
    )
    ids = []
    for n in range(2):
        out = tmp_path / f"d{n}"
        assert run("run", str(src), "--data", str(out), "--quiet").returncode == 0
        ids.append(read_events(out)["event_id"].to_pylist())
    assert ids[0] == ids[1] and len(ids[0]) == 1


def test_nothing_to_read_is_an_error(tmp_path):
    res = run("run", str(tmp_path / "missing"), "--data", str(tmp_path / "d"))
    assert res.returncode == 2
    assert "nothing to read" in res.stderr and "missing" in res.stderr


def test_unwritable_output_is_an_error(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Text.")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    res = run("run", str(src), "--data", str(blocker / "sub"))
    assert res.returncode == 3
    assert "cannot write the dataset" in res.stderr
