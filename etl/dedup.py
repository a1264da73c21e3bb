"""Cross-article dedup: reports of one incident from several articles -> one event.

`dedup(events, articles)` is pure: it takes the per-article events of the whole
dataset and returns the deduplicated list. Two events may be merged when all of
these hold (see `compatible`):

- they come from different articles, and neither is an aggregate
  (aggregates are never merged, with incidents or with each other);
- same type family: airstrike~shelling; armed_clash~attack~bombing;
  ground_operation goes with anything;
- their date windows overlap (date_start..date_end, None = open), with one day
  of slack when either is day-precise; a window with only an end (an undated
  report: "on or before publication") is taken to start a month before it;
- same country, same admin1 (or one missing);
- compatible actors: actor1 equal or one missing/'Unknown'; actor2 likewise;
- compatible tolls: killed ranges overlap, or one missing, or a rising toll: the
  report published on a later day gives a higher figure ("the toll rose to seven");
- not two different precise places: if both name a location at geo_precision <= 2,
  the names (or, for aliases, the coordinates) must agree.

Clusters grow greedily from the most similar pair down, and an event joins a
cluster only if it is compatible with every member and shares no article with
it (complete linkage), so a vague report cannot chain two different incidents.

A merged event keeps the id of its earliest-published member (ties: smallest id);
`merged_from` lists the ids of the other members. Dates come from the most precise
member, places from the finest geo_precision, actors from the first member that
names them. Casualties: low = lowest report, high = highest (None = open if any
report is open-ended), best = the most recent report's figure.
"""

from __future__ import annotations

import heapq
import math
import shutil
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from .schema import PRECISIONS, Article, Casualty, Event

FAMILY = {
    "airstrike": "air",
    "shelling": "air",
    "armed_clash": "ground",
    "attack": "ground",
    "bombing": "ground",
    "ground_operation": "*",
}
UNKNOWN_ACTORS = (None, "Unknown")
DAY_SLACK = 1
PRECISE_GEO = 2
OPEN_START_DAYS = 31  # news of an undated incident is news of the past month
RISING_TOLLS = True  # a later report with a higher toll is an update, not another incident
INF = math.inf


def _window(e: Event) -> tuple[float, float]:
    """(first, last) day as ordinals; a window known only to end (an undated report:
    "on or before publication") reaches back `OPEN_START_DAYS`."""
    start, end = e.date_start, e.date_end
    if start is None and end is None and e.event_date is not None:
        start = end = e.event_date
    last = end.toordinal() if end else INF
    if start:
        return start.toordinal(), last
    return (last - OPEN_START_DAYS if end else -INF), last


def _killed_range(e: Event) -> tuple[float, float] | None:
    low = e.killed_low if e.killed_low is not None else e.killed
    if low is None:
        return None
    high = e.killed_high if e.killed_high is not None else INF
    return (low, max(high, low))


def _norm(name: str | None) -> str | None:
    return " ".join(name.lower().replace("-", " ").split()) if name else None


def _same_place(a: Event, b: Event) -> bool:
    if _norm(a.location) == _norm(b.location):
        return True
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        return round(a.latitude, 3) == round(b.latitude, 3) and round(a.longitude, 3) == round(
            b.longitude, 3
        )
    return False


def _tolls_agree(a: Event, b: Event, pub: dict[str, date | None] | None) -> bool:
    k1, k2 = _killed_range(a), _killed_range(b)
    if not k1 or not k2 or (k1[0] <= k2[1] and k2[0] <= k1[1]):
        return True
    if not RISING_TOLLS or pub is None:
        return False
    p1, p2 = _pub(a, pub), _pub(b, pub)
    if p1 == p2 or date.max in (p1, p2):
        return False
    early, late = (k1, k2) if p1 < p2 else (k2, k1)
    return late[0] > early[0]


