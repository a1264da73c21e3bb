"""Fuzzing the ETL's input side (issue 10): whatever arrives, every input is accounted
for, nothing raises, and what comes out can be stored.

Bounded: a few dozen examples per property and a deadline per example (the
per-article budget), so the file runs in well under a minute."""

import json
import os
import string
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.clean import clean
from etl.dates import resolve
from etl.limits import COUNT_BOUNDS, TEXT_BOUNDS
from etl.pipeline import process
from etl.records import make_article
from etl.schema import ARTICLE_STATUSES, ARTICLES_SCHEMA, CASUALTIES_SCHEMA, EVENTS_SCHEMA
from etl.sources import read_sources
from etl.store import iter_article_rows, iter_casualty_rows, iter_event_rows

FAST = settings(
    max_examples=40,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)
ARTICLE_BUDGET = settings(
    max_examples=30,
    deadline=timedelta(seconds=10),  # one article, processed start to end
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies --------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
record_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.text(max_size=200) | json_values,
        "published": st.text(max_size=30) | json_values,
        "title": json_values,
        "url": json_values,
        "source": json_values,
    },
)
# file contents: raw bytes, or text in some encoding with or without a BOM
contents = st.binary(max_size=600) | st.builds(
    lambda text, enc, bom: (
        (b"\xef\xbb\xbf" if bom and enc == "utf-8" else b"") + text.encode(enc, "replace")
    ),
    st.text(max_size=200),
    st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1"]),
    st.booleans(),
)
name_chars = st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",))
stems = st.text(name_chars, min_size=1, max_size=20).filter(lambda s: s not in (".", ".."))
byte_stems = st.binary(min_size=1, max_size=20).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
)

_VOCABULARY = """
airstrike airstrikes strike drone rocket shelling car bomb IED suicide bomber attacked
killed wounded injured dead civilians fighters militants soldiers police ISIS PKK
Peshmerga coalition Turkish Iraqi forces near in at on Monday Tuesday yesterday last week
Mosul Kirkuk Baghdad Sinjar Erbil Anbar Diyala between and at least more than dozens
two five ten hundred thousand million January March 2023 2014 said . , ; : -
"""
WORDS = tuple(_VOCABULARY.split())
numbers = st.integers(min_value=0, max_value=10**15).map(str) | st.sampled_from(
    ["3000000000", "99999999999", "2147483648", "0", "1,000,000", "12/08/2019", "9999"]
)
sentences = st.lists(st.sampled_from(WORDS) | numbers, min_size=1, max_size=40).map(" ".join)
articles_text = st.lists(sentences, min_size=1, max_size=12).map(
    lambda ss: "\n\n".join(s[0].upper() + s[1:] + "." for s in ss)
)
pub_dates = (
    st.none()
    | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    | st.text(max_size=25)
)


# --- helpers -----------------------------------------------------------------------


def storable(table_rows, schema):
    """The rows convert to the table's Arrow schema (what the writer does)."""
    pa.Table.from_pylist(list(table_rows), schema=schema)


def assert_storable_articles(arts):
    for a in arts:
        assert a.status in ARTICLE_STATUSES
        for value in (a.origin, a.error, a.title, a.url, a.source, a.text):
            if value is not None:
                value.encode("utf-8")  # no lone surrogates left
        for name, bound in TEXT_BOUNDS.items():
            value = getattr(a, name)
            assert value is None or len(value) <= bound
    storable(iter_article_rows(arts, {}), ARTICLES_SCHEMA)


