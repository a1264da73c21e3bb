from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import rules
from ..rules import POSSESSIVE_OF
from .tables import ACTOR_ROWS, ENEMY_GROUPS, ENEMY_ROWS

BASED = re.compile(r"-based\b", re.I)

if TYPE_CHECKING:
    from .records import Context


@lru_cache(maxsize=4096)
def find_actors(text: str, enemy: str | None = None) -> tuple[tuple[int, int, str], ...]:
    """(start, end, actor) spans, first table row wins, leftmost-longest, no overlaps;
    with `enemy`, "militants", "terrorists" not inside a named actor stand for it."""
    taken = owned_forces(text, sorted(claim_actors(text, len(ACTOR_ROWS))))
    taken = [x for x in taken if not BASED.match(text, x[1])]  # "a US-based group": a place
    if enemy:
        used = bytearray(len(text))
        for s, e, _ in taken:
            used[s:e] = b"\x01" * (e - s)
        for m in rules.GENERIC_ENEMY.finditer(text):
            if not any(used[m.start() : m.end()]):
                taken.append((m.start(), m.end(), enemy))
    return tuple(sorted(taken))


@lru_cache(maxsize=4096)
def claim_actors(text: str, rows: int) -> tuple[tuple[int, int, str], ...]:
    """The spans the first `rows` rows of the actor table claim, in table order (an earlier
    row's match wins over an overlapping later one)."""
    taken: list[tuple[int, int, str]] = []
    used = bytearray(len(text))  # characters an earlier span holds (linear in the text)
    for rx, actor in ACTOR_ROWS[:rows]:
        for m in rx.finditer(text):
            s, e = m.span()
            if not any(used[s:e]):
                taken.append((s, e, actor))
                used[s:e] = b"\x01" * (e - s)
    return tuple(taken)


def article_actors(text: str, ctx: Context) -> tuple[tuple[int, int, str], ...]:
    """find_actors with "militants", "terrorists" standing for the article's enemy (worked
    out only for text that has such a word: elsewhere it changes nothing)."""
    return find_actors(text, ctx.enemy if rules.GENERIC_ENEMY.search(text) else None)


def victim_actor(who: str, sentence: str, at: int, ctx: Context, target: str | None) -> str | None:
    """The side a casualty phrase's words name ("ISIS elements", "of its members")."""
    if POSSESSIVE_OF.match(who):  # "three of its personnel": the subject named before
        before = find_actors(sentence[:at])
        return before[-1][2] if before else target
    found = article_actors(who, ctx)
    return found[0][2] if found else target


def article_enemy(text: str) -> str:
    found = [a for _, _, a in sorted(claim_actors(text, ENEMY_ROWS)) if a in ENEMY_GROUPS]
    return max(found, key=found.count) if found else "Unknown"


def owned_forces(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'US troops', 'Turkish soldiers': a force noun right after another side's name is that
    side's (one span), not a second actor."""
    out: list[tuple[int, int, str]] = []
    for s, e, a in spans:
        if out:
            ps, pe, pa = out[-1]
            gap = text[pe:s]
            if (
                pa != a
                and a == "Iraqi Security Forces"
                and pa not in ("Civilians", "Unknown")
                and len(gap) <= 2
                and not gap.strip(" -")
                and rules.GENERIC_FORCE_NOUN.fullmatch(text[s:e])
            ):
                out[-1] = (ps, e, pa)
                continue
        out.append((s, e, a))
    return out