def compatible(a: Event, b: Event, pub: dict[str, date | None] | None = None) -> bool:
    """Could `a` and `b` be reports of the same incident? (symmetric)

    `pub` (article_id -> publication date) enables the rising-toll rule."""
    if set(a.article_ids) & set(b.article_ids):
        return False
    if a.is_aggregate or b.is_aggregate:
        return False
    fa, fb = FAMILY[a.event_type], FAMILY[b.event_type]
    if not (fa == fb or "*" in (fa, fb)):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return False
    for x, y in ((a.actor1, b.actor1), (a.actor2, b.actor2)):
        if x not in UNKNOWN_ACTORS and y not in UNKNOWN_ACTORS and x != y:
            return False
    (s1, e1), (s2, e2) = _window(a), _window(b)
    slack = DAY_SLACK if "day" in (a.date_precision, b.date_precision) else 0
    if not (s1 <= e2 + slack and s2 <= e1 + slack):
        return False
    if not _tolls_agree(a, b, pub):
        return False
    return not (
        a.location
        and b.location
        and (a.geo_precision or 9) <= PRECISE_GEO
        and (b.geo_precision or 9) <= PRECISE_GEO
        and not _same_place(a, b)
    )


def similarity(a: Event, b: Event) -> int:
    """How alike two compatible events are: orders the greedy merging."""
    score = (
        2
        if a.event_type == b.event_type
        else 1
        if "ground_operation"
        not in (
            a.event_type,
            b.event_type,
        )
        else 0
    )
    if a.location and b.location and _same_place(a, b):
        score += 2
    score += a.admin1 is not None and a.admin1 == b.admin1
    score += a.actor1 not in UNKNOWN_ACTORS and a.actor1 == b.actor1
    score += a.actor2 not in UNKNOWN_ACTORS and a.actor2 == b.actor2
    score += a.killed is not None and a.killed == b.killed
    score += a.date_start is not None and a.date_start == b.date_start
    score += a.weapon is not None and a.weapon == b.weapon
    return score


def _blocks(events: list[Event]) -> Iterable[tuple[list[int], set[int]]]:
    """Index groups that can contain compatible pairs: same country, admin1 or none.

    Yields (group, shared): the events without an admin1 join every group of their
    country; `shared` holds them in the groups of an admin1, where pairs of two of
    them are skipped (their own group has them)."""
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        if not e.is_aggregate:
            by_key[(e.country, e.admin1)].append(i)
    for country in sorted({c for c, _ in by_key}, key=str):
        open_ = by_key.get((country, None), [])
        for key in sorted((k for k in by_key if k[0] == country), key=lambda k: str(k[1])):
            if key[1] is None:
                yield by_key[key], set()
            else:
                yield by_key[key] + open_, set(open_)


def _pairs(events: list[Event], pub) -> Iterator[tuple[int, int, int]]:
    """(−similarity, i, j) for all compatible pairs i < j, in that sort order.

    Within a block, a sweep over date windows sorted by start: once a window starts
    after the current one's end (plus the slack), no later one can overlap it. The
    pairs are kept in three typed arrays (12 bytes a pair), not as tuples."""
    windows = [_window(e) for e in events]
    neg_sim, first, second = array("b"), array("l"), array("l")
    for block, shared in _blocks(events):
        block = sorted(block, key=lambda i: (windows[i][0], i))
        for x, i in enumerate(block):
            reach = windows[i][1] + DAY_SLACK
            for j in block[x + 1 :]:
                if windows[j][0] > reach:
                    break
                if i in shared and j in shared:
                    continue
                if compatible(events[i], events[j], pub):
                    neg_sim.append(-similarity(events[i], events[j]))
                    first.append(min(i, j))
                    second.append(max(i, j))
    if not neg_sim:
        return
    cols = [np.frombuffer(a, dtype=a.typecode) for a in (neg_sim, first, second)]
    for k in np.lexsort(cols[::-1]):
        yield int(cols[0][k]), int(cols[1][k]), int(cols[2][k])


def _pub(e: Event, pub: dict[str, date | None]) -> date:
    dates = [pub.get(a) for a in e.article_ids]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else date.max


