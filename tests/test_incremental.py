"""Production runs: incremental and idempotent, locked, atomically switched, logged."""

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from etl.lock import DatasetLock
from etl.schema import RUNS_SCHEMA

BOMBING = (
    "A car bomb exploded at a market in Sadr City, Baghdad, on Sunday, killing five "
    "civilians and wounding 20 others, police said."
)
DRONE = "Turkish drones struck a vehicle near Sinjar on Monday, killing two PKK fighters."
CLASH = (
    "ISIS militants attacked an army checkpoint in Tarmiyah, north of Baghdad, on Tuesday, "
    "killing three soldiers, security sources said."
)


def etl(*args, env=None, **kw):
    return subprocess.run(
        [sys.executable, "-m", "etl", "run", *map(str, args), "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kw,
    )


def popen(*args, env=None):
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "run", *map(str, args), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def snapshot(data):
    """The dataset's rows, order-free, without the run log."""
    out = {}
    for name in ("articles", "events", "casualties"):
        rows = pq.read_table(data / f"{name}.parquet").to_pylist()
        out[name] = sorted(repr(sorted(r.items())) for r in rows)
    return out


def write(src, name, text, published="2022-05-09"):
    src.mkdir(exist_ok=True)
    (src / f"{name}.txt").write_text(text)
    (src / f"{name}.meta.json").write_text(f'{{"published": "{published}"}}')


@pytest.fixture
def src(tmp_path):
    s = tmp_path / "in"
    write(s, "a", BOMBING)
    write(s, "b", DRONE)
    return s


def test_second_run_changes_nothing_and_logs_both(src, tmp_path):
    data = tmp_path / "data"
    first = etl(src, "--data", data)
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 updated, 0 unchanged" in first.stderr
    before = snapshot(data)
    second = etl(src, "--data", data)
    assert second.returncode == 0, second.stderr
    assert "0 new, 0 updated, 2 unchanged" in second.stderr
    assert snapshot(data) == before
    runs = pq.read_table(data / "runs.parquet")
    # Parquet has no second-resolution timestamps: they come back as ms; cast to read
    assert runs.schema.names == RUNS_SCHEMA.names
    runs = runs.cast(RUNS_SCHEMA)
    rows = runs.to_pylist()
    assert [(r["articles_read"], r["articles_new"], r["events"]) for r in rows] == [
        (2, 2, 2),
        (2, 0, 0),
    ]
    assert rows[0]["run_id"] < rows[1]["run_id"] and rows[0]["finished"] >= rows[0]["started"]
    assert rows[0]["inputs"] == [str(src)]
    # readers see plain file names
    assert (data / "events.parquet").is_symlink() and (data / "current").is_symlink()


def test_new_article_is_added_and_old_ones_kept(src, tmp_path):
    data = tmp_path / "data"
    assert etl(src / "a.txt", "--data", data).returncode == 0
    ids = set(pq.read_table(data / "events.parquet")["event_id"].to_pylist())
    res = etl(src / "b.txt", "--data", data)
    assert "1 new, 0 updated, 0 unchanged" in res.stderr
    arts = pq.read_table(data / "articles.parquet")["origin"].to_pylist()
    assert sorted(arts) == ["a.txt", "b.txt"]
    after = set(pq.read_table(data / "events.parquet")["event_id"].to_pylist())
    assert ids < after and len(after) == 2


def test_changed_article_is_reprocessed_and_its_events_replaced(src, tmp_path):
    data = tmp_path / "data"
    assert etl(src, "--data", data).returncode == 0
    old = pq.read_table(data / "events.parquet").to_pylist()
    old_b = [e["event_id"] for e in old if e["event_type"] == "airstrike"]
    write(src, "b", CLASH)
    res = etl(src, "--data", data)
    assert "0 new, 1 updated, 1 unchanged" in res.stderr, res.stderr
    new = pq.read_table(data / "events.parquet").to_pylist()
    assert not set(old_b) & {e["event_id"] for e in new}
    assert sorted(e["event_type"] for e in new) == ["armed_clash", "bombing"]
    assert pq.read_table(data / "articles.parquet").num_rows == 2
    cas = pq.read_table(data / "casualties.parquet")["event_id"].to_pylist()
    assert set(cas) <= {e["event_id"] for e in new}


def test_same_content_under_a_new_name_is_a_duplicate(src, tmp_path):
    data = tmp_path / "data"
    assert etl(src / "a.txt", "--data", data).returncode == 0
    other = tmp_path / "other"
    write(other, "b", CLASH)  # read (and triaged) before the copy, in the same run
    write(other, "copy", BOMBING)
    assert etl(other, "--data", data).returncode == 0
    rows = pq.read_table(data / "articles.parquet", columns=["origin", "status", "error"])
    status = {r["origin"]: (r["status"], r["error"]) for r in rows.to_pylist()}
    assert status == {
        "a.txt": ("ok", None),
        "b.txt": ("ok", None),
        "copy.txt": ("duplicate", "same content as a.txt"),
    }
    assert pq.read_table(data / "events.parquet").num_rows == 2


def test_flat_layout_from_older_versions_is_read_and_converted(src, tmp_path):
    from etl.pipeline import process
    from etl.sources import read_sources
    from etl.store import article_rows, casualty_rows, event_rows
    from etl.store import write_table as wt

    data = tmp_path / "data"
    arts, evs = [], []
    for a in read_sources([src / "a.txt"]):
        a, found = process(a)
        arts.append(a)
        evs += found
    from etl.schema import ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA

    wt(event_rows(evs), EVENTS_SCHEMA, data / "events.parquet")
    wt(casualty_rows(evs), CASUALTIES_SCHEMA, data / "casualties.parquet")
    wt(article_rows(arts, {}), ARTICLES_SCHEMA, data / "articles.parquet")
    res = etl(src, "--data", data)
    assert "1 new, 0 updated, 1 unchanged" in res.stderr, res.stderr
    assert (data / "articles.parquet").is_symlink()
    assert pq.read_table(data / "events.parquet").num_rows == 2


def test_kill_9_during_write_keeps_previous_dataset_and_rerun_completes(src, tmp_path):
    data = tmp_path / "data"
    assert etl(src / "a.txt", "--data", data).returncode == 0
    before = snapshot(data)
    proc = popen(src, "--data", data, env={"SORTIE_TEST_SLEEP_IN_WRITE": "3"})
    deadline = time.monotonic() + 30
    while not any((data / ".versions").glob(".tmp-*/*.parquet")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(data) == before  # still the old, complete dataset
    res = etl(src, "--data", data)
    assert res.returncode == 0, res.stderr
    assert "1 new, 0 updated, 1 unchanged" in res.stderr
    assert pq.read_table(data / "events.parquet").num_rows == 2
    assert not list((data / ".versions").glob(".tmp-*"))


def test_second_run_exits_0_while_the_lock_is_held(src, tmp_path):
    data = tmp_path / "data"
    with DatasetLock(data) as held:
        assert held
        res = etl(src, "--data", data)
    assert res.returncode == 0
    assert "another run holds the lock" in res.stderr
    assert not (data / "events.parquet").exists()


def test_wait_waits_for_the_lock(src, tmp_path):
    data = tmp_path / "data"
    lock = DatasetLock(data)
    assert lock.acquire()
    proc = popen(src, "--data", data, "--wait")
    time.sleep(1.0)
    assert proc.poll() is None  # still waiting
    lock.release()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert pq.read_table(data / "articles.parquet").num_rows == 2


def test_concurrent_runs_never_corrupt_the_output(src, tmp_path):
    data = tmp_path / "data"
    other = tmp_path / "other"
    write(other, "c", CLASH)
    procs = [popen(s, "--data", data, "--wait") for s in (src, other, src, other)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    arts = pq.read_table(data / "articles.parquet")["origin"].to_pylist()
    assert sorted(arts) == ["a.txt", "b.txt", "c.txt"]
    assert pq.read_table(data / "events.parquet").num_rows == 3
    assert pq.read_table(data / "runs.parquet").num_rows == 4
    # without --wait: every run exits 0, and the dataset stays whole
    procs = [popen(s, "--data", data) for s in (src, other)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert pq.read_table(data / "events.parquet").num_rows == 3


def _state_with(tmp_path, *articles):
    """A State over a dataset holding these article records."""
    from etl.state import State
    from etl.store import load, write_dataset

    data = tmp_path / "data"
    if not (data / "current").exists():
        write_dataset(data, list(articles), [])
    return State(load(data))


def test_feed_failure_record_is_dropped_once_the_feed_reads_again(tmp_path):
    from etl.schema import Article

    down = Article(article_id="f", origin="http://x/feed.rss", status="failed", error="down")
    state = _state_with(tmp_path, down)
    entry = Article(article_id="e1", origin="http://x/feed.rss#1", text="Text.", content_hash="h")
    assert list(state.triage([entry])) == [entry]
    state.record(entry, [])
    assert [a.origin for a in state.all_articles()] == ["http://x/feed.rss#1"]
    state.close()
    # a feed that keeps failing is not counted as an update
    state = _state_with(tmp_path, down)
    again = Article(article_id="f", origin="http://x/feed.rss", status="failed", error="still")
    assert list(state.triage([again])) == []
    assert (state.stats.failed, state.stats.updated, state.stats.new) == (1, 0, 0)
    assert state.all_articles()[0].error == "still"
    state.close()
    assert not state.spill_path.parent.exists()  # its own temporary directory


def test_a_broken_current_link_is_an_error_not_a_fresh_start(src, tmp_path):
    import shutil

    data = tmp_path / "data"
    assert etl(src, "--data", data).returncode == 0
    shutil.rmtree((data / "current").resolve())
    res = etl(src, "--data", data)
    assert res.returncode == 3 and "cannot read the existing dataset" in res.stderr


def test_state_holds_no_article_or_event_records_and_streams_the_tables(src, tmp_path, monkeypatch):
    """The state keeps a compact index, not the stored articles or events: none is an
    `Article` or `Event` in memory, and the new version's tables are streamed from the
    old ones and the spills."""
    import gc

    from etl.pipeline import process
    from etl.schema import Article, Event
    from etl.sources import read_sources
    from etl.state import State
    from etl.store import iter_raw_events, load, read_events, write_dataset

    data = tmp_path / "data"
    assert etl(src, "--data", data).returncode == 0
    write(src, "c", CLASH)
    write(src, "copy", DRONE)  # same content as b.txt, stored by the first run
    write(src, "a", BOMBING.replace("five", "six"))  # changed

    def records():  # Article and Event objects alive (other tests' module-level ones too)
        gc.collect()
        objects = gc.get_objects()
        return sum(type(o) is Article for o in objects), sum(type(o) is Event for o in objects)

    before = records()
    monkeypatch.setattr("etl.state.SPILL_ROWS", 1)  # spill each record at once
    state = State(load(data), spill_dir=tmp_path / "work")
    assert records() == before
    assert len(state.index.keys) + len(state.index.recent) == 2
    found = 0
    for art in state.triage(read_sources([src])):
        art, events = process(art)
        found += len(events)
        state.record(art, events)
        del art, events
    assert found == 2  # a.txt's bombing and c.txt's clash; the copy is not processed
    assert records() == before
    assert (state.stats.new, state.stats.updated, state.stats.unchanged) == (2, 1, 1)
    raw = state.write_raw(tmp_path / "work")
    write_dataset(data, state.article_tables, iter_raw_events(*raw), runs=state.runs)
    state.close()
    rows = pq.read_table(data / "articles.parquet").to_pylist()
    assert [r["origin"] for r in rows] == ["b.txt", "a.txt", "c.txt", "copy.txt"]
    by = {r["origin"]: r for r in rows}
    assert by["copy.txt"]["status"] == "duplicate"
    assert by["copy.txt"]["error"] == "same content as b.txt"
    assert by["a.txt"]["content_hash"] != by["b.txt"]["content_hash"]
    assert [by[o]["n_events"] for o in ("b.txt", "a.txt", "c.txt", "copy.txt")] == [1, 1, 1, 0]
    # b's stored event kept, a's old one replaced by its new one (six killed), c's added
    events = {e["article_ids"][0]: e for e in read_events(data).to_pylist()}
    assert set(events) == {by[o]["article_id"] for o in ("a.txt", "b.txt", "c.txt")}
    assert events[by["a.txt"]["article_id"]]["killed"] == 6
    assert not list((data / ".versions").glob("*/*.spill"))
