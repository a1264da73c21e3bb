from __future__ import annotations

import re

from .. import rules
from ..geo import Match
from ..rules import NAME_OK_BEFORE
from .records import Cluster, Context, first


def _not_a_place(text: str, place: Match) -> bool:
    """A government ('called on Baghdad to act') or part of a name (see _inside_name)."""
    if rules.METONYMY_BEFORE.search(text[: place.start]) or rules.METONYMY_AFTER.match(
        text[place.end :]
    ):
        return True
    return _inside_name(text, place)


def _inside_name(text: str, place: Match) -> bool:
    """'Kirkuk Operations Command' still places the event there, but 'Kurdistan 24',
    'Al-Iraqiya TV' and 'Saad Khalil Qasim' (a person) do not."""
    if re.match(r"\s*(?:24|TV|News|Agency|Media)\b", text[place.end :]):
        return True
    if rules.PERSON_AFTER.match(text[place.end :]):
        return True
    before = re.search(r"([A-Z][\w'’-]*)\s+$", text[: place.start])
    if not before or place.place.is_admin1 or before.group(1).endswith(("'s", "’s")):
        return False
    return before.group(1).lower() not in NAME_OK_BEFORE


def place_of(c: Cluster, ctx: Context) -> tuple[Match | None, str | None]:
    """(most precise place, governorate)."""
    places = [p for m in c.body() for p in m.places] or [p for m in c.mentions for p in m.places]
    if not places:
        return None, None
    named = [p.place.admin1 for p in places if p.place.is_admin1]
    best = min(
        places, key=lambda p: (p.place.geo_precision, len(p.place.candidates) > 1, places.index(p))
    )
    admin1 = best.place.admin1
    if admin1 is None:  # a range or disputed area: the governorate the text names
        cands = best.place.candidates
        admin1 = first(a for a in named + list(ctx.admin_mentions) if a in cands) or cands[0]
    elif (
        named
        and admin1 not in named
        and best.place.is_admin1 is False
        and len(best.place.candidates) > 1
    ):
        admin1 = named[0]
    return best, admin1
