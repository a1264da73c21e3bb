"""The reviewed view: the ETL's events with the analysts' overrides and verdicts applied.

`apply_review(events, casualties, snapshot)` is pure (Arrow tables in, Arrow tables
out). Only the rows an edit touches are converted to Python; the rest of the table
is taken over as it is, in its order; the reviewed rows follow it.

- Overrides replace slots; a corrected casualties list also sets the event's totals
  (unless those were corrected too); a corrected place takes its coordinates from the
  gazetteer.
- *not an event* drops the event; *duplicate of E* merges it into E as dedup would
  (articles, outlets, links and evidence joined; lowest low and highest high counts;
  E's own figures kept); *split article A out of E* takes A's report out of E as an
  event of its own (A's per-article event from the raw tables when given).
- Edits follow their event across ETL runs (`attach`): the same id; else the event
  that absorbed it (`merged_from`); else an event sharing an article and an evidence
  sentence with the edited one. Edits that match nothing are *orphans*, reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.review.slots import SIDE_COUNTS, place, side_totals
from dashboard.review.store import Anchor, Snapshot
from etl.schema import CASUALTIES_SCHEMA, EVENTS_SCHEMA, Col

COUNT_TOTALS = ((Col.KILLED, Col.KILLED_LOW, Col.KILLED_HIGH),) + (
    (Col.WOUNDED, Col.WOUNDED_LOW, Col.WOUNDED_HIGH),
)
DATE_SLOTS = (Col.EVENT_DATE, Col.DATE_START, Col.DATE_END)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_CHAIN = 16


@dataclass(frozen=True)
class Mark:
    """What review did to one event of the reviewed table."""

    status: str  # corrected, confirmed, merged, split
    machine: dict = field(default_factory=dict)  # corrected slot -> the machine's value
    subjects: tuple[str, ...] = ()  # the edited event ids behind it


@dataclass(frozen=True)
class Reviewed:
    events: pa.Table
    casualties: pa.Table
    marks: dict[str, Mark]  # event id -> mark, for the events of `events`
    dropped: dict[str, str]  # event id -> why (not_event, duplicate_of:E)
    attached: dict[str, str]  # edited event id -> the event id it applies to now
    orphans: tuple[str, ...]  # edited event ids that match no event
    problems: tuple[str, ...] = ()  # verdicts that could not be applied, and why
    dropped_articles: frozenset = frozenset()  # articles of events marked not an event


def sentences(text: str | None) -> set[str]:
    out = set()
    for s in SENTENCE.split(text or ""):
        s = " ".join(s.split()).strip().lower()
        if len(s) >= 12:
            out.add(s)
    return out


def machine_values(row: dict, sides: list[dict] | None = None) -> dict:
    """The JSON-able slots of an events row (the anchor's machine values)."""
    out = {}
    for k, v in row.items():
        if k in (Col.ARTICLE_IDS, Col.SOURCES, Col.URLS, Col.MERGED_FROM, Col.EVIDENCE):
            continue
        out[k] = v.isoformat() if isinstance(v, date) else v
    if sides is not None:
        out["casualties"] = [{c: s.get(c) for c in (Col.ACTOR, *SIDE_COUNTS)} for s in sides]
    return out


def anchor_of(row: dict, sides: list[dict] | None = None) -> Anchor:
    return Anchor(
        tuple(row.get(Col.ARTICLE_IDS) or ()),
        row.get(Col.EVIDENCE) or "",
        machine_values(row, sides),
    )


# --- attaching edits to the events of this run ------------------------------------------


def attach(events: pa.Table, snap: Snapshot) -> tuple[dict[str, int], tuple[str, ...]]:
    """(edited event id -> row in `events`, orphaned edited ids)."""
    subjects = sorted(snap.subjects)
    if not subjects or events.num_rows == 0:
        return {}, tuple(subjects)
    ids = events.column(Col.EVENT_ID)
    pos = pc.index_in(pa.array(subjects, pa.string()), value_set=_plain(ids))
    found = {s: p for s, p in zip(subjects, pos.to_pylist(), strict=True) if p is not None}
    missing = [s for s in subjects if s not in found]
    if missing:
        found.update(_by_list(events, Col.MERGED_FROM, {s: {s} for s in missing}))
        missing = [s for s in missing if s not in found]
    if missing:
        wanted = {
            s: set(snap.anchors[s].article_ids) for s in missing if s in snap.anchors
        }  # candidates: rows sharing an article
        cands = _by_list(events, Col.ARTICLE_IDS, wanted, every=True)
        ev = events.column(Col.EVIDENCE)
        for s, rows in cands.items():
            mine = sentences(snap.anchors[s].evidence)
            best = max(((len(mine & sentences(ev[r].as_py())), -r) for r in rows), default=(0, 0))
            if best[0] > 0:
                found[s] = -best[1]
        missing = [s for s in missing if s not in found]
    return found, tuple(missing)


def _plain(col) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return arr.dictionary_decode() if pa.types.is_dictionary(arr.type) else arr


def _by_list(events: pa.Table, column: str, wanted: dict[str, set], every: bool = False):
    """Rows whose list `column` holds any value of wanted[s]: s -> first row, or with
    `every` s -> all such rows."""
    values = set().union(*wanted.values()) if wanted else set()
    if not values:
        return {}
    col = events.column(column).combine_chunks()
    flat = pc.list_flatten(col)
    parent = pc.list_parent_indices(col).to_numpy()
    hit = pc.is_in(flat, value_set=pa.array(sorted(values), pa.string()))
    hit = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    rows_of: dict[str, list[int]] = {}
    for v, r in zip(pc.filter(flat, pa.array(hit)).to_pylist(), parent[hit], strict=True):
        rows_of.setdefault(v, []).append(int(r))
    out: dict = {}
    for s, vals in wanted.items():
        rows = sorted({r for v in vals for r in rows_of.get(v, [])})
        if rows:
            out[s] = rows if every else rows[0]
    return out


# --- applying ------------------------------------------------------------------------


def _iso(v):
    return date.fromisoformat(v) if isinstance(v, str) else v


def _apply_overrides(row: dict, sides: list[dict], ov: dict) -> tuple[dict, list[dict], dict]:
    """(row, sides) with the overrides `ov` applied, and slot -> machine value of each
    slot the overrides changed."""
    machine = {}
    row = dict(row)
    for slot, value in ov.items():
        if slot == "casualties":
            machine[slot] = [dict(s) for s in sides]
            sides = [dict(s, event_id=row[Col.EVENT_ID]) for s in value]
            continue
        if slot not in row:
            continue
        value = _iso(value) if slot in DATE_SLOTS else value
        if row[slot] != value:
            machine[slot] = row[slot]
        row[slot] = value
    if "casualties" in ov:  # the sides give the totals, unless those were corrected too
        for c, total in side_totals(sides).items():
            if c in ov:
                continue
            if row.get(c) != total:
                machine.setdefault(c, row.get(c))
            row[c] = total
    if Col.LOCATION in ov or Col.ADMIN1 in ov:
        _place(row, ov, machine)
    return row, sides, machine


def _sum(vals) -> int | None:
    given = [v for v in vals if v is not None]
    return sum(given) if given else None


def _place(row: dict, ov: dict, machine: dict) -> None:
    """Coordinates (and unset admin units) from the gazetteer for a corrected place."""
    name = row.get(Col.LOCATION) if Col.LOCATION in ov else None
    p = place(name) if name else None
    if p is None and Col.ADMIN1 in ov and row.get(Col.ADMIN1):
        p = place(row[Col.ADMIN1])
        if p is not None and Col.LOCATION not in ov and machine.get(Col.ADMIN1) is not None:
            machine.setdefault(Col.LOCATION, row.get(Col.LOCATION))
            row[Col.LOCATION] = None  # the machine's place was in another governorate
    if p is None:
        return
    for c, v in (
        (Col.LATITUDE, p.latitude),
        (Col.LONGITUDE, p.longitude),
        (Col.GEO_PRECISION, p.geo_precision),
        (Col.ADMIN1, p.admin1),
        (Col.COUNTRY, p.country),
        (Col.ADMIN2, p.admin2),
    ):
        if c in ov or v is None and c in (Col.ADMIN1, Col.COUNTRY):
            continue
        if row.get(c) != v:
            machine.setdefault(c, row.get(c))
        row[c] = v


def _reconcile(a, b):
    """(best, low, high) of two reports: a's best first, lowest low, highest high."""
    best = a[0] if a[0] is not None else b[0]
    lows = [
        x[1] if x[1] is not None else x[0] for x in (a, b) if x[0] is not None or x[1] is not None
    ]
    his = [x[2] for x in (a, b) if x[0] is not None or x[1] is not None]
    low = min(lows) if lows else None
    high = None if not his or any(h is None for h in his) else max(his)
    return best, low, high


def _merge_into(target: dict, t_sides: list[dict], dup: dict, d_sides: list[dict]):
    out = dict(target)
    for c in (Col.ARTICLE_IDS, Col.SOURCES, Col.URLS):
        joined = list(target.get(c) or [])
        joined += [x for x in dup.get(c) or [] if x not in joined]
        out[c] = joined
    merged = list(target.get(Col.MERGED_FROM) or [])
    for x in [dup[Col.EVENT_ID], *(dup.get(Col.MERGED_FROM) or [])]:
        if x not in merged:
            merged.append(x)
    out[Col.MERGED_FROM] = sorted(merged)
    ev = [x for x in (target.get(Col.EVIDENCE) or "").split("\n") if x]
    ev += [x for x in (dup.get(Col.EVIDENCE) or "").split("\n") if x and x not in ev]
    out[Col.EVIDENCE] = "\n".join(ev)
    for best, lo, hi in COUNT_TOTALS:
        out[best], out[lo], out[hi] = _reconcile(
            (target.get(best), target.get(lo), target.get(hi)),
            (dup.get(best), dup.get(lo), dup.get(hi)),
        )
    by_side = {s[Col.ACTOR]: dict(s) for s in t_sides}
    for s in d_sides:
        mine = by_side.get(s[Col.ACTOR])
        if mine is None:
            by_side[s[Col.ACTOR]] = dict(s, event_id=out[Col.EVENT_ID])
            continue
        for best, lo, hi in COUNT_TOTALS:
            mine[best], mine[lo], mine[hi] = _reconcile(
                (mine.get(best), mine.get(lo), mine.get(hi)), (s.get(best), s.get(lo), s.get(hi))
            )
    return out, list(by_side.values())


def _split(row: dict, sides: list[dict], article: str, raw: dict[str, tuple[dict, list]]):
    """(row without `article`, the event of `article` alone, its sides)."""
    arts = list(row.get(Col.ARTICLE_IDS) or [])
    if article not in arts or len(arts) < 2:
        return row, None, None
    i = arts.index(article)
    rest = dict(row)
    rest[Col.ARTICLE_IDS] = arts[:i] + arts[i + 1 :]
    members = [row[Col.EVENT_ID], *(row.get(Col.MERGED_FROM) or [])]
    own = next(
        (
            raw[m]
            for m in members
            if m in raw and list(raw[m][0][Col.ARTICLE_IDS] or []) == [article]
        ),
        None,
    )
    aligned = {c: list(row.get(c) or []) for c in (Col.SOURCES, Col.URLS)}
    for c, vals in aligned.items():
        if len(vals) == len(arts):  # one outlet / link per article: take A's out
            rest[c] = vals[:i] + vals[i + 1 :]
    if own is not None:
        new, new_sides = dict(own[0]), [dict(s) for s in own[1]]
        rest[Col.MERGED_FROM] = [
            m for m in rest.get(Col.MERGED_FROM) or [] if m != new[Col.EVENT_ID]
        ]
        gone = set((new.get(Col.EVIDENCE) or "").split("\n"))
        kept = [x for x in (row.get(Col.EVIDENCE) or "").split("\n") if x not in gone]
        rest[Col.EVIDENCE] = "\n".join(kept) or row.get(Col.EVIDENCE)
    else:
        new = dict(row, merged_from=[])
        new[Col.ARTICLE_IDS] = [article]
        for c, vals in aligned.items():
            new[c] = [vals[i]] if len(vals) == len(arts) else vals
        new_sides = [dict(s) for s in sides]
    if new[Col.EVENT_ID] == row[Col.EVENT_ID]:
        new[Col.EVENT_ID] = f"{row[Col.EVENT_ID]}~{article}"[:80]
    new_sides = [dict(s, event_id=new[Col.EVENT_ID]) for s in new_sides]
    return rest, new, new_sides


def _sides_of(casualties: pa.Table, ids: list[str]) -> dict[str, list[dict]]:
    if not ids or casualties.num_rows == 0:
        return {}
    keep = pc.is_in(_plain(casualties.column(Col.EVENT_ID)), value_set=pa.array(ids, pa.string()))
    out: dict[str, list[dict]] = {}
    for r in casualties.filter(keep).to_pylist():
        out.setdefault(r[Col.EVENT_ID], []).append(r)
    return out


def _raw_members(raw_events: pa.Table | None, raw_cas: pa.Table | None, ids: list[str]):
    if raw_events is None or not ids:
        return {}
    keep = pc.is_in(_plain(raw_events.column(Col.EVENT_ID)), value_set=pa.array(ids, pa.string()))
    rows = raw_events.filter(keep).to_pylist()
    sides = _sides_of(raw_cas, [r[Col.EVENT_ID] for r in rows]) if raw_cas is not None else {}
    return {r[Col.EVENT_ID]: (r, sides.get(r[Col.EVENT_ID], [])) for r in rows}


def _resolve_target(target: str, row_of_id: dict[str, int], verdicts: dict, seen=()) -> str | None:
    """Follow duplicate_of chains to the event that stays (None if there is none)."""
    for _ in range(MAX_CHAIN):
        if target not in row_of_id:
            return None
        nxt = verdicts.get(target, "")
        if not nxt.startswith("duplicate_of:"):
            return None if nxt == "not_event" else target
        target = nxt.split(":", 1)[1]
    return None


def apply_review(
    events: pa.Table,
    casualties: pa.Table,
    snap: Snapshot,
    raw_events: pa.Table | None = None,
    raw_casualties: pa.Table | None = None,
) -> Reviewed:
    """The reviewed events and casualties tables (EVENTS_SCHEMA, CASUALTIES_SCHEMA)."""
    if not snap.subjects:
        return Reviewed(events, casualties, {}, {}, {}, ())
    rows_at, orphans = attach(events, snap)
    # edits per current event: direct edits win over re-attached ones
    by_row: dict[int, list[str]] = {}
    for s, r in sorted(rows_at.items(), key=lambda kv: (kv[0] in _ids_at(events, kv[1]), kv[0])):
        by_row.setdefault(r, []).append(s)
    dup_targets: dict[int, str] = {}
    for s, r in rows_at.items():
        v = snap.verdicts.get(s, "")
        if v.startswith("duplicate_of:"):
            dup_targets[r] = v.split(":", 1)[1]
    target_ids = sorted(set(dup_targets.values()))
    more = _by_id_or_merged(events, target_ids)
    touched = sorted(set(by_row) | set(more.values()))
    table = events.take(pa.array(touched, pa.int64())).to_pylist()
    row = {touched[i]: r for i, r in enumerate(table)}
    id_at = {p: r[Col.EVENT_ID] for p, r in row.items()}
    sides = _sides_of(casualties, list(id_at.values()))
    # per touched row: merged overrides and verdict (direct edits last: they win)
    ov: dict[int, dict] = {}
    verdict: dict[int, str] = {}
    splits: dict[int, list[str]] = {}
    subjects_of: dict[int, list[str]] = {}
    for p, subs in by_row.items():
        for s in subs:
            splits.setdefault(p, []).extend(snap.splits.get(s, ()))
    raw = {}
    if splits and any(splits.values()):
        members = [m for p in splits for m in [id_at[p], *(row[p].get(Col.MERGED_FROM) or [])]]
        raw = _raw_members(raw_events, raw_casualties, members)
    new_rows: list[tuple[dict, list]] = []
    marks: dict[str, Mark] = {}
    for p, arts in splits.items():
        for a in dict.fromkeys(arts):
            rest, new, new_sides = _split(row[p], sides.get(id_at[p], []), a, raw)
            if new is None:
                continue
            row[p] = rest
            new_rows.append((new, new_sides))
            marks[new[Col.EVENT_ID]] = Mark("split", {}, tuple(by_row.get(p, ())))
    new_rows = [_with_overrides(n, s, snap, marks) for n, s in new_rows]
    split_ids = {n[Col.EVENT_ID] for n, _ in new_rows}  # their edits went with them
    for p, subs in by_row.items():
        for s in subs:
            if s in split_ids:
                continue
            if snap.overrides.get(s):
                ov.setdefault(p, {}).update(snap.overrides[s])
            if s in snap.verdicts:
                verdict[p] = snap.verdicts[s]
            subjects_of.setdefault(p, []).append(s)
    machine: dict[int, dict] = {}
    for p in touched:
        if p in ov:
            row[p], sides[id_at[p]], machine[p] = _apply_overrides(
                row[p], sides.get(id_at[p], []), ov[p]
            )
    row_of_id = dict(_ids_index(id_at, more))
    eff_verdicts = {id_at[p]: v for p, v in verdict.items()}
    dropped: dict[str, str] = {}
    problems: list[str] = []
    for p, v in verdict.items():
        if v == "not_event":
            dropped[id_at[p]] = v
        elif v.startswith("duplicate_of:"):
            tgt = _resolve_target(v.split(":", 1)[1], row_of_id, eff_verdicts)
            if tgt is None or tgt == id_at[p]:
                problems.append(f"{id_at[p]}: {v} names no event that stays; kept as it is")
                continue
            q = row_of_id[tgt]
            tid = id_at[q]
            arts = set(row[p].get(Col.ARTICLE_IDS) or [])
            if arts and arts <= set(splits.get(q, ())):  # split back out of the event
                marks[id_at[p]] = Mark("split", machine.get(p, {}), tuple(subjects_of.get(p, ())))
                continue
            row[q], sides[tid] = _merge_into(
                row[q], sides.get(tid, []), row[p], sides.get(id_at[p], [])
            )
            if q in ov:  # the target's own corrections still win
                row[q], sides[tid], _ = _apply_overrides(row[q], sides.get(tid, []), ov[q])
            dropped[id_at[p]] = f"duplicate_of:{tid}"
            prev = marks.get(tid)
            subs = (*(prev.subjects if prev else subjects_of.get(q, ())), *subjects_of[p])
            marks[tid] = Mark("merged", machine.get(q, {}), tuple(dict.fromkeys(subs)))
    for p in touched:
        eid = id_at[p]
        if eid in dropped or eid in marks and marks[eid].status in ("merged", "split"):
            continue
        if p in ov and machine.get(p):
            status = "corrected"
        elif verdict.get(p) == "confirmed" or p in ov:
            status = "confirmed"
        elif splits.get(p):
            status = "split"
        else:
            continue
        marks[eid] = Mark(status, machine.get(p, {}), tuple(subjects_of.get(p, ())))
    gone = frozenset(
        a
        for p in touched
        if dropped.get(id_at[p]) == "not_event"
        for a in row[p][Col.ARTICLE_IDS] or []
    )
    out_events, out_cas = _assemble(
        events, casualties, touched, row, sides, id_at, dropped, new_rows
    )
    attached = {s: events.column(Col.EVENT_ID)[r].as_py() for s, r in rows_at.items()}
    return Reviewed(out_events, out_cas, marks, dropped, attached, orphans, tuple(problems), gone)


def _ids_at(events: pa.Table, r: int) -> set[str]:
    return {events.column(Col.EVENT_ID)[r].as_py()}


def _by_id_or_merged(events: pa.Table, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    pos = pc.index_in(pa.array(ids, pa.string()), value_set=_plain(events.column(Col.EVENT_ID)))
    out = {i: p for i, p in zip(ids, pos.to_pylist(), strict=True) if p is not None}
    rest = {i: {i} for i in ids if i not in out}
    out.update(_by_list(events, Col.MERGED_FROM, rest))
    return out


def _ids_index(id_at: dict[int, str], more: dict[str, int]):
    for p, eid in id_at.items():
        yield eid, p
    yield from more.items()  # a duplicate's target by an absorbed id


def _with_overrides(new: dict, new_sides: list, snap: Snapshot, marks: dict):
    eid = new[Col.EVENT_ID]
    if eid in snap.overrides:
        new, new_sides, machine = _apply_overrides(new, new_sides, snap.overrides[eid])
        marks[eid] = Mark("corrected" if machine else "split", machine, (eid,))
    return new, new_sides


def _assemble(events, casualties, touched, row, sides, id_at, dropped, new_rows):
    n = events.num_rows
    changed = [row[p] for p in touched if id_at[p] not in dropped] + [r for r, _ in new_rows]
    keep = np.ones(n, dtype=bool)
    keep[touched] = False  # replaced by their reviewed rows (or dropped)
    base = _conform_plain(events)
    kept = base if keep.all() else base.filter(pa.array(keep))
    if changed:  # the reviewed rows go after the others (the views sort as they need)
        kept = pa.concat_tables([kept, pa.Table.from_pylist(changed, schema=EVENTS_SCHEMA)])
    out_events = kept.combine_chunks()  # one chunk: row takes (drill-down pages) stay cheap
    # casualties: the touched events' sides replaced
    touched_ids = list(id_at.values())
    cas = _conform_plain(casualties, CASUALTIES_SCHEMA)
    if cas.num_rows:
        drop = pc.is_in(
            _plain(cas.column(Col.EVENT_ID)), value_set=pa.array(touched_ids, pa.string())
        )
        cas = cas.filter(pc.invert(pc.fill_null(drop, False)))
    fresh = [
        {c: s.get(c) for c in CASUALTIES_SCHEMA.names} | {Col.EVENT_ID: eid}
        for eid in touched_ids
        if eid not in dropped
        for s in sides.get(eid, [])
    ]
    fresh += [
        {c: s.get(c) for c in CASUALTIES_SCHEMA.names} | {Col.EVENT_ID: r[Col.EVENT_ID]}
        for r, ss in new_rows
        for s in ss
    ]
    if fresh:
        cas = pa.concat_tables([cas, pa.Table.from_pylist(fresh, schema=CASUALTIES_SCHEMA)])
    return out_events, cas.combine_chunks()


def _conform_plain(t: pa.Table, schema: pa.Schema = EVENTS_SCHEMA) -> pa.Table:
    """`t` with dictionary-encoded columns decoded, in `schema`'s exact types."""
    cols = []
    for f in schema:
        if f.name in t.column_names:
            c = t.column(f.name)
            if pa.types.is_dictionary(c.type):
                c = c.cast(f.type)
            elif c.type != f.type:
                c = c.cast(f.type, safe=False)
            cols.append(c)
        else:
            cols.append(pa.nulls(t.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=schema)
