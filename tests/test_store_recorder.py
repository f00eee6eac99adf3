"""Never claim a save that did not happen: the recorder, the terminal player, and a lost server."""

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import load_example
from store_support import fill_up

from simulator.storage import Recorder, SessionTakenError, StorageError, Store
from simulator.tui import Session, TerminalPlayer

T0 = "2026-01-01T00:00:00+00:00"


class FlakyStore:
    """A store whose saves fail while ``down`` is set, as a full disk or a lost server would."""

    def __init__(self, down: bool = False):
        self.down = down
        self.saved: list[dict] = []

    def save(self, session_id, state, now, finished=False, ending=None, score=None):
        if self.down:
            raise StorageError("the session database x cannot be used: the disk is full")
        self.saved.append(state)


def test_a_failed_save_is_kept_and_caught_up_by_the_next(tmp_path):
    store = FlakyStore(down=True)
    recorder = Recorder(store, 1)
    assert not recorder.record({"turn": 1}, 1, T0)
    assert (recorder.saved_turns, recorder.pending_turns) == (0, 1) and "disk is full" in str(recorder.error)
    store.down = False
    assert recorder.record({"turn": 2}, 2, T0)
    assert store.saved == [{"turn": 2}] and (recorder.saved_turns, recorder.pending_turns, recorder.error) == (
        2, None, None)


def test_flush_tries_again_with_a_pause_between():
    store, pauses = FlakyStore(down=True), []
    recorder = Recorder(store, 1, sleep=pauses.append)
    recorder.record({"turn": 1}, 1, T0)
    assert not recorder.flush(attempts=3, pause=0.25)
    assert pauses == [0.25, 0.25]


def test_a_session_continued_elsewhere_stops_the_recorder(store_url):
    with Store(store_url) as first, Store(store_url) as second:
        sid = first.create("x", "/x.yaml", "ann", "en", None, {}, T0)
        second.get(sid)
        first.save(sid, {"turn": 1}, T0)
        recorder = Recorder(second, sid)
        assert not recorder.record({"turn": 5}, 5, T0)
        assert recorder.taken and isinstance(recorder.error, SessionTakenError)
        assert not recorder.flush(attempts=3) and first.get(sid).state == {"turn": 1}


def _player(answers):
    out, queue = io.StringIO(), list(answers)

    def ask(prompt):
        if not queue:
            raise EOFError
        return queue.pop(0)

    return TerminalPlayer(load_example(), out=out, ask=ask, clock=lambda: 0.0), out


def test_the_trainee_is_told_at_once_and_when_saving_works_again():
    store = FlakyStore(down=True)
    p, out = _player(["1", "1", "q"])
    session = Session(store, 7)
    session.keeper().sleep = lambda _s: None
    original = p.persist

    def persist(session_, state):
        original(session_, state)
        store.down = False  # the disk has room again after the first answer

    p.persist = persist
    p.play(p.engine.start("en", shuffle=False), session=session)
    text = out.getvalue()
    assert text.index("NOT SAVED: the session database x cannot be used: the disk is full") < text.index(
        "Saved again: all 2 answers so far are stored.")
    assert "The call is saved. Resume it with: python main.py play --resume 7" in text


def test_quitting_with_unsaved_answers_says_exactly_how_many_are_stored():
    store = FlakyStore()
    p, out = _player(["1", "1", "q"])
    session = Session(store, 7)
    session.keeper().sleep = lambda _s: None
    original = p.persist

    def persist(session_, state):
        original(session_, state)
        store.down = True  # the disk fills after the first answer

    p.persist = persist
    p.play(p.engine.start("en", shuffle=False), session=session)
    text = out.getvalue()
    assert "NOT everything is saved: 1 of your 2 answers are stored" in text
    assert "The call is saved" not in text


def test_a_lost_server_loses_no_answered_turn(pg_server):
    with Store(pg_server.url) as store:
        sid = store.create("x", "/x.yaml", "ann", "en", None, {}, T0)
        recorder = Recorder(store, sid)
        assert recorder.record({"turn": 1}, 1, T0)
        pg_server.kill()
        try:
            assert not recorder.record({"turn": 2}, 2, T0)
            assert "cannot be reached" in str(recorder.error)
        finally:
            pg_server.start()
        assert recorder.record({"turn": 3}, 3, T0)
        assert store.get(sid).state == {"turn": 3} and recorder.saved_turns == 3


@pytest.mark.parametrize("answers", [["1"]])
def test_a_call_without_a_store_claims_nothing(answers):
    p, out = _player([*answers, "q"])
    p.play(p.engine.start("en", shuffle=False), session=Session(None))
    assert "saved" not in out.getvalue().lower()


def test_a_disk_that_fills_during_a_call_loses_no_answer_it_claims_and_says_exactly_what_is_stored(tiny_disk):
    main_py = Path(__file__).resolve().parent.parent / "main.py"
    env = {**os.environ, "RETENTION_SIM_DATA": str(tiny_disk), "NO_COLOR": "1"}
    env.pop("RETENTION_SIM_DB", None)
    proc = subprocess.Popen([sys.executable, str(main_py), "play", "mobile-cancel-after-bill-shock", "--tui",
                             "--no-shuffle", "--trainee", "ann"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    seen = bytearray()
    reader = threading.Thread(target=lambda: [seen.extend(c) for c in iter(lambda: proc.stdout.read1(4096), b"")])
    reader.start()
    proc.stdin.write(b"1\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 120
    while seen.count(b"Your answer") < 2 and time.monotonic() < deadline:  # the first answer is committed
        time.sleep(0.05)
    fill_up(tiny_disk)
    proc.stdin.write(b"1\n" * 60)
    proc.stdin.close()
    assert proc.wait(180) == 0
    reader.join(30)
    proc.stdout.close()
    out = seen.decode("utf-8", "replace")
    db = sqlite3.connect(tiny_disk / "sessions.sqlite3")
    state, finished = db.execute("SELECT state, finished FROM sessions").fetchone()
    db.close()
    stored = len(json.loads(state)["history"])
    assert "Traceback" not in out and stored >= 1
    claim = re.search(r"NOT everything is saved: (\d+) of your (\d+) answers are stored", out)
    if claim:  # the truth about a partial save: exactly what the file holds, and told at once too
        assert int(claim.group(1)) == stored < int(claim.group(2)) and "NOT SAVED" in out
    else:  # no warning: then every answer of the finished call is in the file
        assert finished == 1 and "NOT SAVED" not in out
