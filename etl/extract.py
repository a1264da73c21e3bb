"""Extraction stage: one article's cleaned text -> the incidents it reports.

The stage is an ordered pipeline of small pure steps:

1. `sentences`: blocks -> sentences (body, headline or caption);
2. `mentions`: each sentence (split where "two days after the bombing" introduces a
   second incident) -> a `Mention` with trigger, type, actors, casualties, strikes,
   weapon, places, dates and cue flags;
3. `cluster`: mentions of the same incident -> one cluster (body first; headlines and
   captions only support a cluster, never start one);
4. `anchor`: dates relative to another incident resolved through it;
5. `to_events`: clusters -> `Event` records, with aggregates flagged and
   non-incidents (threats, history, habits, vague mentions) left out.

All knowledge lives in `etl.rules` (patterns), `etl.geo` (gazetteer) and
`etl.dates` (date expressions).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache

from . import dates, rules
from .clean import Block
from .geo import Gazetteer, Match
from .pubdate import PubDate
from .rules import (  # sentence-structure patterns
    ABBREVIATIONS,
    AGENT_VERBS,
    ANNOUNCER,
    BY_AGENT,
    CLASH_WITH,
    CLAUSE_BREAK,
    IN_COUNTRY,
    NAME_OK_BEFORE,
    PASSIVE,
    POSSESSIVE_OF,
    SENTENCE_END,
    TARGET_LINK,
    TARGET_NOUN,
)
from .schema import Casualty, Event

# --- compiled tables ------------------------------------------------------------
TRIGGERS = tuple((re.compile(p, re.I), t, s) for p, t, s in rules.TRIGGERS)
WEAPONS = tuple((re.compile(p, re.I), w) for p, w in rules.WEAPONS)
ACTORS = tuple((re.compile(p), a) for p, a in rules.ACTORS)
ACTORS_I = tuple((re.compile(p, re.I), a) for p, a in rules.ACTORS)
COUNTRIES = tuple((re.compile(p), c) for p, c in rules.COUNTRY_WORDS)
QUALIFIERS = tuple((re.compile(rf"^(?:{p})$", re.I), k) for p, k in rules.NUMBER_QUALIFIERS)
CASE_SENSITIVE_ACTORS = ("ISIS",)  # "IS" must stay upper case
ACTOR_ROWS = tuple(
    (pattern if actor in CASE_SENSITIVE_ACTORS else pattern_i, actor)
    for (pattern, actor), (pattern_i, _) in zip(ACTORS, ACTORS_I, strict=True)
)
# The groups an article's "militants" may be, and how many table rows can claim their words
# (rows below the last of them never take text from them: earlier rows claim first).
ENEMY_GROUPS = ("ISIS", "PKK", "Iran-backed militias")
ENEMY_ROWS = 1 + max(i for i, (_, a) in enumerate(ACTOR_ROWS) if a in ENEMY_GROUPS)


# --- records --------------------------------------------------------------------
@dataclass(frozen=True)
class Count:
    best: int
    low: int
    high: int | None

    def contains(self, other: Count) -> bool:
        return self.low <= other.best and (self.high is None or other.best <= self.high)

    def compatible(self, other: Count) -> bool:
        return self.contains(other) or other.contains(self)


@dataclass
class Mention:
    index: int  # sentence number
    kind: str  # body | headline | caption
    text: str
    etype: str | None
    strength: int
    trigger_at: int = 0
    trigger_text: str = ""
    actor1: str | None = None
    actor2: str | None = None
    killed: dict[str, Count] = field(default_factory=dict)
    wounded: dict[str, Count] = field(default_factory=dict)
    strikes: Count | None = None
    one_strike: bool = False
    weapon: str | None = None
    places: list[Match] = field(default_factory=list)
    country: str | None = None
    time: dates.TimeExpr | None = None
    announced: bool = False
    recently: bool = False
    anaphoric: bool = False
    earlier: bool = False
    new_incident: bool = False
    link_text: str | None = None
    aggregate: bool = False
    link: tuple[int, tuple[int, int]] | None = (
        None  # (id of the mention it is dated from, days after it)
    )

    @property
    def support(self) -> bool:
        return self.kind != "body"

    @property
    def casualty_only(self) -> bool:
        return self.strength < 0


@dataclass
class Cluster:
    mentions: list[Mention]
    derived: Window | None = None  # dated through another incident

    def body(self) -> list[Mention]:
        return [m for m in self.mentions if not m.support] or self.mentions


@dataclass(frozen=True)
class Context:
    """What every step may know about the article. The article-wide facts are worked out
    on first use: most articles that get this far report no incident and never need them."""

    pub: PubDate
    gazetteer: Gazetteer
    text: str  # the article's cleaned text

    @cached_property
    def enemy(self) -> str:
        """Whom "militants"/"terrorists" means in this article."""
        return article_enemy(self.text)

    @cached_property
    def admin_mentions(self) -> tuple[str, ...]:
        """Governorates named anywhere, in order."""
        return tuple(m.place.admin1 for m in self.gazetteer.find(self.text) if m.place.is_admin1)


# --- step 1: sentences ----------------------------------------------------------
def split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        words = text[start : m.start()].rstrip("\"”’')]").rsplit(None, 1)
        last = words[-1].rstrip(".").lower() if words else ""
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def split_incidents(sentence: str) -> list[str]:
    """'X happened in A on Sunday, while a bomb wounded Y in B on Monday' -> two parts,
    when each part names an incident of its own."""
    parts = rules.INCIDENT_JOIN.split(sentence)
    if len(parts) < 2:
        return [sentence]
    strong = [p for p in parts if (t := best_trigger(p)) and t[1] >= 1]
    return parts if len(strong) == len(parts) else [sentence]


def sentences(blocks: list[Block]) -> list[tuple[str, str]]:
    return [
        (b.kind, part)
        for b in blocks
        for s in split_sentences(b.text)
        for part in split_incidents(s)
    ]


# --- numbers --------------------------------------------------------------------
def word_number(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    parts = re.split(r"[\s-]+", t)
    if all(p in rules.NUMBER_WORDS for p in parts):
        return sum(rules.NUMBER_WORDS[p] for p in parts)
    return rules.NUMBER_WORDS.get(t)


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


# --- actors ---------------------------------------------------------------------
@lru_cache(maxsize=4096)
def find_actors(text: str, enemy: str | None = None) -> tuple[tuple[int, int, str], ...]:
    """(start, end, actor) spans, first table row wins, leftmost-longest, no overlaps;
    with `enemy`, "militants", "terrorists" not inside a named actor stand for it."""
    taken = list(claim_actors(text, len(ACTOR_ROWS)))
    if enemy:
        for m in rules.GENERIC_ENEMY.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _ in taken):
                taken.append((m.start(), m.end(), enemy))
    return tuple(sorted(taken))


@lru_cache(maxsize=4096)
def claim_actors(text: str, rows: int) -> tuple[tuple[int, int, str], ...]:
    """The spans the first `rows` rows of the actor table claim, in table order (an earlier
    row's match wins over an overlapping later one)."""
    taken: list[tuple[int, int, str]] = []
    for rx, actor in ACTOR_ROWS[:rows]:
        for m in rx.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _ in taken):
                taken.append((m.start(), m.end(), actor))
    return tuple(taken)


