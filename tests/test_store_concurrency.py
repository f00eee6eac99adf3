"""Many trainees at once against one database: every answered turn is kept."""

import threading

import pytest
from store_support import pg_server, store_url  # noqa: F401

from simulator.storage import Filters, Store

TURNS = 8


def _trainee(url: str, n: int, errors: list) -> None:
    try:
        with Store(url) as store:
            sid = store.create("cancel", "/cancel.yaml", f"trainee-{n:02d}", "en", None, {"turns": []},
                               "2026-11-01T09:00:00+00:00", trainee_org_id=f"E{n:03d}")
            answers = []
            for turn in range(TURNS):
                answers.append(turn)
                last = turn == TURNS - 1
                store.save(sid, {"turns": answers}, f"2026-11-01T09:00:{turn + 1:02d}+00:00", finished=last,
                           ending="kept" if last else None, score=50 + n if last else None)
    except Exception as e:  # collected and asserted on in the main thread
        errors.append(e)


@pytest.mark.parametrize("trainees", [50])
def test_fifty_trainees_playing_at_once_lose_no_turn(store_url, trainees):
    Store(store_url).close()  # the schema is made once, as the first machine would
    errors: list = []
    threads = [threading.Thread(target=_trainee, args=(store_url, n, errors)) for n in range(trainees)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(store_url) as store:
        records = store.sessions(limit=trainees + 1, filters=Filters(finished=True))
    assert len(records) == trainees
    assert all(r.state == {"turns": list(range(TURNS))} and r.version == TURNS for r in records)
    assert sorted(r.trainee_org_id for r in records) == [f"E{n:03d}" for n in range(trainees)]


def test_two_machines_opening_a_new_database_at_once_both_get_the_schema(store_url):
    errors: list = []

    def open_it() -> None:
        try:
            Store(store_url).close()
        except Exception as e:  # collected and asserted on in the main thread
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
