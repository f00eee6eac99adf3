"""The cohort report read from a store gives the same figures as scoring every call one by one.

A generated store (random calls of three shipped scenarios by several trainees, groups and days,
some scripted, one unfinished, one whose scenario is gone, one whose state no longer fits) is
reported through ``report --cohort``'s store path and through the aggregation as it was before
schema 5 (tests/cohort_before.py), on SQLite and on PostgreSQL, for every grouping and filter.
"""

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from cohort_before import build as build_before

from simulator.core import loader
from simulator.core.engine import Engine
from simulator.core.session_json import to_json
from simulator.report import cohort, cohort_store
from simulator.reports import SessionScenarios
from simulator.storage import Filters, Store, digests, migrate

LIBRARY = Path(__file__).resolve().parent.parent / "simulator" / "library"
SCENARIOS = ("mobile-cancel-after-bill-shock", "broadband-wrong-charge-complaint", "rival-free-handset-expressive")
TRAINEES = (("ann", "E1", "north"), ("bo", "", "north"), ("cy", "E3", "south"), ("ann", "E9", "south"), ("", "", ""))
CASES = [  # (grouping, filters): every grouping, every filter
    ("trainee", Filters(played_by="trainee")),
    ("group", Filters()),
    ("day", Filters(group="north", played_by="trainee")),
    ("month", Filters(since="2026-02-01", until="2026-03-15")),
    ("trainee", Filters(trainee="ann", trainee_org_id="E9")),
    ("trainee", Filters(scenario_id="mobile-cancel-after-bill-shock", played_by="trainee")),
]


def _scenarios():
    found = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        scenario = loader.load(str(path))
        if scenario.id in SCENARIOS:
            found[scenario.id] = scenario
    assert set(found) == set(SCENARIOS)
    return [found[i] for i in SCENARIOS]


@pytest.fixture(scope="module")
def calls():
    """60 finished random calls: (scenario, state JSON, score, ending); answers repeat, so digests are shared."""
    rng, out = random.Random(3), []
    for n, scenario in enumerate(_scenarios() * 20):
        engine = Engine(scenario)
        state = engine.start(scenario.languages[0], n % 4)  # four seeds: the same call played more than once
        while not state.over:
            state = engine.choose(state, rng.randrange(len(engine.options(state))) if n % 3 else 0, 3000)
        out.append((scenario, to_json(scenario, state), n, state.ending))
    return out


def _fill(url: str, calls) -> None:
    with Store(url) as store:
        for n, (scenario, state, score, ending) in enumerate(calls):
            trainee, org, group = TRAINEES[n % len(TRAINEES)]
            when = f"2026-{1 + n % 3:02d}-{1 + n % 27:02d}T{8 + n % 9:02d}:00:00+00:00"
            sid = store.create(scenario.id, scenario.path, trainee, "en", None, {}, when,
                               played_by="script" if n % 7 == 0 else "trainee", trainee_org_id=org,
                               trainee_group=group)
            store.save(sid, state, when, finished=True, ending=ending, score=score)
        scenario, state, _, _ = calls[0]
        open_call = store.create(scenario.id, scenario.path, "ann", "en", None, {}, "2026-01-05T09:00:00+00:00")
        store.save(open_call, {"turns": []}, "2026-01-05T09:00:00+00:00")
        gone = store.create("gone-scenario", "/nowhere/gone.yaml", "bo", "en", None, {}, "2026-02-02T09:00:00+00:00")
        store.save(gone, state, "2026-02-02T09:00:00+00:00", finished=True, ending="kept", score=50)
        broken = store.create(scenario.id, scenario.path, "cy", "en", None, {}, "2026-02-03T09:00:00+00:00")
        store.save(broken, {"history": [{"node": "no-such-node", "response": 9}]}, "2026-02-03T09:00:00+00:00",
                   finished=True, ending="kept", score=10)


def _before(url: str, filters: Filters, by: str) -> dict:
    """The figures as computed before schema 5: every matching call scored from its saved state."""
    with Store(url) as store:
        records = store.sessions(limit=10_000, filters=replace(filters, finished=True))
    inputs = [cohort.SessionInput(r.id, r.trainee, r.scenario_id, r.scenario_path, r.started_at, r.state,
                                  r.trainee_org_id, r.trainee_group) for r in reversed(records)]
    return build_before(inputs, SessionScenarios(), by=by)


