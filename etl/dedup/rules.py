"""When two reports may be one incident: the rules as tables, and `assess` (pure).

Reports of one incident differ in framing: one outlet credits a joint raid to the US
and another to the Iraqi army, one types it a clash and another an airstrike, one
dates the announcement and another the night before, one names the governorate and
another does not, the tolls differ by one or two. So a comparison has three outcomes
per field: a **veto** (never one incident), a **framing difference** (tolerated when
the reports agree on enough else) or an **agreement** (evidence that they are one).

Vetoes: the same article; an aggregate (summary claims merge only with identical
copies, see `cluster.signature`); types no table below pairs; different countries
or named governorates; attackers that no group below joins (two different states,
ISIS and a state, ...) unless one report's attacker is the other's target; date
windows that do not touch, allowing one day of slack when either is day-precise (the
announcement day); tolls further apart than "near" unless the later report gives the
higher one (a rising toll); two different precise places.

A pair merges when nothing vetoes it, it has at most `MAX_FRAMING` framing
differences, and it has more agreements than framing differences. Agreements: the
same precise place; the same named side (actor1 or actor2: one agreement, as "the
army struck ISIS" is what most reports of a governorate say); the same day (both
windows at most `TIGHT_DAYS` wide and overlapping); the same weapon; both tolls
given and overlapping.
"""

from __future__ import annotations

import math
from datetime import date
from typing import NamedTuple

INF = math.inf
UNKNOWN_ACTORS = (None, "Unknown")
DAY_SLACK = 1  # an announcement day and the night before touch
PRECISE_GEO = 2  # geo_precision at or below this names a precise place
OPEN_START_DAYS = 31  # news of an undated incident is news of the past month
TIGHT_DAYS = 2  # a window this wide or narrower pins the day
MAX_FRAMING = 2
RISING_TOLLS = True  # a later report with a higher toll is an update, not another incident
NEAR_TOLL, NEAR_TOLL_SHARE = 2, 0.2  # tolls this far apart (absolute, or share of the larger)

# --- event types: the pairs that can be one incident, and what the difference costs
# (0: outlets tell these apart poorly; 1: a framing difference). ground_operation (a
# raid or sweep) goes with any type at no cost. A pair not listed is never one incident.
TYPE_COST = {
    frozenset({"airstrike"}): 0,
    frozenset({"shelling"}): 0,
    frozenset({"armed_clash"}): 0,
    frozenset({"attack"}): 0,
    frozenset({"bombing"}): 0,
    frozenset({"airstrike", "shelling"}): 0,  # a drone, a missile or a rocket: remote fire
    frozenset({"armed_clash", "attack"}): 0,
    frozenset({"armed_clash", "bombing"}): 0,  # an ambush that opens with a roadside bomb
    frozenset({"attack", "bombing"}): 0,
    frozenset({"airstrike", "armed_clash"}): 1,  # strikes inside a ground battle: one raid
    frozenset({"shelling", "armed_clash"}): 1,
}
ANY_TYPE = "ground_operation"

# --- actors: who may be named for one side of one incident. Two different named actors
# are one side only inside a group; the group's cost is what the difference counts.
ACTOR_GROUPS = (
    # one force, two names: the coalition is US-led, outlets name either
    (0, frozenset({"United States", "International Coalition"})),
    # joint operations: credited to whichever partner the outlet names
    (1, frozenset({"Iraqi Security Forces", "International Coalition", "United States"})),
    (1, frozenset({"Iraqi Security Forces", "Peshmerga"})),
    (1, frozenset({"Peshmerga", "International Coalition", "United States"})),
    (1, frozenset({"Iraqi Security Forces", "Popular Mobilization Forces"})),
    # militias inside the PMF, named by their brigade or by the umbrella
    (1, frozenset({"Popular Mobilization Forces", "Iran-backed militias"})),
)
# The target side is framed more freely (journalists or fighters, a base's US or Iraqi
# troops, villagers or militants), so two different named targets are never a veto:
# inside a group they cost what the group costs; civilians against an armed side cost
# one framing difference; two different armed sides (strikes on ISIS, strikes on a
# militia) cost two, so only a pair that agrees on nearly everything else merges.
CIVILIAN_TARGET = "Civilians"
TARGET_COST, ARMED_TARGETS_COST = 1, 2
# Sides read the other way round ("militants attacked the post, troops repelled them"
# / "troops clashed with militants"; "killing four ISIS members" read as ISIS acting):
# one report's attacker is the other's target. One framing difference, unless both are
# states: a state's strike on another state is never its target's own attack.
STATES = frozenset(
    {"Iraqi Security Forces", "United States", "International Coalition", "Turkey", "Iran"}
)
SWAPPED_SIDES_COST = 1

