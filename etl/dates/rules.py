"""The date rules, as data: an ordered table of (name, regex, trigger classes, handler).

How the engine (``etl.dates``) uses this table:

1. One trigger regex (:data:`TRIGGER_RX`) finds the *core* tokens any date expression must
   contain: a weekday, a month, a number, a deictic word (today, yesterday ...), a unit word
   (day, week, month, year, hours, night ...) or "recent(ly)". Text without triggers costs
   nothing more.
2. For each trigger, the engine walks back over at most a few "prefix" words
   (:data:`PREFIX_WORDS`: on, in, the early hours of, at the end of last ...) and tries, at
   each candidate start, the rules registered for that trigger class (:data:`CLASS_RULES`).
   The leftmost start wins, then the longest match; ties go to the rule listed first.
3. The winning rule's handler turns the match into a :class:`.handlers.Res` (dates,
   precision, kind) or returns None to veto the match (Theresa May, "may be", an
   impossible date ...).

All patterns run on the lower-cased text; handlers look at the original text when case
matters (the month "May" vs the verb "may"). The handlers live in :mod:`.handlers`
(absolute dates, named days) and :mod:`.relative` (everything relative to publication or
to another event); the sentence's tense in :mod:`.tense`; holidays in :mod:`.named_days`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import calendar as cal
from . import named_days as nd
from . import relative as rel
from .handlers import (
    Ctx,
    Res,
    h_day_month,
    h_day_month_range,
    h_day_range,
    h_iso,
    h_month,
    h_month_range,
    h_month_year,
    h_named,
    h_numeric,
    h_year,
    h_year_range,
)
from .tense import words as _words

# --------------------------------------------------------------------------- regex pieces


def _trie_pattern(words: list[str]) -> str:
    """An alternation shaped as a prefix tree: far fewer failed branches per position."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


B = r"(?<![\w-])"  # start of a word (not inside a word, not after a hyphen: F-16, Su-25)
YEAR = r"(?:19|20)\d\d(?![\d])"
NUMW = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)"
)
COUNT = rf"(?:{_trie_pattern(NUMW[3:-1].split('|'))}|\d{{1,3}}(?![\d,.])|a\s+few|a\s+couple\s+of|couple\s+of|few|several|some|an?)"
ORD = r"(?:st|nd|rd|th)?"
PREP_WORDS = "on|in|at|during|over|within|for|from|since|by|until|till|between|through|throughout"
PREP = rf"(?:(?P<prep>{_trie_pattern(PREP_WORDS.split('|'))})\s+)?"
MOD = (
    r"(?P<mod>early|mid|late|(?:at\s+|by\s+|in\s+|until\s+)?(?:the\s+)?(?:very\s+)?"
    r"(?:end|beginning|start|middle|(?:first|last)\s+(?:week|days|few\s+days))\s+of)"
    r"(?:\s*-\s*|\s+)"
)
TOD = r"(?:\s+(?P<tod>morning|afternoon|evening|night))?"

_MONTH_FULL = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH_ANY = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?"
    r"|aug(?:ust|\.)?|sep(?:t(?:ember)?)?\.?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# the same alternations shaped as prefix trees: they fail faster at non-matching positions
_WEEKDAY_TRIE = _trie_pattern(_WEEKDAY.split("|"))
_MONTH_FULL_TRIE = _trie_pattern(_MONTH_FULL.split("|"))
_MONTH_ABBREVIATIONS = [w for w in cal.MONTHS if len(w) <= 4 and w not in ("may", "june", "july")]
_MONTH_ANY_TRIE = _trie_pattern(
    _MONTH_FULL.split("|") + _MONTH_ABBREVIATIONS + [a + "." for a in _MONTH_ABBREVIATIONS]
)


def mon(name: str = "mon", full: bool = False) -> str:
    """A month name group; abbreviations (Dec., Sept) only where a number is adjacent."""
    return rf"(?P<{name}>{_MONTH_FULL_TRIE if full else _MONTH_ANY_TRIE})(?![a-z])"