def article_actors(text: str, ctx: Context) -> tuple[tuple[int, int, str], ...]:
    """find_actors with "militants", "terrorists" standing for the article's enemy (worked
    out only for text that has such a word: elsewhere it changes nothing)."""
    return find_actors(text, ctx.enemy if rules.GENERIC_ENEMY.search(text) else None)


def victim_actor(who: str, sentence: str, at: int, ctx: Context, target: str | None) -> str | None:
    """The side a casualty phrase's words name ("ISIS elements", "of its members")."""
    if POSSESSIVE_OF.match(who):  # "three of its personnel": the subject named before
        before = find_actors(sentence[:at])
        return before[-1][2] if before else target
    found = article_actors(who, ctx)
    return found[0][2] if found else target


def assign_roles(text: str, at: int, end: int, ctx: Context) -> tuple[str | None, str | None]:
    """(actor1, actor2) around the trigger text[at:end]."""
    spans = article_actors(text, ctx)
    actor1 = actor2 = None
    # The agent: "Iraqi airstrike", "ISIS ambush" (a modifier just before the trigger) ...
    for _, e, a in spans:
        if e <= at and not text[e:at].strip(" ’'s-"):
            actor1 = a
    # ... "by the Iraqi Air Force" ...
    by = BY_AGENT.match(text, end)
    if actor1 is None and by:
        actor1 = next((a for s, e, a in spans if by.end() <= s <= by.end() + 16), None)
    # ... "clashes with the PMF" (the other party) ...
    if actor1 is None:
        for m in CLASH_WITH.finditer(text):
            hit = [a for s, e, a in spans if s == m.end()]
            if hit:
                actor1 = hit[0]
                break
    # ... or the subject of an agentive verb ("Turkish drones targeted").
    if actor1 is None:
        for _, e, a in spans:
            verb = AGENT_VERBS.search(text, e, min(len(text), e + 60))
            if verb is None:
                continue
            between = text[e : verb.start()]
            if TARGET_NOUN.match(text[e:]) and not between.strip().startswith(
                ("fighters", "militants")
            ):
                continue  # "ISIS hideout targeted": a target, not the agent
            if verb.start() - e < 45 and "," not in between and not PASSIVE.search(between):
                actor1 = a
                break
    # ... or whoever claimed it.
    claim = rules.CLAIMED.search(text)
    if claim:
        claimers = (
            [a for s, e, a in spans if e <= claim.start()]
            if "for" in claim.group()
            else [a for s, e, a in spans if s >= claim.end()]
        )
        if claimers:
            actor1 = claimers[-1] if "for" in claim.group() else claimers[0]
    # The target: "on ISIS positions", "against Iran-backed factions", "ISIS hideouts",
    # after the first incident word ("targeted a US base ... shells fell").
    first = min([at, *(span[0] for span in first_triggers(text) if span)])
    for s, e, a in spans:
        if a == actor1 or s < first or NOT_TARGET_BEFORE.search(text, max(0, s - 40), s):
            continue
        link = TARGET_LINK.search(text, max(first, s - 25), s)
        if link or TARGET_NOUN.match(text[e:]):
            actor2 = a
            break
    return actor1, actor2


