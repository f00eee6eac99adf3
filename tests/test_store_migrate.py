"""Schema versions: files made by the single-file store migrate on first open; newer schemas are refused."""

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from simulator.storage import SCHEMA_VERSION, StorageError, Store, migrate

# The tables exactly as the single-file store created them (schema 1, then 2 with played_by).
VERSION_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL, scenario_path TEXT NOT NULL,
    trainee TEXT NOT NULL DEFAULT '', language TEXT NOT NULL, variant TEXT, started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0, ending TEXT, score INTEGER, state TEXT NOT NULL
);
CREATE INDEX sessions_open ON sessions (finished, updated_at);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO sessions (scenario_id, scenario_path, trainee, language, started_at, updated_at, finished, ending,
                      score, state)
VALUES ('x', '/x.yaml', 'ann', 'en', '2025-01-01T00:00:00+00:00', '2025-01-01T00:01:00+00:00', 1, 'kept', 90,
        '{"turn": 4}'),
       ('y', '/y.yaml', 'bo', 'zh', '2025-01-02T00:00:00+00:00', '2025-01-02T00:00:30+00:00', 0, NULL, NULL,
        '{"turn": 1}');
"""
VERSION_2 = """
ALTER TABLE sessions ADD COLUMN played_by TEXT NOT NULL DEFAULT 'trainee';
UPDATE sessions SET played_by = 'script' WHERE id = 2;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
"""


def _old_file(path: Path, *scripts: str) -> Path:
    old = sqlite3.connect(path)
    old.execute("PRAGMA journal_mode=WAL")
    for script in scripts:
        old.executescript(script)
    old.close()
    return path


def _meta_version(store: Store) -> str:
    with store.engine.connect() as connection:
        return connection.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()


def test_a_version_1_file_is_migrated_without_losing_a_session(tmp_path):
    with Store(_old_file(tmp_path / "old.db", VERSION_1)) as store:
        records = store.sessions()
        version = _meta_version(store)
    assert [(r.id, r.trainee, r.score, r.state, r.played_by, r.finished) for r in records] == [
        (2, "bo", None, {"turn": 1}, "trainee", False), (1, "ann", 90, {"turn": 4}, "trainee", True)]
    assert version == str(SCHEMA_VERSION)


def test_a_version_2_file_keeps_who_played_each_call(tmp_path):
    with Store(_old_file(tmp_path / "old.db", VERSION_1, VERSION_2)) as store:
        assert [(r.id, r.played_by, r.trainee_org_id) for r in store.sessions()] == [(2, "script", ""),
                                                                                      (1, "trainee", "")]


def test_a_migrated_file_resumes_and_saves(tmp_path):
    path = _old_file(tmp_path / "old.db", VERSION_1)
    Store(path).close()
    with Store(path) as store:
        record = store.latest_open()
        store.save(record.id, {"turn": 2}, "2025-01-02T00:01:00+00:00")
        assert store.get(record.id).state == {"turn": 2}
        new = store.create("z", "/z.yaml", "cy", "en", None, {}, "2025-01-03T00:00:00+00:00")
        assert new == 3


def test_a_newer_schema_is_refused_with_a_clear_message(store_url):
    Store(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(StorageError, match=r"newer version of the simulator \(schema 99\).*Update the simulator"):
        Store(store_url)


def test_an_unknown_alembic_revision_is_refused(store_url):
    Store(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0042'"))
    engine.dispose()
    with pytest.raises(StorageError, match="newer version of the simulator"):
        Store(store_url)


def test_a_new_database_reaches_the_current_schema(store_url):
    with Store(store_url) as store:
        assert _meta_version(store) == str(SCHEMA_VERSION)


def test_the_fast_path_head_is_the_newest_migration():
    config = Config()
    config.set_main_option("script_location", "simulator.storage:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.HEAD


def test_the_migrations_ship_inside_the_package():
    import simulator.storage.migrations as package

    folder = Path(package.__file__).parent
    assert (folder / "env.py").is_file() and (folder / "script.py.mako").is_file()
    assert len(list((folder / "versions").glob("v*.py"))) == SCHEMA_VERSION


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path):
    import subprocess
    import sys

    Store(tmp_path / "s.db").close()
    probe = ("import sys; from simulator.storage import Store; s = Store(sys.argv[1]); s.close(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "s.db")], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"

