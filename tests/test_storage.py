import sqlite3

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