# --- step 2: mentions -----------------------------------------------------------
@lru_cache(maxsize=4096)
def first_triggers(text: str) -> tuple[tuple[int, int] | None, ...]:
    """Per TRIGGERS row, the (start, end) of its first match in text, or None."""
    return tuple((m.start(), m.end()) if (m := rx.search(text)) else None for rx, _, _ in TRIGGERS)


def best_trigger(text: str) -> tuple[str | None, int, int, int] | None:
    """The strongest incident word in text: (type, strength, start, end)."""
    best = None
    for (_, etype, strength), span in zip(TRIGGERS, first_triggers(text), strict=True):
        if span is None:
            continue
        if best is None or strength > best[1] or (strength == best[1] and span[0] < best[2]):
            best = (etype, strength, *span)
    return best


def clause_around(text: str, at: int, end: int, reach: int = 40) -> str:
    """The clause holding text[at:end], from the previous break to the next one,
    but no further than `reach` characters past it: cues sit before or just after."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)]
    stop = CLAUSE_BREAK.search(text, end)
    stop_at = min(stop.start() if stop else len(text), end + reach)
    return text[(starts[-1] if starts else 0) : stop_at]


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out date expressions so "May 16" is not the verb "may"."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "#" * (e - s)
    return "".join(chars)


def count_matches(rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """rx.finditer(text), not tried where the word it needs is missing (rules.COUNT_NEEDS)."""
    needs = rules.COUNT_NEEDS.get(rx)
    return rx.finditer(text) if needs is None or needs.search(text) else iter(())


def casualties(text: str, ctx: Context, target: str | None, patterns) -> dict[str | None, Count]:
    """Counts per side; the key None means the text does not say whose."""
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
            seen.add(m.start())
            actor = victim_actor(m.group("who") or "", text, m.start(), ctx, target)
            prev = out.get(actor)
            if prev is None or count.best > prev.best:
                out[actor] = count
    return out


def mention_from(
    index: int, kind: str, text: str, times: list[dates.TimeExpr], ctx: Context
) -> Mention | None:
    masked = mask(text, [(t.start_char, t.end_char) for t in times])
    trig = best_trigger(masked)
    if trig is None and not rules.CASUALTY_HINT.search(masked):
        return None
    etype, strength, at, end = trig if trig else (None, -1, 0, 0)
    actor1, actor2 = assign_roles(masked, at, end, ctx) if trig else (None, None)
    killed = casualties(masked, ctx, actor2, rules.KILLED_PATTERNS)
    wounded = casualties(masked, ctx, actor2, rules.WOUNDED_PATTERNS)
    if trig is None and not (killed or wounded):
        return None
    clause = clause_around(masked, at, end) if trig else masked
    if rules.NO_CASUALTIES.search(masked) and not killed and not wounded:
        killed = wounded = {None: Count(0, 0, 0)}  # "no one was hurt" is a count: zero
    if rules.ANOTHER_WOUNDED.search(masked) and killed and not wounded:
        side = next(iter(killed))
        wounded = {side: Count(1, 1, 1)}
    if actor2 is None:
        victims = [a for a in list(killed) + list(wounded) if a and a != actor1]
        actor2 = victims[0] if victims else None
    strikes = None
    for rx in rules.STRIKE_COUNTS:
        for m in count_matches(rx, masked):
            count = parse_count(m)
            if count and (strikes is None or count.best > strikes.best):
                strikes = count
    weapon = next((w for rx, w in WEAPONS if rx.search(masked)), None)
    places = [p for p in ctx.gazetteer.find(text) if not _not_a_place(text, p)]
    country = next((c for rx, c in COUNTRIES if rx.search(masked)), None)
    in_country = IN_COUNTRY.search(text)
    if places:
        country = places[0].place.country
    elif in_country:
        country = in_country.group(1)
    m = Mention(
        index=index,
        kind=kind,
        text=text,
        etype=etype,
        strength=strength,
        trigger_at=at,
        trigger_text=masked[at:end] if trig else "",
        actor1=actor1,
        actor2=actor2 if actor2 != actor1 else None,
        killed=killed,
        wounded=wounded,
        strikes=strikes,
        one_strike=bool(rules.ONE_STRIKE.search(masked)),
        weapon=weapon,
        places=places,
        country=country,
    )
    m.anaphoric = bool(rules.ANAPHORA.search(masked[: max(at, 0) + 40])) or not trig
    m.earlier = bool(rules.EARLIER_INCIDENT.search(masked))
    m.new_incident = bool(rules.ALSO_HIT.search(masked))
    m.recently = bool(rules.RECENTLY.search(text))
    m.aggregate = bool(rules.AGGREGATE.search(text)) or any(
        t.kind == "since" or t.text.lower().startswith("since") for t in times
    )
    pick_time(m, masked, [since_until_publication(t, ctx) for t in times], ctx)
    if m.time and m.time.end and m.time.start and rules.PLURAL_INCIDENTS.search(masked):
        # "killed 14 militants in joint operations over the past two weeks": a tally
        m.aggregate = m.aggregate or (m.time.end - m.time.start).days >= 7
    if not m.aggregate and trig and not m.time and not _has_exact_count(m):
        full_clause = clause_around(masked, at, end, reach=len(masked))
        m.aggregate = bool(rules.PRESENT_PERFECT.search(full_clause)) and _loose_claim(m)
    full_clause = clause_around(masked, at, end, reach=len(masked)) if trig else masked
    m.strength = strength if realis(clause, full_clause, masked, ctx, times) else -2
    year_before = re.search(r"\b(?:19|20)\d\d\s+(?:[\w-]+\s+)?$", masked[:at]) if trig else None
    if year_before and ctx.pub.value and int(year_before.group()[:4]) < ctx.pub.value.year:
        m.strength = -2  # "a 2016 bombing": history
    if m.strength >= 0 and is_vague(m) and not m.anaphoric:
        m.strength = -2  # "US bombings against militias": no when, where, who or how many
    return m


def _not_a_place(text: str, place: Match) -> bool:
    """A government ('called on Baghdad to act') or part of a name (see _inside_name)."""
    if rules.METONYMY_BEFORE.search(text[: place.start]) or rules.METONYMY_AFTER.match(
        text[place.end :]
    ):
        return True
    return _inside_name(text, place)


def _inside_name(text: str, place: Match) -> bool:
    """'Kirkuk Operations Command' still places the event there, but 'Kurdistan 24',
    'Al-Iraqiya TV' and 'Saad Khalil Qasim' (a person) do not."""
    if re.match(r"\s*(?:24|TV|News|Agency|Media)\b", text[place.end :]):
        return True
    if rules.PERSON_AFTER.match(text[place.end :]):
        return True
    before = re.search(r"([A-Z][\w'’-]*)\s+$", text[: place.start])
    if not before or place.place.is_admin1 or before.group(1).endswith(("'s", "’s")):
        return False
    return before.group(1).lower() not in NAME_OK_BEFORE


def _has_exact_count(m: Mention) -> bool:
    counts = [*m.killed.values(), *m.wounded.values()] + ([m.strikes] if m.strikes else [])
    return any(c.high == c.low for c in counts)


def _loose_claim(m: Mention) -> bool:
    """No place or no exact count: in the present perfect ("have killed dozens") a tally."""
    return not m.places or not _has_exact_count(m)


def is_vague(m: Mention) -> bool:
    """Says nothing of when, where, how many or with what."""
    return not (m.time or m.places or m.killed or m.wounded or m.strikes or m.weapon or m.link)


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
    tally = rules.AGGREGATE.search(sentence) or any(
        t.text.lower().startswith("since") for t in times
    )
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


def since_until_publication(t: dates.TimeExpr, ctx: Context) -> dates.TimeExpr:
    """'since 2020' runs from 2020 up to publication, not through 2020 only."""
    pub_end = ctx.pub.end or ctx.pub.value
    if pub_end and t.start and t.anchor == "absolute" and t.text.lower().startswith("since"):
        return replace(t, end=pub_end, kind="since")
    return t


def pick_time(m: Mention, masked: str, times: list[dates.TimeExpr], ctx: Context) -> None:
    """The date the mention's incident happened (or was announced) on."""
    usable = [
        t
        for t in times
        if t.anchor != "event"
        and t.start is not None
        and not (t.precision == "year" and t.kind == "absolute")
    ]
    # "held, on Tuesday morning, a funeral for those killed in ...": the date of another act
    usable = [t for t in usable if not rules.OTHER_ACT_BEFORE.search(masked, 0, t.start_char)]
    if len(usable) > 1:  # "recently" qualifies another date ("revealed on May 16 ... recently")
        usable = [t for t in usable if not rules.RECENTLY.fullmatch(t.text)] or usable
    incident, announced = [], []
    for t in usable:
        before = masked[max(0, t.start_char - 30) : t.start_char]
        after = masked[t.end_char : t.end_char + 160]
        trigger_after = m.trigger_at > t.end_char
        near_verb = rules.ANNOUNCE.search(before.split(",")[-1]) is not None
        verb_after = rules.ANNOUNCE.search(after)
        heads_announcement = (
            trigger_after
            and verb_after is not None
            and m.trigger_at > t.end_char + verb_after.end()
            and "," not in masked[: t.start_char]
        )
        is_announcement = (near_verb or heads_announcement) and t.precision == "day"
        (announced if is_announcement else incident).append(t)
    if incident:
        m.time = min(incident, key=lambda t: (t.end - t.start, t.start_char))
    elif announced:
        m.time = announced[0]
        m.announced = True


