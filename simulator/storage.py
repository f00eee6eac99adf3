"""Saved sessions: every answered turn is committed before the next line shows.

SQLite in WAL mode with ``synchronous=FULL``: a committed turn survives a killed process or
a power cut, so ``play --resume`` continues exactly where the call stopped. The database
lives in the per-user data directory (platformdirs) unless ``RETENTION_SIM_DATA`` or an
explicit path says otherwise.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import platformdirs

# 2 added sessions.played_by (who answered: the trainee, a --script or an --auto policy).
SCHEMA_VERSION = 2
PLAYED_BY = ("trainee", "script", "auto")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id TEXT NOT NULL,
    scenario_path TEXT NOT NULL,
    trainee TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    variant TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    ending TEXT,
    score INTEGER,
    state TEXT NOT NULL,
    played_by TEXT NOT NULL DEFAULT 'trainee'
);
CREATE INDEX IF NOT EXISTS sessions_open ON sessions (finished, updated_at);
"""
_COLUMNS = ("id, scenario_id, scenario_path, trainee, language, variant, started_at, updated_at, finished, ending,"
            " score, state, played_by")


class StorageError(Exception):
    """Sessions cannot be read or written; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One saved session."""

    id: int
    scenario_id: str
    scenario_path: str
    trainee: str
    language: str
    variant: str | None
    started_at: str
    updated_at: str
    finished: bool
    ending: str | None
    score: int | None
    state: dict
    played_by: str = "trainee"  # one of PLAYED_BY


def default_path() -> Path:
    """Where sessions are kept: ``$RETENTION_SIM_DATA`` or the per-user data directory."""
    base = os.environ.get("RETENTION_SIM_DATA") or platformdirs.user_data_dir("retention-sim", appauthor=False)
    return Path(base) / "sessions.sqlite3"


def _explain(error: Exception, path: Path) -> StorageError:
    text = str(error).lower()
    if "full" in text:
        why = "the disk is full"
    elif "disk i/o" in text:
        why = "the disk could not be written (is it full or failing?)"
    elif "readonly" in text or "read-only" in text or "permission" in text:
        why = "the folder is not writable"
    elif "locked" in text or "busy" in text:
        why = "another simulator is writing to it right now"
    elif "not a database" in text or "malformed" in text:
        why = "the file is damaged or is not a session database"
    else:
        why = str(error)
    return StorageError(f"the session database {path} cannot be used: {why}")


