"""``python -m etl.dates --published YYYY-MM-DD``: resolve the dates in stdin, JSON lines out."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from . import resolve


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {value!r}: expected YYYY-MM-DD, e.g. 2024-06-25"
        ) from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m etl.dates",
        description="Find and resolve the date expressions in the text on stdin; "
        "print one JSON object per expression.",
    )
    ap.add_argument("--published", type=_iso_date, help="publication date, YYYY-MM-DD")
    ap.add_argument(
        "--published-end",
        type=_iso_date,
        help="latest possible publication date when it is only bounded (needs --published)",
    )
    ap.add_argument(
        "--month-first", action="store_true", help="read 12/08/2019 as December 8 (US order)"
    )
    args = ap.parse_args(argv)
    if args.published_end is not None and args.published is None:
        ap.error("argument --published-end: needs --published")
    published: date | tuple[date, date] | None = args.published
    if args.published_end is not None:
        published = (args.published, args.published_end)
    text = sys.stdin.read()
    out = sys.stdout
    for e in resolve(text, published, day_first=not args.month_first):
        row = {
            "start_char": e.start_char,
            "end_char": e.end_char,
            "text": e.text,
            "start": e.start.isoformat() if e.start else None,
            "end": e.end.isoformat() if e.end else None,
            "precision": e.precision,
            "mod": e.mod,
            "anchor": e.anchor,
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