def expected_jsonl_articles(data: bytes) -> int:
    """How many rows a .jsonl with these bytes gives (readline semantics)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return 1
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    n = 0
    for i, raw in enumerate(lines):
        try:
            line = raw.decode("utf-8-sig" if i == 0 else "utf-8")
        except UnicodeDecodeError:
            n += 1
            continue
        n += bool(line.strip())
    return max(n, 1)


# --- readers -----------------------------------------------------------------------


@FAST
@given(data=contents, suffix=st.sampled_from([".txt", ".html", ".rss", ".xml", ".atom"]))
def test_any_bytes_in_a_single_article_file_give_one_row(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        Path(d, "in" + suffix).write_bytes(data)
        arts = list(read_sources([d]))
    assert_storable_articles(arts)
    if suffix in (".txt", ".html"):
        assert [a.origin for a in arts] == ["in" + suffix]
    else:  # a feed: one row per entry, or one row for the feed
        assert arts and all(a.origin.split("#")[0] == "in" + suffix for a in arts)


@FAST
@given(data=contents)
def test_any_bytes_in_a_jsonl_file_give_a_row_per_line(data):
    with tempfile.TemporaryDirectory() as d:
        Path(d, "r.jsonl").write_bytes(data)
        arts = list(read_sources([d]))
    assert_storable_articles(arts)
    assert len(arts) == expected_jsonl_articles(data)
    assert len({a.article_id for a in arts}) == len(arts)


@FAST
@given(records=st.lists(record_like | json_values, min_size=1, max_size=8))
def test_any_json_records_give_one_row_each(records):
    with tempfile.TemporaryDirectory() as d:
        lines = [json.dumps(r) for r in records]
        Path(d, "r.jsonl").write_text("\n".join(lines), encoding="utf-8")
        arts = list(read_sources([d]))
    assert_storable_articles(arts)
    assert len(arts) == len(records)
    assert len({a.article_id for a in arts}) == len(arts)  # duplicates get their own id


@FAST
@given(
    text=st.text(max_size=200), sidecar=contents | json_values.map(lambda v: json.dumps(v).encode())
)
def test_any_sidecar_keeps_the_article(text, sidecar):
    with tempfile.TemporaryDirectory() as d:
        Path(d, "a.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        Path(d, "a.meta.json").write_bytes(sidecar)
        arts = list(read_sources([d]))
    assert_storable_articles(arts)
    [art] = arts
    assert art.origin == "a.txt"


@FAST
@given(names=st.lists(stems | byte_stems, min_size=1, max_size=6, unique=True))
def test_any_file_names_give_one_row_each(names):
    with tempfile.TemporaryDirectory() as d:
        made = set()
        for name in names:
            raw = (name if isinstance(name, bytes) else name.encode("utf-8")) + b".txt"
            if len(raw) > 250 or raw in made:
                continue
            made.add(raw)
            with open(os.path.join(os.fsencode(d), raw), "wb") as f:
                f.write(b"Two rockets hit a base in Anbar on Monday.")
        arts = list(read_sources([d]))
    assert_storable_articles(arts)
    assert len(arts) == len(made)
    assert len({a.article_id for a in arts}) == len(arts)


# --- dates and cleaning -----------------------------------------------------------------

published = (
    st.none()
    | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    | st.tuples(
        st.dates(min_value=date(1900, 1, 1), max_value=date(2050, 1, 1)),
        st.integers(min_value=0, max_value=400),
    ).map(lambda t: (t[0], t[0] + timedelta(days=t[1])))
)


@FAST
@given(text=st.text(max_size=300) | articles_text, pub=published)
def test_dates_resolve_never_raises_and_gives_ordered_spans(text, pub):
    for expr in resolve(text, pub):
        assert 0 <= expr.start_char <= expr.end_char <= len(text)
        if expr.start is not None and expr.end is not None:
            assert expr.start <= expr.end


@FAST
@given(text=st.text(max_size=500) | articles_text)
def test_cleaning_never_raises(text):
    for block in clean(text):
        assert isinstance(block.text, str)


# --- one article through every stage ------------------------------------------------


@ARTICLE_BUDGET
@given(
    text=articles_text | st.text(max_size=400),
    pub=pub_dates,
    title=st.none() | st.text(max_size=50),
)
def test_processing_an_article_never_raises_and_its_rows_can_be_stored(text, pub, title):
    art = make_article("fuzz.txt", text, {"published": pub, "title": title, "source": "Wire"})
    out, events = process(art)
    assert out.status in ARTICLE_STATUSES and out.article_id == art.article_id
    assert out.status != "failed", out.error  # no stage may fail on text
    for e in events:
        for name, bound in COUNT_BOUNDS.items():
            value = getattr(e, name)
            assert value is None or 0 <= value <= bound
        latest = out.pub_date_end if out.pub_date_source == "inferred" else out.pub_date
        first = e.event_date or e.date_start
        if latest is not None and first is not None:
            assert first <= latest
    storable(iter_event_rows(events), EVENTS_SCHEMA)
    storable(iter_casualty_rows(events), CASUALTIES_SCHEMA)
    storable(iter_article_rows([out], {}), ARTICLES_SCHEMA)


def test_the_strategies_reach_the_extractor():
    """The generated texts are not all rejected early: some give events."""
    text = "A drone strike killed 3000000000 fighters near Sinjar on Monday."
    art = make_article("x.txt", text, {"published": "2023-05-03"})
    assert process(art)[1]
    assert set(string.ascii_letters) & set("".join(WORDS))


# --- whole runs: any folder of inputs is stored, and the next run is a no-op -------------

RUN_BUDGET = settings(
    max_examples=5,
    deadline=None,  # a run: seconds, dominated by writing the tables
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
files = st.lists(
    st.tuples(
        st.sampled_from(["a.txt", "b.txt", "r.jsonl", "s.jsonl", "f.rss", "c.meta.json"]),
        contents
        | articles_text.map(str.encode)
        | record_like.map(lambda r: json.dumps(r).encode()),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda t: t[0],
)


@RUN_BUDGET
@given(inputs=files, extra=st.lists(record_like, max_size=4))
def test_any_folder_is_stored_and_a_rerun_changes_nothing(inputs, extra):
    import logging

    from etl.cli import run
    from etl.reader import open_version

    logging.getLogger("etl").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as d:
        src, data = Path(d, "in"), Path(d, "data")
        src.mkdir()
        for name, data_bytes in inputs:
            Path(src, name).write_bytes(data_bytes)
        Path(src, "c.txt").write_text("Some text.")
        Path(src, "x.jsonl").write_text("\n".join(json.dumps(r) for r in extra))
        assert run([str(src)], data, True, workers=1) == 0
        first = open_version(data)
        tables = [first.table(t) for t in ("articles", "events", "casualties")]
        assert tables[0].num_rows >= len(inputs)  # every input has its row(s)
        assert run([str(src)], data, True, workers=1) == 0
        again = open_version(data)
        assert again.path != first.path  # a new version was written ...
        for name, before in zip(("articles", "events", "casualties"), tables, strict=True):
            assert rows(again.table(name)) == rows(before), name  # ... with the same rows


def rows(table) -> list:
    """A table's rows in a canonical order (a rerun may store still-failing rows last)."""
    return sorted(table.to_pylist(), key=lambda r: json.dumps(r, sort_keys=True, default=str))
