from __future__ import annotations

import re

from .. import role_rules, rules
from ..clean import Block
from ..rules import ABBREVIATIONS, SENTENCE_END
from .triggers import best_trigger


def split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        words = text[start : m.start()].rstrip("\"”’')]").rsplit(None, 1)
        last = words[-1].rstrip(".").lower() if words else ""
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def split_incidents(sentence: str) -> list[str]:
    """'X happened in A on Sunday, while a bomb wounded Y in B on Monday' -> two parts,
    when each part names an incident of its own."""
    parts = rules.INCIDENT_JOIN.split(sentence)
    if len(parts) < 2:
        return [sentence]
    strong = [
        p for p in parts if ((t := best_trigger(p)) and t[1] >= 1) or rules.CASUALTY_HINT.search(p)
    ]
    return parts if len(strong) == len(parts) else [sentence]


# The comma that ends a response clause: not one that goes on with its own incident
# (", including the attack on ...", ", such as ...").
RESPONSE_END = re.compile(r", (?!including\b|such as\b|notably\b|especially\b|among them\b)")


def split_response(sentence: str) -> list[str]:
    """'In response to attacks by X, Y struck Z' -> ['Y struck Z', 'In response to attacks by
    X']: the attack responded to is another incident, told in its own part (after the main
    one), so its attacker is not lent to the response."""
    m = role_rules.RESPONSE_TO.search(sentence)
    if m is None:
        return [sentence]
    if m.start() <= 3:  # the response clause opens the sentence: up to its comma
        comma = sentence.find(", ", m.end())
        if comma < 0:
            return [sentence]
        main, response = sentence[comma + 2 :], sentence[:comma]
    else:  # mid-sentence: the response clause runs to the next comma that ends it
        end = RESPONSE_END.search(sentence, m.end())
        stop = end.start() if end else len(sentence)
        comma = stop
        main = (sentence[: m.start()].rstrip(" ,") + " " + sentence[stop + 2 :]).strip()
        response = sentence[m.start() : stop]
    if len(main.split()) < 3 or len(response.split()) < 3:
        return [sentence]
    return [main, response]


def sentences(blocks: list[Block]) -> list[tuple[str, str]]:
    return [
        (b.kind, piece)
        for b in blocks
        for s in split_sentences(b.text)
        for part in split_incidents(s)
        for piece in split_response(part)
    ]
