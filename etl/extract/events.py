from __future__ import annotations

import hashlib

from .. import role_rules, rules
from ..schema import Casualty, Event
from .places import place_of
from .records import Cluster, Context, Count, Mention, first, vote
from .roles import announcer, default_actor1, inherit_agent
from .timing import cluster_window


def resolve_type(
    c: Cluster, weapon: str | None, actor1: str | None, actor2: str | None, killed, wounded
) -> str:
    body = c.body()
    if any(rules.AIR_SUPPORT.search(m.text) and rules.GROUND_ACTION.search(m.text) for m in body):
        # "troops, backed by coalition aircraft, raided ...": the raid is the incident
        return "armed_clash" if killed else "ground_operation"
    typed = [m for m in body if m.etype] or [m for m in c.mentions if m.etype]
    strongest = max(typed, key=lambda m: m.strength, default=None)
    etype = strongest.etype if strongest and strongest.strength > 0 else None
    aircraft = any(rules.AIRCRAFT.search(m.text) for m in body) or (
        etype is None and any(rules.AIRCRAFT.search(m.text) for m in c.mentions)
    )  # the headline's jets type a body that only says "the hideout was bombed"
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
        if any(m.etype == "ground_operation" for m in c.body()) and not (killed or wounded):
            return "ground_operation"
        return "attack" if actor2 == "Civilians" else "armed_clash"
    if etype == "ground_operation" and _hurt(killed, wounded) and actor2 != "Civilians":
        return "armed_clash"  # a raid with casualties was a raid with fighting
    return etype


def _hurt(*tolls: dict[str, Count]) -> bool:
    return any(c.best > 0 for toll in tolls for c in toll.values())


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
    return _same_dead_told_twice(out, mentions, attr)


def _same_dead_told_twice(out: dict[str, Count], mentions: list[Mention], attr: str):
    """'killing three people' in one report and 'three PKK members' in another are the same
    three dead: a loose side's count equal to a named side's is dropped, unless one report
    gives both ("two soldiers and two civilians")."""
    for loose in rules.LOOSE_SIDES:
        if loose not in out:
            continue
        named = [
            s for s, c in out.items() if s not in rules.LOOSE_SIDES and c.best == out[loose].best
        ]
        if named and not any(loose in (c := getattr(m, attr)) and named[0] in c for m in mentions):
            del out[loose]
    return out


def total(counts: dict[str, Count]) -> tuple[int | None, int | None, int | None]:
    if not counts:
        return None, None, None
    lows = sum(c.low for c in counts.values())
    highs = [c.high for c in counts.values()]
    return sum(c.best for c in counts.values()), lows, None if None in highs else sum(highs)


def to_events(clusters: list[Cluster], ctx: Context) -> list[Event]:
    article_id = ctx.article_id
    events = []
    so_far: list[tuple[str, str | None, str | None]] = []  # (type, actor1, actor2) before
    n_ordinal = sum(any(m.ordinal for m in c.mentions) for c in clusters)
    for n, c in enumerate(clusters):
        body = c.body()
        if all(m.strength < 0 or m.vague for m in body):
            continue  # only tolls, or only claims with no when, where or how many
        weapon = first(m.weapon for m in body) or first(m.weapon for m in c.mentions)
        named = [m.actor1 for m in body if m.strength > 0 and m.actor1 != "Unknown"]
        actor1 = (
            first(named)
            or first(m.actor1 for m in body if m.strength > 0)
            or first(m.actor1 for m in c.mentions if m.actor1 != "Unknown")
            or first(m.actor1 for m in c.mentions)
        )
        actor2 = vote([m.actor2 for m in body]) or first(m.actor2 for m in c.mentions)
        # a toll for several incidents the article tells one by one belongs to none of them
        told_apart = n_ordinal - any(m.ordinal for m in c.mentions) > 0
        counted = [m for m in c.mentions if not (m.combined and told_apart)]
        killed = merge_counts(counted, "killed", actor2)
        wounded = merge_counts(counted, "wounded", actor2)
        etype = resolve_type(c, weapon, actor1, actor2, killed, wounded)
        if actor1 is None:
            actor1 = (
                announcer(c, actor2, etype)
                or inherit_agent(etype, actor2, so_far, ctx)
                or default_actor1(etype, actor2, c, ctx)
            )
        if not any(m.etype and m.strength > 0 for m in body) and weapon is None:
            etype = role_rules.REMOTE_ATTACKERS.get(actor1, etype)  # "KH attacked the base"
        if actor2 == actor1:
            actor2 = None
        if (
            actor2 is None
            and etype in ("airstrike", "shelling", "ground_operation")
            and actor1 != ctx.enemy
        ):
            actor2 = ctx.enemy if ctx.enemy != "Unknown" else None
        best_place, admin1 = place_of(c, ctx)
        if best_place is None:  # the clauses place nothing: the headline's, the article's
            admin1 = ctx.article_admin1
        country = (
            first(m.country for m in body)
            or (best_place.place.country if best_place else None)
            or "Iraq"
        )
        # the incident's own telling first: a lead or headline total does not overwrite it
        counted = [m.strikes for m in body if m.strikes and not m.support] or [
            m.strikes for m in c.mentions if m.strikes
        ]
        strikes_count = counted[0] if counted else None
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
        if aggregate and not (killed or strikes_count or any(m.vague_strikes for m in body)):
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
        so_far.append((etype, actor1, actor2))
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
