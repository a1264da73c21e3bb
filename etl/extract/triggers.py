from __future__ import annotations

from functools import lru_cache

from .. import rules
from .tables import INCIDENT_WORD_AFTER, TRIGGERS


@lru_cache(maxsize=4096)
def first_triggers(text: str) -> tuple[tuple[int, int] | None, ...]:
    """Per TRIGGERS row, the (start, end) of its first match in text, or None."""
    return tuple((m.start(), m.end()) if (m := rx.search(text)) else None for rx, _, _ in TRIGGERS)


def best_trigger(text: str) -> tuple[str | None, int, int, int] | None:
    """The strongest incident word in text: (type, strength, start, end)."""
    best = None
    for (_, etype, strength), span in zip(TRIGGERS, first_triggers(text), strict=True):
        if span is None:
            continue
        if best is None or strength > best[1] or (strength == best[1] and span[0] < best[2]):
            best = (etype, strength, *span)
    return best


def has_incident_words(text: str) -> bool:
    """Cheap pre-check: does any word start like a trigger or casualty word? (Words: runs
    of a-z, 0-9 in the lower-cased text.)"""
    lower = text.lower()
    return (
        "f-16" in lower
        or "su-25" in lower
        or lower.startswith(rules.INCIDENT_STEMS)
        or INCIDENT_WORD_AFTER.search(lower) is not None
    )