class Store:
    """The session database."""

    read_only: str | None = None  # why new calls cannot be saved, when the database is read-only

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._migrate()
        except (sqlite3.Error, OSError) as e:
            error = _explain(e, self.path)
            if getattr(self, "_db", None) is not None:
                self._db.close()  # the half-opened connection would keep the file (and its disk) busy
            # A read-only folder (a shared classroom drive, a full or read-only disk) must not
            # hide the calls already saved there: open them for reading and say why nothing new
            # can be saved.
            unwritable = any(w in str(e).lower() for w in ("readonly", "read-only", "permission", "unable to open",
                                                           "disk i/o", "full"))
            if not (unwritable and self._open_read_only()):
                raise error from None
            self.read_only = (f"the session database {self.path} can only be read ({str(error).split(': ')[-1]}): "
                              "new calls cannot be saved; set RETENTION_SIM_DATA to a writable folder")

    def _open_read_only(self) -> bool:
        if not self.path.is_file():
            return False
        # immutable=1 lets SQLite read a WAL database whose folder it cannot write its index in.
        for options in ("mode=ro", "mode=ro&immutable=1"):
            db = None
            try:
                db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{options}", uri=True, isolation_level=None)
                db.execute("SELECT count(*) FROM sessions").fetchone()
            except sqlite3.Error:
                if db is not None:
                    db.close()
                continue
            self._db = db
            return True
        return False

    def _migrate(self) -> None:
        """Bring a database of an older version up to this one, in place, in one transaction.

        Version 1 had no ``played_by``: the column is added with every existing session
        counted as the trainee's (scripted calls were not told apart then). Nothing is copied
        or dropped, so no session can be lost; an interrupted migration rolls back whole.
        """
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
        if "played_by" in columns:
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ALTER TABLE sessions ADD COLUMN played_by TEXT NOT NULL DEFAULT 'trainee'")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, args: tuple) -> sqlite3.Cursor:
        if self.read_only:
            raise StorageError(self.read_only)
        try:
            with self._db:  # one committed transaction per write
                self._db.execute("BEGIN IMMEDIATE")
                return self._db.execute(sql, args)
        except sqlite3.Error as e:
            raise _explain(e, self.path) from None

    def create(self, scenario_id: str, scenario_path: str, trainee: str, language: str,
               variant: str | None, state: dict, now: str, played_by: str = "trainee") -> int:
        """Start a new session record; returns its id. ``played_by`` says who answers (see PLAYED_BY)."""
        if played_by not in PLAYED_BY:
            raise ValueError(f"played_by must be one of {PLAYED_BY}, not {played_by!r}")
        cur = self._write(
            "INSERT INTO sessions (scenario_id, scenario_path, trainee, language, variant, started_at,"
            " updated_at, state, played_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (scenario_id, scenario_path, trainee, language, variant, now, now, json.dumps(state, ensure_ascii=False),
             played_by),
        )
        return int(cur.lastrowid)

    def mark_played_by(self, session_id: int, played_by: str) -> None:
        """Record that a script or a policy answered (part of) this call, e.g. after a scripted resume."""
        if played_by not in PLAYED_BY:
            raise ValueError(f"played_by must be one of {PLAYED_BY}, not {played_by!r}")
        self._write("UPDATE sessions SET played_by = ? WHERE id = ?", (played_by, session_id))

    def save(self, session_id: int, state: dict, now: str, finished: bool = False,
             ending: str | None = None, score: int | None = None) -> None:
        """Commit the session's new state (durable when this returns)."""
        self._write(
            "UPDATE sessions SET state = ?, updated_at = ?, finished = ?, ending = ?, score = ? WHERE id = ?",
            (json.dumps(state, ensure_ascii=False), now, int(finished), ending, score, session_id),
        )

    def get(self, session_id: int) -> SessionRecord | None:
        """The session with this id, or None."""
        return self._one(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,))

    def latest_open(self, scenario_id: str | None = None) -> SessionRecord | None:
        """The most recently updated unfinished session (of one scenario, if given)."""
        if scenario_id:
            return self._one(f"SELECT {_COLUMNS} FROM sessions WHERE finished = 0 AND scenario_id = ?"
                             " ORDER BY updated_at DESC, id DESC LIMIT 1", (scenario_id,))
        return self._one(f"SELECT {_COLUMNS} FROM sessions WHERE finished = 0"
                         " ORDER BY updated_at DESC, id DESC LIMIT 1", ())

    def sessions(self, limit: int = 1000) -> list[SessionRecord]:
        """Sessions, newest first."""
        try:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM sessions ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        except sqlite3.Error as e:
            raise _explain(e, self.path) from None
        return [self._record(r) for r in rows]

    def _one(self, sql: str, args: tuple) -> SessionRecord | None:
        try:
            row = self._db.execute(sql, args).fetchone()
        except sqlite3.Error as e:
            raise _explain(e, self.path) from None
        return self._record(row) if row else None

    @staticmethod
    def _record(row: tuple) -> SessionRecord:
        (sid, scenario_id, path, trainee, language, variant, started, updated, finished, ending, score, state,
         played_by) = row
        try:
            data = json.loads(state)
        except ValueError:
            data = {}
        return SessionRecord(sid, scenario_id, path, trainee, language, variant, started, updated,
                             bool(finished), ending, score, data, played_by)
