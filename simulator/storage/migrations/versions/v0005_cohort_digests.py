"""Schema 5: cohort digests kept once per distinct digest, and a covering index for the cohort scan.

A finished call's digest (what it adds to a cohort report) depends only on the answers given,
so many calls share one: ``digests`` holds each once and ``sessions.digest_id`` points at it.
The index ``sessions_cohort`` holds every column the cohort report reads of a call, so a report
over 100,000 calls reads the index, not the saved states. Digests kept by schema 3 and 4 in
``sessions.summary`` stay where they are; the next cohort report moves them (no call is copied
or dropped here, and the summary columns are left for an older program to read).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COHORT_INDEX = ["finished", "played_by", "id", "trainee", "trainee_org_id", "trainee_group", "started_at",
                "scenario_id", "scenario_path", "digest_id"]  # as simulator.storage.schema.COHORT_INDEX


def upgrade() -> None:
    """Create digests, add sessions.digest_id and the cohort index."""
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.Text, nullable=False, unique=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.add_column("sessions", sa.Column("digest_id", sa.Integer))
    op.create_index("sessions_cohort", "sessions", COHORT_INDEX)
    op.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_index("sessions_cohort", "sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("digest_id")
    op.drop_table("digests")
    op.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