def wd(name: str = "wd") -> str:
    return rf"(?P<{name}>{_WEEKDAY_TRIE})(?![a-z])"


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Rule:
    name: str
    rx: re.Pattern
    classes: tuple[str, ...]  # trigger classes that can occur inside a match
    handler: Callable[[re.Match, Ctx], Res | None]
    event: bool = False  # needs an event phrase (skipped when scanning inside one)


def _r(name: str, pattern: str, classes: str, handler, event: bool = False) -> Rule:
    return Rule(name, re.compile(pattern), tuple(classes.split()), handler, event)


_DAY_MONTH_TAIL = rf"(?:,?\s*(?P<y>{YEAR}))?"
_REL_UNIT = r"(?P<rel>earlier\s+this|later\s+this|so\s+far\s+this|last|this|next)"

RULES: tuple[Rule, ...] = (
    # ---- "since the beginning of ...": aggregate claims, most specific first -------------
    _r(
        "since_start",  # since the beginning of the year / of 2024 / of March
        r"(?<![\w-])since\s+(?:the\s+)?(?:very\s+)?(?:beginning|start)\s+of\s+"
        rf"(?:(?:the|this)\s+(?P<u>year|month|week)|(?P<y>{YEAR})"
        rf"|{mon(full=True)}(?:\s+(?P<my>{YEAR}))?)",
        "week my year mon",
        rel.h_since_start,
    ),
    # ---- absolute calendar dates -------------------------------------------------------
    _r(
        "iso",  # 2023-05-24, 2023/05/24
        rf"{B}(?P<y>{YEAR})(?P<s1>[-/.])(?P<m>\d{{1,2}})(?P<s2>[-/.])(?P<d>\d{{1,2}})(?!\d)",
        "year",
        h_iso,
    ),
    _r(
        "numeric",
        rf"{B}{PREP}(?:{wd()},?\s+)?(?P<a>\d{{1,2}})(?P<s1>[/.-])(?P<b>\d{{1,2}})(?P<s2>[/.-])"
        rf"(?P<y>{YEAR})",
        "num wd",
        h_numeric,
    ),
    _r(
        "day_mon_year_compact",  # 24/May/2023, 24-May-2023
        rf"{B}{PREP}(?:{wd()},?\s+)?(?P<d>\d{{1,2}})[/-]{mon()}[/-](?P<y>{YEAR})",
        "num wd",
        h_day_month,
    ),
    _r(
        "day_month_range",  # from May 5 to May 11, between 16 May and 2 June 2023
        rf"{B}{PREP}(?:{mon()}\s+(?P<d1>\d{{1,2}}){ORD}|(?P<d1b>\d{{1,2}}){ORD}\s+(?:of\s+)?"
        rf"{mon('monb')})\s*(?:-|–|to|and|through|until|till)\s*(?:{mon('mon2')}\s+"
        rf"(?P<d2>\d{{1,2}}){ORD}|(?P<d2b>\d{{1,2}}){ORD}\s+(?:of\s+)?{mon('mon2b')})(?![\d:])"
        rf"(?:,?\s*(?P<y>{YEAR}))?",
        "num mon",
        h_day_month_range,
    ),
    _r(
        "day_range",  # May 16-18, 16-18 May 2023, between May 16 and 18
        rf"{B}{PREP}(?:{mon()}\s*(?P<d1>\d{{1,2}}){ORD}\s*(?:-|–|to|and|through)\s*"
        rf"(?P<d2>\d{{1,2}}){ORD}|(?P<d1b>\d{{1,2}}){ORD}\s*(?:-|–|to|and)\s*"
        rf"(?P<d2b>\d{{1,2}}){ORD}(?:\s+of)?\s+{mon('monb')})(?![\d:])"
        rf"(?:,?\s*(?P<y>{YEAR}))?",
        "num mon",
        h_day_range,
    ),
    _r(
        "day_month",  # 16 May, Wednesday 19 June, the 1st of November 2018, 12March 2020
        rf"{B}{PREP}(?:{wd()},?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){ORD}(?:\s+of)?[\s-]*{mon()}"
        rf"{_DAY_MONTH_TAIL}",
        "num wd",
        h_day_month,
    ),
    _r(
        "month_day",  # May 16, Dec. 29, October 16, 2017, Thursday (November 1st)
        rf"{B}{PREP}(?:{wd()}(?:,?\s+|\s*(?P<paren>\(\s*)))?{mon()}\s*(?P<d>\d{{1,2}}){ORD}"
        rf"(?![\d:]|[.,]\d){_DAY_MONTH_TAIL}(?(paren)(?:\s*\))?)",
        "mon wd",
        h_day_month,
    ),
    _r(
        "month_year",  # October 2016, in late October 2016, May of 2015
        rf"{B}{PREP}(?:{MOD})?{mon()},?\s+(?:of\s+)?(?P<y>{YEAR})",
        "mon",
        h_month_year,
    ),
    _r(
        "decade",  # the 1990s, in the early 2000s
        rf"{B}{PREP}(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<y>{YEAR})'?s(?![\w])",
        "year",
        rel.h_decade,
    ),
    _r(
        "quarter",  # the first quarter of 2023, the third quarter of last year
        rf"{B}{PREP}(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+"
        rf"quarter(?![\w-])(?:\s+of\s+(?:(?P<y>{YEAR})|(?:the\s+)?(?P<rel>last|this|next)\s+year))?",
        "quarter",
        rel.h_quarter,
    ),
    _r(
        "in_the_unit",  # earlier in the day, later in the week, by the end of the year
        rf"{B}(?:(?P<el>earlier|later)\s+in\s+the\s+(?P<u>day|week|month|year)"
        rf"|{PREP}{MOD}the\s+(?P<u2>week|month|year))(?![\w-])",
        "day week my",
        rel.h_in_the_unit,
    ),
    _r(
        "year_range",  # 2014-2017, between 2014 and 2017
        rf"{B}{PREP}(?P<y1>{YEAR})\s*(?:-|–|to|and|until)\s*(?P<y2>(?:19|20)\d\d|\d\d)(?![\d,.%])",
        "year",
        h_year_range,
    ),
    _r(
        "year",  # in 2014, since 2017, late 2016, mid-2016, the end of 2016
        rf"{B}{PREP}(?:{MOD})?(?P<y>{YEAR})(?![\w%]|[.,]\d|\s*-\s*\d)",
        "year",
        h_year,
    ),
    _r(
        "month_range",  # between March and May, from January to April 2016
        rf"{B}(?:between|from)\s+{mon(full=True)}\s+(?:and|to|until|till|through)\s+"
        rf"{mon('mon2', full=True)}(?:,?\s+(?P<y>{YEAR}))?",
        "mon",
        h_month_range,
    ),
    _r(
        "month",  # in November, late last month is rel_unit; at the end of last January
        rf"{B}{PREP}(?:{MOD})?(?:(?P<rel>this\s+past|this\s+coming|last|this|next|past|coming)"
        rf"\s+)?{mon(full=True)}(?:,?\s+(?:of\s+)?(?P<ry>last|this|next)\s+year)?",
        "mon week day",
        h_month,
    ),
    _r(
        "named_day",  # on New Year's Eve, the first day of Eid al-Fitr, during Ramadan
        rf"{B}{PREP}(?P<the>the\s+)?(?:(?P<eve>eve)\s+of\s+(?:the\s+)?"
        r"|(?P<which>first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+"
        rf"(?:(?P<cnt>{COUNT})\s+)?(?P<unit>day|night|week|days|nights)\s+of\s+(?:the\s+)?"
        r"|(?P<mod>early|mid|late|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle)\s+of)"
        r"(?:\s*-\s*|\s+)(?:the\s+)?)?"
        r"(?:(?P<rel>last|this|next|(?:this|last|next)\s+year['’]s)\s+)?"
        r"(?P<month>(?:(?:muslim|islamic)\s+)?(?:holy\s+)?(?:fasting\s+)?month\s+of\s+)?"
        rf"(?P<name>{nd.NAME_PATTERN})(?![a-z])"
        r"(?:\s+(?P<hol>holidays?|festival|festivities|celebrations?|break|vacation|period|season))?"
        rf"(?:,?\s+(?:(?:of|in)\s+)?(?P<y>{YEAR})|\s+(?P<ry>last|this|next)\s+year(?![\w-]))?",
        "named day tod week num my",
        h_named,
    ),
    # ---- deictic and weekdays ----------------------------------------------------------
    _r(
        "deictic",  # today, at dawn today, Monday; late last night; the day before yesterday
        rf"{B}{PREP}(?:(?:at\s+)?(?:dawn|dusk|noon|midnight)\s+|(?:early|late|earlier|later)\s+"
        r"|(?:the\s+)?early\s+hours\s+of\s+)?"
        r"(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today"
        r"|tonight|tomorrow|last\s+night|last\s+evening|this\s+morning|this\s+afternoon"
        rf"|this\s+evening|overnight)(?![\w-]){TOD}(?:,\s*{wd()})?",
        "deic day tod",
        rel.h_deictic,
    ),
    _r(
        "weekday_range",  # from Monday to Wednesday
        rf"{B}(?:from|between)\s+{wd('wd1')}\s+(?:to|and|until|till|through)\s+{wd('wd2')}",
        "wd",
        rel.h_weekday_range,
    ),
    _r(
        "weekday",  # on Tuesday, last Saturday evening, in the early hours of Thursday morning
        rf"{B}{PREP}(?:(?:(?:the\s+)?early\s+hours\s+of|(?:at\s+)?dawn(?:\s+on)?"
        r"|(?:the\s+)?(?:night|morning|evening)\s+of|early\s+on|late\s+on|early|late"
        r"|overnight(?:\s+on)?)\s+)?"
        r"(?:(?P<rel>this\s+past|this\s+coming|last|past|coming|this|next)\s+)?"
        rf"{wd()}{TOD}",
        "wd deic",
        rel.h_weekday,
    ),
    # ---- calendar periods ----------------------------------------------------------------
    _r(
        "weekend",
        rf"{B}(?:(?P<prep>on|at|in|during|over(?=\s+the\s))\s+)?"
        r"(?P<rel>this\s+past|last|past|this|next|the)\s+weekend(?![\w-])",
        "weekend",
        rel.h_weekend,
    ),
    _r(
        "rel_unit",  # last week, earlier this month, late last month, the end of last year
        rf"{B}{PREP}(?:{MOD})?{_REL_UNIT}\s+(?P<u>week|month|year)(?![\w-])",
        "week my",
        rel.h_rel_unit,
    ),
    _r(
        "the_week",  # during the week
        r"(?<![\w-])(?:during|over|throughout|earlier\s+in)\s+the\s+week(?![\w-])",
        "week",
        rel.h_the_week,
    ),
    _r(
        "event_same",  # later that day, that night, on the same day
        rf"{B}{PREP}(?:(?:later|earlier)\s+)?(?:that|the\s+same)(?:\s+same)?\s+"
        r"(?:day|night|morning|afternoon|evening)(?![\w-])",
        "day tod",
        rel.h_event_same,
    ),
    _r(
        "event_next",  # the next day / the following morning / the previous day
        rf"{B}{PREP}the\s+(?P<rel>next|following|previous|preceding)\s+"
        r"(?:few\s+)?(?P<u>days?|morning|evening|night|weeks?)(?![\w-])",
        "day tod week",
        rel.h_event_next,
    ),
    _r(
        "past_n",  # the past 24 hours, over the last few months, in recent weeks
        rf"{B}{PREP}(?P<the>the\s+)?(?P<rel>past|last|previous|recent|coming|next)\s+"
        rf"(?:(?P<n>{COUNT})\s+)?"
        r"(?P<u>hours?|minutes?|days?|weeks?|months?|years?|decades?)(?![\w-])",
        "num week day my hour recent",
        rel.h_past_n,
    ),
    _r("recently", rf"{B}recently(?![\w-])", "recent", rel.h_recently),
    # ---- counted offsets -------------------------------------------------------------------
    _r(
        "ago",  # two days ago, a week earlier, three days later
        rf"{B}(?:(?P<n>{COUNT})\s+)?(?P<u>minutes?|hours?|days?|nights?|weeks?|months?|years?"
        r"|decades?)\s+(?P<dir>ago|earlier|later)(?![\w-])",
        "num day week my hour tod",
        rel.h_ago,
    ),
    _r(
        "event_offset",  # two days after the bombing, hours after a rocket attack
        rf"{B}(?:(?P<n>{COUNT})\s+)?(?P<u>minutes?|hours?|days?|nights?|weeks?|months?|years?)"
        r"\s+(?P<dir>after|before|prior\s+to|following)(?![\w-])",
        "num day week my hour tod",
        rel.h_event_offset,
        event=True,
    ),
    _r(
        "event_the",  # the day after the attack, the night before the vote
        rf"{B}{PREP}the\s+(?P<u>day|night|morning|evening|week|month|year)\s+"
        r"(?P<dir>before|after|prior\s+to|following)(?![\w-])",
        "day tod week my",
        rel.h_event_the,
        event=True,
    ),
)

