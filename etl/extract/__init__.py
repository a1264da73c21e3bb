"""Extraction stage: one article's cleaned text -> the incidents it reports.

The stage is an ordered pipeline of small pure steps, one module each (`STEPS` below):

1. `sentences`: blocks -> sentences (body, headline or caption);
2. `mentions`: each sentence (split where "two days after the bombing" introduces a
   second incident) -> a `Mention` with trigger, type, roles (`roles`), casualties and
   strikes (`counts`), weapon, places (`places`), dates (`timing`) and cue flags (`realis`);
3. `cluster`: mentions of the same incident -> one cluster (body first; headlines and
   captions only support a cluster, never start one);
4. `anchor`: dates relative to another incident resolved through it;
5. `to_events`: clusters -> `Event` records, with aggregates flagged and
   non-incidents (threats, history, habits, vague mentions) left out.

All knowledge lives in `etl.rules` (patterns), `etl.geo` (gazetteer) and
`etl.dates` (date expressions).
"""

from __future__ import annotations

from ..clean import Block
from ..geo import Gazetteer
from ..pubdate import PubDate
from ..schema import Event
from .clustering import cluster
from .events import to_events
from .mentions import mentions
from .records import Context
from .sentences import sentences
from .timing import anchor
from .triggers import has_incident_words

__all__ = ["MAX_CHARS", "STEPS", "extract", "within_budget"]


# The stage's steps in order: (name, step). Each step takes the previous one's output and
# the article's `Context`.
def _anchored(clusters, ctx):
    anchor(clusters)
    return clusters


STEPS = (
    ("sentences", lambda blocks, ctx: sentences(blocks)),
    ("mentions", mentions),
    ("cluster", lambda ms, ctx: cluster(ms)),
    ("anchor", _anchored),
    ("events", to_events),
)


# Events are read from an article's first MAX_CHARS characters (the longest real news
# articles are a few tens of thousands): a hostile or mis-split 1 MB "article" costs about a
# second, not minutes, and the pipeline notes the cut on the article.
MAX_CHARS = 100_000


def within_budget(blocks: list[Block], limit: int = MAX_CHARS) -> list[Block]:
    """The leading blocks that fit in `limit` characters (a longer first block is cut)."""
    out, used = [], 0
    for b in blocks:
        if used + len(b.text) > limit:
            if not out:
                out.append(Block(b.text[:limit], b.kind))
            break
        out.append(b)
        used += len(b.text) + 1
    return out


def extract(
    blocks: list[Block], pub: PubDate, article_id: str, gazetteer: Gazetteer | None = None
) -> list[Event]:
    """Every incident the article reports, as events (aggregates flagged)."""
    blocks = within_budget(blocks)
    text = "\n".join(b.text for b in blocks)
    if not has_incident_words(text):  # (a line break starts a word, as a block start does)
        return []
    ctx = Context(
        pub=pub,
        gazetteer=gazetteer or Gazetteer.default(),
        text=text,
        article_id=article_id,
        headline="\n".join(b.text for b in blocks if b.kind == "headline"),
    )
    out = blocks
    for _, step in STEPS:
        out = step(out, ctx)
    return out
