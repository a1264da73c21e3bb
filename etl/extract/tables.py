from __future__ import annotations

import re

from .. import rules

TRIGGERS = tuple((re.compile(p, re.I), t, s) for p, t, s in rules.TRIGGERS)


WEAPONS = tuple((re.compile(p, re.I), w) for p, w in rules.WEAPONS)


ACTORS = tuple((re.compile(p), a) for p, a in rules.ACTORS)


ACTORS_I = tuple((re.compile(p, re.I), a) for p, a in rules.ACTORS)


COUNTRIES = tuple((re.compile(p), c) for p, c in rules.COUNTRY_WORDS)


QUALIFIERS = tuple((re.compile(rf"^(?:{p})$", re.I), k) for p, k in rules.NUMBER_QUALIFIERS)


CASE_SENSITIVE_ACTORS = ("ISIS",)  # "IS" must stay upper case


ACTOR_ROWS = tuple(
    (pattern if actor in CASE_SENSITIVE_ACTORS else pattern_i, actor)
    for (pattern, actor), (pattern_i, _) in zip(ACTORS, ACTORS_I, strict=True)
)


# The groups an article's "militants" may be, and how many table rows can claim their words
# (rows below the last of them never take text from them: earlier rows claim first).
ENEMY_GROUPS = ("ISIS", "PKK", "Iran-backed militias")


ENEMY_ROWS = 1 + max(i for i, (_, a) in enumerate(ACTOR_ROWS) if a in ENEMY_GROUPS)


# An incident stem at the start of a word that is not the first (a regex that opens with a
# character class runs much faster than one that opens with a look-behind).
INCIDENT_WORD_AFTER = re.compile(r"[^a-z0-9](?:" + "|".join(rules.INCIDENT_STEMS) + ")")
