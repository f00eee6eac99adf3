"""What the cohort report reads and keeps: every finished call's few columns and the distinct digests.

A cohort report over 100,000 calls reads one narrow row per call (from the index
``sessions_cohort``, never the saved states) and each distinct digest once; the digests it had to
compute are written back so the next report need not. The report itself (what a digest holds,
what is averaged) is :mod:`simulator.report.cohort`; this module only moves rows.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from .engine import StorageError, explain
from .schema import digests, sessions
from .sessions import Filters, Store

_CHUNK = 500  # ids per IN (...): well under every engine's limit on bound parameters


def cohort_query(filters: Filters | None = None) -> sa.Select:
    """The cohort scan: every column it selects or tests is in the index ``sessions_cohort``."""
    c = sessions.c
    return (sa.select(c.id, c.trainee, c.trainee_org_id, c.trainee_group, c.started_at, c.scenario_id,
                      c.scenario_path, c.digest_id)
            .where(c.finished == 1, *(filters or Filters()).clauses()))


def cohort_rows(store: Store, filters: Filters | None = None) -> list[sa.Row]:
    """Finished calls matching ``filters``: id, trainee, trainee_org_id, trainee_group, started_at,
    scenario_id, scenario_path, digest_id (None when not computed yet), in no particular order."""
    query = cohort_query(filters)
    return _read(store, lambda connection: connection.execute(query).all())


def digest_bodies(store: Store, ids: set[int]) -> dict[int, tuple[str, str]]:
    """The stored digests with these ids: id -> (key, body JSON)."""
    wanted = sorted(ids)

    def read(connection: sa.Connection) -> dict[int, tuple[str, str]]:
        out = {}
        for start in range(0, len(wanted), _CHUNK):
            query = sa.select(digests.c.id, digests.c.key, digests.c.body).where(
                digests.c.id.in_(wanted[start:start + _CHUNK]))
            out.update({row.id: (row.key, row.body) for row in connection.execute(query)})
        return out
    return _read(store, read)


def saved_for_digest(store: Store, ids: list[int]) -> dict[int, tuple[str | None, str | None, str]]:
    """What a digest is computed from, for calls that have none stored: id -> (summary JSON kept by
    schema 3 or 4, its key, the saved state JSON)."""
    def read(connection: sa.Connection) -> dict[int, tuple[str | None, str | None, str]]:
        out = {}
        c = sessions.c
        for start in range(0, len(ids), _CHUNK):
            query = sa.select(c.id, c.summary, c.summary_key, c.state).where(c.id.in_(ids[start:start + _CHUNK]))
            out.update({row.id: (row.summary, row.summary_key, row.state) for row in connection.execute(query)})
        return out
    return _read(store, read)


def body_of(digest: dict) -> str:
    """A digest as stored: canonical JSON, so equal digests are equal text."""
    return json.dumps(digest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def put_digests(store: Store, items: list[tuple[int, dict, str]]) -> None:
    """Keep computed digests (session id, digest, key): each distinct one once, every call pointing at it."""
    if not items:
        return
    if store.read_only:
        raise StorageError(f"the session database {store.where} was opened read-only")
    bodies = {}
    for session_id, digest, key in items:
        body = body_of(digest)
        fingerprint = hashlib.sha256(f"{key}\n{body}".encode()).hexdigest()[:32]
        bodies.setdefault(fingerprint, (key, body, []))[2].append(session_id)
    try:
        with store.engine.execution_options(writing=True).begin() as connection:
            prints = sorted(bodies)
            known = {}
            for start in range(0, len(prints), _CHUNK):
                known.update(connection.execute(sa.select(digests.c.fingerprint, digests.c.id).where(
                    digests.c.fingerprint.in_(prints[start:start + _CHUNK]))).all())
            new = [p for p in prints if p not in known]
            for fingerprint in new:
                key, body, _ = bodies[fingerprint]
                known[fingerprint] = connection.execute(digests.insert().values(
                    fingerprint=fingerprint, key=key, body=body)).inserted_primary_key[0]
            connection.execute(sessions.update().where(sessions.c.id == sa.bindparam("sid"))
                               .values(digest_id=sa.bindparam("did")),
                               [{"sid": sid, "did": known[p]} for p, (_, _, sids) in bodies.items() for sid in sids])
    except (sa.exc.SQLAlchemyError, OSError) as e:
        raise explain(e, store.where) from None


def _read(store: Store, work):
    try:
        with store.engine.connect() as connection:
            return work(connection)
    except (sa.exc.SQLAlchemyError, OSError) as e:
        raise explain(e, store.where) from None