# --------------------------------------------------------------------------- triggers

# trigger word -> trigger key; a rule lists the keys of the first trigger its matches can contain
_TRIGGER_WORDS: dict[str, str] = {w: "wd" for w in _WEEKDAY.split("|")}
_TRIGGER_WORDS.update({w: "mon" for w in cal.MONTHS})
_TRIGGER_WORDS.update(
    dict.fromkeys(("today", "tonight", "yesterday", "tomorrow", "overnight"), "deic")
)
_TRIGGER_WORDS.update(dict.fromkeys(("day", "days"), "day"))
_TRIGGER_WORDS.update(dict.fromkeys(("week", "weeks"), "week"))
_TRIGGER_WORDS["weekend"] = "weekend"
_TRIGGER_WORDS["quarter"] = "quarter"
_TRIGGER_WORDS.update(
    dict.fromkeys(("month", "months", "year", "years", "decade", "decades"), "my")
)
_TRIGGER_WORDS.update(dict.fromkeys(("hour", "hours", "minute", "minutes"), "hour"))
_TRIGGER_WORDS.update(dict.fromkeys(("night", "nights", "morning", "afternoon", "evening"), "tod"))
_TRIGGER_WORDS.update(dict.fromkeys(("recent", "recently"), "recent"))
_TRIGGER_WORDS.update(dict.fromkeys(nd.TRIGGER_WORDS, "named"))
TRIGGER_KEYS = ("wd", "mon", "deic", "day", "week", "weekend", "my", "hour", "tod", "recent")
TRIGGER_KEYS += ("num", "year", "quarter", "named")
# named-day trigger words that open a name only before these words ("new | year's eve")
_NAMED_NEXT_RX = {
    "new": re.compile(r"[\s-]+year"),
    "eve": re.compile(r"\s+of\s"),
    "feast": re.compile(r"\s+of\s"),
    "festival": re.compile(r"\s+of\s"),
}
_NAMED_NEXT_RX.update(
    dict.fromkeys(
        ("persian", "kurdish", "iranian", "islamic", "hijri", "muslim"),
        re.compile(r"\s+new\s+year"),
    )
)


