"""Fixtures for the store tests: every test that takes ``store_url`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from postgres_server import Server, Unavailable


@pytest.fixture(scope="session")
def pg_server():
    """One private PostgreSQL server for the whole run (fsync off: these tests check logic, not disks)."""
    try:
        server = Server(fsync=False)
    except Unavailable as e:
        pytest.skip(f"no PostgreSQL here: {e}")
    yield server
    server.stop()


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A database URL with nothing in it: a new SQLite file, or the emptied test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 's.db'}"
    server = request.getfixturevalue("pg_server")
    _empty(server.url)
    return server.url
