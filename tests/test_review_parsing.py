"""Property tests of what parses analysts' input and the evidence text (bounded)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.review.queue import highlight
from dashboard.review.slots import MAX_COUNT, MAX_TEXT, ReviewError, validate
from etl.schema import ACTORS

FAST = settings(max_examples=80, deadline=None)


@FAST
@given(st.one_of(st.integers(), st.text(max_size=12), st.floats(allow_nan=True), st.booleans()))
def test_counts_are_whole_numbers_in_range_or_rejected(value):
    try:
        out = validate("killed", value)
    except ReviewError as exc:
        assert "killed=" in str(exc)
        return
    assert out is None or (isinstance(out, int) and 0 <= out <= MAX_COUNT)


@FAST
@given(st.text(max_size=300))
def test_place_text_is_bounded_and_clean(value):
    try:
        out = validate("location", value)
    except ReviewError as exc:
        assert "location=" in str(exc)
        return
    assert out is None or (len(out) <= MAX_TEXT and all(ord(c) >= 32 for c in out))


@FAST
@given(st.text(max_size=40))
def test_choices_only_from_the_vocabulary(value):
    try:
        out = validate("actor1", value)
    except ReviewError as exc:
        assert "is not one of: Iraqi Security Forces" in str(exc)
        return
    assert out is None or out in ACTORS


@FAST
@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=20)))
def test_highlight_pieces_rebuild_the_text(text, date_text):
    pieces = highlight(text, date(2024, 5, 1), date_text)
    assert "".join(p for _, p in pieces) == text
    assert {k for k, _ in pieces} <= {"", "date", "count"}


def test_highlight_marks_dates_and_counts():
    pieces = highlight("Yesterday, 12 fighters and two civilians died.", date(2024, 5, 1))
    marked = [(k, p) for k, p in pieces if k]
    assert marked == [("date", "Yesterday"), ("count", "12"), ("count", "two")]


@pytest.mark.parametrize("bad", ["2024-02-30", "2024-2-1", "yesterday", "2024-01-01T00:00"])
def test_bad_dates(bad):
    with pytest.raises(ReviewError, match="is not a date: YYYY-MM-DD"):
        validate("event_date", bad)