# Run on " " + text: each match starts with the non-word character before the trigger, so
# m.start() is the trigger's offset in the text. Starting with a character class lets the
# regex engine skip the inside of words quickly (about 2x faster than a leading \b).
TRIGGER_RX = re.compile(
    rf"[^a-z0-9_](?:(?P<w>{_trie_pattern(list(_TRIGGER_WORDS))})(?![a-z])|(?P<n>\d+))"
)
# A small number (not a year) can only open a date when a separator, an ordinal, a month or
# a unit follows it: "16 May", "12/08/2019", "1st of", "24 hours", "16-18". Counts ("14
# airstrikes", "2,500", "11:30") are dropped before any rule runs.
_UNIT_WORDS = r"(?:minute|hour|day|night|week|month|year|decade)s?"
NUM_GUARD_RX = re.compile(
    rf"\d{{1,3}}(?:st|nd|rd|th)?(?:\s*[/.\-–]\s*[a-z\d]|\s*(?:of\s+)?(?:{_MONTH_ANY})(?![a-z])"
    rf"|\s+{_UNIT_WORDS}(?![a-z])|\s+(?:to|and|through)\s+\d)"
)


def trigger_key(m: re.Match, low: str) -> str | None:
    """The trigger key of a TRIGGER_RX match, or None when it cannot open a date."""
    w = m.group("w")
    if w is not None:
        nxt = _NAMED_NEXT_RX.get(w)
        if nxt is not None and not nxt.match(low, m.end() - 1):
            return None
        return _TRIGGER_WORDS[w]
    n = m.group("n")
    if len(n) == 4 and n[:2] in ("19", "20"):
        return "year"
    if len(n) <= 3 and NUM_GUARD_RX.match(low, m.start()):
        return "num"
    return None


