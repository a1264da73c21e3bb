"""Cleaning stage: raw scraped text -> blocks of body text, headlines and captions.

Page furniture (ads, "Source link", comment forms, share prompts, "Read also",
page clocks, bylines) is dropped. Photo captions and headlines are kept but
marked: they may support an event the body reports, never create one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Whole lines that are page furniture (matched against the stripped line).
FURNITURE = tuple(
    re.compile(p, re.I)
    for p in (
        r"^(ad\s*)+(a\s*b)?$",
        r"^ad( ad)*$",
        r"^source link$",
        r"^leave a (comment|reply)$",
        r"^your email address will not be published",
        r"required fields are marked",
        r"^do you like this article\??$",
        r"^\d+\s*comment\(s\)$",
        r"^comment policy",
        r"^\*?\s*(your )?comments?:?$",
        r"^read (also|more)\b",
        r"^click here\b",
        r"^follow us\b",
        r"^share (this|on)\b",
        r"^(related|recommended)( articles?| stories| news)?:?$",
        r"^home\s*/",
        r"^category:",
        r"^news id:",
        r"^tags?:",
        r"^(updated|published|publish date|last updated)\b.{0,40}\d",
        r"^date:\s*\d",
        r"\b\d+\s*min(ute)?s? read$",
        r"^this is an updated story\.?$",
        r"^issued by\b",
        r"^by [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}( in [A-Z]\w+)?$",
        r"^subscribe\b",
        r"^advertisement$",
        r"^\W+$",
    )
)

# A line that is only a date (a page clock or dateline), with optional weekday and time.
DATE_ONLY = re.compile(
    r"^[•·\-\s]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?"
    r"(?:\d{1,2}[\s/.-]*[A-Za-z]{3,9}\.?[\s/.-]*\d{4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[\sT,-]*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]\.?M\.?)?(?:\+\d{4})?)?[\s•·]*.{0,25}$",
    re.I,
)

# A line that is only a dateline: the filing city, a date and an agency tag, maybe the date
# again ("Mosul, Mar 4 (AFP)", "BASRA, 12 June 2023 (Reuters)"). Where it was filed, not
# where anything happened, so it places nothing.
DATELINE_ONLY = re.compile(
    r"^[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3},?\s+"
    r"(?:[A-Za-z]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Za-z]{3,9}\.?)(?:,?\s*\d{4})?,?\s*"
    r"\([A-Za-z .-]{2,24}\)"
    r"(?:\s*(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s*\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}))?\s*$"
)

# Lines that are photo captions or credits.
CAPTION = tuple(
    re.compile(p, re.I)
    for p in (
        r"\bphoto(graph)?s?\s*(:|by\b|courtesy\b)",
        r"\[(photo|getty|afp|reuters|ap)[^\]]*\]",
        r"\((reuters|afp|ap|getty( images)?|al[- ]jazeera|file photo|archive)\)\s*$",
        r"^(screengrab|screenshot|image|file photo)\b",
        r"\b(getty|afp|reuters) images?\b",
    )
)

# Patterns not anchored at the line start -> the lower-case text each cannot match without.
# A line is searched for such a pattern only if it holds that text: `in` on the lower-cased
# line is much faster than a case-insensitive search through it.
ANYWHERE_NEEDS = {
    r"required fields are marked": "marked",
    r"\b\d+\s*min(ute)?s? read$": "read",
    r"\bphoto(graph)?s?\s*(:|by\b|courtesy\b)": "photo",
    r"\[(photo|getty|afp|reuters|ap)[^\]]*\]": "[",
    r"\((reuters|afp|ap|getty( images)?|al[- ]jazeera|file photo|archive)\)\s*$": "(",
    r"\b(getty|afp|reuters) images?\b": "image",
}
# Lower-casing turns every character that matches an ASCII letter case-insensitively into
# that letter, except these: a line with one is searched whatever it holds.
_FOLDS_APART = re.compile("[\u0130\u0131\u017f]")  # İ ı ſ

_LOWER_START = re.compile(r"^[a-z]")

# Datelines and outlet tags in front of a story's first sentence ("ERBIL (Kurdistan 24) –",
# "DUBAI, UAE -", "Kirkuk (IraqiNews.com)", "Shafaq News/"): where it was filed, not where
# anything happened.
DATELINE_PREFIX = re.compile(
    r"^(?:[A-Z]{3,}(?:[ ,]+[A-Z]{2,})*"
    r"(?:,\s*[A-Z][a-z]+\.?(?: [A-Z][a-z]+\.?)?(?=,\s*[A-Z][a-z]{2,8}\.?\s+\d))?"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s*\d{4})?,?)?"
    r"(?:,\s*[A-Z][A-Za-z ]{1,30}?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:[—–-]+|:)\s*"
    r"|[A-Z][a-z]+\s*\([^)]{0,40}\.(?:com|net|org)[^)]{0,20}\)\s*"
    r"|[A-Z][A-Za-z ]{2,30}/\s+)"
)


@dataclass(frozen=True)
class Block:
    """One paragraph of cleaned text. kind: body | headline | caption."""

    text: str
    kind: str


@dataclass(frozen=True)
class _Patterns:
    """One table of line patterns, arranged to be tried fast."""

    first: re.Pattern  # the patterns anchored at the line start, joined: tried only there
    anywhere: tuple[tuple[str, re.Pattern], ...]  # (text needed, pattern) for the others

    @classmethod
    def of(cls, patterns: tuple[re.Pattern, ...]) -> _Patterns:
        anchored = [p.pattern[1:] for p in patterns if p.pattern.startswith("^")]
        first = re.compile("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")", re.I)
        anywhere = tuple(
            (ANYWHERE_NEEDS[p.pattern], p) for p in patterns if not p.pattern.startswith("^")
        )
        return cls(first, anywhere)

    def matches(self, line: str, lower: str, folds_apart: bool) -> bool:
        if self.first.match(line):
            return True
        for needs, pattern in self.anywhere:
            if (folds_apart or needs in lower) and pattern.search(line):
                return True
        return False


_FURNITURE = _Patterns.of(FURNITURE)
_CAPTION = _Patterns.of(CAPTION)


def classify(line: str, index: int) -> str | None:
    """The kind of a stripped line, or None when it is furniture."""
    if not line:
        return None
    lower, folds_apart = line.lower(), _FOLDS_APART.search(line) is not None
    if (
        _FURNITURE.matches(line, lower, folds_apart)
        or DATE_ONLY.match(line)
        or DATELINE_ONLY.match(line)
    ):
        return None
    if _CAPTION.matches(line, lower, folds_apart):
        return "caption"
    words = line.split()
    ends_like_sentence = line.rstrip("”\"’' ").endswith((".", "!", "?", ":"))
    if not ends_like_sentence and len(words) <= 20 and not _LOWER_START.match(line):
        return "headline"
    return "body"


def clean(text: str) -> list[Block]:
    """Blocks of text with furniture removed and repeated paragraphs dropped."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for index, raw in enumerate(text.split("\n")):
        if not raw or raw.isspace():  # (blank: nothing to classify)
            continue
        line = " ".join(html.unescape(raw).split())  # "&amp;", "&#8211;" from scraped pages
        kind = classify(line, index)
        if kind is None:
            continue
        body = DATELINE_PREFIX.sub("", line)
        if body != line:  # without its dateline the line may be something else
            line, kind = body, classify(body, index)
            if kind is None:
                continue
        key = line.lower()
        if key in seen:
            continue
        seen.add(key)
        blocks.append(Block(line, kind))
    return blocks