def _pick(values: Iterable, default=None):
    """Most common non-None value; ties go to the first seen."""
    values = [v for v in values if v is not None]
    if not values:
        return default
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _reconcile(reports: list[tuple[date, dict]], field: str) -> dict:
    """low/high/best of one count over reports [(pub_date, {best, low, high})]."""
    given = [(pub, r) for pub, r in reports if r["best"] is not None or r["low"] is not None]
    if not given:
        return {field: None, f"{field}_low": None, f"{field}_high": None}
    lows = [r["low"] if r["low"] is not None else r["best"] for _, r in given]
    highs = [r["high"] for _, r in given]
    # most recent report wins; among equally recent ones, the first (member order)
    latest = max(pub for pub, _ in given)
    best = next(r for pub, r in given if pub == latest)
    best_value = best["best"] if best["best"] is not None else best["low"]
    return {
        field: best_value,
        f"{field}_low": min(lows),
        f"{field}_high": None if any(h is None for h in highs) else max(highs),
    }


def _counts(obj, field: str) -> dict:
    return {
        "best": getattr(obj, field),
        "low": getattr(obj, f"{field}_low"),
        "high": getattr(obj, f"{field}_high"),
    }


def merge(members: list[Event], pub: dict[str, date | None]) -> Event:
    """One event from several reports (members: any order)."""
    members = sorted(members, key=lambda e: (_pub(e, pub), e.event_id))
    rep = members[0]
    dated = min(
        members,
        key=lambda e: (
            PRECISIONS.index(e.date_precision),
            (_window(e)[1] - _window(e)[0]),
        ),
    )
    placed = min(members, key=lambda e: e.geo_precision if e.geo_precision is not None else 99)
    pubs = [_pub(e, pub) for e in members]

    def union(attr):
        out = []
        for e in members:
            out.extend(x for x in getattr(e, attr) if x not in out)
        return tuple(out)

    def actor(attr):
        named = [getattr(e, attr) for e in members if getattr(e, attr) not in UNKNOWN_ACTORS]
        return named[0] if named else getattr(rep, attr)

    types = [e.event_type for e in members if e.event_type != "ground_operation"]
    dated_members = list(zip(pubs, members, strict=True))
    counts = {}
    for f in ("killed", "wounded"):
        counts.update(_reconcile([(p, _counts(e, f)) for p, e in dated_members], f))
    sides: dict[str, list] = defaultdict(list)
    for p, e in dated_members:
        for c in e.casualties:
            sides[c.actor].append((p, c))
    casualties = []
    for side, reports in sides.items():
        fields = {}
        for f in ("killed", "wounded"):
            fields.update(_reconcile([(p, _counts(c, f)) for p, c in reports], f))
        casualties.append(Casualty(actor=side, **fields))
    evidence = []
    for e in members:
        if e.evidence and e.evidence not in evidence:
            evidence.append(e.evidence)
    return rep.replace(
        article_ids=union("article_ids"),
        sources=union("sources"),
        urls=union("urls"),
        merged_from=tuple(sorted(e.event_id for e in members[1:])),
        event_type=_pick(types, rep.event_type),
        event_date=dated.event_date,
        date_start=dated.date_start,
        date_end=dated.date_end,
        date_precision=dated.date_precision,
        date_text=dated.date_text,
        date_anchor=dated.date_anchor,
        actor1=actor("actor1"),
        actor2=actor("actor2"),
        country=placed.country or _pick(e.country for e in members),
        admin1=placed.admin1 or _pick(e.admin1 for e in members),
        admin2=placed.admin2,
        location=placed.location,
        latitude=placed.latitude,
        longitude=placed.longitude,
        geo_precision=placed.geo_precision,
        weapon=_pick(e.weapon for e in members),
        strikes=_pick(e.strikes for e in members),
        evidence="\n".join(evidence),
        confidence=max(e.confidence for e in members),
        casualties=tuple(casualties),
        **counts,
    )


