from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import dates, role_rules, rules
from ..rules import CLAUSE_BREAK, IN_COUNTRY
from .actors import find_actors
from .counts import casualties, count_matches, parse_count
from .places import _not_a_place
from .realis import _has_exact_count, _loose_claim, is_vague, one_victim_each, realis, tally_words
from .records import Context, Count, Mention
from .roles import VERBAL_TRIGGER, assign_roles
from .tables import COUNTRIES, WEAPONS
from .timing import pick_time, since_until_publication
from .triggers import best_trigger, first_triggers, has_incident_words


def clause_around(text: str, at: int, end: int, reach: int = 40) -> str:
    """The clause holding text[at:end], from the previous break to the next one,
    but no further than `reach` characters past it: cues sit before or just after."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)]
    stop = CLAUSE_BREAK.search(text, end)
    stop_at = min(stop.start() if stop else len(text), end + reach)
    return text[(starts[-1] if starts else 0) : stop_at]


# Scare quotes ('killed “a number” of militants') are no words: patterns read the sentence
# without its double quotes (the mention keeps the sentence as written, for the evidence).
DROP_QUOTES = str.maketrans("", "", '"“”„«»')


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out date expressions so "May 16" is not the verb "may"."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "#" * (e - s)
    return "".join(chars)


def mention_from(
    index: int, kind: str, text: str, times: list[dates.TimeExpr], ctx: Context
) -> Mention | None:
    masked = mask(text, [(t.start_char, t.end_char) for t in times])
    if rules.EQUIPMENT.search(masked):  # "destroyed two fighting positions": no trigger
        masked = rules.EQUIPMENT.sub(lambda x: "~" * len(x.group()), masked)
    trig = best_trigger(masked)
    if trig is None and not (
        rules.CASUALTY_HINT.search(masked) or rules.NO_CASUALTIES.search(masked)
    ):
        return None
    etype, strength, at, end = trig if trig else (None, -1, 0, 0)
    actor1, actor2 = assign_roles(masked, at, end, ctx) if trig else (None, None)
    if trig and actor1 is None and kind == "body":
        actor1, actor2 = other_trigger_agent(masked, at, ctx, actor2)
    tolls = masked
    answered = rules.ANSWERED_INCIDENT.search(masked, end) if trig else None
    if answered:  # the toll of the incident this one answered is not this one's
        tolls = masked[: answered.start()] + "~" * (answered.end() - answered.start())
        tolls += masked[answered.end() :]
    killed = casualties(tolls, ctx, actor2, rules.KILLED_PATTERNS, actor1)
    wounded = casualties(tolls, ctx, actor2, rules.WOUNDED_PATTERNS, actor1)
    if trig is None and not (killed or wounded):
        if rules.DEFINITE_CASUALTIES.search(masked) and (times or ctx.gazetteer.find(text)):
            # "The fighters were killed in the X district late Saturday": the incident just
            # told, with its place and day
            m = Mention(index=index, kind=kind, text=text, etype=None, strength=-1)
            m.anaphoric = True
            m.places = [p for p in ctx.gazetteer.find(text) if not _not_a_place(text, p)]
            m.country = m.places[0].place.country if m.places else None
            pick_time(m, masked, [since_until_publication(t, ctx) for t in times], ctx)
            return m
        if not rules.NO_CASUALTIES.search(masked):
            return None
        # "No casualties were reported.": a zero toll for the incident just told
        zero = {None: Count(0, 0, 0)}
        return Mention(
            index=index,
            kind=kind,
            text=text,
            etype=None,
            strength=-1,
            killed=zero,
            wounded=dict(zero),
        )
    clause = clause_around(masked, at, end) if trig else masked
    if rules.NO_CASUALTIES.search(masked) and not killed and not wounded:
        killed = wounded = {None: Count(0, 0, 0)}  # "no one was hurt" is a count: zero
    if rules.ANOTHER_WOUNDED.search(masked) and killed and not wounded:
        side = next(iter(killed))
        wounded = {side: Count(1, 1, 1)}
    if actor2 is None:
        victims = [a for a in list(killed) + list(wounded) if a and a != actor1]
        actor2 = victims[0] if victims else None
    strikes, vague_strikes = None, False
    for rx in rules.STRIKE_COUNTS:
        for m in count_matches(rx, masked):
            count = parse_count(m)
            if m.group("vague"):
                vague_strikes = True  # "several strikes", "dozens of raids": no number given
                continue
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
    m.vague_strikes = vague_strikes
    m.anaphoric = bool(rules.ANAPHORA.search(masked[: max(at, 0) + 40])) or not trig
    m.earlier = bool(rules.EARLIER_INCIDENT.search(masked) or role_rules.RESPONSE_TO.match(masked))
    m.new_incident = bool(rules.ALSO_HIT.search(masked) or rules.SEPARATE_INCIDENT.search(text))
    m.recently = bool(rules.RECENTLY.search(text))
    m.aggregate = tally_words(text) or any(
        t.kind == "since" or t.text.lower().startswith("since") for t in times
    )
    pick_time(m, masked, [since_until_publication(t, ctx) for t in times], ctx)
    if m.time and m.time.end and m.time.start and rules.PLURAL_INCIDENTS.search(masked):
        # "killed 14 militants in joint operations over the past two weeks": a tally
        m.aggregate = m.aggregate or (
            (m.time.end - m.time.start).days + 1 >= 7 and not one_victim_each(m)
        )
    if not m.aggregate and trig and not m.time and not _has_exact_count(m):
        full_clause = clause_around(masked, at, end, reach=len(masked))
        vague = bool(rules.LARGE_VAGUE.search(full_clause))
        m.aggregate = (
            bool(rules.PRESENT_PERFECT.search(full_clause))
            and _loose_claim(m)
            # "strikes have killed dozens", "has executed dozens": a tally; "rockets have
            # landed" is one salvo
            and (bool(rules.PLURAL_INCIDENTS.search(full_clause)) or vague)
        )
    one_day = m.time is not None and m.time.precision == "day" and not m.announced
    if not one_day and "targets" in masked and rules.TARGET_TALLY.search(masked):
        # "20 targets in the Zap, Gara, Metina and Avashin regions", told with no day
        m.aggregate = True
    full_clause = clause_around(masked, at, end, reach=len(masked)) if trig else masked
    m.strength = strength if realis(clause, full_clause, masked, ctx, times) else -2
    year_before = re.search(r"\b(?:19|20)\d\d\s+(?:[\w-]+\s+)?$", masked[:at]) if trig else None
    if year_before and ctx.pub.value and int(year_before.group()[:4]) < ctx.pub.value.year:
        m.strength = -2  # "a 2016 bombing": history
    if m.strength >= 0 and is_vague(m) and not m.anaphoric:
        # "US forces carried out airstrikes on militia sites": no when, where or how many.
        # Not an incident alone, but a later "the strikes, on Monday night" may tell one.
        m.vague = True
    if trig and rules.DENIAL.search(masked, 0, at):
        m.strength = -2  # "denied that its positions had been struck": no incident
    if m.strength > 0 and rules.REACTION_BEFORE.search(masked, 0, at):
        m.strength, m.anaphoric = -1, True  # "condemned the attack": support, never a start
    m.combined = bool(rules.COMBINED_TOLL.search(masked))
    m.ordinal = bool(rules.ORDINAL_INCIDENT.search(masked))
    if role_rules.RESPONSE_TO.match(masked) and not (times or m.places or m.killed or m.wounded):
        m.strength = -2  # "in response to attacks on US forces": a back-reference, no incident
    return m


def other_trigger_agent(
    masked: str, at: int, ctx: Context, patient: str | None
) -> tuple[str | None, str | None]:
    """The agent of another incident word in the sentence, when the strongest one has none:
    "Militias targeted a US base ... shells fell in the oil field" (one incident, one
    sentence, told twice)."""
    spans = sorted({s for s in first_triggers(masked) if s is not None and s[0] != at})
    for s, e in spans:
        if not VERBAL_TRIGGER.match(masked[s:e] + " "):
            continue  # a verb's subject, not "in a deadly IS attack" (another incident)
        agent, other_patient = assign_roles(masked, s, e, ctx)
        if agent not in (None, "Unknown") and agent != patient:
            return agent, patient or other_patient
    return None, patient


def split_on_anchor(text: str, times: list[dates.TimeExpr]):
    """'X, two days after a double bombing in Y, killing 32' -> main part, ref part, expr."""
    for t in times:
        if t.anchor == "event" and t.offset_days is not None and t.ref_text:
            return text[: t.start_char], text[t.start_char :], t
    return None


@dataclass
class ListContext:
    """A list of incidents in a report: the header that introduces it ("In Iraq, coalition
    forces conducted nine strikes against ISIS targets:") and what its items inherit."""

    open_: bool = False
    time: dates.TimeExpr | None = None
    country: str | None = None


def in_list(m: Mention, text: str, lists: ListContext, out: list[Mention]) -> None:
    """A list header totals its items (an aggregate); each item is an incident of its own,
    on the list's day and in its country unless it says otherwise."""
    if m.kind != "body":
        return
    if rules.LIST_HEADER.search(text):
        m.aggregate = True
        dated = [o.time for o in (*out, m) if o.time and o.kind == "body"]
        lists.open_, lists.time = True, dated[-1] if dated else None
        lists.country = m.country
        return
    if not (lists.open_ or rules.LIST_ITEM.match(text)):
        return
    if not m.anaphoric:
        m.new_incident = True
    if m.time is None and lists.time is not None:
        m.time = lists.time
    if m.country is None:
        m.country = lists.country


def scene_time(
    m: Mention, index: int, sents: list[tuple[str, str]], out: list[Mention], ctx: Context
) -> None:
    """'F-16s were over Salah al-Din on Tuesday. They struck a tunnel ...': an undated
    incident right after a dated sentence that told no incident happened that day."""
    if index == 0 or sents[index - 1][0] != "body":
        return
    if any(o.index == index - 1 and o.strength > 0 for o in out):
        return  # the sentence before told an incident of its own: no scene to inherit
    prev = sents[index - 1][1]
    days = [
        t
        for t in dates.resolve(prev, ctx.pub.interval)
        if t.precision == "day" and t.start and t.anchor != "event"
    ]
    armed = rules.AIRCRAFT.search(prev) or any(
        a in rules.ARMED_ACTORS for _, _, a in find_actors(prev)
    )  # a scene of forces or aircraft, not of mourners or officials
    if len(days) == 1 and armed and not rules.OTHER_ACT.search(prev):
        m.time = days[0]


def mentions(sents: list[tuple[str, str]], ctx: Context) -> list[Mention]:
    out: list[Mention] = []
    lists = ListContext()
    for index, (kind, text) in enumerate(sents):
        if lists.open_ and kind == "body" and not rules.LIST_ITEM.match(text):
            lists.open_ = bool(rules.LIST_HEADER.search(text))  # a list ends at a plain line
        if not has_incident_words(text):
            continue  # no word any trigger or casualty pattern needs: skip the work
        shown, text = text, text.translate(DROP_QUOTES)
        times = dates.resolve(text, ctx.pub.interval)
        split = split_on_anchor(text, times) if kind == "body" else None
        if split is None:
            m = mention_from(index, kind, text, times, ctx)
            if m:
                m.text = shown
                in_list(m, text, lists, out)
                if m.time is None and m.kind == "body":
                    scene_time(m, index, sents, out, ctx)
                elif m.time and rules.DAY_OF_THE_STORY.match(m.time.text):
                    same_day(m, out)
                following = next(  # "two days later": the date engine's count first
                    (
                        (t.text, t.offset_days)
                        for t in times
                        if t.anchor == "event" and t.offset_days
                    ),
                    None,
                ) or next(  # "in the following days": after the incident told just before
                    ((f.group(), o) for rx, o in rules.FOLLOWING if (f := rx.search(text))), None
                )
                if following and m.time is None and out:
                    m.link = (id(out[-1]), following[1])
                    m.link_text = following[0]
                out.append(m)
            continue
        main_text, ref_text, expr = split
        if not main_text.strip(" \"“'‘"):  # "A day after the bombing, gunmen attacked ...":
            opening_anchor(index, kind, text, times, expr, ctx, out)  # the expression opens it
            continue
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


def opening_anchor(
    index: int,
    kind: str,
    text: str,
    times: list[dates.TimeExpr],
    expr: dates.TimeExpr,
    ctx: Context,
    out: list[Mention],
) -> None:
    """'A day after the bombing, gunmen attacked a post': the incident is the rest of the
    sentence, dated from the incident the expression names (told before, or in the
    expression itself when it says more than 'the bombing')."""
    cut = expr.end_char
    rest = text[cut:]
    lead = len(rest) - len(rest.lstrip(" ,"))
    main_times = [_shifted(t, -(cut + lead)) for t in times if t.start_char >= cut + lead]
    main = mention_from(index, kind, rest[lead:], main_times, ctx)
    if main is None:
        return
    ref = mention_from(index, kind, text[:cut], [], ctx)
    if ref is not None and not is_vague(ref):
        out.append(ref)
        before: Mention | None = ref
    else:
        before = out[-1] if out else None
    if before is not None and main.time is None:
        main.link, main.link_text = (id(before), expr.offset_days), expr.text
    main.text = text
    out.append(main)


def same_day(m: Mention, before: list[Mention]) -> None:
    """'Earlier in the day, ...' after a story dated Monday is Monday, not the publication
    day: the day of the last incident told with a day (kept when none was)."""
    told = next(
        (
            o.time
            for o in reversed(before)
            if o.kind == "body" and o.time and o.time.precision == "day"
        ),
        None,
    )
    if told is not None:
        m.time = replace(m.time, start=told.start, end=told.end)


def _shifted(t: dates.TimeExpr, by: int) -> dates.TimeExpr:
    return replace(t, start_char=t.start_char + by, end_char=t.end_char + by)
