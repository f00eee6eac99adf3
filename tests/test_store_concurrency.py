"""Many trainees and machines at once against one database: every answered turn is kept and reported."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.storage import Filters, Store

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "mobile-cancel-after-bill-shock"

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


def _machine(url: str, data: Path, trainee: str, org_id: str) -> subprocess.Popen:
    """One training machine: its own data folder, the shared database, a trainee answering by hand."""
    env = {**os.environ, "RETENTION_SIM_DATA": str(data), "NO_COLOR": "1"}
    env.pop("RETENTION_SIM_DB", None)
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "play", SCENARIO, "--tui", "--no-shuffle",
                             "--trainee", trainee, "--org-id", org_id, "--db", url],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def test_calls_played_on_two_machines_appear_in_one_cohort_report_and_one_xapi_export(store_url, tmp_path):
    machines = [_machine(store_url, tmp_path / name, name, org) for name, org in (("ann", "E1"), ("bo", "E2"))]
    for machine in machines:  # both play at once
        machine.stdin.write(b"1\n" * 60)
        machine.stdin.close()
    for machine in machines:
        assert machine.wait(180) == 0, machine.stderr.read().decode()[-2000:]
        machine.stdout.close()
        machine.stderr.close()
    report, statements = tmp_path / "cohort.json", tmp_path / "all.jsonl"
    assert main(["report", "--cohort", "-o", str(report), "--db", store_url]) == 0
    assert main(["export", "--xapi", str(statements), "--db", store_url]) == 0
    cohort = json.loads(report.read_text("utf-8"))
    assert cohort["sessions"] == 2 and [r["trainee"] for r in cohort["heatmap"]] == ["ann (E1)", "bo (E2)"]
    exported = [json.loads(line) for line in statements.read_text("utf-8").splitlines()]
    completed = [s for s in exported if s["verb"]["id"].endswith("/completed")]
    assert sorted(s["actor"]["account"]["name"] for s in completed) == ["E1", "E2"]


def test_a_call_killed_on_a_machine_loses_no_answered_turn_on_the_server(store_url, tmp_path):
    machine = _machine(store_url, tmp_path / "ann", "ann", "E1")
    seen = bytearray()
    reader = threading.Thread(target=lambda: [seen.extend(c) for c in iter(lambda: machine.stdout.read1(4096), b"")])
    reader.start()
    deadline = time.monotonic() + 120
    for answer in range(1, 4):  # answer three turns, each time once the next prompt shows
        while seen.count(b"Your answer") < answer and time.monotonic() < deadline:
            time.sleep(0.05)
        machine.stdin.write(b"1\n")
        machine.stdin.flush()
    while seen.count(b"Your answer") < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(machine.pid, signal.SIGKILL)  # kill -9 right after the third answer was committed
    machine.wait(30)
    reader.join(30)
    for pipe in (machine.stdin, machine.stdout, machine.stderr):
        pipe.close()
    with Store(store_url) as store:
        [record] = store.sessions(filters=Filters(trainee="ann"))
    assert len(record.state["history"]) == 3 and not record.finished
