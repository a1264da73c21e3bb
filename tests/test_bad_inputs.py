"""Issue 10: no input stops a run, no run poisons the next.

Each test feeds one of the inputs that broke or degraded a run and checks what a user
now sees: a row in `articles` with a status and a message naming the problem, the
run going on, and the next run working too."""

import codecs
import json
import os
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from etl.cli import main
from etl.limits import COUNT_BOUNDS, TEXT_BOUNDS
from etl.reader import read_table
from etl.sources import read_sources

GOOD = "Gunmen attacked a police checkpoint in Baqubah on Sunday, killing two officers."


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def by_origin(articles):
    return {a.origin: a for a in articles}


def etl_run(src, data, capsys, *extra) -> str:
    code = main(["run", str(src), "--data", str(data), "--quiet", "--workers", "1", *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


# --- B1: counts past int32 -----------------------------------------------------

HUGE = (
    "The coalition said its aircraft carried out 3000000000 airstrikes near Mosul on "
    "Saturday. Between 5 and 99999999999 militants were killed in the strikes."
)


def test_counts_past_int32_are_dropped_with_a_note_and_the_dataset_stays_writable(tmp_path, capsys):
    src = tmp_path / "in"
    write(src / "huge.txt", HUGE)
    write(src / "huge.meta.json", json.dumps({"published": "2024-03-04"}))
    write(src / "good.txt", GOOD)
    data = tmp_path / "data"
    etl_run(src, data, capsys)
    events = read_table(data, "events").to_pylist()
    casualties = read_table(data, "casualties").to_pylist()
    for row in events + casualties:
        for name, bound in COUNT_BOUNDS.items():
            assert row.get(name) is None or 0 <= row[name] <= bound, (name, row[name])
    [strike] = [e for e in events if e["event_type"] == "airstrike"]
    assert strike["strikes"] is None and strike["killed_high"] is None
    assert "strikes=3000000000 dropped" in strike["note"]
    assert "killed_high=99999999999 dropped" in strike["note"]
    assert strike["killed_low"] == 5  # the plausible end of the range is kept
    # the next run is not frozen by the first
    write(src / "later.txt", GOOD.replace("Sunday", "Monday").replace("two", "three"))
    err = etl_run(src, data, capsys)
    assert "1 new" in err
    assert read_table(data, "articles").num_rows == 3


# --- B2: JSON and names that raise -----------------------------------------------


def test_deep_json_huge_integers_and_undecodable_names_are_failed_rows(tmp_path, capsys):
    src = tmp_path / "in"
    deep = "[" * 100_000 + "]" * 100_000
    write(src / "deep.txt", GOOD)
    write(src / "deep.meta.json", deep)
    lines = [
        json.dumps({"id": "r1", "text": GOOD}),
        '{"id": "r2", "text": "x", "n": ' + deep + "}",
        '{"id": "r3", "text": "x", "n": ' + "9" * 5_000 + "}",
        json.dumps({"id": "r4", "text": GOOD.replace("two", "four")}),
    ]
    write(src / "feed.jsonl", "\n".join(lines))
    write(Path(os.fsdecode(bytes(src) + b"/bad\xffname.txt")), GOOD)
    arts = by_origin(read_sources([src]))
    assert arts["deep.txt"].status == "ok"
    assert "deep.meta.json ignored: JSON nested too deeply" in arts["deep.txt"].error
    assert arts["feed.jsonl#L2"].status == "failed"
    assert "nested too deeply" in arts["feed.jsonl#L2"].error
    assert arts["feed.jsonl#L3"].status == "failed"
    assert "line 3" in arts["feed.jsonl#L3"].error and "digits" in arts["feed.jsonl#L3"].error
    assert arts["feed.jsonl#r4"].status == "ok"  # the lines after still count
    [bad] = [a for a in arts.values() if a.origin.startswith("bad")]
    assert bad.origin == "bad\\xffname.txt"
    assert bad.status == "failed" and "not valid UTF-8" in bad.error
    data = tmp_path / "data"
    etl_run(src, data, capsys)  # and the run writes them all
    assert read_table(data, "articles").num_rows == len(arts)


def test_a_reader_that_raises_costs_one_input(tmp_path, monkeypatch):
    import etl.sources

    real = etl.sources.read_text_file

    def flaky(path, origin):
        if path.name == "boom.txt":
            raise RuntimeError("reader bug")
        return real(path, origin)

    monkeypatch.setattr(etl.sources, "read_text_file", flaky)
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "boom.txt", GOOD)
    write(tmp_path / "c.txt", GOOD)
    arts = by_origin(read_sources([tmp_path]))
    assert [arts[o].status for o in ("a.txt", "boom.txt", "c.txt")] == ["ok", "failed", "ok"]
    assert arts["boom.txt"].error == "cannot read boom.txt: RuntimeError: reader bug"


def test_lone_surrogates_and_long_ids_in_jsonl_are_stored(tmp_path, capsys):
    long_id = "x" * 5_000
    write(
        tmp_path / "in" / "s.jsonl",
        '{"id": "a\\ud800", "text": "Bad \\udcff text. '
        + GOOD
        + '", "title": "T\\ud800"}\n'
        + json.dumps({"id": long_id, "text": GOOD})
        + "\n",
    )
    data = tmp_path / "data"
    etl_run(tmp_path / "in", data, capsys)
    origins = read_table(data, "articles").column("origin").to_pylist()
    assert "s.jsonl#a\ufffd" in origins
    [long] = [o for o in origins if o.startswith("s.jsonl#xxx")]
    assert len(long) < 250


# --- B5: duplicate ids -------------------------------------------------------------


def test_a_second_record_with_the_same_id_is_a_duplicate_naming_the_first(tmp_path, capsys):
    lines = [
        json.dumps({"id": "same", "text": GOOD, "published": "2023-04-02"}),
        json.dumps({"id": "other", "text": GOOD.replace("two", "six")}),
        json.dumps({"id": "same", "text": GOOD.replace("Baqubah", "Kirkuk")}),
    ]
    write(tmp_path / "in" / "feed.jsonl", "\n".join(lines))
    data = tmp_path / "data"
    etl_run(tmp_path / "in", data, capsys)
    arts = {r["origin"]: r for r in read_table(data, "articles").to_pylist()}
    dup = arts["feed.jsonl#same~L3"]
    assert dup["status"] == "duplicate"
    assert "already used on line 1 (feed.jsonl#same)" in dup["error"]
    assert arts["feed.jsonl#same"]["status"] == "ok"
    events = read_table(data, "events").to_pylist()
    assert {e["admin1"] for e in events} == {"Diyala"}  # the first record's, not Kirkuk
    before = [read_table(data, t) for t in ("articles", "events")]
    err = etl_run(tmp_path / "in", data, capsys)
    assert "0 new, 0 updated, 3 unchanged" in err  # the rerun is a no-op
    assert all(
        a.equals(b)
        for a, b in zip(
            before, [read_table(data, "articles"), read_table(data, "events")], strict=True
        )
    )


# --- B7 / D3: impossible publication dates; event dates after publication -------------


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_impossible_publication_dates_are_rejected_with_a_note(tmp_path, capsys, published):
    src = tmp_path / "in"
    write(src / "a.txt", GOOD)
    write(src / "a.meta.json", json.dumps({"published": published}))
    data = tmp_path / "data"
    etl_run(src, data, capsys)
    [art] = read_table(data, "articles").to_pylist()
    assert art["status"] == "ok"  # not "failed: extract: OverflowError"
    assert art["pub_date"] is None and art["pub_date_source"] == "unknown"
    assert f"published='{published}'" in art["error"] and "outside 1900-01-01.." in art["error"]
    for e in read_table(data, "events").to_pylist():
        assert e["event_date"] is None or date(1900, 1, 1) <= e["event_date"] <= date.today()


def test_tomorrow_is_still_a_publication_date(tmp_path):
    from datetime import timedelta

    from etl.pubdate import find_pub_date

    tomorrow = date.today() + timedelta(days=1)
    assert find_pub_date(GOOD, tomorrow.isoformat()).value == tomorrow
    later = tomorrow + timedelta(days=1)
    assert find_pub_date(GOOD, later.isoformat()).value is None


def test_an_event_date_after_publication_is_rejected_with_a_note(tmp_path, capsys):
    src = tmp_path / "in"
    write(
        src / "a.txt",
        "A car bomb exploded at a market in Kirkuk on 5 March 2023, killing three people.",
    )
    write(src / "a.meta.json", json.dumps({"published": "2020-01-10"}))
    data = tmp_path / "data"
    etl_run(src, data, capsys)
    [event] = read_table(data, "events").to_pylist()
    # treated as an undated report: on or before publication
    assert event["date_start"] is None and event["date_precision"] == "unknown"
    assert event["event_date"] == event["date_end"] == date(2020, 1, 10)
    assert "event date 2023-03-05 is after the publication date 2020-01-10" in event["note"]


# --- D2: inputs that used to leave no row ---------------------------------------------


def test_empty_and_blank_jsonl_links_and_unreadable_directories_each_get_a_row(
    tmp_path, monkeypatch
):
    src = tmp_path / "in"
    write(src / "empty.jsonl", b"")
    write(src / "blank.jsonl", b"\n  \n\n")
    os.symlink("loop2.txt", src / "loop1.txt")
    os.symlink("loop1.txt", src / "loop2.txt")
    os.symlink("gone.txt", src / "dangling.txt")
    write(src / "locked" / "inside.txt", GOOD)
    write(src / "ok.txt", GOOD)
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root reads anything: refuse it here
    arts = by_origin(read_sources([src]))
    assert (arts["empty.jsonl"].status, arts["empty.jsonl"].error) == (
        "empty",
        "no records (no lines)",
    )
    assert (arts["blank.jsonl"].status, arts["blank.jsonl"].error) == (
        "empty",
        "no records (3 blank line(s))",
    )
    for name in ("loop1.txt", "loop2.txt"):
        assert arts[name].status == "failed" and "symlink loop" in arts[name].error
    assert arts["dangling.txt"].status == "failed"
    assert "dangling symlink to gone.txt" in arts["dangling.txt"].error
    assert arts["locked/"].status == "failed"
    assert arts["locked/"].error == "cannot read directory locked/: Permission denied"
    assert arts["ok.txt"].status == "ok"


# --- D10: links out of the source root ------------------------------------------------


def test_a_link_out_of_the_source_root_is_not_followed(tmp_path):
    outside = write(tmp_path / "secret.txt", "root:x:0:0:root:/root:/bin/bash")
    src = tmp_path / "in"
    write(src / "ok.txt", GOOD)
    os.symlink(outside, src / "passwd.txt")
    os.symlink("/etc", src / "etc.txt")
    write(src / "real.txt", GOOD.replace("two", "five"))
    os.symlink("real.txt", src / "alias.txt")  # inside the root: read
    arts = by_origin(read_sources([src]))
    assert arts["passwd.txt"].status == "failed" and arts["passwd.txt"].text == ""
    assert "points outside the source root" in arts["passwd.txt"].error
    assert str(outside) in arts["passwd.txt"].error
    assert arts["etc.txt"].status == "failed"
    assert arts["alias.txt"].status == "ok"
    assert arts["alias.txt"].content_hash == arts["real.txt"].content_hash


# --- D7: feed size; D9: encodings and truncated feeds ------------------------------------


def test_a_fetched_feed_over_the_limit_is_a_failed_row(tmp_path, monkeypatch):
    import http.server
    import threading

    body = b"<rss><channel>" + b"<item><title>x</title></item>" * 100 + b"</channel></rss>"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/feed.rss"
        monkeypatch.setenv("SORTIE_MAX_FEED_BYTES", "1000")
        [art] = read_sources([url])
        assert art.status == "failed"
        assert "feed larger than 1,000 bytes" in art.error
        assert "SORTIE_MAX_FEED_BYTES" in art.error
        monkeypatch.setenv("SORTIE_MAX_FEED_BYTES", str(len(body)))
        arts = list(read_sources([url]))
        assert len(arts) == 100  # at the limit: read
    finally:
        server.shutdown()
        server.server_close()


def test_files_over_the_file_limit_and_lines_over_the_record_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("SORTIE_MAX_FILE_BYTES", "100")
    monkeypatch.setenv("SORTIE_MAX_RECORD_BYTES", "200")
    write(tmp_path / "big.txt", GOOD * 3)
    write(tmp_path / "small.txt", GOOD)
    line = json.dumps({"id": "big", "text": GOOD * 5})
    write(tmp_path / "r.jsonl", line + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n")
    arts = by_origin(read_sources([tmp_path]))
    assert arts["big.txt"].status == "failed"
    assert "larger than 100 bytes (the file limit, set by SORTIE_MAX_FILE_BYTES)" in (
        arts["big.txt"].error
    )
    assert arts["small.txt"].status == "ok"
    assert arts["r.jsonl#L1"].status == "failed" and "longer than 200 bytes" in (
        arts["r.jsonl#L1"].error
    )
    assert arts["r.jsonl#ok"].status == "ok"


def test_a_bad_limit_setting_names_the_value(monkeypatch):
    from etl.limits import input_limit

    monkeypatch.setenv("SORTIE_MAX_FEED_BYTES", "lots")
    with pytest.raises(ValueError, match="SORTIE_MAX_FEED_BYTES='lots' is not a whole number"):
        input_limit("feed")
    with pytest.raises(ValueError, match="'disk' is not one of: file, feed, record"):
        input_limit("disk")


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_utf16_and_utf32_text_is_decoded_by_its_bom(tmp_path, codec, bom):
    write(
        tmp_path / "u.txt",
        bom + ("Kirkuk: " + GOOD + " \u0643\u0631\u0643\u0648\u0643").encode(codec),
    )
    [art] = read_sources([tmp_path])
    assert art.status == "ok" and art.text.startswith("Kirkuk: Gunmen attacked")
    assert art.text.endswith("\u0643\u0631\u0643\u0648\u0643")


def test_a_truncated_feed_reports_its_parse_error(tmp_path):
    whole = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Strike</title><description>" + GOOD + "</description></item>"
        "<item><title>Second</title><description>More"
    )
    write(tmp_path / "cut.rss", whole)
    write(tmp_path / "stub.rss", '<?xml version="1.0"?><rss version="2.0"><chan')
    arts = by_origin(read_sources([tmp_path]))
    entries = [a for o, a in arts.items() if o.startswith("cut.rss#")]
    assert entries and all("feed parse error: SAXParseException" in a.error for a in entries)
    stub = arts["stub.rss"]
    assert stub.status == "failed" and "not a readable RSS/Atom feed: SAXParseException" in (
        stub.error
    )


# --- D4 (storage side): text fields bounded ------------------------------------------------


def test_long_title_source_and_url_are_cut_with_a_note(tmp_path, capsys):
    src = tmp_path / "in"
    write(src / "a.txt", GOOD)
    meta = {"title": "T" * 200_000, "source": "S" * 200_000, "url": "https://x.test/" + "u" * 9_000}
    write(src / "a.meta.json", json.dumps(meta))
    data = tmp_path / "data"
    etl_run(src, data, capsys)
    [art] = read_table(data, "articles").to_pylist()
    for name, bound in TEXT_BOUNDS.items():
        assert len(art[name]) == bound
    assert "source cut from 200,000 to 300 characters" in art["error"]
    assert "title cut from 200,000 to 1,000 characters" in art["error"]
    for e in read_table(data, "events").to_pylist():
        assert all(len(s) <= TEXT_BOUNDS["source"] for s in e["sources"])


# --- D8: counts that agree with the table ---------------------------------------------------


def test_summary_and_runs_count_the_failed_rows_the_table_holds_after_a_rerun(
    tmp_path, capsys, monkeypatch
):
    import etl.pipeline

    def stage_boom(w):
        if "Tikrit" in w.article.text:
            raise OverflowError("date value out of range")

    stages = (*etl.pipeline.STAGES[:1], ("boom", stage_boom), *etl.pipeline.STAGES[1:])
    monkeypatch.setattr(etl.pipeline, "STAGES", stages)
    src = tmp_path / "in"
    write(src / "a.txt", GOOD)
    write(src / "b.txt", GOOD.replace("Baqubah", "Tikrit"))
    write(src / "c.txt", b"\x00binary")
    data = tmp_path / "data"
    for _ in range(2):
        err = etl_run(src, data, capsys)
        articles = read_table(data, "articles")
        failed = pc.sum(pc.equal(articles.column("status"), "failed")).as_py()
        assert failed == 2
        assert f"3 articles read, 1 ok, {failed} failed" in err
        runs = pq.read_table(data / "runs.parquet").to_pylist()
        assert runs[-1]["articles_failed"] == failed


# --- the per-article budget ------------------------------------------------------------


def test_an_article_over_its_time_budget_is_failed_and_the_run_goes_on(
    tmp_path, capsys, monkeypatch
):
    import threading

    import etl.pipeline

    def stage_stuck(w):
        if "Tikrit" in w.article.text:
            threading.Event().wait(30)  # a stage that would hang

    stages = (*etl.pipeline.STAGES, ("stuck", stage_stuck))
    monkeypatch.setattr(etl.pipeline, "STAGES", stages)
    monkeypatch.setenv("SORTIE_ARTICLE_BUDGET_SECONDS", "0.5")
    src = tmp_path / "in"
    write(src / "a.txt", GOOD)
    write(src / "b.txt", GOOD.replace("Baqubah", "Tikrit"))
    etl_run(src, tmp_path / "data", capsys)
    arts = {r["origin"]: r for r in read_table(tmp_path / "data", "articles").to_pylist()}
    assert arts["a.txt"]["status"] == "ok"
    assert arts["b.txt"]["status"] == "failed"
    assert arts["b.txt"]["error"] == (
        "stuck: OverBudget: took longer than 0.5 s (the per-article budget, "
        "SORTIE_ARTICLE_BUDGET_SECONDS)"
    )


def test_links_to_folders_and_folder_loops_get_a_row_other_links_are_ignored(tmp_path):
    src = tmp_path / "in"
    write(src / "sub" / "a.txt", GOOD)
    os.symlink(".", src / "sub" / "again")  # a loop through a folder
    os.symlink(tmp_path, src / "up")  # a folder outside the root
    write(tmp_path / "notes.md", "# not an input")
    os.symlink(tmp_path / "notes.md", src / "notes")  # a file of another type: ignored
    arts = by_origin(read_sources([src]))
    assert set(arts) == {"sub/a.txt", "sub/again", "up"}
    assert "symlink to a directory (.); not followed" in arts["sub/again"].error
    assert "points outside the source root" in arts["up"].error


def test_a_source_that_cannot_even_be_walked_is_one_failed_row(tmp_path):
    too_long = tmp_path / ("x" * 300 + ".txt")  # a name over the file system's limit
    write(tmp_path / "ok.txt", GOOD)
    arts = list(read_sources([too_long, tmp_path / "ok.txt"]))
    assert [a.status for a in arts] == ["failed", "ok"]
    assert "File name too long" in arts[0].error


def test_a_rerun_over_failing_inputs_rewrites_nothing(tmp_path, capsys):
    src = tmp_path / "in"
    write(src / "a.txt", b"\x00binary")
    write(src / "b.txt", GOOD)
    write(src / "r.jsonl", '{"id": "x"}\n' + json.dumps({"id": "y", "text": GOOD}) + "\n")
    data = tmp_path / "data"
    etl_run(src, data, capsys)
    before = [read_table(data, t) for t in ("articles", "events", "casualties")]
    etl_run(src, data, capsys)
    after = [read_table(data, t) for t in ("articles", "events", "casualties")]
    assert all(a.equals(b) for a, b in zip(before, after, strict=True))  # same rows, same order
    write(src / "a.txt", b"caf\xe9")  # failing for another reason: the reason is refreshed
    etl_run(src, data, capsys)
    arts = {r["origin"]: r for r in read_table(data, "articles").to_pylist()}
    assert arts["a.txt"]["error"].startswith("invalid UTF-8 at byte 3")