def split_on_anchor(text: str, times: list[dates.TimeExpr]):
    """'X, two days after a double bombing in Y, killing 32' -> main part, ref part, expr."""
    for t in times:
        if t.anchor == "event" and t.offset_days is not None and t.ref_text:
            return text[: t.start_char], text[t.start_char :], t
    return None


def has_incident_words(text: str) -> bool:
    """Cheap pre-check: does any word start like a trigger or casualty word? (Words: runs
    of a-z, 0-9 in the lower-cased text.)"""
    lower = text.lower()
    return (
        "f-16" in lower
        or "su-25" in lower
        or lower.startswith(rules.INCIDENT_STEMS)
        or INCIDENT_WORD_AFTER.search(lower) is not None
    )


# An incident stem at the start of a word that is not the first (a regex that opens with a
# character class runs much faster than one that opens with a look-behind).
INCIDENT_WORD_AFTER = re.compile(r"[^a-z0-9](?:" + "|".join(rules.INCIDENT_STEMS) + ")")
# "carried out by the army", "intelligence from the Joint Operations Command": not targets
NOT_TARGET_BEFORE = re.compile(r"\b(?:by|from|according to|with the help of)\s+(?:the\s+)?$", re.I)


def mentions(sents: list[tuple[str, str]], ctx: Context) -> list[Mention]:
    out: list[Mention] = []
    for index, (kind, text) in enumerate(sents):
        if not has_incident_words(text):
            continue  # no word any trigger or casualty pattern needs: skip the work
        times = dates.resolve(text, ctx.pub.interval)
        split = split_on_anchor(text, times) if kind == "body" else None
        if split is None:
            m = mention_from(index, kind, text, times, ctx)
            if m:
                following = next(
                    ((f.group(), o) for rx, o in rules.FOLLOWING if (f := rx.search(text))), None
                ) or next(  # "in the following days": after the incident told just before
                    (
                        (t.text, t.offset_days)
                        for t in times
                        if t.anchor == "event" and t.offset_days
                    ),
                    None,
                )
                if following and m.time is None and out:
                    m.link = (id(out[-1]), following[1])
                    m.link_text = following[0]
                out.append(m)
            continue
        main_text, ref_text, expr = split
        main = mention_from(
            index, kind, main_text, [t for t in times if t.end_char <= len(main_text)], ctx
        )
        if main is not None:
            out.append(main)
        elif out:
            main = out[-1]
        shift = len(main_text)
        ref_times = [_shifted(t, -shift) for t in times if t.start_char >= shift and t is not expr]
        ref = mention_from(index, kind, ref_text, ref_times, ctx)
        if ref is not None and not is_vague(ref):  # "days after the attacks": nothing new
            lo, hi = expr.offset_days
            ref.link = (id(main), (-hi, -lo)) if main is not None else None
            ref.link_text = expr.text
            out.append(ref)
    return out