# --- weapons: names that one incident may get cost nothing (an aircraft: a jet, a
# helicopter or a drone; remote fire: a drone, a missile, a rocket or a shell; a bomb:
# an IED, a car bomb or a suicide car bomb); others are a framing difference.
WEAPON_GROUPS = (
    frozenset({"F-16", "Su-25", "helicopter", "drone"}),
    frozenset({"drone", "missile", "rocket", "artillery"}),
    frozenset({"IED", "car bomb", "suicide bomb"}),
)
WEAPON_COST = 1


class Assessment(NamedTuple):
    ok: bool
    agreements: int = 0
    framing: int = 0


VETO = Assessment(False)


def window(e) -> tuple[float, float]:
    """(first, last) day as ordinals; a window known only to end (an undated report:
    "on or before publication") reaches back `OPEN_START_DAYS`."""
    start, end = e.date_start, e.date_end
    if start is None and end is None and e.event_date is not None:
        start = end = e.event_date
    last = end.toordinal() if end else INF
    if start:
        return start.toordinal(), last
    return (last - OPEN_START_DAYS if end else -INF), last


def killed_range(e) -> tuple[float, float] | None:
    low = e.killed_low if e.killed_low is not None else e.killed
    if low is None:
        return None
    high = e.killed_high if e.killed_high is not None else INF
    return (low, max(high, low))


def pub_of(e, pub: dict[str, date | None] | None) -> date:
    """The earliest publication date of an event's articles (date.max: none known)."""
    dates = [pub.get(a) for a in e.article_ids] if pub else []
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else date.max


def _norm(name: str | None) -> str | None:
    return " ".join(name.lower().replace("-", " ").split()) if name else None


def same_place(a, b) -> bool:
    if _norm(a.location) == _norm(b.location):
        return True
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        return round(a.latitude, 3) == round(b.latitude, 3) and round(a.longitude, 3) == round(
            b.longitude, 3
        )
    return False


def _group_cost(x, y, groups) -> int | None:
    """Cost of naming one side x in one report and y in another (None: never)."""
    if x == y:
        return 0
    costs = [cost for cost, group in groups if x in group and y in group]
    return min(costs) if costs else None


def type_cost(t1: str, t2: str) -> int | None:
    if ANY_TYPE in (t1, t2):
        return 0
    return TYPE_COST.get(frozenset({t1, t2}))


def actor_cost(x, y) -> int | None:
    if x in UNKNOWN_ACTORS or y in UNKNOWN_ACTORS:
        return 0
    return _group_cost(x, y, ACTOR_GROUPS)


def sides_cost(a, b) -> int | None:
    """What naming the two sides costs: actor1 against actor1 and actor2 against actor2,
    or, when the attackers cannot be one side, the sides swapped (None: never)."""
    acting = actor_cost(a.actor1, b.actor1)
    if acting is not None:
        return acting + target_cost(a.actor2, b.actor2)
    for x, y in ((a, b), (b, a)):
        swapped = x.actor1 == y.actor2 and {x.actor1, y.actor1} - STATES
        if swapped and (x.actor2 in UNKNOWN_ACTORS or actor_cost(x.actor2, y.actor1) is not None):
            return SWAPPED_SIDES_COST
    return None


def target_cost(x, y) -> int:
    if x in UNKNOWN_ACTORS or y in UNKNOWN_ACTORS:
        return 0
    cost = _group_cost(x, y, ACTOR_GROUPS)
    if cost is not None:
        return cost
    return TARGET_COST if CIVILIAN_TARGET in (x, y) else ARMED_TARGETS_COST


def weapon_cost(x, y) -> int:
    if x is None or y is None or x == y or any(x in g and y in g for g in WEAPON_GROUPS):
        return 0
    return WEAPON_COST


