from __future__ import annotations

from .. import rules
from ..rules import AGENT_VERBS, ANNOUNCER, BY_AGENT, CLASH_WITH, PASSIVE, TARGET_LINK, TARGET_NOUN
from .actors import article_actors, find_actors
from .records import Cluster, Context
from .tables import NOT_TARGET_BEFORE
from .triggers import first_triggers


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
