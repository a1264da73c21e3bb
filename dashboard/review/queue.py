"""The review queue's pure parts: which events come first, duplicate candidates, and the
evidence with its date words and counts marked.

Everything here reads a (reviewed) `Dataset` and returns plain values; the page
(`dashboard/review/page.py`) turns them into components.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.data import NODATE, P0, P1, Dataset
from etl.rules import NUMBER
from etl.schema import Col

# Event types reports of one incident may carry ("*" goes with any): the duplicate
# candidates shown side by side share a family.
FAMILY = {
    "airstrike": "air",
    "shelling": "air",
    "armed_clash": "ground",
    "attack": "ground",
    "bombing": "ground",
    "ground_operation": "*",
}
COUNT = re.compile(rf"(?<![\w-]){NUMBER}", re.I)
MAX_CANDIDATES = 4


def queue_order(ds: Dataset, mask: np.ndarray) -> np.ndarray:
    """Row positions under `mask`: unreviewed first, then least confident, newest first."""
    conf, reviewed, anchor = _order_keys(ds)
    pos = np.flatnonzero(mask)
    keys = (-anchor[pos], conf[pos], reviewed[pos])  # lexsort: last key is primary
    return pos[np.lexsort(keys)]


@lru_cache(maxsize=2)
def _order_keys(ds: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(ds.frame)
    conf = ds.events.column(Col.CONFIDENCE)
    conf = pc.fill_null(pc.cast(conf, pa.float64()), 0.0).to_numpy(zero_copy_only=False)
    if len(conf) != n:
        conf = np.zeros(n)
    reviewed = np.zeros(n, dtype=np.int8)
    marks = getattr(getattr(ds, "review", None), "marks", None)
    if marks:
        hit = pc.is_in(ds.event_ids, value_set=pa.array(list(marks), pa.string()))
        reviewed = pc.fill_null(hit, False).to_numpy(zero_copy_only=False).astype(np.int8)
    from dashboard.data import ANCHOR

    anchor = ds.frame[ANCHOR].to_numpy()
    anchor = np.where(anchor == NODATE, np.iinfo(np.int64).min // 8, anchor)
    return conf, reviewed, anchor


def position_of(ds: Dataset, event_id: str | None) -> int | None:
    if not event_id:
        return None
    p = pc.index(ds.event_ids, event_id).as_py()
    return p if p is not None and p >= 0 else None


def duplicate_candidates(ds: Dataset, pos: int, k: int = MAX_CANDIDATES) -> list[int]:
    """Events that could be the same incident as row `pos`: same type family (a
    ground operation goes with any), overlapping date windows, same governorate."""
    f = ds.frame
    types = f[Col.EVENT_TYPE]
    cats = list(types.cat.categories)
    codes = types.cat.codes.to_numpy()
    mine = codes[pos]
    if mine < 0:
        return []
    fam = np.array([FAMILY.get(c, c) for c in cats] + ["?"])
    my_fam = fam[mine]
    fam_ok = (fam[codes] == my_fam) | (fam[codes] == "*") | (my_fam == "*")
    adm = f[Col.ADMIN1].cat.codes.to_numpy()
    p0, p1 = f[P0].to_numpy(), f[P1].to_numpy()
    if adm[pos] < 0 or p0[pos] == NODATE:
        return []
    ok = fam_ok & (adm == adm[pos]) & (p0 != NODATE) & (p0 <= p1[pos] + 1) & (p1 >= p0[pos] - 1)
    ok[pos] = False
    hits = np.flatnonzero(ok)
    if len(hits) > k:  # closest in time first
        gap = np.abs((p0[hits] + p1[hits]) - (p0[pos] + p1[pos]))
        hits = hits[np.argsort(gap, kind="stable")[:k]]
    return [int(h) for h in hits]


def highlight(text: str, pub: date | None, date_text: str | None = None) -> list[tuple[str, str]]:
    """`text` as [(kind, piece)]: kind "" for plain text, "date" for a date expression,
    "count" for a number. Nothing is interpreted as markup: the pieces are text."""
    spans: list[tuple[int, int, str]] = []
    if pub is not None:
        try:
            from etl.dates import resolve

            spans += [(t.start_char, t.end_char, "date") for t in resolve(text, pub)]
        except Exception:  # highlighting must never fail a page
            spans = []
    if date_text:
        i = text.find(date_text)
        if i >= 0:
            spans.append((i, i + len(date_text), "date"))
    for m in COUNT.finditer(text):
        if m.group().strip():
            spans.append((m.start(), m.end(), "count"))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, at = [], 0
    for a, b, kind in spans:
        if a < at:
            continue  # overlaps an earlier, longer mark
        if a > at:
            out.append(("", text[at:a]))
        out.append((kind, text[a:b]))
        at = b
    if at < len(text):
        out.append(("", text[at:]))
    return out


@lru_cache(maxsize=2)
def _articles(data_dir: str, key) -> dict[str, dict]:
    import pyarrow.parquet as pq

    from etl.store import parts

    path = f"{data_dir}/articles.parquet"
    cols = [Col.ARTICLE_ID, Col.TITLE, Col.URL, Col.SOURCE, Col.PUB_DATE]
    try:
        tables = [pq.read_table(p, columns=cols) for p in parts(path)]
    except (OSError, pa.ArrowException):
        return {}
    out = {}
    for t in tables:
        for r in t.to_pylist():
            out[r[Col.ARTICLE_ID]] = r
    return out


def articles_of(ds: Dataset, article_ids) -> list[dict]:
    """Title, URL, outlet and publication date of each article (as far as known)."""
    if ds.data_dir is None:
        return [{Col.ARTICLE_ID: a} for a in article_ids]
    known = _articles(str(ds.data_dir), ds.key)
    return [known.get(a, {Col.ARTICLE_ID: a}) for a in article_ids]