def labels(events: Sequence, pub: dict[str, date | None]) -> np.ndarray:
    """Cluster label of each event (events: `Event`s or `Key`s): the input index of the
    first member of its incident, so singletons are labelled with their own index."""
    given = list(events)
    # cluster in a canonical order (by id) so the result does not depend on input order
    order = sorted(range(len(given)), key=lambda i: (given[i].event_id, i))
    events = [given[i] for i in order]
    cluster = list(range(len(events)))  # event index -> cluster id
    members: dict[int, list[int]] = {}  # clusters of more than one event
    arts: dict[int, set[str]] = {}
    compat: dict[tuple[int, int], bool] = {}

    def ok(i: int, j: int) -> bool:
        key = (i, j) if i < j else (j, i)
        if key not in compat:
            compat[key] = compatible(events[i], events[j], pub)
        return compat[key]

    for _, i, j in _pairs(events, pub):
        ci, cj = cluster[i], cluster[j]
        if ci == cj:
            continue
        mi, mj = members.get(ci, [ci]), members.get(cj, [cj])
        ai = arts.get(ci) or set(events[ci].article_ids)
        aj = arts.get(cj) or set(events[cj].article_ids)
        if ai & aj or not all(ok(x, y) for x in mi for y in mj):
            continue
        keep, gone = min(ci, cj), max(ci, cj)
        for x in mj if gone == cj else mi:
            cluster[x] = keep
        members[keep] = mi + mj
        members.pop(gone, None)
        arts[keep] = ai | aj
        arts.pop(gone, None)
    out = np.empty(len(events), dtype=np.int64)
    first: dict[int, int] = {}  # cluster -> the smallest input index among its members
    for canon, orig in enumerate(order):
        c = cluster[canon]
        first[c] = min(first.get(c, orig), orig)
    for canon, orig in enumerate(order):
        out[orig] = first[cluster[canon]]
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


# --- what dedup compares, without the rest of an event ------------------------------

