"""Tests for the date resolution engine (etl.dates) against the hand-checked case table."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from hijridate import Gregorian
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.dates import TimeExpr, anchor_to, named_days, resolve

CASES_PATH = Path(__file__).parent / "cases" / "dates_cases.tsv"
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    line: int
    category: str
    published: date | tuple[date, date] | None
    sentence: str
    expect_text: str | None  # None: nothing may match
    start: date | None
    end: date | None
    precision: str | None
    mod: str | None
    extra: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.line:03d}-{self.category}-{self.sentence[:40]}"


def _opt_date(value: str) -> date | None:
    return None if value == "-" else date.fromisoformat(value)


def _published(value: str) -> date | tuple[date, date] | None:
    if value == "none":
        return None
    if ".." in value:
        lo, hi = value.split("..")
        return (date.fromisoformat(lo), date.fromisoformat(hi))
    return date.fromisoformat(value)


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    cases = []
    header_seen = False
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if not header_seen:
            header_seen = True
            continue
        cat, pub, sentence, text, start, end, prec, mod, extra = cols
        extras = dict(kv.split("=", 1) for kv in extra.split(";")) if extra != "-" else {}
        cases.append(
            Case(
                lineno,
                cat,
                _published(pub),
                sentence,
                None if text == "NONE" else text,
                _opt_date(start),
                _opt_date(end),
                None if prec == "-" else prec,
                None if mod == "-" else mod,
                extras,
            )
        )
    return cases


CASES = load_cases()


def test_case_table_is_big_and_covers_every_category():
    assert len([c for c in CASES if "known" not in c.extra]) >= 170
    cats = {c.category for c in CASES}
    for needed in [
        "deictic",
        "weekday",
        "future",
        "absolute",
        "year",
        "furniture",
        "leap",
        "month",
        "week",
        "period",
        "since",
        "offset",
        "event",
        "interval",
        "nopub",
        "span",
        "abstain",
        "named",
        "hijri",
        "forward",
    ]:
        assert needed in cats, needed


def _params(cases: list[Case]) -> list:
    """Cases marked known=fail document limitations: strict xfail, so a fix gets noticed."""
    known = pytest.mark.xfail(strict=True, reason="known limitation of etl.dates")
    return [
        pytest.param(c, id=c.id, marks=known if c.extra.get("known") == "fail" else ())
        for c in cases
    ]


@pytest.mark.parametrize("case", _params(CASES))
def test_case(case: Case):
    day_first = case.extra.get("df", "1") != "0"
    got = resolve(case.sentence, case.published, day_first=day_first)
    for e in got:
        assert case.sentence[e.start_char : e.end_char] == e.text
    if case.expect_text is None:
        assert got == [], [e.text for e in got]
        return
    found = [e for e in got if e.text == case.expect_text]
    assert found, f"expected {case.expect_text!r}, got {[e.text for e in got]}"
    e = found[0]
    assert (e.start, e.end) == (case.start, case.end)
    assert e.precision == case.precision
    assert e.mod == case.mod
    if "anchor" in case.extra:
        assert e.anchor == case.extra["anchor"]
    if "ref" in case.extra:
        assert e.ref_text == case.extra["ref"]
    if "off" in case.extra:
        lo, hi = (int(v) for v in case.extra["off"].split(","))
        assert e.offset_days == (lo, hi)
    if "kind" in case.extra:
        assert e.kind == case.extra["kind"]


# --------------------------------------------------------------------------- API details


def test_results_are_ordered_non_overlapping_and_spans_match():
    text = " ".join(c.sentence for c in CASES if c.published == date(2024, 6, 25))
    got = resolve(text, date(2024, 6, 25))
    assert len(got) > 100
    for a, b in zip(got, got[1:], strict=False):
        assert a.end_char <= b.start_char
    for e in got:
        assert text[e.start_char : e.end_char] == e.text


def test_event_expression_then_anchor_to():
    (e,) = resolve("Two days after the bombing, police arrested three suspects.", date(2024, 6, 25))
    assert e.anchor == "event" and e.start is None and e.end is None and e.point is None
    assert e.ref_text == "the bombing" and e.offset_days == (2, 2)
    r = anchor_to(e, date(2024, 6, 10), date(2024, 6, 10))
    assert (r.start, r.end, r.precision, r.point) == (
        date(2024, 6, 12),
        date(2024, 6, 12),
        "day",
        date(2024, 6, 12),
    )
    (few,) = resolve("A few days after another airstrike, the group struck.", date(2024, 6, 25))
    r = anchor_to(few, date(2024, 6, 1), date(2024, 6, 2))
    assert (r.start, r.end, r.precision) == (date(2024, 6, 3), date(2024, 6, 9), "week")
    (before,) = resolve("The day before the attack, the cell rented a car.", date(2024, 6, 25))
    r = anchor_to(before, date(2024, 3, 1), date(2024, 3, 1))
    assert (r.start, r.end) == (date(2024, 2, 29), date(2024, 2, 29))


def test_anchor_to_rejects_non_event_expression():
    (e,) = resolve("yesterday", date(2024, 6, 25))
    with pytest.raises(ValueError):
        anchor_to(e, date(2024, 1, 1), date(2024, 1, 1))


def test_point_is_start_or_middle():
    e = TimeExpr(0, 1, "x", date(2024, 6, 1), date(2024, 6, 25), "month")
    assert e.point == date(2024, 6, 13)
    assert TimeExpr(0, 1, "x", date(2024, 6, 1), date(2024, 6, 1), "day").point == date(2024, 6, 1)
    assert TimeExpr(0, 1, "x", None, None, "unknown").point is None
    assert TimeExpr(0, 1, "x", date(2024, 6, 1), None, "year").point is None


def test_published_may_be_datetime_and_interval_order_is_free():
    a = resolve("yesterday", datetime(2024, 6, 25, 14, 30))
    assert a[0].start == date(2024, 6, 24)
    b = resolve("yesterday", (date(2024, 7, 1), date(2024, 6, 20)))
    assert (b[0].start, b[0].end, b[0].precision) == (date(2024, 6, 19), date(2024, 6, 30), "week")
    c = resolve("yesterday", (date(2024, 6, 25), date(2024, 6, 25)))
    assert (c[0].start, c[0].precision) == (date(2024, 6, 24), "day")


def test_tense_and_kind_fields():
    (f,) = resolve("The ministers will meet on Sunday.", date(2024, 6, 25))
    assert f.tense == "future" and f.kind == "weekday"
    (p,) = resolve("Gunmen killed a farmer on Sunday.", date(2024, 6, 25))
    assert p.tense == "past" and p.start == date(2024, 6, 23)
    (s,) = resolve("since the beginning of the year", date(2024, 6, 25))
    assert s.kind == "since"
    (a,) = resolve("in 2014", None)
    assert (a.kind, a.anchor) == ("absolute", "absolute")


def test_empty_and_date_free_text():
    assert resolve("", date(2024, 6, 25)) == []
    assert resolve("No dates here at all.", date(2024, 6, 25)) == []


def test_long_article_speed_is_sane():
    import time

    text = " ".join(c.sentence for c in CASES)[:4096]
    resolve(text, date(2024, 6, 25))
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        resolve(text, date(2024, 6, 25))
        best = min(best, time.perf_counter() - t0)
    assert best < 0.05  # generous: the benchmark measures the real figure (< 1 ms)


# --------------------------------------------------------------------------- named days

_NAMED_PHRASES = [
    "on New Year's Eve",
    "on Christmas Day",
    "over Christmas",
    "on the first day of Eid al-Fitr",
    "during Eid ul-Fitr",
    "on the second day of Eid al-Adha",
    "on the eve of Eid al-Adha",
    "on the first day of Eid",
    "during Ramadan",
    "in the last ten days of Ramadan",
    "on Ashura",
    "for Arbaeen",
    "on Nowruz",
]
_PUBS = st.dates(min_value=date(1926, 1, 1), max_value=date(2075, 12, 31))


@settings(max_examples=100, deadline=None)
@given(phrase=st.sampled_from(_NAMED_PHRASES), pub=_PUBS, future=st.booleans())
def test_named_days_resolve_to_the_nearest_occurrence(phrase: str, pub: date, future: bool):
    sentence = (
        f"Checkpoints will be added {phrase}." if future else f"Gunmen attacked a farm {phrase}."
    )
    got = [e for e in resolve(sentence, pub) if e.kind == "named"]
    assert len(got) == 1, (sentence, pub, got)
    e = got[0]
    assert e.text == phrase and sentence[e.start_char : e.end_char] == phrase
    assert e.start is not None and e.end is not None and e.start <= e.end
    assert (e.end - e.start).days <= 31
    if future:  # the first occurrence not over before publication, at most a year ahead
        assert e.end >= pub and (e.start - pub).days <= 366
    elif phrase.startswith("for "):  # or one at most two weeks ahead (named_days.STALE_DAYS)
        assert (pub - e.start).days <= 366 and (e.start - pub).days <= named_days.IMMINENT_DAYS
    else:  # the most recent one begun on or before publication, at most a year back
        assert e.start <= pub and (pub - e.start).days <= 366


@settings(max_examples=40, deadline=None)
@given(year=st.integers(min_value=1925, max_value=2076))
def test_first_day_of_eid_is_umm_al_qura_1_shawwal_plus_a_day(year: int):
    (e,) = resolve(f"on the first day of Eid al-Fitr {year}", date(2024, 6, 25))
    h = Gregorian(e.start.year, e.start.month, e.start.day).to_hijri()
    assert (h.month, h.day) == (10, 1) and e.start.year == year
    assert (e.end - e.start).days == named_days.HIJRI_LATE_DAYS and e.precision == "day"
    assert e.anchor == "absolute"


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="EeIiDd RrAaMmNnYy'-ofthsvl", max_size=40), pub=_PUBS)
def test_named_day_scanner_survives_arbitrary_text(text: str, pub: date):
    for e in resolve(text, pub):
        assert text[e.start_char : e.end_char] == e.text
        assert e.start is None or e.end is None or e.start <= e.end


def test_hijri_days_outside_the_umm_al_qura_table_are_left_alone():
    assert [e for e in resolve("on Eid al-Fitr 1910", date(2024, 1, 1)) if e.kind == "named"] == []
    assert resolve("Gunmen struck on the first day of Ramadan.", date(1900, 5, 1)) == []
    # Gregorian named days have no such limit
    (e,) = resolve("Gunmen struck on Christmas Eve.", date(1900, 12, 30))
    assert e.start == date(1900, 12, 24)


def test_named_day_key_errors_name_the_value_and_the_valid_spellings():
    assert named_days.key_of("Eid  al-Adha".lower()) == "eid_al_adha"
    with pytest.raises(ValueError, match="'diwali'.*valid spellings"):
        named_days.key_of("diwali")


def test_a_phrase_that_does_not_fit_the_holiday_is_not_a_date():
    # Eid al-Fitr lasts three days (1-3 Shawwal), Eid al-Adha four (10-13 Dhu al-Hijja)
    assert [e.text for e in resolve("on the fourth day of Eid al-Fitr", date(2024, 6, 1))] == []
    assert [e.text for e in resolve("on the fifth day of Eid al-Fitr", date(2024, 6, 1))] == []
    (adha,) = resolve("on the fourth day of Eid al-Adha", date(2024, 6, 25))
    assert (adha.start, adha.end) == (date(2024, 6, 19), date(2024, 6, 20))
    (end,) = resolve("at the end of the Eid al-Adha holiday", date(2024, 6, 25))
    assert (end.start, end.end, end.precision) == (date(2024, 6, 19), date(2024, 6, 20), "day")
    got = resolve("in the last ten days of Ramadan", date(2024, 6, 1))
    assert [(e.start, e.end) for e in got] == [(date(2024, 3, 31), date(2024, 4, 10))]


# --------------------------------------------------------------------------- CLI


def _cli(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl.dates", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_cli_prints_json_lines():
    proc = _cli(
        "--published",
        "2024-06-25",
        stdin="A drone struck a car yesterday.\nThe report is dated 12/08/2019.",
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["yesterday", "12/08/2019"]
    assert set(rows[0]) == {
        "start_char",
        "end_char",
        "text",
        "start",
        "end",
        "precision",
        "mod",
        "anchor",
    }
    assert (rows[0]["start"], rows[0]["end"], rows[0]["precision"]) == (
        "2024-06-24",
        "2024-06-24",
        "day",
    )
    assert rows[1]["start"] == "2019-08-12"


def test_cli_month_first_and_interval():
    proc = _cli(
        "--published",
        "2024-06-20",
        "--published-end",
        "2024-07-01",
        "--month-first",
        stdin="yesterday, and on 12/08/2019",
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (rows[0]["start"], rows[0]["end"], rows[0]["precision"]) == (
        "2024-06-19",
        "2024-06-30",
        "week",
    )
    assert rows[1]["start"] == "2019-12-08"


def test_cli_without_publication_date_leaves_relative_unresolved():
    proc = _cli(stdin="yesterday in 2014")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[0]["start"] is None and rows[0]["anchor"] == "unresolved"
    assert rows[1]["start"] == "2014-01-01"


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "25/06/2024"])
def test_cli_rejects_bad_published(bad: str):
    proc = _cli("--published", bad, stdin="yesterday")
    assert proc.returncode == 2
    assert "--published" in proc.stderr and bad in proc.stderr


def test_cli_rejects_bad_published_end():
    proc = _cli("--published", "2024-06-20", "--published-end", "July", stdin="x")
    assert proc.returncode == 2
    assert "--published-end" in proc.stderr and "July" in proc.stderr
