"""The same labels as `cluster.labels` in bounded memory: a sweep over time.

Only the fields the rules read are kept per event (`Key`). The keys are sorted by the
start of their date window (an external bucket sort by month on disk), then swept in
that order; each event is compared only with the active events of its block (see
`cluster._blocks`), and only once per signature: a copy of an active report joins its
component at once. Components are clustered with `labels` as soon as none of their
members is active any more.
"""

from __future__ import annotations

import heapq
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from .cluster import SIGNATURE_FIELDS, labels, signature
from .rules import DAY_SLACK, INF, assess, window

KEY_FIELDS = ("event_id", "article_ids", *SIGNATURE_FIELDS)
_FEW_VALUED = frozenset(KEY_FIELDS[2:12]) - {"event_date", "date_start", "date_end"}


class Key:
    """The fields of an event that the rules read, in slots (no evidence, sources or
    casualties; few-valued strings shared): what a run keeps in memory per event for
    dedup, a fraction of the event."""

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


def sweep_labels(
    raw: Path, pub: dict[str, date | None], work: Path, buffer: int = 2_048
) -> np.ndarray:
    """`labels(read_keys(raw), pub)`, without holding every key. Memory: the active
    events and their open components, one month of keys, and 8 bytes a row for the
    result."""
    n = pq.ParquetFile(raw).metadata.num_rows
    out = np.arange(n, dtype=np.int64)  # singletons label themselves
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

    from ..store import read_run, write_run

    work.mkdir(parents=True, exist_ok=True)
    runs: list[tuple[Path, dict]] = []
    start = 0
    schema = None
    for batch in pq.ParquetFile(raw).iter_batches(buffer, columns=list(KEY_FIELDS)):
        table = pa.Table.from_batches([batch])
        table = table.append_column("_raw", pa.array(range(start, start + len(table)), pa.int64()))
        start += len(table)
        schema = table.schema
        months = np.array([_month_of(window(Key(**r))[0]) for r in batch.to_pylist()])
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
        rows.sort(key=lambda x: (window(x[1])[0], x[0]))
        yield rows


class _Sweep:
    """Connected components of the compatibility graph, found in window-start order.

    Compatibility here reads fields only (`assess`); sharing an article is left to
    `labels`, so a component may be coarser than needed, never finer. Events with one
    signature (copies) always share a component: only the first of them (the
    signature's representative while it is active) is compared with the others."""

    def __init__(self, out: np.ndarray, pub: dict[str, date | None]):
        self.out, self.pub = out, pub
        self.ends: list[tuple[float, int]] = []  # heap of (window end, event) of the active
        self.active: dict[tuple, list[int]] = defaultdict(list)  # block -> representatives
        self.is_active: set[int] = set()
        self.rep_of: dict[tuple, int] = {}  # signature -> its active representative
        self.sig: dict[int, tuple] = {}  # representative -> its signature
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
        """Active representatives that may pair with k (the pairs `_blocks` makes)."""
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
        lo, hi = window(k)
        while self.ends and self.ends[0][0] + DAY_SLACK < lo:  # ended before k starts
            self._retire(heapq.heappop(self.ends)[1])
        self.keys[i], self.parent[i], self.members[i], self.live[i] = k, i, [i], 1
        sig = signature(k, self.pub)
        rep = self.rep_of.get(sig)
        if rep is not None:
            self._union(i, rep)  # a copy: compares as its representative did
        else:
            self.rep_of[sig], self.sig[i] = i, sig
            if not k.is_aggregate:  # aggregates merge with their copies only
                for j in list(self._candidates(k)):
                    if assess(self.keys[j], k, self.pub).ok:
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
        sig = self.sig.pop(j, None)
        if sig is not None:
            del self.rep_of[sig]
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