def _shifted(t: dates.TimeExpr, by: int) -> dates.TimeExpr:
    return replace(t, start_char=t.start_char + by, end_char=t.end_char + by)


# --- step 3: clustering ---------------------------------------------------------
COMPATIBLE_TYPES = {
    frozenset(p)
    for p in (
        ("armed_clash", "attack"),
        ("bombing", "attack"),
        ("airstrike", "shelling"),
        ("armed_clash", "ground_operation"),
        ("airstrike", "bombing"),  # "the bombing" of an air campaign
    )
}


def types_compatible(a: str | None, b: str | None) -> bool:
    return (
        a is None
        or b is None
        or a == b
        or "ground_operation" in (a, b)
        or frozenset((a, b)) in COMPATIBLE_TYPES
    )


def window(m: Mention) -> tuple[date, date] | None:
    if m.time is None:
        return None
    if m.announced:
        return (m.time.start - timedelta(days=7 if m.recently else 1), m.time.end)
    return (m.time.start, m.time.end)


def admin1s(m: Mention) -> set[str]:
    return {c for p in m.places for c in p.place.candidates}


def actors_compatible(o: Mention, m: Mention) -> bool:
    """Same agent and same target where both are named. A swapped pair is not the same
    incident: it is usually the retaliation."""
    for a, b in ((o.actor1, m.actor1), (o.actor2, m.actor2)):
        if (
            a
            and b
            and a != b
            and frozenset((a, b)) not in rules.OVERLAPPING_ACTORS
            and "Unknown" not in (a, b)
        ):
            return False
    return True


