"""The session store's API, on SQLite and on PostgreSQL alike."""

import os

import pytest
import sqlalchemy as sa

from simulator.storage import Filters, SessionTakenError, StorageError, Store, database_url, default_path

T0 = "2026-01-01T00:00:00+00:00"


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "sessions.sqlite3"


def test_retention_sim_db_names_any_database_url(monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DB", "postgresql+psycopg://trainer:secret@db.example/training")
    url, path = database_url()
    assert (url.get_backend_name(), url.host, url.database, path) == ("postgresql", "db.example", "training", None)


def test_a_malformed_url_is_explained():
    with pytest.raises(StorageError, match="not a database URL"):
        Store("postgresql+psycopg://host:notaport/db")


def test_the_sqlite_file_is_in_wal_mode_with_full_sync(tmp_path):
    with Store(tmp_path / "s.db") as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_saved_state_is_visible_to_another_connection_at_once(store_url):
    store = Store(store_url)
    sid = store.create("x", "/x.yaml", "ann", "en", None, {"turn": 0}, T0)
    store.save(sid, {"turn": 1}, "2026-01-01T00:00:05+00:00")
    other = sa.create_engine(store_url)
    with other.connect() as connection:
        assert connection.execute(sa.text("SELECT state FROM sessions WHERE id = :i"), {"i": sid}).scalar() \
            == '{"turn": 1}'
    other.dispose()
    store.close()


def test_latest_open_skips_finished_sessions(store_url):
    with Store(store_url) as store:
        a = store.create("x", "/x.yaml", "", "en", None, {}, T0)
        b = store.create("y", "/y.yaml", "", "zh", None, {}, "2026-01-01T00:00:01+00:00")
        store.save(b, {}, "2026-01-01T00:00:02+00:00", finished=True, ending="kept", score=90)
        assert store.latest_open().id == a
        assert store.get(b).finished and store.get(b).score == 90


def test_latest_open_can_filter_by_scenario(store_url):
    with Store(store_url) as store:
        store.create("x", "/x.yaml", "", "en", None, {}, T0)
        store.create("y", "/y.yaml", "", "en", None, {}, "2026-01-01T00:00:01+00:00")
        assert store.latest_open("x").scenario_id == "x"


def test_latest_open_offers_only_the_trainees_own_calls(store_url):
    with Store(store_url) as store:
        mine = store.create("x", "/x.yaml", "Ann", "en", None, {}, T0, trainee_org_id="E1")
        store.create("x", "/x.yaml", "Bo", "en", None, {}, "2026-01-01T00:00:09+00:00", trainee_org_id="E2")
        assert store.latest_open(trainee="Ann", trainee_org_id="E1").id == mine
        assert store.latest_open(trainee="Cy") is None


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


def test_an_unreachable_server_is_explained(tmp_path):
    with pytest.raises(StorageError, match="cannot be reached"):
        Store(f"postgresql+psycopg://nobody@/retention?host={tmp_path}&port=5999&connect_timeout=2")


def test_sessions_lists_newest_first(store_url):
    with Store(store_url) as store:
        ids = [store.create("x", "/x.yaml", "", "en", None, {}, f"2026-01-01T00:00:0{i}+00:00") for i in range(3)]
        assert [r.id for r in store.sessions()] == ids[::-1]


def test_sessions_page_through_every_match(store_url):
    with Store(store_url) as store:
        ids = [store.create("x", "/x.yaml", "", "en", None, {}, T0) for _ in range(5)]
        pages = [store.sessions(limit=2, offset=o) for o in (0, 2, 4)]
        assert [r.id for page in pages for r in page] == ids[::-1]
        assert store.count() == 5


def test_filters_select_by_trainee_and_date(store_url):
    with Store(store_url) as store:
        store.create("x", "/x.yaml", "Ann", "en", None, {}, "2026-01-01T09:00:00+00:00", trainee_org_id="E1")
        keep = store.create("x", "/x.yaml", "Ann", "en", None, {}, "2026-01-02T23:59:00+00:00", trainee_org_id="E1")
        store.create("x", "/x.yaml", "Bo", "en", None, {}, "2026-01-02T10:00:00+00:00")
        chosen = Filters(trainee="Ann", since="2026-01-02", until="2026-01-02")
        assert [r.id for r in store.sessions(filters=chosen)] == [keep]
        assert store.count(chosen) == 1


def test_a_session_records_who_played_it(store_url):
    with Store(store_url) as store:
        sid = store.create("x", "/x.yaml", "", "en", None, {}, T0, played_by="auto")
        assert store.get(sid).played_by == "auto"
        store.mark_played_by(sid, "script")
        assert store.get(sid).played_by == "script"


def test_an_unknown_player_kind_is_refused(store_url):
    with Store(store_url) as store, pytest.raises(ValueError, match="played_by"):
        store.create("x", "/x.yaml", "", "en", None, {}, T0, played_by="robot")


def test_a_second_process_saving_a_stale_copy_is_refused(store_url):
    with Store(store_url) as first, Store(store_url) as second:
        sid = first.create("x", "/x.yaml", "Ann", "en", None, {"turn": 0}, T0)
        assert second.latest_open().id == sid
        first.save(sid, {"turn": 1}, T0)
        with pytest.raises(SessionTakenError, match="continued somewhere else"):
            second.save(sid, {"turn": 9}, T0)
        assert first.get(sid).state == {"turn": 1}


def test_taking_over_a_session_lets_this_process_save_it(store_url):
    with Store(store_url) as first, Store(store_url) as second:
        sid = first.create("x", "/x.yaml", "Ann", "en", None, {"turn": 0}, T0)
        second.get(sid)
        first.save(sid, {"turn": 1}, T0)
        second.take_over(sid)
        second.save(sid, {"turn": 2}, T0)
        with pytest.raises(SessionTakenError):
            first.save(sid, {"turn": 3}, T0)
        assert second.get(sid).state == {"turn": 2}


def test_a_read_only_store_reads_but_does_not_write(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        sid = store.create("x", "/x.yaml", "Ann", "en", None, {}, T0)
    with Store(path, read_only=True) as store:
        assert store.get(sid).trainee == "Ann"
        with pytest.raises(StorageError, match="read-only"):
            store.save(sid, {}, T0)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_store_reads_a_file_in_a_folder_that_cannot_be_written(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    with Store(folder / "s.db") as store:
        store.create("x", "/x.yaml", "Ann", "en", None, {}, T0)
    folder.chmod(0o555)
    try:
        with Store(folder / "s.db", read_only=True) as store:
            assert [r.trainee for r in store.sessions()] == ["Ann"]
    finally:
        folder.chmod(0o755)


def test_a_typed_answers_words_and_confidences_round_trip_through_the_store(store_url):
    from helpers import load_example

    from simulator.core import engine, session_json

    scenario = load_example()
    eng = engine.Engine(scenario)
    said = engine.Said("对不起，<b>怎么了</b>？", (("empathy", 0.9),), 0.4, 0.35)
    state = eng.choose_response(eng.start("en", 0), 0, 900, said)
    store = Store(store_url)
    sid = store.create(scenario.id, "/x.yaml", "ann", "en", None, session_json.to_json(scenario, state), T0)
    assert session_json.from_json(scenario, store.get(sid).state).history[0].said == said
    store.close()


def _locked_once(monkeypatch, message: str):
    """migrate.upgrade fails once with ``message`` as SQLite reports it, then runs for real."""
    import sqlite3

    from simulator.storage import migrate

    real, calls = migrate.upgrade, []

    def upgrade(engine, where):
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError(message))
        real(engine, where)

    monkeypatch.setattr(migrate, "upgrade", upgrade)
    return calls


def test_a_new_sqlite_file_locked_by_another_first_open_is_retried(tmp_path, monkeypatch):
    calls = _locked_once(monkeypatch, "database is locked")
    with Store(tmp_path / "s.db") as store:
        assert store.create("mobile", "m.yaml", "Ann", "en", None, {"turns": []}, "2026-11-29T09:00:00+00:00") > 0
    assert len(calls) == 2


def test_a_sqlite_error_other_than_a_lock_is_not_retried(tmp_path, monkeypatch):
    calls = _locked_once(monkeypatch, "disk I/O error")
    with pytest.raises(StorageError, match="could not be written"):
        Store(tmp_path / "s.db")
    assert len(calls) == 1
