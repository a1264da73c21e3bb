"""The review store: analysts' overrides, verdicts, users and the audit log, in SQLite.

`DATA/review.sqlite` (WAL mode) lives beside the ETL's versioned tables and is never
touched by an ETL run. Everything is derived from one append-only log: each row sets
one field of one event (a slot, `verdict` or `split:<article_id>`) from `before` to
`after` (JSON; SQL NULL = no override). The current value of a field is its latest
row; an undo appends a row that puts the earlier value back. Triggers refuse UPDATE
and DELETE on the log.

Each edited event has a row in `subjects`: its version (optimistic locking: a write
names the version it was based on and fails with `ConflictError` if another editor
wrote since) and its anchor (article ids, evidence and machine values when first
edited), which re-attaches the edits when a later ETL run gives the event a new id.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.review.slots import (
    RANGES,
    ROLES,
    SLOTS,
    USER_NAME,
    ConflictError,
    ReviewError,
    check_event_id,
    check_note,
    check_ranges,
    side_totals,
    validate,
)

FILENAME = "review.sqlite"
VERDICT = "verdict"
SPLIT = "split:"
MAX_PASSWORD = 256

# ordered; each runs once, in one transaction, and bumps schema_version
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
            created TEXT NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE subjects (
            event_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            article_ids TEXT NOT NULL,
            evidence TEXT NOT NULL,
            machine TEXT NOT NULL,
            first_edited TEXT NOT NULL
        );
        CREATE TABLE log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            field TEXT NOT NULL,
            before TEXT,
            after TEXT,
            note TEXT NOT NULL DEFAULT '',
            undoes INTEGER
        );
        CREATE INDEX log_by_field ON log (event_id, field, id);
        CREATE TRIGGER log_no_update BEFORE UPDATE ON log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER log_no_delete BEFORE DELETE ON log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    ),
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


@dataclass(frozen=True)
class LogEntry:
    id: int
    event_id: str
    version: int
    at: str
    user: str
    field: str
    before: object
    after: object
    had_before: bool  # False: there was no override before
    has_after: bool  # False: the override was removed
    note: str
    undoes: int | None


@dataclass(frozen=True)
class Anchor:
    """Where an edited event was when first edited: re-attaches edits after a re-run."""

    article_ids: tuple[str, ...]
    evidence: str
    machine: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Snapshot:
    """Everything the reviewed view needs, read in one go."""

    overrides: dict[str, dict[str, object]]  # event id -> slot -> value
    verdicts: dict[str, str]  # event id -> "confirmed" | "not_event" | "duplicate_of:E"
    splits: dict[str, tuple[str, ...]]  # event id -> article ids split out of it
    anchors: dict[str, Anchor]
    versions: dict[str, int]
    counter: int  # id of the latest log row (0: empty): changes whenever anything does

    @property
    def subjects(self) -> set[str]:
        return set(self.overrides) | set(self.verdicts) | set(self.splits)

    @classmethod
    def empty(cls) -> Snapshot:
        return cls({}, {}, {}, {}, {}, 0)


def _dump(v) -> str:
    return json.dumps(v, sort_keys=True)


class ReviewStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con:
            con.execute("PRAGMA journal_mode=WAL")
            self._migrate(con)

    @classmethod
    def of(cls, data_dir: str | Path) -> ReviewStore:
        """The store of a data directory (opened, and migrated, once per process)."""
        return _opened(str(Path(data_dir).resolve() / FILENAME))

    # --- connection and migrations ----------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA busy_timeout=15000")
        return con

    @contextmanager
    def _tx(self):
        """One write transaction (BEGIN IMMEDIATE: writers queue, versions stay exact)."""
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            known = MIGRATIONS[-1][0]
            if current > known:
                raise ReviewError(
                    f"{self.path} has schema version {current}; this Sortie knows up to {known}"
                )
            for version, sql in MIGRATIONS:
                if version > current:
                    for statement in _statements(sql):
                        con.execute(statement)
                    con.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with closing(self._connect()) as con:
            return con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    # --- settings and users -----------------------------------------------------------

    def secret_key(self) -> str:
        """The Flask session key: made once, kept here (every worker shares it)."""
        with self._tx() as con:
            row = con.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()
            if row:
                return row[0]
            key = secrets.token_hex(32)
            con.execute("INSERT INTO settings VALUES ('secret_key', ?)", (key,))
            return key

    def add_user(self, name: str, password: str, role: str = "viewer") -> User:
        if not isinstance(name, str) or not USER_NAME.match(name):
            raise ReviewError(f"user name {name!r:.60} is not valid: 1-64 of A-Z a-z 0-9 _ . @ -")
        if role not in ROLES:
            raise ReviewError(f"role={role!r} is not one of: {', '.join(ROLES)}")
        if not password or len(password) < 8 or len(password) > MAX_PASSWORD:
            raise ReviewError(f"the password must be 8 to {MAX_PASSWORD} characters long")
        with self._tx() as con:
            con.execute(
                "INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                "role = excluded.role",
                (name, generate_password_hash(password), role, now()),
            )
        return User(name, role)

    def user(self, name: str) -> User | None:
        with closing(self._connect()) as con:
            row = con.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
        return User(*row) if row else None

    def authenticate(self, name: str, password: str) -> User | None:
        if not name or not password or len(password) > MAX_PASSWORD:
            return None
        with closing(self._connect()) as con:
            row = con.execute(
                "SELECT name, role, password_hash FROM users WHERE name = ?", (name,)
            ).fetchone()
        if row is None or not check_password_hash(row[2], password):
            return None
        return User(row[0], row[1])

    def users(self) -> list[User]:
        with closing(self._connect()) as con:
            return [User(*r) for r in con.execute("SELECT name, role FROM users ORDER BY name")]

    # --- edits ----------------------------------------------------------------------

    def version(self, event_id: str) -> int:
        with closing(self._connect()) as con:
            row = con.execute(
                "SELECT version FROM subjects WHERE event_id = ?", (event_id,)
            ).fetchone()
        return row[0] if row else 0

    def edit(
        self,
        event_id: str,
        changes: dict[str, object],
        *,
        user: User,
        expected_version: int,
        anchor: Anchor,
        note: str = "",
    ) -> int:
        """Set slots of one event (None sets the slot to "not stated"; a best count
        given without its low/high sets them to it too;
        `remove_override(slot)` goes back to the machine value); returns the event's new
        version. Only changed values are logged."""
        clean = {f: v if v is _REMOVE else validate(f, v) for f, v in changes.items()}
        for lo, best, hi in RANGES:  # a corrected figure alone is a point: low = high = it
            if best in clean and lo not in clean and hi not in clean and clean[best] is not _REMOVE:
                clean[lo] = clean[hi] = clean[best]
        return self._write(event_id, clean, user, expected_version, anchor, note)

    def set_verdict(
        self,
        event_id: str,
        verdict: str,
        *,
        user: User,
        expected_version: int,
        anchor: Anchor,
        other: str | None = None,
        note: str = "",
    ) -> int:
        """confirmed, not_event, duplicate_of (other = the event it duplicates) or split
        (other = the article id to split out of this event)."""
        from dashboard.review.slots import VERDICTS

        if verdict not in VERDICTS:
            raise ReviewError(f"verdict={verdict!r} is not one of: {', '.join(VERDICTS)}")
        if verdict == "split":
            if not isinstance(other, str) or other not in anchor.article_ids:
                raise ReviewError(
                    f"article={other!r:.60} is not one of the event's articles: "
                    f"{', '.join(anchor.article_ids)}"
                )
            if len(anchor.article_ids) < 2:
                raise ReviewError(f"event {event_id} has one article; nothing to split out")
            return self._write(
                event_id, {SPLIT + other: True}, user, expected_version, anchor, note
            )
        if verdict == "duplicate_of":
            check_event_id(other, "duplicate_of")
            if other == event_id:
                raise ReviewError(f"event {event_id} cannot be a duplicate of itself")
            value = f"duplicate_of:{other}"
        else:
            value = verdict
        return self._write(event_id, {VERDICT: value}, user, expected_version, anchor, note)

    def clear_verdict(self, event_id, *, user, expected_version, anchor, note="") -> int:
        return self._write(event_id, {VERDICT: None}, user, expected_version, anchor, note)

    def _write(self, event_id, values, user, expected_version, anchor, note, undoes=None) -> int:
        check_event_id(event_id)
        note = check_note(note)
        if not isinstance(user, User) or not user.can_edit:
            raise ReviewError(f"user {getattr(user, 'name', user)!r} may not edit (role viewer)")
        with self._tx() as con:
            row = con.execute(
                "SELECT version FROM subjects WHERE event_id = ?", (event_id,)
            ).fetchone()
            current = row[0] if row else 0
            if current != expected_version:
                last = con.execute(
                    "SELECT user, at FROM log WHERE event_id = ? ORDER BY id DESC LIMIT 1",
                    (event_id,),
                ).fetchone()
                who = f" by {last[0]} at {last[1]}" if last else ""
                raise ConflictError(
                    f"event {event_id} was changed{who} (version {current}, you edited "
                    f"version {expected_version}); reload it and apply your change again"
                )
            present = dict(self._current(con, event_id))
            if any(f in SLOTS for f in values):
                merged = {**anchor.machine, **present}
                for f, v in values.items():
                    merged[f] = anchor.machine.get(f) if v is _REMOVE else v
                sides = merged.get("casualties")
                if isinstance(sides, list) and ("casualties" in present or "casualties" in values):
                    for c, v in side_totals(sides).items():  # as the view derives them
                        if c not in present and c not in values:
                            merged[c] = v
                check_ranges(merged, f"event {event_id}")
            # values: field -> new JSON-able value; _REMOVE = drop the override
            rows = []
            for f, v in values.items():
                has_after = v is not _REMOVE and not (f == VERDICT and v is None)
                had_before = f in present
                before = present.get(f)
                if has_after == had_before and (not has_after or before == v):
                    continue  # no change
                rows.append((f, before, had_before, v if has_after else None, has_after))
            if not rows:
                return current
            version = current + 1
            if row is None:
                con.execute(
                    "INSERT INTO subjects VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        event_id,
                        version,
                        _dump(list(anchor.article_ids)),
                        anchor.evidence or "",
                        _dump(anchor.machine),
                        now(),
                    ),
                )
            else:
                con.execute(
                    "UPDATE subjects SET version = ? WHERE event_id = ?", (version, event_id)
                )
            at = now()
            for f, before, had_before, after, has_after in rows:
                con.execute(
                    "INSERT INTO log (event_id, version, at, user, field, before, after, note, "
                    "undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        event_id,
                        version,
                        at,
                        user.name,
                        f,
                        _dump(before) if had_before else None,
                        _dump(after) if has_after else None,
                        note,
                        undoes,
                    ),
                )
            return version

    @staticmethod
    def _current(con, event_id: str) -> Iterable[tuple[str, object]]:
        """(field, value) of the event's live overrides."""
        rows = con.execute(
            "SELECT field, after FROM log WHERE id IN "
            "(SELECT MAX(id) FROM log WHERE event_id = ? GROUP BY field)",
            (event_id,),
        )
        for f, after in rows:
            if after is not None:
                yield f, json.loads(after)

    def undo(self, event_id: str, version: int, *, user: User, expected_version: int, note=""):
        """Put back what change `version` of the event replaced (appends to the log)."""
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT field, before FROM log WHERE event_id = ? AND version = ? ORDER BY id",
                (event_id, version),
            ).fetchall()
            sub = con.execute(
                "SELECT article_ids, evidence, machine FROM subjects WHERE event_id = ?",
                (event_id,),
            ).fetchone()
        if not rows or sub is None:
            raise ReviewError(f"event {event_id} has no change with version {version}")
        anchor = Anchor(tuple(json.loads(sub[0])), sub[1], json.loads(sub[2]))
        values = {f: (json.loads(b) if b is not None else _REMOVE) for f, b in rows}
        first = self._first_id(event_id, version)
        return self._write(event_id, values, user, expected_version, anchor, note, undoes=first)

    def _first_id(self, event_id: str, version: int) -> int:
        with closing(self._connect()) as con:
            return con.execute(
                "SELECT MIN(id) FROM log WHERE event_id = ? AND version = ?", (event_id, version)
            ).fetchone()[0]

    # --- reading --------------------------------------------------------------------------

    def log(self, event_id: str | None = None, limit: int = 1000) -> list[LogEntry]:
        sql = "SELECT id, event_id, version, at, user, field, before, after, note, undoes FROM log"
        args: tuple = ()
        if event_id is not None:
            sql += " WHERE event_id = ?"
            args = (event_id,)
        sql += " ORDER BY id DESC LIMIT ?"
        with closing(self._connect()) as con:
            rows = con.execute(sql, (*args, int(limit))).fetchall()
        return [
            LogEntry(
                id=r[0],
                event_id=r[1],
                version=r[2],
                at=r[3],
                user=r[4],
                field=r[5],
                before=json.loads(r[6]) if r[6] is not None else None,
                after=json.loads(r[7]) if r[7] is not None else None,
                had_before=r[6] is not None,
                has_after=r[7] is not None,
                note=r[8],
                undoes=r[9],
            )
            for r in rows
        ]

    def counter(self) -> int:
        with closing(self._connect()) as con:
            return con.execute("SELECT COALESCE(MAX(id), 0) FROM log").fetchone()[0]

    def snapshot(self) -> Snapshot:
        with closing(self._connect()) as con:
            con.execute("BEGIN")  # one consistent read
            live = con.execute(
                "SELECT event_id, field, after FROM log WHERE id IN "
                "(SELECT MAX(id) FROM log GROUP BY event_id, field)"
            ).fetchall()
            subjects = con.execute(
                "SELECT event_id, version, article_ids, evidence, machine FROM subjects"
            ).fetchall()
            counter = con.execute("SELECT COALESCE(MAX(id), 0) FROM log").fetchone()[0]
            con.execute("COMMIT")
        overrides: dict[str, dict] = {}
        verdicts: dict[str, str] = {}
        splits: dict[str, list] = {}
        for eid, f, after in live:
            if after is None:
                continue
            v = json.loads(after)
            if f == VERDICT:
                if v:
                    verdicts[eid] = v
            elif f.startswith(SPLIT):
                if v:
                    splits.setdefault(eid, []).append(f[len(SPLIT) :])
            else:
                overrides.setdefault(eid, {})[f] = v
        anchors = {s[0]: Anchor(tuple(json.loads(s[2])), s[3], json.loads(s[4])) for s in subjects}
        return Snapshot(
            overrides=overrides,
            verdicts=verdicts,
            splits={k: tuple(sorted(v)) for k, v in splits.items()},
            anchors=anchors,
            versions={s[0]: s[1] for s in subjects},
            counter=counter,
        )


@lru_cache(maxsize=16)
def _opened(path: str) -> ReviewStore:
    return ReviewStore(path)


class _Remove:
    def __repr__(self) -> str:
        return "<remove override>"


_REMOVE = _Remove()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner `;`)."""
    out, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def remove_override(field_name: str) -> dict:
    """A `changes` entry for ReviewStore.edit that drops the override of one slot."""
    return {field_name: _REMOVE}
