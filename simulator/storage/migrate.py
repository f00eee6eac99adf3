"""Bring a database to this program's schema on open, or refuse one made by a newer program.

Alembic migrations (simulator/storage/migrations, shipped in the wheel) run in one transaction:
an interrupted migration rolls back whole, and no migration copies or drops a session. Files
made by the single-file SQLite store (schema 1 and 2, no Alembic table) are recognised and
stamped with their version first. On PostgreSQL an advisory lock makes two machines that open a
new database at the same moment migrate it one after the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from .engine import StorageError
from .schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0005"  # the newest revision in migrations/versions (a test checks they agree)
_LOCK_KEY = 0x5265_7453  # "RetS": the advisory lock that serialises migrations on PostgreSQL


def _config(connection: sa.Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "simulator.storage:migrations")
    config.attributes["connection"] = connection
    return config


def _meta_version(connection: sa.Connection, tables: set[str]) -> int | None:
    if "meta" not in tables:
        return None
    value = connection.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _stamped(connection: sa.Connection, tables: set[str]) -> str | None:
    """The one Alembic revision the database is stamped with (None: none, or not exactly one)."""
    if "alembic_version" not in tables:
        return None
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def newer_schema(where: str, found: str) -> StorageError:
    """The refusal an older program gives a database made by a newer one."""
    return StorageError(
        f"the session database {where} was made by a newer version of the simulator (schema {found}); this version "
        f"reads schema {SCHEMA_VERSION} at most and will not touch it. Update the simulator, or point RETENTION_SIM_DB "
        f"at another database.")


def upgrade(engine: sa.Engine, where: str) -> None:
    """Migrate the database behind ``engine`` to HEAD (a fast check when it already is there)."""
    with engine.execution_options(writing=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        tables = set(sa.inspect(connection).get_table_names())
        version = _meta_version(connection, tables)
        if version is not None and version > SCHEMA_VERSION:
            raise newer_schema(where, str(version))
        if version == SCHEMA_VERSION and _stamped(connection, tables) == HEAD:
            return  # the usual open: up to date, decided without importing Alembic (about half a second)
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        current = MigrationContext.configure(connection).get_current_revision()
        if current == HEAD and version == SCHEMA_VERSION:
            return
        config = _config(connection)
        known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise newer_schema(where, current)
        if current is None and "sessions" in tables:
            # Made by the single-file store: schema 2 has played_by, schema 1 does not.
            columns = {c["name"] for c in sa.inspect(connection).get_columns("sessions")}
            if "meta" not in tables:
                connection.execute(sa.text("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"))
            if version is None:
                connection.execute(sa.text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
                                   {"v": "2" if "played_by" in columns else "1"})
            command.stamp(config, "0002" if "played_by" in columns else "0001")
        command.upgrade(config, "head")


def current_version(connection: sa.Connection) -> int | None:
    """The schema version recorded in the database, or None for an empty one."""
    return _meta_version(connection, set(sa.inspect(connection).get_table_names()))