def _from_store(url: str, filters: Filters, by: str) -> dict:
    with Store(url) as store:
        return cohort_store.build(store, replace(filters, finished=True), SessionScenarios(),
                                  by=by)


@pytest.mark.parametrize(("by", "filters"), CASES, ids=[f"{b}-{i}" for i, (b, _) in enumerate(CASES)])
def test_the_store_report_has_the_figures_of_scoring_every_call(store_url, calls, by, filters):
    _fill(store_url, calls)
    before = _before(store_url, filters, by)
    assert before["sessions"] >= 2
    assert _from_store(store_url, filters, by) == before  # digests computed and kept
    assert _from_store(store_url, filters, by) == before  # digests read back


def test_calls_with_the_same_answers_share_one_stored_digest(store_url, calls):
    _fill(store_url, calls)
    _from_store(store_url, Filters(), "trainee")
    with Store(store_url) as store:
        rows = digests.cohort_rows(store)
    kept = {row.digest_id for row in rows if row.digest_id is not None}
    assert len([row for row in rows if row.digest_id is not None]) == len(calls)
    assert 0 < len(kept) < len(calls)


def test_a_digest_computed_from_another_scenario_file_is_recomputed(store_url, calls):
    _fill(store_url, calls)
    before = _before(store_url, Filters(), "group")
    _from_store(store_url, Filters(), "group")
    with Store(store_url) as store, store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE digests SET body = :b"),
                           {"b": json.dumps({"v": 1, "score": 0, "techniques": [], "mistakes": {}, "steps": {},
                                             "turns": []})})
        connection.execute(sa.text("UPDATE digests SET key = 'stale'"))
    assert _from_store(store_url, Filters(), "group") == before


def _schema_4(url: str, calls) -> None:
    """A database as schema 4 left it: digests in sessions.summary (made by the report of that version)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        command.upgrade(migrate._config(connection), "0004")
    engine.dispose()
    engine = sa.create_engine(url)
    keys, catalog = {}, cohort.load_catalog()
    with engine.begin() as connection:
        for n, (scenario, state, score, ending) in enumerate(calls):
            trainee, org, group = TRAINEES[n % len(TRAINEES)]
            when = f"2026-{1 + n % 3:02d}-{1 + n % 27:02d}T09:00:00+00:00"
            connection.execute(sa.text(
                "INSERT INTO sessions (scenario_id, scenario_path, trainee, trainee_org_id, trainee_group, language,"
                " started_at, updated_at, finished, ending, score, state, played_by, version, summary, summary_key)"
                " VALUES (:i, :p, :t, :o, :g, 'en', :w, :w, 1, :e, :s, :state, 'trainee', 3, :sum, :key)"),
                {"i": scenario.id, "p": scenario.path, "t": trainee, "o": org, "g": group, "w": when, "e": ending,
                 "s": score, "state": json.dumps(state),
                 "sum": json.dumps(cohort.digest(state, scenario, catalog)) if n % 2 else None,
                 "key": cohort_store.digest_key(scenario, keys) if n % 2 else None})
    engine.dispose()


def test_a_schema_4_database_migrates_and_its_kept_digests_are_moved_not_lost(store_url, calls):
    _schema_4(store_url, calls)
    with Store(store_url) as store:
        before_move = [row.digest_id for row in digests.cohort_rows(store)]
    before = _before(store_url, Filters(), "trainee")
    assert before_move == [None] * len(calls)
    assert _from_store(store_url, Filters(), "trainee") == before
    with Store(store_url) as store:
        assert all(row.digest_id is not None for row in digests.cohort_rows(store))
        assert store.count() == len(calls)


def test_the_cohort_scan_reads_the_index_not_the_saved_states(tmp_path, calls):
    url = f"sqlite:///{tmp_path / 's.db'}"
    _fill(url, calls[:3])
    with Store(url) as store, store.engine.connect() as connection:
        query = digests.cohort_query(Filters(played_by="trainee"))
        compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "COVERING INDEX sessions_cohort" in plan


def test_calls_whose_scenario_is_gone_or_whose_state_no_longer_fits_are_listed_as_skipped(tmp_path, calls):
    url = f"sqlite:///{tmp_path / 's.db'}"
    _fill(url, calls[:3])
    report = _from_store(url, Filters(), "trainee")
    assert len(report["skipped"]) == 2 and report["skipped"][0]["why"] == "scenario 'gone-scenario' is no longer there"
    assert report["skipped"] == _before(url, Filters(), "trainee")["skipped"]
