"""Clustering reports into incidents: copies first, then a greedy complete linkage.

A wire story republished by a hundred outlets gives a hundred reports whose compared
fields are identical. Such copies are one incident for certain, and they compare the
same with everything else, so they are grouped first by `signature` (every field the
rules read, the publication date included: not the ids) into one *unit* per copy set,
and the rules run once per pair of units: the cost grows with the number of distinct
reports, not with the square of the copies. Copies of one aggregate claim (a summary
over a period) merge the same way; aggregates never merge with anything else.

Units then cluster greedily from the most similar pair down (`rules.similarity`); a
unit joins a cluster only if it is compatible with every member and shares no article
with it (complete linkage), so a vague report cannot chain two different incidents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

import numpy as np

from ..schema import Article, Event
from .merge import merge
from .rules import DAY_SLACK, assess, pub_of, similarity, window

# every field the rules read except the ids (see sweep.KEY_FIELDS)
SIGNATURE_FIELDS = (
    "event_type",
    "event_date",
    "date_start",
    "date_end",
    "date_precision",
    "country",
    "admin1",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "weapon",
    "killed",
    "killed_low",
    "killed_high",
    "is_aggregate",
)


def signature(e, pub: dict[str, date | None] | None) -> tuple:
    """What `assess` sees of an event: equal signatures compare alike with everything."""
    return (*(getattr(e, f) for f in SIGNATURE_FIELDS), pub_of(e, pub))


class _Unit:
    """Copies of one report (equal signatures, no article in common), clustered as one."""

    __slots__ = ("rep", "members", "articles")

    def __init__(self, rep: int, articles: set[str]):
        self.rep, self.members, self.articles = rep, [rep], articles


def _units(events: Sequence, pub) -> list[_Unit]:
    """Events (in canonical order) grouped by signature; a copy that shares an article
    with every unit of its signature so far starts a unit of its own."""
    by_sig: dict[tuple, list[_Unit]] = defaultdict(list)
    units: list[_Unit] = []
    for i, e in enumerate(events):
        arts = set(e.article_ids)
        same = by_sig[signature(e, pub)]
        home = next((u for u in same if not u.articles & arts), None)
        if home is None:
            home = _Unit(i, arts)
            same.append(home)
            units.append(home)
        else:
            home.members.append(i)
            home.articles |= arts
    return units


def _blocks(events: Sequence, units: list[_Unit]) -> Iterable[tuple[list[int], set[int]]]:
    """Unit index groups that can contain compatible pairs: same country, admin1 or none.

    Yields (group, shared): the units without an admin1 join every group of their
    country; `shared` holds them in the groups of an admin1, where pairs of two of
    them are skipped (their own group has them)."""
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for u, unit in enumerate(units):
        e = events[unit.rep]
        if not e.is_aggregate:
            by_key[(e.country, e.admin1)].append(u)
    for country in sorted({c for c, _ in by_key}, key=str):
        open_ = by_key.get((country, None), [])
        for key in sorted((k for k in by_key if k[0] == country), key=lambda k: str(k[1])):
            if key[1] is None:
                yield by_key[key], set()
            else:
                yield by_key[key] + open_, set(open_)


def _pairs(events: Sequence, units: list[_Unit], pub) -> list[tuple[int, int, int]]:
    """(−similarity, u, v) for all compatible unit pairs u < v, sorted.

    Within a block, a sweep over date windows sorted by start: once a window starts
    after the current one's end (plus the slack), no later one can overlap it."""
    reps = [events[u.rep] for u in units]
    windows = [window(e) for e in reps]
    out = []
    for block, shared in _blocks(events, units):
        block = sorted(block, key=lambda u: (windows[u][0], u))
        for x, u in enumerate(block):
            reach = windows[u][1] + DAY_SLACK
            for v in block[x + 1 :]:
                if windows[v][0] > reach:
                    break
                if u in shared and v in shared:
                    continue
                got = assess(reps[u], reps[v], pub)
                if got.ok:
                    out.append((-similarity(reps[u], reps[v], pub, got), min(u, v), max(u, v)))
    out.sort()
    return out


def labels(events: Sequence, pub: dict[str, date | None]) -> np.ndarray:
    """Cluster label of each event (events: `Event`s or `Key`s): the input index of the
    first member of its incident, so singletons are labelled with their own index."""
    given = list(events)
    # cluster in a canonical order (by id) so the result does not depend on input order
    order = sorted(range(len(given)), key=lambda i: (given[i].event_id, i))
    events = [given[i] for i in order]
    units = _units(events, pub)
    reps = [events[u.rep] for u in units]
    cluster = list(range(len(units)))  # unit -> cluster id (a unit index)
    members: dict[int, list[int]] = {}  # clusters of more than one unit
    arts: dict[int, set[str]] = {}
    compat: dict[tuple[int, int], bool] = {}

    def ok(u: int, v: int) -> bool:
        key = (u, v) if u < v else (v, u)
        if key not in compat:
            compat[key] = assess(reps[u], reps[v], pub).ok
        return compat[key]

    for _, u, v in _pairs(events, units, pub):
        cu, cv = cluster[u], cluster[v]
        if cu == cv:
            continue
        mu, mv = members.get(cu, [cu]), members.get(cv, [cv])
        au = arts.get(cu) or units[cu].articles
        av = arts.get(cv) or units[cv].articles
        if au & av or not all(ok(x, y) for x in mu for y in mv):
            continue
        keep, gone = min(cu, cv), max(cu, cv)
        for x in mv if gone == cv else mu:
            cluster[x] = keep
        members[keep] = mu + mv
        members.pop(gone, None)
        arts[keep] = au | av
        arts.pop(gone, None)
    out = np.empty(len(events), dtype=np.int64)
    first: dict[int, int] = {}  # cluster -> the smallest input index among its members
    canon_cluster = np.empty(len(events), dtype=np.int64)
    for u, unit in enumerate(units):
        for canon in unit.members:
            canon_cluster[canon] = cluster[u]
    for canon, orig in enumerate(order):
        c = int(canon_cluster[canon])
        first[c] = min(first.get(c, orig), orig)
    for canon, orig in enumerate(order):
        out[orig] = first[int(canon_cluster[canon])]
    return out


def dedup(events: list[Event], articles: Iterable[Article]) -> list[Event]:
    """Merge reports of the same incident; order: by each event's first input position."""
    pub = {a.article_id: a.pub_date for a in articles}
    events = list(events)
    lab = labels(events, pub)
    groups: dict[int, list[Event]] = defaultdict(list)
    for i, e in enumerate(events):
        groups[int(lab[i])].append(e)
    return [g[0] if len(g) == 1 else merge(g, pub) for _, g in sorted(groups.items())]


def merge_stream(
    events: Iterable[Event], lab: np.ndarray, pub: dict[str, date | None]
) -> Iterator[Event]:
    """`dedup`'s result from a stream of the same events `labels` was given (in the same
    order), holding only the members of incidents not yet complete: a singleton goes
    out at once, a merged event when its last member has come by."""
    size = np.bincount(lab, minlength=len(lab))
    pending: dict[int, list[Event]] = {}
    for i, e in enumerate(events):
        c = int(lab[i])
        if size[c] == 1:
            yield e
            continue
        got = pending.setdefault(c, [])
        got.append(e)
        if len(got) == size[c]:
            yield merge(pending.pop(c), pub)
