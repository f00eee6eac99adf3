"""The tables as this version of the program reads and writes them (the migrations build them).

Times are ISO 8601 text in UTC (``2026-01-01T00:00:00+00:00``) on both engines, so they sort
as text and a SQLite file written by an older version needs no conversion.
"""

from __future__ import annotations

import sqlalchemy as sa

# The schema this program writes. 1 and 2 were made by the single-file SQLite store (2 added
# played_by); 3 is the first Alembic-managed version (trainees, versions, digests); 4 adds the
# xAPI statement queue; 5 keeps cohort digests once per distinct digest (table digests, sessions.digest_id)
# with a covering index for the cohort scan. Kept in the meta table as well, so that
# any program, old or new, can tell which version a database has without Alembic.
SCHEMA_VERSION = 5
PLAYED_BY = ("trainee", "script", "auto")

metadata = sa.MetaData()

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.Text, nullable=False),
    sa.Column("scenario_path", sa.Text, nullable=False),
    sa.Column("trainee", sa.Text, nullable=False, server_default=""),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("variant", sa.Text),
    sa.Column("started_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("finished", sa.Integer, nullable=False, server_default="0"),
    sa.Column("ending", sa.Text),
    sa.Column("score", sa.Integer),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("played_by", sa.Text, nullable=False, server_default="trainee"),
    # 3: the trainee's organisation id (employee number, LMS account), '' when none was given.
    sa.Column("trainee_org_id", sa.Text, nullable=False, server_default=""),
    # 3: the trainee's group (team, class, site) for the cohort report, '' when none was given.
    sa.Column("trainee_group", sa.Text, nullable=False, server_default=""),
    # 3: the finished call's cohort digest (JSON) and what it was computed from. Written by schema 3
    # and 4 only; since 5 a report reads them once, moves them to ``digests`` and leaves them be.
    sa.Column("summary", sa.Text),
    sa.Column("summary_key", sa.Text),
    # 5: the finished call's cohort digest in ``digests`` (many calls share one), NULL until computed.
    sa.Column("digest_id", sa.Integer),
    # 3: bumped by every save; a save that does not find the version it last saw was overtaken by
    # another process on the same session and is refused instead of overwriting it.
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sqlite_autoincrement=True,
)

# 5: what a finished call adds to a cohort report (simulator.report.cohort.digest), kept once per
# distinct digest: it depends only on the answers given, so 100,000 calls share a few thousand, and
# the cohort report decodes each once instead of once per call. ``key`` says what it was computed
# from (digest version, scenario file, catalog); a session whose scenario's key differs now is
# recomputed. ``fingerprint`` (a hash of key and body) makes the same digest stored once.
digests = sa.Table(
    "digests", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("fingerprint", sa.Text, nullable=False, unique=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)

xapi_queue = sa.Table(
    "xapi_queue", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("statement_id", sa.Text, nullable=False, unique=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("queued_at", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("sent_at", sa.Text),
    sqlite_autoincrement=True,
)