def compatible(c: Cluster, m: Mention) -> bool:
    for o in c.mentions:
        if o.aggregate != m.aggregate:
            return False
        if not types_compatible(o.etype, m.etype):
            return False
        wo, wm = window(o), window(m)
        # a back-reference may be dated a day later ("on Tuesday they found the bodies")
        slack = timedelta(days=1 if m.anaphoric else 0)
        if wo and wm and (wo[1] + slack < wm[0] or wm[1] < wo[0]):
            return False
        ao, am = admin1s(o), admin1s(m)
        if ao and am and not ao & am:
            return False
        if o.country and m.country and o.country != m.country:
            return False
        if not actors_compatible(o, m):
            return False
        for side, count in m.killed.items():
            if side in o.killed and not o.killed[side].compatible(count):
                return False
        if o.strikes and m.strikes and o.strikes.best != m.strikes.best:
            return False
    return True


def support_fit(c: Cluster, m: Mention) -> tuple[bool, bool, int]:
    """How well a headline or caption fits a cluster: same kind of incident, same toll,
    then the earliest-told incident (a story leads with its main one)."""
    same_type = m.etype is not None and any(o.etype == m.etype for o in c.mentions)
    tolls = {v.best for o in c.mentions for v in o.killed.values()}
    same_toll = any(v.best in tolls for v in m.killed.values())
    return same_type, same_toll, -min(o.index for o in c.mentions)


