"""Gazetteer: place names in text -> governorate, district, coordinates.

Data (all shipped in `etl/data/`, sources and licences in `etl/data/SOURCES.md`):
- `admin1_aliases.csv`: spellings of governorate names;
- `place_aliases.csv`: news spellings of towns, ranges and landmarks;
- `places_iq_sy.csv`: OCHA districts/sub-districts and GeoNames places;
- `places_curated.csv`: places hand-added by Sortie.

Matching works on word n-grams: every run of up to six words that contains a
capitalised word is looked up in one dictionary of normalised names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
MAX_WORDS = 6
# Place names that are also ordinary English words or too short to trust.
STOP_NAMES = frozenset(
    [
        "hit",
        "ana",
        "said",
        "bay",
        "wana",
        "hero",
        "sur",
        "ras",
        "ain",
        "al",
        "the",
        "and",
        "north",
        "south",
        "east",
        "west",
        "central",
        "border",
        "camp",
        "city",
        "town",
        "village",
        "district",
        "province",
        "governorate",
        "island",
        "mountain",
        "mountains",
        "square",
        "area",
        "region",
        "valley",
        "desert",
        "river",
        "lake",
        "airport",
        "base",
        "field",
        "oil",
        "road",
        "bridge",
        "market",
        "new",
        "old",
        "upper",
        "lower",
        "great",
        "little",
    ]
)
WORD = re.compile(r"[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’]*(?:-[\w\u00C0-\u024F'’]+)*")
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|ash|an|az|at|the)[\s-]+", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)


def normalise(name: str) -> str:
    """Compare names loosely: case, hyphens, apostrophes and a leading al-/the dropped."""
    key = name.lower().replace("’", "'").replace("‘", "'").replace("'", "")
    key = re.sub(r"[\s\-]+", " ", key).strip()
    return _ARTICLE.sub("", key)


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    admin1: str | None  # None when ambiguous between `candidates`
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 4  # ACLED scale: 1 point, 2 sub-district, 3 district, 4 governorate
    candidates: tuple[str, ...] = ()
    is_admin1: bool = False


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    place: Place


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


class Gazetteer:
    def __init__(self, entries: dict[str, Place]):
        self.entries = entries
        self._firsts: frozenset[str] | None = None
        self._cache: dict[str, tuple[Match, ...]] = {}

    @classmethod
    @cache
    def default(cls) -> Gazetteer:
        return cls.load(DATA)

    @classmethod
    def load(cls, folder: Path) -> Gazetteer:
        entries: dict[str, Place] = {}

        def add(alias: str, place: Place, override: bool = False) -> None:
            key = normalise(alias)
            if not key or key in STOP_NAMES or len(key) < (3 if override else 4):
                return
            if override or key not in entries:
                entries[key] = place

        centroids = {}
        with open(folder / "places_iq_sy.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["kind"] == "adm1_area":
                    centroids[(row["country"], row["admin1"])] = row
                    continue
                place = Place(
                    name=row["name"],
                    country=row["country"],
                    admin1=row["admin1"] or None,
                    admin2=row["admin2"] or None,
                    latitude=_float(row["lat"]),
                    longitude=_float(row["lon"]),
                    geo_precision=int(row["geo_precision"] or 4),
                    candidates=(row["admin1"],) if row["admin1"] else (),
                )
                for alias in [row["name"], *row["alt_names"].split("|")]:
                    if alias and alias.isascii():
                        add(alias, place)
        for name in ("place_aliases.csv", "places_curated.csv"):
            path = folder / name
            if not path.exists():
                continue
            with open(path, encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    candidates = tuple(c for c in row["admin1_candidates"].split("|") if c)
                    place = Place(
                        name=row["alias"],
                        country=row["country"],
                        admin1=row["admin1"] if len(candidates) <= 1 else None,
                        admin2=row["admin2"] or None,
                        latitude=_float(row["lat"]),
                        longitude=_float(row["lon"]),
                        geo_precision=int(row["geo_precision"] or 1),
                        candidates=candidates or ((row["admin1"],) if row["admin1"] else ()),
                    )
                    add(row["alias"], place, override=True)
        with open(folder / "admin1_aliases.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                centroid = centroids.get((row["country"], row["admin1"]), {})
                place = Place(
                    name=row["admin1"],
                    country=row["country"],
                    admin1=row["admin1"],
                    latitude=_float(centroid.get("lat", "")),
                    longitude=_float(centroid.get("lon", "")),
                    geo_precision=4,
                    candidates=(row["admin1"],),
                    is_admin1=True,
                )
                if row["alias"].isascii():
                    add(row["alias"], place, override=True)
        return cls(entries)

    @property
    def first_tokens(self) -> frozenset[str]:
        """The first word of every name: positions starting with any other word are skipped."""
        if self._firsts is None:
            self._firsts = frozenset(key.split(" ", 1)[0] for key in self.entries)
        return self._firsts

    def find(self, text: str) -> tuple[Match, ...]:
        """Non-overlapping place mentions, longest first, in text order (memoised: the
        extractor asks about the same sentence several times)."""
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) > 20000:
                self._cache.clear()
            found = self._cache[text] = tuple(self._find(text))
        return found

    def _find(self, text: str) -> list[Match]:
        words = list(WORD.finditer(text))
        tokens = [_tokens(w.group()) for w in words]
        firsts = self.first_tokens
        found: list[Match] = []
        i = 0
        while i < len(words):
            lead = tokens[i][0]
            if lead not in firsts and lead not in ARTICLES:  # no name starts here (fast path)
                i += 1
                continue
            hit = self._match_at(text, words, tokens, i, firsts)
            if hit:
                found.append(hit[0])
                i = hit[1]
            else:
                i += 1
        return found

    def _match_at(self, text, words, tokens, i, firsts):
        lead = tokens[i]
        article_word = len(lead) == 1 and lead[0] in ARTICLES
        content = words[i + 1] if article_word and i + 1 < len(words) else words[i]
        content_tokens = tokens[i + 1] if article_word and i + 1 < len(words) else lead
        first = (
            content_tokens[1]
            if (content_tokens[0] in ARTICLES and len(content_tokens) > 1)
            else content_tokens[0]
        )
        if first not in firsts or not _ARTICLE.sub("", content.group())[:1].isupper():
            return None
        for j in range(min(len(words), i + MAX_WORDS), i, -1):
            flat = [t for ts in tokens[i:j] for t in ts]
            if flat[0] in ARTICLES and len(flat) > 1:
                flat = flat[1:]
            place = self.entries.get(" ".join(flat))
            if place:
                start = content.start() if article_word and lead[0] == "the" else words[i].start()
                end = words[j - 1].end()
                return Match(start, end, text[start:end], place), j
        return None


POSSESSIVE = re.compile(r"['’]s$")
ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "ash", "an", "az", "at", "the"})


@lru_cache(maxsize=65536)
def _tokens(word: str) -> list[str]:
    """'Al-Sharqat' -> ['al', 'sharqat'], "Sinjar’s" -> ['sinjar'] (a possessive is the
    place's own name; other apostrophes go, as `normalise` drops them)."""
    w = POSSESSIVE.sub("", word.lower())  # "Anbar's Hit district": Anbar
    w = w.replace("’", "").replace("‘", "").replace("'", "")
    return [t for t in w.split("-") if t]
