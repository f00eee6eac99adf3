"""Schema 2: sessions.played_by (who answered: the trainee, a --script or an --auto policy).

Every session of a version-1 database is counted as the trainee's: scripted calls were not
told apart then. The column is added in place; nothing is copied or dropped.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add played_by."""
    op.add_column("sessions", sa.Column("played_by", sa.Text, nullable=False, server_default="trainee"))
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    """Remove played_by."""
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("played_by")
    op.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
