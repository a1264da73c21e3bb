"""B4: readers pin one version; a read during switches sees one whole version."""

import os
import threading
import time
from datetime import date

import pytest

from etl.reader import open_version, read_table
from etl.schema import Article, Event
from etl.store import VERSIONS, _prune, read_events, write_dataset


def version_of_size(k: int) -> tuple[list[Article], list[Event]]:
    """k articles, 3 events each, spread over 12 months (so many part files)."""
    arts = [Article(article_id=f"a{k}-{i}", origin=f"o{i}.txt") for i in range(k)]
    events = [
        Event(
            event_id=f"e{k}-{i}-{j}",
            article_ids=(f"a{k}-{i}",),
            event_type="airstrike",
            event_date=date(2023, 1 + (i + j) % 12, 1 + j),
        )
        for i in range(k)
        for j in range(3)
    ]
    return arts, events


def test_reads_during_switches_see_only_whole_versions(tmp_path):
    data = tmp_path / "data"
    write_dataset(data, *version_of_size(1))
    sizes = range(2, 14)
    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def writer():
        try:
            for k in sizes:
                write_dataset(data, *version_of_size(k))
        finally:
            stop.set()

    def reader():
        while not stop.is_set():
            try:
                v = open_version(data)
                n_articles = v.table("articles").num_rows
                events = v.table("events", ["event_id"])
                if events.num_rows != 3 * n_articles:
                    problems.append(f"{events.num_rows} events with {n_articles} articles")
                if read_table(data, "events").num_rows % 3:
                    problems.append("a read_table of events that is no version")
                if read_events(data, ["event_id"]).num_rows % 3:
                    problems.append("a read_events that is no version")
                reads[0] += 1
            except Exception as exc:  # noqa: BLE001 -- any failure is what the test looks for
                problems.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    writer()
    for t in threads:
        t.join()
    assert problems == []
    assert reads[0] > 0
    final = open_version(data)
    assert final.table("articles").num_rows == sizes[-1]
    assert final.run_id == os.readlink(data / "current").split("/")[-1]


def test_a_pinned_version_keeps_reading_it_after_a_switch(tmp_path):
    data = tmp_path / "data"
    write_dataset(data, *version_of_size(2))
    v = open_version(data)
    write_dataset(data, *version_of_size(5))
    assert v.table("articles").num_rows == 2 and v.table("events").num_rows == 6
    assert open_version(data).table("articles").num_rows == 5
    assert read_table(data, "articles", ["article_id"]).column_names == ["article_id"]


def test_unknown_table_and_missing_dataset_say_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Sortie dataset"):
        open_version(tmp_path)
    write_dataset(tmp_path, *version_of_size(1))
    with pytest.raises(ValueError, match="'event' is not one of: articles, events"):
        read_table(tmp_path, "event")


def test_old_versions_are_removed_after_the_grace_period_only(tmp_path):
    data = tmp_path / "data"
    for k in range(1, 7):
        write_dataset(data, *version_of_size(k))  # default grace: none is removed yet
    versions = sorted(p for p in (data / VERSIONS).iterdir() if not p.name.startswith("."))
    assert len(versions) == 6
    # the first two were replaced an hour ago; the third a second ago
    hour_ago = time.time() - 3600
    for p in versions[1:3]:
        os.utime(p, (hour_ago, hour_ago))
    _prune(data, data / VERSIONS, keep=3, grace=600)
    left = sorted(p for p in (data / VERSIONS).iterdir() if not p.name.startswith("."))
    assert left == versions[2:]  # versions[0] and [1] went; [2] is in its grace period
    _prune(data, data / VERSIONS, keep=3, grace=0)
    left = sorted(p for p in (data / VERSIONS).iterdir() if not p.name.startswith("."))
    assert left == versions[3:]  # the last three stay whatever their age
    assert open_version(data).table("articles").num_rows == 6


def test_the_readme_reader_example_runs_as_written(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("### Reading the tables", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    write_dataset(tmp_path / "data", *version_of_size(4))
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(code, scope)  # noqa: S102 -- the README's own example
    assert scope["events"].num_rows == 12
    assert scope["articles"].num_rows == 4 and len(scope["runs"]) == 0
