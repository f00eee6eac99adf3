"""Schema 3: trainees (organisation id, group), a version number on every session, cohort digests.

``version`` makes a second process that saves the same session from a stale copy fail loudly
instead of overwriting the first; ``trainee_org_id`` and ``trainee_group`` let calls belong to
a trainee in an organisation and a group; ``summary``/``summary_key`` cache a finished call's
cohort digest. Indexes serve resume (a trainee's open calls) and the cohort report (by date).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the trainee, version and digest columns, and the trainee and date indexes."""
    op.add_column("sessions", sa.Column("trainee_org_id", sa.Text, nullable=False, server_default=""))
    op.add_column("sessions", sa.Column("trainee_group", sa.Text, nullable=False, server_default=""))
    op.add_column("sessions", sa.Column("version", sa.Integer, nullable=False, server_default="0"))
    op.add_column("sessions", sa.Column("summary", sa.Text))
    op.add_column("sessions", sa.Column("summary_key", sa.Text))
    op.create_index("sessions_trainee", "sessions", ["trainee", "trainee_org_id", "finished"])
    op.create_index("sessions_started", "sessions", ["started_at"])
    op.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")


def downgrade() -> None:
    """Remove what upgrade added."""
    op.drop_index("sessions_started", "sessions")
    op.drop_index("sessions_trainee", "sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("summary_key")
        batch.drop_column("summary")
        batch.drop_column("version")
        batch.drop_column("trainee_group")
        batch.drop_column("trainee_org_id")
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