CLASS_RULES: dict[str, tuple[Rule, ...]] = {
    k: tuple(r for r in RULES if k in r.classes) for k in TRIGGER_KEYS
}

_GROUP_NAME_RX = re.compile(r"\(\?P<(\w+)>|\(\?\((\w+)\)")


def _probe(rules: tuple[Rule, ...]) -> tuple[re.Pattern, tuple[tuple[Rule, int], ...]]:
    """One regex that tries every rule of a class at a position, in a single call.

    Each rule becomes ``(?=(?P<rN>rule)|)``: a lookahead that always succeeds and records
    where the rule's match would end (group rN), so one ``match()`` replaces a call per rule.
    """
    parts = []
    for i, rule in enumerate(rules):

        def rename(m: re.Match, i: int = i) -> str:
            if m.group(1):
                return f"(?P<r{i}_{m.group(1)}>"
            return f"(?(r{i}_{m.group(2)})"

        body = _GROUP_NAME_RX.sub(rename, rule.rx.pattern)
        parts.append(f"(?=(?P<r{i}>{body})|)")
    rx = re.compile("".join(parts))
    return rx, tuple((rule, rx.groupindex[f"r{i}"]) for i, rule in enumerate(rules))


CLASS_PROBES = {c: _probe(rules) for c, rules in CLASS_RULES.items()}
RULE_INDEX = {r.name: i for i, r in enumerate(RULES)}

# Words that may precede a trigger inside one expression: the engine walks back over them
# to find candidate starts ("at the end of last | January", "in the early hours of | Thursday").
PREFIX_WORDS = _words(
    PREP_WORDS.replace("|", " ")
    + " the a an of early late mid earlier later this last next past coming previous following"
    " preceding dawn dusk noon midnight very end beginning start middle first week days hours"
    " night morning evening overnight that same few several couple some so far recent"
    " second third fourth final 1st 2nd 3rd 4th muslim islamic holy fasting "
    + NUMW[3:-1].replace("|", " ")
)
_PREFIX_ALT = "|".join(sorted((w[::-1] for w in PREFIX_WORDS), key=len, reverse=True))
# matched against the reversed text before the trigger: separators then one prefix word, repeated
PREFIX_WALK_RX = re.compile(rf"(?:[\s-]+(?:{_PREFIX_ALT})(?![a-z0-9]))*")
WORD_RX = re.compile(r"[a-z0-9]+")
