"""Break-it checks: mutated files, kill -9 mid-call, a full disk and a read-only data folder.

``make test`` runs a small sample of each; ``make reliability`` runs the same checks at scale
(``RELIABILITY_SCALE``, default 1) so the next break-it pass is one command. Every check is
seeded and reports the seed and input that broke it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator import cli

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "simulator" / "library").glob("*.yaml"))
SCALE = max(1, int(os.environ.get("RELIABILITY_SCALE", "1")))
SEED = int(os.environ.get("RELIABILITY_SEED", "20261129"))
ODD = ["\x00", "\x07", "\x1b[31m", "\r", "\u202e", "\ufeff", "龘", "𠮷", "😀", "\t", ":", "- ", "{", "]", "&a", "*a",
       "!!python/object:os.system", "'", '"', "#", "~", "1e309", "-1", "99999999999999999999", "true", "[]", "{}"]


def mutate(text: str, rng: random.Random) -> str:
    """One to three random edits of the kinds a careless author, an editor or a disk makes."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        kind = rng.randrange(7)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(ODD) + lines[i][at:]
        elif kind == 4:
            lines[i] = " " * rng.choice([1, 2, 3, 5, 8]) + lines[i]
        elif kind == 5:
            head, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = f"{head}: {rng.choice(ODD)}\n"
        else:
            lines = lines[: max(1, i)]
        if not lines:
            lines = ["\n"]
    return "".join(lines)


def test_mutated_scenarios_never_crash_validate_play_or_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("NO_COLOR", "1")
    rng = random.Random(SEED)
    for n in range(12 * SCALE):
        source = rng.choice(LIBRARY)
        path = tmp_path / f"m{n}.yaml"
        path.write_text(mutate(source.read_text("utf-8"), rng), "utf-8", newline="")
        for args in (["validate", str(path)], ["play", str(path), "--tui", "--auto", f"random:{n}"],
                     ["play", str(path), "--tui", "--auto", "best", "--report", str(tmp_path / f"m{n}.md")]):
            code = cli.main(args)
            _out, err = capsys.readouterr()
            # 3 is the last guard's "something went wrong inside": a bug, even without a traceback.
            assert code in (0, 1, 2) and "Traceback" not in err, (SEED, n, source.name, args, err[-2000:])


def _saved(data: Path) -> tuple[int, bool]:
    """(answered turns saved, whether the call had ended) of the last session; (0, True) if none."""
    db = sqlite3.connect(data / "sessions.sqlite3")
    try:
        row = db.execute("SELECT state, finished FROM sessions ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # killed while the database file was being set up
        row = None
    finally:
        db.close()
    return (len(json.loads(row[0])["history"]), bool(row[1])) if row else (0, True)


def _drain(proc: subprocess.Popen, into: bytearray) -> None:
    while chunk := proc.stdout.read1(4096):
        into.extend(chunk)


def test_a_call_killed_at_any_moment_resumes_without_losing_a_turn(tmp_path):
    rng = random.Random(SEED)
    scenario = str(ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml")
    for n in range(2 * SCALE):
        data = tmp_path / f"data{n}"
        env = {**os.environ, "RETENTION_SIM_DATA": str(data), "NO_COLOR": "1"}
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "play", scenario, "--tui", "--no-shuffle"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        seen = bytearray()
        reader = threading.Thread(target=_drain, args=(proc, seen), daemon=True)
        reader.start()
        answers = rng.randint(1, 6)
        for _ in range(answers):
            proc.stdin.write(b"1\n")
            proc.stdin.flush()
            time.sleep(rng.uniform(0.0, 0.3))
        time.sleep(rng.uniform(0.0, 0.5))
        prompts = seen.count(b"Your answer")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        reader.join(10)
        for pipe in (proc.stdin, proc.stdout):
            pipe.close()
        if not (data / "sessions.sqlite3").exists():
            continue  # killed before the call started: nothing to lose
        # Every answer whose next prompt was shown had been committed before that prompt.
        turns, ended = _saved(data)
        assert turns >= prompts - 1, (SEED, n, answers, prompts)
        if ended:
            continue  # killed before the call was saved, or after it ended: nothing to resume
        resumed = subprocess.run([sys.executable, str(ROOT / "main.py"), "play", "--resume", "--tui"],
                                 input=b"1\n" * 60, capture_output=True, env=env, timeout=120)
        assert resumed.returncode == 0 and b"Score: " in resumed.stdout, (SEED, n, resumed.stderr[-2000:])


@pytest.fixture
def small_mount(tmp_path):
    """A 256 KiB tmpfs (root only), unmounted afterwards; skipped with the reason elsewhere."""
    folder = tmp_path / "mnt"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs for disk-full and read-only runs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _main(args: list[str], data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RETENTION_SIM_DATA": str(data), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_a_full_disk_is_explained_and_the_call_still_plays(small_mount):
    fd = os.open(small_mount / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # the disk is full now
    finally:
        os.close(fd)
    done = _main(["play", "mobile-cancel-after-bill-shock", "--tui", "--auto", "best"], small_mount)
    # The call still plays to its end; the trainee is told it cannot be saved, and why.
    assert done.returncode == 0 and "Score: " in done.stdout, done.stderr
    assert "disk is full" in done.stderr and "not be saved" in done.stderr and "Traceback" not in done.stderr


def test_a_read_only_data_folder_still_lists_and_reports_saved_calls(small_mount):
    played = _main(["play", "mobile-cancel-after-bill-shock", "--tui", "--auto", "best"], small_mount)
    assert played.returncode == 0, played.stderr
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True, capture_output=True)
    listed = _main(["report", "--list", "--include-scripted"], small_mount)
    assert listed.returncode == 0 and "mobile-cancel-after-bill-shock" in listed.stdout, listed.stderr
    again = _main(["play", "mobile-cancel-after-bill-shock", "--tui", "--auto", "best"], small_mount)
    assert again.returncode in (0, 2), again.stderr
    assert "not writable" in again.stderr and "will not be saved" in again.stderr, again.stderr
    assert "Traceback" not in again.stderr
