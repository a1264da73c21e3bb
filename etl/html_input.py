"""HTML pages and RSS/Atom feeds -> `Article` records.

- `NAME.html` / `NAME.htm`: main text via trafilatura (page furniture dropped), title
  and canonical URL from the page metadata, publication date via htmldate
  (original date preferred over last-modified). A `NAME.meta.json` sidecar, if
  present, overrides these fields.
- feeds (`.xml`, `.rss`, `.atom` files, or `http(s)://` URLs) via feedparser: every
  entry is one article (text = its content, else its summary, as plain text; its
  link, title and published date; source = the feed's title). An entry's origin is
  `FEED#ENTRY-ID`, so it keeps its article_id from one fetch of the feed to the next.
- a URL that cannot be fetched or parsed becomes one failed article naming the URL
  and the reason; the run goes on. A fetched feed larger than the feed limit
  (`SORTIE_MAX_FEED_BYTES`, etl.limits) is not read past the limit: a failed article
  says so. A feed the parser gave up on part-way (truncated, malformed) keeps the
  entries it read, each noting the parse error; with no entry it is a failed article
  naming the parse error.

The heavy libraries are imported on first use, so plain-text runs do not pay for them.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .limits import input_limit
from .records import failed, make_article, read_limited, read_sidecar, record_key
from .schema import Article

FETCH_TIMEOUT = 30  # seconds
USER_AGENT = "sortie-etl (+https://github.com/; news event extraction)"
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), one line per block."""
    if "<" not in fragment:
        return fragment.strip()
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _with_title(title: str | None, body: str) -> str:
    if title and body and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body


# --- HTML pages ---------------------------------------------------------------


def read_html(data: bytes, origin: str, sidecar: dict, sidecar_error: str | None) -> Article:
    import htmldate
    import trafilatura

    try:
        body = trafilatura.extract(
            data, output_format="txt", include_comments=False, include_tables=False
        )
        doc = trafilatura.extract_metadata(data)
        published = htmldate.find_date(data, original_date=True, outputformat="%Y-%m-%d")
    except Exception as exc:  # a page the parsers choke on is one failed article
        return failed(origin, f"cannot parse HTML: {type(exc).__name__}: {exc}")
    title = doc.title if doc else None
    meta = {
        "published": published,
        "url": doc.url if doc else None,
        "title": title,
        "source": doc.sitename if doc else None,
    }
    meta.update({k: v for k, v in sidecar.items() if v not in (None, "")})
    return make_article(
        origin, _with_title(meta.get("title"), body or ""), meta, error=sidecar_error
    )


def read_html_file(path: Path, origin: str) -> Article:
    try:
        data = read_limited(path)
    except (OSError, ValueError) as exc:
        return failed(origin, str(exc))
    sidecar, error = read_sidecar(path)
    return read_html(data, origin, sidecar, error)


# --- feeds --------------------------------------------------------------------


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday).isoformat()
            except (ValueError, TypeError, OverflowError):
                continue  # an impossible date in the feed: as if there were none
    return None


def read_feed(data: bytes, feed_origin: str) -> Iterator[Article]:
    import feedparser

    parsed = feedparser.parse(data)
    parse_error = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        parse_error = f"{type(exc).__name__}: {exc}"
    if not parsed.entries:
        if parse_error:
            yield failed(feed_origin, f"not a readable RSS/Atom feed: {parse_error}")
        elif not parsed.get("version"):
            yield failed(feed_origin, "not an RSS/Atom feed")
        else:
            yield make_article(feed_origin, "", {}, error="feed has no entries")
        return
    source = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, start=1):
        key = record_key(entry.get("id")) or record_key(entry.get("link")) or f"E{n}"
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        title = entry.get("title")
        meta = {
            "published": _entry_date(entry),
            "url": entry.get("link"),
            "title": title,
            "source": source,
        }
        note = f"feed parse error: {parse_error}" if parse_error else None
        text = _with_title(title, html_to_text(html if isinstance(html, str) else ""))
        yield make_article(f"{feed_origin}#{key}", text, meta, error=note)


def read_feed_file(path: Path, origin: str) -> Iterator[Article]:
    try:
        data = read_limited(path, "feed")
    except (OSError, ValueError) as exc:
        yield failed(origin, str(exc))
        return
    yield from read_feed(data, origin)


def fetch(url: str, timeout: float = FETCH_TIMEOUT, limit: int | None = None) -> bytes:
    """The body at `url`; ValueError if it is larger than `limit` bytes (default: the feed
    limit), read no further than that."""
    limit = input_limit("feed") if limit is None else limit
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data = response.read(limit + 1)
    if len(data) > limit:
        raise ValueError(
            f"feed larger than {limit:,} bytes (the feed limit, SORTIE_MAX_FEED_BYTES); not read"
        )
    return data


def read_feed_url(url: str) -> Iterator[Article]:
    try:
        data = fetch(url)
    except urllib.error.HTTPError as exc:
        yield failed(url, f"cannot fetch {url}: HTTP {exc.code} {exc.reason}")
        return
    except urllib.error.URLError as exc:
        yield failed(url, f"cannot fetch {url}: {exc.reason}")
        return
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        yield failed(url, f"cannot fetch {url}: {type(exc).__name__}: {exc}")
        return
    yield from read_feed(data, url)
