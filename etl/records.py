"""`Article` records from what a reader found: ids, hashes, decoding, sidecars.

Shared by `etl.sources` (files, directories) and `etl.html_input` (pages, feeds), so
neither imports the other's internals. Everything here returns a record or a
reason; a bad value never raises out of `make_article` or `failed`.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

from .limits import MAX_ID_CHARS, bound_text, input_limit, storable
from .schema import Article

META_SUFFIX = ".meta.json"
META_FIELDS = ("published", "url", "title", "source")
# byte-order marks -> codec, longest first (the UTF-32-LE mark starts with UTF-16-LE's)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def article_id(origin: str) -> str:
    """Stable id of an input: a hash of its origin (path or file#record)."""
    return hashlib.sha1(origin.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def content_hash(text: str, meta: dict) -> str:
    payload = text + "\x00" + json.dumps(meta, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def decode(data: bytes) -> str:
    """Bytes -> text, or ValueError saying why this is not a text article.

    UTF-8 (with or without a BOM); UTF-16 and UTF-32 by their BOM."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"invalid {codec.upper()} (by its byte-order mark) at byte "
                    f"{exc.start + len(bom)}"
                ) from None
            break
    else:
        if b"\x00" in data[:4096]:
            raise ValueError("binary file (contains NUL bytes), not a text article")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"invalid UTF-8 at byte {exc.start}: {data[exc.start : exc.start + 4]!r}"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_limited(path: Path, limit_name: str = "file") -> bytes:
    """A file's bytes, or ValueError if it is larger than the limit (etl.limits)."""
    limit = input_limit(limit_name)
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(
            f"{path.name} is larger than {limit:,} bytes (the {limit_name} limit, "
            f"set by {_limit_env(limit_name)}); not read"
        )
    return data


def _limit_env(name: str) -> str:
    from .limits import INPUT_LIMITS

    return INPUT_LIMITS[name][0]


def parse_json(text: str):
    """json.loads, with every way it can fail as a ValueError naming the problem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} at character {exc.pos}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer over 4,300 digits
        raise ValueError(f"unreadable JSON value: {exc}") from None


def printable_origin(origin: str) -> str:
    """An origin (a file name may hold undecodable bytes) as text that can be stored."""
    return origin.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def record_key(value) -> str | None:
    """A JSONL record's id as part of an origin: cleaned, bounded (a long id is cut and
    given its hash, so two long ids stay apart)."""
    key = clean_field(value)
    if key is None:
        return None
    key = storable(key)
    if len(key) > MAX_ID_CHARS:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        key = f"{key[: MAX_ID_CHARS - 13]}~{digest}"
    return key


def make_article(origin: str, text: str, meta: dict, *, error: str | None = None) -> Article:
    """An `ok` (or `empty`) article from text and metadata fields (text fields cut to
    their bounds, with a note in `error`)."""
    fields = {k: clean_field(meta.get(k)) for k in META_FIELDS}
    notes = [error] if error else []
    for name in ("title", "source", "url"):
        fields[name], note = bound_text(fields[name], name)
        if note:
            notes.append(note)
    if fields["published"] is not None and len(fields["published"]) > 100:
        notes.append("published value longer than 100 characters ignored")
        fields["published"] = None
    text = storable(text)
    status = "ok" if text.strip() else "empty"
    if status == "empty" and not notes:
        notes.append("no text")
    return Article(
        article_id=article_id(origin),
        origin=storable(origin),
        text=text,
        url=fields["url"],
        title=fields["title"],
        source=fields["source"],
        meta_published=fields["published"],
        status=status,
        error="; ".join(notes) or None,
        content_hash=content_hash(text, fields),
    )


def failed(origin: str, error: str) -> Article:
    return Article(
        article_id=article_id(origin),
        origin=storable(origin),
        status="failed",
        error=storable(error),
    )


def clean_field(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        return None  # a list or an object is not a title, a date or a link
    value = storable(str(value)).strip()
    return value or None


def read_sidecar(path: Path) -> tuple[dict, str | None]:
    """Metadata from NAME.meta.json beside NAME.txt: (fields, error or None)."""
    meta_path = path.with_name(path.stem + META_SUFFIX)
    try:
        if not meta_path.exists():
            return {}, None
        meta = parse_json(decode(read_limited(meta_path, "record")))
    except (ValueError, OSError) as exc:
        return {}, f"sidecar {printable_origin(meta_path.name)} ignored: {exc}"
    if not isinstance(meta, dict):
        return {}, f"sidecar {printable_origin(meta_path.name)} ignored: expected a JSON object"
    return meta, None
