from __future__ import annotations

import re
from collections.abc import Iterator

from .. import rules
from .actors import find_actors, victim_actor
from .records import Context, Count
from .tables import QUALIFIERS


def word_number(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    if t in rules.NUMBER_WORDS:  # "a dozen" is twelve, not one and twelve
        return rules.NUMBER_WORDS[t]
    parts = re.split(r"[\s-]+", t)
    if all(p in rules.NUMBER_WORDS for p in parts):
        return sum(rules.NUMBER_WORDS[p] for p in parts)
    return rules.NUMBER_WORDS.get(t, rules.POSSESSIVE_ONE.get(t))


def parse_count(m: re.Match) -> Count | None:
    """A NUMBER match (see rules.NUMBER) -> Count(best, low, high)."""
    if m.group("lo"):
        lo, hi = word_number(m.group("lo")), word_number(m.group("hi"))
        return Count(lo, lo, hi) if lo is not None and hi is not None else None
    if m.group("vague"):
        lo, hi = rules.VAGUE_NUMBERS[m.group("vague").lower()]
        return Count(lo, lo, hi)
    n = word_number(m.group("num"))
    if n is None:
        return None
    qual = (m.group("qual") or "").lower()
    kind = next((k for p, k in QUALIFIERS if qual and p.match(qual)), None)
    if kind == "at_least":
        return Count(n, n, None)
    if kind == "more_than":
        return Count(n + 1, n + 1, None)
    if kind == "about":
        return Count(n, round(n * 0.85), round(n * 1.15 + 0.01))
    if kind == "up_to":
        return Count(n, 0, n)
    return Count(n, n, n)


def count_matches(rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """rx.finditer(text), not tried where the word it needs is missing (rules.COUNT_NEEDS)."""
    needs = rules.COUNT_NEEDS.get(rx)
    return rx.finditer(text) if needs is None or needs.search(text) else iter(())


def listed_victims(text: str, at: int, count: Count) -> Count:
    """A count and the victims listed after it: "a PKK official, his driver and another
    fighter" is three, "a man, his wife and their two sons" four."""
    while item := rules.LISTED_VICTIM.match(text, at):
        n = word_number(item.group("n2")) if item.group("n2") else 1
        high = None if count.high is None else count.high + n
        count, at = Count(count.best + n, count.low + n, high), item.end()
    return count


def casualties(
    text: str, ctx: Context, target: str | None, patterns, agent: str | None = None
) -> dict[str | None, Count]:
    """Counts per side; the key None means the text does not say whose. `agent`: the side
    that attacked, whose losses "the attackers" are."""
    out: dict[str | None, Count] = {}
    seen: set[int] = set()
    hint = rules.KILL_HINT if patterns is rules.KILLED_PATTERNS else rules.WOUND_HINT
    if not hint.search(text):
        return out
    for rx in patterns:
        for m in count_matches(rx, text):
            count = parse_count(m)
            if count is None or m.start() in seen or count.best > 100000:
                continue
            tail = text[m.end() : m.end() + 12].lower()
            if tail.lstrip().startswith(("years", "year-old", "km", "kilomet", "percent", "%")):
                continue
            if rules.YEAR.fullmatch(m.group("num") or "") and not find_actors(m.group("who") or ""):
                continue  # "a 2016 bombing that killed ..."
            if (
                rx in rules.SUBJECT_COUNTS
                and rules.ACTIVE_OBJECT.match(text, m.end())
                and not rules.PASSIVE_AUX_END.search(text, m.start(), m.start("verb"))
            ):
                continue  # "three rockets ... killed a child": N counts the agents
            seen.add(m.start())
            who = m.group("who") or ""
            attackers = agent is not None and rules.THE_ATTACKERS.match(who)
            actor = agent if attackers else victim_actor(who, text, m.start(), ctx, target)
            if rx in rules.OBJECT_COUNTS:
                count = listed_victims(text, m.end(), count)
            more = rx in rules.OBJECT_COUNTS and rules.AND_VICTIMS.match(text, m.end())
            if more and (n := word_number(more.group("num2"))) is not None:
                other = victim_actor(more.group("who2"), text, m.start(), ctx, target)
                if other == actor or other is None:  # one side: one count
                    count = Count(
                        count.best + n,
                        count.low + n,
                        None if count.high is None else count.high + n,
                    )
                else:
                    extra = Count(n, n, n)
                    prev = out.get(other)
                    if prev is None or extra.best > prev.best:
                        out[other] = extra
            prev = out.get(actor)
            if prev is None or count.best > prev.best:
                out[actor] = count
    return out
