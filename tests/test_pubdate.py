"""Publication date: metadata, else a dateline, else bounds from the text; never invented."""

from datetime import date

import pytest

from etl.pubdate import find_pub_date, parse_iso

D = date.fromisoformat
TODAY = D("2026-11-21")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2023-05-24", "2023-05-24"),
        ("2021-06-29T07:35:13+00:00", "2021-06-29"),
        ("2021-06-29T07:35:13Z", "2021-06-29"),
        ("2020-03-12 18:12", "2020-03-12"),
    ],
)
def test_iso_metadata(value, expected):
    assert parse_iso(value) == D(expected)


def test_bad_metadata_names_the_value():
    with pytest.raises(ValueError, match="'last Tuesday' is not an ISO date"):
        parse_iso("last Tuesday")


def test_metadata_wins():
    pub = find_pub_date("Wednesday 24/May/2023 - 07:54 PM\nText.", "2023-05-25", TODAY)
    assert (pub.value, pub.source) == (D("2023-05-25"), "metadata")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Headline here\n\nWednesday 24/May/2023 - 07:54 PM\nThe Reference\n\nBody.", "2023-05-24"),
        ("Headline\nOutlet Name\n\nOct. 15, 2024 • 2 min read\nBody text.", "2024-10-15"),
        ("Headline\nDate: 2021-06-29T07:35:13+0000\n\nBody text.", "2021-06-29"),
        # the "Updated" line is not the publication date; the labelled one is
        (
            "Updated in: 27 October 2020 - 14:42\nNews ID: 1\n"
            "Publish Date: 12March 2020 - 18:12\nBody.",
            "2020-03-12",
        ),
    ],
)
def test_datelines(text, expected):
    pub = find_pub_date(text, None, TODAY)
    assert (pub.value, pub.source) == (D(expected), "dateline")


def test_bad_metadata_falls_back_to_the_dateline_and_says_so():
    pub = find_pub_date("Title\nMonday 3/June/2024 - 10:00 AM\nBody.", "not a date", TODAY)
    assert (pub.value, pub.source) == (D("2024-06-03"), "dateline")
    assert "'not a date' is not an ISO date" in pub.note


def test_weekday_and_day_fix_the_year_and_bound_the_date():
    text = (
        "Militia leaders gathered again. On Wednesday 19 June, the committee met to discuss "
        "the talks. A drone struck a depot yesterday."
    )
    pub = find_pub_date(text, None, TODAY)
    assert pub.source == "inferred"
    # 19 June fell on a Wednesday in 2024 (and 2019); the latest such year is taken
    assert (pub.start, pub.value) == (D("2024-06-20"), D("2024-06-20"))
    assert pub.end > pub.start
    assert "2024-06-19" in pub.note
    assert pub.interval == (pub.start, pub.end)


def test_no_clue_means_unknown_not_a_guess():
    pub = find_pub_date("Gunmen attacked a checkpoint on Tuesday, police said.", None, TODAY)
    assert (pub.value, pub.source, pub.interval) == (None, "unknown", None)
