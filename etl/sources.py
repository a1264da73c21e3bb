"""Input stage: files and directories in, `Article` records out.

Every input becomes exactly one `Article`, whatever goes wrong with it: a file
that cannot be read, decoded or parsed becomes an article with status
`failed` and an error naming the problem; an empty one gets status `empty`.
Nothing is dropped silently.

Supported inputs:
- `NAME.txt`, optionally with a `NAME.meta.json` sidecar
  (`published`, `url`, `title`, `source`; all optional);
- `NAME.jsonl`: one record per line, `{"id", "text", "published"?, "url"?, "title"?, "source"?}`;
- `NAME.html`/`NAME.htm` pages and `.xml`/`.rss`/`.atom` feeds (etl.html_input);
- `http(s)://` URLs: RSS/Atom feeds, fetched (a fetch that fails is a failed article);
- a directory: every file of the types above below it, in name order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .schema import Article

TEXT_SUFFIXES = (".txt",)
RECORD_SUFFIXES = (".jsonl",)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
ALL_SUFFIXES = TEXT_SUFFIXES + RECORD_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES
META_SUFFIX = ".meta.json"
META_FIELDS = ("published", "url", "title", "source")


def is_url(source: str | Path) -> bool:
    return str(source).lower().startswith(("http://", "https://"))


def article_id(origin: str) -> str:
    """Stable id of an input: a hash of its origin (path or file#record)."""
    return hashlib.sha1(origin.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str, meta: dict) -> str:
    payload = text + "\x00" + json.dumps(meta, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes) -> str:
    """Bytes -> text, or ValueError saying why this is not a text article."""
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"invalid UTF-8 at byte {exc.start}: {data[exc.start : exc.start + 4]!r}"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def make_article(origin: str, text: str, meta: dict, *, error: str | None = None) -> Article:
    """An `ok` (or `empty`) article from text and metadata fields."""
    fields = {k: _clean_field(meta.get(k)) for k in META_FIELDS}
    status = "ok" if text.strip() else "empty"
    if status == "empty" and error is None:
        error = "no text"
    return Article(
        article_id=article_id(origin),
        origin=origin,
        text=text,
        url=fields["url"],
        title=fields["title"],
        source=fields["source"],
        meta_published=fields["published"],
        status=status,
        error=error,
        content_hash=content_hash(text, fields),
    )


def failed(origin: str, error: str) -> Article:
    return Article(article_id=article_id(origin), origin=origin, status="failed", error=error)


def _clean_field(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def read_sidecar(path: Path) -> tuple[dict, str | None]:
    """Metadata from NAME.meta.json beside NAME.txt: (fields, error or None)."""
    meta_path = path.with_name(path.stem + META_SUFFIX)
    if not meta_path.exists():
        return {}, None
    try:
        meta = json.loads(decode(meta_path.read_bytes()))
    except (ValueError, OSError) as exc:
        return {}, f"sidecar {meta_path.name} ignored: {exc}"
    if not isinstance(meta, dict):
        return {}, f"sidecar {meta_path.name} ignored: expected a JSON object"
    return meta, None


def read_text_file(path: Path, origin: str) -> Article:
    try:
        text = decode(path.read_bytes())
    except (ValueError, OSError) as exc:
        return failed(origin, str(exc))
    meta, error = read_sidecar(path)
    return make_article(origin, text, meta, error=error)


def read_jsonl_file(path: Path, origin: str) -> Iterator[Article]:
    """One article per record, streamed line by line (a large file is never held whole)."""
    try:
        f = path.open("rb")
    except OSError as exc:
        yield failed(origin, str(exc))
        return
    with f:
        if b"\x00" in f.read(4096):
            yield failed(origin, "binary file (contains NUL bytes), not a text article")
            return
        f.seek(0)
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield failed(f"{origin}#L{lineno}", f"invalid UTF-8 on line {lineno}: {exc.reason}")
                continue
            yield from _jsonl_record(line, lineno, origin)


def _jsonl_record(line: str, lineno: int, origin: str) -> Iterator[Article]:
    if not line.strip():
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield failed(f"{origin}#L{lineno}", f"malformed JSON on line {lineno}: {exc.msg}")
        return
    if not isinstance(record, dict):
        yield failed(f"{origin}#L{lineno}", f"line {lineno} is not a JSON object")
        return
    rid = _clean_field(record.get("id")) or f"L{lineno}"
    rec_origin = f"{origin}#{rid}"
    text = record.get("text")
    if not isinstance(text, str):
        yield failed(rec_origin, f"record on line {lineno} has no 'text' string")
        return
    yield make_article(rec_origin, text.replace("\r\n", "\n"), record)


def read_path(path: Path, origin: str) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield read_text_file(path, origin)
    elif suffix in RECORD_SUFFIXES:
        yield from read_jsonl_file(path, origin)
    elif suffix in HTML_SUFFIXES:
        from .html_input import read_html_file

        yield read_html_file(path, origin)
    elif suffix in FEED_SUFFIXES:
        from .html_input import read_feed_file

        yield from read_feed_file(path, origin)
    else:
        valid = ", ".join(ALL_SUFFIXES)
        yield failed(
            origin, f"unsupported input type {suffix or '(none)'!r}; expected one of {valid}"
        )


def is_input(path: Path) -> bool:
    return path.is_file() and (
        path.suffix.lower() in ALL_SUFFIXES and not path.name.endswith(META_SUFFIX)
    )


def discover(sources: Iterable[str | Path]) -> Iterator[tuple[Path | None, str]]:
    """(path, origin) for every input file; origin is relative to the source root.
    A URL comes out as (None, url)."""
    for source in sources:
        if is_url(source):
            yield None, str(source)
            continue
        root = Path(source)
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if is_input(p)):
                yield path, path.relative_to(root).as_posix()
        else:
            yield root, root.name


def read_sources(sources: Iterable[str | Path]) -> Iterator[Article]:
    """Every article from every source, in order, as read (copies of one content are
    told apart by the run's state, `etl.state.State.triage`, which keeps no origins)."""
    for path, origin in discover(sources):
        if path is None:
            from .html_input import read_feed_url

            yield from read_feed_url(origin)
        elif not path.exists():
            yield failed(origin, f"no such file or directory: {path}")
        else:
            yield from read_path(path, origin)
