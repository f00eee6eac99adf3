"""Saved sessions: every answered turn is committed before the next line shows.

A :class:`Store` opens the database named by :func:`database_url` (a SQLite file by default,
an organisation's PostgreSQL server when ``RETENTION_SIM_DB`` says so), migrates it on first
open, and commits each save in its own transaction. Every session carries a version number:
a save from a copy that another process has saved since is refused with
:class:`SessionTakenError` instead of silently overwriting it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from . import migrate
from .engine import SessionTakenError, StorageError, database_url, describe, explain, make_engine
from .schema import PLAYED_BY, sessions


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
    trainee_org_id: str = ""  # the trainee's organisation id (employee number), '' when none
    version: int = 0  # bumped by every save
    trainee_group: str = ""  # the trainee's group (team, class), '' when none


@dataclass(frozen=True, slots=True)
class Filters:
    """Which sessions a listing or report covers; every field left as None matches all."""

    trainee: str | None = None
    trainee_org_id: str | None = None
    group: str | None = None
    scenario_id: str | None = None
    since: str | None = None  # ISO date or time; started on or after
    until: str | None = None  # ISO date or time; started before the end of that day
    finished: bool | None = None
    played_by: str | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        """The WHERE clauses these filters stand for."""
        c = sessions.c
        out: list[sa.ColumnElement[bool]] = []
        if self.trainee is not None:
            out.append(c.trainee == self.trainee)
        if self.trainee_org_id is not None:
            out.append(c.trainee_org_id == self.trainee_org_id)
        if self.group is not None:
            out.append(c.trainee_group == self.group)
        if self.scenario_id is not None:
            out.append(c.scenario_id == self.scenario_id)
        if self.since:
            out.append(c.started_at >= self.since)
        if self.until:
            # A bare date means the whole day: everything that sorts before the next character after it.
            out.append(c.started_at < (self.until + "~" if len(self.until) == 10 else self.until))
        if self.finished is not None:
            out.append(c.finished == int(self.finished))
        if self.played_by is not None:
            out.append(c.played_by == self.played_by)
        return out


_COLUMNS = (sessions.c.id, sessions.c.scenario_id, sessions.c.scenario_path, sessions.c.trainee, sessions.c.language,
            sessions.c.variant, sessions.c.started_at, sessions.c.updated_at, sessions.c.finished, sessions.c.ending,
            sessions.c.score, sessions.c.state, sessions.c.played_by, sessions.c.trainee_org_id, sessions.c.version,
            sessions.c.trainee_group)


def _check_played_by(played_by: str) -> None:
    if played_by not in PLAYED_BY:
        raise ValueError(f"played_by must be one of {PLAYED_BY}, not {played_by!r}")


class Store:
    """The session database (SQLite file or server), migrated to this program's schema on open.

    ``read_only`` opens an existing database without migrating or writing, e.g. to read reports
    from a folder the user cannot write; it fails if the database is older than this program.
    """

    def __init__(self, target: str | os.PathLike | None = None, *, read_only: bool = False):
        self.url, self.path = database_url(target)
        self.where = describe(self.url, self.path)
        self.read_only = read_only
        self._seen: dict[int, int] = {}  # session id -> the version this store last read or wrote
        try:
            if self.path is not None and not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if read_only and self.path is not None and not self.path.exists():
                raise StorageError(f"the session database {self.where} does not exist")
            self._engine = make_engine(self.url, read_only)
            if read_only:
                with self._engine.connect() as connection:
                    version = migrate.current_version(connection)
                if version != migrate.SCHEMA_VERSION:
                    if version is not None and version > migrate.SCHEMA_VERSION:
                        raise migrate.newer_schema(self.where, str(version))
                    raise StorageError(f"the session database {self.where} is from an older version and cannot be"
                                       " read without write access; open it once where it can be written")
            else:
                self._upgrade()
        except StorageError:
            self._dispose()
            raise
        except (sa.exc.SQLAlchemyError, OSError) as e:
            self._dispose()
            raise explain(e, self.where) from None
        self._writer = self._engine.execution_options(writing=True)

    def _upgrade(self, attempts: int = 6) -> None:
        """Bring the schema to HEAD; a SQLite file that several processes open at once is retried.

        Turning a new SQLite file to WAL needs its exclusive lock, and two connections doing it at
        the same moment can get "database is locked" at once instead of waiting (SQLite refuses to
        wait where waiting could deadlock); the way out is to try again, so the first open is retried
        a few times, briefly, before the error is reported.
        """
        for attempt in range(attempts):
            try:
                migrate.upgrade(self._engine, self.where)
                return
            except sa.exc.OperationalError as e:
                busy = "locked" in str(e).lower() or "busy" in str(e).lower()
                if self.url.get_backend_name() != "sqlite" or not busy or attempt == attempts - 1:
                    raise
                self._engine.dispose()  # a connection that failed half-way through its set-up is not reused
                time.sleep(0.05 * (attempt + 1))

    def _dispose(self) -> None:
        engine = getattr(self, "_engine", None)
        if engine is not None:
            engine.dispose()

    def close(self) -> None:
        """Close every connection."""
        self._dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for reports that aggregate in SQL)."""
        return self._engine

    def _write(self, statement: sa.Executable) -> sa.CursorResult:
        if self.read_only:
            raise StorageError(f"the session database {self.where} was opened read-only")
        try:
            with self._writer.begin() as connection:  # one committed transaction per write
                return connection.execute(statement)
        except (sa.exc.SQLAlchemyError, OSError) as e:
            raise explain(e, self.where) from None

    def create(self, scenario_id: str, scenario_path: str, trainee: str, language: str,
               variant: str | None, state: dict, now: str, played_by: str = "trainee",
               trainee_org_id: str = "", trainee_group: str = "") -> int:
        """Start a new session record; returns its id. ``played_by`` says who answers (see PLAYED_BY)."""
        _check_played_by(played_by)
        result = self._write(sessions.insert().values(
            scenario_id=scenario_id, scenario_path=scenario_path, trainee=trainee, trainee_org_id=trainee_org_id,
            trainee_group=trainee_group,
            language=language, variant=variant, started_at=now, updated_at=now,
            state=json.dumps(state, ensure_ascii=False), played_by=played_by, finished=0, version=0))
        session_id = int(result.inserted_primary_key[0])
        self._seen[session_id] = 0
        return session_id

    def mark_played_by(self, session_id: int, played_by: str) -> None:
        """Record that a script or a policy answered (part of) this call, e.g. after a scripted resume."""
        _check_played_by(played_by)
        self._write(sessions.update().where(sessions.c.id == session_id).values(played_by=played_by))

    def save(self, session_id: int, state: dict, now: str, finished: bool = False,
             ending: str | None = None, score: int | None = None) -> None:
        """Commit the session's new state (durable when this returns).

        Raises SessionTakenError when another process saved the session since this store last
        read it (use :meth:`take_over` to continue it here on purpose), StorageError when the
        database cannot be written; in both cases nothing was changed.
        """
        seen = self._seen.get(session_id)
        if seen is None:
            record = self.get(session_id)
            if record is None:
                raise StorageError(f"session {session_id} is not in {self.where}")
            seen = record.version
        result = self._write(
            sessions.update().where(sessions.c.id == session_id, sessions.c.version == seen).values(
                state=json.dumps(state, ensure_ascii=False), updated_at=now, finished=int(finished), ending=ending,
                score=score, version=seen + 1))
        if result.rowcount != 1:
            raise SessionTakenError(
                f"session {session_id} was continued somewhere else (another window or machine) after this one "
                "opened it; this copy stopped saving so as not to overwrite those turns")
        self._seen[session_id] = seen + 1

    def take_over(self, session_id: int) -> SessionRecord | None:
        """Continue a session here on purpose: the next save wins over whatever saved it before."""
        return self.get(session_id)

    def get(self, session_id: int) -> SessionRecord | None:
        """The session with this id, or None (this store will save on top of the version it returns)."""
        return self._one(sa.select(*_COLUMNS).where(sessions.c.id == session_id))

    def latest_open(self, scenario_id: str | None = None, trainee: str | None = None,
                    trainee_org_id: str | None = None) -> SessionRecord | None:
        """The most recently updated unfinished session (of one scenario and one trainee, if given)."""
        filters = Filters(trainee=trainee, trainee_org_id=trainee_org_id, scenario_id=scenario_id, finished=False)
        return self._one(sa.select(*_COLUMNS).where(*filters.clauses())
                         .order_by(sessions.c.updated_at.desc(), sessions.c.id.desc()).limit(1))

    def sessions(self, limit: int = 1000, offset: int = 0, filters: Filters | None = None) -> list[SessionRecord]:
        """Sessions matching ``filters``, newest first, ``limit`` of them from ``offset``."""
        query = (sa.select(*_COLUMNS).where(*(filters or Filters()).clauses())
                 .order_by(sessions.c.id.desc()).limit(limit).offset(offset))
        return [self._record(row) for row in self._read(query)]

    def count(self, filters: Filters | None = None) -> int:
        """How many sessions match ``filters``."""
        return int(self._read(sa.select(sa.func.count()).select_from(sessions)
                              .where(*(filters or Filters()).clauses()))[0][0])

    def _read(self, query: sa.Executable) -> list[sa.Row]:
        try:
            with self._engine.connect() as connection:
                return connection.execute(query).all()
        except (sa.exc.SQLAlchemyError, OSError) as e:
            raise explain(e, self.where) from None

    def _one(self, query: sa.Executable) -> SessionRecord | None:
        rows = self._read(query)
        if not rows:
            return None
        row = rows[0]
        record = self._record(row)
        self._seen[record.id] = record.version
        return record

    @staticmethod
    def _record(row: sa.Row) -> SessionRecord:
        (sid, scenario_id, path, trainee, language, variant, started, updated, finished, ending, score, state,
         played_by, org_id, version, group) = row
        try:
            data = json.loads(state)
        except ValueError:
            data = {}
        return SessionRecord(sid, scenario_id, path, trainee, language, variant, started, updated,
                             bool(finished), ending, score, data, played_by, org_id, version, group)


def utc_now() -> str:
    """The current time as stored: ISO 8601 in UTC, seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
