import os
import sqlite3
import subprocess

import pytest

from simulator.storage import StorageError, Store, default_path


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "sessions.sqlite3"


def test_the_database_is_in_wal_mode_with_full_sync(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_saved_state_is_visible_to_another_connection_at_once(tmp_path):
    path = tmp_path / "s.db"
    store = Store(path)
    sid = store.create("x", "/x.yaml", "ann", "en", None, {"turn": 0}, "2026-01-01T00:00:00+00:00")
    store.save(sid, {"turn": 1}, "2026-01-01T00:00:05+00:00")
    other = sqlite3.connect(path)
    assert other.execute("SELECT state FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == '{"turn": 1}'
    other.close()
    store.close()


def test_latest_open_skips_finished_sessions(tmp_path):
    with Store(tmp_path / "s.db") as store:
        a = store.create("x", "/x.yaml", "", "en", None, {}, "2026-01-01T00:00:00+00:00")
        b = store.create("y", "/y.yaml", "", "zh", None, {}, "2026-01-01T00:00:01+00:00")
        store.save(b, {}, "2026-01-01T00:00:02+00:00", finished=True, ending="kept", score=90)
        assert store.latest_open().id == a
        assert store.get(b).finished and store.get(b).score == 90


def test_latest_open_can_filter_by_scenario(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.create("x", "/x.yaml", "", "en", None, {}, "2026-01-01T00:00:00+00:00")
        store.create("y", "/y.yaml", "", "en", None, {}, "2026-01-01T00:00:01+00:00")
        assert store.latest_open("x").scenario_id == "x"


def test_an_unwritable_folder_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot be used"):
        Store(blocker / "sub" / "s.db")


def test_a_damaged_database_is_explained(tmp_path):
    bad = tmp_path / "s.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="damaged"):
        Store(bad)


def test_sessions_lists_newest_first(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ids = [store.create("x", "/x.yaml", "", "en", None, {}, f"2026-01-01T00:00:0{i}+00:00") for i in range(3)]
        assert [r.id for r in store.sessions()] == ids[::-1]


VERSION_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL, scenario_path TEXT NOT NULL,
    trainee TEXT NOT NULL DEFAULT '', language TEXT NOT NULL, variant TEXT, started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0, ending TEXT, score INTEGER, state TEXT NOT NULL
);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO sessions (scenario_id, scenario_path, trainee, language, started_at, updated_at, finished, ending,
                      score, state)
VALUES ('x', '/x.yaml', 'ann', 'en', '2025-01-01T00:00:00+00:00', '2025-01-01T00:01:00+00:00', 1, 'kept', 90,
        '{"turn": 4}'),
       ('y', '/y.yaml', 'bo', 'zh', '2025-01-02T00:00:00+00:00', '2025-01-02T00:00:30+00:00', 0, NULL, NULL,
        '{"turn": 1}');
"""


def test_a_version_1_database_is_migrated_without_losing_a_session(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(VERSION_1)
    old.close()
    with Store(path) as store:
        records = store.sessions()
        version = store._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert [(r.id, r.trainee, r.score, r.state, r.played_by) for r in records] == [
        (2, "bo", None, {"turn": 1}, "trainee"), (1, "ann", 90, {"turn": 4}, "trainee")]
    assert version == "2"


def test_a_migrated_database_opens_again_unchanged(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(VERSION_1)
    old.close()
    Store(path).close()
    with Store(path) as store:
        assert len(store.sessions()) == 2


def test_a_session_records_who_played_it(tmp_path):
    with Store(tmp_path / "s.db") as store:
        sid = store.create("x", "/x.yaml", "", "en", None, {}, "2026-01-01T00:00:00+00:00", played_by="auto")
        assert store.get(sid).played_by == "auto"
        store.mark_played_by(sid, "script")
        assert store.get(sid).played_by == "script"


def test_an_unknown_player_kind_is_refused(tmp_path):
    with Store(tmp_path / "s.db") as store, pytest.raises(ValueError, match="played_by"):
        store.create("x", "/x.yaml", "", "en", None, {}, "2026-01-01T00:00:00+00:00", played_by="robot")


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding a session database, made read-only the way a user would meet it:
    by permissions for a normal user, by a read-only mount for root (who ignores permissions)."""
    folder = tmp_path / "data"
    folder.mkdir()
    if os.geteuid() != 0:
        _with_one_session(folder)
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("running as root without permission to mount a read-only tmpfs")
    try:
        _with_one_session(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        # A connection left open would make this fail; a lazy unmount then still leaves no read-only mount
        # behind for later pytest runs to trip over, and the test fails all the same.
        unmounted = subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0
        if not unmounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        assert unmounted


def _with_one_session(folder):
    with Store(folder / "sessions.sqlite3") as store:
        store.create("demo", "demo.yaml", "Ana", "en", None, {"turns": 1}, "2026-11-29T04:00:00")


def test_a_read_only_data_folder_still_lists_the_saved_sessions(read_only_folder):
    with Store(read_only_folder / "sessions.sqlite3") as store:
        assert [r.trainee for r in store.sessions()] == ["Ana"]
        assert store.get(1).state == {"turns": 1}


def test_a_read_only_data_folder_says_new_calls_cannot_be_saved(read_only_folder):
    with Store(read_only_folder / "sessions.sqlite3") as store:
        assert "new calls cannot be saved" in store.read_only
        with pytest.raises(StorageError, match="new calls cannot be saved"):
            store.create("demo", "demo.yaml", "Bo", "en", None, {}, "2026-11-29T04:05:00")
