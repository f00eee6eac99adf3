"""Fixtures for the store tests: every test that takes ``store_url`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess

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


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KiB tmpfs to fill (root only), unmounted afterwards; skipped with the reason elsewhere."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs to fill needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_up(folder) -> None:
    """Write to ``folder`` until its disk is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # full now
    finally:
        os.close(fd)
