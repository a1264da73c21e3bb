"""The role layer: who did what to whom, per clause, then through the discourse.

1. `assign_roles`: the sentence is abstracted (actor spans -> `<A0>`, `<A1>`...; the
   trigger -> `<T>`) and matched against the ordered frames of `etl.role_rules`
   (modifier, by-agent, passive by, claim, subject, own raid; object, verb object,
   target noun, victim): (agent, patient).
2. `inherit_agent`: a cluster whose clauses name no agent takes one from the discourse:
   the previous incident of the same kind in the article, else the owner of the
   article's aircraft ("Turkish drones" anywhere) for a strike.
3. `announcer` and `default_actor1`: who acted when the text only implies it.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import role_rules, rules
from ..rules import ANNOUNCER
from .actors import article_actors, find_actors
from .records import Cluster, Context, first
from .tables import ENEMY_GROUPS

# A trigger that is itself a verb ("targeted", "struck"), so a subject can stand before it.
VERBAL_TRIGGER = re.compile(
    r"(?:\w+ed|hit|struck|shot|fire|down|hitting|targeting|striking)(?:\s|$)", re.I
)


GROUND_TRIGGER = re.compile(r"raid|operation|assault|sweep|offensive", re.I)


def abstract(text: str, at: int, end: int, spans) -> tuple[str, list[str]]:
    """`text` with each actor span as `<Ai>` and the trigger text[at:end] as `<T>`; the
    labels by i. A span that runs into the trigger keeps only its part before it
    ("Iraqi airstrike" -> "<A0> <T>")."""
    items = []
    for s, e, a in spans:
        if s < end and e > at:
            if s >= at:
                continue
            e = at
        items.append((s, e, a))
    items.append((at, end, None))
    items.sort(key=lambda x: (x[0], x[2] is not None))
    pieces: list[str] = []
    labels: list[str] = []
    pos = 0
    for s, e, a in items:
        if s < pos:
            continue
        pieces.append(text[pos:s].replace("<", " "))
        if a is None:
            pieces.append("<T>")
        else:
            pieces.append(f"<A{len(labels)}>")
            labels.append(a)
        pos = max(e, s)
    pieces.append(text[pos:].replace("<", " "))
    return "".join(pieces), labels


def without_asides(abstracted: str) -> str:
    """Appositions and brackets out, so a subject meets its verb: "<A0>, a network of groups
    backed by <A1>, has claimed" -> "<A0> has claimed"."""
    return role_rules.ASIDE.sub(" ", abstracted)


def agent_of(abstracted: str, labels: list[str], trigger: str) -> str | None:
    for name, rx in role_rules.AGENT:
        if name == "subject_trigger" and not VERBAL_TRIGGER.search(trigger):
            continue
        if name == "own_raid" and not GROUND_TRIGGER.search(trigger):
            continue
        for m in rx.finditer(abstracted):
            i = int(m.group("a"))
            joint = role_rules.JOINT_BEFORE.search(abstracted, 0, m.start("a") - 2)
            if joint and labels[int(joint.group("a"))] in rules.ARMED_ACTORS:
                i = int(joint.group("a"))
            label = labels[i]
            if name == "own_raid" and label in ENEMY_GROUPS:
                continue  # "two ISIS members were killed in an operation": the state's
            if label != "Civilians" or name in role_rules.VICTIM_AGENT_FRAMES:
                return label
    return None


def patient_of(abstracted: str, labels: list[str], agent: str | None) -> str | None:
    for _, rx in role_rules.PATIENT:
        for m in rx.finditer(abstracted):
            label = labels[int(m.group("a"))]
            slot = m.start("a") - 2  # where "<A" opens
            if label != agent and not role_rules.NOT_PATIENT_BEFORE.search(abstracted, 0, slot):
                return label
    return None


def assign_roles(text: str, at: int, end: int, ctx: Context) -> tuple[str | None, str | None]:
    """(actor1, actor2) of the incident whose trigger is text[at:end]."""
    spans = article_actors(text, ctx)
    if not spans:
        return None, None
    abstracted, labels = abstract(text, at, end, spans)
    abstracted = without_asides(abstracted)
    agent = agent_of(abstracted, labels, text[at:end])
    return agent, patient_of(abstracted, labels, agent)


def air_owner(ctx: Context) -> str | None:
    """The side whose aircraft the article talks of ("Turkish drones", "coalition
    aircraft"), when one side has most such mentions."""
    owners = Counter(
        a
        for _, e, a in find_actors(ctx.text)
        if a in rules.STATE_AIR_ACTORS and role_rules.AIR_NOUN.match(ctx.text, e)
    )
    if not owners:
        return None
    (top, n), total = owners.most_common(1)[0], sum(owners.values())
    return top if n * 3 >= total * 2 else None


def blamed(ctx: Context) -> str | None:
    """The one side an article blames or names as claiming its incidents, if only one."""
    if not role_rules.BLAME_HINT.search(ctx.text):
        return None
    abstracted, labels = abstract(ctx.text, len(ctx.text), len(ctx.text), find_actors(ctx.text))
    abstracted = without_asides(abstracted)
    named = {
        labels[int(m.group("a"))] for rx in role_rules.BLAME for m in rx.finditer(abstracted)
    } - {"Civilians", "Unknown"}
    return named.pop() if len(named) == 1 else None


def inherit_agent(etype: str, actor2: str | None, earlier, ctx: Context) -> str | None:
    """A silent agent from the discourse: the latest earlier incident of a compatible kind
    with a named agent (not this incident's target), else the owner of the article's
    aircraft for a strike. `earlier` holds (type, actor1, actor2) of the incidents told
    before."""
    kinds = role_rules.INHERIT_TYPES.get(etype, (etype,))
    recent = earlier[-role_rules.INHERIT_REACH :]
    for other_type, other_actor, _ in reversed(recent):
        if other_type in kinds and other_actor not in (None, "Unknown", "Civilians", actor2):
            return other_actor
    if etype in role_rules.FOUGHT_BY_THE_SAME_SIDE and actor2 in rules.ARMED_ACTORS:
        # "Iraqi jets struck ISIS ... On Friday, three ISIS members were also killed in an
        # operation": the side the story has fighting that enemy, whatever the weapon
        for _, other_actor, other_target in reversed(recent):
            if other_target == actor2 and other_actor in rules.STATE_AIR_ACTORS:
                return other_actor
    if ctx.blamed and ctx.blamed != actor2:
        return ctx.blamed
    if etype == "airstrike":
        owner = ctx.air_owner
        if owner and owner != actor2:
            return owner
    return None


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
    if etype == "airstrike":  # the owner of the aircraft the incident's sentences name
        owners = [
            a
            for m in c.mentions
            for _, e, a in find_actors(m.text)
            if role_rules.AIR_NOUN.match(m.text, e)
        ]
        state = [a for a in owners if a in rules.STATE_AIR_ACTORS and a not in victims]
        if state:
            return state[0]
        country = first(m.country for m in c.mentions)
        # an unclaimed strike on ISIS in Iraq is Iraq's own air war; elsewhere it is not
        iraqi = actor2 == "ISIS" and country in (None, "Iraq")
        return "Iraqi Security Forces" if iraqi else "Unknown"
    named_here = any(a == ctx.enemy for m in c.mentions for _, _, a in find_actors(m.text))
    if actor2 in rules.ENEMY_TARGETS and ctx.enemy != "Unknown" and named_here:
        return ctx.enemy
    return "Unknown"
