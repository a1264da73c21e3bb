from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .. import dates
from ..geo import Gazetteer, Match
from ..pubdate import PubDate
from .actors import article_enemy


@dataclass(frozen=True)
class Count:
    best: int
    low: int
    high: int | None

    def contains(self, other: Count) -> bool:
        return self.low <= other.best and (self.high is None or other.best <= self.high)

    def compatible(self, other: Count) -> bool:
        return self.contains(other) or other.contains(self)


@dataclass
class Mention:
    index: int  # sentence number
    kind: str  # body | headline | caption
    text: str
    etype: str | None
    strength: int
    trigger_at: int = 0
    trigger_text: str = ""
    actor1: str | None = None
    actor2: str | None = None
    killed: dict[str, Count] = field(default_factory=dict)
    wounded: dict[str, Count] = field(default_factory=dict)
    strikes: Count | None = None
    one_strike: bool = False
    combined: bool = False  # its toll covers several incidents ("in two bomb attacks")
    ordinal: bool = False  # tells one of several in turn ("the second bomb")
    vague_strikes: bool = False  # "dozens of strikes": a claim, with no number
    vague: bool = False  # says nothing of when, where or how many: an incident only with others
    weapon: str | None = None
    places: list[Match] = field(default_factory=list)
    country: str | None = None
    time: dates.TimeExpr | None = None
    announced: bool = False
    recently: bool = False
    anaphoric: bool = False
    earlier: bool = False
    new_incident: bool = False
    link_text: str | None = None
    aggregate: bool = False
    link: tuple[int, tuple[int, int]] | None = (
        None  # (id of the mention it is dated from, days after it)
    )

    @property
    def support(self) -> bool:
        return self.kind != "body"

    @property
    def casualty_only(self) -> bool:
        return self.strength < 0


@dataclass
class Cluster:
    mentions: list[Mention]
    derived: Window | None = None  # dated through another incident

    def body(self) -> list[Mention]:
        return [m for m in self.mentions if not m.support] or self.mentions


@dataclass(frozen=True)
class Context:
    """What every step may know about the article. The article-wide facts are worked out
    on first use: most articles that get this far report no incident and never need them."""

    pub: PubDate
    gazetteer: Gazetteer
    text: str  # the article's cleaned text
    article_id: str = ""
    headline: str = ""  # the headline blocks' text

    @cached_property
    def article_admin1(self) -> str | None:
        """The governorate the article is about, for an incident its clauses do not place:
        the headline's, else the one governorate every place in the text lies in."""
        for text in (self.headline, self.text):
            found = {
                m.place.admin1 for m in self.gazetteer.find(text) if m.place.admin1 is not None
            }
            if len(found) == 1:
                return found.pop()
            if found:
                return None
        return None

    @cached_property
    def enemy(self) -> str:
        """Whom "militants"/"terrorists" means in this article."""
        return article_enemy(self.text)

    @cached_property
    def air_owner(self) -> str | None:
        """Whose aircraft the article talks of (see `roles.air_owner`)."""
        from .roles import air_owner  # (roles reads Context: imported on first use)

        return air_owner(self)

    @cached_property
    def blamed(self) -> str | None:
        """The side the article blames for its incidents (see `roles.blamed`)."""
        from .roles import blamed

        return blamed(self)

    @cached_property
    def admin_mentions(self) -> tuple[str, ...]:
        """Governorates named anywhere, in order."""
        return tuple(m.place.admin1 for m in self.gazetteer.find(self.text) if m.place.is_admin1)


@dataclass(frozen=True)
class Window:
    """When an incident happened: the interval the text allows and the best single day."""

    start: date
    end: date
    precision: str
    text: str
    point: date
    anchor: str = "publication"


def make_window(start: date, end: date, precision: str, text: str, anchor: str) -> Window:
    point = start if precision == "day" else start + (end - start) // 2
    return Window(start, end, precision, text, point, anchor)


def first(values):
    return next((v for v in values if v is not None), None)


def vote(values):
    values = [v for v in values if v is not None]
    return max(values, key=values.count) if values else None
