"""Input stage: files and directories in, `Article` records out.

Every input becomes exactly one `Article`, whatever goes wrong with it: a file
that cannot be read, decoded or parsed becomes an article with status
`failed` and an error naming the problem; an empty one gets status `empty`.
Nothing is dropped silently, and nothing a file holds can stop the run: a reader
that raises anyway gives a `failed` row naming the input and the exception.

Supported inputs:
- `NAME.txt`, optionally with a `NAME.meta.json` sidecar
  (`published`, `url`, `title`, `source`; all optional);
- `NAME.jsonl`: one record per line, `{"id", "text", "published"?, "url"?, "title"?, "source"?}`;
  a second record with an id already seen in the file is a `duplicate` naming the first;
- `NAME.html`/`NAME.htm` pages and `.xml`/`.rss`/`.atom` feeds (etl.html_input);
- `http(s)://` URLs: RSS/Atom feeds, fetched (a fetch that fails is a failed article);
- a directory: every file of the types above below it, in name order. Symbolic links
  are followed only to files inside the source root; a link that leaves the root,
  a dangling link, a link loop, a link to a directory or an unreadable directory
  each get a `failed` row saying so.

Sizes are bounded (etl.limits): a file over the file limit, a JSONL line over the
record limit, a fetched feed over the feed limit is a `failed` row saying which limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import html_input
from .limits import input_limit
from .records import (
    META_SUFFIX,
    article_id,
    clean_field,
    content_hash,
    decode,
    failed,
    make_article,
    parse_json,
    printable_origin,
    read_limited,
    read_sidecar,
    record_key,
)
from .schema import Article

TEXT_SUFFIXES = (".txt",)
RECORD_SUFFIXES = (".jsonl",)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
ALL_SUFFIXES = TEXT_SUFFIXES + RECORD_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES

__all__ = [  # the record helpers, for callers that took them from here
    "article_id",
    "content_hash",
    "decode",
    "failed",
    "make_article",
    "read_sidecar",
    "read_sources",
]


def is_url(source: str | Path) -> bool:
    return str(source).lower().startswith(("http://", "https://"))


def read_text_file(path: Path, origin: str) -> Article:
    try:
        text = decode(read_limited(path))
    except (ValueError, OSError) as exc:
        return failed(origin, str(exc))
    meta, error = read_sidecar(path)
    return make_article(origin, text, meta, error=error)


def read_jsonl_file(path: Path, origin: str) -> Iterator[Article]:
    """One article per record, streamed line by line (a large file is never held whole).
    A file without any record is one `empty` article saying so."""
    try:
        f = path.open("rb")
    except OSError as exc:
        yield failed(origin, str(exc))
        return
    limit = input_limit("record")
    seen: dict[str, int] = {}  # record id -> line it was first seen on
    records = 0
    with f:
        head = f.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield failed(origin, "UTF-16/UTF-32 JSONL is not supported; save it as UTF-8")
            return
        if b"\x00" in head:
            yield failed(origin, "binary file (contains NUL bytes), not a text article")
            return
        f.seek(0)
        lineno = 0
        while raw := f.readline(limit + 1):
            lineno += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip the rest of the line, a MB at a time
                records += 1
                yield failed(
                    f"{origin}#L{lineno}",
                    f"line {lineno} is longer than {limit:,} bytes (the record limit, "
                    "SORTIE_MAX_RECORD_BYTES); not read",
                )
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                records += 1
                yield failed(f"{origin}#L{lineno}", f"invalid UTF-8 on line {lineno}: {exc.reason}")
                continue
            for art in _jsonl_record(line, lineno, origin, seen):
                records += 1
                yield art
    if not records:
        what = "no lines" if lineno == 0 else f"{lineno} blank line(s)"
        yield make_article(origin, "", {}, error=f"no records ({what})")


def _jsonl_record(line: str, lineno: int, origin: str, seen: dict[str, int]) -> Iterator[Article]:
    if not line.strip():
        return
    try:
        record = parse_json(line)
    except ValueError as exc:
        yield failed(f"{origin}#L{lineno}", f"malformed JSON on line {lineno}: {exc}")
        return
    if not isinstance(record, dict):
        yield failed(f"{origin}#L{lineno}", f"line {lineno} is not a JSON object")
        return
    rid = record_key(record.get("id")) or f"L{lineno}"
    rec_origin = f"{origin}#{rid}"
    text = record.get("text")
    if rid in seen:
        first = seen[rid]
        fields = {k: clean_field(record.get(k)) for k in ("published", "url", "title", "source")}
        yield Article(
            article_id=article_id(f"{rec_origin}~L{lineno}"),
            origin=f"{rec_origin}~L{lineno}",
            status="duplicate",
            error=f"id {rid!r} on line {lineno} was already used on line {first} "
            f"({rec_origin}); this record is not read",
            content_hash=content_hash(text if isinstance(text, str) else "", fields),
        )
        return
    seen[rid] = lineno
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
        yield html_input.read_html_file(path, origin)
    elif suffix in FEED_SUFFIXES:
        yield from html_input.read_feed_file(path, origin)
    else:
        valid = ", ".join(ALL_SUFFIXES)
        yield failed(
            origin, f"unsupported input type {suffix or '(none)'!r}; expected one of {valid}"
        )


def is_input_name(name: str) -> bool:
    return Path(name).suffix.lower() in ALL_SUFFIXES and not name.endswith(META_SUFFIX)


# --- walking a source -----------------------------------------------------------
# discover() yields (path, origin, problem): problem None means "read path"; otherwise
# the input gets a failed row with that message (path is then None).


def _link_problem(path: Path, root: Path) -> tuple[Path | None, str | None]:
    """(resolved target, None) for a link to a file inside `root`, else (None, why)."""
    target_text = printable_origin(os.readlink(path))
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return None, f"symlink loop ({target_text}); not followed"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, f"symlink loop ({target_text}); not followed"
        return None, f"dangling symlink to {target_text}: the target does not exist"
    if not target.is_relative_to(root):
        return None, (
            f"symlink to {target_text} points outside the source root {root}; not followed"
        )
    if target.is_dir():
        return None, f"symlink to a directory ({target_text}); not followed"
    return target, None


def _folder_or_loop(path: Path) -> bool:
    """Does a link lead to a directory, or loop? (A link to a file of another type, or a
    dangling one, is ignored as files of other types are.)"""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    except RuntimeError:
        return True


def _walk(root: Path, directory: Path) -> Iterator[tuple[Path | None, str, str | None]]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        rel = directory.relative_to(root).as_posix()
        reason = exc.strerror or type(exc).__name__
        yield None, printable_origin(rel + "/"), f"cannot read directory {rel}/: {reason}"
        return
    for entry in entries:
        path = Path(entry.path)
        origin = printable_origin(path.relative_to(root).as_posix())
        try:
            if entry.is_symlink():
                target, problem = _link_problem(path, root)
                if is_input_name(entry.name) or _folder_or_loop(path):
                    # the checked target is read, not the link (which could change)
                    yield target, origin, problem
            elif entry.is_dir():
                yield from _walk(root, path)
            elif entry.is_file() and is_input_name(entry.name):
                yield path, origin, None
        except OSError as exc:
            yield None, origin, f"cannot read {origin}: {exc.strerror or exc}"


def discover(sources: Iterable[str | Path]) -> Iterator[tuple[Path | None, str, str | None]]:
    """(path, origin, problem) for every input; origin is relative to the source root.
    A URL comes out as (None, url, None)."""
    for source in sources:
        if is_url(source):
            yield None, str(source), None
            continue
        root = Path(source)
        if root.is_dir():
            yield from _walk(root.resolve(), root.resolve())
        else:
            yield root, printable_origin(root.name), None


def _guarded(origin: str, articles: Iterable[Article]) -> Iterator[Article]:
    """The articles of one input; an exception from its reader becomes a failed row."""
    try:
        yield from articles
    except Exception as exc:  # a reader bug must cost one input, not the run
        yield failed(origin, f"cannot read {origin}: {type(exc).__name__}: {exc}")


def _read_one(path: Path | None, origin: str) -> Iterator[Article]:
    if path is None:
        yield from html_input.read_feed_url(origin)
    elif not (path.exists() or path.is_symlink()):
        yield failed(origin, f"no such file or directory: {printable_origin(str(path))}")
    else:
        yield from read_path(path, origin)


def read_sources(sources: Iterable[str | Path]) -> Iterator[Article]:
    """Every article from every source, in order, as read (copies of one content are
    told apart by the run's state, `etl.state.State.triage`, which keeps no origins)."""
    for source in sources:
        try:
            for path, origin, problem in discover([source]):
                if problem is not None:
                    yield failed(origin, problem)
                elif path is not None and _undecodable(path):
                    yield failed(origin, f"file name {origin!r} is not valid UTF-8; rename it")
                else:
                    yield from _guarded(origin, _read_one(path, origin))
        except Exception as exc:  # walking the source itself failed: one row for it
            name = printable_origin(str(source))
            yield failed(name, f"cannot read {name}: {type(exc).__name__}: {exc}")


def _undecodable(path: Path) -> bool:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
