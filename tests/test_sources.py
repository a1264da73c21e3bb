"""Input stage: every input becomes one article with a status; nothing is lost."""

import json

import pytest

from etl.sources import article_id, read_sources


def write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def by_origin(articles):
    return {a.origin: a for a in articles}


def test_txt_with_sidecar(tmp_path):
    write(tmp_path / "a.txt", "Two rockets hit a base in Anbar on Monday.")
    meta = {"published": "2024-03-05", "url": "https://x.test/a", "title": "T", "source": "Outlet"}
    write(tmp_path / "a.meta.json", json.dumps(meta))
    [art] = read_sources([tmp_path])
    assert (art.origin, art.status, art.error) == ("a.txt", "ok", None)
    assert (art.meta_published, art.url, art.title, art.source) == (
        "2024-03-05",
        "https://x.test/a",
        "T",
        "Outlet",
    )
    assert art.article_id == article_id("a.txt")
    assert len(art.content_hash) == 16


def test_sidecar_fields_are_optional(tmp_path):
    write(tmp_path / "a.txt", "Some text.")
    write(tmp_path / "a.meta.json", json.dumps({"source": "Outlet"}))
    [art] = read_sources([tmp_path])
    assert art.status == "ok" and art.source == "Outlet" and art.meta_published is None


def test_broken_sidecar_keeps_the_article(tmp_path):
    write(tmp_path / "a.txt", "Some text.")
    write(tmp_path / "a.meta.json", "{not json")
    [art] = read_sources([tmp_path])
    assert art.status == "ok"
    assert "a.meta.json" in art.error


@pytest.mark.parametrize(
    "data, status, error_part",
    [
        (b"", "empty", "no text"),
        (b"  \n\n \t\n", "empty", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "failed", "binary file"),
        (b"caf\xe9 bombing in Mosul", "failed", "invalid UTF-8 at byte 3"),
    ],
)
def test_bad_text_files(tmp_path, data, status, error_part):
    write(tmp_path / "bad.txt", data)
    write(tmp_path / "good.txt", "Gunmen attacked a checkpoint in Diyala.")
    arts = by_origin(read_sources([tmp_path]))
    assert arts["bad.txt"].status == status
    assert error_part in arts["bad.txt"].error
    assert arts["good.txt"].status == "ok"  # the run goes on


def test_jsonl_records_and_malformed_lines(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": "A drone strike hit Sinjar.", "published": "2023-01-02"}),
        "{broken",
        json.dumps({"id": "r3"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"text": "No id here."}),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines))
    arts = by_origin(read_sources([tmp_path / "feed.jsonl"]))
    assert arts["feed.jsonl#r1"].status == "ok"
    assert arts["feed.jsonl#r1"].meta_published == "2023-01-02"
    assert arts["feed.jsonl#L2"].status == "failed"
    assert "malformed JSON on line 2" in arts["feed.jsonl#L2"].error
    assert arts["feed.jsonl#r3"].status == "failed"
    assert "no 'text'" in arts["feed.jsonl#r3"].error
    assert "not a JSON object" in arts["feed.jsonl#L4"].error
    assert arts["feed.jsonl#L6"].status == "ok"
    assert len(arts) == 5  # the blank line is not an article


def test_copies_are_read_as_they_are(tmp_path):
    """Telling copies apart is the state's job (below): reading keeps no table of them."""
    write(tmp_path / "a.txt", "Same story.")
    write(tmp_path / "b.txt", "Same story.")
    arts = by_origin(read_sources([tmp_path]))
    assert [arts[o].status for o in ("a.txt", "b.txt")] == ["ok", "ok"]
    assert arts["a.txt"].content_hash == arts["b.txt"].content_hash


def test_a_copy_in_the_same_run_is_a_duplicate_of_the_first_read(tmp_path):
    import dataclasses

    from etl.state import State
    from etl.store import load

    (tmp_path / "in").mkdir()
    (tmp_path / "later").mkdir()
    write(tmp_path / "in" / "a.txt", "Same story.")
    write(tmp_path / "in" / "b.txt", "Same story.")
    write(tmp_path / "in" / "c.txt", "Other story.")
    write(tmp_path / "in" / "d.txt", "Other story.")
    state = State(load(tmp_path / "data"))
    todo = list(state.triage(read_sources([tmp_path / "in"])))  # all triaged before any result
    assert [(a.origin, a.status) for a in todo] == [
        ("a.txt", "ok"),
        ("b.txt", "duplicate"),
        ("c.txt", "ok"),
        ("d.txt", "duplicate"),
    ]
    for a in todo:  # c.txt comes back empty (as if cleaning had left nothing)
        state.record(dataclasses.replace(a, status="empty") if a.origin == "c.txt" else a, [])
    # c.txt's claim on its content is released: a later copy is not a duplicate of it
    write(tmp_path / "later" / "e.txt", "Other story.")
    assert [a.status for a in state.triage(read_sources([tmp_path / "later"]))] == ["ok"]
    rows = {a.origin: a for a in state.all_articles()}
    state.close()
    assert rows["b.txt"].error == "same content as a.txt"
    assert rows["d.txt"].error == "same content as c.txt"


def test_missing_and_unsupported_inputs(tmp_path):
    other = write(tmp_path / "page.pdf", b"%PDF-1.4")
    arts = by_origin(read_sources([tmp_path / "nope.txt", other]))
    assert arts["nope.txt"].status == "failed" and "no such file" in arts["nope.txt"].error
    assert arts["page.pdf"].status == "failed"
    assert "'.pdf'" in arts["page.pdf"].error and ".txt" in arts["page.pdf"].error


def test_directories_are_walked_in_order_with_relative_origins(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.txt", "B.")
    write(tmp_path / "a.txt", "A.")
    write(tmp_path / "notes.md", "ignored in a directory walk")
    assert [a.origin for a in read_sources([tmp_path])] == ["a.txt", "sub/b.txt"]