def cluster(ms: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    for m in [m for m in ms if not m.support] + [m for m in ms if m.support]:
        if m.strength == -2:
            continue
        candidates = [
            c
            for c in clusters
            if compatible(c, m) and not (m.link and any(id(o) == m.link[0] for o in c.mentions))
        ]
        if (m.earlier or m.new_incident) and not m.casualty_only:
            candidates = []
        candidates.sort(key=lambda c: max(o.index for o in c.mentions))  # most recent last
        if (m.casualty_only or m.anaphoric) and not m.support:
            recent = [c for c in candidates if m.index - max(o.index for o in c.mentions) <= 3]
            candidates = recent[-1:] if m.casualty_only else recent or candidates
        if candidates and m.support:  # a headline or caption: the story's main incident
            max(candidates, key=lambda c: support_fit(c, m)).mentions.append(m)
        elif candidates:
            candidates[-1].mentions.append(m)
        elif not m.support and not m.casualty_only:
            clusters.append(Cluster([m]))
    return clusters


# --- step 4: event-anchored dates -------------------------------------------------
@dataclass(frozen=True)
class Window:
    """When an incident happened: the interval the text allows and the best single day."""

    start: date
    end: date
    precision: str
    text: str
    point: date
    anchor: str = "publication"


def make_window(start: date, end: date, precision: str, text: str, anchor: str) -> Window:
    point = start if precision == "day" else start + (end - start) // 2
    return Window(start, end, precision, text, point, anchor)


def cluster_window(c: Cluster) -> Window | None:
    timed = [m for m in c.body() if m.time] or [m for m in c.mentions if m.time]
    if not timed:
        return c.derived
    incident = [m for m in timed if not m.announced]
    if incident:  # a mention that tells the incident itself beats a back-reference
        m = min(incident, key=lambda m: (m.anaphoric, m.time.end - m.time.start, m.index))
        return make_window(m.time.start, m.time.end, m.time.precision, m.time.text, "publication")
    timed = [m for m in timed if not m.anaphoric] or timed
    m = timed[0]  # only an announcement day: the incident was that day or shortly before
    start, end = window(m)
    return Window(start, end, "week" if m.recently else "day", m.time.text, m.time.end)


def shifted(w: Window, lo: int, hi: int) -> str:
    """Precision of a date derived from `w` by an offset of lo..hi days: by the width of
    the resulting window."""
    width = (w.end - w.start).days + (hi - lo)
    if w.precision == "day" and width <= 1:
        return "day"
    return "week" if width <= 31 else "month" if width <= 366 else "year"


def anchor(clusters: list[Cluster]) -> None:
    """Date a cluster from another one: 'two days after the bombing'."""
    owner = {id(m): c for c in clusters for m in c.mentions}
    for _ in range(2):
        for c in clusters:
            for m in c.mentions:
                if not m.link or id(m) not in owner:
                    continue
                other = owner.get(m.link[0])
                if other is None or other is c:
                    continue
                lo, hi = m.link[1]  # this cluster = the other one + [lo, hi] days
                mine, theirs = cluster_window(c), cluster_window(other)
                text = m.link_text or m.text[:80]
                if mine is None and theirs is not None:
                    start, end = theirs.start + timedelta(days=lo), theirs.end + timedelta(days=hi)
                    c.derived = make_window(start, end, shifted(theirs, lo, hi), text, "event")
                elif theirs is None and mine is not None:
                    start, end = mine.start - timedelta(days=hi), mine.end - timedelta(days=lo)
                    other.derived = make_window(start, end, shifted(mine, lo, hi), text, "event")


# --- step 5: events -----------------------------------------------------------------
def resolve_type(
    c: Cluster, weapon: str | None, actor1: str | None, actor2: str | None, killed
) -> str:
    typed = [m for m in c.body() if m.etype] or [m for m in c.mentions if m.etype]
    strongest = max(typed, key=lambda m: m.strength, default=None)
    etype = strongest.etype if strongest and strongest.strength > 0 else None
    aircraft = any(rules.AIRCRAFT.search(m.text) for m in c.body())
    if (
        weapon in rules.AIR_WEAPONS
        or (etype is None and aircraft)
        or (etype == "bombing" and aircraft and actor1 in rules.STATE_AIR_ACTORS)
    ):
        return "airstrike"
    if weapon in rules.GROUND_FIRE_WEAPONS and etype != "airstrike":
        return "shelling"
    if weapon in rules.BOMB_WEAPONS and etype in (None, "attack", "bombing"):
        return "bombing"
    if etype == "bombing" and actor1 in rules.STATE_AIR_ACTORS:
        return "airstrike"
    if etype is None and any(rules.STRIKE_WORD.fullmatch(m.trigger_text) for m in c.body()):
        return "airstrike"  # "US forces carried out strikes on ..."
    if etype is None:
        if any(m.etype == "ground_operation" for m in c.body()) and not killed:
            return "ground_operation"
        return "attack" if actor2 == "Civilians" else "armed_clash"
    return etype


def first(values):
    return next((v for v in values if v is not None), None)


def vote(values):
    values = [v for v in values if v is not None]
    return max(values, key=values.count) if values else None


def merge_counts(mentions: list[Mention], attr: str, target: str | None) -> dict[str, Count]:
    """Per side, the most precise and then the highest figure any report gives."""
    out: dict[str, Count] = {}
    for m in mentions:
        for side, count in getattr(m, attr).items():
            side = side or target or "Unknown"
            same = [o for o in out if frozenset((o, side)) in rules.OVERLAPPING_ACTORS]
            if same and out[same[0]].compatible(count):  # "18 Iraqi forces" = "18 PMU members"
                side = same[0]
            prev = out.get(side)
            exact = count.high == count.low
            if (
                prev is None
                or count.best > prev.best
                or (count.best == prev.best and exact and prev.high != prev.low)
            ):
                out[side] = count
    return out


def total(counts: dict[str, Count]) -> tuple[int | None, int | None, int | None]:
    if not counts:
        return None, None, None
    lows = sum(c.low for c in counts.values())
    highs = [c.high for c in counts.values()]
    return sum(c.best for c in counts.values()), lows, None if None in highs else sum(highs)


def place_of(c: Cluster, ctx: Context) -> tuple[Match | None, str | None]:
    """(most precise place, governorate)."""
    places = [p for m in c.body() for p in m.places] or [p for m in c.mentions for p in m.places]
    if not places:
        return None, None
    named = [p.place.admin1 for p in places if p.place.is_admin1]
    best = min(
        places, key=lambda p: (p.place.geo_precision, len(p.place.candidates) > 1, places.index(p))
    )
    admin1 = best.place.admin1
    if admin1 is None:  # a range or disputed area: the governorate the text names
        cands = best.place.candidates
        admin1 = first(a for a in named + list(ctx.admin_mentions) if a in cands) or cands[0]
    elif (
        named
        and admin1 not in named
        and best.place.is_admin1 is False
        and len(best.place.candidates) > 1
    ):
        admin1 = named[0]
    return best, admin1


def to_events(clusters: list[Cluster], ctx: Context, article_id: str) -> list[Event]:
    events = []
    for n, c in enumerate(clusters):
        body = c.body()
        if all(m.strength < 0 for m in body):
            continue
        weapon = first(m.weapon for m in body) or first(m.weapon for m in c.mentions)
        named = [m.actor1 for m in body if m.strength > 0 and m.actor1 != "Unknown"]
        actor1 = (
            first(named)
            or first(m.actor1 for m in body if m.strength > 0)
            or first(m.actor1 for m in c.mentions)
        )
        actor2 = vote([m.actor2 for m in body]) or first(m.actor2 for m in c.mentions)
        killed = merge_counts(c.mentions, "killed", actor2)
        wounded = merge_counts(c.mentions, "wounded", actor2)
        etype = resolve_type(c, weapon, actor1, actor2, killed)
        if actor1 is None:
            actor1 = announcer(c, actor2, etype) or default_actor1(etype, actor2, c, ctx)
        if actor2 == actor1:
            actor2 = None
        if (
            actor2 is None
            and etype in ("airstrike", "shelling", "ground_operation")
            and actor1 != ctx.enemy
        ):
            actor2 = ctx.enemy if ctx.enemy != "Unknown" else None
        best_place, admin1 = place_of(c, ctx)
        country = (
            first(m.country for m in body)
            or (best_place.place.country if best_place else None)
            or "Iraq"
        )
        strikes_count = max(
            (m.strikes for m in c.mentions if m.strikes), key=lambda s: s.best, default=None
        )
        strikes = (
            strikes_count.best
            if strikes_count
            else (1 if etype == "airstrike" and any(m.one_strike for m in body) else None)
        )
        aggregate = any(m.aggregate for m in body)
        told = [m for m in body if not m.support]
        dated = any(m.time for m in told)
        specific = any(m.killed or m.wounded or m.strikes or m.places for m in told) or (
            # a dated incident of a named kind by a named side: "Turkish jets bombed ... on Sunday"
            dated and (weapon or any(m.strength == 2 and m.actor1 for m in told))
        )
        if not specific:
            continue
        if aggregate and not (killed or strikes_count):
            continue
        win = cluster_window(c)
        pub = ctx.pub
        if win:
            start, end, precision, date_text, point = (
                win.start,
                win.end,
                win.precision,
                win.text,
                win.point,
            )
            anchor_kind = win.anchor
        else:  # undated: any day up to publication
            start, end, precision, date_text, point = (
                None,
                pub.end or pub.value,
                "unknown",
                None,
                pub.value,
            )
            anchor_kind = "publication" if pub.value else "unresolved"
        k = total(killed)
        w = total(wounded)
        evidence = " ".join(dict.fromkeys(m.text for m in c.mentions if m.strength != -2))
        cas = tuple(
            Casualty(
                side,
                killed=killed[side].best if side in killed else None,
                killed_low=killed[side].low if side in killed else None,
                killed_high=killed[side].high if side in killed else None,
                wounded=wounded[side].best if side in wounded else None,
                wounded_low=wounded[side].low if side in wounded else None,
                wounded_high=wounded[side].high if side in wounded else None,
            )
            for side in dict.fromkeys([*killed, *wounded])
        )
        confidence = 0.4 + 0.1 * sum(
            bool(x) for x in (win, best_place, killed or wounded, actor1, len(body) > 1, weapon)
        )
        event_id = hashlib.sha1(f"{article_id}|{n}|{etype}|{evidence[:200]}".encode()).hexdigest()[
            :16
        ]
        events.append(
            Event(
                event_id=event_id,
                article_ids=(article_id,),
                event_type=etype,
                event_date=point,
                date_start=start,
                date_end=end,
                date_precision=precision,
                date_text=date_text,
                date_anchor=anchor_kind,
                actor1=actor1,
                actor2=actor2,
                country=country,
                admin1=admin1,
                admin2=best_place.place.admin2 if best_place else None,
                location=best_place.text if best_place and not best_place.place.is_admin1 else None,
                latitude=best_place.place.latitude if best_place else None,
                longitude=best_place.place.longitude if best_place else None,
                geo_precision=best_place.place.geo_precision if best_place else None,
                weapon=weapon,
                strikes=strikes,
                killed=k[0],
                killed_low=k[1],
                killed_high=k[2],
                wounded=w[0],
                wounded_low=w[1],
                wounded_high=w[2],
                is_aggregate=aggregate,
                evidence=evidence,
                confidence=round(min(confidence, 1.0), 2),
                casualties=cas,
            )
        )
    return events


def announcer(c: Cluster, actor2: str | None, etype: str) -> str | None:
    """Forces that announce they killed enemies did the killing ("the PMF said nine
    militants were killed in an operation")."""
    if etype not in ("armed_clash", "ground_operation") or actor2 is None:
        return None
    for m in c.body():
        for _, e, a in find_actors(m.text):
            if a in rules.ARMED_ACTORS and a != actor2 and ANNOUNCER.match(m.text[e:]):
                return a
    return None


def default_actor1(etype: str, actor2: str | None, c: Cluster, ctx: Context) -> str | None:
    """Who acted when the text only implies it."""
    victims = {actor2} | {a for m in c.mentions for a in (*m.killed, *m.wounded)}
    sides = [a for m in c.mentions for _, _, a in find_actors(m.text) if a not in victims]
    if etype == "airstrike":
        state = [a for a in sides if a in rules.STATE_AIR_ACTORS]
        return state[0] if state else ("Iraqi Security Forces" if actor2 == "ISIS" else "Unknown")
    named_here = any(a == ctx.enemy for m in c.mentions for _, _, a in find_actors(m.text))
    if actor2 in rules.ENEMY_TARGETS and ctx.enemy != "Unknown" and named_here:
        return ctx.enemy
    return "Unknown"


# --- the stage --------------------------------------------------------------------
def article_enemy(text: str) -> str:
    found = [a for _, _, a in sorted(claim_actors(text, ENEMY_ROWS)) if a in ENEMY_GROUPS]
    return max(found, key=found.count) if found else "Unknown"


def extract(
    blocks: list[Block], pub: PubDate, article_id: str, gazetteer: Gazetteer | None = None
) -> list[Event]:
    """Every incident the article reports, as events (aggregates flagged)."""
    text = "\n".join(b.text for b in blocks)
    if not has_incident_words(text):  # (a line break starts a word, as a block start does)
        return []
    sents = sentences(blocks)
    ctx = Context(pub=pub, gazetteer=gazetteer or Gazetteer.default(), text=text)
    ms = mentions(sents, ctx)
    clusters = cluster(ms)
    anchor(clusters)
    return to_events(clusters, ctx, article_id)
