"""`sortie-review export-gold --data DATA > reviewed.jsonl` and the users command
(`sortie-dashboard users add NAME --role editor --data DIR`, also `sortie-review users`)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard.review.slots import ROLES, ReviewError


def _users_parser(prog: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog=prog, description="Manage who may sign in to edit.")
    sub = ap.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a user (or reset their password and role)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="viewer")
    add.add_argument("--data", default="data", help="the data directory (review.sqlite)")
    add.add_argument("--password", help="for scripts; otherwise asked for twice")
    ls = sub.add_parser("list", help="list the users and their roles")
    ls.add_argument("--data", default="data")
    return ap


def users_main(argv=None, prog: str = "sortie-dashboard users") -> int:
    from dashboard.review.store import ReviewStore

    args = _users_parser(prog).parse_args(argv)
    store = ReviewStore.of(Path(args.data))
    if args.action == "list":
        for u in store.users():
            print(f"{u.name}\t{u.role}")
        return 0
    password = args.password
    if password is None:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return 2
    try:
        user = store.add_user(args.name, password, args.role)
    except ReviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {user.name} ({user.role}) saved in {store.path}", file=sys.stderr)
    return 0


def export_gold(data_dir: Path, out) -> int:
    """Write the gold lines of the reviewed events; returns how many."""
    from dashboard.data import load_dataset
    from dashboard.review.gold import write_gold
    from dashboard.review.load import reviewed
    from etl.schema import ARTICLES_SCHEMA
    from etl.store import read_parts

    ds = reviewed(load_dataset(data_dir))
    rev = getattr(ds, "review", None)
    if rev is None:
        return 0
    articles = read_parts(Path(data_dir) / "articles.parquet", ARTICLES_SCHEMA)
    return write_gold(rev, articles, out)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["users"]:
        return users_main(argv[1:], "sortie-review users")
    ap = argparse.ArgumentParser(prog="sortie-review", description="Analyst review tools.")
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("export-gold", help="reviewed events as gold JSONL on stdout")
    g.add_argument("--data", default="data")
    sub.add_parser("users", help="manage users (see: sortie-review users -h)")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not (data / "review.sqlite").exists():
        print(f"error: {data / 'review.sqlite'} does not exist: nothing reviewed", file=sys.stderr)
        return 2
    n = export_gold(data, sys.stdout)
    print(f"sortie-review: {n} article(s) with reviewed events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
