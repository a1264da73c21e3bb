from __future__ import annotations

from datetime import timedelta

from .. import rules
from .records import Cluster, Mention
from .timing import window

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


def admin1s(m: Mention) -> set[str]:
    return {c for p in m.places for c in p.place.candidates}


def actors_compatible(o: Mention, m: Mention) -> bool:
    """Same agent and same target where both are named. A swapped pair is not the same
    incident: it is usually the retaliation."""
    if m.casualty_only and m.actor1 is None and m.actor2 in (o.actor1, o.actor2):
        return True  # "Two soldiers were killed." after a clash: either side's losses
    if m.casualty_only and m.actor1 is None and rules.ALSO_VICTIMS.search(m.text):
        return True  # "Two passers-by were also killed": more victims, of another side
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


# Bounds that keep clustering linear in an article's length: a mention is compared with the
# clusters told in the last REACH sentences (at most RECENT of them), and with each
# cluster's first FIRST and last LAST mentions. News articles are far shorter, so these
# change nothing there; a 1 MB text no longer costs a comparison of every pair.
REACH = 40
RECENT = 24
FIRST, LAST = 4, 12


def sample(c: Cluster) -> list[Mention]:
    ms = c.mentions
    return ms if len(ms) <= FIRST + LAST else ms[:FIRST] + ms[-LAST:]


def compatible(c: Cluster, m: Mention) -> bool:
    for o in sample(c):
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
    last: dict[int, int] = {}  # id(cluster) -> index of its latest mention
    for m in [m for m in ms if not m.support] + [m for m in ms if m.support]:
        if m.strength == -2:
            continue
        if m.support:  # a headline or caption: any of the story's first incidents
            pool = clusters[:RECENT]
        else:
            pool = [c for c in clusters[-RECENT:] if m.index - last[id(c)] <= REACH]
        candidates = [
            c
            for c in pool
            if compatible(c, m) and not (m.link and any(id(o) == m.link[0] for o in c.mentions))
        ]
        if (m.earlier or m.new_incident) and not m.casualty_only:
            candidates = []
        candidates.sort(key=lambda c: last[id(c)])  # most recent last
        if m.anaphoric and m.etype and m.strength > 0:
            # "the airstrikes" goes back to the incident told as air strikes, not merely
            # the latest one ("KH targeted coalition forces" just before)
            typed = [c for c in candidates if any(o.etype == m.etype for o in c.mentions)]
            candidates = typed or candidates
        if (m.casualty_only or m.anaphoric) and not m.support:
            recent = [c for c in candidates if m.index - last[id(c)] <= 3]
            candidates = recent[-1:] if m.casualty_only else recent or candidates
        if candidates and m.support:  # a headline or caption: the story's main incident
            max(candidates, key=lambda c: support_fit(c, m)).mentions.append(m)
        elif candidates:
            candidates[-1].mentions.append(m)
            last[id(candidates[-1])] = max(last[id(candidates[-1])], m.index)
        elif not m.support and not m.casualty_only:
            clusters.append(Cluster([m]))
            last[id(clusters[-1])] = m.index
    return clusters