KEY_FIELDS = (
    "event_id",
    "article_ids",
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
_FEW_VALUED = frozenset(KEY_FIELDS[2:12]) - {"event_date", "date_start", "date_end"}


class Key:
    """The fields of an event that `compatible` and `similarity` read, in slots (no
    evidence, sources or casualties; few-valued strings shared): what a run keeps in
    memory per event for dedup, a fraction of the event."""

    __slots__ = KEY_FIELDS

    def __init__(self, **fields):
        for name in KEY_FIELDS:
            value = fields[name]
            if name in _FEW_VALUED and value is not None:
                value = sys.intern(value)
            elif name == "article_ids":
                value = tuple(value or ())
            object.__setattr__(self, name, value)


def read_keys(path: Path) -> list[Key]:
    """The keys of the events in a Parquet file, in its order (only their columns read)."""
    out = []
    for batch in pq.ParquetFile(path).iter_batches(8_192, columns=list(KEY_FIELDS)):
        out.extend(Key(**row) for row in batch.to_pylist())
    return out


# --- the same labels in bounded memory: a sweep over time ----------------------------


def sweep_labels(
    raw: Path, pub: dict[str, date | None], work: Path, buffer: int = 2_048
) -> np.ndarray:
    """`labels(read_keys(raw), pub)`, without holding every key: the keys are sorted
    by the start of their date window (an external bucket sort by month, `work` holds
    the runs), then swept in that order. An event stays active until a window starts
    after its end (plus the slack); its compatible pairs are among the active events
    of its block (see `_blocks`), so the incidents' connected components are found as
    the sweep goes, and each is clustered with `labels` as soon as none of its members
    is active any more. Memory: the active events and their open components, one
    month of keys, and 8 bytes a row for the result."""
    n = pq.ParquetFile(raw).metadata.num_rows
    out = np.arange(n, dtype=np.int64)  # singletons (and aggregates) label themselves
    sweep = _Sweep(out, pub)
    try:
        for key_rows in _keys_by_window_start(raw, work, buffer):
            for i, k in key_rows:
                sweep.add(i, k)
        sweep.finish()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _month_of(lo: float) -> int:
    if lo == -INF:
        return -1
    d = date.fromordinal(int(lo))
    return d.year * 12 + d.month - 1


def _keys_by_window_start(raw: Path, work: Path, buffer: int) -> Iterator[list]:
    """(raw row index, Key) a month of window starts at a time, in (start, index) order:
    batches of keys sorted by month into run files (Arrow IPC), then read month by month."""
    import pyarrow as pa

    from .store import read_run, write_run

    work.mkdir(parents=True, exist_ok=True)
    runs: list[tuple[Path, dict]] = []
    start = 0
    schema = None
    for batch in pq.ParquetFile(raw).iter_batches(buffer, columns=list(KEY_FIELDS)):
        table = pa.Table.from_batches([batch])
        table = table.append_column("_raw", pa.array(range(start, start + len(table)), pa.int64()))
        start += len(table)
        schema = table.schema
        months = np.array([_month_of(_window(Key(**r))[0]) for r in batch.to_pylist()])
        order = np.argsort(months, kind="stable")
        bounds = np.flatnonzero(np.diff(months[order])) + 1
        pieces = (
            (int(months[rows[0]]), table.take(pa.array(rows)))
            for rows in (np.split(order, bounds) if len(order) else [])
        )
        path = work / f"keys-{len(runs)}.arrow"
        runs.append((path, write_run(path, schema, pieces)))
    for month in sorted({m for _, spans in runs for m in spans}):
        rows = []
        for path, spans in runs:
            if month in spans:
                for r in read_run(path, spans[month], schema).to_pylist():
                    i = r.pop("_raw")
                    rows.append((i, Key(**r)))
        rows.sort(key=lambda x: (_window(x[1])[0], x[0]))
        yield rows


class _Sweep:
    """Connected components of the compatibility graph, found in window-start order."""

    def __init__(self, out: np.ndarray, pub: dict[str, date | None]):
        self.out, self.pub = out, pub
        self.ends: list[tuple[float, int]] = []  # heap of (window end, event) of the active
        self.active: dict[tuple, list[int]] = defaultdict(list)  # block -> events (lazily)
        self.is_active: set[int] = set()
        self.keys: dict[int, Key] = {}  # events of open components
        self.parent: dict[int, int] = {}  # union-find over the events of open components
        self.members: dict[int, list[int]] = {}  # root -> its events
        self.live: dict[int, int] = {}  # root -> its members still active
        self.added = 0

    def _root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.live[ra] += self.live.pop(rb)

    def _candidates(self, k: Key) -> Iterator[int]:
        """Active events that may pair with k (the pairs `_blocks` makes)."""
        if k.admin1 is None:
            blocks = [b for b in self.active if b[0] == k.country]
        else:
            blocks = [(k.country, k.admin1), (k.country, None)]
        for block in blocks:
            events = self.active.get(block)
            if not events:
                continue
            if len(events) > 2 * len(self.is_active) + 16:  # drop the retired now and then
                events[:] = [j for j in events if j in self.is_active]
            yield from (j for j in events if j in self.is_active)

    def add(self, i: int, k: Key) -> None:
        if k.is_aggregate:
            return  # never merged: labels itself
        lo, hi = _window(k)
        while self.ends and self.ends[0][0] + DAY_SLACK < lo:  # ended before k starts
            self._retire(heapq.heappop(self.ends)[1])
        self.keys[i], self.parent[i], self.members[i], self.live[i] = k, i, [i], 1
        for j in list(self._candidates(k)):
            if compatible(self.keys[j], k, self.pub):
                self._union(i, j)
        self.active[(k.country, k.admin1)].append(i)
        self.is_active.add(i)
        heapq.heappush(self.ends, (hi, i))
        self.added += 1
        if self.added % 10_000 == 0:  # blocks not visited lately keep retired events
            for events in self.active.values():
                events[:] = [j for j in events if j in self.is_active]

    def _retire(self, j: int) -> None:
        self.is_active.discard(j)
        root = self._root(j)
        self.live[root] -= 1
        if self.live[root] == 0:
            self._close(root)

    def _close(self, root: int) -> None:
        idx = sorted(self.members.pop(root))
        del self.live[root]
        if len(idx) > 1:
            local = labels([self.keys[i] for i in idx], self.pub)
            for pos, i in enumerate(idx):
                self.out[i] = idx[int(local[pos])]
        for i in idx:
            del self.keys[i], self.parent[i]

    def finish(self) -> None:
        while self.ends:
            self._retire(heapq.heappop(self.ends)[1])
