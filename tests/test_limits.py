"""etl.limits: the bounds, checked on hand-built events and articles."""

from datetime import date

from etl.limits import bound_text, pub_date_problem, sanitize_event, sanitize_events, storable
from etl.schema import Article, Casualty, Event


def ev(**kw) -> Event:
    return Event(event_id="e1", article_ids=("a1",), event_type="airstrike", **kw)


def test_plausible_counts_and_dates_pass_unchanged():
    e = ev(strikes=35, killed=4, killed_low=4, killed_high=9, event_date=date(2023, 5, 1))
    assert sanitize_event(e, date(2023, 5, 2)) is e


def test_each_implausible_count_is_dropped_and_named():
    e = ev(
        strikes=3_000_000_000,
        killed=5,
        killed_low=5,
        killed_high=99_999_999_999,
        wounded=-3,
        casualties=(Casualty("Civilians", killed=2_000_000, wounded=7),),
    )
    out = sanitize_event(e)
    assert (out.strikes, out.killed, out.killed_low, out.killed_high, out.wounded) == (
        None,
        5,
        5,
        None,
        None,
    )
    assert out.casualties == (Casualty("Civilians", killed=None, wounded=7),)
    assert out.note == (
        "strikes=3000000000 dropped (implausible; bound 0..100,000); "
        "killed_high=99999999999 dropped (implausible; bound 0..1,000,000); "
        "wounded=-3 dropped (implausible; bound 0..1,000,000); "
        "Civilians killed=2000000 dropped (implausible; bound 0..1,000,000)"
    )


def test_the_bounds_themselves_are_kept():
    out = sanitize_event(ev(strikes=100_000, killed=1_000_000))
    assert (out.strikes, out.killed, out.note) == (100_000, 1_000_000, None)


def test_a_window_after_publication_becomes_an_undated_report():
    e = ev(date_start=date(2023, 6, 1), date_end=date(2023, 6, 30), date_precision="month")
    out = sanitize_event(e, date(2023, 5, 20))
    assert (out.event_date, out.date_start, out.date_end, out.date_precision) == (
        date(2023, 5, 20),
        None,
        date(2023, 5, 20),
        "unknown",
    )
    assert "event date 2023-06-01 is after the publication date 2023-05-20" in out.note
    # a window that only ends after publication ("this month") is kept
    e = ev(date_start=date(2023, 5, 1), date_end=date(2023, 5, 31), date_precision="month")
    assert sanitize_event(e, date(2023, 5, 20)) is e


def test_an_inferred_publication_bounds_by_its_latest_day():
    art = Article(
        article_id="a1",
        origin="a.txt",
        pub_date=date(2023, 5, 2),
        pub_date_source="inferred",
        pub_date_start=date(2023, 5, 2),
        pub_date_end=date(2023, 5, 13),
    )
    [kept] = sanitize_events(art, [ev(event_date=date(2023, 5, 10))])
    assert kept.event_date == date(2023, 5, 10) and kept.note is None


def test_publication_date_window_and_text_bounds():
    today = date(2024, 2, 29)
    assert pub_date_problem(date(2024, 3, 1), today) is None  # tomorrow
    assert pub_date_problem(date(1900, 1, 1), today) is None
    assert pub_date_problem(date(2024, 3, 2), today) == (
        "publication date 2024-03-02 is outside 1900-01-01..2024-03-01 (today + 1 day)"
    )
    assert bound_text("x" * 301, "source") == ("x" * 300, "source cut from 301 to 300 characters")
    assert bound_text("short", "title") == ("short", None)
    assert storable("a\ud800b") == "a\ufffdb" and storable("ok") == "ok"