def toll_cost(a, b, pub) -> int | None:
    """0: the tolls overlap, one is missing, or the later report's is higher (a rising
    toll); 1: near (`NEAR_TOLL` or `NEAR_TOLL_SHARE` apart); None: too far apart."""
    k1, k2 = killed_range(a), killed_range(b)
    if not k1 or not k2 or (k1[0] <= k2[1] and k2[0] <= k1[1]):
        return 0
    if RISING_TOLLS and pub is not None:
        p1, p2 = pub_of(a, pub), pub_of(b, pub)
        if p1 != p2 and date.max not in (p1, p2):
            early, late = (k1, k2) if p1 < p2 else (k2, k1)
            if late[0] > early[0]:
                return 0
    gap = max(k1[0], k2[0]) - min(k1[1], k2[1])
    return 1 if gap <= max(NEAR_TOLL, NEAR_TOLL_SHARE * max(k1[0], k2[0])) else None


def _precise(e) -> bool:
    return bool(e.location) and (e.geo_precision if e.geo_precision is not None else 9) <= (
        PRECISE_GEO
    )


COST_NAMES = ("type", "sides", "weapon", "toll")


def assess(a, b, pub: dict[str, date | None] | None = None, why: list | None = None) -> Assessment:
    """Could `a` and `b` (events or keys, not aggregates) be one incident? Symmetric.

    Reads fields only: sharing an article is checked by the caller. `pub` (article_id
    -> publication date) enables the rising-toll rule. `why`, if given, receives the
    reason of a veto, or the framing differences and agreements found."""
    costs = (
        type_cost(a.event_type, b.event_type),
        sides_cost(a, b),
        weapon_cost(a.weapon, b.weapon),
        toll_cost(a, b, pub),
    )
    veto = next((name for name, c in zip(COST_NAMES, costs, strict=True) if c is None), None)
    (s1, e1), (s2, e2) = window(a), window(b)
    slack = DAY_SLACK if "day" in (a.date_precision, b.date_precision) else 0
    precise = _precise(a) and _precise(b)
    if veto is None:
        if a.country and b.country and a.country != b.country:
            veto = "country"
        elif a.admin1 and b.admin1 and a.admin1 != b.admin1:
            veto = "admin1"
        elif not (s1 <= e2 + slack and s2 <= e1 + slack):
            veto = "dates"
        elif precise and not same_place(a, b):
            veto = "place"
    if veto is not None:
        if why is not None:
            why.append(f"veto: {veto}")
        return VETO
    framing = sum(costs)
    k1, k2 = killed_range(a), killed_range(b)
    agreed = (
        ("place", precise),
        (
            "sides",
            (a.actor1 not in UNKNOWN_ACTORS and a.actor1 == b.actor1)
            or (a.actor2 not in UNKNOWN_ACTORS and a.actor2 == b.actor2),
        ),
        ("day", e1 - s1 < TIGHT_DAYS and e2 - s2 < TIGHT_DAYS and s1 <= e2 and s2 <= e1),
        ("weapon", a.weapon is not None and a.weapon == b.weapon),
        ("toll", bool(k1 and k2 and k1[0] <= k2[1] and k2[0] <= k1[1])),
    )
    agreements = sum(ok for _, ok in agreed)
    if why is not None:
        differ = [n for n, c in zip(COST_NAMES, costs, strict=True) if c]
        why.append(
            f"framing {framing} {differ}, agreements {agreements} {[n for n, ok in agreed if ok]}"
        )
    if framing > MAX_FRAMING or agreements <= framing:
        return VETO
    return Assessment(True, agreements, framing)


def compatible(a, b, pub: dict[str, date | None] | None = None) -> bool:
    """Could `a` and `b` be reports of the same incident? (symmetric; never for two
    reports in one article, nor for an aggregate)"""
    if a.is_aggregate or b.is_aggregate or set(a.article_ids) & set(b.article_ids):
        return False
    return assess(a, b, pub).ok


def similarity(a, b, pub=None, got: Assessment | None = None) -> int:
    """How alike two events are: orders the greedy merging (most alike first). `got`:
    `assess(a, b, pub)` if the caller has it."""
    got = got or assess(a, b, pub)
    same_type = a.event_type == b.event_type
    same_date = a.date_start is not None and a.date_start == b.date_start
    same_toll = a.killed is not None and a.killed == b.killed
    return 2 * (got.agreements - got.framing) + same_type + same_date + same_toll
