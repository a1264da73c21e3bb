from __future__ import annotations

from datetime import date, timedelta

from .. import dates, rules
from .records import Context, Mention


def _has_exact_count(m: Mention) -> bool:
    counts = [*m.killed.values(), *m.wounded.values()] + ([m.strikes] if m.strikes else [])
    return any(c.high == c.low for c in counts)


def one_victim_each(m: Mention) -> bool:
    """Every toll is one person ("a member was killed and another was injured"): a death
    happens once, so such a toll tells one incident, however long its period."""
    counts = [*m.killed.values(), *m.wounded.values()]
    return bool(counts) and all(c.low == c.high == 1 for c in counts)


def _loose_claim(m: Mention) -> bool:
    """No place or no exact count: in the present perfect ("have killed dozens") a tally."""
    return not m.places or not _has_exact_count(m)


def is_vague(m: Mention) -> bool:
    """Says nothing of when, where, how many or with what."""
    return not (m.time or m.places or m.killed or m.wounded or m.strikes or m.weapon or m.link)


def tally_words(text: str) -> bool:
    """Does text count over a period ("this year", "in total")? A superlative over a
    period ("the deadliest attack this year") compares one incident, it is no tally."""
    return bool(rules.AGGREGATE.search(text)) and bool(
        rules.AGGREGATE.search(rules.SUPERLATIVE_PERIOD.sub(" ", text))
    )


def realis(
    clause: str, full_clause: str, sentence: str, ctx: Context, times: list[dates.TimeExpr]
) -> bool:
    """False for threats, plans, habits, history and negated incidents."""
    if rules.IRREALIS.search(clause) or rules.HABITUAL.search(full_clause):
        return False
    if rules.BACKGROUND.search(sentence):
        return False
    recent = any(t.anchor != "absolute" or t.precision == "day" for t in times if t.start)
    years = [int(y) for y in rules.YEAR.findall(clause)]
    # "since 2020, strikes have killed 50": a tally, kept (as an aggregate), not history
    tally = tally_words(sentence) or any(t.text.lower().startswith("since") for t in times)
    if ctx.pub.value and years and max(years) < ctx.pub.value.year and not recent and not tally:
        return False  # "a 2016 bombing", "in 2014 the group seized"
    pub_year = (ctx.pub.value or date.max).year
    for t in times:
        long_ago = t.end is not None and t.end < (ctx.pub.value or date.max) - timedelta(days=400)
        old_year = t.end is not None and t.end.year < pub_year - 1
        if t.anchor == "absolute" and old_year and (t.precision in ("year", "month") or long_ago):
            return bool(tally)
        # "in 2016, a truck bomb killed dozens" in a 2017 story, with no nearer date: a
        # past year is background (news of a fresh incident gives its day)
        past_year = t.precision == "year" and t.end.year < pub_year
        if t.anchor == "absolute" and past_year and not recent:
            return bool(tally)
    return True
