"""The session store's speed targets (``make bench``).

1. turn commits per second: one trainee on the default SQLite file (WAL, synchronous=FULL;
   a file is one trainee's, so many writers are PostgreSQL's job), and one trainee and 50 at
   once (threads, one store each, as 50 machines would) on one PostgreSQL server with fsync
   on; every turn is checked to be there afterwards;
2. ``report --cohort`` over 100,000 stored finished calls, on SQLite and on PostgreSQL: target
   ≤ 5 s with the calls' digests stored (as they are once a cohort report has seen them), and
   the cost per call of the first report that has to compute them. The calls are 400 random
   playthroughs repeated (280 distinct digests); the report decodes each distinct digest once,
   so a cohort with more distinct ones costs about 20-40 µs more per distinct digest.

PostgreSQL runs as a private throw-away cluster (tests/postgres_server.py); without the server
binaries that half is reported as skipped.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from postgres_server import Server, Unavailable  # noqa: E402
from run import _random_calls  # noqa: E402

from simulator.cli import main as cli_main  # noqa: E402
from simulator.core.catalog import load_catalog  # noqa: E402
from simulator.core.session_json import to_json  # noqa: E402
from simulator.report import cohort, cohort_store  # noqa: E402
from simulator.storage import Store  # noqa: E402
from simulator.storage import digests as digests_table  # noqa: E402
from simulator.storage.schema import digests, sessions  # noqa: E402

TURNS = 20


def bench_turns_one(url: str, turns: int = 200) -> float:
    """Commits per second of one trainee saving turn after turn."""
    with Store(url) as store:
        sid = store.create("x", "/x.yaml", "ann", "en", None, {"turns": []}, "2026-11-01T09:00:00+00:00")
        start = time.perf_counter()
        for turn in range(turns):
            store.save(sid, {"turns": list(range(turn + 1))}, "2026-11-01T09:00:01+00:00")
        seconds = time.perf_counter() - start
        assert store.get(sid).version == turns
    return turns / seconds


def bench_turns_many(url: str, trainees: int = 50, turns: int = TURNS) -> float:
    """Commits per second of ``trainees`` saving at once; asserts no turn was lost."""
    Store(url).close()
    errors: list[Exception] = []
    ready = threading.Barrier(trainees + 1)

    def trainee(n: int) -> None:
        try:
            with Store(url) as store:
                sid = store.create("x", "/x.yaml", f"t{n}", "en", None, {"turns": []}, "2026-11-01T09:00:00+00:00")
                ready.wait()
                for turn in range(turns):
                    store.save(sid, {"turns": list(range(turn + 1))}, "2026-11-01T09:00:01+00:00",
                               finished=turn == turns - 1)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=trainee, args=(n,)) for n in range(trainees)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    assert not errors, errors[:3]
    with Store(url) as store:
        records = store.sessions(limit=trainees * 2)
    mine = [r for r in records if r.trainee.startswith("t")]
    assert len(mine) == trainees and sum(r.version for r in mine) == trainees * turns, "a turn was lost"
    return trainees * turns / seconds


def fill(url: str, count: int, with_digests: bool, distinct: int = 400) -> None:
    """``count`` finished calls (``distinct`` random playthroughs of the shipped library, repeated)."""
    calls = _random_calls(distinct, seed=11)
    catalog, keys = load_catalog(), {}
    rows = []
    for scenario, state in calls:
        data = to_json(scenario, state)
        rows.append((scenario, data, cohort.digest(data, scenario, catalog), cohort_store.digest_key(scenario, keys)))
    Store(url).close()
    engine = sa.create_engine(url)
    digest_ids = {}
    if with_digests:
        with engine.begin() as connection:
            for n, (_, _, digest, key) in enumerate(rows):
                body = digests_table.body_of(digest)
                found = connection.execute(sa.select(digests.c.id).where(digests.c.body == body)).scalar()
                if found is None:
                    found = connection.execute(digests.insert().values(
                        fingerprint=f"bench-{n}", key=key, body=body)).inserted_primary_key[0]
                digest_ids[n] = found
    rng = random.Random(5)
    batch = []
    with engine.begin() as connection:
        for i in range(count):
            scenario, data, _, _ = rows[i % len(rows)]
            day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{9 + i % 8:02d}:00:00+00:00"
            batch.append({"scenario_id": scenario.id, "scenario_path": scenario.path, "trainee": f"trainee-{i % 200}",
                          "trainee_org_id": f"E{i % 200:04d}", "trainee_group": f"team-{i % 7}", "language":
                          data["language"] if "language" in data else "en", "variant": None, "started_at": day,
                          "updated_at": day, "finished": 1, "ending": "kept", "score": rng.randrange(100),
                          "state": json.dumps(data), "played_by": "trainee", "version": 5,
                          "digest_id": digest_ids.get(i % len(rows))})
            if len(batch) == 5000:
                connection.execute(sessions.insert(), batch)
                batch = []
        if batch:
            connection.execute(sessions.insert(), batch)
    engine.dispose()


def time_cohort(url: str, out: Path) -> float:
    """Seconds of ``report --cohort -o out.html`` over everything in ``url``."""
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli_main(["report", "--cohort", "-o", str(out), "--db", url])
    assert code == 0
    return time.perf_counter() - start


def main() -> int:
    results: list[tuple[str, str, str]] = []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        sqlite_url = f"sqlite:///{tmp_path / 'turns.db'}"
        results.append(("turn commits/s, 1 trainee, SQLite", f"{bench_turns_one(sqlite_url):,.0f}", ""))
        targets = [("SQLite", lambda name: f"sqlite:///{tmp_path / name}")]
        server = None
        try:
            server = Server(fsync=True)
        except Unavailable as e:
            results.append(("PostgreSQL", "skipped", str(e)))
        try:
            if server is not None:
                results.append(("turn commits/s, 1 trainee, PostgreSQL", f"{bench_turns_one(server.url):,.0f}", ""))
                results.append(("turn commits/s, 50 trainees, PostgreSQL",
                                f"{bench_turns_many(server.url):,.0f}", "no turn lost"))
                targets.append(("PostgreSQL", lambda name: _fresh(server.url)))
            for engine_name, make in targets:
                url = make("cohort.db")
                fill(url, 100_000, with_digests=True)
                seconds = time_cohort(url, tmp_path / "c.html")
                ok &= seconds <= 5.0
                results.append((f"cohort report, 100,000 calls, {engine_name}", f"{seconds:.2f} s",
                                "≤ 5 s ok" if seconds <= 5.0 else "≤ 5 s MISSED"))
                url = make("cold.db")
                fill(url, 5_000, with_digests=False)
                seconds = time_cohort(url, tmp_path / "c.html")
                results.append((f"first cohort report, {engine_name} (digests computed)",
                                f"{seconds / 5_000 * 1000:.2f} ms/call", "once per call"))
        finally:
            if server is not None:
                server.stop()
    for name, value, note in results:
        print(f"{name:<52} {value:>14}  {note}")
    return 0 if ok else 1


def _fresh(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


if __name__ == "__main__":
    os.environ.pop("RETENTION_SIM_DB", None)
    sys.exit(main())
