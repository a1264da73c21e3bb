"""Tense of the sentence around a date expression: past reporting looks back, the future forward.

Pure functions over the lower-cased text; the handlers in :mod:`.handlers` ask through
:class:`.handlers.Ctx`, which detects the tense once per expression and only when needed.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUTURE_WORDS = words("will shall would won't upcoming next")
# "is expected to", "set for", "plans to": future only with a present auxiliary or "to"/"for"
_FUTURE_PARTS = words("expected scheduled slated due set planned planning plans plan going")
_PRESENT_AUX = words("is are be being")
_PAST_AUX = words("was were had")
# a participle after these is passive or an adjective, not a past verb ("will remain closed")
_BE_FORMS = words("be been being is are remain remains stay stays")
_PAST_WORDS = words(
    "said says told announced reported stated added was were had did took came went began"
    " hit struck shot left saw fell fought blew met held"
)
_NOT_PAST_ED = words(
    "expected scheduled planned slated hundred united armed need indeed speed based related"
    " alleged detained wanted concerned interested advanced limited"
)
_TENSE_WORD_RX = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SENT_END_RX = re.compile(r"[.!?;:\n]\s|\n")
_AFTER_CUT_RX = re.compile(r"[.!?;:\n]|\b(?:that|which|who|when|where|while)\b")


def _tense_of(words: list[str], i: int) -> str | None:
    """Tense marked by words[i] (looking at its neighbours), or None."""
    w = words[i]
    prev = words[i - 1] if i else ""
    if w in _FUTURE_WORDS or w.endswith("'ll"):
        return "future"
    if w in _FUTURE_PARTS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if prev in _PAST_AUX:
            return "past"
        if prev in _PRESENT_AUX or nxt in ("to", "for"):
            return "future"
        return None
    if prev in _BE_FORMS:  # passive after be/is/been: "will be held", "are targeted"
        return None
    if w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST_ED):
        return "past"
    return None


def tense_marker(low: str, start: int, end: int) -> tuple[str | None, str | None]:
    """(tense, the word that marks it) from the nearest tense marker around [start, end).

    Looks back to the sentence start (at most ~80 chars) and forward to the next clause
    boundary (at most ~60 chars); the nearest marker before the expression decides,
    otherwise the nearest one after it.
    """
    before = low[max(0, start - 80) : start]
    cut = None
    for boundary in _SENT_END_RX.finditer(before):
        cut = boundary
    if cut is not None:
        before = before[cut.end() :]
    words = _TENSE_WORD_RX.findall(before)
    for i in range(len(words) - 1, -1, -1):
        t = _tense_of(words, i)
        if t is not None:
            return t, words[i]
    after = low[end : end + 60]
    c = _AFTER_CUT_RX.search(after)
    if c is not None:
        after = after[: c.start()]
    words = _TENSE_WORD_RX.findall(after)
    for i in range(len(words)):
        t = _tense_of(words, i)
        if t is not None:
            return t, words[i]
    return None, None


def detect_tense(low: str, start: int, end: int) -> str | None:
    """ "future" / "past" / None: see :func:`tense_marker`."""
    return tense_marker(low, start, end)[0]


# "until/till/through/by <date>" names the END of a span. It runs forward from publication
# when the sentence is future, has no tense marker (present: "the curfew remains in force
# until June", "has been extended through June"), or its past verb sets a measure that
# lasts from then on ("the ministry extended the ban until June"): those resolve like the
# future tense. Past narration ("clashes continued until June") still looks back.
FORWARD_PREPS = frozenset({"until", "till", "through", "by"})
MEASURE_VERBS = words(
    "extended imposed announced declared ordered renewed postponed delayed suspended banned"
    " closed approved decided agreed decreed issued introduced prolonged deferred"
)
