"""Where the sessions live and how to connect: a SQLite file by default, any SQLAlchemy URL on request.

``RETENTION_SIM_DB`` (or ``--db``) takes a URL such as ``postgresql+psycopg://user@host/db``;
without it the file ``sessions.sqlite3`` in ``RETENTION_SIM_DATA`` or the per-user data
directory is used. SQLite runs in WAL mode with ``synchronous=FULL`` and takes the write lock
at the start of every writing transaction, so a committed turn survives a killed process or a
power cut and two writers never deadlock on a lock upgrade.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    import sqlalchemy as sa

# SQLAlchemy is imported where a database is opened, not with this module: the window reads
# default_path and the errors below before its first frame, and the import alone costs 0.2 s.


class StorageError(Exception):
    """Sessions cannot be read or written; the message says why in plain words."""


class SessionTakenError(StorageError):
    """Another process saved this session after this one read it; saving on would overwrite its turns."""


def default_path() -> Path:
    """Where sessions are kept: ``$RETENTION_SIM_DATA`` or the per-user data directory."""
    base = os.environ.get("RETENTION_SIM_DATA") or platformdirs.user_data_dir("retention-sim", appauthor=False)
    return Path(base) / "sessions.sqlite3"


def use_database(target: str) -> None:
    """Make every store this process opens use ``target`` (what ``--db`` does): as if RETENTION_SIM_DB said it."""
    os.environ["RETENTION_SIM_DB"] = target


def database_url(target: str | os.PathLike | None = None) -> tuple[sa.URL, Path | None]:
    """The URL to open and, for a SQLite file, its path: ``target``, else ``$RETENTION_SIM_DB``, else the file."""
    import sqlalchemy as sa

    if target is None:
        target = os.environ.get("RETENTION_SIM_DB") or default_path()
    if isinstance(target, str) and "://" in target:
        try:
            url = sa.make_url(target)
        except (sa.exc.ArgumentError, ValueError):
            raise StorageError(f"'{target}' is not a database URL (e.g. postgresql+psycopg://user@host/db)") from None
        path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
        return url, path
    path = Path(target)
    return sa.URL.create("sqlite+pysqlite", database=str(path)), path


def describe(url: sa.URL, path: Path | None) -> str:
    """The database as named in messages: the file, or the URL without its password."""
    return str(path) if path else url.render_as_string(hide_password=True)


def make_engine(url: sa.URL, read_only: bool = False) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL, full sync and immediate write locks (read-only: none)."""
    import sqlalchemy as sa
    from sqlalchemy import event

    if url.get_backend_name() != "sqlite":
        # pre_ping: a server that restarted between two turns is reconnected to instead of failing the turn.
        return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)
    if read_only:
        # A read-only folder cannot hold the WAL index, so mode=ro alone fails; immutable reads the file as is.
        ro = url.set(database=f"file:{url.database}?mode=ro&immutable=1", query={"uri": "true"})
        return sa.create_engine(ro, connect_args={"check_same_thread": False})
    engine = sa.create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Take over transaction control from the driver so the begin event below decides the lock.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        writing = connection.get_execution_options().get("writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


_UNREACHABLE = ("connection refused", "could not connect", "server closed", "terminating connection", "no route",
                "connection is closed", "connection is bad", "connection to server", "consuming input failed",
                "timeout expired")


def explain(error: BaseException, where: str) -> StorageError:
    """A StorageError that says in plain words why the database at ``where`` failed."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "full" in text or "no space" in text:
        why = "the disk is full"
    elif "disk i/o" in text:
        why = "the disk could not be written (is it full or failing?)"
    elif "readonly" in text or "read-only" in text or "permission" in text or "unable to open" in text:
        why = "the folder is not writable"
    elif "locked" in text or "busy" in text:
        why = "another simulator is writing to it right now"
    elif "not a database" in text or "malformed" in text:
        why = "the file is damaged or is not a session database"
    elif any(w in text for w in _UNREACHABLE):
        why = "the database server cannot be reached"
    elif "password authentication" in text or "authentication failed" in text:
        why = "the database server refused the user name or password"
    else:
        why = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return StorageError(f"the session database {where} cannot be used: {why}")
